// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded random ioctl fuzzer for an RTC character device, and the
 * file operations around it: read() with short and bad buffers, poll()
 * with no alarm, many opens, and close() with an alarm pending.
 *
 * usage: rtc-fuzz [--list] [-s SEED] [-n COUNT] [-t SECONDS] [DEVICE]
 *   --list  print the KTAP case names, one per line, and exit
 *   -s      the PRNG seed (default 20261122)
 *   -n      how many random ioctls (default 4000)
 *   -t      stop the random ioctls after this many seconds (default 60);
 *           stopping early fails the first case
 *
 * The random ioctls are a pure function of the seed: the command (a real
 * RTC request most of the time, a mutated encoding of one, or any
 * number outside the VFS's own generic requests, which never reach the
 * RTC), the argument (a buffer holding a random or nearly valid struct,
 * the same buffer misaligned, NULL, an unmapped page, a kernel address,
 * a struct running into a PROT_NONE page, a read-only page, or a random
 * integer for the requests that take one). Their errnos are folded into
 * an FNV-1a digest, per block of 500 calls and per request, printed as
 * "# result" lines: the same seed must give the same lines on every
 * driver, which scripts/parity.sh checks between the Rust and C images.
 *
 * After every call the RTC is read: it must not have moved (beyond the
 * time that passed) unless the call was an RTC_SET_TIME that succeeded,
 * and then it must read the time that was set. RTC_SET_TIME and
 * RTC_RD_TIME, and every request the RTC core does not know, have their
 * errno predicted (rtc_valid_tm(), the PL031's range, EFAULT for the bad
 * pointers, ENOTTY) and checked. At the end the clock, the alarm and the
 * periodic frequency are put back, the update and periodic interrupts
 * off, so the suites after this one find the RTC as it was.
 *
 * Output: KTAP result lines numbered from 1 without the header (the suite
 * prints it), "# " diagnostics, and "# result" lines that name no time.
 * Exit status 0 when every case passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/rtc.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "rtc-tm64.h"

/* PL031: a 32-bit seconds counter, range 0..U32_MAX (rtc-pl031.c). */
#define RANGE_MAX 4294967295LL
#define PAGE 4096
#define BLOCK 500

static const char *const case_names[] = {
	"ioctl_fuzz_ran_every_call",
	"ioctl_fuzz_clock_moved_only_by_set_time",
	"ioctl_fuzz_errnos_as_predicted",
	"read_short_buffers_einval",
	"read_bad_buffers",
	"poll_without_alarm_times_out",
	"open_many_times_exclusive",
	"close_with_alarm_pending_fires",
	"close_then_cancel_alarm_no_irq",
	"state_restored",
};
#define NCASES (sizeof(case_names) / sizeof(case_names[0]))

static const char *dev = "/dev/rtc0";
static char rtc_irq_cmd[512];
static int fd = -1;
static unsigned int case_no, failed;

/* --- output --- */

static char why[2048];

static void whyf(const char *fmt, ...)
{
	size_t len = strlen(why);
	va_list ap;

	if (len > sizeof(why) - 64)
		return;
	va_start(ap, fmt);
	vsnprintf(why + len, sizeof(why) - len, fmt, ap);
	va_end(ap);
}

/* One KTAP case: ok when pass, else not ok with the reasons in why. */
static void result(int pass)
{
	case_no++;
	printf("%s %u %s\n", pass ? "ok" : "not ok", case_no, case_names[case_no - 1]);
	if (!pass) {
		printf("# %s\n", why[0] ? why : "(no reason recorded)");
		failed++;
	}
	why[0] = '\0';
	fflush(stdout);
}

static const char *errname(int e)
{
	static char buf[4][16];
	static int n;

	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case EFAULT: return "EFAULT";
	case ENOTTY: return "ENOTTY";
	case EBUSY: return "EBUSY";
	case EAGAIN: return "EAGAIN";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ENODEV: return "ENODEV";
	case EIO: return "EIO";
	case EINTR: return "EINTR";
	case ETIME: return "ETIME";
	case ENOSYS: return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	}
	n = (n + 1) % 4;
	snprintf(buf[n], sizeof(buf[n]), "E%d", e);
	return buf[n];
}

/* --- time arithmetic, 64-bit (time_t is 32-bit on this ABI) --- */

static int month_days(int mon, long long year)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return days[mon] + (mon == 1 && leap);
}

