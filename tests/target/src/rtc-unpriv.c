// SPDX-License-Identifier: GPL-2.0
/*
 * Setting the clocks needs CAP_SYS_TIME. Open the RTC as root, drop to the
 * user UID (group UID, no supplementary groups, root not regainable), then
 * check one thing:
 *
 *   read     RTC_RD_TIME still works on the descriptor;
 *   set      RTC_SET_TIME fails with EACCES, the RTC core's errno for a
 *            caller without CAP_SYS_TIME (drivers/rtc/dev.c), the same for
 *            every RTC driver;
 *   settime  clock_settime(CLOCK_REALTIME) fails with EPERM.
 *
 * Both setters write the time just read, so a wrongly allowed call does not
 * move the clock by more than the time between the two calls.
 *
 * usage: rtc-unpriv DEVICE UID read|set|settime
 * Exit 0 when the check holds; otherwise print what happened and exit 1.
 * UID 0 stays root: then "set" and "settime" succeed and report a failure,
 * which shows that the checks can fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/rtc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int drop_to(uid_t uid)
{
	if (uid == 0)
		return 0;
	if (setgroups(0, NULL) || setgid(uid) || setuid(uid)) {
		printf("dropping to uid %u failed: %s\n", (unsigned int)uid, strerror(errno));
		return -1;
	}
	if (getuid() != uid || geteuid() != uid || getegid() != uid) {
		printf("still uid %u/euid %u/egid %u after dropping to %u\n", (unsigned int)getuid(),
		       (unsigned int)geteuid(), (unsigned int)getegid(), (unsigned int)uid);
		return -1;
	}
	if (setuid(0) == 0) {
		printf("uid %u could become root again\n", (unsigned int)uid);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct rtc_time tm;
	struct timespec ts;
	const char *check;
	char *end;
	unsigned long uid;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: %s DEVICE UID read|set|settime\n", argv[0]);
		return 2;
	}
	errno = 0;
	uid = strtoul(argv[2], &end, 10);
	if (errno || *end || end == argv[2] || uid > 65535) {
		fprintf(stderr, "%s: bad UID '%s'\n", argv[0], argv[2]);
		return 2;
	}
	check = argv[3];
	if (strcmp(check, "read") && strcmp(check, "set") && strcmp(check, "settime")) {
		fprintf(stderr, "%s: unknown check '%s'\n", argv[0], check);
		return 2;
	}

	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		printf("open %s as root: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (ioctl(fd, RTC_RD_TIME, &tm)) {
		printf("RTC_RD_TIME as root: %s\n", strerror(errno));
		return 1;
	}
	if (drop_to(uid))
		return 1;

	if (!strcmp(check, "read")) {
		if (ioctl(fd, RTC_RD_TIME, &tm)) {
			printf("RTC_RD_TIME as uid %lu: %s\n", uid, strerror(errno));
			return 1;
		}
		return 0;
	}
	if (!strcmp(check, "set")) {
		if (ioctl(fd, RTC_SET_TIME, &tm) == 0) {
			printf("RTC_SET_TIME as uid %lu succeeded, expected EACCES\n", uid);
			return 1;
		}
		if (errno != EACCES) {
			printf("RTC_SET_TIME as uid %lu failed with %s, expected EACCES\n", uid,
			       strerror(errno));
			return 1;
		}
		return 0;
	}
	if (clock_gettime(CLOCK_REALTIME, &ts)) {
		printf("clock_gettime: %s\n", strerror(errno));
		return 1;
	}
	if (clock_settime(CLOCK_REALTIME, &ts) == 0) {
		printf("clock_settime as uid %lu succeeded, expected EPERM\n", uid);
		return 1;
	}
	if (errno != EPERM) {
		printf("clock_settime as uid %lu failed with %s, expected EPERM\n", uid, strerror(errno));
		return 1;
	}
	return 0;
}
