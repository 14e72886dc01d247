#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Apply Buildroot configuration fragments to a .config: the fragments'
# symbols replace the ones in .config (without kconfig's "reassigning"
# warnings); run `make olddefconfig` afterwards.
#
# usage: apply-fragment.sh DOT_CONFIG FRAGMENT...
set -euo pipefail

config=${1:?usage: apply-fragment.sh DOT_CONFIG FRAGMENT...}
shift
[ -f "$config" ] || { echo "apply-fragment: error: no $config" >&2; exit 1; }

syms=$(sed -n -e 's/^\([A-Z0-9_]*\)=.*/\1/p' -e 's/^# \([A-Z0-9_]*\) is not set$/\1/p' "$@")
tmp=$config.fragment.tmp
cp "$config" "$tmp"
for sym in $syms; do
	sed -i -e "/^$sym=/d" -e "/^# $sym is not set\$/d" "$tmp"
done
grep -h -e '^[A-Z0-9_]*=' -e '^# [A-Z0-9_]* is not set$' "$@" >>"$tmp"
mv "$tmp" "$config"
echo "apply-fragment: $(echo "$syms" | wc -w) symbols from $* in $config"
