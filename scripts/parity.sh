#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Parity of the Rust and C PL031 drivers: the same on-target tests booted on
# both images must give the same result for every case, the bad-input
# matrix the same errno and the same "clock/alarm unchanged" verdicts, and
# the ioctl fuzzer (rtc-fuzz, same seed) the same errno digests.
#
# usage: parity.sh RUST_CONSOLE_LOG C_CONSOLE_LOG [RUST_SUMMARY]
# With RUST_SUMMARY (the harness output of the Rust run), the last line
# printed is that run's "N passed, N failed" line with parity counted as one
# more test, so that `make test` ends on the whole count.
set -euo pipefail

rust_log=${1:?usage: parity.sh RUST_CONSOLE_LOG C_CONSOLE_LOG [RUST_SUMMARY]}
c_log=${2:?usage: parity.sh RUST_CONSOLE_LOG C_CONSOLE_LOG [RUST_SUMMARY]}
summary=${3:-}
for f in "$rust_log" "$c_log"; do
	[ -f "$f" ] || { echo "parity: error: no console log $f" >&2; exit 2; }
done

# "suite case status" for every on-target case, and the bad-input records.
cases() {
	awk '/^target-tests: begin/ { on = 1; next } /^target-tests: end/ { on = 0 }
	     on && /^    # Subtest: / { suite = $3 }
	     on && /^    (not )?ok [0-9]+ / {
		status = ($1 == "not") ? "FAIL" : "PASS"
		name = ($1 == "not") ? $4 : $3
		if ($0 ~ /# SKIP/) status = "SKIP"
		print suite, name, status
	     }' "$1"
}
results() { sed -n 's/^ *# result /result /p' "$1" | sort; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cases "$rust_log" >"$tmp/rust.cases"
cases "$c_log" >"$tmp/c.cases"
results "$rust_log" >"$tmp/rust.results"
results "$c_log" >"$tmp/c.results"

ok=1
n_cases=$(wc -l <"$tmp/rust.cases")
n_results=$(wc -l <"$tmp/rust.results")
if [ "$n_cases" -eq 0 ] || [ "$n_results" -eq 0 ]; then
	echo "parity: error: the Rust run has $n_cases on-target cases and $n_results bad-input results" >&2
	ok=0
fi
# The fuzzer's whole-run digest: "result fuzz_ioctl seed=S count=N calls=N digest=X".
fuzz() { sed -n 's/^result fuzz_ioctl \(seed=.*\)/\1/p' "$1"; }
rust_fuzz=$(fuzz "$tmp/rust.results")
c_fuzz=$(fuzz "$tmp/c.results")
if [ -z "$rust_fuzz" ]; then
	echo "parity: error: no ioctl fuzzer digest (rtc-fuzz) in the Rust run" >&2
	ok=0
elif [ "$rust_fuzz" != "$c_fuzz" ]; then
	echo "parity: ioctl fuzzer errno digests differ: rust $rust_fuzz, c ${c_fuzz:-none}" >&2
	ok=0
else
	echo "parity: ioctl fuzzer errno digests equal: $rust_fuzz"
fi
if ! diff -u --label rust --label c "$tmp/rust.cases" "$tmp/c.cases" >"$tmp/cases.diff"; then
	echo "parity: on-target results differ between the drivers:" >&2
	cat "$tmp/cases.diff" >&2
	ok=0
fi
if ! diff -u --label rust --label c "$tmp/rust.results" "$tmp/c.results" >"$tmp/results.diff"; then
	echo "parity: bad-input errnos or unchanged-state verdicts differ:" >&2
	cat "$tmp/results.diff" >&2
	ok=0
fi
[ "$ok" -eq 0 ] ||
	echo "parity: Rust and C drivers agree on $n_cases on-target cases and $n_results bad-input results"

if [ -n "$summary" ]; then
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$summary" | tail -n1)
	[ -n "$line" ] || { echo "parity: error: no summary line in $summary" >&2; exit 2; }
	passed=$(echo "$line" | sed 's/^\([0-9]*\) passed.*/\1/')
	failed=$(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')
	skipped=$(echo "$line" | sed -n 's/.*, \([0-9]*\) skipped.*/\1/p')
	if [ "$ok" -eq 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	echo "Rust harness, plus the parity check:"
	echo "$passed passed, $failed failed${skipped:+, $skipped skipped}"
fi
[ "$ok" -eq 1 ]
