#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build and boot timings, each printed with its ratio to the target, all
# measured in this one run. Nothing here asserts a time: the machine is
# shared and noisy. Run from the Makefile (`make bench-build`), which exports
# KERNEL_SRC, KERNEL_BUILD, KERNEL_MAKE_ARGS, IMAGES, OUTPUT and JOBS.
#
#   clean build      a full zImage build in an empty folder   target 360 s
#   Rust rebuild     after touching one Rust file             target  60 s
#   boot to KUnit end, boot to init, from console timestamps  target   2 s
set -euo pipefail

bench=$OUTPUT/bench
build=$bench/linux
rust_file=${BENCH_RUST_FILE:-rust/kernel/print.rs}

die() { echo "bench-build: error: $*" >&2; exit 1; }
[ -f "$KERNEL_BUILD/.config" ] || die "no $KERNEL_BUILD/.config (run 'make linux-config')"
[ -f "$IMAGES/zImage" ] || die "no $IMAGES/zImage (run 'make')"

kmake() {
	# shellcheck disable=SC2086 # KERNEL_MAKE_ARGS is a list of assignments
	make -C "$KERNEL_SRC" O="$build" $KERNEL_MAKE_ARGS "$@"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
now() { date +%s.%N; }
report() { # name measured target unit
	printf 'bench-build: %-22s %8.2f %s  (target %s %s, ratio %s)\n' \
		"$1" "$2" "$4" "$3" "$4" "$(ratio "$2" "$3")"
}

rm -rf "$build"
mkdir -p "$build"
cp "$KERNEL_BUILD/.config" "$build/.config"
kmake olddefconfig >"$bench/clean.log" 2>&1
echo "bench-build: clean build with -j$JOBS (log: $bench/clean.log)"
t0=$(now)
kmake -j"$JOBS" zImage >>"$bench/clean.log" 2>&1 || die "clean build failed (see $bench/clean.log)"
clean=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')

touch "$KERNEL_SRC/$rust_file"
t0=$(now)
kmake -j"$JOBS" zImage >"$bench/rebuild.log" 2>&1 || die "rebuild failed (see $bench/rebuild.log)"
rebuild=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')

# One boot of the built images, powering off after init has started.
console=$bench/boot-console.log
timeout 300 "$IMAGES/start-qemu.sh" --mode poweroff --snapshot </dev/null >"$console" 2>&1 ||
	die "QEMU did not power off within 300 s (see $console)"
stamp() { # the printk timestamp of the first console line matching $1
	grep -F -- "$1" "$console" | head -n1 | sed -n 's/^\[ *\([0-9]*\.[0-9]*\)\].*/\1/p'
}
# The kernel's last KUnit line is the top-level result of the last suite.
kunit_end=$(sed -n 's/^\[ *\([0-9]*\.[0-9]*\)\] \(not \)\{0,1\}ok [0-9]* .*/\1/p' "$console" | tail -n1)
init=$(stamp 'Run /sbin/init as init process')
[ -n "$init" ] || die "no 'Run /sbin/init' line in $console"
[ -n "$kunit_end" ] || die "no KUnit results in $console"

echo
report "clean build" "$clean" 360 s
report "rebuild ($(basename "$rust_file"))" "$rebuild" 60 s
report "boot to end of KUnit" "$kunit_end" 2 s
report "boot to init" "$init" 2 s
