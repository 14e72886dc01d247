#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Generate the last patch of the series, the one that adds the Rust PL031
# driver to the kernel, from the files we edit: drivers/rtc_pl031_rust.rs
# and the top-level Kconfig entry.
#
#   driver-patch.sh generate   write linux-patches/NNNN-rtc-pl031-add-a-Rust-driver.patch
#   driver-patch.sh check      fail if that patch differs from what generate writes
#
# The patch is reproducible: fixed author, date and message, applied on top
# of the rest of the series, and full blob hashes (git abbreviates them to a
# length that depends on how many objects the repository holds).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
PATCH_DIR=${PATCH_DIR:-$TOP/linux-patches/6.12}
KERNEL_CACHE=${KERNEL_CACHE:-$TOP/output/cache/linux-6.12}
SUFFIX=rtc-pl031-add-a-Rust-driver.patch
DATE="2026-01-01T00:00:00+00:00"

die() { echo "driver-patch: error: $*" >&2; exit 1; }

git_k() {
	GIT_AUTHOR_DATE=$DATE GIT_COMMITTER_DATE=$DATE \
		git -c user.name="PL031 Team" -c user.email="team@pl031.example.org" \
		-c core.hooksPath=/dev/null "$@"
}

# Writes standard input as the regular file $1 of the index GIT_INDEX_FILE.
put_file() {
	local blob
	blob=$(git_k hash-object -w --stdin)
	git_k update-index --add --cacheinfo "100644,$blob,$1"
}

# edit_file PATH CHECK WHAT CMD...: passes the index's PATH through CMD and
# writes the result back, or names WHAT could not be done when the result
# has no line matching the regular expression CHECK. The result is kept
# beside GIT_INDEX_FILE, in the caller's temporary folder.
edit_file() {
	local path=$1 check=$2 what=$3 edited=$GIT_INDEX_FILE.edit
	shift 3
	git_k cat-file blob ":$path" | "$@" >"$edited"
	grep -q -- "$check" "$edited" || die "could not $what"
	put_file "$path" <"$edited"
	rm -f "$edited"
}

