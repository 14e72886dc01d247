#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Download a linux-source-X.Y package from the Debian suite that has it, with
# an apt configuration of its own (the host's sources are never changed), and
# unpack it without installing it.
#
#   fetch-linux-source.sh VERSION DIR
#
# DIR/usr/src/linux-source-VERSION.tar.xz is the source; DIR/VERSION holds the
# package version. Environment: LINUX_SOURCE_SUITE (default: sid).
set -euo pipefail

version=${1:?usage: fetch-linux-source.sh VERSION DIR}
dir=${2:?usage: fetch-linux-source.sh VERSION DIR}
suite=${LINUX_SOURCE_SUITE:-sid}
package=linux-source-$version

die() { echo "fetch-linux-source: error: $*" >&2; exit 1; }

apt=$(dirname "$dir")/apt-$suite
mkdir -p "$apt/sources" "$apt/lists/partial" "$apt/cache/archives/partial"
: >"$apt/status"
cat >"$apt/sources/$suite.sources" <<SOURCES
Types: deb
URIs: http://deb.debian.org/debian
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt/sources"
	-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
	-o "Dir::State::status=$apt/status" -o APT::Architectures=all
	-o Acquire::Retries=3 -o Debug::NoLocking=1)

echo "fetch-linux-source: $package from Debian $suite (private apt configuration in $apt)"
apt-get "${opts[@]}" -q update >"$apt/update.log" 2>&1 ||
	{ tail -n 5 "$apt/update.log" >&2; die "apt-get update for $suite failed (see $apt/update.log)"; }
rm -f "$apt"/*.deb
(cd "$apt" && apt-get "${opts[@]}" -q download "$package") >"$apt/download.log" 2>&1 ||
	{ tail -n 5 "$apt/download.log" >&2; die "could not download $package from $suite"; }
deb=$(find "$apt" -maxdepth 1 -name "${package}_*_all.deb" | head -n1)
[ -n "$deb" ] || die "apt-get download left no ${package}_*_all.deb in $apt"

rm -rf "$dir.tmp"
dpkg -x "$deb" "$dir.tmp"
[ -f "$dir.tmp/usr/src/$package.tar.xz" ] || die "$(basename "$deb") has no usr/src/$package.tar.xz"
dpkg-deb -f "$deb" Version >"$dir.tmp/VERSION"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
rm -f "$deb"
echo "fetch-linux-source: $package $(cat "$dir/VERSION") in $dir"
