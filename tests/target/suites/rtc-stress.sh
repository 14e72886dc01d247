# SPDX-License-Identifier: GPL-2.0
# A bounded concurrency stress on /dev/rtc0 (src/rtc-stress.c): readers
# hammer RTC_RD_TIME while setters write valid times and an alarm thread
# arms and disarms the alarm. The operations done and the anomalies (which
# must be 0) are printed as diagnostics. The duration is 15 s unless the
# kernel command line says board.stress_seconds=N.
. "$(dirname "$0")/../ktap.sh"
bin=$(dirname "$0")/../bin

secs=$(sed -n 's/.*board\.stress_seconds=\([0-9][0-9]*\).*/\1/p' /proc/cmdline)
secs=${secs:-15}
# The last alarm round and the final checks take up to 10 s more.
hard=$((secs + 60))

# Kernel complaints logged since the mark, from dmesg (the harness also
# fails the boot on any WARN, BUG or oops it sees on the console); an RTC
# core "__rtc_set_alarm: err=" counts too.
mark="rtc-stress: suite begins"
echo "<6>$mark" >/dev/kmsg 2>/dev/null
splat_since_mark() {
	dmesg | awk -v m="$mark" '
		on && /WARNING|BUG|Oops|Unable to handle|Internal error|Kernel panic|cut here|nobody cared|Call trace:|Backtrace:|INFO: task|soft lockup|rcu_.*stall|__rtc_set_alarm: err/
		index($0, m) { on = 1 }
		END { if (!on) print "(mark \"" m "\" not found in dmesg: cannot tell)" }'
}

# A missing or broken program fails one case that names it.
names=$("$bin/rtc-stress" --list) || names=rtc_stress_program_runs
total=$(($(echo "$names" | wc -l) + 1))
ktap_begin rtc-stress "$total"

out=/tmp/rtc-stress.out
t0=$(awk '{ printf "%d\n", $1 * 100 }' /proc/uptime)
{ timeout -s KILL "$hard" "$bin/rtc-stress" -d "$secs" /dev/rtc0
  echo $? >/tmp/rtc-stress.status; } | tee "$out"
status=$(cat /tmp/rtc-stress.status)
t1=$(awk '{ printf "%d\n", $1 * 100 }' /proc/uptime)
echo "# rtc-stress: $(((t1 - t0) / 100)).$(((t1 - t0) % 100 / 10)) s"

total=$((total - 1)) # the program's cases; no_kernel_splat comes last
done=$(grep -c -E '^(not )?ok [0-9]+ ' "$out")
ktap_case=$done
ktap_failed=$(grep -c '^not ok ' "$out")
if [ "$done" -lt "$total" ]; then
	why="rtc-stress stopped after $done of $total cases, exit status $status"
	[ "$status" != 137 ] || why="$why (killed after ${hard}s: a call hung)"
	echo "$names" | tail -n +"$((done + 1))" | while read -r name; do
		ktap_result "$name" 1 "$why"
	done
	ktap_case=$total
	ktap_failed=$((ktap_failed + total - done))
elif [ "$status" != 0 ] && [ "$ktap_failed" -eq 0 ]; then
	echo "# rtc-stress exited with status $status though every case passed"
	ktap_failed=1
fi

splat=$(splat_since_mark)
[ -z "$splat" ]
ktap_result no_kernel_splat $? "kernel complaints in dmesg since the suite began: $splat"

ktap_end
