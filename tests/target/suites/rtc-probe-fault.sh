# SPDX-License-Identifier: GPL-2.0
# The PL031 probe's failure paths, by fault injection: with the device
# unbound, bind it again and again through sysfs, each time with the Nth
# allocation (failslab, fail_page_alloc) of the writing thread made to fail
# (/proc/thread-self/fail-nth, bin/fail-nth). The bind runs the probe
# synchronously in that thread, so N walks through every allocation of
# the bind: the bus's, then each step of the driver's probe (mapping,
# devres, Arc, RTC allocation, IRQ registration, driver data, RTC
# registration), until a bind makes fewer than N calls and succeeds.
#
# For each N: a bind that failed must return an errno and leave nothing
# behind (no driver link, no RTC device, no IRQ line, no claimed memory
# region), a bind that succeeded must have bound the device (a failure
# the kernel absorbs, e.g. in a uevent), and kmemleak must find no object
# allocated by that bind's process. The stack of each injected failure
# is read from dmesg and printed, so the matrix names each step. At the
# end the RTC must read the time and fire an alarm on its interrupt, and
# the kernel must not have complained. Skips on a kernel without fault
# injection (the product); run-all runs it after rtc-rebind.
. "$(dirname "$0")/../ktap.sh"
bin=$(dirname "$0")/../bin
dbg=/sys/kernel/debug

# Give up after this many fault points (a bind makes a few dozen).
max_nth=300
# A sysfs write that takes longer than this (s) hung.
write_limit=20

[ -e "$dbg/failslab" ] || mount -t debugfs debugfs "$dbg" 2>/dev/null
if [ ! -e /proc/thread-self/fail-nth ] || [ ! -d "$dbg/failslab" ] ||
	[ ! -d "$dbg/fail_page_alloc" ]; then
	ktap_begin rtc-probe-fault 1
	ktap_skip fault_matrix "no fault injection in this kernel (CONFIG_FAULT_INJECTION, FAILSLAB, FAIL_PAGE_ALLOC, FAULT_INJECTION_DEBUG_FS)"
	exit 0
fi

kmsg_mark() { echo "<6>rtc-probe-fault: $1" >/dev/kmsg 2>/dev/null; }
# The kernel log since mark $1 (without the mark).
dmesg_since() { dmesg | awk -v m="rtc-probe-fault: $1" 'on; index($0, m) { on = 1 }'; }
splat_re='WARNING:|BUG|Oops|Unable to handle|Internal error|Kernel panic|cut here|UBSAN:|INFO: |lock held|locks held|nobody cared'

# The PL031 and its driver, as rtc-rebind finds them.
dev=
for d in /sys/bus/amba/devices/*; do
	[ -e "$d/of_node/compatible" ] || continue
	if tr '\0' '\n' <"$d/of_node/compatible" | grep -qx 'arm,pl031'; then
		dev=${d##*/}
		break
	fi
done
devpath=
[ -z "$dev" ] || devpath=$(cd -P "/sys/bus/amba/devices/$dev" && pwd)
drv=
[ -z "$dev" ] || drv=$(basename "$(readlink "/sys/bus/amba/devices/$dev/driver" 2>/dev/null)")
[ "$drv" != . ] || drv=
drvdir=/sys/bus/amba/drivers/$drv
echo "# PL031: AMBA device '${dev:-none}', driver '${drv:-none}'"

rtc_of_pl031() {
	ro=
	for r in /sys/class/rtc/rtc*; do
		[ -e "$r/device" ] || continue
		[ "$(cd -P "$r/device" 2>/dev/null && pwd)" != "$devpath" ] || ro="$ro ${r##*/}"
	done
	echo "${ro# }"
}
bound_to() { basename "$(readlink "/sys/bus/amba/devices/$dev/driver" 2>/dev/null)"; }
# What a failed probe must not leave behind; prints what it finds.
remnants() {
	b=$(bound_to)
	[ "$b" = . ] || [ -z "$b" ] || echo "bound to '$b';"
	r=$(rtc_of_pl031)
	[ -z "$r" ] || echo "RTC device(s) $r;"
	i=$(grep 'rtc-pl031' /proc/interrupts)
	[ -z "$i" ] || echo "IRQ line '$(echo $i)';"
	m=$(grep 'rtc-pl031' /proc/iomem)
	[ -z "$m" ] || echo "memory region '$(echo $m)';"
}

# Quiet sysfs writes that cannot hang the suite: $1 file, $2 string.
sysfs_write() {
	timeout -s KILL "$write_limit" sh -c 'printf "%s" "$2" >"$1"' sh "$1" "$2" 2>&1
}

