#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The driver is one source for both kernels: the file the driver patch of each
# series adds must be the same, byte for byte, and equal to drivers/.
#
#   driver-same.sh SERIES_DIR...
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
SUFFIX=rtc-pl031-add-a-Rust-driver.patch
FILE=drivers/rtc/rtc_pl031_rust.rs

die() { echo "driver-same: error: $*" >&2; exit 1; }
[ "$#" -ge 1 ] || die "usage: $0 SERIES_DIR..."

# Prints the new file $FILE as the patch $1 adds it.
added_file() {
	awk -v file="$FILE" '
		$0 == "+++ b/" file { found = 1; next }
		found && /^diff --git / { exit }
		found && /^[+]/ { print substr($0, 2) }
	' "$1"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for dir in "$@"; do
	patch=$(ls "$dir"/*-"$SUFFIX" 2>/dev/null) || die "no *-$SUFFIX in $dir"
	added_file "$patch" >"$tmp/driver.rs"
	[ -s "$tmp/driver.rs" ] || die "$(basename "$patch") adds no $FILE"
	if cmp -s "$tmp/driver.rs" "$TOP/drivers/rtc_pl031_rust.rs"; then
		echo "driver-same: $dir: $(basename "$patch") adds drivers/rtc_pl031_rust.rs unchanged ($(wc -l <"$tmp/driver.rs") lines)"
	else
		echo "driver-same: $dir: $(basename "$patch") differs from drivers/rtc_pl031_rust.rs:" >&2
		diff -u "$TOP/drivers/rtc_pl031_rust.rs" "$tmp/driver.rs" | head -n 40 >&2 || true
		status=1
	fi
done
[ "$status" -eq 0 ] && echo "driver-same: the driver is the same file in all $# series"
exit "$status"
