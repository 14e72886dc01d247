#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Misuses of the Rust abstractions must not build. Each tests/compile-fail/*.rs
# is appended in turn to the driver in the kernel work tree, and the driver
# object is built: the build must fail, with the rustc message its
# "// expect:" line names (an extended regular expression). The unmodified
# driver must build first, so that a failure means the misuse and nothing else.
#
# The kernel's doctests cannot be compile_fail in 6.12 (its doctest builder
# does not compile them), hence this check.
#
# Environment: KERNEL_SRC, KERNEL_BUILD, KERNEL_MAKE_ARGS (from the Makefile).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
: "${KERNEL_SRC:?}" "${KERNEL_BUILD:?}" "${KERNEL_MAKE_ARGS:?}"
drv=$KERNEL_SRC/drivers/rtc/rtc_pl031_rust.rs
obj=drivers/rtc/rtc_pl031_rust.o

die() { echo "check-compile-fail: error: $*" >&2; exit 1; }
[ -f "$drv" ] || die "no $drv (run 'make linux-config')"
[ -f "$KERNEL_BUILD/.config" ] || die "no $KERNEL_BUILD/.config (run 'make linux-config')"

work=$(mktemp -d)
cp -p "$drv" "$work/driver.rs"
restore() {
	cp "$work/driver.rs" "$drv"
	touch "$drv"
	rm -rf "$work"
}
trap restore EXIT

kmake() {
	# shellcheck disable=SC2086 # KERNEL_MAKE_ARGS is a list of arguments.
	make --no-print-directory -C "$KERNEL_SRC" O="$KERNEL_BUILD" $KERNEL_MAKE_ARGS "$@"
}

kmake "$obj" >"$work/control.log" 2>&1 ||
	{ tail -n 30 "$work/control.log" >&2; die "the unmodified driver does not build"; }

passed=0
failed=0
for case in "$TOP"/tests/compile-fail/*.rs; do
	name=$(basename "$case" .rs)
	expect=$(sed -n 's|^// expect: ||p' "$case")
	[ -n "$expect" ] || die "$name: no '// expect:' line"
	cat "$work/driver.rs" "$case" >"$drv"
	if kmake "$obj" >"$work/$name.log" 2>&1; then
		echo "not ok $name: the misuse builds"
		failed=$((failed + 1))
	elif ! grep -Eq -- "$expect" "$work/$name.log"; then
		echo "not ok $name: the build fails, but not with /$expect/:"
		grep -E '^error' -A6 "$work/$name.log" | head -n 20 | sed 's/^/    /'
		failed=$((failed + 1))
	else
		echo "ok $name: $(grep -E '^error' "$work/$name.log" | head -n1)"
		passed=$((passed + 1))
	fi
done

# Leave the driver object as the unmodified source builds it.
cp "$work/driver.rs" "$drv"
kmake "$obj" >"$work/control.log" 2>&1 || die "the unmodified driver no longer builds"
echo "check-compile-fail: $passed misuses rejected, $failed built or failed otherwise"
[ "$failed" -eq 0 ]
