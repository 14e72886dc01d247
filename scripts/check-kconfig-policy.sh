#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Prove that the build enforces the kernel policy of one image: no loadable
# modules, no initramfs, no C PL031 driver (unless the image is the C-driver
# parity image, which must be the only one allowed it), and every line of
# the hardening fragments. Each violation must fail; the check that would
# let one through is itself a failure of this script.
#
#  fixtures    scripts/check-kconfig.sh, with the fragments the build gives
#              it, accepts the built .config, and rejects, naming the
#              symbol, a copy with CONFIG_MODULES=y, with
#              CONFIG_BLK_DEV_INITRD=y, or with any one line of a hardening
#              fragment inverted. On the Rust images, a copy with the C
#              driver is rejected, and passes only with the parity build's
#              c-pl031.config added; on the parity image, its .config is
#              rejected without that fragment.
#  end to end  the Makefile's .config rule (what `make linux-config` runs:
#              olddefconfig on the real tree, then the check) fails, in a
#              scratch build folder, when the defconfig sets
#              CONFIG_MODULES=y or CONFIG_BLK_DEV_INITRD=y (and, on the
#              Rust images, CONFIG_RTC_DRV_PL031=y), and names the option.
#
# usage: check-kconfig-policy.sh KCONFIG
# Environment (the Makefile passes them): KERNEL, DEFCONFIG,
# REQUIRED_CONFIG, HARDENING_CONFIG and KCONFIG_FRAGMENT (lists of files;
# KCONFIG_FRAGMENT may be empty), OUTPUT.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kcheck=$top/scripts/check-kconfig.sh
parity_fragment=$top/defconfigs/c-pl031.config

die() { echo "check-kconfig-policy: error: $*" >&2; exit 2; }
config=${1:?usage: check-kconfig-policy.sh KCONFIG}
[ -f "$config" ] || die "no $config (run 'make linux-config')"
: "${KERNEL:?KERNEL is not set (run it from the Makefile)}"
read -r -a hardening <<<"${HARDENING_CONFIG:?HARDENING_CONFIG is not set}"
read -r -a fragment <<<"${KCONFIG_FRAGMENT:-}"
for f in "$DEFCONFIG" "$REQUIRED_CONFIG" "${hardening[@]}" "${fragment[@]}" "$parity_fragment"; do
	[ -f "$f" ] || die "no $f"
done
# The fragments the build checks its .config with (the Makefile's order).
frags=("$REQUIRED_CONFIG" "${hardening[@]}" "${fragment[@]}")
# The same without the parity fragment, for the parity image.
rust_frags=("$REQUIRED_CONFIG" "${hardening[@]}")
for f in "${fragment[@]}"; do
	[ "$f" -ef "$parity_fragment" ] || rust_frags+=("$f")
done
parity=no
[ "${#rust_frags[@]}" -eq "${#frags[@]}" ] || parity=yes
echo "check-kconfig-policy: KERNEL=$KERNEL, $config (parity image: $parity)"