# Function names of the stack dumped with the injected fault, innermost
# first, from the first frame above the allocator to bind_store: where
# the fault landed. Rust v0 symbols are shortened to their last names.
fault_site() {
	awk '
		# The identifiers of a Rust v0 symbol (<len><name>), joined with
		# "::"; crate hashes (Cs..._), back references (B..._) and
		# disambiguators (s..._) skipped. Enough to read, not a demangler.
		function v0_names(f,    i, c, n, out, id) {
			i = 3; out = ""
			while (i <= length(f)) {
				c = substr(f, i, 1)
				if (c ~ /[0-9]/) {
					n = 0
					while (substr(f, i, 1) ~ /[0-9]/) { n = n * 10 + substr(f, i, 1); i++ }
					if (substr(f, i, 1) == "_") i++
					id = substr(f, i, n); i += n
					if (n >= 2) out = out (out == "" ? "" : "::") id
				} else if (c == "C" && substr(f, i + 1, 1) == "s" || c == "B" || c == "s") {
					i += (c == "C" ? 2 : 1)
					while (i <= length(f) && substr(f, i, 1) != "_") i++
					i++
				} else {
					i++
				}
			}
			return out
		}
		/FAULT_INJECTION: forcing a failure/ { on = 1; next }
		on && / from / {
			sub(/^\[[^]]*\] */, "")
			f = $1; sub(/\+0x.*/, "", f)
			if (f ~ /^_R/) f = v0_names(f)
			# The caller, in case the unwinder cannot go past it: ARM
			# has no unwind entries for Rust code, so a stack ends at
			# the first Rust frame.
			caller = $3; sub(/\+0x.*/, "", caller)
			if (caller ~ /^_R/) caller = v0_names(caller)
			if (f ~ /^(unwind_backtrace|show_stack|dump_stack|dump_stack_lvl|should_fail|should_fail_ex|should_failslab|__should_failslab|should_fail_alloc_page|fail_dump)$/) next
			frames = frames (frames == "" ? "" : " < ") f
			if (f ~ /bind_store/) { caller = ""; exit }
		}
		END { if (caller != "" && frames != "") frames = frames " < " caller; print frames }'
}

tmp=/tmp/rtc-probe-fault
rm -rf "$tmp"
mkdir -p "$tmp"
pre=
[ -n "$dev" ] && [ -n "$drv" ] || pre="no PL031 bound to a driver: AMBA device '${dev:-none}', driver '${drv:-none}'"

# Fault attributes: fail-nth alone decides (probability stays 0); sleeping
# allocations and order-0 pages count too; every injection dumps its
# stack, without rate limit.
for a in failslab fail_page_alloc; do
	echo N >"$dbg/$a/ignore-gfp-wait"
	echo 2 >"$dbg/$a/verbose"
	echo 0 >"$dbg/$a/verbose_ratelimit_interval_ms"
done
echo N >"$dbg/fail_page_alloc/ignore-gfp-highmem"
echo 0 >"$dbg/fail_page_alloc/min-order"

kmsg_mark "suite begins"
console_level=5
if [ -z "$pre" ]; then
	out=$(sysfs_write "$drvdir/unbind" "$dev") || pre="unbinding $dev from $drv: $out"
fi
[ -n "$pre" ] || [ -z "$(remnants)" ] || pre="after the unbind: $(remnants)"

# The injected faults' stack dumps would flood the console: the suite
# reads them from dmesg, and checks dmesg for complaints itself.
dmesg -n 1
n=0
done_at=
while [ -z "$pre" ] && [ "$n" -lt "$max_nth" ]; do
	n=$((n + 1))
	kmsg_mark "nth $n"
	line=$(timeout -s KILL "$write_limit" "$bin/fail-nth" "$n" "$drvdir/bind" "$dev" 2>&1)
	st=$?
	slice=$(dmesg_since "nth $n")
	site=$(echo "$slice" | fault_site)
	splat=$(echo "$slice" | grep -E "$splat_re" | head -n 5 | tr '\n' ' ')
	pid=$(echo "$line" | sed -n 's/^pid=\([0-9]*\) .*/\1/p')
	res=$(echo "$line" | sed -n 's/.* write=\([^ ]*\) .*/\1/p')
	inj=$(echo "$line" | sed -n 's/.* injected=\([a-z]*\)$/\1/p')
	why=
	[ "$st" = 0 ] && [ -n "$pid" ] || why="fail-nth $n: status $st: $line;"
	left=$(remnants)
	case "$res:$inj" in
	ok:no)	# Fewer than N fault points: the complete bind.
		b=$(bound_to)
		[ "$b" = "$drv" ] || why="$why the bind succeeded but $dev is bound to '$b';"
		done_at=$n ;;
	ok:yes)	# A fault the kernel absorbed: the device must be bound, with
		# its RTC device, except where the RTC core itself goes on
		# without it: a failed cdev_device_add() only logs "failed to
		# add char device" and registers the RTC anyway (RTC_NO_CDEV,
		# drivers/rtc/class.c), for any driver.
		b=$(bound_to)
		[ "$b" = "$drv" ] || why="$why the bind succeeded with fault $n injected, but $dev is bound to '$b';"
		if [ -z "$(rtc_of_pl031)" ]; then
			if echo "$slice" | grep -q 'failed to add char device'; then
				echo "$n" >>"$tmp/no-cdev"
			else
				why="$why the bind succeeded with fault $n injected, but $dev has no RTC device;"
			fi
		fi
		out=$(sysfs_write "$drvdir/unbind" "$dev") || why="$why unbinding after it: $out;"
		[ -z "$(remnants)" ] || why="$why after that unbind: $(remnants)" ;;
	errno*:yes)
		[ -z "$left" ] || why="$why the failed bind left: $left" ;;
	errno*:no)
		why="$why the bind failed with no fault injected ($res); left: ${left:-nothing}" ;;
	*)	[ -n "$why" ] || why="fail-nth $n printed '$line'" ;;
	esac
	[ -z "$splat" ] || why="$why dmesg: $splat"
	echo "$n $pid $res $inj" >>"$tmp/steps"
	# failslab dumps no stack for a __GFP_NOWARN allocation (kmemleak's
	# own metadata among them: it falls back to its pool).
	printf '%s\n' "${site:-(no stack: a __GFP_NOWARN allocation)}" >"$tmp/site.$n"
	printf '%s' "$why" >"$tmp/why.$n"
	[ -z "$done_at" ] || break
	# A remnant would make every later step fail the same way.
	[ -z "$(remnants)" ] || break
