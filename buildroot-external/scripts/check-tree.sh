#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Consistency checks of the br2-external tree that need no Buildroot
# checkout and no network (part of `make test`):
#
#  name      external.desc's name is valid, and every BR2_EXTERNAL_*_PATH
#            in the tree uses it;
#  paths     every $(BR2_EXTERNAL_<name>_PATH)/... path in the defconfigs
#            and fragments, and every Config.in "source", exists; the
#            shipped defconfigs have no absolute paths;
#  inputs    the kernel patches, kernel configuration, rootfs overlay,
#            required options, tests and launch script are the project's
#            own files, used in place, and no file of the tree is a copy
#            of one of them;
#  kernel    the pinned kernel is a kernel.org release of the series of
#            the Debian source the offline build uses (6.12.y), and the
#            hash file, well formed, has its tarball's sha256 under a
#            comment naming where it comes from: without it a networked
#            build stops at "No hash found"; the linux-headers hash file
#            (the internal toolchain's headers come from the same
#            tarball) is that file;
#  kconfig   the linux post-configure hook runs scripts/check-kconfig.sh
#            on the kernel's .config with the defconfig's required
#            fragments, and that check passes a conforming .config and
#            fails one without CONFIG_RUST or the Rust driver, or with
#            CONFIG_MODULES or CONFIG_BLK_DEV_INITRD; also run on the
#            offline build's .config when there is one.
#
# usage: check-tree.sh [PROJECT_DIR]      run the checks
#        check-tree.sh --self-test        run them on broken copies of the
#                                         tree too: each copy must fail
# Environment: OFFLINE_CONFIG, the offline build's kernel .config
# (default PROJECT_DIR/output/build/linux/.config, skipped if absent).
set -euo pipefail

# The project's kernel patch series, relative to the project: the
# defconfig's BR2_LINUX_KERNEL_PATCH must be this folder or one below it
# (per-kernel series). Moving the series is this line and the defconfig's.
series_dir=linux-patches

here=$(cd "$(dirname "$0")" && pwd)

fail=0
checks=0
pass() { checks=$((checks + 1)); echo "check-tree: ok: $*"; }
bad() { checks=$((checks + 1)); fail=$((fail + 1)); echo "check-tree: FAIL: $*" >&2; }
note() { echo "check-tree: note: $*"; }

# The value of SYMBOL in a defconfig or fragment, quotes removed.
value() { sed -n "s/^$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$2"; }