/* drivers/rtc/lib.c rtc_valid_tm(), 6.12 and 7.2 */
static int valid_tm(const struct rtc_time *tm)
{
	return !(tm->tm_year < 70 || tm->tm_year > INT_MAX - 1900 ||
		 (unsigned int)tm->tm_mon >= 12 || tm->tm_mday < 1 ||
		 tm->tm_mday > month_days(tm->tm_mon, (unsigned int)tm->tm_year + 1900) ||
		 (unsigned int)tm->tm_hour >= 24 || (unsigned int)tm->tm_min >= 60 ||
		 (unsigned int)tm->tm_sec >= 60);
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int read_clock(long long *secs)
{
	struct rtc_time tm;

	if (ioctl(fd, RTC_RD_TIME, &tm))
		return -1;
	*secs = tm_secs(&tm);
	return 0;
}

/* The RTC's interrupt count in /proc/interrupts, through bin/rtc-irq. */
static long irq_count(void)
{
	char line[256];
	long count = -1;
	FILE *p = popen(rtc_irq_cmd, "r");
	char *c;

	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		if ((c = strstr(line, " count=")))
			count = strtol(c + 7, NULL, 10);
	pclose(p);
	return count;
}

/* --- PRNG: splitmix64, fixed by the seed --- */

static uint64_t rng_state;

static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(uint32_t n)
{
	return n ? rnd64() % n : 0;
}

static void rnd_bytes(void *p, size_t n)
{
	unsigned char *b = p;

	while (n--)
		*b++ = rnd64();
}

/* --- the requests --- */

enum argkind { A_NONE, A_INT, A_TIME, A_WKALRM, A_ULONG, A_PARAM, A_RAW };

struct req {
	const char *name;
	unsigned long cmd;
	enum argkind arg;
};

static const struct req reqs[] = {
	{ "RTC_AIE_ON", RTC_AIE_ON, A_NONE },
	{ "RTC_AIE_OFF", RTC_AIE_OFF, A_NONE },
	{ "RTC_UIE_ON", RTC_UIE_ON, A_NONE },
	{ "RTC_UIE_OFF", RTC_UIE_OFF, A_NONE },
	{ "RTC_PIE_ON", RTC_PIE_ON, A_NONE },
	{ "RTC_PIE_OFF", RTC_PIE_OFF, A_NONE },
	{ "RTC_WIE_ON", RTC_WIE_ON, A_NONE },
	{ "RTC_WIE_OFF", RTC_WIE_OFF, A_NONE },
	{ "RTC_ALM_SET", RTC_ALM_SET, A_TIME },
	{ "RTC_ALM_READ", RTC_ALM_READ, A_TIME },
	{ "RTC_RD_TIME", RTC_RD_TIME, A_TIME },
	{ "RTC_SET_TIME", RTC_SET_TIME, A_TIME },
	{ "RTC_IRQP_READ", RTC_IRQP_READ, A_ULONG },
	{ "RTC_IRQP_SET", RTC_IRQP_SET, A_INT },
	{ "RTC_EPOCH_READ", RTC_EPOCH_READ, A_ULONG },
	{ "RTC_EPOCH_SET", RTC_EPOCH_SET, A_INT },
	{ "RTC_WKALM_SET", RTC_WKALM_SET, A_WKALRM },
	{ "RTC_WKALM_RD", RTC_WKALM_RD, A_WKALRM },
	{ "RTC_PLL_GET", RTC_PLL_GET, A_RAW },
	{ "RTC_PLL_SET", RTC_PLL_SET, A_RAW },
	{ "RTC_VL_READ", RTC_VL_READ, A_ULONG },
	{ "RTC_VL_CLR", RTC_VL_CLR, A_NONE },
	{ "RTC_PARAM_GET", RTC_PARAM_GET, A_PARAM },
	{ "RTC_PARAM_SET", RTC_PARAM_SET, A_PARAM },
};
#define NREQS (sizeof(reqs) / sizeof(reqs[0]))
#define OTHER NREQS /* any other request number */

static int known(unsigned long cmd)
{
	size_t i;

	for (i = 0; i < NREQS; i++)
		if (reqs[i].cmd == cmd)
			return i;
	return -1;
}

/*
 * The VFS answers these ioctl types itself (fs/ioctl.c do_vfs_ioctl():
 * FIONBIO, FIOASYNC, FIFREEZE on the root filesystem, FICLONE, the
 * FS_IOC_* flags and uuid requests, FIBMAP, FIGETBSZ...): they never reach
 * the RTC, and some would change the file or freeze the filesystem.
 */
static int vfs_generic(unsigned long cmd)
{
	unsigned int type = _IOC_TYPE(cmd);

	return type == 'T' || type == 'X' || type == 'f' || type == 0x94 ||
	       type == 0x15 || type == 0;
}

enum ptr { P_BUF, P_MISALIGNED, P_NULL, P_UNMAPPED, P_KERNEL, P_STRADDLE,
	   P_RDONLY, P_INT, NPTR };
static const char *const ptr_names[] = { "buf", "misaligned", "null", "unmapped",
	"kernel", "straddle", "rdonly", "int" };

/* Page 0 read-write, page 1 PROT_NONE, page 2 read-only, page 3 unmapped. */
static unsigned char *area;

static long rnd_int(void)
{
	static const long pick[] = { 0, 1, 2, -1, 63, 64, 65, 1024, 8192, 8193,
				     INT_MAX, INT_MIN, 1970, 2000 };

	if (rnd(4))
		return pick[rnd(sizeof(pick) / sizeof(pick[0]))];
	return (long)(uint32_t)rnd64();
}

/* A valid time between 1970 and 2104, away from the end of the range. */
static void valid_time(struct rtc_time *tm)
{
	secs_tm(rnd64() % (days_of(2105, 1, 1) * 86400), tm);
	tm->tm_wday = rnd(7);
	tm->tm_yday = rnd(366);
}

static void rnd_time(struct rtc_time *tm)
{
	static const int edge[] = { -1, 0, 1, 12, 23, 24, 28, 29, 30, 31, 32, 59, 60,
				    61, 69, 70, 99, 100, 205, 206, 207, INT_MAX - 1900,
				    INT_MAX - 1899, INT_MAX, INT_MIN };
	int *f[] = { &tm->tm_sec, &tm->tm_min, &tm->tm_hour, &tm->tm_mday, &tm->tm_mon,
		     &tm->tm_year };

	switch (rnd(3)) {
	case 0:
		valid_time(tm);
		break;
	case 1:
		valid_time(tm);
		*f[rnd(6)] = edge[rnd(sizeof(edge) / sizeof(edge[0]))];
		break;
	default:
		rnd_bytes(tm, sizeof(*tm));
		break;
	}
}

/* Fill the struct a request reads; the rest of the buffer is random. */
static void fill(const struct req *r, unsigned char *p, size_t room)
{
	struct rtc_wkalrm w;
	struct rtc_param prm;
	struct rtc_time tm;

	rnd_bytes(p, room);
	switch (r ? r->arg : A_RAW) {
	case A_TIME:
		rnd_time(&tm);
		memcpy(p, &tm, sizeof(tm));
		break;
	case A_WKALRM:
		memset(&w, 0, sizeof(w));
		w.enabled = rnd(4) ? rnd(2) : (unsigned char)rnd64();
		w.pending = rnd(4) ? 0 : (unsigned char)rnd64();
		rnd_time(&w.time);
		memcpy(p, &w, sizeof(w));
		break;
	case A_PARAM:
		memset(&prm, 0, sizeof(prm));
		prm.param = rnd(2) ? rnd(4) : (uint64_t)rnd64();
		prm.index = rnd(2) ? rnd(2) : (uint32_t)rnd64();
		prm.uvalue = rnd64();
		memcpy(p, &prm, sizeof(prm));
		break;
	default:
		break;
	}
}

/*
 * RTC_SET_TIME's clock must not reach the last two days of the range:
 * there the core's timer queue hands the driver alarms past U32_MAX, the
 * case where the Rust driver returns ERANGE and C programs a truncated
 * alarm (see the README), which would make the errno digests differ for
 * a reason already known.
 */
static void tame_set_time(unsigned char *p)
{
	struct rtc_time tm;

	memcpy(&tm, p, sizeof(tm));
	if (valid_tm(&tm) && tm_secs(&tm) > RANGE_MAX - 2 * 86400 &&
	    tm_secs(&tm) <= RANGE_MAX) {
		tm.tm_year = 100;
		memcpy(p, &tm, sizeof(tm));
	}
}

static size_t arg_size(const struct req *r)
{
	switch (r ? r->arg : A_RAW) {
	case A_TIME:
		return sizeof(struct rtc_time);
	case A_WKALRM:
		return sizeof(struct rtc_wkalrm);
	case A_PARAM:
		return sizeof(struct rtc_param);
	case A_ULONG:
		return sizeof(unsigned long);
	default:
		return sizeof(struct rtc_time);
	}
}

struct call {
	unsigned long cmd;
	int req;		/* index in reqs, or OTHER */
	enum ptr ptr;
	unsigned long arg;
	unsigned char *data;	/* what the kernel reads at arg, when readable */
};

static void make_call(struct call *c)
{
	unsigned int pick = rnd(100);
	size_t size;
	const struct req *r;

	if (pick < 75) {
		c->req = rnd(NREQS);
		c->cmd = reqs[c->req].cmd;
	} else if (pick < 90) {
		/* A real request with its direction, size, type or number changed. */
		unsigned long base = reqs[rnd(NREQS)].cmd;
		unsigned int dir = _IOC_DIR(base), type = _IOC_TYPE(base),
			     nr = _IOC_NR(base), sz = _IOC_SIZE(base);

		switch (rnd(4)) {
		case 0:
			dir = rnd(4);
			break;
		case 1:
			sz = rnd(2) ? sz + 1 - 2 * rnd(2) : rnd(1 << _IOC_SIZEBITS);
			break;
		case 2:
			type = rnd(256);
			break;
		default:
			nr = rnd(2) ? rnd(0x20) : rnd(256);
			break;
		}
		c->cmd = _IOC(dir, type, nr, sz);
	} else {
		c->cmd = (uint32_t)rnd64();
	}
	while (vfs_generic(c->cmd))
		c->cmd = _IOC(_IOC_DIR(c->cmd), 'p', _IOC_NR(c->cmd), _IOC_SIZE(c->cmd));
	c->req = known(c->cmd);
	if (c->req < 0)
		c->req = OTHER;
	r = c->req == OTHER ? NULL : &reqs[c->req];

	if (r && (r->arg == A_NONE || r->arg == A_INT) && rnd(4)) {
		c->ptr = P_INT;
	} else {
		c->ptr = rnd(NPTR - 1);
	}
	c->data = NULL;
	c->arg = 0;
	size = 64;
	switch (c->ptr) {
	case P_BUF:
		c->data = area + 8 * rnd(8);
		break;
	case P_MISALIGNED:
		c->data = area + 1 + rnd(7) + 8 * rnd(4);
		break;
	case P_NULL:
		c->arg = 0;
		break;
	case P_UNMAPPED:
		c->arg = (unsigned long)(area + 3 * PAGE + rnd(PAGE));
		break;
	case P_KERNEL:
		c->arg = rnd(2) ? 0xc0000000UL : 0xffff0000UL + rnd(PAGE);
		break;
	case P_STRADDLE:
		/* Fewer bytes readable than the struct, then the PROT_NONE page. */
		c->arg = (unsigned long)(area + PAGE - 1 - rnd(arg_size(r) - 1));
		fill(r, area + PAGE - 64, 64);
		break;
	case P_RDONLY:
		c->arg = (unsigned long)(area + 2 * PAGE + 8 * rnd(16));
		c->data = (unsigned char *)c->arg;
		break;
	case P_INT:
		c->arg = rnd_int();
		break;
	case NPTR:
		break;
	}
	if (c->data && c->ptr != P_RDONLY) {
		fill(r, c->data, size);
		if (c->cmd == RTC_SET_TIME)
			tame_set_time(c->data);
		c->arg = (unsigned long)c->data;
	}
}

/* The errno the RTC core gives, where it does not depend on RTC state. */
static int predicted(const struct call *c, int *errp)
{
	struct rtc_time tm;

	if (c->req == OTHER) {
		*errp = ENOTTY;
		return 1;
	}
	if (c->cmd != RTC_SET_TIME && c->cmd != RTC_RD_TIME)
		return 0;
	if (c->ptr == P_INT)
		return 0;
	if (c->cmd == RTC_RD_TIME) {
		/* copy_to_user() of 36 bytes */
		*errp = (c->ptr == P_BUF || c->ptr == P_MISALIGNED) ? 0 : EFAULT;
		return 1;
	}
	if (!c->data) {
		*errp = EFAULT;
		return 1;
	}
	memcpy(&tm, c->data, sizeof(tm));
	if (!valid_tm(&tm))
		*errp = EINVAL;
	else if (tm_secs(&tm) > RANGE_MAX)
		*errp = ERANGE;
	else
		*errp = 0;
	return 1;
}

/* --- FNV-1a digests --- */

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		h = (h ^ *b++) * 16777619u;
	return h;
}
#define FNV_INIT 2166136261u