tmp=$(mktemp -d "$OUTPUT/kconfig-policy.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
checks=0
pass() { checks=$((checks + 1)); echo "check-kconfig-policy: ok: $*"; }
bad() { checks=$((checks + 1)); fail=$((fail + 1)); echo "check-kconfig-policy: FAIL: $*" >&2; }

# $1 the fixture, $2 what it has, $3 the symbol the rejection must name,
# then the fragments.
expect_rejected() {
	local fixture=$1 what=$2 sym=$3
	shift 3
	if "$kcheck" "$fixture" "$@" >"$tmp/log" 2>&1; then
		bad "check-kconfig.sh accepts a .config with $what"
	elif ! grep -q "${sym}[= ]" "$tmp/log"; then
		bad "check-kconfig.sh rejects a .config with $what, but does not name $sym: $(cat "$tmp/log")"
	else
		pass "rejected: $what ($(grep -m1 "${sym}[= ]" "$tmp/log" | sed 's/^check-kconfig: //'))"
	fi
}

# $1 the symbol, $2 "y" or "n": a copy of the built .config with it so.
set_option() {
	local sym=$1 value=$2
	grep -v -E "^(# )?${sym}[= ]" "$config" >"$tmp/fixture" || true
	if [ "$value" = y ]; then
		echo "$sym=y" >>"$tmp/fixture"
	else
		echo "# $sym is not set" >>"$tmp/fixture"
	fi
}

# --- fixtures -----------------------------------------------------------
if "$kcheck" "$config" "${frags[@]}" >"$tmp/log" 2>&1; then
	pass "the built .config passes: $(tail -n1 "$tmp/log" | sed 's/^check-kconfig: //')"
else
	bad "the built .config fails the check: $(cat "$tmp/log")"
fi

for sym in CONFIG_MODULES CONFIG_BLK_DEV_INITRD; do
	set_option "$sym" y
	expect_rejected "$tmp/fixture" "$sym=y" "$sym" "${frags[@]}"
done

if [ "$parity" = yes ]; then
	# The parity image has the C driver: only its fragment allows it.
	if grep -qx 'CONFIG_RTC_DRV_PL031=y' "$config"; then
		pass "the parity image's .config has the C driver"
	else
		bad "the parity image's .config has no CONFIG_RTC_DRV_PL031=y"
	fi
	expect_rejected "$config" "the C driver, without $(basename "$parity_fragment")" \
		CONFIG_RTC_DRV_PL031 "${rust_frags[@]}"
else
	set_option CONFIG_RTC_DRV_PL031 y
	expect_rejected "$tmp/fixture" "CONFIG_RTC_DRV_PL031=y" CONFIG_RTC_DRV_PL031 "${frags[@]}"
	# The C driver instead of the Rust one passes with the parity build's
	# fragment, and fails without it.
	sed -i 's/^CONFIG_RTC_DRV_PL031_RUST=y$/# CONFIG_RTC_DRV_PL031_RUST is not set/' "$tmp/fixture"
	if "$kcheck" "$tmp/fixture" "${frags[@]}" "$parity_fragment" >"$tmp/log" 2>&1; then
		pass "the C driver passes with the parity build's $(basename "$parity_fragment")"
	else
		bad "the parity build's .config is rejected: $(cat "$tmp/log")"
	fi
	expect_rejected "$tmp/fixture" "the C driver instead of the Rust one" CONFIG_RTC_DRV_PL031 \
		"${frags[@]}"
fi

# Every line of the hardening fragments, inverted in turn.
for h in "${hardening[@]}"; do
	n=0
	failed_before=$fail
	frag=$(basename "$h")
	# shellcheck disable=SC2094 # the fragment is only read
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=y) sym=${line%%=*}; set_option "$sym" n ;;
		"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *}; set_option "$sym" y ;;
		"" | "#"*) continue ;;
		*) bad "$frag: a line this check cannot invert: $line"; continue ;;
		esac
		n=$((n + 1))
		if "$kcheck" "$tmp/fixture" "${frags[@]}" >"$tmp/log" 2>&1; then
			bad "check-kconfig.sh accepts a .config without the hardening line '$line'"
		elif ! grep -q "${sym}[= ]" "$tmp/log"; then
			bad "the hardening line '$line' inverted is rejected without naming $sym: $(cat "$tmp/log")"
		fi
	done <"$h"
	[ "$n" -gt 0 ] || bad "no options in $h"
	[ "$fail" -ne "$failed_before" ] || pass "each of the $n lines of $frag, inverted, is rejected and named"
done

# --- end to end ---------------------------------------------------------
syms=(CONFIG_MODULES CONFIG_BLK_DEV_INITRD)
[ "$parity" = yes ] || syms+=(CONFIG_RTC_DRV_PL031)
for sym in "${syms[@]}"; do
	cat "$DEFCONFIG" >"$tmp/defconfig"
	echo "$sym=y" >>"$tmp/defconfig"
	rm -rf "$tmp/build"
	# The .config target of linux-config, without its deps-ensure, for the
	# same kernel and fragment.
	if make --no-print-directory -C "$top" "$tmp/build/linux/.config" KERNEL="$KERNEL" \
		BUILD="$tmp/build" DEFCONFIG="$tmp/defconfig" KCONFIG_FRAGMENT="${KCONFIG_FRAGMENT:-}" \
		>"$tmp/make.log" 2>&1; then
		bad "the .config rule succeeds with $sym=y in the defconfig"
	elif ! grep -q "^check-kconfig: .*${sym}[= ]" "$tmp/make.log"; then
		bad "the .config rule with $sym=y fails, but not in check-kconfig naming $sym: $(tail -n 5 "$tmp/make.log")"
	else
		pass "the .config rule fails with $sym=y in the defconfig: $(grep -m1 "^check-kconfig: .*${sym}[= ]" "$tmp/make.log" | sed 's/^check-kconfig: //')"
	fi
done

if [ "$fail" -ne 0 ]; then
	echo "check-kconfig-policy: $fail of $checks checks failed" >&2
	exit 1
fi
echo "check-kconfig-policy: all $checks checks passed"
