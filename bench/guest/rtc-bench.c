// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest part of `make bench` (bench/run.sh). Prints "bench: key=value"
 * lines for the host to parse; measures nothing by itself on the host.
 *
 * usage: rtc-bench syscalls
 *          init_module and finit_module: their errno name, or "ok"
 *        rtc-bench ioctl DEVICE CALLS ROUNDS
 *          ns per call of getppid (a bare syscall), RTC_IRQP_READ (the RTC
 *          core only), RTC_RD_TIME and RTC_SET_TIME (the driver's
 *          read_time and set_time), best of ROUNDS rounds of CALLS calls
 *
 * Exits 1 naming the call that failed where the loop needs it to work.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/rtc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const char *errno_name(int e)
{
	switch (e) {
	case ENOSYS: return "ENOSYS";
	case EPERM: return "EPERM";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case ENOEXEC: return "ENOEXEC";
	case EBADF: return "EBADF";
	case ENOMEM: return "ENOMEM";
	default: return "other";
	}
}

static void syscalls(void)
{
	static const char image[16];
	long ret;

	ret = syscall(SYS_init_module, image, sizeof(image), "");
	printf("bench: init_module=%s\n", ret == -1 ? errno_name(errno) : "ok");
	ret = syscall(SYS_finit_module, -1, "", 0);
	printf("bench: finit_module=%s\n", ret == -1 ? errno_name(errno) : "ok");
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

enum op { OP_GETPPID, OP_IRQP_READ, OP_RD_TIME, OP_SET_TIME };
static const char *const op_names[] = { "getppid", "irqp_read", "rd_time", "set_time" };

/* One round: ns per call, or -1 when a call failed (errno is kept). */
static double round_ns(int fd, enum op op, long calls)
{
	struct rtc_time tm;
	unsigned long freq;
	long long t0;
	long i;
	int ret = 0;

	if (ioctl(fd, RTC_RD_TIME, &tm) < 0)
		return -1;
	t0 = now_ns();
	for (i = 0; i < calls && ret >= 0; i++) {
		switch (op) {
		case OP_GETPPID: ret = getppid() < 0 ? -1 : 0; break;
		case OP_IRQP_READ: ret = ioctl(fd, RTC_IRQP_READ, &freq); break;
		case OP_RD_TIME: ret = ioctl(fd, RTC_RD_TIME, &tm); break;
		/* The time just read, so the clock stays where it was. */
		case OP_SET_TIME: ret = ioctl(fd, RTC_SET_TIME, &tm); break;
		}
	}
	if (ret < 0)
		return -1;
	return (double)(now_ns() - t0) / calls;
}

static int ioctls(const char *dev, long calls, long rounds)
{
	int fd = open(dev, O_RDONLY);
	enum op op;
	long r;

	if (fd < 0) {
		fprintf(stderr, "rtc-bench: open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	/* Interleave the ops round by round, so noise hits them alike. */
	double best[4] = { -1, -1, -1, -1 };

	for (r = 0; r < rounds; r++) {
		for (op = OP_GETPPID; op <= OP_SET_TIME; op++) {
			double ns = round_ns(fd, op, calls);

			if (ns < 0) {
				fprintf(stderr, "rtc-bench: %s on %s: %s\n", op_names[op], dev,
					strerror(errno));
				close(fd);
				return 1;
			}
			if (best[op] < 0 || ns < best[op])
				best[op] = ns;
		}
	}
	for (op = OP_GETPPID; op <= OP_SET_TIME; op++)
		printf("bench: ns_%s=%.0f\n", op_names[op], best[op]);
	printf("bench: ioctl_calls=%ld ioctl_rounds=%ld\n", calls, rounds);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "syscalls")) {
		syscalls();
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "ioctl")) {
		long calls = strtol(argv[3], NULL, 10), rounds = strtol(argv[4], NULL, 10);

		if (calls <= 0 || rounds <= 0) {
			fprintf(stderr, "rtc-bench: CALLS and ROUNDS must be positive\n");
			return 2;
		}
		return ioctls(argv[2], calls, rounds);
	}
	fprintf(stderr, "usage: %s syscalls | ioctl DEVICE CALLS ROUNDS\n", argv[0]);
	return 2;
}
