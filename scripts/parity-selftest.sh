#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# parity.sh must be able to fail: run it on small console logs, the same
# for both drivers (it must pass), then with one fuzzer errno digest
# changed, a block digest changed, a file-operation errno changed, the
# fuzzer's lines missing from one run, and missing from both (each must
# fail, naming the difference).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A console with the shape init prints: two suites, bad-input and fuzzer
# result lines.
cat >"$tmp/good.log" <<'LOG'
[    1.000000] Run /sbin/init as init process
target-tests: begin
KTAP version 1
1..2
    KTAP version 1
    # Subtest: rtc-badinput
    1..1
    ok 1 set_time_month_12_einval
    # result set_time_month_12 errno=EINVAL clock_unchanged=1 alarm_unchanged=1
ok 1 rtc-badinput
    KTAP version 1
    # Subtest: rtc-fuzz
    1..2
    # result fuzz_ioctl_block_0 calls=500 digest=1a2b3c4d 0=120 EINVAL=80 EFAULT=150 ENOTTY=150
    # result fuzz_ioctl seed=20261122 count=500 calls=500 digest=0badf00d
    ok 1 ioctl_fuzz_ran_every_call
    # result fuzz_read size=0 buf=null errno=EINVAL
    ok 2 read_short_buffers_einval
ok 2 rtc-fuzz
target-tests: end
LOG

pass=0
fail=0
expect() { # expect pass|fail NAME RUST_LOG C_LOG [PATTERN in the output]
	local want=$1 name=$2 out status=0
	out=$("$here/parity.sh" "$3" "$4" 2>&1) || status=$?
	if { [ "$want" = pass ] && [ "$status" = 0 ]; } ||
	   { [ "$want" = fail ] && [ "$status" = 1 ] && { [ -z "${5:-}" ] || grep -q -- "$5" <<<"$out"; }; }; then
		pass=$((pass + 1))
		echo "ok: $name"
	else
		fail=$((fail + 1))
		echo "FAILED: $name: parity.sh exited $status, wanted $want${5:+ naming '$5'}:"
		sed 's/^/    /' <<<"$out"
	fi
}
alter() { sed "$1" "$tmp/good.log" >"$tmp/$2.log"; }

expect pass "identical runs" "$tmp/good.log" "$tmp/good.log"
alter 's/digest=0badf00d/digest=0badf00e/' digest
expect fail "whole-run fuzzer digest differs" "$tmp/good.log" "$tmp/digest.log" \
	"ioctl fuzzer errno digests differ"
expect fail "the same, the other way" "$tmp/digest.log" "$tmp/good.log" \
	"ioctl fuzzer errno digests differ"
alter 's/digest=1a2b3c4d 0=120 EINVAL=80/digest=1a2b3c4d 0=121 EINVAL=79/' block
expect fail "a block's errno counts differ" "$tmp/good.log" "$tmp/block.log" \
	"+result fuzz_ioctl_block_0"
alter 's/size=0 buf=null errno=EINVAL/size=0 buf=null errno=EFAULT/' read
expect fail "a read() errno differs" "$tmp/good.log" "$tmp/read.log" "errno=EFAULT"
alter '/# result fuzz_/d' nofuzz
expect fail "no fuzzer lines in the C run" "$tmp/good.log" "$tmp/nofuzz.log" \
	"digests differ: rust seed=20261122 count=500 calls=500 digest=0badf00d, c none"
expect fail "no fuzzer lines in either run" "$tmp/nofuzz.log" "$tmp/nofuzz.log" \
	"no ioctl fuzzer digest"
alter 's/calls=500 digest=0badf00d/calls=499 digest=0badf00d/' short
expect fail "one run stopped early" "$tmp/good.log" "$tmp/short.log" "digests differ"

echo "parity-selftest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
