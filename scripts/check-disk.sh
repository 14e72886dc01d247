#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-disk.sh DIR NEED_MB
#
# Fail at once, naming the problem, when the file system that holds DIR
# (the output folder) cannot take what a run writes there, instead of
# failing minutes later in the middle of a git checkout or a kernel link.
# NEED_MB is the measured peak size of DIR in that run; what DIR already
# holds counts towards it, so an incremental run needs less.
set -euo pipefail

die() { echo "check-disk: error: $*" >&2; exit 1; }

[ "$#" -eq 2 ] || die "usage: $0 DIR NEED_MB"
dir=$1 need=$2
[[ "$need" =~ ^[0-9]+$ ]] || die "NEED_MB must be a number of MiB, not '$need'"

# The folder may not exist yet: df the nearest parent that does.
probe=$dir
while [ ! -e "$probe" ]; do probe=$(dirname "$probe"); done
have=$(du -sm "$dir" 2>/dev/null | cut -f1 || true)
have=${have:-0}
free=$(df -P -m "$probe" | awk 'NR == 2 { print $4 }')
[[ "$free" =~ ^[0-9]+$ ]] || die "could not read the free space of $probe from df"

missing=$((need - have))
if [ "$missing" -gt "$free" ]; then
	die "not enough disk space: a run needs about $need MiB in $dir, which holds $have MiB," \
		"and its file system has $free MiB free ($missing MiB more are needed)." \
		"Free some space, or set OUTPUT= to a folder on a larger disk."
fi
echo "check-disk: $free MiB free for $dir, which holds $have MiB of the $need MiB a run needs"
