#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Pin the kernel.org release VERSION: add the sha256 of
# linux-VERSION.tar.xz to the tree's linux.hash, from a tarball whose
# kernel.org signature has been checked, and make the defconfig build
# that version. kernel.org signs the uncompressed tar
# (linux-VERSION.tar.sign); the keys of the stable and mainline
# maintainers come from kernel.org's Web Key Directory. The hash must
# also be the one in kernel.org's sha256sums.asc. Needs network access,
# curl, gpg and xz. The tarball is kept in DL_DIR/linux/ for Buildroot.
#
# The hash replaces the previous kernel tarball's line and the comment
# above it, which names the record the hash comes from; the license
# hashes stay. Review the change, build, and commit it.
#
# usage: kernel-hash.sh VERSION HASH_FILE DEFCONFIG DL_DIR
set -euo pipefail

usage="usage: kernel-hash.sh VERSION HASH_FILE DEFCONFIG DL_DIR"
version=${1:?$usage}
hash_file=${2:?$usage}
defconfig=${3:?$usage}
dl_dir=${4:?$usage}

die() { echo "kernel-hash: error: $*" >&2; exit 1; }
echo "$version" | grep -qx '[1-9][0-9]*\.[0-9]\{1,\}\.[0-9]\{1,\}' ||
	die "VERSION=$version is not a kernel.org stable release x.y.z (e.g. 6.12.104)"
[ -f "$hash_file" ] || die "no $hash_file"
[ -f "$defconfig" ] || die "no $defconfig"
version_line="BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE=\"$version\""
grep -q '^BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE=' "$defconfig" ||
	die "$defconfig has no BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE"
tarball=linux-$version.tar.xz
site=${KERNEL_ORG_SITE:-https://cdn.kernel.org/pub/linux/kernel}/v${version%%.*}.x

pin_version() {
	sed -i "s/^BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE=.*/$version_line/" "$defconfig"
	echo "kernel-hash: $defconfig builds Linux $version"
}

if grep -q "^sha256  [0-9a-f]\{64\}  $tarball\$" "$hash_file"; then
	echo "kernel-hash: $hash_file already has $tarball"
	pin_version
	exit 0
fi
for tool in curl gpg xz sha256sum; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is needed"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$dl_dir/linux"

get() {
	curl -fsSL --connect-timeout 30 -o "$tmp/$1" "$site/$1" ||
		die "could not download $site/$1 (no network access, or no release $version?)"
}
echo "kernel-hash: downloading $site/$tarball"
get "$tarball"
get "linux-$version.tar.sign"
get sha256sums.asc

export GNUPGHOME="$tmp/gnupg"
mkdir -m 0700 "$GNUPGHOME"
gpg --batch --quiet --auto-key-locate clear,wkd \
	--locate-keys gregkh@kernel.org sashal@kernel.org torvalds@kernel.org >/dev/null 2>&1 ||
	die "could not get the maintainers' keys from kernel.org's WKD"
xz -dc "$tmp/$tarball" |
	gpg --batch --status-fd 1 --verify "$tmp/linux-$version.tar.sign" - \
		>"$tmp/verify" 2>/dev/null || true
grep -q '^\[GNUPG:\] GOODSIG ' "$tmp/verify" ||
	die "the signature of $tarball does not verify"

sum=$(sha256sum "$tmp/$tarball" | cut -d' ' -f1)
listed=$(sed -n "s/^\([0-9a-f]\{64\}\)  $tarball\$/\1/p" "$tmp/sha256sums.asc")
[ "$listed" = "$sum" ] ||
	die "sha256 $sum differs from kernel.org's sha256sums.asc (${listed:-not listed})"

# The new block replaces the old kernel block (the comment lines just
# above the old tarball line, and that line), or goes last.
block=$tmp/block
{
	echo "# $tarball: as in $site/sha256sums.asc;"
	echo "# the tarball's kernel.org signature (linux-$version.tar.sign) verified"
	echo "# by 'make br-kernel-hash' on $(date -u +%Y-%m-%d)."
	echo "# 'make br-kernel-hash VERSION=x.y.z' (network) moves to another release."
	echo "sha256  $sum  $tarball"
} >"$block"
awk -v block="$block" '
	function flush_block() { while ((getline l < block) > 0) print l; done = 1 }
	/^#/ { pending = pending $0 "\n"; next }
	/^sha256  [0-9a-f]+  linux-[0-9.]+\.tar\.xz$/ && !done { pending = ""; flush_block(); next }
	{ printf "%s", pending; pending = ""; print }
	END { printf "%s", pending; if (!done) { print ""; flush_block() } }
' "$hash_file" >"$tmp/hash"
cat "$tmp/hash" >"$hash_file"
mv "$tmp/$tarball" "$dl_dir/linux/$tarball"
echo "kernel-hash: added $tarball ($sum) to $hash_file"
pin_version
echo "kernel-hash: review both files, build (make br-build), and commit them"