struct tally {
	unsigned int calls;
	uint32_t digest;
	unsigned int by_errno[8];	/* 0, EINVAL, ERANGE, EFAULT, ENOTTY, other */
};
static const int tally_errnos[] = { 0, EINVAL, ERANGE, EFAULT, ENOTTY, EBUSY, EACCES };

static void tally_add(struct tally *t, const struct call *c, int err)
{
	uint32_t rec[3] = { c->cmd, c->ptr, err };
	size_t i;

	if (!t->calls)
		t->digest = FNV_INIT;
	t->calls++;
	t->digest = fnv(t->digest, rec, sizeof(rec));
	for (i = 0; i < 7 && tally_errnos[i] != err; i++)
		;
	t->by_errno[i]++;
}

static void print_tally(const char *what, const struct tally *t)
{
	size_t i;

	printf("# result %s calls=%u digest=%08x", what, t->calls, t->calls ? t->digest : 0);
	for (i = 0; i < 8; i++)
		if (t->by_errno[i])
			printf(" %s=%u", i < 7 ? errname(tally_errnos[i]) : "other",
			       t->by_errno[i]);
	printf("\n");
}

/* --- the fuzz run --- */

struct saved {
	long long clock, mono;
	struct rtc_wkalrm alarm;
	unsigned long irqp;
};
static struct saved saved;

