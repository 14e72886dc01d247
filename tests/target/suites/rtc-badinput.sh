# SPDX-License-Identifier: GPL-2.0
# Invalid input to /dev/rtc0: every RTC ioctl with out-of-range fields,
# alarms in the past, wrong request numbers and encodings, NULL pointers.
# The expected errno of each case, and the kernel function it comes from,
# is the table in src/rtc-badinput.c; the clock and the alarm must be left
# alone. Each case is followed by a "# result NAME errno=..." line meant
# for diffing two drivers' runs.
. "$(dirname "$0")/../ktap.sh"
bin=$(dirname "$0")/../bin

# The program takes about 5 s; a hung ioctl must not hang the boot.
limit=60

names=$("$bin/rtc-badinput" --list)
total=$(echo "$names" | wc -l)
ktap_begin rtc-badinput "$total"

out=/tmp/rtc-badinput.out
{ timeout -s KILL "$limit" "$bin/rtc-badinput" /dev/rtc0; echo $? >/tmp/rtc-badinput.status; } |
	tee "$out"
status=$(cat /tmp/rtc-badinput.status)

# The program printed its own result lines 1..done; carry on counting
# after them. A program killed halfway leaves the rest of its cases
# unreported: they fail here, by name.
done=$(grep -c -E '^(not )?ok [0-9]+ ' "$out")
ktap_case=$done
ktap_failed=$(grep -c '^not ok ' "$out")
if [ "$done" -lt "$total" ]; then
	why="rtc-badinput stopped after $done of $total cases, exit status $status"
	[ "$status" != 137 ] || why="$why (killed by timeout after ${limit}s: a call hung)"
	echo "$names" | tail -n +"$((done + 1))" | while read -r name; do
		ktap_result "$name" 1 "$why"
	done
	ktap_failed=$((ktap_failed + total - done))
elif [ "$status" != 0 ] && [ "$ktap_failed" -eq 0 ]; then
	echo "# rtc-badinput exited with status $status though every case passed"
	ktap_failed=1
fi

ktap_end
