# SPDX-License-Identifier: GPL-2.0
# The RTC through the usual tools: hwclock writes and reads it back,
# rtcwake -m on returns on a real alarm interrupt, and /proc/interrupts
# counts the RTC's line. The RTC is found as /dev/rtc0 and its interrupt
# through its device (bin/rtc-irq), not through a driver name.
. "$(dirname "$0")/../ktap.sh"
bin=$(dirname "$0")/../bin

ktap_begin rtc-clock 5

# Hundredths of a second since boot.
uptime_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }

# hwclock -r prints "Sat Jun 14 10:40:00 2031  0.000000 seconds"; the
# seconds since the epoch it stands for, or nothing.
hwclock_read() {
	timeout -s KILL 10 hwclock -r -u 2>/dev/null | awk '
	{
		m = index("JanFebMarAprMayJunJulAugSepOctNovDec", $2)
		if (NF >= 5 && m % 3 == 1)
			printf "%04d-%02d-%02d %s\n", $5, (m + 2) / 3, $3, $4
	}' | { read -r when && date -u -d "$when" +%s; }
}

irq_count() { "$bin/rtc-irq" rtc0 2>/dev/null | sed -n 's/.* count=\([0-9]*\)$/\1/p'; }

# The clock as it was, to put back at the end: hctosys set the system
# time from the RTC at boot, and later suites read both.
saved_sys=$(date -u +%s)
saved_up=$(uptime_cs)

# 1. hwclock -w writes the system time; hwclock -r reads it back.
known=1939200000 # 2031-06-14T10:40:00Z
date -u -s "@$known" >/dev/null
timeout -s KILL 10 hwclock -w -u
wst=$?
got=$(hwclock_read)
now=$(date -u +%s)
[ "$wst" = 0 ] && [ -n "$got" ] && [ "$got" -ge "$known" ] && [ "$got" -le "$((now + 1))" ] &&
	[ "$got" -ge "$((now - 2))" ]
ktap_result hwclock_write_read_roundtrip $? \
	"system time set to $known, hwclock -w status $wst; hwclock -r read '${got:-nothing}', system time now $now (allowed $known..$((now + 1)), at most 2 s behind)"

# 2. The same across a year boundary: the RTC keeps counting, and the date
# read back is in the new (leap) year.
known=2082758398 # 2035-12-31T23:59:58Z
date -u -s "@$known" >/dev/null
timeout -s KILL 10 hwclock -w -u
wst=$?
sleep 3
got=$(hwclock_read)
now=$(date -u +%s)
[ "$wst" = 0 ] && [ -n "$got" ] && [ "$got" -ge 2082758400 ] && [ "$got" -le "$((now + 1))" ] &&
	[ "$got" -ge "$((now - 2))" ]
ktap_result hwclock_roundtrip_new_year $? \
	"wrote 2035-12-31T23:59:58Z (status $wst), 3 s later hwclock -r read '${got:-nothing}' ($(date -u -d "@${got:-0}" +%FT%TZ)), system time $now; want 2036-01-01T00:00:00Z or later, at most 2 s behind"

# 3. hwclock -s sets the system time from the RTC (what hctosys does).
rtc=$(cat /sys/class/rtc/rtc0/since_epoch)
date -u -s "@$saved_sys" >/dev/null
timeout -s KILL 10 hwclock -s -u
sst=$?
now=$(date -u +%s)
rtc_now=$(cat /sys/class/rtc/rtc0/since_epoch)
[ "$sst" = 0 ] && [ "$((now - rtc_now))" -ge -2 ] && [ "$((now - rtc_now))" -le 2 ]
ktap_result hwclock_hctosys $? \
	"RTC at $rtc, system time moved to $saved_sys, hwclock -s status $sst; system time now $now, RTC $rtc_now (allowed 2 s apart)"

# Put the system time and the RTC back where they would have been.
date -u -s "@$((saved_sys + ($(uptime_cs) - saved_up) / 100))" >/dev/null
timeout -s KILL 10 hwclock -w -u

# 4. rtcwake -m on -s 2 waits in read() for the alarm event; the RTC's
# interrupt must have fired for it, not a software timer.
if busybox --list 2>/dev/null | grep -qx rtcwake; then
	wake="rtcwake -d rtc0 -m on -s 2"
else
	echo "# this busybox has no rtcwake applet; bin/rtc-wake makes the same calls (RTC_ALM_SET, RTC_AIE_ON, read until RTC_AF)"
	wake="$bin/rtc-wake -d /dev/rtc0 -s 2"
fi
before=$(irq_count)
t0=$(uptime_cs)
# shellcheck disable=SC2086 # $wake is a command line
out=$(timeout -s KILL 15 $wake 2>&1)
st=$?
t1=$(uptime_cs)
after=$(irq_count)
took=$((t1 - t0))
[ "$st" = 0 ] && [ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "$before" ] &&
	[ "$took" -ge 190 ] && [ "$took" -le 500 ]
ktap_result rtcwake_on_2s_real_alarm_irq $? \
	"'$wake' status $st after $((took / 100)).$((took / 10 % 10)) s (want 2..5 s; 137 = killed after 15 s); RTC IRQ count ${before:-?} -> ${after:-?} (want an increase); output: $out"
echo "# rtcwake: RTC IRQ count ${before:-?} -> ${after:-?}, $((took / 100)).$((took / 10 % 10)) s"

# 5. /proc/interrupts has a line for the RTC's interrupt, and it counted
# the alarm above.
info=$("$bin/rtc-irq" rtc0 2>&1)
count=$(echo "$info" | sed -n 's/.* count=\([0-9]*\)$/\1/p')
[ -n "$count" ] && [ "$count" -gt 0 ]
ktap_result proc_interrupts_rtc_line_counts $? "$info"
echo "$info" | sed 's/^/# /'

ktap_end