static int save_state(void)
{
	if (read_clock(&saved.clock))
		return -1;
	saved.mono = mono_ms();
	if (ioctl(fd, RTC_WKALM_RD, &saved.alarm) || ioctl(fd, RTC_IRQP_READ, &saved.irqp))
		return -1;
	return 0;
}

static long long clock_now_expected(void)
{
	return saved.clock + (mono_ms() - saved.mono + 500) / 1000;
}

static int reopen(void)
{
	if (fd >= 0)
		close(fd);
	fd = open(dev, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -1 : 0;
}

static void fuzz(uint64_t seed, unsigned int count, unsigned int limit_s)
{
	struct tally all = { 0 }, block = { 0 }, per[NREQS + 1];
	long long t_prev, m_prev, anchor, anchor_lo, anchor_hi, deadline;
	unsigned int i, done = 0, clock_bad = 0, model_bad = 0, sets = 0, ptrs[NPTR] = { 0 };
	char name[64];
	int clock_ok = 1, model_ok = 1;

	memset(per, 0, sizeof(per));
	rng_state = seed;
	printf("# fuzz: seed=%llu count=%u time limit %u s\n", (unsigned long long)seed,
	       count, limit_s);
	if (read_clock(&t_prev)) {
		whyf("RTC_RD_TIME before the fuzz: %s; ", strerror(errno));
		result(0);
		result(0);
		result(0);
		return;
	}
	m_prev = mono_ms();
	anchor = t_prev;
	anchor_lo = anchor_hi = m_prev;
	deadline = m_prev + limit_s * 1000LL;

	for (i = 0; i < count && mono_ms() < deadline; i++) {
		struct call c;
		long long t, m0, m1, m2, lo, hi;
		int ret, err, want;

		make_call(&c);
		ptrs[c.ptr]++;
		m0 = mono_ms();
		errno = 0;
		ret = ioctl(fd, c.cmd, c.arg);
		err = ret < 0 ? errno : 0;
		m1 = mono_ms();

		tally_add(&all, &c, err);
		tally_add(&block, &c, err);
		tally_add(&per[c.req], &c, err);
		done++;
		if ((i + 1) % BLOCK == 0) {
			snprintf(name, sizeof(name), "fuzz_ioctl_block_%u", i / BLOCK);
			print_tally(name, &block);
			memset(&block, 0, sizeof(block));
		}

		if (predicted(&c, &want) && want != err) {
			model_bad++;
			if (model_bad <= 5)
				whyf("call %u: %s (0x%08lx) arg %s: %s, predicted %s; ", i,
				     c.req == OTHER ? "other" : reqs[c.req].name, c.cmd,
				     ptr_names[c.ptr], errname(err), errname(want));
		}

		if (c.cmd == RTC_SET_TIME && !err && c.data) {
			struct rtc_time tm;

			memcpy(&tm, c.data, sizeof(tm));
			anchor = tm_secs(&tm);
			anchor_lo = m1;	/* the clock was set between m0 and m1 */
			anchor_hi = m0;
			t_prev = anchor;
			m_prev = m0;
			sets++;
		}

		if (read_clock(&t)) {
			clock_bad++;
			if (clock_bad <= 5)
				printf("# call %u: RTC_RD_TIME after it: %s\n", i, strerror(errno));
			continue;
		}
		m2 = mono_ms();
		/* Never backwards, never faster than time, since the last set. */
		lo = anchor + (m0 - anchor_lo) / 1000 - 1;
		hi = anchor + (m2 - anchor_hi + 999) / 1000 + 1;
		if (t < t_prev || t > t_prev + (m2 - m_prev + 999) / 1000 + 1 || t < lo || t > hi) {
			clock_bad++;
			if (clock_bad <= 5)
				printf("# call %u: %s (0x%08lx) arg %s gave %s; the clock read %lld,"
				       " last %lld, %lld ms ago; %lld..%lld since the last set\n",
				       i, c.req == OTHER ? "other" : reqs[c.req].name, c.cmd,
				       ptr_names[c.ptr], errname(err), t, t_prev, m2 - m_prev, lo,
				       hi);
			/* Follow the clock from here, so one jump is one anomaly. */
			anchor = t;
			anchor_lo = anchor_hi = m2;
		}
		t_prev = t;
		m_prev = m2;
	}
	if (block.calls) {
		snprintf(name, sizeof(name), "fuzz_ioctl_block_%u", (done - 1) / BLOCK);
		print_tally(name, &block);
	}
	printf("# fuzz: %u calls (%u RTC_SET_TIME that set the clock); arguments:", done, sets);
	for (i = 0; i < NPTR; i++)
		printf(" %s=%u", ptr_names[i], ptrs[i]);
	printf("\n");
	printf("# result fuzz_ioctl seed=%llu count=%u calls=%u digest=%08x\n",
	       (unsigned long long)seed, count, done, all.digest);
	for (i = 0; i <= NREQS; i++) {
		snprintf(name, sizeof(name), "fuzz_ioctl_req_%s",
			 i < NREQS ? reqs[i].name : "other");
		print_tally(name, &per[i]);
	}

	if (done < count)
		whyf("stopped after %u of %u calls at the %u s limit; ", done, count, limit_s);
	result(done == count);
	clock_ok = clock_bad == 0;
	if (!clock_ok)
		whyf("%u calls moved the clock without a successful RTC_SET_TIME, or it could"
		     " not be read (the first ones above); ", clock_bad);
	result(clock_ok);
	model_ok = model_bad == 0;
	if (!model_ok)
		whyf("%u errnos differ from the prediction", model_bad);
	result(model_ok);
}

/* Quiet the RTC after the fuzz: no alarm, update or periodic interrupt. */
static void quiet(void)
{
	ioctl(fd, RTC_AIE_OFF, 0);
	ioctl(fd, RTC_UIE_OFF, 0);
	ioctl(fd, RTC_PIE_OFF, 0);
}

static int put_clock_back(void)
{
	struct rtc_time tm;

	secs_tm(clock_now_expected(), &tm);
	return ioctl(fd, RTC_SET_TIME, &tm);
}

/* An alarm event, now: an enabled alarm a minute in the past fires at once. */
static int make_event(void)
{
	struct rtc_wkalrm w;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	long long now;

	memset(&w, 0, sizeof(w));
	if (read_clock(&now))
		return -1;
	secs_tm(now - 60, &w.time);
	w.enabled = 1;
	if (ioctl(fd, RTC_WKALM_SET, &w))
		return -1;
	return poll(&pfd, 1, 3000) == 1 ? 0 : -1;
}

static int set_nonblock(int on)
{
	int flags = fcntl(fd, F_GETFL);

	return fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
}

static void read_cases(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3 };
	struct { const char *name; void *buf; } bufs[] = {
		{ "buf", area }, { "misaligned", area + 1 }, { "null", NULL },
		{ "unmapped", area + 3 * PAGE },
	};
	unsigned long data;
	size_t i, j;
	int ok = 1, ret, err;

	/* rtc_dev_read(): a count below sizeof(long) (4 here) is refused first. */
	set_nonblock(0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (j = 0; j < sizeof(bufs) / sizeof(bufs[0]); j++) {
			errno = 0;
			ret = read(fd, bufs[j].buf, sizes[i]);
			err = ret < 0 ? errno : 0;
			printf("# result fuzz_read size=%zu buf=%s errno=%s\n", sizes[i],
			       bufs[j].name, errname(err));
			if (err != EINVAL) {
				ok = 0;
				whyf("read(%s, %zu) gave %s, expected EINVAL; ", bufs[j].name,
				     sizes[i], errname(err));
			}
		}
	result(ok);

	/*
	 * No event pending, O_NONBLOCK: EAGAIN whatever the buffer. With an
	 * event: NULL gets EFAULT (and the event is gone), a misaligned or
	 * oversized buffer gets the 4-byte event with RTC_AF.
	 */
	ok = 1;
	quiet();
	reopen(); /* rtc_dev_open() clears any event */
	set_nonblock(1);
	for (j = 0; j < sizeof(bufs) / sizeof(bufs[0]); j++) {
		errno = 0;
		ret = read(fd, bufs[j].buf, 4);
		err = ret < 0 ? errno : 0;
		printf("# result fuzz_read_no_event buf=%s errno=%s\n", bufs[j].name, errname(err));
		if (err != EAGAIN) {
			ok = 0;
			whyf("no event, read(%s, 4) gave %s, expected EAGAIN; ", bufs[j].name,
			     errname(err));
		}
	}
	{
		struct { const char *name; void *buf; size_t size; int want; } ev[] = {
			{ "null", NULL, 4, EFAULT },
			{ "unmapped", area + 3 * PAGE, 4, EFAULT },
			{ "rdonly", area + 2 * PAGE, 4, EFAULT },
			{ "misaligned", area + 3, 4, 0 },
			{ "oversized_misaligned", area + 5, 100, 0 },
		};

		for (j = 0; j < sizeof(ev) / sizeof(ev[0]); j++) {
			if (make_event()) {
				ok = 0;
				whyf("no alarm event to read for %s; ", ev[j].name);
				continue;
			}
			errno = 0;
			ret = read(fd, ev[j].buf, ev[j].size);
			err = ret < 0 ? errno : 0;
			data = 0;
			if (!err)
				memcpy(&data, ev[j].buf, sizeof(data));
			printf("# result fuzz_read_event buf=%s size=%zu errno=%s ret=%d af=%d\n",
			       ev[j].name, ev[j].size, errname(err), ret < 0 ? -1 : ret,
			       !!(data & RTC_AF));
			if (err != ev[j].want || (!err && (ret != 4 || !(data & RTC_AF)))) {
				ok = 0;
				whyf("event, read(%s, %zu) gave %d %s data 0x%lx, expected %s; ",
				     ev[j].name, ev[j].size, ret, errname(err), data,
				     ev[j].want ? errname(ev[j].want) : "4 bytes with RTC_AF");
			}
			/* EFAULT consumed the event too: nothing left. */
			errno = 0;
			ret = read(fd, area, 4);
			if (!(ret < 0 && errno == EAGAIN)) {
				ok = 0;
				whyf("after reading the %s event, another read gave %d %s; ",
				     ev[j].name, ret, errname(ret < 0 ? errno : 0));
			}
		}
	}
	set_nonblock(0);
	result(ok);
}

static void poll_cases(void)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ok = 1, r0, r1;

	quiet();
	reopen();
	r0 = poll(&pfd, 1, 0);
	printf("# result fuzz_poll_no_alarm timeout=0 ready=%d revents=0x%x\n", r0, pfd.revents);
	pfd.revents = 0;
	r1 = poll(&pfd, 1, 300);
	printf("# result fuzz_poll_no_alarm timeout=300 ready=%d revents=0x%x\n", r1,
	       pfd.revents);
	if (r0 != 0 || r1 != 0) {
		ok = 0;
		whyf("poll() with no alarm armed returned %d and %d (revents 0x%x), expected 0; ",
		     r0, r1, pfd.revents);
	}
	result(ok);
}

