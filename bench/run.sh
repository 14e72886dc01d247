#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: boot four images built from one source tree, interleaved,
# then write output/bench/report.md, results.json and the plots
# (bench/analyze.py). The Makefile has built the kernels (and the modular
# image's modules) first, in output/bench/build-<name>; this script makes
# the bench rootfs of each image and collects sizes. Nothing here asserts a
# time.
#
#   static-rust     the product, plus the bench fragment
#   static-c        the C rtc-pl031 instead of ours
#   static-rust-v7  static-rust with Rust code generated as Thumb-2 for
#                   ARMv7 (BENCH_V7_RUSTFLAGS)
#   modular-rust    static-rust-v7 with CONFIG_MODULES=y and the driver =m,
#                   loaded by init with insmod
#
# Every image has the bench-only op timer (bench/kernel/, bench.config),
# which the guest runs after the ioctl loops.
#
# Environment (from the Makefile): OUTPUT, BUSYBOX_DIR, BENCH_N (boots per
# image), BENCH_IMAGES, BENCH_CALLS and BENCH_ROUNDS (the in-guest ioctl
# loops), BENCH_OPTIME_CALLS (calls per op and round of the in-kernel
# timer), RTC_BASE, BENCH_V7_RUSTFLAGS (for the report).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
bench=$OUTPUT/bench
n=${BENCH_N:-5}
# Many short rounds: the host's speed changes for seconds at a time, and
# the best of many short rounds finds its fast spells for every op.
calls=${BENCH_CALLS:-500}
rounds=${BENCH_ROUNDS:-20}
optime_calls=${BENCH_OPTIME_CALLS:-20000}
rtc_base=${RTC_BASE:-2030-01-01T00:00:00}
boot_timeout=${BENCH_BOOT_TIMEOUT:-300}
# Why modular-rust needs the v7 code generation, measured on 6.12.117: with
# the product's (arm-unknown-linux-gnueabi: ARM-mode code), this Thumb-2
# kernel's module loader refuses the module ("section 6 reloc ...
# '__devres_alloc_node': unsupported interworking call (ARM -> Thumb)"):
# only the vmlinux link fixes such calls up. With only the module built as
# Thumb-2 (RUSTFLAGS_MODULE) it loads but oopses (undefined instruction) on
# its first call into the ARM-mode kernel crate. So all of its Rust code,
# the kernel crate too, is Thumb-2, and static-rust-v7 is its static twin.
v7_rustflags=${BENCH_V7_RUSTFLAGS:-}
# BENCH_IMAGES picks a subset (a smoke run of the bench itself).
read -r -a names <<<"${BENCH_IMAGES:-static-rust static-c static-rust-v7 modular-rust}"
for name in "${names[@]}"; do
	case "$name" in
	static-rust|static-c|static-rust-v7|modular-rust) ;;
	*) echo "bench: error: unknown image '$name' in BENCH_IMAGES" >&2; exit 1 ;;
	esac
done

die() { echo "bench: error: $*" >&2; exit 1; }
[[ "$n" =~ ^[1-9][0-9]*$ ]] || die "BENCH_N must be a positive number, not '$n'"
[ "$n" -ge 5 ] || echo "bench: warning: BENCH_N=$n is below 5: a smoke run, not a measurement" >&2

build_of() { echo "$bench/build-$1"; }

mkdir -p "$bench"
rm -rf "${bench:?}/raw" "${bench:?}/boot" "${bench:?}/extra"

# --- the guest side: one static program and the bench init script ----------
guest_bin=$bench/guest-bin
mkdir -p "$guest_bin"
arm-linux-gnueabihf-gcc -O2 -Wall -Wextra -Werror -static \
	-o "$guest_bin/rtc-bench" "$TOP/bench/guest/rtc-bench.c"

