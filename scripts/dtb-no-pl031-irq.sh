#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# QEMU virt's device tree with the PL031's `interrupts` property removed,
# for the boot that checks the driver without an IRQ (make test-debug).
# The tree is dumped by the QEMU that boots it, with the board options of
# board/qemu-virt/start-qemu.sh; QEMU still fills in /chosen (the command
# line) when it boots with -dtb.
#
# usage: dtb-no-pl031-irq.sh OUT.dtb
set -euo pipefail

out=${1:?usage: dtb-no-pl031-irq.sh OUT.dtb}
die() { echo "dtb-no-pl031-irq: error: $*" >&2; exit 1; }
for t in qemu-system-arm fdtput fdtget; do
	command -v "$t" >/dev/null || die "$t not found (run 'make deps': qemu-system-arm, device-tree-compiler)"
done

mkdir -p "$(dirname "$out")"
rm -f "$out.tmp"
qemu-system-arm -M virt,dumpdtb="$out.tmp" -cpu cortex-a15 -m 256 -smp 1 \
	-nographic -nic none >/dev/null 2>&1 || true
[ -s "$out.tmp" ] || die "qemu-system-arm -M virt,dumpdtb=... wrote no device tree"

# The node whose compatible list has arm,pl031 (pl031@9010000 today).
node=
for n in $(fdtget -l "$out.tmp" /); do
	fdtget "$out.tmp" "/$n" compatible 2>/dev/null | tr ' ' '\n' | grep -qx 'arm,pl031' &&
		node=/$n && break
done
[ -n "$node" ] || die "no arm,pl031 node at the root of QEMU virt's device tree"
irq=$(fdtget "$out.tmp" "$node" interrupts 2>/dev/null) ||
	die "$node has no interrupts property to remove"
fdtput -d "$out.tmp" "$node" interrupts
! fdtget "$out.tmp" "$node" interrupts >/dev/null 2>&1 ||
	die "$node still has an interrupts property"
mv "$out.tmp" "$out"
echo "dtb-no-pl031-irq: $out: $node without its interrupts ($irq)"
