# SPDX-License-Identifier: GPL-2.0
# The RTC set the system clock before init (RTC_HCTOSYS).
. "$(dirname "$0")/../ktap.sh"

# A boot under TCG takes seconds; a clock that hctosys did not set reads
# 1970, decades away. The bound only has to tell the two apart.
max_boot_seconds=120

ktap_begin rtc 4

base=$(sed -n 's/.*board\.rtc_base=\([0-9]*\).*/\1/p' /proc/cmdline)
first=$(cat /run/first-date)
if [ -z "$base" ]; then
	ktap_skip hctosys_first_date_is_rtc_base "no board.rtc_base= on the command line"
else
	delta=$((first - base))
	[ "$delta" -ge 0 ] && [ "$delta" -le "$max_boot_seconds" ]
	ktap_result hctosys_first_date_is_rtc_base $? \
		"first date of init $first, QEMU -rtc base $base (delta ${delta}s, allowed 0..${max_boot_seconds}s)"
fi

# hctosys logs through the device that registered as rtc0, e.g.
# "rtc-pl031 9010000.pl031: setting system clock to ... UTC (1893456001)".
dev=$(dmesg | sed -n 's/^\[[ 0-9.]*\] \(.*\): registered as rtc0$/\1/p' | head -n1)
line=$(dmesg | grep -F "$dev: setting system clock to" | head -n1)
[ -n "$dev" ] && [ -n "$line" ]
ktap_result hctosys_logged_by_rtc0 $? "rtc0 is '${dev:-not registered}'; no 'setting system clock to' line from it in dmesg"
[ -z "$line" ] || echo "# ${line#*] }"

# ...and that device is bound to the driver this image was built with.
want=$(sed -n 's/^RTC_DRIVER=//p' /etc/build-info)
bound=$(basename "$(readlink /sys/class/rtc/rtc0/device/driver)")
[ -n "$want" ] && [ "$bound" = "$want" ] && [ "${dev%% *}" = "$want" ]
ktap_result rtc0_driver_is_the_built_one $? \
	"rtc0 is bound to '$bound' and logged as '${dev%% *}'; build-info says RTC_DRIVER=$want"

# Exactly one PL031 driver is in the kernel: the C and Rust drivers are
# alternatives, and the one not built must be absent.
drivers=$(ls -d /sys/bus/amba/drivers/rtc-pl031 /sys/bus/amba/drivers/rtc_pl031_rust 2>/dev/null)
[ "$drivers" = "/sys/bus/amba/drivers/$want" ]
ktap_result only_the_built_pl031_driver_registered $? \
	"AMBA PL031 drivers registered: '$(echo $drivers)'; expected only $want"

ktap_end
