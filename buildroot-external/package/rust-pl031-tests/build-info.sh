#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print /etc/build-info for a kernel built by Buildroot: the keys the
# project's Makefile writes for the offline build, which the on-target
# tests read (KERNEL_RELEASE, KCONFIG_SHA256, RTC_DRIVER,
# RTC_DRIVER_IMPL), with the kernel's source named the Buildroot way.
#
# usage: build-info.sh LINUX_DIR LINUX_SOURCE PATCHES PROJECT_DIR BUILDROOT_VERSION
set -euo pipefail

linux=${1:?usage: build-info.sh LINUX_DIR LINUX_SOURCE PATCHES PROJECT_DIR BUILDROOT_VERSION}
source=${2:?no LINUX_SOURCE}
patches=${3:?no patch count}
project=${4:?no project directory}
buildroot=${5:?no Buildroot version}

die() { echo "build-info: error: $*" >&2; exit 1; }
config=$linux/.config
[ -f "$config" ] || die "no $config"
[ -f "$linux/include/config/kernel.release" ] || die "$linux has not been built"

# Both PL031 drivers register as rtc-pl031; which one was built is
# RTC_DRIVER_IMPL (rust or c), as in the offline build.
impl=$("$project/scripts/pl031-impl.sh" "$config") || die "cannot tell which PL031 driver $config builds"
commit=$(git -C "$project" describe --always --dirty 2>/dev/null || echo unknown)

echo "KERNEL_RELEASE=$(cat "$linux/include/config/kernel.release")"
echo "LINUX_SOURCE=$source"
echo "KCONFIG_SHA256=$(sha256sum "$config" | cut -d' ' -f1)"
echo "PATCHES=$patches"
echo "RTC_DRIVER=rtc-pl031"
echo "RTC_DRIVER_IMPL=$impl"
echo "RUSTC=$(sed -n 's/^CONFIG_RUSTC_VERSION_TEXT="\(.*\)"$/\1/p' "$config")"
echo "PROJECT_COMMIT=$commit"
echo "BUILDROOT=$buildroot"
