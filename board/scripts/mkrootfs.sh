#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Assemble the target root filesystem and write it as an ext4 image with
# `mke2fs -d` (no root, no loop mount, no initramfs).
#
# usage: mkrootfs.sh STAGING OUT_IMAGE
# Environment (all required):
#   BUSYBOX_DIR   unpacked busybox-static:armhf (bin/busybox inside)
#   TARGET_BIN    folder of static ARM test programs to install
#   BUILD_INFO    the build-info file to install as /etc/build-info
# Optional: ROOTFS_EXTRA, a folder copied over the tree last (`make bench`
# adds its programs, init script and modules this way; the product has none).
set -euo pipefail

staging=${1:?usage: mkrootfs.sh STAGING OUT_IMAGE}
image=${2:?usage: mkrootfs.sh STAGING OUT_IMAGE}
board=$(cd "$(dirname "$0")/.." && pwd)
tests=$(cd "$board/../tests/target" && pwd)
size=${ROOTFS_SIZE:-64M}

die() { echo "mkrootfs: error: $*" >&2; exit 1; }
[ -x "$BUSYBOX_DIR/bin/busybox" ] || die "no target busybox in $BUSYBOX_DIR (run 'make deps')"
[ -f "$BUILD_INFO" ] || die "no build-info file $BUILD_INFO"
file "$BUSYBOX_DIR/bin/busybox" 2>/dev/null | grep -q 'ARM' ||
	die "$BUSYBOX_DIR/bin/busybox is not an ARM binary"

rm -rf "$staging"
mkdir -p "$staging"/{bin,sbin,usr/bin,usr/sbin,usr/lib,dev,proc,sys,run,tmp,root,etc}
cp "$BUSYBOX_DIR/bin/busybox" "$staging/bin/busybox"

# The applets the boot scripts, the tests and an interactive user need.
# A fixed list: the ARM binary cannot be run here to ask it for its own.
applets_bin="sh ash cat cp date dmesg echo grep egrep hostname kill ln ls
	mkdir mknod mount mv ps pwd rm rmdir sed sleep stty sync touch umount
	uname vi zcat gzip true false printf test wc head tail cut tr sort
	uniq awk find xargs basename dirname env expr id od hexdump timeout
	sha256sum md5sum more less stat seq tee which"
applets_sbin="init poweroff reboot halt hwclock mdev"
for a in $applets_bin; do ln -s busybox "$staging/bin/$a"; done
for a in $applets_sbin; do ln -s ../bin/busybox "$staging/sbin/$a"; done

cp -a "$board/rootfs-overlay/." "$staging/"
cp "$BUILD_INFO" "$staging/etc/build-info"

install -d "$staging/usr/lib/target-tests/suites" "$staging/usr/lib/target-tests/bin"
install -m 0755 "$tests/run-all" "$staging/usr/lib/target-tests/"
install -m 0644 "$tests/ktap.sh" "$staging/usr/lib/target-tests/"
install -m 0644 "$tests"/suites/*.sh "$staging/usr/lib/target-tests/suites/"
install -m 0755 "$TARGET_BIN"/* "$staging/usr/lib/target-tests/bin/"

if [ -n "${ROOTFS_EXTRA:-}" ]; then
	[ -d "$ROOTFS_EXTRA" ] || die "no ROOTFS_EXTRA folder $ROOTFS_EXTRA"
	cp -a "$ROOTFS_EXTRA/." "$staging/"
fi

rm -f "$image.tmp"
mke2fs -q -t ext4 -L rootfs -E root_owner=0:0 -d "$staging" "$image.tmp" "$size" ||
	die "mke2fs failed to write $image"
mv "$image.tmp" "$image"
echo "mkrootfs: wrote $image ($size)"
