// SPDX-License-Identifier: GPL-2.0
/*
 * Try every alarm operation of an RTC device once and print what each
 * returned, for a PL031 described without its interrupt.
 *
 * usage: rtc-alarm-ops DEVICE
 *
 * Output, one line per call, "NAME ok" or "NAME errno:EINVAL(22)":
 *   rd_time, alm_read, wkalm_rd, alm_set, wkalm_set, aie_on, aie_off, uie_on,
 *   uie_off
 * The alarms asked for are one hour after the RTC's time, enabled, so a
 * driver that accepted them would leave an armed alarm (checked by the
 * caller with wkalm_rd's result). Exit status 0 once every line is
 * printed, 2 when the device cannot be opened or its time read.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/rtc.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "rtc-tm.h"

static void report(const char *name, int ret)
{
	if (ret == 0)
		printf("%s ok\n", name);
	else
		printf("%s errno:%s(%d)\n", name,
		       errno == EINVAL ? "EINVAL" : errno == ENOTTY ? "ENOTTY" :
		       errno == EIO ? "EIO" : errno == EPERM ? "EPERM" :
		       errno == EBUSY ? "EBUSY" : errno == ERANGE ? "ERANGE" : "E?",
		       errno);
}

int main(int argc, char **argv)
{
	struct rtc_wkalrm wk;
	struct rtc_time tm, at;
	time_t t;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DEVICE\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "rtc-alarm-ops: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (ioctl(fd, RTC_RD_TIME, &tm) < 0) {
		fprintf(stderr, "rtc-alarm-ops: RTC_RD_TIME on %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	printf("rd_time ok\n");

	/* One hour ahead. */
	t = rtc_tm_to_epoch(&tm) + 3600;
	epoch_to_rtc_tm(t, &at);

	memset(&wk, 0, sizeof(wk));
	report("alm_read", ioctl(fd, RTC_ALM_READ, &wk.time));
	report("wkalm_rd", ioctl(fd, RTC_WKALM_RD, &wk));
	report("alm_set", ioctl(fd, RTC_ALM_SET, &at));
	memset(&wk, 0, sizeof(wk));
	wk.enabled = 1;
	wk.time = at;
	report("wkalm_set", ioctl(fd, RTC_WKALM_SET, &wk));
	report("aie_on", ioctl(fd, RTC_AIE_ON, 0));
	report("aie_off", ioctl(fd, RTC_AIE_OFF, 0));
	report("uie_on", ioctl(fd, RTC_UIE_ON, 0));
	report("uie_off", ioctl(fd, RTC_UIE_OFF, 0));
	close(fd);
	return 0;
}
