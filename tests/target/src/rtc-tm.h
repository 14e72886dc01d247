/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct rtc_time <-> seconds since the epoch, in UTC, for the on-target
 * test programs. struct rtc_time has struct tm's first nine fields, but it
 * is a different type, so it is converted field by field.
 */
#ifndef RTC_TM_H
#define RTC_TM_H

#include <linux/rtc.h>
#include <string.h>
#include <time.h>

/* The calendar fields of @rt as seconds since the epoch (timegm). */
static inline time_t rtc_tm_to_epoch(const struct rtc_time *rt)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_sec = rt->tm_sec;
	tm.tm_min = rt->tm_min;
	tm.tm_hour = rt->tm_hour;
	tm.tm_mday = rt->tm_mday;
	tm.tm_mon = rt->tm_mon;
	tm.tm_year = rt->tm_year;
	return timegm(&tm);
}

/*
 * @t as an alarm time for RTC_ALM_SET/RTC_WKALM_SET: the calendar fields
 * set, wday/yday/isdst -1 ("don't care"), as busybox's rtcwake does.
 */
static inline void epoch_to_rtc_tm(time_t t, struct rtc_time *rt)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	memset(rt, 0, sizeof(*rt));
	rt->tm_sec = tm.tm_sec;
	rt->tm_min = tm.tm_min;
	rt->tm_hour = tm.tm_hour;
	rt->tm_mday = tm.tm_mday;
	rt->tm_mon = tm.tm_mon;
	rt->tm_year = tm.tm_year;
	rt->tm_wday = -1;
	rt->tm_yday = -1;
	rt->tm_isdst = -1;
}

#endif /* RTC_TM_H */
