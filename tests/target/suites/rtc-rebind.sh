# SPDX-License-Identifier: GPL-2.0
# Unbind and bind the PL031's driver through sysfs, five times, each time
# with an RTC alarm armed and a reader blocked in read() on the RTC device.
# After every rebind the PL031 must come back as an RTC device whose clock
# reads the time and whose alarm fires on a real interrupt, the reader
# must not hang or receive an event from the unregistered device, and the
# kernel must not complain.
#
# The device is the AMBA device whose devicetree node is compatible with
# "arm,pl031" (else the device of rtc0); its driver is whatever it is
# bound to, so the suite does not depend on the driver's name. A reader
# keeps its RTC device alive after the unbind, so the PL031 comes back
# under another number (rtc1, then rtc0 again once the old one is
# released...): the suite finds it each time. run-all runs this suite
# last, since the other suites use /dev/rtc0.
. "$(dirname "$0")/../ktap.sh"
bin=$(dirname "$0")/../bin

rounds=5
# The blocked reader's alarm is this far ahead: still pending at the
# unbind, which follows within a second.
reader_alarm=5
# After the rebind, rtc-wake -s 1 arms the alarm for the RTC's time + 2 s:
# it fires 1 to 2 s later (the RTC counts whole seconds). Allowed, in
# hundredths of a second:
wake_min_cs=90
wake_max_cs=400
# RTC_RD_TIME minus the system time may move this far (s) from what it was
# before the first round (earlier suites may have left the two apart).
clock_slack=2
# How long the reader may take to block, and to die after SIGTERM (cs).
block_limit_cs=300
term_limit_cs=300
# A sysfs write to bind or unbind that takes longer than this (cs) hung.
write_limit_cs=1000

ktap_begin rtc-rebind $((rounds + 1))

uptime_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
secs() { echo "$(($1 / 100)).$(($1 / 10 % 10))"; }

# Process state letter (R, S, D, Z...), or nothing once it is gone.
proc_state() { awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null; }
# The syscall a process is blocked in (3 is read on ARM EABI), or "?"
# when the kernel has no /proc/PID/syscall.
proc_syscall() {
	if [ -e "/proc/$1/syscall" ]; then
		cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null
	elif [ -e "/proc/$1" ]; then
		echo "?"
	fi
}
exited() { case "$(proc_state "$1")" in "" | Z) return 0 ;; esac; return 1; }
# Wait up to $2 hundredths of a second for process $1 to exit.
wait_exit() {
	we_end=$(($(uptime_cs) + $2))
	while ! exited "$1"; do
		[ "$(uptime_cs)" -lt "$we_end" ] || return 1
		sleep 0.05
	done
}

# Marks in the kernel log, at KERN_INFO so they stay off the console.
kmsg_mark() { echo "<6>rtc-rebind: $1" >/dev/kmsg 2>/dev/null; }
# Kernel complaints logged after mark $1; nothing when there are none.
splat_since() {
	dmesg | awk -v m="rtc-rebind: $1" '
		on && /WARNING|BUG|Oops|Unable to handle|Internal error|Kernel panic|cut here|nobody cared|Call trace:|Backtrace:|INFO: task/
		index($0, m) { on = 1 }
		END { if (!on) print "(mark \"" m "\" not found in dmesg: cannot tell)" }'
}

# The PL031: its name on the AMBA bus, and its sysfs path.
dev=
for d in /sys/bus/amba/devices/*; do
	[ -e "$d/of_node/compatible" ] || continue
	if tr '\0' '\n' <"$d/of_node/compatible" | grep -qx 'arm,pl031'; then
		dev=${d##*/}
		break
	fi
