// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-in for "rtcwake -m on -s SECS" where busybox has no rtcwake
 * applet (Debian's busybox-static has none). It makes the same requests
 * as busybox's rtcwake in mode "on": read the RTC, program the alarm for
 * RTC time + SECS + 1 with RTC_ALM_SET and RTC_AIE_ON (the path busybox
 * takes for alarms less than a day away), block in read() until an event
 * with RTC_AF arrives, then RTC_AIE_OFF.
 *
 * usage: rtc-wake [-d DEVICE] -s SECS
 * Exit 0 after the alarm event, 1 on any error.
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

int main(int argc, char **argv)
{
	const char *dev = "/dev/rtc0";
	long secs = -1;
	struct rtc_time rt;
	time_t now, at;
	unsigned long data = 0;
	int fd, opt;

	while ((opt = getopt(argc, argv, "d:s:")) != -1) {
		switch (opt) {
		case 'd':
			dev = optarg;
			break;
		case 's':
			secs = strtol(optarg, NULL, 10);
			break;
		default:
			secs = -1;
			optind = argc + 1;
			break;
		}
	}
	if (secs < 0 || optind != argc) {
		fprintf(stderr, "usage: %s [-d DEVICE] -s SECS\n", argv[0]);
		return 1;
	}

	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "rtc-wake: open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	if (ioctl(fd, RTC_RD_TIME, &rt) < 0) {
		fprintf(stderr, "rtc-wake: RTC_RD_TIME: %s\n", strerror(errno));
		return 1;
	}
	now = rtc_tm_to_epoch(&rt);
	at = now + secs + 1;
	epoch_to_rtc_tm(at, &rt);
	if (ioctl(fd, RTC_ALM_SET, &rt) < 0) {
		fprintf(stderr, "rtc-wake: RTC_ALM_SET: %s\n", strerror(errno));
		return 1;
	}
	if (ioctl(fd, RTC_AIE_ON, 0) < 0) {
		fprintf(stderr, "rtc-wake: RTC_AIE_ON: %s\n", strerror(errno));
		return 1;
	}
	printf("rtc-wake: RTC time %lld, alarm at %lld (%04d-%02d-%02dT%02d:%02d:%02dZ)\n",
	       (long long)now, (long long)at, rt.tm_year + 1900, rt.tm_mon + 1,
	       rt.tm_mday, rt.tm_hour, rt.tm_min, rt.tm_sec);
	fflush(stdout);

	do {
		ssize_t n = read(fd, &data, sizeof(data));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "rtc-wake: read: %s\n", strerror(errno));
			return 1;
		}
	} while (!(data & RTC_AF));
	printf("rtc-wake: event data 0x%lx\n", data);

	if (ioctl(fd, RTC_AIE_OFF, 0) < 0) {
		fprintf(stderr, "rtc-wake: RTC_AIE_OFF: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
