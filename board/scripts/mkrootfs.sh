#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Assemble the target root filesystem and write it as an ext4 image with
# mke2fs and debugfs (no root, no loop mount, no initramfs).
#
# The image is reproducible: the same staging contents give the same bytes,
# whatever the build folder, the time, the user and umask, or the order the
# host file system lists a folder in. mke2fs gets a fixed UUID and hash
# seed; every time stamp, the superblock's included, is SOURCE_DATE_EPOCH
# (E2FSPROGS_FAKE_TIME); debugfs adds the entries in sorted order (mke2fs -d
# would add them in readdir order and copy each file's ctime); modes are
# normalised (0755 for folders and executables, else 0644) and the owner
# is root.
#
# usage: mkrootfs.sh STAGING OUT_IMAGE
# Environment (all required):
#   BUSYBOX_DIR        unpacked busybox-static:armhf (bin/busybox inside)
#   TARGET_BIN         folder of static ARM test programs to install
#   BUILD_INFO         the build-info file to install as /etc/build-info
#   SOURCE_DATE_EPOCH  the time stamp of every inode and of the superblock
# Optional: ROOTFS_EXTRA, a folder copied over the tree last (`make bench`
# adds its programs, init script and modules this way; the product has none).
set -euo pipefail

staging=${1:?usage: mkrootfs.sh STAGING OUT_IMAGE}
image=${2:?usage: mkrootfs.sh STAGING OUT_IMAGE}
board=$(cd "$(dirname "$0")/.." && pwd)
tests=$(cd "$board/../tests/target" && pwd)
size=${ROOTFS_SIZE:-64M}

# Fixed, so that two builds give the same image.
uuid=5f1b3a6e-0c2d-4e8f-9a31-7d6c5b4a3928

die() { echo "mkrootfs: error: $*" >&2; exit 1; }
[[ "${SOURCE_DATE_EPOCH:-}" =~ ^[0-9]+$ ]] ||
	die "SOURCE_DATE_EPOCH='${SOURCE_DATE_EPOCH:-}' is not a number of seconds since 1970"
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

# Normalised modes: what the checkout's and the build's umask left differs
# between machines.
find "$staging" -type d -exec chmod 0755 {} +
find "$staging" -type f -perm /u+x -exec chmod 0755 {} +
find "$staging" -type f ! -perm /u+x -exec chmod 0644 {} +

# debugfs commands that add every entry, parents first, in C-locale order.
# debugfs splits its arguments at blanks and takes no quoting: refuse
# names it would misread rather than write a wrong image.
safe='^[A-Za-z0-9._+@/-]+$'
[[ "$staging" =~ $safe ]] || die "the staging path '$staging' has characters debugfs cannot take"
cmds=$image.debugfs
entries=0
(cd "$staging" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort) >"$cmds.list"
while IFS= read -r path; do
	[[ "$path" =~ $safe ]] || die "'$path' in $staging has characters debugfs cannot take"
	if [ -L "$staging/$path" ]; then
		target=$(readlink "$staging/$path")
		[[ "$target" =~ $safe ]] || die "symlink $path -> '$target' has characters debugfs cannot take"
		echo "symlink $path $target"
	elif [ -d "$staging/$path" ]; then
		echo "mkdir $path"
	elif [ -f "$staging/$path" ]; then
		echo "write $staging/$path $path"
	else
		die "$staging/$path is not a file, folder or symlink"
	fi
	entries=$((entries + 1))
done <"$cmds.list" >"$cmds"
rm -f "$cmds.list"

rm -f "$image.tmp"
export E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH
mke2fs -q -t ext4 -L rootfs -U "$uuid" -E "root_owner=0:0,hash_seed=$uuid" \
	"$image.tmp" "$size" || die "mke2fs failed to write $image"
# debugfs reports a failed command on stderr and still exits 0: any line
# but its version banner is an error.
errors=$(debugfs -w -f "$cmds" "$image.tmp" 2>&1 >/dev/null | grep -v '^debugfs [0-9.]* (' || true)
[ -z "$errors" ] || die "debugfs failed to add the files (commands: $cmds): $errors"
e2fsck -fn "$image.tmp" >"$image.fsck" 2>&1 || die "e2fsck finds errors in $image.tmp: $(cat "$image.fsck")"
# Inodes 1-11 are the reserved ones and lost+found; one more per entry.
used=$(dumpe2fs -h "$image.tmp" 2>/dev/null | awk -F: '
	/^Inode count/ { total = $2 } /^Free inodes/ { free = $2 } END { print total - free }')
[ "$used" -eq $((entries + 11)) ] ||
	die "$image.tmp has $used inodes in use, want $((entries + 11)) for the $entries entries of $staging"
rm -f "$cmds" "$image.fsck"
mv "$image.tmp" "$image"
echo "mkrootfs: wrote $image ($size, $entries entries, time stamps $(date -u -d "@$SOURCE_DATE_EPOCH" +%FT%TZ))"
