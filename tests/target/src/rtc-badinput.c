// SPDX-License-Identifier: GPL-2.0
/*
 * Invalid input to every RTC character-device call, on /dev/rtc0.
 *
 * usage: rtc-badinput [--list] [DEVICE]
 *   --list  print the KTAP case names, one per line, and exit
 *
 * For each case of the table below: record the errno (or success), and
 * check that the clock was left alone (RTC_RD_TIME before and after, the
 * normal advance allowed) and so were the alarm (RTC_WKALM_RD) and the
 * periodic frequency (RTC_IRQP_READ). The cases that are meant to
 * succeed check what the RTC core documents instead (an RTC_ALM_SET
 * alarm moved to the next matching time of day, an alarm in the past
 * firing at once, a time at the end of the range read back).
 *
 * Output: one KTAP result line per case, numbered from 1, without the
 * KTAP header (the suite prints it), each followed by a machine-readable
 * line that names no absolute time, so two drivers' runs can be diffed:
 *
 *   ok 4 set_time_month_12_einval
 *   # result set_time_month_12 errno=EINVAL clock_unchanged=1 alarm_unchanged=1
 *
 * Exit status 0 when every case matched the table, 1 otherwise.
 *
 * Before each case an alarm one hour ahead is armed (RTC_WKALM_SET,
 * enabled), so "alarm unchanged" compares a live alarm. The invalid times
 * start from 2040-07-15 13:45:30, years away from the RTC's time, so a
 * driver that wrote any of them could not pass the clock check by luck.
 * At the end the alarm is disabled and the clock is where it would have
 * been (cases that set it put it back).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/rtc.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "rtc-tm64.h"

/* PL031: a 32-bit seconds counter, range 0..U32_MAX (rtc-pl031.c). */
#define RANGE_MAX 4294967295LL

enum op {
	OP_READ_SHORT,	/* read() of 2 bytes */
	OP_READ_NONBLOCK, /* O_NONBLOCK read() with no event pending */
	OP_OPEN_AGAIN,	/* a second open() of the device */
	OP_SET_TIME,	/* RTC_SET_TIME with the base time, one field changed */
	OP_ALM_SET,	/* RTC_ALM_SET with the base time, one field changed */
	OP_ALM_SET_PAST, /* RTC_ALM_SET with a time of day already past */
	OP_WKALM_SET,	/* RTC_WKALM_SET, enabled, base time, one field changed */
	OP_WKALM_PAST_ON, /* RTC_WKALM_SET, enabled, one minute ago */
	OP_WKALM_PAST_OFF, /* RTC_WKALM_SET, disabled, one minute ago */
	OP_IOCTL_BUF,	/* request cmd on a buffer holding the base time */
	OP_IOCTL_NULL,	/* request cmd with a NULL pointer */
	OP_IOCTL_ARG,	/* request cmd with the integer argument value */
	OP_PARAM,	/* request cmd on a struct rtc_param {value, value2} */
	OP_SET_TIME_OK,	/* RTC_SET_TIME with a valid time: read back, restore */
};

/* How the base time is changed. */
enum field { F_NONE, F_SEC, F_MIN, F_HOUR, F_MDAY, F_MON, F_YEAR, F_EPOCH,
	     F_FEB29, F_NOW_BAD_WDAY };

struct tcase {
	const char *name;	/* "# result" name; KTAP adds _<errno> or _ok */
	enum op op;
	unsigned long cmd;
	enum field field;
	long long value;
	long long value2;
	int expect;		/* errno, 0 for success */
};

/* Wrong encodings of real RTC requests (asm-generic/ioctl.h layout). */
#define RTC_UNKNOWN_NR	_IO('p', 0x20)
#define RD_TIME_BAD_SIZE _IOC(_IOC_READ, 'p', 0x09, sizeof(struct rtc_time) - 4)
#define SET_TIME_BAD_DIR _IOR('p', 0x0a, struct rtc_time)
#define SET_TIME_NO_DIR	_IOC(_IOC_NONE, 'p', 0x0a, sizeof(struct rtc_time))
#define WKALM_SET_BAD_SIZE _IOC(_IOC_WRITE, 'p', 0x0f, sizeof(struct rtc_wkalrm) + 4)
#define SET_TIME_BAD_TYPE _IOW('q', 0x0a, struct rtc_time)

/*
 * The expected errno of each case, from Linux 6.12: drivers/rtc/dev.c
 * (rtc_dev_open, rtc_dev_read, rtc_dev_ioctl), drivers/rtc/interface.c,
 * drivers/rtc/lib.c (rtc_valid_tm) and drivers/rtc/rtc-pl031.c (no
 * .ioctl, .read_offset, .set_offset or .param_get/set ops; range_max
 * U32_MAX). rtc_valid_tm() rejects tm_year < 70 or > INT_MAX - 1900,
 * (unsigned)tm_mon >= 12, tm_mday < 1 or past the month's last day,
 * and (unsigned) tm_hour >= 24, tm_min >= 60, tm_sec >= 60.
 */
