#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Boot the image on qemu-system-arm's virt machine (Cortex-A15, 256 MiB).
# The one launch script for `make run`, `make test` and the Buildroot tree.
# It is copied next to the images as output/images/start-qemu.sh and then
# boots the zImage and rootfs.ext4 found beside it.
#
# usage: start-qemu.sh [options] [-- extra qemu arguments]
#   --images DIR      where zImage and rootfs.ext4 are (default: this
#                     script's directory)
#   --mode MODE       shell: a shell on the console (needs a terminal);
#                     poweroff: boot, then power off;
#                     test: run the on-target tests, then power off.
#                     Default: shell with a terminal, poweroff without.
#   --rtc-base TIME   RTC start, UTC, as YYYY-MM-DDTHH:MM:SS
#                     (default 2030-01-01T00:00:00)
#   --snapshot        do not write to rootfs.ext4 (QEMU -snapshot)
#   --append ARGS     extra kernel command line
# Environment: KERNEL_CMDLINE_EXTRA and QEMU_EXTRA_ARGS add to the kernel
# command line and to QEMU's arguments; QEMU overrides the binary.
set -eu

images=$(dirname "$0")
mode=
rtc_base=2030-01-01T00:00:00
snapshot=
append=${KERNEL_CMDLINE_EXTRA:-}

die() { echo "start-qemu: error: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--images) images=${2:?--images needs a directory}; shift 2 ;;
	--mode) mode=${2:?--mode needs shell, poweroff or test}; shift 2 ;;
	--rtc-base) rtc_base=${2:?--rtc-base needs a time}; shift 2 ;;
	--snapshot) snapshot=-snapshot; shift ;;
	--append) append="$append ${2:?--append needs arguments}"; shift 2 ;;
	--) shift; break ;;
	-h|--help) sed -n '3,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
done

if [ -z "$mode" ]; then
	if [ -t 0 ] && [ -t 1 ]; then mode=shell; else mode=poweroff; fi
fi
case "$mode" in
shell|poweroff|test) ;;
*) die "unknown mode '$mode' (shell, poweroff or test)" ;;
esac

qemu=${QEMU:-qemu-system-arm}
command -v "$qemu" >/dev/null 2>&1 || die "$qemu not found (run 'make deps')"
[ -f "$images/zImage" ] || die "no kernel image $images/zImage (run 'make')"
[ -f "$images/rootfs.ext4" ] || die "no root filesystem $images/rootfs.ext4 (run 'make')"

# The guest checks that hctosys set the clock to this time.
rtc_epoch=$(date -u -d "$rtc_base" +%s 2>/dev/null) ||
	die "bad --rtc-base '$rtc_base' (want YYYY-MM-DDTHH:MM:SS, UTC)"

cmdline="console=ttyAMA0 root=/dev/vda rw rootfstype=ext4 rootwait panic=-1"
cmdline="$cmdline board.mode=$mode board.rtc_base=$rtc_epoch $append"

# -no-reboot turns the guest's reboot after a panic (panic=-1) into a QEMU
# exit; PSCI power-off exits QEMU too.
# shellcheck disable=SC2086 # QEMU_EXTRA_ARGS is split on purpose
exec "$qemu" -M virt -cpu cortex-a15 -m 256 -smp 1 \
	-nographic -no-reboot -nic none \
	-rtc base="$rtc_base",clock=host \
	-kernel "$images/zImage" \
	-drive file="$images/rootfs.ext4",if=none,format=raw,id=rootfs $snapshot \
	-device virtio-blk-device,drive=rootfs \
	-append "$cmdline" \
	${QEMU_EXTRA_ARGS:-} "$@"
