#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Lint the patch series: every patch has a "subsystem: summary" subject, a
# body that says why, a Signed-off-by from its author, and passes
# scripts/checkpatch.pl --strict. Applying the series is checked by
# kernel-tree.sh apply, which runs before this.
#
# usage: check-patches.sh KERNEL_SRC PATCH...
# A checkpatch warning may be kept only when the patch explains it in a line
# starting with "checkpatch:" in its review notes, below the "---" line
# (git notes, written there by "git format-patch --notes").
set -uo pipefail

ksrc=${1:?usage: check-patches.sh KERNEL_SRC PATCH...}
shift
[ "$#" -gt 0 ] || { echo "check-patches: error: no patches given" >&2; exit 1; }
checkpatch=$ksrc/scripts/checkpatch.pl
[ -f "$checkpatch" ] || { echo "check-patches: error: no $checkpatch" >&2; exit 1; }

failed=0
fail() { echo "check-patches: $name: $*" >&2; failed=$((failed + 1)); }

for patch in "$@"; do
	patch=$(realpath "$patch")
	name=$(basename "$patch")
	subject=$(sed -n 's/^Subject: \(\[PATCH[^]]*\] \)\{0,1\}//p' "$patch" | head -n1)
	author=$(sed -n 's/^From: //p' "$patch" | head -n1)
	# The commit message: after the header block, up to the "---" line.
	body=$(awk 'hdr && /^---$/ {exit} hdr {print} /^$/ && !hdr {hdr=1}' "$patch")
	# The review notes: below the first "---", before the diffstat.
	notes=$(awk 'sep && /^ [^ ].*\|/ {exit} sep && /^diff --git/ {exit} sep {print} /^---$/ {sep=1}' "$patch")

	[[ "$subject" =~ ^[A-Za-z0-9_.,/-]+(:\ [A-Za-z0-9_.,/-]+)*:\ [a-z] ]] ||
		fail "subject '$subject' is not 'subsystem: summary' (lower-case summary)"
	[ "$(echo "$body" | grep -v '^Signed-off-by:' | grep -c '[^[:space:]]')" -ge 2 ] ||
		fail "the commit message has no body saying why"
	echo "$body" | grep -qxF "Signed-off-by: $author" ||
		fail "no 'Signed-off-by: $author' matching the author"

	# checkpatch expects to run from the top of the kernel tree. Its SPDX
	# check runs python3 with Debian's python3-ply (make deps), not a
	# python3 from elsewhere on PATH, such as pyenv's.
	out=$(cd "$ksrc" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict --quiet \
		--show-types "$patch" 2>&1)
	if echo "$out" | grep -q '^ERROR:'; then
		fail "checkpatch errors:"$'\n'"$out"
	elif [ -n "$out" ] && ! echo "$notes" | grep -q '^ *checkpatch:'; then
		fail "checkpatch warnings not explained in a 'checkpatch:' note below ---:"$'\n'"$out"
	elif [ -z "$out" ] && echo "$notes" | grep -q '^ *checkpatch:'; then
		fail "a 'checkpatch:' note below --- explains a warning checkpatch no longer gives"
	fi
done

# The cover letter: one shortlog line per patch, and the base the series
# applies to (kernel-tree.sh makes that commit the same on every machine).
name=cover-letter.txt
cover=$(dirname "$(realpath "$1")")/cover-letter.txt
if [ ! -f "$cover" ]; then
	fail "missing (run 'make linux-export-patches')"
else
	grep -Eq "^Subject: \[PATCH 0+/$#\] " "$cover" ||
		fail "its subject is not '[PATCH 0/$#] ...' for the $# patches"
	base=$(git -C "$ksrc" rev-parse -q --verify base 2>/dev/null || true)
	grep -qx "base-commit: $base" "$cover" ||
		fail "no 'base-commit: $base' (the tag base of $ksrc)"
	for patch in "$@"; do
		subject=$(sed -n 's/^Subject: \[PATCH[^]]*\] //p' "$patch" | head -n1)
		grep -qF "${subject:0:50}" "$cover" || fail "does not list '$subject'"
	done
fi

if [ "$failed" -ne 0 ]; then
	echo "check-patches: $failed problem(s) in $# patches" >&2
	exit 1
fi
echo "check-patches: $# patches: subjects, bodies, sign-offs and checkpatch --strict clean; cover letter up to date"
