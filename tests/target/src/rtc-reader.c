// SPDX-License-Identifier: GPL-2.0
/*
 * Two small RTC character-device jobs for the rebind suite.
 *
 * usage: rtc-reader time DEVICE
 *   RTC_RD_TIME, then the system time right after it. Prints
 *     rtc=1893456010 sys=1893456010
 *   (seconds since the epoch, UTC) and exits 0, or says why not on stderr
 *   and exits 1.
 *
 * usage: rtc-reader block DEVICE SECS
 *   Arm the alarm SECS seconds after the RTC's current time (RTC_ALM_SET,
 *   then RTC_AIE_ON), print
 *     armed rtc=1893456010 alarm=1893456015
 *   and block in one read() of the device. Then print what that read()
 *   gave and exit:
 *     read: error ENODEV (No such device)   exit 0
 *     read: EOF                             exit 0
 *     read: event data 0x120                exit 2 (an RTC event arrived)
 *   Setup failures print why on stderr and exit 1. A signal ends the
 *   program the default way (no handlers), so the shell sees 128 + signal.
 *
 * The rebind suite leaves "block" waiting in read() while it unbinds the
 * device's driver: whether that read() returns, and with what, is what it
 * looks at.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/rtc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "rtc-tm.h"

static const char *errno_name(int e)
{
	switch (e) {
	case ENODEV: return "ENODEV";
	case ENXIO: return "ENXIO";
	case EIO: return "EIO";
	case EINTR: return "EINTR";
	case EAGAIN: return "EAGAIN";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case ESHUTDOWN: return "ESHUTDOWN";
	default: return "errno";
	}
}

static int open_rtc(const char *dev)
{
	int fd = open(dev, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "rtc-reader: open %s: %s %d (%s)\n", dev,
			errno_name(errno), errno, strerror(errno));
	return fd;
}

/* RTC_RD_TIME as seconds since the epoch; -1 with a message on failure. */
static int rtc_now(int fd, time_t *now)
{
	struct rtc_time rt;

	memset(&rt, 0, sizeof(rt));
	if (ioctl(fd, RTC_RD_TIME, &rt) < 0) {
		fprintf(stderr, "rtc-reader: RTC_RD_TIME: %s %d (%s)\n",
			errno_name(errno), errno, strerror(errno));
		return -1;
	}
	*now = rtc_tm_to_epoch(&rt);
	return 0;
}

static int do_time(const char *dev)
{
	time_t rtc;
	int fd = open_rtc(dev);

	if (fd < 0 || rtc_now(fd, &rtc))
		return 1;
	printf("rtc=%lld sys=%lld\n", (long long)rtc, (long long)time(NULL));
	close(fd);
	return 0;
}

static int do_block(const char *dev, long secs)
{
	struct rtc_time rt;
	unsigned long data = 0;
	time_t now, at;
	ssize_t n;
	int fd = open_rtc(dev);

	if (fd < 0 || rtc_now(fd, &now))
		return 1;
	at = now + secs;
	epoch_to_rtc_tm(at, &rt);
	if (ioctl(fd, RTC_ALM_SET, &rt) < 0) {
		fprintf(stderr, "rtc-reader: RTC_ALM_SET: %s %d (%s)\n",
			errno_name(errno), errno, strerror(errno));
		return 1;
	}
	if (ioctl(fd, RTC_AIE_ON, 0) < 0) {
		fprintf(stderr, "rtc-reader: RTC_AIE_ON: %s %d (%s)\n",
			errno_name(errno), errno, strerror(errno));
		return 1;
	}
	printf("armed rtc=%lld alarm=%lld\n", (long long)now, (long long)at);
	fflush(stdout);

	n = read(fd, &data, sizeof(data));
	if (n < 0) {
		printf("read: error %s %d (%s)\n", errno_name(errno), errno, strerror(errno));
		return 0;
	}
	if (n == 0) {
		printf("read: EOF\n");
		return 0;
	}
	printf("read: event data 0x%lx (%zd bytes)\n", data, n);
	return 2;
}

int main(int argc, char **argv)
{
	char *end;
	long secs;

	if (argc == 3 && !strcmp(argv[1], "time"))
		return do_time(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "block")) {
		secs = strtol(argv[3], &end, 10);
		if (*argv[3] && !*end && secs > 0 && secs < 3600)
			return do_block(argv[2], secs);
	}
	fprintf(stderr, "usage: %s time DEVICE\n       %s block DEVICE SECS (1..3599)\n",
		argv[0], argv[0]);
	return 1;
}
