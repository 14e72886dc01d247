# SPDX-License-Identifier: GPL-2.0
# The RTC set the system clock before init (RTC_HCTOSYS), and the PL031
# driver is a drop-in for the C one: whichever implementation was built
# (RTC_DRIVER_IMPL in build-info, rust or c), it registers as rtc-pl031 in
# sysfs, /proc/iomem and /proc/interrupts.
. "$(dirname "$0")/../ktap.sh"

# A boot under TCG takes seconds; a clock that hctosys did not set reads
# 1970, decades away. The bound only has to tell the two apart.
max_boot_seconds=120

ktap_begin rtc 8

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

# ...and that device is bound to rtc-pl031, the name both drivers use.
name=rtc-pl031
want=$(sed -n 's/^RTC_DRIVER=//p' /etc/build-info)
bound=$(basename "$(readlink /sys/class/rtc/rtc0/device/driver)")
[ "$want" = "$name" ] && [ "$bound" = "$name" ] && [ "${dev%% *}" = "$name" ]
ktap_result rtc0_driver_is_rtc_pl031 $? \
	"rtc0 is bound to '$bound' and logged as '${dev%% *}'; want $name (build-info says RTC_DRIVER=$want)"

# Exactly one PL031 driver is in the kernel: the C and Rust drivers are
# alternatives, and both are called rtc-pl031.
drivers=$(ls /sys/bus/amba/drivers | grep -i pl031)
[ "$drivers" = "$name" ]
ktap_result only_rtc_pl031_driver_registered $? \
	"AMBA drivers with pl031 in their name: '$(echo $drivers)'; want only $name"

# Which implementation the running kernel has, from its own config.
config=$(zcat /proc/config.gz)
c=$(echo "$config" | grep -c '^CONFIG_RTC_DRV_PL031=y$')
rust=$(echo "$config" | grep -c '^CONFIG_RTC_DRV_PL031_RUST=y$')
[ "$c$rust" = 10 ] || [ "$c$rust" = 01 ]
ktap_result one_pl031_driver_configured $? \
	"/proc/config.gz: CONFIG_RTC_DRV_PL031=y $c time(s), CONFIG_RTC_DRV_PL031_RUST=y $rust time(s); want exactly one of them"

impl=unknown
[ "$c$rust" != 10 ] || impl=c
[ "$c$rust" != 01 ] || impl=rust
want=$(sed -n 's/^RTC_DRIVER_IMPL=//p' /etc/build-info)
[ -n "$want" ] && [ "$impl" = "$want" ]
ktap_result driver_impl_matches_build_info $? \
	"/proc/config.gz builds the '$impl' PL031 driver; build-info says RTC_DRIVER_IMPL=$want"
echo "# PL031 driver implementation: $impl"

# The driver claimed the PL031's registers as rtc-pl031: /proc/iomem has,
# nested in the device's own range ("09010000-09010fff : pl031@9010000"),
# one region of that range, named rtc-pl031. The range is the AMBA
# device's resource ("\t0000000009010000\t0000000009010fff\t...").
pl031=
[ -e /sys/class/rtc/rtc0/device ] && pl031=$(basename "$(cd -P /sys/class/rtc/rtc0/device && pwd)")
range=$(awk '{ s = $1; e = $2; sub(/^0+/, "", s); sub(/^0+/, "", e); print s "-" e; exit }' \
	"/sys/bus/amba/devices/${pl031:-none}/resource" 2>/dev/null)
claims=$(awk -v range="${range:-none}" '
	/^ / {
		r = $1; s = r; e = r; sub(/-.*/, "", s); sub(/.*-/, "", e)
		sub(/^0+/, "", s); sub(/^0+/, "", e)
		if (s "-" e == range) { sub(/^ *[0-9a-f]+-[0-9a-f]+ : /, ""); print }
	}' /proc/iomem)
[ -n "$range" ] && [ "$claims" = "$name" ]
ktap_result iomem_region_is_rtc_pl031 $? \
	"/proc/iomem: regions claimed in the PL031's range (${pl031:-rtc0 has no device} at ${range:-unknown}): '$(echo $claims)'; want exactly one, $name"

# The PL031's interrupt is requested as rtc-pl031 (bin/rtc-irq finds the
# line through the device tree, not through the name).
bin=$(dirname "$0")/../bin
info=$("$bin/rtc-irq" rtc0 2>&1)
actions=$(echo "$info" | sed -n 's/.* actions=\(.*\) count=[0-9]*$/\1/p')
line=$(echo "$info" | sed -n 's/^line=//p')
[ "$actions" = "$name" ] && [ "${line##* }" = "$name" ]
ktap_result irq_name_is_rtc_pl031 $? \
	"the PL031's interrupt: handler '${actions:-none}', /proc/interrupts line '${line:-none}'; want $name ($info)"

ktap_end