/* Many opens: the RTC core lets one file at a time have the device. */
static volatile int holders, max_holders, race_other_errno;
static pthread_mutex_t race_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int race_wins, race_busy;

static void *opener(void *unused)
{
	int i, f;

	(void)unused;
	for (i = 0; i < 100; i++) {
		f = open(dev, O_RDONLY | O_CLOEXEC);
		pthread_mutex_lock(&race_lock);
		if (f >= 0) {
			race_wins++;
			if (++holders > max_holders)
				max_holders = holders;
		} else if (errno == EBUSY) {
			race_busy++;
		} else {
			race_other_errno = errno;
		}
		pthread_mutex_unlock(&race_lock);
		if (f >= 0) {
			sched_yield();
			pthread_mutex_lock(&race_lock);
			holders--;
			pthread_mutex_unlock(&race_lock);
			close(f);
		}
	}
	return NULL;
}

static void open_cases(void)
{
	pthread_t th[4];
	unsigned int i, busy = 0, opened = 0;
	int ok = 1, f;

	/* While held: every other open is EBUSY. */
	for (i = 0; i < 50; i++) {
		f = open(dev, O_RDONLY | O_CLOEXEC);
		if (f >= 0) {
			close(f);
			ok = 0;
		} else if (errno == EBUSY) {
			busy++;
		}
	}
	printf("# result fuzz_open_while_held opens=50 ebusy=%u\n", busy);
	if (busy != 50) {
		ok = 0;
		whyf("%u of 50 opens while the device was open gave EBUSY; ", busy);
	}
	/* Closed: 200 opens in a row, each closed, all succeed. */
	close(fd);
	fd = -1;
	for (i = 0; i < 200; i++) {
		f = open(dev, i % 2 ? O_RDWR : O_RDONLY);
		if (f >= 0) {
			opened++;
			close(f);
		}
	}
	printf("# result fuzz_open_close opens=200 ok=%u\n", opened);
	if (opened != 200) {
		ok = 0;
		whyf("%u of 200 open/close in a row succeeded; ", opened);
	}
	/* Four threads racing: never two holders, only EBUSY refusals. */
	for (i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, opener, NULL);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	printf("# open race: 4 threads x 100 opens: %u won, %u EBUSY, most holders at once %d\n",
	       race_wins, race_busy, max_holders);
	if (max_holders != 1 || race_other_errno || race_wins + race_busy != 400 || !race_wins) {
		ok = 0;
		whyf("racing opens: %u won, %u EBUSY, other errno %s, most holders at once %d"
		     " (want 1); ", race_wins, race_busy, errname(race_other_errno), max_holders);
	}
	if (reopen()) {
		ok = 0;
		whyf("open after the race: %s; ", strerror(errno));
	}
	result(ok);
}

