#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-disk.sh must be able to fail: on a real folder holding 128 MiB it
# passes when the need is 64 MiB more than the free space (what the folder
# holds counts), fails naming the shortfall when the need is larger than
# the file system, and refuses a malformed need. The 64 MiB margin absorbs
# what other processes write to the disk meanwhile.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/out"
head -c $((128 * 1024 * 1024)) /dev/zero >"$tmp/out/blob"

pass=0
fail=0
check() {
	local name=$1 want=$2 pattern=$3 rc=0
	shift 3
	"$here/check-disk.sh" "$@" >"$tmp/log" 2>&1 || rc=$?
	if { [ "$want" = ok ] && [ "$rc" -eq 0 ]; } ||
		{ [ "$want" = fail ] && [ "$rc" -ne 0 ]; }; then
		if grep -q -- "$pattern" "$tmp/log"; then
			pass=$((pass + 1))
			return
		fi
	fi
	echo "check-disk-selftest: FAIL: $name (exit $rc):" >&2
	cat "$tmp/log" >&2
	fail=$((fail + 1))
}

total=$(df -P -m "$tmp" | awk 'NR == 2 { print $2 }')
free=$(df -P -m "$tmp" | awk 'NR == 2 { print $4 }')
check "held space counts towards the need" ok "of the $((free + 64)) MiB a run needs" \
	"$tmp/out" $((free + 64))
check "a missing folder is checked on its parent" ok "holds 0 MiB" "$tmp/none/deeper" 1
check "more than the disk holds" fail "not enough disk space" "$tmp/out" $((total * 2))
check "malformed need" fail "must be a number" "$tmp/out" 3G
echo "check-disk-selftest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
