#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Which PL031 driver a kernel .config builds in: prints "rust"
# (CONFIG_RTC_DRV_PL031_RUST=y) or "c" (CONFIG_RTC_DRV_PL031=y). Both
# drivers register as rtc-pl031, so build-info records this as
# RTC_DRIVER_IMPL, and the on-target rtc suite checks it against the
# running kernel's /proc/config.gz. Neither or both set is an error.
#
# usage: pl031-impl.sh KCONFIG
set -eu

config=${1:?usage: pl031-impl.sh KCONFIG}
[ -f "$config" ] || { echo "pl031-impl: error: no $config" >&2; exit 1; }
rust=$(grep -c '^CONFIG_RTC_DRV_PL031_RUST=y$' "$config" || true)
c=$(grep -c '^CONFIG_RTC_DRV_PL031=y$' "$config" || true)
case "$c$rust" in
01) echo rust ;;
10) echo c ;;
*)
	echo "pl031-impl: error: $config sets CONFIG_RTC_DRV_PL031=y $c time(s) and" \
		"CONFIG_RTC_DRV_PL031_RUST=y $rust time(s); want exactly one of them" >&2
	exit 1
	;;
esac