check_tree() {
	top=$1
	ext=$top/buildroot-external
	[ -f "$ext/external.desc" ] || { bad "no $ext/external.desc"; return; }

	# --- name ---------------------------------------------------------
	name=$(sed -n 's/^name: *//p' "$ext/external.desc")
	if echo "$name" | grep -qx '[A-Za-z0-9_]\{1,\}'; then
		pass "external.desc name is $name"
	else
		bad "external.desc name '$name' is not [A-Za-z0-9_]+"
	fi
	others=$(grep -rhoI 'BR2_EXTERNAL_[A-Za-z0-9_]*_PATH' "$ext" |
		sed 's/^BR2_EXTERNAL_//; s/_PATH$//' | sort -u | grep -vx "$name" || true)
	if [ -z "$others" ]; then
		pass "every BR2_EXTERNAL_*_PATH in the tree is BR2_EXTERNAL_${name}_PATH"
	else
		bad "the tree uses BR2_EXTERNAL_<name>_PATH with other names: $(echo "$others" | paste -sd' ')"
	fi

	# --- paths --------------------------------------------------------
	defconfigs=$(ls "$ext"/configs/*_defconfig 2>/dev/null || true)
	[ -n "$defconfigs" ] || bad "no defconfig in $ext/configs"
	fragments=$(find "$ext/board" -name '*.fragment' | sort)
	for f in $defconfigs $fragments; do
		missing=
		refs=$(grep -o "\$(BR2_EXTERNAL_${name}_PATH)[^\" ]*" "$f" || true)
		for ref in $refs; do
			path=$ext${ref#"\$(BR2_EXTERNAL_${name}_PATH)"}
			[ -e "$path" ] || missing="$missing $ref"
		done
		if [ -z "$refs" ]; then
			continue
		elif [ -z "$missing" ]; then
			pass "${f#"$top/"}: all $(echo "$refs" | grep -c .) tree paths exist"
		else
			bad "${f#"$top/"}: missing:$missing"
		fi
	done
	for f in $defconfigs; do
		abs=$(grep -n '^[A-Z0-9_]*="\{0,1\}\(/\|file://\)' "$f" || true)
		if [ -z "$abs" ]; then
			pass "${f#"$top/"}: no absolute paths"
		else
			bad "${f#"$top/"}: absolute paths: $abs"
		fi
	done
	missing=$(find "$ext" -name 'Config.in*' -exec \
		sed -n "s/^[[:space:]]*source \"\\\$BR2_EXTERNAL_[A-Za-z0-9_]*_PATH\(.*\)\"\$/\1/p" {} + |
		while read -r src; do [ -f "$ext$src" ] || printf ' %s' "$src"; done)
	if [ -z "$missing" ]; then
		pass "every Config.in source exists"
	else
		bad "Config.in sources missing:$missing"
	fi

	# --- inputs -------------------------------------------------------
	p="\$(BR2_EXTERNAL_${name}_PATH)/.."
	for f in $defconfigs; do
		got=$(value BR2_LINUX_KERNEL_PATCH "$f")
		case $got in
		"$p/$series_dir" | "$p/$series_dir"/*)
			dir=$top/${got#"$p/"}
			n=$(find "$dir" -maxdepth 1 -name '*.patch' 2>/dev/null | wc -l)
			if [ "$n" -gt 0 ]; then
				pass "${f#"$top/"}: BR2_LINUX_KERNEL_PATCH is the project's ${got#"$p/"} ($n patches)"
			else
				bad "${f#"$top/"}: BR2_LINUX_KERNEL_PATCH: no *.patch in ${got#"$p/"}"
			fi
			;;
		*) bad "${f#"$top/"}: BR2_LINUX_KERNEL_PATCH is '$got', want '$p/$series_dir' or a folder in it" ;;
		esac
		for want in \
			"BR2_LINUX_KERNEL_CUSTOM_CONFIG_FILE=$p/defconfigs/qemu_virt_defconfig" \
			"BR2_LINUX_KERNEL_CONFIG_FRAGMENT_FILES=$p/defconfigs/hardening.config $p/defconfigs/hardening-6.12.config" \
			"BR2_ROOTFS_OVERLAY=$p/board/rootfs-overlay" \
			"RUST_PL031_KCONFIG_REQUIRED=$p/defconfigs/required.config $p/defconfigs/hardening.config $p/defconfigs/hardening-6.12.config"; do
			sym=${want%%=*}
			got=$(value "$sym" "$f")
			if [ "$got" = "${want#*=}" ]; then
				pass "${f#"$top/"}: $sym is the project's ${want#*/../}"
			else
				bad "${f#"$top/"}: $sym is '$got', want '${want#*=}'"
			fi
		done
	done
	if grep -qx "RUST_PL031_TESTS_SITE = $p/tests/target" \
		"$ext/package/rust-pl031-tests/rust-pl031-tests.mk" 2>/dev/null; then
		pass "rust-pl031-tests uses the project's tests/target"
	else
		bad "rust-pl031-tests does not take its site from $p/tests/target"
	fi
	if grep -qF "\"\$project/board/qemu-virt/start-qemu.sh\"" "$ext/board/qemu-virt/post-image.sh" 2>/dev/null; then
		pass "post-image.sh installs the project's board/qemu-virt/start-qemu.sh"
	else
		bad "post-image.sh does not install board/qemu-virt/start-qemu.sh"
	fi
	sums=$(mktemp)
	find "$top/board" "$top/defconfigs" "$top/$series_dir" "$top/tests/target" \
		"$top/scripts" -type f -exec sha256sum {} + 2>/dev/null | sort >"$sums"
	copies=$(find "$ext" -type f -exec sha256sum {} + | while read -r s f; do
		orig=$(grep "^$s " "$sums" | head -n1 | cut -d' ' -f3)
		[ -z "$orig" ] || printf ' %s(=%s)' "${f#"$top/"}" "${orig#"$top/"}"
	done)
	rm -f "$sums"
	if [ -z "$copies" ]; then
		pass "no file of the tree is a copy of a project file"
	else
		bad "copies that can drift:$copies"
	fi

	# --- kernel -------------------------------------------------------
	hashes=$ext/patches/linux/linux.hash
	deb=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true)
	for f in $defconfigs; do
		pinned=$(value BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE "$f")
		if ! echo "$pinned" | grep -qx '[0-9]\{1,\}\.[0-9]\{1,\}\.[0-9]\{1,\}'; then
			bad "${f#"$top/"}: kernel version '$pinned' is not a kernel.org release x.y.z"
			continue
		fi
		if [ -z "$deb" ]; then
			note "linux-source-6.12 is not installed: the series of kernel $pinned not compared"
		elif [ "${pinned%.*}" = "$(echo "$deb" | cut -d. -f1-2)" ]; then
			pass "${f#"$top/"}: kernel $pinned is of the ${pinned%.*} series, as linux-source-6.12 $deb"
		else
			bad "${f#"$top/"}: kernel $pinned, but the offline build and linux-patches/ are for linux-source-6.12 $deb"
		fi
		tarball=linux-$pinned.tar.xz
		if [ ! -f "$hashes" ]; then
			bad "no $hashes"
		elif ! grep -q "^sha256  [0-9a-f]\{64\}  $tarball\$" "$hashes"; then
			bad "${hashes#"$top/"} has no sha256 for $tarball, the kernel ${f#"$top/"} pins: a networked build stops at \"No hash found for $tarball\" (make br-kernel-hash VERSION=$pinned)"
		elif ! grep -B1 "^sha256  [0-9a-f]\{64\}  $tarball\$" "$hashes" | head -n1 | grep -q '^#'; then
			bad "${hashes#"$top/"}: the sha256 of $tarball has no comment above it naming its record"
		else
			pass "${hashes#"$top/"} has the sha256 of $tarball, with its record"
		fi
	done
	if [ -f "$hashes" ]; then
		malformed=$(grep -v '^#' "$hashes" | grep -v '^$' |
			grep -vx 'sha256  [0-9a-f]\{64\}  [^ ]*' || true)
		if [ -n "$malformed" ]; then
			bad "${hashes#"$top/"}: malformed lines: $malformed"
		else
			pass "${hashes#"$top/"} is well formed"
		fi
	fi
	headers=$ext/patches/linux-headers/linux-headers.hash
	if [ -L "$headers" ] && [ "$(readlink "$headers")" = ../linux/linux.hash ]; then
		pass "${headers#"$top/"} is a link to linux/linux.hash"
	else
		bad "${headers#"$top/"} is not a link to ../linux/linux.hash: the kernel headers' download is not checked"
	fi

	# --- kconfig ------------------------------------------------------
	if grep -q 'scripts/check-kconfig.sh' "$ext/external.mk" &&
		grep -qF "\$(LINUX_DIR)/.config \$(RUST_PL031_KCONFIG_REQUIRED_FILES)" "$ext/external.mk" &&
		grep -q '^LINUX_POST_CONFIGURE_HOOKS += RUST_PL031_CHECK_KCONFIG$' "$ext/external.mk"; then
		pass "external.mk hooks scripts/check-kconfig.sh after linux-configure"
	else
		bad "external.mk does not run scripts/check-kconfig.sh as a linux post-configure hook"
	fi
	for f in $defconfigs; do
		required=
		for r in $(value RUST_PL031_KCONFIG_REQUIRED "$f"); do
			required="$required $ext${r#"\$(BR2_EXTERNAL_${name}_PATH)"}"
		done
		# shellcheck disable=SC2086 # one argument per fragment
		check_kconfig "$top" "${f#"$top/"}" $required
	done
}

