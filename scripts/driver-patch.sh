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
PATCH_DIR=${PATCH_DIR:-$TOP/linux-patches}
KERNEL_CACHE=${KERNEL_CACHE:-$TOP/output/cache/linux-6.12}
WORK=${OUTPUT:-$TOP/output}/driver-patch
SUFFIX=rtc-pl031-add-a-Rust-driver.patch
AUTHOR="PL031 Team <team@pl031.example.org>"
DATE="2026-01-01T00:00:00+00:00"

die() { echo "driver-patch: error: $*" >&2; exit 1; }

git_k() {
	GIT_AUTHOR_DATE=$DATE GIT_COMMITTER_DATE=$DATE \
		git -c user.name="PL031 Team" -c user.email="team@pl031.example.org" \
		-c core.hooksPath=/dev/null "$@"
}

# Writes the generated patch into the folder $1.
generate_into() {
	local out=$1 src=$WORK/linux others=() n
	shopt -s nullglob
	for p in "$PATCH_DIR"/*.patch; do
		case "$p" in *-$SUFFIX) ;; *) others+=("$p") ;; esac
	done
	shopt -u nullglob
	"$TOP/scripts/kernel-tree.sh" apply-to "$src" "${others[@]}"

	cp "$TOP/drivers/rtc_pl031_rust.rs" "$src/drivers/rtc/rtc_pl031_rust.rs"
	# The Kconfig entry goes right after the C driver's, so that the two
	# alternatives sit together in menuconfig.
	awk -v entry="$TOP/Kconfig" '
		/^config RTC_DRV_PL031$/ { in_pl031 = 1 }
		in_pl031 && /^config / && !/^config RTC_DRV_PL031$/ {
			while ((getline line < entry) > 0) print line
			print ""
			in_pl031 = 0
		}
		{ print }
	' "$src/drivers/rtc/Kconfig" >"$src/drivers/rtc/Kconfig.new"
	mv "$src/drivers/rtc/Kconfig.new" "$src/drivers/rtc/Kconfig"
	grep -q '^config RTC_DRV_PL031_RUST$' "$src/drivers/rtc/Kconfig" ||
		die "could not place the Kconfig entry after RTC_DRV_PL031"
	sed -i 's/^obj-\$(CONFIG_RTC_DRV_PL031)\t+= rtc-pl031.o$/&\nobj-$(CONFIG_RTC_DRV_PL031_RUST)\t+= rtc_pl031_rust.o/' \
		"$src/drivers/rtc/Makefile"
	grep -q 'rtc_pl031_rust.o' "$src/drivers/rtc/Makefile" ||
		die "could not add the driver to drivers/rtc/Makefile"

	git_k -C "$src" add -f drivers/rtc/rtc_pl031_rust.rs drivers/rtc/Kconfig drivers/rtc/Makefile
	git_k -C "$src" commit -q --author="$AUTHOR" -F - <<'EOF'
rtc: pl031: add a Rust driver

Add a Rust driver for the ARM PrimeCell PL031 real-time clock and its
two ST Microelectronics variants, built on the AMBA, MMIO, IRQ and RTC
abstractions. It does what the C driver does: time and alarm over the
32-bit seconds counter (the BCD calendar registers on ST v2), the alarm
interrupt, wakeup, and the alarm feature cleared without an interrupt.
Errors for out-of-range times match: the RTC core returns ERANGE
before the driver is called, and the driver checks again.

Conversions avoid 64-bit division, which 32-bit ARM Rust code cannot
use. A KUnit suite runs the hardware logic on a fake register file,
covering boundary dates, range errors, the alarm and interrupt paths,
the ST v2 layout, and a comparison of the conversions with the RTC
core's rtc_time64_to_tm() and rtc_tm_to_time64().

The two drivers must not both bind to the device, so the Rust one
depends on RTC_DRV_PL031=n. Built in, it lets RTC_HCTOSYS set the
system clock before init.

checkpatch: FILE_PATH_CHANGES is kept: MAINTAINERS has no entry for
the PL031 drivers; drivers/rtc/ falls under REAL TIME CLOCK (RTC).

Signed-off-by: PL031 Team <team@pl031.example.org>
EOF
	n=$(( ${#others[@]} + 1 ))
	git -C "$src" format-patch -q -1 --no-signature --zero-commit --full-index \
		--start-number "$n" -o "$out" HEAD
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
