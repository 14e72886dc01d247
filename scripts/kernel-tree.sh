#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Manage the kernel source tree the build uses.
#
#   kernel-tree.sh prepare        unpack Debian's linux-source-6.12 once into
#                                 a cached, packed git repository (tag
#                                 "base") with no files checked out
#   kernel-tree.sh apply          check out "base" in the work tree and apply
#                                 linux-patches/*.patch with git am
#   kernel-tree.sh apply-to DIR [PATCH...]
#                                 the same for another work tree DIR
#   kernel-tree.sh export         write the work tree's commits since "base"
#                                 back to linux-patches/ (git format-patch)
#   kernel-tree.sh version        print the Debian package version
#
# Environment: KERNEL_CACHE (cached pristine repo), KERNEL_SRC (work tree),
# PATCH_DIR (the series), KERNEL_TARBALL.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
KERNEL_PACKAGE=${KERNEL_PACKAGE:-linux-source-6.12}
KERNEL_TARBALL=${KERNEL_TARBALL:-/usr/src/$KERNEL_PACKAGE.tar.xz}
# A package that is unpacked, not installed, has its version in this file.
KERNEL_VERSION_FILE=${KERNEL_VERSION_FILE:-}
KERNEL_CACHE=${KERNEL_CACHE:-$TOP/output/cache/linux-6.12}
KERNEL_SRC=${KERNEL_SRC:-$TOP/output/linux}
PATCH_DIR=${PATCH_DIR:-$TOP/linux-patches/6.12}

BASE_DATE="2026-01-01T00:00:00+00:00"

die() { echo "kernel-tree: error: $*" >&2; exit 1; }

# Debian's tarball has a .gitignore that ignores everything at the top level
# (/*), so the base commit adds with -f. Identity is fixed so that a machine
# without a git identity can still commit and apply. prepare packs the
# repository itself, so git's automatic gc is off.
git_k() {
	git -c user.name="linux-patches" -c user.email="linux-patches@localhost" \
		-c core.hooksPath=/dev/null -c gc.auto=0 -c maintenance.auto=false "$@"
}

deb_version() {
	if [ -n "$KERNEL_VERSION_FILE" ]; then
		cat "$KERNEL_VERSION_FILE" 2>/dev/null ||
			die "no $KERNEL_VERSION_FILE: $KERNEL_PACKAGE is not downloaded"
	else
		dpkg-query -W -f='${Version}' "$KERNEL_PACKAGE" 2>/dev/null ||
			die "$KERNEL_PACKAGE is not installed (run 'make deps')"
	fi
}

prepare() {
	local version stamp tmp
	version=$(deb_version)
	stamp="$KERNEL_CACHE/.git/debian-version"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version fixed-date packed" ]; then
		return 0
	fi
	[ -f "$KERNEL_TARBALL" ] || die "no $KERNEL_TARBALL (run 'make deps')"
	echo "kernel-tree: unpacking $KERNEL_TARBALL ($version)"
	tmp="$KERNEL_CACHE.tmp"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	tar -xf "$KERNEL_TARBALL" -C "$tmp" --strip-components=1
	git_k -C "$tmp" init -q
	git_k -C "$tmp" add -A -f .
	# Fixed dates, so that the base commit's hash depends on the source alone:
	# the cover letter's base-commit can be checked on any machine.
	GIT_AUTHOR_DATE=$BASE_DATE GIT_COMMITTER_DATE=$BASE_DATE git_k -C "$tmp" commit -q \
		-m "Linux $(make -s -C "$tmp" kernelversion) (Debian $KERNEL_PACKAGE $version)"
	git_k -C "$tmp" tag base
	# Keep only the repository, packed: the unpacked files would be a third
	# copy of the tree (1.5 GB) beside the work trees, which check out their
	# own, and the loose objects take twice the pack's size. Packing here,
	# and never automatically (git_k), keeps a background gc from running
	# into the build. The repository stays non-bare: checkpatch's
	# spdxcheck.py (GitPython) refuses a work tree of a bare one. With one
	# commit there is nothing for deltas to find: without them the pack is
	# 4% larger (272 MiB for 6.12) and made in half the time (38 s).
	git_k -C "$tmp" repack -a -d -q --window=0 --depth=0
	find "$tmp" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
	echo "$version fixed-date packed" >"$tmp/.git/debian-version"
	rm -rf "$KERNEL_CACHE" "$KERNEL_SRC"
	mv "$tmp" "$KERNEL_CACHE"
}

# A work tree is a git worktree of the cache, reset to "base". Resetting
# checks out only the files that differ, so unchanged files keep their mtimes
# and an incremental kernel build stays incremental.
reset_worktree() {
	local dir=$1
	prepare
	# A work tree of an earlier cache (re-unpacked after a new Debian
	# version) points to a git directory that is gone: make it anew.
	# A work tree of another kernel's cache is made anew too.
	if [ ! -e "$dir/.git" ] || ! git -C "$dir" rev-parse -q --verify base >/dev/null 2>&1 ||
		[ "$(cd "$(git -C "$dir" rev-parse --path-format=absolute --git-common-dir)" && pwd -P)" != \
			"$(cd "$KERNEL_CACHE/.git" && pwd -P)" ]; then
		rm -rf "$dir"
		mkdir -p "$(dirname "$dir")"
		git_k -C "$KERNEL_CACHE" worktree prune
		git_k -C "$KERNEL_CACHE" worktree add -q --detach "$dir" base
	fi
	git_k -C "$dir" am --abort >/dev/null 2>&1 || true
	git_k -C "$dir" checkout -q -f --detach base
	git_k -C "$dir" clean -q -f -d -x
}