# Run the hook's check on conforming and broken .config fixtures.
check_kconfig() {
	top=$1
	what=$2
	shift 2
	[ "$#" -gt 0 ] || { bad "$what: no RUST_PL031_KCONFIG_REQUIRED"; return; }
	for r in "$@"; do
		[ -f "$r" ] || { bad "$what: no required fragment $r"; return; }
	done
	kcheck=$top/scripts/check-kconfig.sh
	dir=$(mktemp -d)
	# A .config that has every required line.
	cat "$@" | grep -e '^CONFIG_[A-Za-z0-9_]*=' -e '^# CONFIG_[A-Za-z0-9_]* is not set$' \
		>"$dir/good"
	if "$kcheck" "$dir/good" "$@" >"$dir/log" 2>&1; then
		pass "$what: check-kconfig.sh accepts a .config with the required options"
	else
		bad "$what: check-kconfig.sh rejects a conforming .config: $(cat "$dir/log")"
	fi
	for broken in \
		'no CONFIG_RUST|/^CONFIG_RUST=y$/d' \
		'no Rust PL031 driver|s/^CONFIG_RTC_DRV_PL031_RUST=y$/# CONFIG_RTC_DRV_PL031_RUST is not set/' \
		"CONFIG_MODULES=y|\$a CONFIG_MODULES=y" \
		"CONFIG_BLK_DEV_INITRD=y|\$a CONFIG_BLK_DEV_INITRD=y"; do
		label=${broken%%|*}
		sed "${broken#*|}" "$dir/good" >"$dir/broken"
		if cmp -s "$dir/good" "$dir/broken"; then
			bad "$what: the fixture for '$label' did not change (option not required?)"
		elif "$kcheck" "$dir/broken" "$@" >"$dir/log" 2>&1; then
			bad "$what: check-kconfig.sh accepts a .config with $label"
		else
			pass "$what: check-kconfig.sh rejects a .config with $label"
		fi
	done
	offline=${OFFLINE_CONFIG:-$top/output/build/linux/.config}
	if [ -f "$offline" ]; then
		if "$kcheck" "$offline" "$@" >"$dir/log" 2>&1; then
			pass "$what: the offline build's .config passes the hook's check"
		else
			bad "$what: the offline build's .config fails the hook's check: $(cat "$dir/log")"
		fi
	else
		note "no offline build .config at $offline: not checked"
	fi
	rm -rf "$dir"
}

