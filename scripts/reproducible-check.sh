#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The image is reproducible: two clean builds, in two output folders of
# different names and path lengths, one after the other (so at different
# times), must give a bit-identical zImage and rootfs.ext4 for one KERNEL
# (6.12 or 7.2). Each build has its own kernel work tree, build folder and
# images; they share only the cache (the pristine Debian kernel sources and
# the target busybox). Each
# runs `make images` in an environment without this make's exported
# variables, as a user would from a shell, and derives SOURCE_DATE_EPOCH
# and the rest itself.
#
# Prints the sha256 of both files from both builds. On a difference, names
# the file and shows where it differs: the first differing bytes, and for
# the zImage the kernel banners, the vmlinux sections that differ and
# whether the build path leaked in; for rootfs.ext4 the superblock and the
# files that differ. The builds are kept on a failure, removed on success.
#
# usage: reproducible-check.sh WORK_DIR
#        reproducible-check.sh --compare OUTPUT_A OUTPUT_B
#            compare two existing output folders (images/ and
#            build/linux/vmlinux in each, or images-7.2/ and build-7.2/
#            with KERNEL=7.2) the same way; builds nothing
# Environment: JOBS (kernel build jobs), CACHE (the shared cache folder),
# KERNEL (6.12, the default, or 7.2).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kernel=${KERNEL:-6.12}
# The Makefile's per-kernel folder suffix: output/images, output/images-7.2.
case "$kernel" in
6.12) suffix= ;;
7.2) suffix=-7.2 ;;
*) echo "reproducible-check: error: KERNEL=$kernel is not 6.12 or 7.2" >&2; exit 2 ;;
esac
usage="usage: reproducible-check.sh WORK_DIR | --compare OUTPUT_A OUTPUT_B"
files=(zImage rootfs.ext4)

die() { echo "reproducible-check: error: $*" >&2; exit 2; }
say() { echo "reproducible-check: $*"; }

compare_only=
if [ "${1:-}" = --compare ]; then
	[ "$#" -eq 3 ] || die "$usage"
	compare_only=1
	a=$(cd "$2" && pwd) || die "no folder $2"
	b=$(cd "$3" && pwd) || die "no folder $3"
	for d in "$a" "$b"; do
		for f in "${files[@]}"; do
			[ -f "$d/images$suffix/$f" ] || die "no $d/images$suffix/$f"
		done
	done
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	names=("$a" "$b")
else
	work=${1:?$usage}
	jobs=${JOBS:-$(nproc)}
	cache=${CACHE:?CACHE (the shared cache folder) is not set}
	# Different lengths, so that a leaked path also moves what follows it.
	names=(first second-build)
	a=$work/${names[0]}
	b=$work/${names[1]}
fi
build_both() {
	[ -d "$cache" ] || die "no cache folder $cache (run 'make' once)"
	git -C "$top" diff --quiet HEAD 2>/dev/null ||
		say "note: the work tree has uncommitted changes; both builds see the same ones"

	# What the top-level Makefile exports, and what make passes on: a build
	# must not inherit the caller's folders or its time stamps.
	clean_env=(env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u OUTPUT -u IMAGES -u BUILD
		-u KERNEL_SRC -u KERNEL_BUILD -u KERNEL_CACHE -u KERNEL_MAKE_ARGS -u BUSYBOX_DIR
		-u KERNEL -u KERNEL_TARBALL -u KERNEL_VERSION_FILE -u KERNEL_PACKAGE -u PATCH_DIR
		-u DL_DIR -u DEFCONFIG -u REQUIRED_CONFIG -u HARDENING_CONFIG -u JOBS -u CACHE
		-u SOURCE_DATE_EPOCH -u KBUILD_BUILD_TIMESTAMP -u KBUILD_BUILD_USER
		-u KBUILD_BUILD_HOST -u KBUILD_BUILD_VERSION)

	start_all=$(date +%s)
	for name in "${names[@]}"; do
		out=$work/$name
		rm -rf "$out"
		mkdir -p "$out"
		say "build $name (KERNEL=$kernel): started $(date -u +%FT%TZ) in $out"
		start=$(date +%s)
		if ! "${clean_env[@]}" make --no-print-directory -C "$top" images \
			KERNEL="$kernel" OUTPUT="$out" CACHE="$cache" JOBS="$jobs" >"$out.log" 2>&1; then
			tail -n 30 "$out.log" >&2
			die "build $name failed (log: $out.log)"
		fi
		say "build $name: done in $(($(date +%s) - start)) s"
	done
	say "both builds: $(($(date +%s) - start_all)) s"
}