static const struct tcase cases[] = {
	/* rtc_dev_read(): count != sizeof(int) && count < sizeof(long) */
	{ "read_size_2", OP_READ_SHORT, 0, F_NONE, 0, 0, EINVAL },
	/* rtc_dev_read(): no irq_data and O_NONBLOCK */
	{ "read_nonblock_no_event", OP_READ_NONBLOCK, 0, F_NONE, 0, 0, EAGAIN },
	/* rtc_dev_open(): test_and_set_bit_lock(RTC_DEV_BUSY) already set */
	{ "open_twice", OP_OPEN_AGAIN, 0, F_NONE, 0, 0, EBUSY },

	/* RTC_SET_TIME: rtc_dev_ioctl() -> rtc_set_time() -> rtc_valid_tm() */
	{ "set_time_month_12", OP_SET_TIME, 0, F_MON, 12, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_tm(): (unsigned int)-1 >= 12 */
	{ "set_time_month_neg", OP_SET_TIME, 0, F_MON, -1, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_tm(): tm_mday < 1 */
	{ "set_time_mday_0", OP_SET_TIME, 0, F_MDAY, 0, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_tm(): tm_mday > rtc_month_days() (31) */
	{ "set_time_mday_32", OP_SET_TIME, 0, F_MDAY, 32, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_tm(): tm_mday < 1 */
	{ "set_time_mday_neg", OP_SET_TIME, 0, F_MDAY, -1, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_tm(): 2031-02-29, rtc_month_days() 28 */
	{ "set_time_feb_29_2031", OP_SET_TIME, 0, F_FEB29, 0, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_tm(): (unsigned int)tm_hour >= 24 */
	{ "set_time_hour_24", OP_SET_TIME, 0, F_HOUR, 24, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_tm(): (unsigned int)-1 >= 24 */
	{ "set_time_hour_neg", OP_SET_TIME, 0, F_HOUR, -1, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_tm(): (unsigned int)tm_min >= 60 */
	{ "set_time_min_60", OP_SET_TIME, 0, F_MIN, 60, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_tm(): (unsigned int)-1 >= 60 */
	{ "set_time_min_neg", OP_SET_TIME, 0, F_MIN, -1, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_tm(): (unsigned int)tm_sec >= 60, no leap second */
	{ "set_time_sec_60", OP_SET_TIME, 0, F_SEC, 60, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_tm(): (unsigned int)-1 >= 60 */
	{ "set_time_sec_neg", OP_SET_TIME, 0, F_SEC, -1, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_tm(): tm_year < 70 (1969) */
	{ "set_time_year_1969", OP_SET_TIME, 0, F_YEAR, 69, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_tm(): tm_year < 70 */
	{ "set_time_year_neg", OP_SET_TIME, 0, F_YEAR, -1, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_tm(): tm_year > INT_MAX - 1900 */
	{ "set_time_year_int_max", OP_SET_TIME, 0, F_YEAR, INT_MAX - 1900 + 1LL, 0, EINVAL },
	/* rtc_set_time() -> rtc_valid_range(): 2106-02-07T06:28:16Z > range_max U32_MAX */
	{ "set_time_after_range", OP_SET_TIME, 0, F_EPOCH, RANGE_MAX + 1, 0, ERANGE },
	/* rtc_set_time() -> rtc_valid_range(): 2107-01-01T00:00:00Z > U32_MAX */
	{ "set_time_year_2107", OP_SET_TIME, 0, F_EPOCH, 4323283200LL, 0, ERANGE },
	/* rtc_dev_ioctl() RTC_SET_TIME: copy_from_user() of NULL */
	{ "set_time_null", OP_IOCTL_NULL, RTC_SET_TIME, F_NONE, 0, 0, EFAULT },

	/*
	 * RTC_ALM_SET: rtc_dev_ioctl() replaces tm_mday, tm_mon and tm_year
	 * by today's, then rtc_valid_tm(): only the time of day can be wrong.
	 * A valid time of day gives 0 and an alarm at its next occurrence
	 * (today, or tomorrow when already past), disabled.
	 */
	{ "alm_set_month_12", OP_ALM_SET, 0, F_MON, 12, 0, 0 },
	/* rtc_dev_ioctl() RTC_ALM_SET: tm_mon replaced; rtc_set_alarm() */
	{ "alm_set_month_neg", OP_ALM_SET, 0, F_MON, -1, 0, 0 },
	/* rtc_dev_ioctl() RTC_ALM_SET: tm_mday replaced; rtc_set_alarm() */
	{ "alm_set_mday_0", OP_ALM_SET, 0, F_MDAY, 0, 0, 0 },
	/* rtc_dev_ioctl() RTC_ALM_SET: tm_mday replaced; rtc_set_alarm() */
	{ "alm_set_mday_32", OP_ALM_SET, 0, F_MDAY, 32, 0, 0 },
	/* rtc_dev_ioctl() RTC_ALM_SET: tm_mday replaced; rtc_set_alarm() */
	{ "alm_set_mday_neg", OP_ALM_SET, 0, F_MDAY, -1, 0, 0 },
	/* rtc_dev_ioctl() RTC_ALM_SET: date replaced; rtc_set_alarm() */
	{ "alm_set_feb_29_2031", OP_ALM_SET, 0, F_FEB29, 0, 0, 0 },
	/* rtc_dev_ioctl() RTC_ALM_SET -> rtc_valid_tm(): tm_hour >= 24 */
	{ "alm_set_hour_24", OP_ALM_SET, 0, F_HOUR, 24, 0, EINVAL },
	/* rtc_dev_ioctl() RTC_ALM_SET -> rtc_valid_tm(): (unsigned int)-1 >= 24 */
	{ "alm_set_hour_neg", OP_ALM_SET, 0, F_HOUR, -1, 0, EINVAL },
	/* rtc_dev_ioctl() RTC_ALM_SET -> rtc_valid_tm(): tm_min >= 60 */
	{ "alm_set_min_60", OP_ALM_SET, 0, F_MIN, 60, 0, EINVAL },
	/* rtc_dev_ioctl() RTC_ALM_SET -> rtc_valid_tm(): (unsigned int)-1 >= 60 */
	{ "alm_set_min_neg", OP_ALM_SET, 0, F_MIN, -1, 0, EINVAL },
	/* rtc_dev_ioctl() RTC_ALM_SET -> rtc_valid_tm(): tm_sec >= 60 */
	{ "alm_set_sec_60", OP_ALM_SET, 0, F_SEC, 60, 0, EINVAL },
	/* rtc_dev_ioctl() RTC_ALM_SET -> rtc_valid_tm(): (unsigned int)-1 >= 60 */
	{ "alm_set_sec_neg", OP_ALM_SET, 0, F_SEC, -1, 0, EINVAL },
	/* rtc_dev_ioctl() RTC_ALM_SET: tm_year replaced; rtc_set_alarm() */
	{ "alm_set_year_1969", OP_ALM_SET, 0, F_YEAR, 69, 0, 0 },
	/* rtc_dev_ioctl() RTC_ALM_SET: tm_year replaced; rtc_set_alarm() */
	{ "alm_set_year_neg", OP_ALM_SET, 0, F_YEAR, -1, 0, 0 },
	/* rtc_dev_ioctl() RTC_ALM_SET: tm_year replaced; rtc_set_alarm() */
	{ "alm_set_year_int_max", OP_ALM_SET, 0, F_YEAR, INT_MAX - 1900 + 1LL, 0, 0 },
	/* rtc_dev_ioctl() RTC_ALM_SET: 2106 date replaced, 06:28:16 kept */
	{ "alm_set_after_range", OP_ALM_SET, 0, F_EPOCH, RANGE_MAX + 1, 0, 0 },
	/* rtc_dev_ioctl() RTC_ALM_SET: "alarm may need to wrap into tomorrow" */
	{ "alm_set_past", OP_ALM_SET_PAST, 0, F_NONE, 0, 0, 0 },
	/* rtc_dev_ioctl() RTC_ALM_SET: copy_from_user() of NULL */
	{ "alm_set_null", OP_IOCTL_NULL, RTC_ALM_SET, F_NONE, 0, 0, EFAULT },

	/* RTC_WKALM_SET: rtc_dev_ioctl() -> rtc_set_alarm() -> rtc_valid_tm() */
	{ "wkalm_set_month_12", OP_WKALM_SET, 0, F_MON, 12, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_tm(): (unsigned int)-1 >= 12 */
	{ "wkalm_set_month_neg", OP_WKALM_SET, 0, F_MON, -1, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_tm(): tm_mday < 1 */
	{ "wkalm_set_mday_0", OP_WKALM_SET, 0, F_MDAY, 0, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_tm(): tm_mday > rtc_month_days() */
	{ "wkalm_set_mday_32", OP_WKALM_SET, 0, F_MDAY, 32, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_tm(): tm_mday < 1 */
	{ "wkalm_set_mday_neg", OP_WKALM_SET, 0, F_MDAY, -1, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_tm(): 2031-02-29 */
	{ "wkalm_set_feb_29_2031", OP_WKALM_SET, 0, F_FEB29, 0, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_tm(): tm_hour >= 24 */
	{ "wkalm_set_hour_24", OP_WKALM_SET, 0, F_HOUR, 24, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_tm(): (unsigned int)-1 >= 24 */
	{ "wkalm_set_hour_neg", OP_WKALM_SET, 0, F_HOUR, -1, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_tm(): tm_min >= 60 */
	{ "wkalm_set_min_60", OP_WKALM_SET, 0, F_MIN, 60, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_tm(): (unsigned int)-1 >= 60 */
	{ "wkalm_set_min_neg", OP_WKALM_SET, 0, F_MIN, -1, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_tm(): tm_sec >= 60 */
	{ "wkalm_set_sec_60", OP_WKALM_SET, 0, F_SEC, 60, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_tm(): (unsigned int)-1 >= 60 */
	{ "wkalm_set_sec_neg", OP_WKALM_SET, 0, F_SEC, -1, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_tm(): tm_year < 70 */
	{ "wkalm_set_year_1969", OP_WKALM_SET, 0, F_YEAR, 69, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_tm(): tm_year < 70 */
	{ "wkalm_set_year_neg", OP_WKALM_SET, 0, F_YEAR, -1, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_tm(): tm_year > INT_MAX - 1900 */
	{ "wkalm_set_year_int_max", OP_WKALM_SET, 0, F_YEAR, INT_MAX - 1900 + 1LL, 0, EINVAL },
	/* rtc_set_alarm() -> rtc_valid_range(): > range_max U32_MAX */
	{ "wkalm_set_after_range", OP_WKALM_SET, 0, F_EPOCH, RANGE_MAX + 1, 0, ERANGE },
	/* rtc_set_alarm() -> rtc_valid_range(): > range_max U32_MAX */
	{ "wkalm_set_year_2107", OP_WKALM_SET, 0, F_EPOCH, 4323283200LL, 0, ERANGE },
	/*
	 * rtc_set_alarm() -> rtc_timer_enqueue(): __rtc_set_alarm() returns
	 * -ETIME for a time <= now, which rtc_timer_enqueue() turns into 0 and
	 * an immediate rtc_timer_do_work(): the alarm event (RTC_AF) arrives
	 * at once and the alarm reads back disabled at the time given.
	 */
	{ "wkalm_set_past_enabled", OP_WKALM_PAST_ON, 0, F_NONE, 0, 0, 0 },
	/* rtc_set_alarm(): not enabled, only aie_timer's time is stored; 0 */
	{ "wkalm_set_past_disabled", OP_WKALM_PAST_OFF, 0, F_NONE, 0, 0, 0 },
	/* rtc_dev_ioctl() RTC_WKALM_SET: copy_from_user() of NULL */
	{ "wkalm_set_null", OP_IOCTL_NULL, RTC_WKALM_SET, F_NONE, 0, 0, EFAULT },

	/* rtc_dev_ioctl() default: no ops->ioctl in rtc-pl031 -> -ENOTTY */
	{ "ioctl_unknown_nr", OP_IOCTL_BUF, RTC_UNKNOWN_NR, F_NONE, 0, 0, ENOTTY },
	/* rtc_dev_ioctl() default: size field != RTC_RD_TIME's -> -ENOTTY */
	{ "ioctl_rd_time_bad_size", OP_IOCTL_BUF, RD_TIME_BAD_SIZE, F_NONE, 0, 0, ENOTTY },
	/* rtc_dev_ioctl() default: _IOR instead of RTC_SET_TIME's _IOW -> -ENOTTY */
	{ "ioctl_set_time_bad_dir", OP_IOCTL_BUF, SET_TIME_BAD_DIR, F_NONE, 0, 0, ENOTTY },
	/* rtc_dev_ioctl() default: _IOC_NONE instead of _IOW -> -ENOTTY */
	{ "ioctl_set_time_no_dir", OP_IOCTL_BUF, SET_TIME_NO_DIR, F_NONE, 0, 0, ENOTTY },
	/* rtc_dev_ioctl() default: size field != RTC_WKALM_SET's -> -ENOTTY */
	{ "ioctl_wkalm_set_bad_size", OP_IOCTL_BUF, WKALM_SET_BAD_SIZE, F_NONE, 0, 0, ENOTTY },
	/* rtc_dev_ioctl() default: type 'q' instead of 'p' -> -ENOTTY */
	{ "ioctl_set_time_bad_type", OP_IOCTL_BUF, SET_TIME_BAD_TYPE, F_NONE, 0, 0, ENOTTY },
	/* rtc_dev_ioctl() default: the core has no RTC_EPOCH_READ -> -ENOTTY */
	{ "epoch_read", OP_IOCTL_BUF, RTC_EPOCH_READ, F_NONE, 0, 0, ENOTTY },
	/* rtc_dev_ioctl(): CAP_SYS_TIME check passes (root), then default -> -ENOTTY */
	{ "epoch_set", OP_IOCTL_ARG, RTC_EPOCH_SET, F_NONE, 2000, 0, ENOTTY },
	/* rtc_dev_ioctl() default: no RTC_VL_READ without ops->ioctl -> -ENOTTY */
	{ "vl_read", OP_IOCTL_BUF, RTC_VL_READ, F_NONE, 0, 0, ENOTTY },
	/* rtc_dev_ioctl() default: no RTC_PLL_GET without ops->ioctl -> -ENOTTY */
	{ "pll_get", OP_IOCTL_BUF, RTC_PLL_GET, F_NONE, 0, 0, ENOTTY },
	/* rtc_dev_ioctl() default: no RTC_WIE_ON without ops->ioctl -> -ENOTTY */
	{ "wie_on", OP_IOCTL_ARG, RTC_WIE_ON, F_NONE, 0, 0, ENOTTY },

	/* rtc_dev_ioctl() RTC_IRQP_SET -> rtc_irq_set_freq(): freq <= 0 */
	{ "irqp_set_0", OP_IOCTL_ARG, RTC_IRQP_SET, F_NONE, 0, 0, EINVAL },
	/* rtc_irq_set_freq(): (int)-1 <= 0 */
	{ "irqp_set_neg", OP_IOCTL_ARG, RTC_IRQP_SET, F_NONE, -1, 0, EINVAL },
	/* rtc_irq_set_freq(): freq > RTC_MAX_FREQ (8192) */
	{ "irqp_set_8193", OP_IOCTL_ARG, RTC_IRQP_SET, F_NONE, RTC_MAX_FREQ + 1, 0, EINVAL },

	/* rtc_dev_ioctl() RTC_PARAM_GET RTC_PARAM_FEATURES: index != 0 */
	{ "param_get_features_index_1", OP_PARAM, RTC_PARAM_GET, F_NONE,
	  RTC_PARAM_FEATURES, 1, EINVAL },
	/* rtc_dev_ioctl() RTC_PARAM_GET default: no ops->param_get */
	{ "param_get_unknown", OP_PARAM, RTC_PARAM_GET, F_NONE, 99, 0, EINVAL },
	/* rtc_dev_ioctl() RTC_PARAM_GET -> rtc_read_offset(): no ops->read_offset */
	{ "param_get_correction", OP_PARAM, RTC_PARAM_GET, F_NONE,
	  RTC_PARAM_CORRECTION, 0, EINVAL },
	/* rtc_dev_ioctl() RTC_PARAM_SET RTC_PARAM_FEATURES: read-only */
	{ "param_set_features", OP_PARAM, RTC_PARAM_SET, F_NONE,
	  RTC_PARAM_FEATURES, 0, EINVAL },
	/* rtc_dev_ioctl() RTC_PARAM_SET -> rtc_set_offset(): no ops->set_offset */
	{ "param_set_correction", OP_PARAM, RTC_PARAM_SET, F_NONE,
	  RTC_PARAM_CORRECTION, 0, EINVAL },
	/* rtc_dev_ioctl() RTC_PARAM_SET default: no ops->param_set */
	{ "param_set_unknown", OP_PARAM, RTC_PARAM_SET, F_NONE, 99, 0, EINVAL },
	/* rtc_dev_ioctl() RTC_PARAM_GET: copy_from_user() of NULL */
	{ "param_get_null", OP_IOCTL_NULL, RTC_PARAM_GET, F_NONE, 0, 0, EFAULT },

	/* rtc_dev_ioctl() RTC_RD_TIME: copy_to_user() to NULL */
	{ "rd_time_null", OP_IOCTL_NULL, RTC_RD_TIME, F_NONE, 0, 0, EFAULT },
	/* rtc_dev_ioctl() RTC_ALM_READ: copy_to_user() to NULL */
	{ "alm_read_null", OP_IOCTL_NULL, RTC_ALM_READ, F_NONE, 0, 0, EFAULT },
	/* rtc_dev_ioctl() RTC_WKALM_RD: copy_to_user() to NULL */
	{ "wkalm_rd_null", OP_IOCTL_NULL, RTC_WKALM_RD, F_NONE, 0, 0, EFAULT },
	/* rtc_dev_ioctl() RTC_IRQP_READ: put_user() to NULL */
	{ "irqp_read_null", OP_IOCTL_NULL, RTC_IRQP_READ, F_NONE, 0, 0, EFAULT },

	/*
	 * Valid controls, so that the cases above cannot pass on a device that
	 * refuses everything. rtc_valid_tm() does not look at tm_wday, tm_yday
	 * or tm_isdst: setting the current time with nonsense there succeeds.
	 */
	{ "set_time_bad_wday_ignored", OP_SET_TIME_OK, 0, F_NOW_BAD_WDAY, 0, 0, 0 },
	/* rtc_set_time(): 2038-01-19T03:14:08Z, past a signed 32-bit time_t */
	{ "set_time_2038", OP_SET_TIME_OK, 0, F_EPOCH, 2147483648LL, 0, 0 },
	/* rtc_set_time() -> rtc_valid_range(): U32_MAX - 5, inside the range */
	{ "set_time_end_of_range", OP_SET_TIME_OK, 0, F_EPOCH, RANGE_MAX - 5, 0, 0 },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static const char *dev = "/dev/rtc0";
static int fd = -1;

/* --- time arithmetic, 64-bit (time_t is 32-bit on this ABI) --- */

static const char *fmt_tm(const struct rtc_time *tm, char *buf, size_t size)
{
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", tm->tm_year + 1900,
		 tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
	return buf;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static const char *errname(int e)
{
	static char buf[16];

	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case EFAULT: return "EFAULT";
	case ENOTTY: return "ENOTTY";
	case EBUSY: return "EBUSY";
	case EAGAIN: return "EAGAIN";
	case ETIME: return "ETIME";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ENODEV: return "ENODEV";
	case EIO: return "EIO";
	case EINTR: return "EINTR";
	case ENOSYS: return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	}
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

/* The KTAP name: the result name and the expected outcome, lower case. */
static const char *ktap_name(const struct tcase *c)
{
	static char name[96];
	size_t i;

	snprintf(name, sizeof(name), "%s_%s", c->name,
		 c->expect ? errname(c->expect) : "ok");
	for (i = strlen(c->name); name[i]; i++)
		if (name[i] >= 'A' && name[i] <= 'Z')
			name[i] += 'a' - 'A';
	return name;
}

/* --- device state --- */

struct state {
	int ok;			/* all reads below worked */
	long long clock;	/* RTC_RD_TIME, seconds */
	long long mono;		/* CLOCK_MONOTONIC ms at that read */
	struct rtc_wkalrm alarm;
	unsigned long irqp;
};

static void snapshot(struct state *s)
{
	struct rtc_time tm;

	memset(s, 0, sizeof(*s));
	s->ok = ioctl(fd, RTC_RD_TIME, &tm) == 0;
	s->mono = mono_ms();
	if (s->ok)
		s->clock = tm_secs(&tm);
	s->ok = s->ok && ioctl(fd, RTC_WKALM_RD, &s->alarm) == 0;
	s->ok = s->ok && ioctl(fd, RTC_IRQP_READ, &s->irqp) == 0;
}

static int same_alarm(const struct rtc_wkalrm *a, const struct rtc_wkalrm *b)
{
	return a->enabled == b->enabled && tm_secs(&a->time) == tm_secs(&b->time);
}

/* The RTC moved by no more than the time that passed, plus one tick. */
static int clock_kept(const struct state *before, const struct state *after)
{
	long long d = after->clock - before->clock;
	long long elapsed = (after->mono - before->mono + 999) / 1000;

	return before->ok && after->ok && d >= 0 && d <= elapsed + 1;
}

static void put_clock_back(const struct state *before)
{
	struct rtc_time tm;

	secs_tm(before->clock + (mono_ms() - before->mono + 500) / 1000, &tm);
	if (ioctl(fd, RTC_SET_TIME, &tm))
		printf("# could not put the clock back: %s\n", strerror(errno));
}

static int arm_reference_alarm(void)
{
	struct rtc_wkalrm w;
	struct rtc_time tm;

	memset(&w, 0, sizeof(w));
	if (ioctl(fd, RTC_RD_TIME, &tm))
		return -1;
	secs_tm(tm_secs(&tm) + 3600, &w.time);
	w.enabled = 1;
	return ioctl(fd, RTC_WKALM_SET, &w);
}

/* 2040-07-15 13:45:30 with one field changed. */
static void make_time(const struct tcase *c, struct rtc_time *tm)
{
	secs_tm(days_of(2040, 7, 15) * 86400 + 13 * 3600 + 45 * 60 + 30, tm);
	switch (c->field) {
	case F_SEC:
		tm->tm_sec = c->value;
		break;
	case F_MIN:
		tm->tm_min = c->value;
		break;
	case F_HOUR:
		tm->tm_hour = c->value;
		break;
	case F_MDAY:
		tm->tm_mday = c->value;
		break;
	case F_MON:
		tm->tm_mon = c->value;
		break;
	case F_YEAR:
		tm->tm_year = c->value;
		break;
	case F_EPOCH:
		secs_tm(c->value, tm);
		break;
	case F_FEB29:
		tm->tm_year = 2031 - 1900;
		tm->tm_mon = 1;
		tm->tm_mday = 29;
		break;
	case F_NONE:
	case F_NOW_BAD_WDAY:
		break;
	}
}

/* Where RTC_ALM_SET puts a time of day, seen from RTC time now. */
static long long next_time_of_day(long long now, const struct rtc_time *tod)
{
	long long t = now - ((now % 86400) + 86400) % 86400 +
		      tod->tm_hour * 3600 + tod->tm_min * 60 + tod->tm_sec;

	return t < now ? t + 86400 : t;
}

/* --- one case --- */

static int run_case(unsigned int n, const struct tcase *c)
{
	struct state before, after = { 0 };
	struct rtc_time tm;
	struct rtc_wkalrm w;
	struct rtc_param param;
	union {
		struct rtc_wkalrm w;
		unsigned char bytes[64];
	} buf;
	unsigned long data;
	long long set_secs = 0;
	int ret = 0, err = 0, pass, clock_ok, alarm_ok, irqp_ok, flags;
	int extra_ok = 1, alarm_meant_to_change;
	char extra[128] = "", why[1024] = "", t1[80], t2[80];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (c->op == OP_SET_TIME_OK)
		ioctl(fd, RTC_AIE_OFF, 0);
	else if (arm_reference_alarm())
		snprintf(why, sizeof(why), "could not arm the reference alarm: %s; ",
			 strerror(errno));
	snapshot(&before);

	memset(&tm, 0, sizeof(tm));
	memset(&w, 0, sizeof(w));
	memset(&buf, 0, sizeof(buf));
	errno = 0;
	switch (c->op) {
	case OP_READ_SHORT:
		ret = read(fd, &data, 2);
		break;
	case OP_READ_NONBLOCK:
		flags = fcntl(fd, F_GETFL);
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
		ret = read(fd, &data, sizeof(data));
		err = errno;
		fcntl(fd, F_SETFL, flags);
		errno = err;
		break;
	case OP_OPEN_AGAIN:
		ret = open(dev, O_RDONLY | O_CLOEXEC);
		if (ret >= 0) {
			close(ret);
			ret = 0;
		}
		break;
	case OP_SET_TIME:
		make_time(c, &tm);
		ret = ioctl(fd, RTC_SET_TIME, &tm);
		break;
	case OP_ALM_SET:
		make_time(c, &tm);
		ret = ioctl(fd, RTC_ALM_SET, &tm);
		break;
	case OP_ALM_SET_PAST:
		/* The time of day two seconds ago: the alarm goes to tomorrow. */
		secs_tm(before.clock - 2, &tm);
		ret = ioctl(fd, RTC_ALM_SET, &tm);
		break;
	case OP_WKALM_SET:
		make_time(c, &w.time);
		w.enabled = 1;
		ret = ioctl(fd, RTC_WKALM_SET, &w);
		break;
	case OP_WKALM_PAST_ON:
	case OP_WKALM_PAST_OFF:
		set_secs = before.clock - 60;
		secs_tm(set_secs, &w.time);
		w.enabled = c->op == OP_WKALM_PAST_ON;
		ret = ioctl(fd, RTC_WKALM_SET, &w);
		break;
	case OP_IOCTL_BUF:
		make_time(c, &buf.w.time);
		buf.w.enabled = 1;
		ret = ioctl(fd, c->cmd, &buf);
		break;
	case OP_IOCTL_NULL:
		ret = ioctl(fd, c->cmd, NULL);
		break;
	case OP_IOCTL_ARG:
		ret = ioctl(fd, c->cmd, (unsigned long)c->value);
		break;
	case OP_PARAM:
		memset(&param, 0, sizeof(param));
		param.param = c->value;
		param.index = c->value2;
		ret = ioctl(fd, c->cmd, &param);
		break;
	case OP_SET_TIME_OK:
		if (c->field == F_NOW_BAD_WDAY) {
			secs_tm(before.clock, &tm);
			tm.tm_wday = 9;
			tm.tm_yday = 400;
			tm.tm_isdst = 7;
		} else {
			make_time(c, &tm);
		}
		set_secs = tm_secs(&tm);
		ret = ioctl(fd, RTC_SET_TIME, &tm);
		break;
	}
	err = ret < 0 ? errno : 0;

	/* What each kind of case leaves behind, besides its return. */
	switch (c->op) {
	case OP_ALM_SET:
	case OP_ALM_SET_PAST:
		if (!err) {
			long long want1 = next_time_of_day(before.clock, &tm);
			long long got;

			snapshot(&after);
			got = tm_secs(&after.alarm.time);
			extra_ok = !after.alarm.enabled &&
				   (got == want1 ||
				    got == next_time_of_day(after.clock, &tm));
			secs_tm(want1, &tm);
			if (!extra_ok)
				snprintf(why + strlen(why), sizeof(why) - strlen(why),
					 "alarm reads %s enabled=%d, expected %s enabled=0; ",
					 fmt_tm(&after.alarm.time, t1, sizeof(t1)),
					 after.alarm.enabled, fmt_tm(&tm, t2, sizeof(t2)));
			snprintf(extra, sizeof(extra), " alarm_as_expected=%d", extra_ok);
		}
		break;
	case OP_WKALM_PAST_ON:
	case OP_WKALM_PAST_OFF: {
		int want_event = c->op == OP_WKALM_PAST_ON;
		int ready = poll(&pfd, 1, want_event ? 2000 : 1500);
		int event = 0;

		data = 0;
		if (ready > 0 && read(fd, &data, sizeof(data)) > 0)
			event = !!(data & RTC_AF);
		snapshot(&after);
		extra_ok = event == want_event && !after.alarm.enabled &&
			   tm_secs(&after.alarm.time) == set_secs;
		if (!extra_ok) {
			secs_tm(set_secs, &tm);
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 "alarm event %d (data 0x%lx), expected %d; alarm reads %s"
				 " enabled=%d, expected %s enabled=0; ", event, data,
				 want_event, fmt_tm(&after.alarm.time, t1, sizeof(t1)),
				 after.alarm.enabled, fmt_tm(&tm, t2, sizeof(t2)));
		}
		snprintf(extra, sizeof(extra), " alarm_event=%d alarm_as_expected=%d",
			 event, extra_ok);
		break;
	}
	case OP_SET_TIME_OK:
		snapshot(&after);
		if (!err) {
			long long d = after.clock - set_secs;

			extra_ok = after.ok && d >= 0 &&
				   d <= (after.mono - before.mono + 999) / 1000 + 1;
			if (!extra_ok) {
				secs_tm(after.clock, &tm);
				secs_tm(set_secs, &w.time);
				snprintf(why + strlen(why), sizeof(why) - strlen(why),
					 "set %s, read back %s; ",
					 fmt_tm(&w.time, t1, sizeof(t1)),
					 fmt_tm(&tm, t2, sizeof(t2)));
			}
			put_clock_back(&before);
		}
		snprintf(extra, sizeof(extra), " readback_ok=%d", !err && extra_ok);
		break;
	default:
		break;
	}
	if (!after.mono) /* not taken above */
		snapshot(&after);

	/* The clock: every case but the ones that set it must keep it. */
	if (c->op == OP_SET_TIME_OK) {
		struct state now;

		snapshot(&now);
		clock_ok = clock_kept(&before, &now);
	} else {
		clock_ok = clock_kept(&before, &after);
		if (!clock_ok && before.ok && after.ok) {
			secs_tm(before.clock, &tm);
			secs_tm(after.clock, &w.time);
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 "clock moved from %s to %s in %lld ms; ",
				 fmt_tm(&tm, t1, sizeof(t1)),
				 fmt_tm(&w.time, t2, sizeof(t2)), after.mono - before.mono);
			put_clock_back(&before);
		}
	}
	/*
	 * The alarm: only the cases meant to set it may change it, and only
	 * when they succeed; their own check above says how.
	 */
	alarm_meant_to_change = !err && !c->expect &&
		(c->op == OP_ALM_SET || c->op == OP_ALM_SET_PAST ||
		 c->op == OP_WKALM_PAST_ON || c->op == OP_WKALM_PAST_OFF);
	if (alarm_meant_to_change)
		alarm_ok = 1;
	else
		alarm_ok = before.ok && after.ok && same_alarm(&before.alarm, &after.alarm);
	if (!alarm_ok && before.ok && after.ok)
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
			 "alarm changed from %s enabled=%d to %s enabled=%d; ",
			 fmt_tm(&before.alarm.time, t1, sizeof(t1)), before.alarm.enabled,
			 fmt_tm(&after.alarm.time, t2, sizeof(t2)), after.alarm.enabled);
	irqp_ok = before.ok && after.ok && before.irqp == after.irqp;
	if (!irqp_ok && before.ok && after.ok)
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
			 "periodic frequency changed from %lu to %lu; ",
			 before.irqp, after.irqp);
	if (!before.ok || !after.ok)
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
			 "could not read the RTC state (time, alarm, frequency); ");
	if (err != c->expect)
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
			 "got %s, expected %s; ", errname(err), errname(c->expect));

	pass = err == c->expect && clock_ok && alarm_ok && irqp_ok && extra_ok &&
	       before.ok && after.ok && !why[0];
	printf("%s %u %s\n", pass ? "ok" : "not ok", n, ktap_name(c));
	if (!pass)
		printf("# %s\n", why);
	/*
	 * alarm_unchanged is left out where the alarm was meant to change
	 * (alarm_as_expected says how that went); the cases that set the
	 * clock report whether it was put back instead of unchanged.
	 */
	printf("# result %s errno=%s %s=%d", c->name, errname(err),
	       c->op == OP_SET_TIME_OK ? "clock_restored" : "clock_unchanged", clock_ok);
	if (!alarm_meant_to_change)
		printf(" alarm_unchanged=%d", alarm_ok);
	printf("%s\n", extra);
	fflush(stdout);
	return pass;
}

int main(int argc, char **argv)
{
	unsigned int i, failed = 0;

	if (argc > 1 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < NCASES; i++)
			printf("%s\n", ktap_name(&cases[i]));
		return 0;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: %s [--list] [DEVICE]\n", argv[0]);
		return 2;
	}
	if (argc == 2)
		dev = argv[1];

	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("# rtc-badinput: open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	for (i = 0; i < NCASES; i++)
		failed += !run_case(i + 1, &cases[i]);
	ioctl(fd, RTC_AIE_OFF, 0);
	close(fd);
	printf("# rtc-badinput: %u of %zu cases differ from the table\n", failed, NCASES);
	return failed ? 1 : 0;
}
