// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded concurrency stress of an RTC character device.
 *
 * usage: rtc-stress [--list] [-d SECONDS] [-r READERS] [-w SETTERS] [DEVICE]
 *   defaults: 15 seconds, 3 readers, 2 setters, /dev/rtc0
 *
 * On one open file (the RTC core allows one), for SECONDS:
 * - readers hammer RTC_RD_TIME: between two consecutive sets the time
 *   read never goes backwards, is never before the time set and never
 *   ahead of it by more than the time that passed (plus one tick). A
 *   sequence count around each set (a seqlock) tells a reader whether a
 *   set came between its reads;
 * - setters write valid times: each set puts the clock within 2 s of
 *   where it would be, the RTC's own time plus the time elapsed since the
 *   start, and reads it back;
 * - one alarm thread (the RTC has one alarm) arms and disarms it:
 *   "cancel" rounds arm an alarm 60 s ahead (RTC_WKALM_SET, or RTC_ALM_SET
 *   and RTC_AIE_ON), wait 0-200 ms and disarm it (RTC_AIE_OFF, or
 *   RTC_WKALM_SET disabled); then a "fire" round arms one 2 s ahead and
 *   waits for its event: it must come once, with one interrupt counted in
 *   the event, and the alarm then reads disabled. No event may be pending
 *   before any round (a duplicate or a cancelled alarm that fired), nor
 *   1.5 s after the last one.
 * While a fire round's alarm is armed the setters wait: a set moving the
 *   clock past the alarm makes the RTC core expire it in software, and
 *   QEMU's PL031 then raises no interrupt, or one more when the counter
 *   is loaded with the match value; either would make the interrupt count
 *   below mean nothing. (Cancel rounds' alarms are far enough ahead.)
 * - the RTC's interrupt count in /proc/interrupts (bin/rtc-irq) must have
 *   grown by exactly the number of alarms that fired: none lost, none
 *   duplicated.
 *
 * At the end the alarm is off and the clock is put where it would have
 * been. Prints one KTAP result line per case, numbered from 1, without the
 * header, with "# " diagnostics: the operations done and the anomalies,
 * which must be 0. Exit status 0 when every case passed.
 */
#include <errno.h>
#include <fcntl.h>
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
#include <time.h>
#include <unistd.h>

#include "rtc-tm64.h"

static const char *const case_names[] = {
	"reads_never_backwards_between_sets",
	"sets_read_back",
	"alarms_fire_once_or_are_cancelled",
	"irq_count_matches_alarms",
	"no_unexpected_errors",
	"state_restored",
};
#define NCASES (sizeof(case_names) / sizeof(case_names[0]))

static const char *dev = "/dev/rtc0";
static char rtc_irq_cmd[512];
static int fd = -1;
static unsigned int case_no, failed;

/* --- time --- */

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

/* --- shared state --- */

static long long t_start, m_start, m_end;
static volatile int stop;

/* The set sequence: odd while a set is in progress (a seqlock). */
static unsigned int set_seq;
static long long set_value, set_mono; /* the last set, valid for an even set_seq */
static pthread_mutex_t set_lock = PTHREAD_MUTEX_INITIALIZER;
/* Held by a fire round while its alarm is armed: setters wait. */
static pthread_mutex_t fire_lock = PTHREAD_MUTEX_INITIALIZER;

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

struct counts {
	unsigned long reads, sets, arms, fired, cancelled, checks;
	unsigned long backwards, ahead, behind_set, set_readback, alarm_lost,
		alarm_dup, alarm_bad_count, alarm_still_enabled, errors;
};
static struct counts total;

/* Up to 10 anomaly descriptions in all, printed as diagnostics. */
static unsigned int logged;
static void anomaly(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&log_lock);
	if (logged++ < 10) {
		printf("# anomaly: ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	pthread_mutex_unlock(&log_lock);
}

static void add(const struct counts *c)
{
	pthread_mutex_lock(&log_lock);
	total.reads += c->reads;
	total.sets += c->sets;
	total.arms += c->arms;
	total.fired += c->fired;
	total.cancelled += c->cancelled;
	total.checks += c->checks;
	total.backwards += c->backwards;
	total.ahead += c->ahead;
	total.behind_set += c->behind_set;
	total.set_readback += c->set_readback;
	total.alarm_lost += c->alarm_lost;
	total.alarm_dup += c->alarm_dup;
	total.alarm_bad_count += c->alarm_bad_count;
	total.alarm_still_enabled += c->alarm_still_enabled;
	total.errors += c->errors;
	pthread_mutex_unlock(&log_lock);
}

static void *reader(void *unused)
{
	struct counts c = { 0 };
	unsigned int seq_last = 1; /* odd: no sample yet */
	long long last = 0;

	(void)unused;
	while (!stop) {
		unsigned int s1 = __atomic_load_n(&set_seq, __ATOMIC_ACQUIRE), s2;
		long long t, m, v, vm;

		if (s1 & 1) {
			sched_yield();
			continue;
		}
		v = __atomic_load_n(&set_value, __ATOMIC_RELAXED);
		vm = __atomic_load_n(&set_mono, __ATOMIC_RELAXED);
		if (read_clock(&t)) {
			c.errors++;
			anomaly("RTC_RD_TIME: %s", strerror(errno));
			continue;
		}
		m = mono_ms();
		c.reads++;
		s2 = __atomic_load_n(&set_seq, __ATOMIC_ACQUIRE);
		if (s1 != s2)
			continue; /* a set came between: not comparable */
		c.checks++;
		if (seq_last == s1 && t < last) {
			c.backwards++;
			anomaly("read %lld after %lld with no set between", t, last);
		}
		if (t < v) {
			c.behind_set++;
			anomaly("read %lld, before the %lld set %lld ms ago", t, v, m - vm);
		} else if (t > v + (m - vm + 999) / 1000 + 1) {
			c.ahead++;
			anomaly("read %lld, %lld s after the %lld set only %lld ms ago", t, t - v,
				v, m - vm);
		}
		seq_last = s1;
		last = t;
	}
	add(&c);
	return NULL;
}

static unsigned int seed_next(unsigned int *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

static void *setter(void *arg)
{
	struct counts c = { 0 };
	unsigned int seed = (uintptr_t)arg;

	while (!stop) {
		struct rtc_time tm;
		long long v, m0, m1, back;
		int err;

		pthread_mutex_lock(&fire_lock);
		pthread_mutex_lock(&set_lock);
		/* Where the clock would be, 2 s either side. */
		v = t_start + (mono_ms() - m_start) / 1000 + (int)(seed_next(&seed) % 5) - 2;
		secs_tm(v, &tm);
		__atomic_add_fetch(&set_seq, 1, __ATOMIC_ACQ_REL);
		m0 = mono_ms();
		err = ioctl(fd, RTC_SET_TIME, &tm) ? errno : 0;
		m1 = mono_ms();
		if (!err) {
			__atomic_store_n(&set_value, v, __ATOMIC_RELAXED);
			__atomic_store_n(&set_mono, m0, __ATOMIC_RELAXED);
			c.sets++;
			if (read_clock(&back)) {
				c.errors++;
				anomaly("RTC_RD_TIME after a set: %s", strerror(errno));
			} else if (back < v || back > v + (mono_ms() - m0 + 999) / 1000 + 1) {
				c.set_readback++;
				anomaly("set %lld, read back %lld (%lld ms)", v, back, m1 - m0);
			}
		} else {
			c.errors++;
			anomaly("RTC_SET_TIME %lld: %s", v, strerror(err));
		}
		__atomic_add_fetch(&set_seq, 1, __ATOMIC_ACQ_REL);
		pthread_mutex_unlock(&set_lock);
		pthread_mutex_unlock(&fire_lock);
		sleep_ms(5 + seed_next(&seed) % 20);
	}
	add(&c);
	return NULL;
}

/* Nothing pending: any event now is an alarm that should not have fired. */
static void check_no_event(struct counts *c, const char *when)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	unsigned long data = 0;

	if (poll(&pfd, 1, 0) == 1) {
		if (read(fd, &data, sizeof(data)) < 0)
			data = 0;
		c->alarm_dup++;
		anomaly("an event (data 0x%lx) %s", data, when);
	}
}

static int arm(struct counts *c, long long at, int how)
{
	struct rtc_wkalrm w;
	struct rtc_time tm;

	memset(&w, 0, sizeof(w));
	secs_tm(at, &w.time);
	w.enabled = 1;
	c->arms++;
	if (how == 0 ? ioctl(fd, RTC_WKALM_SET, &w)
		     : (tm = w.time, ioctl(fd, RTC_ALM_SET, &tm) || ioctl(fd, RTC_AIE_ON, 0))) {
		c->errors++;
		anomaly("arming an alarm (%s): %s", how ? "RTC_ALM_SET" : "RTC_WKALM_SET",
			strerror(errno));
		return -1;
	}
	return 0;
}

static void *alarms(void *unused)
{
	struct counts c = { 0 };
	unsigned int seed = 77, round = 0;

	(void)unused;
	while (!stop) {
		struct rtc_wkalrm w;
		long long now;
		int how = seed_next(&seed) % 2;

		check_no_event(&c, "before an alarm round");
		if (read_clock(&now)) {
			c.errors++;
			anomaly("RTC_RD_TIME: %s", strerror(errno));
			continue;
		}
		if (++round % 6) {
			/* Cancel: 60 s ahead, disarmed 0-200 ms later. */
			if (arm(&c, now + 60, how))
				continue;
			sleep_ms(seed_next(&seed) % 200);
			if (how == 0) {
				if (ioctl(fd, RTC_AIE_OFF, 0)) {
					c.errors++;
					anomaly("RTC_AIE_OFF: %s", strerror(errno));
				}
			} else {
				memset(&w, 0, sizeof(w));
				secs_tm(now + 60, &w.time);
				if (ioctl(fd, RTC_WKALM_SET, &w)) {
					c.errors++;
					anomaly("RTC_WKALM_SET disabled: %s", strerror(errno));
				}
			}
			memset(&w, 0, sizeof(w));
			if (ioctl(fd, RTC_WKALM_RD, &w) || w.enabled) {
				c.alarm_still_enabled++;
				anomaly("a cancelled alarm reads enabled=%d", w.enabled);
			}
			c.cancelled++;
		} else {
			/* Fire: 2 s ahead, the setters held off until it came. */
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			unsigned long data = 0;
			long long m0;

			pthread_mutex_lock(&fire_lock);
			read_clock(&now);
			if (arm(&c, now + 2, how)) {
				pthread_mutex_unlock(&fire_lock);
				continue;
			}
			m0 = mono_ms();
			if (poll(&pfd, 1, 6000) != 1) {
				c.alarm_lost++;
				anomaly("an alarm 2 s ahead gave no event in 6 s");
			} else if (read(fd, &data, sizeof(data)) != sizeof(data) ||
				   !(data & RTC_AF) || (data >> 8) != 1) {
				c.alarm_bad_count++;
				anomaly("alarm event data 0x%lx after %lld ms: want RTC_AF, one"
					" interrupt", data, mono_ms() - m0);
			} else {
				c.fired++;
			}
			memset(&w, 0, sizeof(w));
			if (ioctl(fd, RTC_WKALM_RD, &w) || w.enabled) {
				c.alarm_still_enabled++;
				anomaly("a fired alarm reads enabled=%d", w.enabled);
			}
			if (how)
				ioctl(fd, RTC_AIE_OFF, 0); /* rtcwake's last step */
			/* A duplicate would arrive by now. */
			sleep_ms(100);
			check_no_event(&c, "after an alarm fired and was read");
			pthread_mutex_unlock(&fire_lock);
		}
	}
	sleep_ms(1500);
	check_no_event(&c, "1.5 s after the last round");
	add(&c);
	return NULL;
}

static void result(int pass, const char *fmt, ...)
{
	va_list ap;

	case_no++;
	printf("%s %u %s\n", pass ? "ok" : "not ok", case_no, case_names[case_no - 1]);
	if (!pass) {
		printf("# ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
		failed++;
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	unsigned int secs = 15, nreaders = 3, nsetters = 2, i;
	pthread_t th[64];
	unsigned int nth = 0;
	long irq0, irq1;
	struct rtc_wkalrm w;
	struct rtc_time tm;
	long long now, want, elapsed;
	unsigned long anomalies;
	char *slash;
	int opt, ok;

	if (argc > 1 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < NCASES; i++)
			printf("%s\n", case_names[i]);
		return 0;
	}
	while ((opt = getopt(argc, argv, "d:r:w:")) != -1) {
		switch (opt) {
		case 'd':
			secs = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			nreaders = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			nsetters = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [--list] [-d SECONDS] [-r READERS] [-w SETTERS]"
				" [DEVICE]\n", argv[0]);
			return 2;
		}
	}
	if (optind < argc)
		dev = argv[optind];
	if (nreaders < 1 || nreaders > 30 || nsetters > 30 || secs < 1) {
		fprintf(stderr, "rtc-stress: 1..30 readers, 0..30 setters, 1 s or more\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	slash = strrchr(argv[0], '/');
	snprintf(rtc_irq_cmd, sizeof(rtc_irq_cmd), "%.*srtc-irq %s 2>/dev/null",
		 slash ? (int)(slash - argv[0] + 1) : 0, argv[0],
		 strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev);

	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("# rtc-stress: open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	ioctl(fd, RTC_AIE_OFF, 0);
	irq0 = irq_count();
	if (read_clock(&t_start)) {
		printf("# rtc-stress: RTC_RD_TIME: %s\n", strerror(errno));
		return 1;
	}
	m_start = mono_ms();
	set_value = t_start;
	set_mono = m_start;
	printf("# stress: %u s, %u readers, %u setters, 1 alarm thread on %s\n", secs,
	       nreaders, nsetters, dev);

	for (i = 0; i < nreaders; i++)
		pthread_create(&th[nth++], NULL, reader, NULL);
	for (i = 0; i < nsetters; i++)
		pthread_create(&th[nth++], NULL, setter, (void *)(uintptr_t)(i + 1));
	pthread_create(&th[nth++], NULL, alarms, NULL);
	sleep_ms(secs * 1000L);
	stop = 1;
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	m_end = mono_ms();
	irq1 = irq_count();

	/* Put things back: the alarm off, the clock where it would have been. */
	ioctl(fd, RTC_AIE_OFF, 0);
	secs_tm(t_start + (mono_ms() - m_start + 500) / 1000, &tm);
	if (ioctl(fd, RTC_SET_TIME, &tm))
		total.errors++;
	want = t_start + (mono_ms() - m_start + 500) / 1000;
	memset(&w, 0, sizeof(w));
	ok = !read_clock(&now) && !ioctl(fd, RTC_WKALM_RD, &w);
	close(fd);

	elapsed = m_end - m_start;
	printf("# stress: %lld ms: %lu reads (%lu compared), %lu sets, %lu alarms armed:"
	       " %lu fired, %lu cancelled; RTC IRQ count %ld -> %ld\n", elapsed, total.reads,
	       total.checks, total.sets, total.arms, total.fired, total.cancelled, irq0, irq1);
	printf("# stress: %lld reads/s, %lld sets/s\n", (long long)total.reads * 1000 / (elapsed ? elapsed : 1),
	       (long long)total.sets * 1000 / (elapsed ? elapsed : 1));
	anomalies = total.backwards + total.ahead + total.behind_set + total.set_readback +
		    total.alarm_lost + total.alarm_dup + total.alarm_bad_count +
		    total.alarm_still_enabled + total.errors +
		    (irq0 < 0 || irq1 - irq0 != (long)total.fired);
	printf("# stress: anomalies %lu: backwards %lu, ahead %lu, before the set %lu,"
	       " set read back %lu, alarms lost %lu, events unexpected %lu, bad event %lu,"
	       " still enabled %lu, errors %lu, IRQ count off by %ld\n", anomalies,
	       total.backwards, total.ahead, total.behind_set, total.set_readback,
	       total.alarm_lost, total.alarm_dup, total.alarm_bad_count,
	       total.alarm_still_enabled, total.errors, irq1 - irq0 - (long)total.fired);

	result(total.backwards + total.ahead + total.behind_set == 0 && total.checks > 0,
	       "%lu reads compared: %lu went backwards, %lu ahead of the time passed, %lu"
	       " before the time set", total.checks, total.backwards, total.ahead,
	       total.behind_set);
	result(total.set_readback == 0 && (total.sets > 0 || nsetters == 0),
	       "%lu sets, %lu read back wrong", total.sets, total.set_readback);
	result(total.alarm_lost + total.alarm_dup + total.alarm_bad_count +
	       total.alarm_still_enabled == 0 && total.fired > 0 && total.cancelled > 0,
	       "%lu fired, %lu cancelled; lost %lu, unexpected events %lu, bad events %lu,"
	       " still enabled %lu", total.fired, total.cancelled, total.alarm_lost,
	       total.alarm_dup, total.alarm_bad_count, total.alarm_still_enabled);
	result(irq0 >= 0 && irq1 - irq0 == (long)total.fired,
	       "RTC IRQ count %ld -> %ld: %ld interrupts for %lu alarms that fired", irq0,
	       irq1, irq1 - irq0, total.fired);
	result(total.errors == 0, "%lu ioctls failed", total.errors);
	result(ok && !w.enabled && now >= want - 2 && now <= want + 2,
	       "after: clock %+lld s from where it would have been (allowed 2), alarm"
	       " enabled=%d", now - want, w.enabled);
	printf("# rtc-stress: %u of %zu cases failed\n", failed, NCASES);
	return failed ? 1 : 0;
}
