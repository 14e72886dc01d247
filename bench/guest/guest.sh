#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What the bench measures inside the guest, printed as "bench: key=value"
# lines and, last, the kernel log as "bench-dmesg: " lines (the host reads
# printk timestamps there: initcall_debug's lines are KERN_DEBUG and never
# reach the console). The host (bench/analyze.py) interprets all of it.
rtc=/dev/rtc0
calls=$(sed -n 's/.*bench\.calls=\([0-9]*\).*/\1/p' /proc/cmdline)
rounds=$(sed -n 's/.*bench\.rounds=\([0-9]*\).*/\1/p' /proc/cmdline)
optime=$(sed -n 's/.*bench\.optime=\([0-9]*\).*/\1/p' /proc/cmdline)
base=$(sed -n 's/.*board\.rtc_base=\([0-9]*\).*/\1/p' /proc/cmdline)
echo "bench: rtc_base=${base:-none}"
echo "bench: date_after_init=$(date -u +%s)"

for key in MemTotal MemFree MemAvailable Slab SReclaimable SUnreclaim KernelStack PageTables; do
	echo "bench: meminfo_$key=$(sed -n "s/^$key: *\([0-9]*\) kB/\1/p" /proc/meminfo)"
done

# Attack surface.
/usr/lib/bench/rtc-bench syscalls
if [ -e /proc/modules ]; then
	echo "bench: proc_modules=yes"
	sed 's/^/bench: module=/' /proc/modules
	# What a module keeps of its symbol table for kallsyms, per module:
	# the symbols and the bytes of their names.
	awk '$4 ~ /^\[/ { m = substr($4, 2, length($4) - 2); n[m]++; b[m] += length($3) + 1 }
		END { for (m in n) printf "bench: module_kallsyms=%s %d %d\n", m, n[m], b[m] }' \
		/proc/kallsyms
else
	echo "bench: proc_modules=no"
fi
echo "bench: sys_module_dirs=$(find /sys/module -mindepth 1 -maxdepth 1 | wc -l)"
echo "bench: sys_module_parameter_files=$(find /sys/module/*/parameters -type f 2>/dev/null | wc -l)"
echo "bench: kallsyms_lines=$(wc -l </proc/kallsyms)"
echo "bench: kallsyms_nonzero_addresses=$(grep -vc '^00000000 ' /proc/kallsyms)"
echo "bench: kptr_restrict=$(cat /proc/sys/kernel/kptr_restrict)"
echo "bench: rtc_driver=$(basename "$(readlink /sys/class/rtc/rtc0/device/driver)")"

if [ -e "$rtc" ]; then
	/usr/lib/bench/rtc-bench ioctl "$rtc" "${calls:-2000}" "${rounds:-3}" ||
		echo "bench: ioctl_failed=yes"
	# Three rounds of one second each: how late read() wakes after the alarm.
	/usr/lib/bench/rtc-bench alarm "$rtc" 3 || echo "bench: alarm_failed=yes"
else
	echo "bench: ioctl_failed=no $rtc"
fi

# The driver's own ops, timed in the kernel (bench/kernel/): three writes,
# one line each; a failed write prints the shell's error and optime_failed.
run=/sys/module/rtc_optime_bench/parameters/run
if [ -e "$run" ]; then
	r=0
	while [ "$r" -lt 3 ]; do
		if echo "${optime:-20000}" >"$run"; then
			echo "bench: optime $(cat "$run")"
		else
			echo "bench: optime_failed=yes"
		fi
		r=$((r + 1))
	done
else
	echo "bench: optime_failed=no $run"
fi

dmesg | sed 's/^/bench-dmesg: /'
