#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own Rust quality gates on the patched tree, with the
# project's config: `make rustfmtcheck`, a CLIPPY=1 build of all Rust code
# that must print no warning, and `make rustdoc`. Clippy builds in its own
# folder so that the main build is not rebuilt twice. Run from the Makefile
# (`make check-rust`), which exports KERNEL_SRC, KERNEL_BUILD, OUTPUT, JOBS
# and KERNEL_MAKE_ARGS.
set -euo pipefail

# Next to the kernel build folder, so that each kernel (KERNEL=...) has its own.
clippy_build=$KERNEL_BUILD-clippy
log=$KERNEL_BUILD-check-rust.log
kmake() { # build folder, then make arguments
	local o=$1
	shift
	# shellcheck disable=SC2086 # KERNEL_MAKE_ARGS is a list of assignments
	make -C "$KERNEL_SRC" O="$o" $KERNEL_MAKE_ARGS "$@"
}
die() { echo "check-rust: error: $*" >&2; exit 1; }

: >"$log"
kmake "$KERNEL_BUILD" rustfmtcheck >>"$log" 2>&1 ||
	die "rustfmtcheck found unformatted Rust code (see $log)"
echo "check-rust: rustfmtcheck clean"

mkdir -p "$clippy_build"
cp "$KERNEL_BUILD/.config" "$clippy_build/.config"
kmake "$clippy_build" olddefconfig >>"$log" 2>&1
kmake "$clippy_build" CLIPPY=1 -j"$JOBS" rust/ drivers/rtc/ >"$clippy_build/clippy.log" 2>&1 ||
	die "the CLIPPY=1 build failed (see $clippy_build/clippy.log)"
if grep -n '^warning\|^error' "$clippy_build/clippy.log" >&2; then
	die "clippy or rustc warnings (above; full log $clippy_build/clippy.log)"
fi
echo "check-rust: CLIPPY=1 build of all Rust code: no warnings"

kmake "$KERNEL_BUILD" rustdoc >"$KERNEL_BUILD-rustdoc.log" 2>&1 ||
	die "make rustdoc failed (see $KERNEL_BUILD-rustdoc.log)"
if grep -n '^warning\|^error' "$KERNEL_BUILD-rustdoc.log" >&2; then
	die "rustdoc warnings (above)"
fi
echo "check-rust: rustdoc built without warnings ($KERNEL_BUILD/rust/doc)"
