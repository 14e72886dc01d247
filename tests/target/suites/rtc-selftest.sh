# SPDX-License-Identifier: GPL-2.0
# The kernel's RTC selftest (tools/testing/selftests/rtc/rtctest.c) on
# /dev/rtc0: one case per rtctest case, then whether any was skipped,
# whether every interrupt-driven case saw the RTC's interrupt fire, and
# whether rtctest finished in time.
. "$(dirname "$0")/../ktap.sh"
bin=$(dirname "$0")/../bin

# rtctest's cases, in its order. The ones after date_read_loop wait on
# the RTC's alarm interrupt (uie_* through the core's 1 Hz alarm timer).
cases="date_read date_read_loop uie_read uie_select alarm_alm_set
	alarm_wkalm_set alarm_alm_set_minute alarm_wkalm_set_minute"
irq_cases="uie_read uie_select alarm_alm_set alarm_wkalm_set
	alarm_alm_set_minute alarm_wkalm_set_minute"

# Run conditions. date_read_loop reads the RTC until its seconds have
# moved 31 times past the first read, under kselftest's 32 s limit: it
# takes 31 s minus where in its second the first read falls, so starting
# 0.7 s into a second leaves ~1.7 s of margin instead of 1..2 s by luck.
# The two *_minute cases each wait for the RTC's next whole minute, and
# start about 43 s after rtctest: setting the RTC's seconds to 12 first
# makes the first of them wait ~2 s instead of up to 60 (~106 s in all
# instead of up to ~165 s). bin/rtc-align does both, then execs rtctest.
align_sec=12
align_ms=700
# Hard limit for the whole of rtctest; a hung call becomes failures here.
limit=300

ktap_begin rtc-selftest 11

uptime_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
irq_count() { "$bin/rtc-irq" rtc0 2>/dev/null | sed -n 's/.* count=\([0-9]*\)$/\1/p'; }

# Stamp every line of rtctest's output with the uptime, and the lines
# that start a case (and the end) with the RTC's interrupt count: kselftest
# flushes its output before it forks each case, so a case's "RUN" line
# arrives when the case before it has ended.
log=/tmp/rtctest.log
echo "# rtctest: started, expect about 2 minutes"
{
	timeout -s KILL "$limit" "$bin/rtc-align" -s "$align_sec" -p "$align_ms" -- \
		"$bin/rtctest" /dev/rtc0 2>&1
	echo "rtctest-exit $?"
} | while IFS= read -r line; do
	irq=-
	case "$line" in
	*" RUN "*|rtctest-exit*) irq=$(irq_count) ;;
	esac
	echo "$(uptime_cs) ${irq:--} $line"
	echo "# $line" >&3
done 3>&1 >"$log"

# A killed rtctest leaves its running case behind (kselftest puts each
# case in its own process group), holding /dev/rtc0 open.
for p in /proc/[0-9]*; do
	case "$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" in
	*/bin/rtctest*) kill -9 "${p#/proc/}" 2>/dev/null ;;
	esac
done