done
dmesg -n "$console_level"
for a in failslab fail_page_alloc; do echo 0 >"$dbg/$a/verbose"; done

# Leaks: kmemleak reports an object once it is 5 s old and unreferenced;
# its report names the allocating process, i.e. the step.
leaks_by_pid=
kml=$dbg/kmemleak
if [ -e "$kml" ] && [ -z "$pre" ]; then
	sleep 6
	echo scan >"$kml" && echo scan >"$kml"
	leaks_by_pid=$(awk '/^unreferenced object/ { getline; if (match($0, /pid [0-9]+/)) print substr($0, RSTART + 4, RLENGTH - 4) }' "$kml")
fi
leak_note="kmemleak: not in this kernel, leaks not checked"
[ ! -e "$kml" ] || leak_note=

steps=0
[ ! -f "$tmp/steps" ] || steps=$(wc -l <"$tmp/steps")
ktap_begin rtc-probe-fault $((steps + 3))
[ -n "$pre" ] && echo "# cannot run the matrix: $pre"
if [ "$steps" -gt 0 ]; then
	while read -r n pid res inj; do
		why=$(cat "$tmp/why.$n")
		leak=no
		if [ -n "$leak_note" ]; then
			leak=unchecked
		elif echo "$leaks_by_pid" | grep -qx "$pid"; then
			leak=yes
			why="$why kmemleak: $(echo "$leaks_by_pid" | grep -cx "$pid") object(s) of pid $pid unreferenced:
$(awk -v p="pid $pid," 'index($0, p) { on = 1 } /^unreferenced object/ { on = 0 } on' "$kml" | head -n 20)"
		fi
		note=
		! grep -qx "$n" "$tmp/no-cdev" 2>/dev/null || note=" (RTC core: registered without its char device, RTC_NO_CDEV)"
		echo "# nth=$n bind=$res injected=$inj leak=$leak at: $(cat "$tmp/site.$n")$note"
		[ -z "$why" ]
		ktap_result "nth_$n" $? "$why"
	done <"$tmp/steps"
fi

[ -n "$done_at" ]
ktap_result bind_completes $? "${pre:-no bind completed within $max_nth fault points}"

# The RTC works again: reads the time, and an alarm fires on its IRQ.
rtc=$(rtc_of_pl031)
why=
if [ -z "$rtc" ] || [ "$rtc" != "${rtc% *}" ]; then
	why="RTC device(s) of the PL031 after the matrix: '${rtc}'"
else
	out=$(timeout -s KILL 5 "$bin/rtc-reader" time "/dev/$rtc" 2>&1)
	echo "$out" | grep -q '^rtc=[0-9]* sys=[0-9]*$' || why="RTC_RD_TIME on /dev/$rtc: $out;"
	before=$("$bin/rtc-irq" "$rtc" 2>/dev/null | sed -n 's/.* count=\([0-9]*\)$/\1/p')
	out=$(timeout -s KILL 10 "$bin/rtc-wake" -d "/dev/$rtc" -s 1 2>&1) ||
		why="$why rtc-wake -d /dev/$rtc -s 1: $out;"
	after=$("$bin/rtc-irq" "$rtc" 2>/dev/null | sed -n 's/.* count=\([0-9]*\)$/\1/p')
	[ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "$before" ] ||
		why="$why PL031 interrupt count ${before:-?} -> ${after:-?} around the alarm;"
fi
[ -z "$why" ]
ktap_result rtc_works_after_matrix $? "$why"

splat=$(dmesg_since "suite begins" | grep -E "$splat_re" | head -n 20)
[ -z "$splat" ]
ktap_result no_splat $? "kernel complaints in dmesg since the suite began:
$splat"
[ -z "$leak_note" ] || echo "# $leak_note"
ktap_end
