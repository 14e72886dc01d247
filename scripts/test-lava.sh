#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the LAVA job written by `make lava-job` with Debian's lava-run, then
# check it the way `make test` checks a boot:
#   1. lava-run's per-case results (its `lvl: results` records) for the
#      two test monitors, and LAVA's own action and job results: any
#      failure fails (lava-run itself exits 0 when a case fails);
#   2. the harness's parse of the console lava-run logged (the same boot):
#      its verdict, and every result line compared with LAVA's records
#      (`harness compare-lava`), counts included.
#
# usage: test-lava.sh LAVA_DIR HARNESS TIMEOUT
#   LAVA_DIR holds job.yaml and device.yaml; the run goes to LAVA_DIR/run,
#   lava-run's log to LAVA_DIR/lava-run.log, the results beside them.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "test-lava: error: $*" >&2; exit 2; }

[ $# -eq 3 ] || die "usage: test-lava.sh LAVA_DIR HARNESS TIMEOUT"
lava_dir=$1
harness=$2
timeout=$3
job=$lava_dir/job.yaml
device=$lava_dir/device.yaml
log=$lava_dir/lava-run.log

for f in "$job" "$device"; do
	[ -f "$f" ] || die "no $f (run 'make lava-job')"
done
[ -x "$harness" ] || die "no harness at $harness"
command -v lava-run >/dev/null || die "lava-run not found (run 'scripts/deps.sh --lava')"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

rm -rf "$lava_dir/run" "$lava_dir/harness" "$lava_dir/console.log" "$lava_dir/lava-results.json"
echo "test-lava: lava-run $job (device $device, limit $timeout s), log in $log"
start=$(date +%s)
status=0
# lava-run needs root. It reads nothing from stdin.
as_root timeout --kill-after=30 "$timeout" lava-run --job-id rust-pl031 \
	--output-dir "$lava_dir/run" --device "$device" "$job" </dev/null >"$log" 2>&1 ||
	status=$?
elapsed=$(($(date +%s) - start))
case $status in
0) echo "test-lava: lava-run finished in $elapsed s" ;;
124 | 137) die "lava-run hung: killed after $timeout s (LAVA_TIMEOUT); see $log" ;;
*) tail -n 5 "$log" >&2; die "lava-run failed (exit status $status) after $elapsed s; see $log" ;;
esac

failed=0
/usr/bin/python3 "$TOP/scripts/lava.py" results "$log" --out "$lava_dir" || failed=1

# The harness on the same boot: its own verdict, then LAVA's records
# against its parse.
"$harness" parse "$lava_dir/console.log" --out "$lava_dir/harness" | tail -n 1 ||
	failed=1
"$harness" compare-lava --lava-results "$lava_dir/lava-results.json" \
	"$lava_dir/console.log" || failed=1

if [ "$failed" -ne 0 ]; then
	echo "test-lava: FAILED (lava-run took $elapsed s)" >&2
	exit 1
fi
echo "test-lava: passed (lava-run took $elapsed s)"
