#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Fail when a required kernel option did not survive olddefconfig, the way
# kunit.py checks its kunitconfig. Shared by the offline build and the
# Buildroot tree.
#
# usage: check-kconfig.sh DOT_CONFIG REQUIRED_FRAGMENT [FRAGMENT...]
# A fragment holds lines "CONFIG_FOO=y" (must be set to exactly that) and
# "# CONFIG_FOO is not set" (must be unset); other lines are ignored. A later
# fragment overrides an earlier one for the same symbol (e.g. the parity
# build's defconfigs/c-pl031.config).
set -euo pipefail

config=${1:?usage: check-kconfig.sh DOT_CONFIG REQUIRED_FRAGMENT [FRAGMENT...]}
shift
[ "$#" -gt 0 ] || { echo "check-kconfig: error: no required fragment given" >&2; exit 2; }
[ -f "$config" ] || { echo "check-kconfig: error: no $config" >&2; exit 2; }
for f in "$@"; do
	[ -f "$f" ] || { echo "check-kconfig: error: no $f" >&2; exit 2; }
done

# One line per symbol, the last fragment's wins, in first-seen order.
required=$(awk '
	/^CONFIG_[A-Za-z0-9_]+=/ { sym = $0; sub(/=.*/, "", sym) }
	/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { sym = $2 }
	sym != "" { if (!(sym in line)) order[n++] = sym; line[sym] = $0; sym = "" }
	END { for (i = 0; i < n; i++) print line[order[i]] }
' "$@")

bad=0
checked=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		sym=${line%%=*}
		actual=$(grep -E "^(# )?$sym[= ]" "$config" || true)
		if [ "$actual" != "$line" ]; then
			echo "check-kconfig: $line is required, .config has: ${actual:-nothing (missing dependency?)}" >&2
			bad=$((bad + 1))
		fi
		checked=$((checked + 1))
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		if grep -q "^$sym=" "$config"; then
			echo "check-kconfig: $sym must not be set, .config has: $(grep "^$sym=" "$config")" >&2
			bad=$((bad + 1))
		fi
		checked=$((checked + 1))
		;;
	esac
done <<<"$required"

if [ "$bad" -ne 0 ]; then
	echo "check-kconfig: $bad of $checked required options are wrong in $config" >&2
	exit 1
fi
echo "check-kconfig: all $checked required options are set as required"
