#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Add the sha256 of linux-VERSION.tar.xz to a Buildroot linux.hash, from
# a tarball whose kernel.org signature has been checked: kernel.org signs
# the uncompressed tar (linux-VERSION.tar.sign); the keys of the stable
# and mainline maintainers come from kernel.org's Web Key Directory. The
# hash is also compared with kernel.org's sha256sums.asc. Needs network
# access, curl, gpg and xz. The tarball is kept in DL_DIR/linux/ for
# Buildroot.
#
# usage: kernel-hash.sh VERSION HASH_FILE DL_DIR
set -eu

version=${1:?usage: kernel-hash.sh VERSION HASH_FILE DL_DIR}
hash_file=${2:?no hash file}
dl_dir=${3:?no download directory}
tarball=linux-$version.tar.xz
site=https://cdn.kernel.org/pub/linux/kernel/v${version%%.*}.x

die() { echo "kernel-hash: error: $*" >&2; exit 1; }
for tool in curl gpg xz sha256sum; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is needed"
done
[ -f "$hash_file" ] || die "no $hash_file"

if grep -q "^sha256  [0-9a-f]\{64\}  $tarball\$" "$hash_file"; then
	echo "kernel-hash: $hash_file already has $tarball"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$dl_dir/linux"

echo "kernel-hash: downloading $site/$tarball"
curl -fsSL --connect-timeout 30 -o "$tmp/$tarball" "$site/$tarball" || die "could not download $tarball"
curl -fsSL --connect-timeout 30 -o "$tmp/linux-$version.tar.sign" "$site/linux-$version.tar.sign" ||
	die "could not download linux-$version.tar.sign"
curl -fsSL --connect-timeout 30 -o "$tmp/sha256sums.asc" "$site/sha256sums.asc" ||
	die "could not download sha256sums.asc"

export GNUPGHOME="$tmp/gnupg"
mkdir -m 0700 "$GNUPGHOME"
gpg --batch --quiet --auto-key-locate clear,wkd \
	--locate-keys gregkh@kernel.org sashal@kernel.org torvalds@kernel.org >/dev/null 2>&1 ||
	die "could not get the maintainers' keys from kernel.org's WKD"
xz -dc "$tmp/$tarball" |
	gpg --batch --status-fd 1 --verify "$tmp/linux-$version.tar.sign" - 2>/dev/null |
	grep -q '^\[GNUPG:\] GOODSIG ' ||
	die "the signature of $tarball does not verify"

sum=$(sha256sum "$tmp/$tarball" | cut -d' ' -f1)
listed=$(sed -n "s/^\([0-9a-f]\{64\}\)  $tarball\$/\1/p" "$tmp/sha256sums.asc")
[ "$listed" = "$sum" ] ||
	die "sha256 $sum differs from kernel.org's sha256sums.asc (${listed:-not listed})"

# The hash goes first, after a line saying where it comes from; the
# license hashes (and other lines) stay.
{
	echo "# From $site/sha256sums.asc, and linux-$version.tar.sign verified"
	echo "sha256  $sum  $tarball"
	echo
	sed '/^# linux-.*\.tar\.xz: its sha256/,/^$/d' "$hash_file"
} >"$tmp/hash"
cat "$tmp/hash" >"$hash_file"
mv "$tmp/$tarball" "$dl_dir/linux/$tarball"
echo "kernel-hash: added $tarball ($sum) to $hash_file; review and commit it"
