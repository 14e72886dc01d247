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
 *        rtc-bench alarm DEVICE ROUNDS
 *          how late a blocking read() returns after the alarm fires, best
 *          of ROUNDS alarms one second ahead (see alarm_round())
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

/*
 * One alarm: its read() latency in *latency_ns, and in *bracket_ns the
 * uncertainty of it. Returns -1 when a call failed (errno is kept).
 *
 * QEMU's PL031 (hw/rtc/pl031.c, pl031_set_alarm()) fires a whole number of
 * seconds after the write of the match register, not at a second boundary
 * of the count. That write happens inside the RTC_WKALM_SET ioctl, between
 * t_a and t_b; read() returns at t_r. The alarm fired k seconds after the
 * write, with k the whole seconds nearest to t_r - t_a (the latency is far
 * below half a second), so the latency is t_r - k s - the write's time,
 * taken as the middle of [t_a, t_b], give or take half that interval.
 */
static int alarm_round(int fd, long long *latency_ns, long long *bracket_ns)
{
	struct rtc_wkalrm alarm = { .enabled = 1 };
	struct rtc_time now;
	unsigned long data;
	long long t_a, t_b, t_r, k;
	struct tm tm = { 0 };
	time_t t;

	if (ioctl(fd, RTC_RD_TIME, &now) < 0)
		return -1;
	tm.tm_sec = now.tm_sec;
	tm.tm_min = now.tm_min;
	tm.tm_hour = now.tm_hour;
	tm.tm_mday = now.tm_mday;
	tm.tm_mon = now.tm_mon;
	tm.tm_year = now.tm_year;
	t = timegm(&tm) + 1;
	if (!gmtime_r(&t, &tm))
		return -1;
	alarm.time.tm_sec = tm.tm_sec;
	alarm.time.tm_min = tm.tm_min;
	alarm.time.tm_hour = tm.tm_hour;
	alarm.time.tm_mday = tm.tm_mday;
	alarm.time.tm_mon = tm.tm_mon;
	alarm.time.tm_year = tm.tm_year;
	t_a = now_ns();
	if (ioctl(fd, RTC_WKALM_SET, &alarm) < 0)
		return -1;
	t_b = now_ns();
	if (read(fd, &data, sizeof(data)) != sizeof(data))
		return -1;
	t_r = now_ns();
	if (ioctl(fd, RTC_AIE_OFF, 0) < 0)
		return -1;
	k = (t_r - t_a + 500000000LL) / 1000000000LL;
	*latency_ns = t_r - k * 1000000000LL - (t_a + t_b) / 2;
	*bracket_ns = (t_b - t_a) / 2;
	return 0;
}

static int alarms(const char *dev, long rounds)
{
	long long best = 0, best_bracket = 0, ns, bracket;
	int fd = open(dev, O_RDONLY);
	long r;

	if (fd < 0) {
		fprintf(stderr, "rtc-bench: open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	for (r = 0; r < rounds; r++) {
		if (alarm_round(fd, &ns, &bracket) < 0) {
			fprintf(stderr, "rtc-bench: alarm on %s: %s\n", dev, strerror(errno));
			close(fd);
			return 1;
		}
		if (r == 0 || ns < best) {
			best = ns;
			best_bracket = bracket;
		}
	}
	printf("bench: ns_alarm_read=%lld\n", best);
	printf("bench: ns_alarm_read_bracket=%lld alarm_rounds=%ld\n", best_bracket, rounds);
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
	if (argc == 4 && !strcmp(argv[1], "alarm")) {
		long rounds = strtol(argv[3], NULL, 10);

		if (rounds <= 0) {
			fprintf(stderr, "rtc-bench: ROUNDS must be positive\n");
			return 2;
		}
		return alarms(argv[2], rounds);
	}
	fprintf(stderr, "usage: %s syscalls | ioctl DEVICE CALLS ROUNDS | alarm DEVICE ROUNDS\n",
		argv[0]);
	return 2;
}
