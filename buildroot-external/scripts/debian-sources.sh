#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Package sources from Debian instead of their upstream sites, for a
# machine that reaches Debian's archive but not the sites Buildroot
# downloads from. For every package of the configured build that would
# download something, get the Debian source package of the same program
# (`apt-get source`) into OUT/debian-src, and point Buildroot at it with
# <PKG>_OVERRIDE_SRCDIR in OUT/local.mk (Buildroot's
# BR2_PACKAGE_OVERRIDE_FILE). Buildroot then builds that version instead
# of the one it pins, without its own patches.
#
# The sources are unpacked without Debian's patches (dpkg-source
# --skip-patches): the upstream release of Debian's version, with its
# generated configure scripts. Debian's patches would make them stale
# (Debian regenerates them when it builds), and make would then run
# aclocal, which the build machine need not have.
#
# apt runs with a private configuration (OUT/debian-src/apt): deb-src
# entries for the host's own suites, taken from its sources; the host's
# apt configuration is not changed.
#
# Not done here: the kernel (BR_KERNEL=debian), the toolchain
# (BR_TOOLCHAIN=debian) and the Rust tools (BR_RUST=host) have their own
# options.
#
# usage: debian-sources.sh BUILDROOT_DIR OUT
set -euo pipefail

br=${1:?usage: debian-sources.sh BUILDROOT_DIR OUT}
out=${2:?no output folder}
here=$(cd "$(dirname "$0")" && pwd)

die() { echo "debian-sources: error: $*" >&2; exit 1; }
[ -f "$out/.config" ] || die "no $out/.config: configure first"
out=$(cd "$out" && pwd)
command -v apt-get >/dev/null 2>&1 || die "apt-get is needed"
command -v dpkg-source >/dev/null 2>&1 || die "dpkg-source is needed (apt-get install dpkg-dev)"

# Buildroot package (without host-) -> Debian source package, where the
# names differ.
debian_name() {
	case $1 in
	automake) echo automake-1.16 ;;
	libzlib) echo zlib ;;
	xz) echo xz-utils ;;
	*) echo "$1" ;;
	esac
}

src=$out/debian-src
apt=$src/apt
mkdir -p "$apt/sources" "$apt/lists/partial" "$apt/cache/archives/partial"
touch "$apt/status"
shopt -s nullglob
host_sources=(/etc/apt/sources.list.d/*.sources)
[ ${#host_sources[@]} -gt 0 ] || die "no /etc/apt/sources.list.d/*.sources to take the suites from"
sed 's/^Types:.*/Types: deb-src/' "${host_sources[@]}" >"$apt/sources/host-deb-src.sources"
apt_opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt/sources"
	-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
	-o "Dir::State::status=$apt/status")
apt-get "${apt_opts[@]}" -qq update || die "apt-get update failed (see above)"

# The packages of this configuration that download a source, from
# Buildroot's own show-info.
info=$src/show-info.json
env -u MAKEFLAGS -u MAKELEVEL make -s -C "$br" O="$out" show-info >"$info" ||
	die "make show-info failed"
packages=$(python3 -c '
import json, sys
info = json.load(open(sys.argv[1]))
skip = {"linux", "linux-headers"}
for name, pkg in sorted(info.items()):
    if name in skip or not pkg.get("downloads"):
        continue
    print(name)
' "$info")

user=$out/local-user.mk
missing=
: >"$src/local.mk.tmp"
for pkg in $packages; do
	base=${pkg#host-}
	deb=$(debian_name "$base")
	pkgvar=$(echo "$pkg" | tr 'a-z-' 'A-Z_')
	var=${pkgvar}_OVERRIDE_SRCDIR
	if [ -f "$user" ] && grep -q "^$var *[:?]*=" "$user"; then
		echo "debian-sources: $pkg from $user"
		continue
	fi
	dir=$src/$deb
	if [ ! -d "$dir" ]; then
		rm -rf "$src/tmp"
		mkdir -p "$src/tmp"
		if ! (cd "$src/tmp" && apt-get "${apt_opts[@]}" -qq source --download-only "$deb" \
			>apt.log 2>&1); then
			if grep -q 'Unable to find a source package' "$src/tmp/apt.log"; then
				missing="$missing $pkg"
				echo "debian-sources: Debian has no source package $deb for $pkg" >&2
				continue
			elif grep -q '404 *Not Found' "$src/tmp/apt.log"; then
				missing="$missing $pkg"
				echo "debian-sources: the mirror does not serve $deb's source files for $pkg (404)" >&2
				continue
			fi
			cat "$src/tmp/apt.log" >&2
			die "apt-get source $deb failed"
		fi
		dsc=$(find "$src/tmp" -maxdepth 1 -name '*.dsc' | head -n1)
		[ -n "$dsc" ] || die "apt-get source $deb downloaded no .dsc"
		# apt checked the files against the signed index: no keyring needed.
		dpkg-source --no-check -x --skip-patches "$dsc" "$dir" >"$src/tmp/dpkg-source.log" 2>&1 ||
			{ cat "$src/tmp/dpkg-source.log" >&2; die "dpkg-source could not unpack $dsc"; }
		rm -rf "$src/tmp"
	fi
	echo "debian-sources: $pkg from Debian's $deb ($(basename "$(readlink -f "$dir")"): $(dpkg-parsechangelog -l "$dir/debian/changelog" -S Version 2>/dev/null || echo '?'))"
	echo "$var = $dir" >>"$src/local.mk.tmp"
	# Some of Debian's upstream sources are snapshots without a
	# generated configure script (kmod): let Buildroot autoreconf them.
	if [ -f "$dir/configure.ac" ] && [ ! -f "$dir/configure" ]; then
		echo "debian-sources: $pkg: no configure script: autoreconf"
		echo "${pkgvar}_AUTORECONF = YES" >>"$src/local.mk.tmp"
		# What the package's own bootstrap does besides autoreconf.
		case $base in
		kmod) touch "$dir/libkmod/docs/gtk-doc.make" ;; # autogen.sh, without gtk-doc
		esac
	fi
done
{
	echo "# Generated by $here/debian-sources.sh: package sources from Debian."
	cat "$src/local.mk.tmp"
	echo "-include \$(CONFIG_DIR)/local-user.mk"
} >"$out/local.mk"
rm -f "$src/local.mk.tmp"
[ -z "$missing" ] ||
	die "Debian has no source for:$missing. Give each one with <PKG>_OVERRIDE_SRCDIR in $user, or its tarball in Buildroot's download folder, and configure again"
echo "debian-sources: $(grep -c OVERRIDE_SRCDIR "$out/local.mk") packages in $out/local.mk"
