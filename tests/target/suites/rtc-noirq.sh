# SPDX-License-Identifier: GPL-2.0
# A PL031 described without its interrupt: the RTC still works as a clock
# and every alarm operation fails as the C driver makes it fail
# (rtc-pl031.c clears RTC_FEATURE_ALARM when the AMBA device has no IRQ,
# and the RTC core then answers EINVAL, drivers/rtc/interface.c).
# `make test-debug` boots a device tree without the node's `interrupts`
# (scripts/dtb-no-pl031-irq.sh); with QEMU's own tree the suite skips.
. "$(dirname "$0")/../ktap.sh"
bin=$(dirname "$0")/../bin

cases="bound_without_irq no_irq_line time_reads alarm_ops_einval no_wakealarm_attr"
ktap_begin rtc-noirq "$(echo $cases | wc -w)"

node=
for n in /proc/device-tree/pl031@* /proc/device-tree/*/pl031@*; do
	[ -e "$n/compatible" ] && node=$n && break
done
if [ -z "$node" ] || [ -e "$node/interrupts" ]; then
	why="the device tree gives the PL031 an interrupt (${node:-no pl031 node}); make test-debug boots one without"
	for c in $cases; do ktap_skip "$c" "$why"; done
	exit 0
fi
echo "# PL031 node $node has no interrupts property"

# The RTC device of the PL031 (its parent is the AMBA device of the node).
rtc=
for r in /sys/class/rtc/rtc*; do
	[ -e "$r/device/of_node" ] || continue
	[ "$(cd -P "$r/device/of_node" && pwd)" = "$(cd -P "$node" && pwd)" ] &&
		rtc=${r##*/} && break
done
drv=
[ -z "$rtc" ] || drv=$(basename "$(readlink "/sys/class/rtc/$rtc/device/driver")")
[ -n "$rtc" ] && [ "$drv" = rtc-pl031 ]
ktap_result bound_without_irq $? "no RTC device of the PL031 bound to rtc-pl031 (rtc '${rtc:-none}', driver '${drv:-none}'; /sys/class/rtc: $(ls /sys/class/rtc 2>/dev/null | tr '\n' ' '))"

line=$(grep 'rtc-pl031' /proc/interrupts)
[ -z "$line" ]
ktap_result no_irq_line $? "/proc/interrupts has a PL031 line without an interrupt in the DT: $line"

if [ -z "$rtc" ]; then
	ktap_result time_reads 1 "no RTC device"
	ktap_result alarm_ops_einval 1 "no RTC device"
	ktap_result no_wakealarm_attr 1 "no RTC device"
	ktap_end
	exit
fi

out=$(timeout -s KILL 5 "$bin/rtc-reader" time "/dev/$rtc" 2>&1)
echo "$out" | grep -q '^rtc=[0-9]* sys=[0-9]*$'
ktap_result time_reads $? "RTC_RD_TIME on /dev/$rtc: $out"

# What the RTC core answers once RTC_FEATURE_ALARM is clear: EINVAL for
# every alarm call; RTC_UIE_ON is emulated with timers when
# RTC_INTF_DEV_UIE_EMUL is set, else EINVAL too; RTC_UIE_OFF with no
# update interrupt on changes nothing and succeeds.
uie_on="uie_on errno:EINVAL(22)"
zcat /proc/config.gz 2>/dev/null | grep -q '^CONFIG_RTC_INTF_DEV_UIE_EMUL=y' && uie_on="uie_on ok"
want="rd_time ok
alm_read errno:EINVAL(22)
wkalm_rd errno:EINVAL(22)
alm_set errno:EINVAL(22)
wkalm_set errno:EINVAL(22)
aie_on errno:EINVAL(22)
aie_off errno:EINVAL(22)
$uie_on
uie_off ok"
got=$(timeout -s KILL 10 "$bin/rtc-alarm-ops" "/dev/$rtc" 2>&1)
echo "$got" | sed 's/^/# /'
[ "$got" = "$want" ]
ktap_result alarm_ops_einval $? "want:
$want
got:
$got"

# The core shows wakealarm only for a device that can do alarms.
[ ! -e "/sys/class/rtc/$rtc/wakealarm" ]
ktap_result no_wakealarm_attr $? "/sys/class/rtc/$rtc/wakealarm exists"

ktap_end