# Break one thing in a copy of the tree (run in the copy's top directory).
breakages="name path absolute copy hook kconfig version nohash series record"
break_tree() {
	defconfig=$(ls buildroot-external/configs/*_defconfig)
	case $1 in
	name) sed -i 's/^name: .*/name: OTHER_NAME/' buildroot-external/external.desc ;;
	path) sed -i 's,board/rootfs-overlay,board/no-such-overlay,' "$defconfig" ;;
	absolute) sed -i 's,^BR2_ROOTFS_OVERLAY=.*,BR2_ROOTFS_OVERLAY="/srv/overlay",' "$defconfig" ;;
	copy) cp board/rootfs-overlay/etc/inittab buildroot-external/board/qemu-virt/ ;;
	hook) sed -i '/^LINUX_POST_CONFIGURE_HOOKS/d' buildroot-external/external.mk ;;
	kconfig) sed -i 's/bad=[$]((bad + 1))/:/' scripts/check-kconfig.sh ;;
	# A version without a hash line, as after a version bump alone.
	version) sed -i 's/^\(BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE\)=.*/\1="6.12.1"/' "$defconfig" ;;
	nohash) sed -i '/  linux-[0-9.]*\.tar\.xz$/d' buildroot-external/patches/linux/linux.hash ;;
	series)
		sed -i 's/^\(BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE\)=.*/\1="6.6.152"/' "$defconfig"
		printf '# From a record\nsha256  %064d  linux-6.6.152.tar.xz\n' 0 \
			>>buildroot-external/patches/linux/linux.hash
		;;
	record) sed -i '/^# linux-[0-9.]*\.tar\.xz: /,/^# .make br-kernel-hash/d' buildroot-external/patches/linux/linux.hash ;;
	esac
}

# Copy the parts of the project the checks read, break one thing, and
# expect the checks to fail.
self_test() {
	top=$1
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	st=0
	for breakage in $breakages; do
		copy=$tmp/copy
		rm -rf "$copy"
		mkdir -p "$copy/tests" "$copy/scripts"
		cp -a "$top/buildroot-external" "$top/board" "$top/defconfigs" "$top/$series_dir" "$copy/"
		cp -a "$top/tests/target" "$copy/tests/"
		cp -a "$top/scripts/check-kconfig.sh" "$copy/scripts/"
		(cd "$copy" && break_tree "$breakage")
		if OFFLINE_CONFIG=/nonexistent "$here/check-tree.sh" "$copy" >"$tmp/log" 2>&1; then
			echo "check-tree: FAIL: self-test: a tree with a broken $breakage passes" >&2
			st=1
		else
			echo "check-tree: ok: self-test: a broken $breakage fails: $(grep -m1 FAIL "$tmp/log" | sed 's/^check-tree: FAIL: //')"
		fi
	done
	return $st
}

if [ "${1:-}" = --self-test ]; then
	shift
	top=$(cd "${1:-$here/../..}" && pwd)
	self_test "$top"
	exit $?
fi
top=$(cd "${1:-$here/../..}" && pwd)
check_tree "$top"
if [ "$fail" -ne 0 ]; then
	echo "check-tree: $fail of $checks checks failed" >&2
	exit 1
fi
echo "check-tree: all $checks checks passed"