for name in "${names[@]}"; do
	build=$(build_of "$name")
	kbuild=$build/linux
	[ -f "$kbuild/arch/arm/boot/zImage" ] || die "no zImage in $kbuild (the Makefile builds it)"
	raw=$bench/raw/$name
	extra=$bench/extra/$name
	images=$bench/boot/$name
	mkdir -p "$raw" "$extra/usr/lib/bench" "$extra/etc/init.d" "$extra/sbin" "$images"
	install -m 0755 "$TOP/bench/guest/rcS" "$extra/etc/init.d/rcS"
	install -m 0755 "$TOP/bench/guest/guest.sh" "$guest_bin/rtc-bench" "$extra/usr/lib/bench/"

	if grep -q '^CONFIG_MODULES=y' "$kbuild/.config"; then
		# Installed by the Makefile (make bench-modules).
		modules=$bench/images-$name/modules
		find "$modules/lib/modules" -name '*.ko' 2>/dev/null | grep -q . ||
			die "$name: no .ko under $modules (make bench-modules installs them)"
		cp -a "$modules/lib" "$extra/"
		echo "rustflags=$v7_rustflags" >"$raw/sizes.env"
		# The module tooling: busybox's applets (no kmod in the image).
		for a in insmod rmmod lsmod modprobe; do ln -sf ../bin/busybox "$extra/sbin/$a"; done
		echo "module_payload_bytes=$(find "$extra/lib/modules" -type f -printf '%s\n' |
			awk '{ s += $1 } END { print s + 0 }')" >>"$raw/sizes.env"
		find "$extra/lib/modules" -name '*.ko' -printf 'module_file=%f %s\n' >>"$raw/sizes.env"
		ko=$(find "$kbuild/drivers/rtc" -name 'rtc_pl031_rust.ko' | head -n1)
		[ -n "$ko" ] && llvm-size -A "$ko" >"$raw/module-sections.txt"
	else
		echo "module_payload_bytes=0" >"$raw/sizes.env"
		[ "$name" != static-rust-v7 ] || echo "rustflags=$v7_rustflags" >>"$raw/sizes.env"
	fi

	# Sizes, from the build.
	cp "$kbuild/arch/arm/boot/zImage" "$images/zImage"
	echo "zimage_bytes=$(stat -c %s "$images/zImage")" >>"$raw/sizes.env"
	llvm-size -A "$kbuild/vmlinux" >"$raw/vmlinux-sections.txt"
	for obj in drivers/rtc/rtc_pl031_rust.o drivers/rtc/rtc-pl031.o; do
		[ -f "$kbuild/$obj" ] || continue
		llvm-size -A "$kbuild/$obj" >"$raw/driver-sections.txt"
		llvm-nm --print-size --demangle --defined-only "$kbuild/$obj" >"$raw/driver-symbols.txt"
		echo "driver_object=$obj" >>"$raw/sizes.env"
	done
	# Exported symbols: the entries of the EXPORT_SYMBOL tables.
	echo "exported_symbols=$(grep -c ' __ksymtab_' "$kbuild/System.map" || true)" >>"$raw/sizes.env"
	cp "$kbuild/.config" "$raw/config"

	info=$build/build-info
	if [ "$name" = modular-rust ]; then
		# The product's build-info, naming this kernel and a modular driver.
		info=$raw/build-info
		sed -e "s/^KCONFIG_SHA256=.*/KCONFIG_SHA256=$(sha256sum "$kbuild/.config" | cut -d' ' -f1)/" \
			-e 's/^RTC_DRIVER_IMPL=.*/RTC_DRIVER_IMPL=rust-module/' \
			"$(build_of static-rust)/build-info" >"$info"
	fi
	# The test programs are the product's: the same for every image.
	BUILD_INFO=$info TARGET_BIN=$(build_of static-rust)/target-bin ROOTFS_EXTRA=$extra \
		"$TOP/board/scripts/mkrootfs.sh" "$bench/staging-$name" "$images/rootfs.ext4" >/dev/null
	echo "rootfs_used_bytes=$(du -sb "$bench/staging-$name" | cut -f1)" >>"$raw/sizes.env"
	rm -rf "$bench/staging-$name"
	install -m 0755 "$TOP/board/qemu-virt/start-qemu.sh" "$images/start-qemu.sh"
done

# --- boots: round r boots every image once, in a rotating order ------------
append="initcall_debug log_buf_len=1M bench.calls=$calls bench.rounds=$rounds bench.optime=$optime_calls"
echo "bench: $n boots per image, interleaved (kernel command line adds: $append)"
for ((r = 1; r <= n; r++)); do
	for ((k = 0; k < ${#names[@]}; k++)); do
		name=${names[$(((k + r - 1) % ${#names[@]}))]}
		log=$bench/raw/$name/boot-$r.log
		t0=$(date +%s.%N)
		if ! timeout "$boot_timeout" "$bench/boot/$name/start-qemu.sh" --mode poweroff \
			--snapshot --rtc-base "$rtc_base" --append "$append" </dev/null >"$log" 2>&1; then
			die "$name boot $r: QEMU did not power off within $boot_timeout s, or failed (see $log)"
		fi
		wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
		echo "$wall" >"$bench/raw/$name/boot-$r.wall"
		grep -q '^bench: done' "$log" || die "$name boot $r: the guest bench did not finish (see $log)"
		grep -qE 'Kernel panic|BUG:|Oops' "$log" && die "$name boot $r: kernel panic or oops (see $log)"
		echo "bench: round $r/$n $name ${wall}s"
	done
done

machine="$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1),"
machine="$machine $(qemu-system-arm --version | head -n1 | sed 's/ *Copyright.*//'), TCG"
/usr/bin/python3 "$TOP/bench/analyze.py" --bench "$bench" --machine "$machine" \
	--images "${names[@]}"