/* Wait until the RTC's interrupt count passes n, at most ms. */
static long wait_irq_above(long n, long ms)
{
	long c = irq_count();
	long long end = mono_ms() + ms;

	while (c >= 0 && c <= n && mono_ms() < end) {
		sleep_ms(50);
		c = irq_count();
	}
	return c;
}

static void close_cases(void)
{
	struct rtc_wkalrm w, r;
	long long now;
	long before, after;
	int ok = 1;

	/*
	 * An alarm 2 s ahead (not 1: __rtc_set_alarm() may take an alarm for
	 * the next second as already expired, with no interrupt), the device closed: rtc_dev_release() leaves the
	 * alarm alone, so it fires with no file open, once; reopened, it
	 * reads disabled (one-shot) at the time armed.
	 */
	quiet();
	memset(&w, 0, sizeof(w));
	before = irq_count();
	if (read_clock(&now)) {
		ok = 0;
		whyf("RTC_RD_TIME: %s; ", strerror(errno));
	}
	secs_tm(now + 2, &w.time);
	w.enabled = 1;
	if (ioctl(fd, RTC_WKALM_SET, &w)) {
		ok = 0;
		whyf("RTC_WKALM_SET 2 s ahead: %s; ", strerror(errno));
	}
	close(fd);
	fd = -1;
	wait_irq_above(before, 4000);
	sleep_ms(300); /* a duplicate would come now */
	after = irq_count();
	if (reopen() || ioctl(fd, RTC_WKALM_RD, &r)) {
		ok = 0;
		whyf("reopen and RTC_WKALM_RD: %s; ", strerror(errno));
		memset(&r, 0, sizeof(r));
	}
	printf("# close with an alarm 2 s ahead: RTC IRQ count %ld -> %ld; alarm reads"
	       " enabled=%d\n", before, after, r.enabled);
	if (before < 0 || after != before + 1 || r.enabled || tm_secs(&r.time) != now + 2) {
		ok = 0;
		whyf("IRQ count %ld -> %ld (want +1), alarm enabled=%d at %+lld s (want 0 at +2)",
		     before, after, r.enabled, tm_secs(&r.time) - now);
	}
	result(ok);

	/*
	 * An alarm 2 s ahead, closed, reopened and cancelled with RTC_AIE_OFF:
	 * no interrupt by 2.5 s later (it was due at most 2 s after it was set).
	 */
	ok = 1;
	before = irq_count();
	read_clock(&now);
	secs_tm(now + 2, &w.time);
	w.enabled = 1;
	if (ioctl(fd, RTC_WKALM_SET, &w)) {
		ok = 0;
		whyf("RTC_WKALM_SET 2 s ahead: %s; ", strerror(errno));
	}
	close(fd);
	fd = -1;
	if (reopen() || ioctl(fd, RTC_AIE_OFF, 0)) {
		ok = 0;
		whyf("reopen and RTC_AIE_OFF: %s; ", strerror(errno));
	}
	sleep_ms(2500);
	after = irq_count();
	memset(&r, 0, sizeof(r));
	ioctl(fd, RTC_WKALM_RD, &r);
	printf("# close, reopen, cancel an alarm 2 s ahead: RTC IRQ count %ld -> %ld; alarm"
	       " reads enabled=%d\n", before, after, r.enabled);
	if (before < 0 || after != before || r.enabled) {
		ok = 0;
		whyf("IRQ count %ld -> %ld (want no change), alarm enabled=%d (want 0)",
		     before, after, r.enabled);
	}
	result(ok);
}

