/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct rtc_time <-> seconds since the epoch in 64 bits, for the test
 * programs that handle times past 2038 or out of range (time_t is 32-bit
 * on this ABI, so timegm() and rtc-tm.h cannot): proleptic Gregorian, UTC,
 * any field value, no normalisation.
 */
#ifndef RTC_TM64_H
#define RTC_TM64_H

#include <linux/rtc.h>
#include <string.h>

/* Days since 1970-01-01 of year y, month m (1..12), day d. */
static inline long long days_of(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The calendar fields of @tm as seconds since the epoch. */
static inline long long tm_secs(const struct rtc_time *tm)
{
	return days_of(tm->tm_year + 1900LL, tm->tm_mon + 1, tm->tm_mday) * 86400 +
	       tm->tm_hour * 3600LL + tm->tm_min * 60LL + tm->tm_sec;
}

/* @t as calendar fields; wday, yday and isdst 0. */
static inline void secs_tm(long long t, struct rtc_time *tm)
{
	long long days = t / 86400, s = t % 86400, era, doe, yoe, y, doy, mp;

	if (s < 0) {
		s += 86400;
		days--;
	}
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	memset(tm, 0, sizeof(*tm));
	tm->tm_mday = doy - (153 * mp + 2) / 5 + 1;
	tm->tm_mon = mp < 10 ? mp + 2 : mp - 10;
	tm->tm_year = y + (tm->tm_mon <= 1) - 1900;
	tm->tm_hour = s / 3600;
	tm->tm_min = s / 60 % 60;
	tm->tm_sec = s % 60;
}

#endif /* RTC_TM64_H */