[ -n "$compare_only" ] || build_both

differ=0
for f in "${files[@]}"; do
	sa=$(sha256sum "$a/images$suffix/$f" | cut -d' ' -f1)
	sb=$(sha256sum "$b/images$suffix/$f" | cut -d' ' -f1)
	printf 'reproducible-check: %-12s %s  %s\n' "$f" "$sa" "${names[0]}"
	printf 'reproducible-check: %-12s %s  %s\n' "$f" "$sb" "${names[1]}"
	[ "$sa" = "$sb" ] || { differ=1; say "DIFFERS: $f"; }
done

hint_zimage() {
	say "hint: first differing bytes of zImage (offset, octal a, octal b):"
	cmp -l "$a/images$suffix/zImage" "$b/images$suffix/zImage" | head -n 5 || true
	say "hint: banners:"
	for d in "$a" "$b"; do
		strings -a "$d/build$suffix/linux/vmlinux" | grep -m1 '^Linux version ' || true
	done
	say "hint: vmlinux sections that differ:"
	llvm-readelf -S -W "$a/build$suffix/linux/vmlinux" |
		awk '/^ *\[ *[0-9]+\]/ { sub(/^ *\[ *[0-9]+\] */, ""); if ($1 != "") print $1 }' |
		while read -r sec; do
			llvm-objcopy -O binary --only-section="$sec" "$a/build$suffix/linux/vmlinux" "$work/sec.a" 2>/dev/null || continue
			llvm-objcopy -O binary --only-section="$sec" "$b/build$suffix/linux/vmlinux" "$work/sec.b" 2>/dev/null || continue
			cmp -s "$work/sec.a" "$work/sec.b" || echo "  $sec"
		done
	rm -f "$work/sec.a" "$work/sec.b"
	for d in "$a" "$b"; do
		[ -f "$d/build$suffix/linux/vmlinux" ] || { say "hint: no $d/build$suffix/linux/vmlinux"; continue; }
		n=$(strings -a "$d/build$suffix/linux/vmlinux" | grep -c "$d" || true)
		say "hint: $(basename "$d")'s vmlinux has its own path $n times"
	done
}

hint_rootfs() {
	say "hint: first differing bytes of rootfs.ext4 (offset, octal a, octal b):"
	cmp -l "$a/images$suffix/rootfs.ext4" "$b/images$suffix/rootfs.ext4" | head -n 5 || true
	say "hint: superblocks:"
	diff <(dumpe2fs -h "$a/images$suffix/rootfs.ext4" 2>/dev/null) \
		<(dumpe2fs -h "$b/images$suffix/rootfs.ext4" 2>/dev/null) || true
	say "hint: files that differ:"
	for x in a b; do
		rm -rf "$work/rdump-$x"
		mkdir -p "$work/rdump-$x"
	done
	debugfs -R "rdump / $work/rdump-a" "$a/images$suffix/rootfs.ext4" >/dev/null 2>&1 || true
	debugfs -R "rdump / $work/rdump-b" "$b/images$suffix/rootfs.ext4" >/dev/null 2>&1 || true
	diff -r "$work/rdump-a" "$work/rdump-b" || true
}

if [ "$differ" -ne 0 ]; then
	cmp -s "$a/images$suffix/zImage" "$b/images$suffix/zImage" || hint_zimage
	cmp -s "$a/images$suffix/rootfs.ext4" "$b/images$suffix/rootfs.ext4" || hint_rootfs
	[ -n "$compare_only" ] || say "FAILED: the two builds differ; both are kept in $work"
	exit 1
fi
[ -z "$compare_only" ] || { say "ok: KERNEL=$kernel: zImage and rootfs.ext4 are bit-identical"; exit 0; }
rm -rf "$a" "$b"
git -C "$cache/linux-$kernel" worktree prune 2>/dev/null || true
say "ok: KERNEL=$kernel: zImage and rootfs.ext4 are bit-identical across the two builds"
