#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Bisectability: build the project's kernel config at every patch of the
# series, in a separate work tree and build folder so that the main build
# stays as it is. Run from the Makefile (`make check-series`), which exports
# KERNEL_SRC, KERNEL_CACHE, KERNEL_MAKE_ARGS, DEFCONFIG, HARDENING_CONFIG (a
# list of files), REQUIRED_CONFIG, OUTPUT and JOBS.
#
# Before the patch that selects HAVE_RUST, CONFIG_RUST cannot be enabled and
# olddefconfig drops it: those steps must build, and only the last one must
# also pass the required-options check.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
work=$OUTPUT/series-check
src=$work/linux
build=$work/build

die() { echo "check-series: error: $*" >&2; exit 1; }
[ -e "$KERNEL_SRC/.git" ] || die "no kernel work tree at $KERNEL_SRC (run 'make linux-tree')"

commits=$(git -C "$KERNEL_SRC" rev-list --reverse base..HEAD)
total=$(echo "$commits" | wc -l)
[ -n "$commits" ] || die "no patches applied in $KERNEL_SRC"

"$top/scripts/kernel-tree.sh" apply-to "$src"

n=0
failed=0
for commit in $commits; do
	n=$((n + 1))
	subject=$(git -C "$KERNEL_SRC" log -1 --format=%s "$commit")
	git -C "$src" checkout -q -f --detach "$commit"
	mkdir -p "$build"
	# shellcheck disable=SC2086 # HARDENING_CONFIG is a list of files
	cat "$DEFCONFIG" $HARDENING_CONFIG >"$build/.config"
	log=$work/build-$n.log
	start=$(date +%s)
	# shellcheck disable=SC2086 # KERNEL_MAKE_ARGS is a list of assignments
	if make -C "$src" O="$build" $KERNEL_MAKE_ARGS olddefconfig >"$log" 2>&1 &&
		make -C "$src" O="$build" $KERNEL_MAKE_ARGS -j"$JOBS" zImage >>"$log" 2>&1; then
		rust=$(grep -q '^CONFIG_RUST=y' "$build/.config" && echo "Rust on" || echo "Rust off")
		echo "check-series: [$n/$total] builds ($rust, $(($(date +%s) - start)) s): $subject"
	else
		echo "check-series: [$n/$total] BUILD FAILED: $subject (log: $log)" >&2
		tail -n 20 "$log" >&2
		failed=$((failed + 1))
	fi
done
# shellcheck disable=SC2086 # HARDENING_CONFIG is a list of files
"$top/scripts/check-kconfig.sh" "$build/.config" "$REQUIRED_CONFIG" $HARDENING_CONFIG || failed=$((failed + 1))

[ "$failed" -eq 0 ] || die "$failed of $total steps failed"
echo "check-series: all $total patches build on their own"
