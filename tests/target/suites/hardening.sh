# SPDX-License-Identifier: GPL-2.0
# The product's protections at run time: no access to physical memory
# through /dev/mem, and the clocks cannot be set without CAP_SYS_TIME.
# (init_module and finit_module returning ENOSYS is in the image suite.)
# Runs before rtc-rebind (run-all), while the PL031 is still rtc0.
. "$(dirname "$0")/../ktap.sh"
bin=$(dirname "$0")/../bin
rtc=/dev/rtc0
# The unprivileged user: nobody.
user=65534

ktap_begin hardening 5

# No /dev/mem: devtmpfs creates the node when the kernel has the driver.
if [ -e /dev/mem ]; then
	ktap_result devmem_absent 1 "/dev/mem exists: $(ls -l /dev/mem)"
else
	ktap_result devmem_absent 0
fi

# A mem node made by hand (char 1:1) must not read RAM either: the first
# System RAM range of /proc/iomem, as root sees it.
ram=$(sed -n 's/^\([0-9a-f]*\)-[0-9a-f]* : System RAM$/\1/p' /proc/iomem | head -n1)
node=/tmp/hardening-mem
rm -f "$node"
if [ -z "$ram" ]; then
	ktap_result devmem_ram_read_denied 1 "no System RAM in /proc/iomem: $(cat /proc/iomem)"
elif ! out=$(mknod "$node" c 1 1 2>&1); then
	ktap_result devmem_ram_read_denied 1 "mknod $node c 1 1: $out"
else
	out=$("$bin/devmem-read" "$node" "0x$ram" 2>&1)
	ktap_result devmem_ram_read_denied $? "$out"
	rm -f "$node"
fi

# RTC_RD_TIME works without privileges, RTC_SET_TIME and clock_settime
# do not.
out=$("$bin/rtc-unpriv" "$rtc" "$user" read 2>&1)
ktap_result rtc_rd_time_unprivileged_works $? "$out"
out=$("$bin/rtc-unpriv" "$rtc" "$user" set 2>&1)
ktap_result rtc_set_time_unprivileged_eacces $? "$out"
out=$("$bin/rtc-unpriv" "$rtc" "$user" settime 2>&1)
ktap_result clock_settime_unprivileged_eperm $? "$out"

ktap_end