# Writes the generated patch into the folder $1. The patch is made in a
# private index of the cached repository, with no files checked out: the
# series is applied with git apply --cached, as git am would apply it, and
# the three files the driver patch edits are read from and written back to
# that index.
generate_into() {
	local out=$1 others=() n p base_tree parent commit
	shopt -s nullglob
	for p in "$PATCH_DIR"/*.patch; do
		case "$p" in *-$SUFFIX) ;; *) others+=("$p") ;; esac
	done
	shopt -u nullglob
	"$TOP/scripts/kernel-tree.sh" prepare
	export GIT_DIR=$KERNEL_CACHE/.git GIT_INDEX_FILE=$out/.index
	git_k read-tree base
	for p in "${others[@]}"; do
		git_k apply --cached --whitespace=error-all "$p" ||
			die "$(basename "$p") does not apply to the $(basename "$KERNEL_CACHE") tree"
	done
	base_tree=$(git_k write-tree)
	parent=$(git_k commit-tree -p base -m "the series without the driver patch" "$base_tree")

	put_file drivers/rtc/rtc_pl031_rust.rs <"$TOP/drivers/rtc_pl031_rust.rs"
	# The Kconfig entry goes right after the C driver's, so that the two
	# alternatives sit together in menuconfig.
	edit_file drivers/rtc/Kconfig '^config RTC_DRV_PL031_RUST$' \
		"place the Kconfig entry after RTC_DRV_PL031" awk -v entry="$TOP/Kconfig" '
		/^config RTC_DRV_PL031$/ { in_pl031 = 1 }
		in_pl031 && /^config / && !/^config RTC_DRV_PL031$/ {
			while ((getline line < entry) > 0) print line
			print ""
			in_pl031 = 0
		}
		{ print }
	'
	edit_file drivers/rtc/Makefile 'rtc_pl031_rust.o' \
		"add the driver to drivers/rtc/Makefile" \
		sed 's/^obj-\$(CONFIG_RTC_DRV_PL031)\t+= rtc-pl031.o$/&\nobj-$(CONFIG_RTC_DRV_PL031_RUST)\t+= rtc_pl031_rust.o/'

	# A MAINTAINERS entry for the new file, in alphabetical order.
	edit_file MAINTAINERS '^F:	drivers/rtc/rtc_pl031_rust.rs$' \
		"add the MAINTAINERS entry" awk '
		/^ARM PRIMECELL PL35X NAND CONTROLLER DRIVER$/ && !done {
			print "ARM PRIMECELL PL031 RTC DRIVER [RUST]"
			print "M:\tPL031 Team <team@pl031.example.org>"
			print "L:\tlinux-rtc@vger.kernel.org"
			print "S:\tMaintained"
			print "F:\tdrivers/rtc/rtc_pl031_rust.rs"
			print ""
			done = 1
		}
		{ print }
	'

	commit=$(git_k commit-tree -p "$parent" -F - "$(git_k write-tree)" <<'EOF'
rtc: pl031: add a Rust driver

Add a Rust driver for the ARM PrimeCell PL031 real-time clock and its
two ST Microelectronics variants, built on the AMBA, MMIO, IRQ and RTC
abstractions. It does what the C driver does: time and alarm over the
32-bit seconds counter (the BCD calendar registers on ST v2), the alarm
interrupt, wakeup, and the alarm feature cleared without an interrupt.
It registers as rtc-pl031, the C driver's name on the bus, in
/proc/iomem and in /proc/interrupts, so that the two are
interchangeable for user space.

It has no unsafe code, and what C keeps apart by convention is kept
apart by types: the register mapping is a Devres, usable only with the
bound device; the interrupt handler holds the mapping and a reference
to the RTC device; the RTC operations' data is not the bus device's
driver data. Unlike the C driver, which registers the RTC device
first, probe requests the interrupt before registering, as the RTC
maintainer asked in review of an earlier Rust RTC series: nothing
fails once user space can see the device, and a failure to set up
wakeup does not fail probe. The interrupt is freed
in the bus's remove(), before the bus turns the clock off.

Time conversions, day of year and BCD go through the RTC core's
helpers, as in C. Register values that do not make a date never
panic: they decode as C decodes them, to a time the RTC core rejects,
or give EINVAL where C would index past its day-of-year table. An
alarm past 2106-02-07 06:28:15 on the 32-bit counter variants gets
ERANGE, where C would program the value truncated to 32 bits.

A KUnit suite runs the hardware logic on a fake register file:
boundary dates, range errors, the alarm and interrupt paths, the ST v2
layout, and garbage in every field the read paths decode.

The two drivers must not both bind to the device, so the Rust one
depends on RTC_DRV_PL031=n. Built in, it lets RTC_HCTOSYS set the
system clock before init.

Signed-off-by: PL031 Team <team@pl031.example.org>
EOF
	)
	n=$(( ${#others[@]} + 1 ))
	git_k format-patch -q -1 --no-signature --zero-commit --full-index \
		--start-number "$n" -o "$out" "$commit"
	rm -f "$out/.index"
	unset GIT_DIR GIT_INDEX_FILE
	[ -f "$out/$(printf '%04d' "$n")-$SUFFIX" ] || die "format-patch did not write *-$SUFFIX"
}

case "${1:-}" in
generate)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	generate_into "$tmp"
	rm -f "$PATCH_DIR"/*-"$SUFFIX"
	cp "$tmp"/*.patch "$PATCH_DIR/"
	echo "driver-patch: wrote $(basename "$tmp"/*.patch)"
	;;
check)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	generate_into "$tmp"
	committed=$(ls "$PATCH_DIR"/*-"$SUFFIX" 2>/dev/null || true)
	[ -n "$committed" ] || die "no *-$SUFFIX in $PATCH_DIR: run 'make driver-patch'"
	if ! diff -u "$committed" "$tmp"/*.patch >"$tmp/diff"; then
		head -n 40 "$tmp/diff" >&2
		die "$(basename "$committed") is stale: drivers/ or Kconfig changed; run 'make driver-patch' and commit it"
	fi
	echo "driver-patch: $(basename "$committed") matches drivers/ and Kconfig"
	;;
*)
	die "usage: $0 generate|check"
	;;
esac
