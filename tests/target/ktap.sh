# SPDX-License-Identifier: GPL-2.0
# KTAP output for the on-target test suites (sourced by busybox sh).
#
#   ktap_begin NAME PLAN          header of a suite with PLAN cases
#   ktap_result NAME STATUS [DIAG] one case: STATUS 0 is ok, anything else
#                                 is not ok; DIAG lines follow as # comments
#   ktap_skip NAME REASON         a skipped case
#   ktap_end                      exit status: 1 if any case failed
ktap_case=0
ktap_failed=0

ktap_begin() {
	echo "KTAP version 1"
	echo "# Subtest: $1"
	echo "1..$2"
}

ktap_result() {
	ktap_case=$((ktap_case + 1))
	if [ "$2" = 0 ]; then
		echo "ok $ktap_case $1"
	else
		ktap_failed=$((ktap_failed + 1))
		echo "not ok $ktap_case $1"
		[ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/# /'
	fi
}

ktap_skip() {
	ktap_case=$((ktap_case + 1))
	echo "ok $ktap_case $1 # SKIP $2"
}

ktap_end() {
	[ "$ktap_failed" -eq 0 ]
}