# Applies the given patches to the work tree $1, reset first; names the
# patch that does not apply.
apply_to() {
	local dir=$1 failed
	shift
	reset_worktree "$dir"
	[ "$#" -gt 0 ] || return 0
	if ! git_k -C "$dir" am -q --whitespace=error-all "$@" >"$dir.am.log" 2>&1; then
		failed=$(sed -n 's/^Patch failed at [0-9]* //p' "$dir.am.log" | head -n1)
		cat "$dir.am.log" >&2
		git_k -C "$dir" am --abort >/dev/null 2>&1 || true
		die "patch does not apply to the Debian $KERNEL_PACKAGE $(deb_version) tree: ${failed:-see the git am output above}"
	fi
	restore_notes "$dir" "$@"
}

# Review notes live below the "---" of a patch, where "git format-patch
# --notes" writes a commit's git notes and "git am" drops them. Put them back
# as notes on the applied commits, so that "export" writes them out again.
restore_notes() {
	local dir=$1 patch commit notes i=0
	shift
	local commits
	mapfile -t commits < <(git -C "$dir" rev-list --reverse base..HEAD)
	for patch in "$@"; do
		commit=${commits[$i]}
		i=$((i + 1))
		notes=$(awk '
			/^---$/ && !sep { sep = 1; next }
			sep && /^Notes:$/ { in_notes = 1; next }
			in_notes && /^    / { sub(/^    /, ""); print; next }
			in_notes && /^$/ { print; next }
			in_notes { exit }
		' "$patch" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}')
		[ -z "$notes" ] || git_k -C "$dir" notes add -f -m "$notes" "$commit"
	done
}

apply() {
	local patches=()
	shopt -s nullglob
	patches=("$PATCH_DIR"/*.patch)
	shopt -u nullglob
	apply_to "$KERNEL_SRC" "${patches[@]}"
	echo "kernel-tree: applied ${#patches[@]} patches on $KERNEL_PACKAGE $(deb_version)"
}

export_series() {
	[ -e "$KERNEL_SRC/.git" ] || die "no kernel work tree at $KERNEL_SRC (run 'make linux-tree')"
	local n
	n=$(git -C "$KERNEL_SRC" rev-list --count base..HEAD)
	[ "$n" -gt 0 ] || die "no commits on top of base in $KERNEL_SRC; refusing to empty $PATCH_DIR"
	[ -z "$(git -C "$KERNEL_SRC" status --porcelain --untracked-files=no)" ] ||
		die "uncommitted changes in $KERNEL_SRC; commit them first"
	rm -f "$PATCH_DIR"/*.patch
	git -C "$KERNEL_SRC" format-patch -q --no-signature --zero-commit --notes \
		--no-numbered -o "$PATCH_DIR" base..HEAD
	cover_letter
	echo "kernel-tree: exported $n patches and the cover letter to $PATCH_DIR"
}

# The cover letter, linux-patches/cover-letter.txt: git's, with the subject
# and text of cover-letter.blurb (its first line is the subject), the
# shortlog, the diffstat and the base-commit. It is not a .patch: git am and
# Buildroot apply every *.patch of the folder.
cover_letter() {
	local blurb=$PATCH_DIR/cover-letter.blurb tmp
	[ -f "$blurb" ] || die "no $blurb"
	tmp=$(mktemp -d)
	git -C "$KERNEL_SRC" -c user.name="PL031 Team" -c user.email=team@pl031.example.org \
		format-patch -q --cover-letter --base=base --no-signature \
		--zero-commit -o "$tmp" base..HEAD
	awk -v blurb="$blurb" '
		/^Subject: / && /\*\*\* SUBJECT HERE \*\*\*/ {
			getline subject < blurb
			sub(/\*\*\* SUBJECT HERE \*\*\*/, subject)
			print
			next
		}
		/^\*\*\* BLURB HERE \*\*\*$/ {
			# The subject, the first line, was read above.
			while ((getline line < blurb) > 0) print line
			next
		}
		{ print }
	' "$tmp/0000-cover-letter.patch" | sed '1s/^From [0-9a-f]* /From 0000000000000000000000000000000000000000 /;/^Date: /d' \
		>"$PATCH_DIR/cover-letter.txt"
	rm -rf "$tmp"
}

case "${1:-}" in
prepare) prepare ;;
apply) apply ;;
apply-to) shift; [ "$#" -ge 1 ] || die "usage: $0 apply-to DIR [PATCH...]"; apply_to "$@" ;;
export) export_series ;;
version) deb_version ;;
*) die "usage: $0 prepare|apply|apply-to|export|version" ;;
esac
