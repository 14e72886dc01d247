# SPDX-License-Identifier: GPL-2.0
# A bounded random ioctl fuzzer on /dev/rtc0 (src/rtc-fuzz.c): a fixed
# seed and count, a time limit; then read() with short and bad buffers,
# poll() with no alarm, many opens, close() with an alarm pending. Its
# "# result" lines (errno digests per block of calls and per request, and
# the file-operation errnos) must be the same for the Rust and C drivers:
# scripts/parity.sh compares them. The seed and count can be changed on
# the kernel command line: board.fuzz_seed=N board.fuzz_count=N.
. "$(dirname "$0")/../ktap.sh"
bin=$(dirname "$0")/../bin

param() { sed -n "s/.*board\.$1=\([0-9][0-9]*\).*/\1/p" /proc/cmdline; }
seed=$(param fuzz_seed)
count=$(param fuzz_count)
seed=${seed:-20261122}
count=${count:-4000}
# The program's own limit for the random calls, and a hard one for all of
# it (the file-operation cases take about 5 s): a hung call must not hang
# the boot.
limit=60
hard=$((limit + 60))

# Kernel complaints logged since the mark, from dmesg (the harness also
# fails the boot on any WARN, BUG or oops it sees on the console); an RTC
# core "__rtc_set_alarm: err=" counts too.
mark="rtc-fuzz: suite begins"
echo "<6>$mark" >/dev/kmsg 2>/dev/null
splat_since_mark() {
	dmesg | awk -v m="$mark" '
		on && /WARNING|BUG|Oops|Unable to handle|Internal error|Kernel panic|cut here|nobody cared|Call trace:|Backtrace:|INFO: task|soft lockup|rcu_.*stall|__rtc_set_alarm: err/
		index($0, m) { on = 1 }
		END { if (!on) print "(mark \"" m "\" not found in dmesg: cannot tell)" }'
}

# A missing or broken program fails one case that names it.
names=$("$bin/rtc-fuzz" --list) || names=rtc_fuzz_program_runs
total=$(($(echo "$names" | wc -l) + 1))
ktap_begin rtc-fuzz "$total"

out=/tmp/rtc-fuzz.out
t0=$(awk '{ printf "%d\n", $1 * 100 }' /proc/uptime)
{ timeout -s KILL "$hard" "$bin/rtc-fuzz" -s "$seed" -n "$count" -t "$limit" /dev/rtc0
  echo $? >/tmp/rtc-fuzz.status; } | tee "$out"
status=$(cat /tmp/rtc-fuzz.status)
t1=$(awk '{ printf "%d\n", $1 * 100 }' /proc/uptime)
echo "# rtc-fuzz: $(((t1 - t0) / 100)).$(((t1 - t0) % 100 / 10)) s"

total=$((total - 1)) # the program's cases; no_kernel_splat comes last
done=$(grep -c -E '^(not )?ok [0-9]+ ' "$out")
ktap_case=$done
ktap_failed=$(grep -c '^not ok ' "$out")
if [ "$done" -lt "$total" ]; then
	why="rtc-fuzz stopped after $done of $total cases, exit status $status"
	[ "$status" != 137 ] || why="$why (killed after ${hard}s: a call hung)"
	echo "$names" | tail -n +"$((done + 1))" | while read -r name; do
		ktap_result "$name" 1 "$why"
	done
	ktap_case=$total
	ktap_failed=$((ktap_failed + total - done))
elif [ "$status" != 0 ] && [ "$ktap_failed" -eq 0 ]; then
	echo "# rtc-fuzz exited with status $status though every case passed"
	ktap_failed=1
fi

splat=$(splat_since_mark)
[ -z "$splat" ]
ktap_result no_kernel_splat $? "kernel complaints in dmesg since the suite began: $splat"

ktap_end