static void restore(void)
{
	struct rtc_wkalrm w;
	unsigned long irqp = 0;
	long long now, want;
	int ok = 1;

	quiet();
	if (ioctl(fd, RTC_IRQP_SET, saved.irqp))
		whyf("RTC_IRQP_SET %lu: %s; ", saved.irqp, strerror(errno));
	if (put_clock_back())
		whyf("RTC_SET_TIME to put the clock back: %s; ", strerror(errno));
	/* An alarm that was armed for the future is armed again. */
	if (saved.alarm.enabled && tm_secs(&saved.alarm.time) > clock_now_expected() + 1 &&
	    ioctl(fd, RTC_WKALM_SET, &saved.alarm))
		whyf("RTC_WKALM_SET to put the alarm back: %s; ", strerror(errno));
	want = clock_now_expected();
	memset(&w, 0, sizeof(w));
	if (read_clock(&now) || ioctl(fd, RTC_WKALM_RD, &w) || ioctl(fd, RTC_IRQP_READ, &irqp))
		whyf("reading the state back: %s; ", strerror(errno));
	ok = !why[0] && now >= want - 2 && now <= want + 2 &&
	     irqp == saved.irqp && w.enabled == (saved.alarm.enabled &&
						tm_secs(&saved.alarm.time) > want);
	printf("# restored: clock %+lld s from where it would have been, alarm enabled=%d,"
	       " frequency %lu (was %lu)\n", now - want, w.enabled, irqp, saved.irqp);
	if (!ok)
		whyf("clock %+lld s off (allowed 2), frequency %lu want %lu, alarm enabled %d",
		     now - want, irqp, saved.irqp, w.enabled);
	result(ok);
}

