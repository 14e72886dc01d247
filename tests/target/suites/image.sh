# SPDX-License-Identifier: GPL-2.0
# The image is what was built: monolithic, no initramfs, the expected kernel.
. "$(dirname "$0")/../ktap.sh"
bin=$(dirname "$0")/../bin
info=/etc/build-info
build_value() { sed -n "s/^$1=//p" "$info"; }

ktap_begin image 6

if [ -e /proc/modules ]; then
	ktap_result proc_modules_absent 1 "/proc/modules exists"
else
	ktap_result proc_modules_absent 0
fi

out=$("$bin/modcheck" init_module 2>&1)
ktap_result init_module_enosys $? "$out"
out=$("$bin/modcheck" finit_module 2>&1)
ktap_result finit_module_enosys $? "$out"

# No initramfs: the root is the ext4 on virtio-blk, the kernel has no
# initrd support, and nothing was unpacked.
why=
grep -q '^/dev/root / ext4 ' /proc/mounts || why="$why root is not ext4 on /dev/root: $(grep ' / ' /proc/mounts);"
zcat /proc/config.gz | grep -qx '# CONFIG_BLK_DEV_INITRD is not set' || why="$why CONFIG_BLK_DEV_INITRD is set;"
! dmesg | grep -qi 'initramfs\|initrd' || why="$why dmesg mentions an initramfs: $(dmesg | grep -i 'initramfs\|initrd');"
[ ! -e /init ] || why="$why /init exists;"
[ -z "$why" ]
ktap_result no_initramfs $? "$why"

want=$(build_value KERNEL_RELEASE)
got=$(uname -r)
[ -n "$want" ] && [ "$got" = "$want" ]
ktap_result kernel_release_matches_build $? "uname -r is '$got', build-info says '$want'"

want=$(build_value KCONFIG_SHA256)
got=$(zcat /proc/config.gz | sha256sum | cut -d' ' -f1)
[ -n "$want" ] && [ "$got" = "$want" ]
ktap_result kernel_config_matches_build $? "/proc/config.gz sha256 $got, build-info says '$want'"

ktap_end
