// SPDX-License-Identifier: GPL-2.0
/*
 * Write a string to a file with the Nth fault-injection point of this
 * thread's write() made to fail (Documentation/fault-injection/
 * fault-injection.rst, "fail-nth").
 *
 * usage: fail-nth N FILE STRING
 *
 * FILE is opened first; then N goes to /proc/thread-self/fail-nth and
 * STRING is written to FILE with one write(). Only the calls to the
 * enabled fault attributes (failslab, fail_page_alloc...) made inside that
 * write() count, so N enumerates the allocations of, say, a sysfs `bind`
 * and the driver probe it runs in this thread. Right after the write the
 * counter is read back: 0 means the Nth call was made and failed; a
 * positive value means the write made fewer than N calls.
 *
 * Output, one line:
 *   pid=PID nth=N write=ok injected=yes|no
 *   pid=PID nth=N write=errno:ENOMEM(12) injected=yes|no
 * The pid lets kmemleak's reports ("comm ..., pid PID") be matched to N.
 * Exit status 0 when the line was printed, 2 on a usage or setup error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *errno_name(int e)
{
	switch (e) {
	case ENOMEM: return "ENOMEM";
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case ENODEV: return "ENODEV";
	case ENXIO: return "ENXIO";
	case EEXIST: return "EEXIST";
	case EAGAIN: return "EAGAIN";
	case EIO: return "EIO";
	case ENOSPC: return "ENOSPC";
	case EFAULT: return "EFAULT";
	case ERANGE: return "ERANGE";
	case ENOENT: return "ENOENT";
	case EPERM: return "EPERM";
	default: return "E?";
	}
}

int main(int argc, char **argv)
{
	char buf[32];
	unsigned long n;
	char *end;
	ssize_t len;
	int fd, nth_fd, err = 0;
	long left;

	if (argc != 4) {
		fprintf(stderr, "usage: %s N FILE STRING\n", argv[0]);
		return 2;
	}
	n = strtoul(argv[1], &end, 10);
	if (!*argv[1] || *end || n == 0 || n > 1000000) {
		fprintf(stderr, "fail-nth: bad N '%s' (1..1000000)\n", argv[1]);
		return 2;
	}
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth_fd < 0) {
		fprintf(stderr, "fail-nth: /proc/thread-self/fail-nth: %s (CONFIG_FAULT_INJECTION?)\n",
			strerror(errno));
		return 2;
	}
	fd = open(argv[2], O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "fail-nth: %s: %s\n", argv[2], strerror(errno));
		return 2;
	}

	len = snprintf(buf, sizeof(buf), "%lu", n);
	if (write(nth_fd, buf, len) != len) {
		fprintf(stderr, "fail-nth: writing %lu to fail-nth: %s\n", n, strerror(errno));
		return 2;
	}
	if (write(fd, argv[3], strlen(argv[3])) < 0)
		err = errno;
	/* Read back, then disarm, before anything else can allocate. */
	len = pread(nth_fd, buf, sizeof(buf) - 1, 0);
	if (len <= 0) {
		fprintf(stderr, "fail-nth: reading fail-nth back: %s\n",
			len < 0 ? strerror(errno) : "empty");
		return 2;
	}
	buf[len] = '\0';
	left = strtol(buf, NULL, 10);
	if (write(nth_fd, "0", 1) != 1) {
		fprintf(stderr, "fail-nth: disarming fail-nth: %s\n", strerror(errno));
		return 2;
	}

	if (err)
		printf("pid=%d nth=%lu write=errno:%s(%d) injected=%s\n", getpid(), n,
		       errno_name(err), err, left == 0 ? "yes" : "no");
	else
		printf("pid=%d nth=%lu write=ok injected=%s\n", getpid(), n,
		       left == 0 ? "yes" : "no");
	return 0;
}