int main(int argc, char **argv)
{
	unsigned long long seed = 20261122;
	unsigned int count = 4000, limit = 60;
	long long t0;
	char *slash;
	size_t i;
	int opt;

	if (argc > 1 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < NCASES; i++)
			printf("%s\n", case_names[i]);
		return 0;
	}
	while ((opt = getopt(argc, argv, "s:n:t:")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 't':
			limit = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [--list] [-s SEED] [-n COUNT] [-t SECONDS]"
				" [DEVICE]\n", argv[0]);
			return 2;
		}
	}
	if (optind < argc)
		dev = argv[optind];
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* bin/rtc-irq, beside this program, for the RTC of dev. */
	slash = strrchr(argv[0], '/');
	snprintf(rtc_irq_cmd, sizeof(rtc_irq_cmd), "%.*srtc-irq %s 2>/dev/null",
		 slash ? (int)(slash - argv[0] + 1) : 0, argv[0],
		 strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev);

	area = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		printf("# rtc-fuzz: mmap: %s\n", strerror(errno));
		return 1;
	}
	rng_state = seed ^ 0x5a5a5a5a;
	rnd_bytes(area + 2 * PAGE, PAGE);
	if (mprotect(area + PAGE, PAGE, PROT_NONE) || mprotect(area + 2 * PAGE, PAGE, PROT_READ) ||
	    munmap(area + 3 * PAGE, PAGE)) {
		printf("# rtc-fuzz: mprotect/munmap: %s\n", strerror(errno));
		return 1;
	}

	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || save_state()) {
		printf("# rtc-fuzz: open %s and read its state: %s\n", dev, strerror(errno));
		return 1;
	}
	t0 = mono_ms();
	fuzz(seed, count, limit);
	printf("# fuzz: random ioctls took %lld ms\n", mono_ms() - t0);
	/* Put the clock back before the cases that arm alarms relative to it. */
	quiet();
	put_clock_back();
	read_cases();
	poll_cases();
	open_cases();
	close_cases();
	restore();
	close(fd);
	printf("# rtc-fuzz: %u of %zu cases failed, %lld ms in all\n", failed, NCASES,
	       mono_ms() - t0);
	return failed ? 1 : 0;
}