done
if [ -z "$dev" ] && [ -e /sys/class/rtc/rtc0/device ]; then
	d=$(cd -P /sys/class/rtc/rtc0/device 2>/dev/null && pwd)
	[ ! -e "/sys/bus/amba/devices/${d##*/}" ] || dev=${d##*/}
fi
devpath=
[ -z "$dev" ] || devpath=$(cd -P "/sys/bus/amba/devices/$dev" 2>/dev/null && pwd)
drv=
[ -z "$dev" ] || drv=$(basename "$(readlink "/sys/bus/amba/devices/$dev/driver" 2>/dev/null)")
[ "$drv" != . ] || drv=
drvdir=/sys/bus/amba/drivers/$drv
echo "# PL031: AMBA device '${dev:-none}', driver '${drv:-none}'"

# The RTC class devices whose device is the PL031 (normally one).
rtc_of_pl031() {
	ro=
	for r in /sys/class/rtc/rtc*; do
		[ -e "$r/device" ] || continue
		[ "$(cd -P "$r/device" 2>/dev/null && pwd)" != "$devpath" ] || ro="$ro ${r##*/}"
	done
	echo "${ro# }"
}

irq_count() { "$bin/rtc-irq" "$1" 2>/dev/null | sed -n 's/.* count=\([0-9]*\)$/\1/p'; }

# RTC_RD_TIME through the helper: sets rtc_t and sys_t, or returns 1.
read_clock() {
	rc_out=$(timeout -s KILL 5 "$bin/rtc-reader" time "/dev/$1" 2>&1)
	rtc_t=$(echo "$rc_out" | sed -n 's/^rtc=\([0-9]*\) sys=[0-9]*$/\1/p')
	sys_t=$(echo "$rc_out" | sed -n 's/^rtc=[0-9]* sys=\([0-9]*\)$/\1/p')
	[ -n "$rtc_t" ] && [ -n "$sys_t" ]
}

# Write $2 to the sysfs file $1 from a background shell, so that a write
# that never returns cannot hang the boot. Sets write_err; returns 0 when
# the write succeeded, 1 when it failed, 2 when it hung.
sysfs_write() {
	sh -c 'printf "%s" "$2" >"$1"' sh "$1" "$2" >/tmp/rtc-rebind.write 2>&1 &
	sw_pid=$!
	if ! wait_exit "$sw_pid" "$write_limit_cs"; then
		kill -9 "$sw_pid" 2>/dev/null
		write_err="still running after $(secs "$write_limit_cs") s (state $(proc_state "$sw_pid"))"
		return 2
	fi
	wait "$sw_pid"
	sw_status=$?
	write_err=$(tr '\n' ' ' </tmp/rtc-rebind.write)
	[ "$sw_status" = 0 ] || { write_err="the write failed (status $sw_status) ${write_err}"; return 1; }
}

# The RTC's offset from the system clock before the first round.
base_off=
first=$(rtc_of_pl031)
if [ -n "$first" ] && read_clock "$first"; then
	base_off=$((rtc_t - sys_t))
	echo "# before round 1: $first reads $rtc_t, system time $sys_t (offset ${base_off} s)"
else
	echo "# before round 1: cannot read the PL031's clock (RTC device '${first:-none}'): $rc_out"
fi

kmsg_mark "suite begins"
readers=

round() {
	why=
	note=
	t_begin=$(uptime_cs)
	kmsg_mark "round $1 begins"

	if [ -z "$dev" ] || [ -z "$drv" ]; then
		why="no PL031 bound to a driver: AMBA device '${dev:-none}', driver '${drv:-none}'"
		return
	fi
	old=$(rtc_of_pl031)
	case "$old" in
	"") why="no RTC device of $dev at the start of the round (/sys/class/rtc: $(ls /sys/class/rtc | tr '\n' ' '))"; return ;;
	*" "*) why="$dev has several RTC devices: $old"; return ;;
	esac

	# 1. An alarm armed, and a reader blocked in read() on the device.
	"$bin/rtc-reader" block "/dev/$old" "$reader_alarm" >/tmp/rtc-rebind.reader 2>&1 &
	rpid=$!
	readers="$readers $rpid"
	end=$(($(uptime_cs) + block_limit_cs))
	while :; do
		st=$(proc_state "$rpid")
		sc=$(proc_syscall "$rpid")
		grep -q '^armed ' /tmp/rtc-rebind.reader && [ "$st" = S ] &&
			case "$sc" in 3 | "?") true ;; *) false ;; esac && break
		if exited "$rpid" || [ "$(uptime_cs)" -ge "$end" ]; then
			why="the reader on /dev/$old was not blocked in read() after arming the alarm ${reader_alarm} s ahead: state '${st:-exited}', syscall '${sc:-none}' (want S and 3), output: $(tr '\n' ' ' </tmp/rtc-rebind.reader)"
			kill -9 "$rpid" 2>/dev/null
			return
		fi
		sleep 0.05
	done
	armed=$(sed -n 's/^armed //p' /tmp/rtc-rebind.reader)

	# 2. Unbind: the driver lets go of the device, and the RTC device goes.
	sysfs_write "$drvdir/unbind" "$dev"
	ws=$?
	[ "$ws" = 0 ] || why="$why unbind: writing '$dev' to $drvdir/unbind: $write_err;"
	if [ -e "/sys/bus/amba/devices/$dev/driver" ]; then
		why="$why after the unbind $dev is still bound to '$(basename "$(readlink "/sys/bus/amba/devices/$dev/driver")")';"
	fi
	left=$(rtc_of_pl031)
	[ -z "$left" ] || why="$why after the unbind RTC device(s) of $dev remain: $left;"
	[ ! -e "/dev/$old" ] || why="$why after the unbind /dev/$old still exists;"
	exited "$rpid" && note="$note the reader ended at the unbind;"

	# 3. Bind: the same driver, and a new RTC device of the PL031.
	sysfs_write "$drvdir/bind" "$dev"
	ws=$?
	[ "$ws" = 0 ] || why="$why bind: writing '$dev' to $drvdir/bind: $write_err;"
	now_drv=$(basename "$(readlink "/sys/bus/amba/devices/$dev/driver" 2>/dev/null)")
	[ "$now_drv" = "$drv" ] || why="$why after the bind $dev is bound to '$now_drv', want '$drv';"
	new=$(rtc_of_pl031)
	case "$new" in
	"") why="$why after the bind no RTC device of $dev (/sys/class/rtc: $(ls /sys/class/rtc | tr '\n' ' '));" ;;
	*" "*) why="$why after the bind $dev has several RTC devices: $new;" ;;
	esac
	if [ -n "$new" ] && [ "$new" = "${new% *}" ]; then
		[ -c "/dev/$new" ] || why="$why /dev/$new is not a character device;"

		# 4. The clock reads the time.
		if ! read_clock "$new"; then
			why="$why RTC_RD_TIME on /dev/$new failed: $rc_out;"
		elif [ -z "$base_off" ]; then
			why="$why /dev/$new reads $rtc_t, system time $sys_t, but there is no reading from before round 1 to compare;"
		else
			off=$((rtc_t - sys_t))
			drift=$((off - base_off))
			[ "$drift" -ge "-$clock_slack" ] && [ "$drift" -le "$clock_slack" ] ||
				why="$why RTC_RD_TIME on /dev/$new read $rtc_t at system time $sys_t: offset $off s, was $base_off s before round 1 (allowed ${clock_slack} s apart);"
		fi

		# 5. An alarm 2 s ahead fires, on the PL031's interrupt.
		before=$(irq_count "$new")
		t0=$(uptime_cs)
		wake_out=$(timeout -s KILL 10 "$bin/rtc-wake" -d "/dev/$new" -s 1 2>&1)
		wst=$?
		took=$(($(uptime_cs) - t0))
		after=$(irq_count "$new")
		[ "$wst" = 0 ] && [ "$took" -ge "$wake_min_cs" ] && [ "$took" -le "$wake_max_cs" ] ||
			why="$why rtc-wake -d /dev/$new -s 1 (alarm 2 s ahead): status $wst (137: killed after 10 s) after $(secs "$took") s, want 0 after $(secs "$wake_min_cs")..$(secs "$wake_max_cs") s; output: $(echo "$wake_out" | tr '\n' ' ');"
		[ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "$before" ] ||
			why="$why PL031 interrupt count in /proc/interrupts ${before:-?} -> ${after:-?} around the alarm on /dev/$new (want an increase; rtc-irq $new: $("$bin/rtc-irq" "$new" 2>&1 | head -n1));"
	fi

	# 6. The reader: it may end with an error or EOF, must not receive an
	# event from the unregistered device, and must not be stuck.
	if exited "$rpid"; then
		fate=exited
	else
		# The RTC core does not wake readers when a device goes away:
		# a reader still waiting is ended with SIGTERM, which must work.
		kill -TERM "$rpid" 2>/dev/null
		if wait_exit "$rpid" "$term_limit_cs"; then
			fate="still blocked in read() $(secs $(($(uptime_cs) - t_begin))) s into the round; SIGTERM ended it"
		else
			fate="still blocked, and alive $(secs "$term_limit_cs") s after SIGTERM (state $(proc_state "$rpid"))"
			why="$why the reader on the unregistered $old did not end within $(secs "$term_limit_cs") s of SIGTERM (state $(proc_state "$rpid"), syscall $(proc_syscall "$rpid"));"
			kill -9 "$rpid" 2>/dev/null
		fi
	fi
	if exited "$rpid"; then
		wait "$rpid"
		rst=$?
		rout=$(sed -n 's/^read: //p' /tmp/rtc-rebind.reader)
		[ "$fate" != exited ] || fate="read() returned: ${rout:-nothing} (exit status $rst)"
		case "$rst:$rout" in
		0:error* | 0:EOF | 143:) ;;
		*) why="$why the reader blocked on $old before the unbind: $fate, output $(tr '\n' ' ' </tmp/rtc-rebind.reader)(want an error, EOF or no event at all);" ;;
		esac
	fi

	# 7. No kernel complaint since the round began.
	splat=$(splat_since "round $1 begins")
	[ -z "$splat" ] || why="$why dmesg since the round began: $splat;"

	alarm="not tried"
	[ -z "$took" ] || alarm="rtc-wake status $wst after $(secs "$took") s, IRQ count ${before:-?} -> ${after:-?}"
	note="$old -> ${new:-nothing} ($armed); reader: $fate; clock offset ${off:-?} s; alarm $alarm;$note"
	note="$note $(secs $(($(uptime_cs) - t_begin))) s"
}

for i in $(seq 1 "$rounds"); do
	off= took= before= after= new= armed= fate=
	round "$i"
	[ -z "$note" ] || echo "# round $i: $note"
	[ -z "$why" ]
	ktap_result "rebind_round_$i" $? "round $i: $why"
done

# After all rounds: nothing logged by the kernel since the suite began,
# and no reader left behind.
left=
for p in $readers; do exited "$p" || left="$left $p"; done
splat=$(splat_since "suite begins")
[ -z "$splat" ] && [ -z "$left" ]
ktap_result no_splat $? "kernel complaints in dmesg since the suite began: ${splat:-none}; readers still running:${left:- none}"

ktap_end
