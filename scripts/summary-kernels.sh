#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The last lines of `make test`: each kernel's result, then the total.
#
#   summary-kernels.sh NAME=SUMMARY_FILE...
#
# Each SUMMARY_FILE ends with the harness's "N passed, M failed" line (for
# 6.12, the line parity.sh appends, with parity counted). A missing file or
# line is an error: that kernel was not tested.
set -euo pipefail

passed=0
failed=0
for arg in "$@"; do
	name=${arg%%=*}
	file=${arg#*=}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$file" 2>/dev/null |
		tail -n1) || true
	if [ -z "$line" ]; then
		echo "summary: error: no result for Linux $name in $file" >&2
		exit 1
	fi
	echo "Linux $name: $line"
	passed=$((passed + ${line%% passed*}))
	f=${line#*, }
	failed=$((failed + ${f%% failed*}))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
