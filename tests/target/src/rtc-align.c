// SPDX-License-Identifier: GPL-2.0
/*
 * Start a command at a chosen point of the RTC's second (and minute).
 *
 * usage: rtc-align [-d DEVICE] [-s SEC] [-p MS] [-- COMMAND [ARGS...]]
 *   -s SEC  first set the RTC's seconds field to SEC (date, hour and
 *           minute are kept), with RTC_SET_TIME
 *   -p MS   after the next tick of the RTC's seconds, wait MS ms
 *           (default 0)
 * Then run COMMAND in this process (exec), so that it starts MS ms after
 * the RTC ticked to SEC + 1. The RTC is closed first: /dev/rtcN can be
 * open only once. Alignment is best effort: when the RTC cannot be set
 * or read, or does not tick, say so on stderr and run COMMAND anyway
 * (other tests judge the RTC; this one only sets up the conditions).
 *
 * The tick is found by polling RTC_RD_TIME every 2 ms; no interrupt is
 * used, so this works the same whatever the driver does with its alarm.
 * Why: the kernel's rtctest reads the RTC for 30 s against a 32 s limit
 * from its first read, and waits for whole minutes in two cases; where
 * in the second and minute it starts decides how close it comes to the
 * limit and how long it runs.
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

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Set the seconds (sec >= 0), wait for the next tick, then phase ms.
 * 0 when done, -1 with a message when the RTC did not cooperate.
 */
static int align(const char *dev, long sec, long phase, struct rtc_time *tm)
{
	struct rtc_time first;
	long long start;
	int fd = open(dev, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "rtc-align: open %s: %s\n", dev, strerror(errno));
		return -1;
	}
	if (ioctl(fd, RTC_RD_TIME, &first) < 0) {
		fprintf(stderr, "rtc-align: RTC_RD_TIME: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	if (sec >= 0) {
		first.tm_sec = sec;
		if (ioctl(fd, RTC_SET_TIME, &first) < 0)
			fprintf(stderr, "rtc-align: RTC_SET_TIME: %s\n", strerror(errno));
		else if (ioctl(fd, RTC_RD_TIME, &first) < 0) {
			fprintf(stderr, "rtc-align: RTC_RD_TIME: %s\n", strerror(errno));
			close(fd);
			return -1;
		}
	}

	start = mono_ms();
	do {
		if (mono_ms() - start > 2500) {
			fprintf(stderr, "rtc-align: the RTC's seconds did not change in 2.5 s\n");
			close(fd);
			return -1;
		}
		sleep_ms(2);
		if (ioctl(fd, RTC_RD_TIME, tm) < 0) {
			fprintf(stderr, "rtc-align: RTC_RD_TIME: %s\n", strerror(errno));
			close(fd);
			return -1;
		}
	} while (tm->tm_sec == first.tm_sec);
	close(fd);
	sleep_ms(phase);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/rtc0";
	long sec = -1, phase = 0;
	struct rtc_time tm;
	int opt;

	while ((opt = getopt(argc, argv, "+d:s:p:")) != -1) {
		switch (opt) {
		case 'd':
			dev = optarg;
			break;
		case 's':
			sec = strtol(optarg, NULL, 10);
			break;
		case 'p':
			phase = strtol(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: %s [-d DEVICE] [-s SEC] [-p MS] [-- COMMAND...]\n",
				argv[0]);
			return 2;
		}
	}
	if (sec > 59 || phase < 0 || phase > 999) {
		fprintf(stderr, "rtc-align: -s must be 0..59 and -p 0..999\n");
		return 2;
	}

	if (align(dev, sec, phase, &tm) == 0)
		fprintf(stderr, "rtc-align: RTC ticked to %04d-%02d-%02dT%02d:%02d:%02dZ, "
			"starting %ld ms later\n", tm.tm_year + 1900, tm.tm_mon + 1,
			tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, phase);
	else
		fprintf(stderr, "rtc-align: could not align, starting anyway\n");
	if (optind < argc) {
		fflush(NULL);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "rtc-align: exec %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	return 0;
}