# Per case: result (ok, fail, missing), skip reason, duration in
# hundredths of a second, RTC interrupts during the case.
summary=$(awk -v cases="$cases" '
	function close_case(up, irq) {
		if (cur == "") return
		dur[cur] = up - start[cur]
		if (irq != "-" && sirq[cur] != "-") irqs[cur] = irq - sirq[cur]
		cur = ""
	}
	{
		up = $1; irq = $2
		line = $0; sub(/^[^ ]* [^ ]* /, "", line)
	}
	line ~ /^# +RUN +rtc\.[a-z_0-9]+ \.\.\./ {
		close_case(up, irq)
		name = line; sub(/^# +RUN +rtc\./, "", name); sub(/ .*/, "", name)
		cur = name; start[name] = up; sirq[name] = irq
		next
	}
	line ~ /^rtctest-exit / { close_case(up, irq); next }
	line ~ /^(not )?ok [0-9]+ rtc\./ {
		name = line; sub(/^(not )?ok [0-9]+ rtc\./, "", name); sub(/ .*/, "", name)
		res[name] = (line ~ /^not ok/) ? "fail" : "ok"
		if (line ~ /# SKIP/) { r = line; sub(/.*# SKIP */, "", r); skip[name] = r != "" ? r : "no reason given" }
		next
	}
	# rtctest returns "ok" when alarms or update interrupts are not
	# supported, after logging "NAME:skip ...": that is a skip too.
	line ~ /:[a-z_0-9]+:skip / {
		name = line; sub(/:skip .*/, "", name); sub(/.*:/, "", name)
		r = line; sub(/.*:skip /, "", r); skip[name] = "passed but logged: skip " r
	}
	END {
		n = split(cases, c, /[ \t\n]+/)
		for (i = 1; i <= n; i++) {
			if (c[i] == "") continue
			s = skip[c[i]]; gsub(/ /, "_", s)
			printf "%s %s %s %s %s\n", c[i], res[c[i]] ? res[c[i]] : "missing",
				dur[c[i]] != "" ? dur[c[i]] : "-",
				irqs[c[i]] != "" ? irqs[c[i]] : "-", s != "" ? s : "-"
		}
	}' "$log")
status=$(sed -n 's/.* rtctest-exit \([0-9]*\)$/\1/p' "$log")
first=$(sed -n '1s/ .*//p' "$log")
last=$(sed -n '$s/ .*//p' "$log")
total_cs=$(( ${last:-0} - ${first:-0} ))

secs() { [ "$1" = - ] && echo "?" || echo "$(($1 / 100)).$(($1 / 10 % 10))"; }

skipped=
not_run=
no_irq=
loop_dur=-
for name in $cases; do
	set -- $(echo "$summary" | grep "^$name ")
	res=$2 dur=$3 irqs=$4 skip=$(echo "$5" | tr _ ' ')
	echo "# rtctest_$name: $res in $(secs "$dur") s, RTC interrupts during the case: $irqs"
	[ "$name" != date_read_loop ] || loop_dur=$dur
	case "$res" in
	missing) not_run="$not_run $name" ;;
	esac
	if [ "$skip" != - ]; then
		skipped="$skipped $name"
		ktap_skip "rtctest_$name" "$skip"
	elif [ "$res" = ok ]; then
		ktap_result "rtctest_$name" 0
	else
		# The case's own lines: from its RUN line to the next one.
		lines=$(cut -d' ' -f3- "$log" | awk -v name="rtc.$name ..." '
			/ RUN  / && index($0, name) { on = 1; print; next }
			on && (/ RUN  / || /^rtctest-exit /) { exit }
			on { print }')
		[ "$res" != missing ] || lines="no result line for rtc.$name (rtctest exit status ${status:-none})"
		ktap_result "rtctest_$name" 1 "$lines"
	fi
	case " $(echo $irq_cases) " in
	*" $name "*) [ "$irqs" != - ] && [ "$irqs" -ge 1 ] || no_irq="$no_irq $name($irqs)" ;;
	esac
done

[ -z "$skipped" ] && [ -z "$not_run" ]
ktap_result rtctest_none_skipped $? "skipped:${skipped:- none}; did not run:${not_run:- none}"

[ -z "$no_irq" ]
ktap_result rtctest_alarm_cases_saw_rtc_irq $? \
	"no RTC interrupt counted during:$no_irq (IRQ found by bin/rtc-irq: $("$bin/rtc-irq" rtc0 2>&1 | head -n1))"

echo "# rtctest: exit status ${status:-none} after $(secs "$total_cs") s (limit ${limit} s); date_read_loop took $(secs "${loop_dur:--}") s of its 32 s"
[ "$status" = 0 ]
ktap_result rtctest_exit_status $? \
	"rtctest exit status ${status:-none} after $(secs "$total_cs") s (137: killed after ${limit} s)"

ktap_end
