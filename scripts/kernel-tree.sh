#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Manage the kernel source tree the build uses.
#
#   kernel-tree.sh prepare        unpack Debian's linux-source-6.12 once into
#                                 a cached git repository (tag "base")
#   kernel-tree.sh apply          check out "base" in the work tree and apply
#                                 linux-patches/*.patch with git am
#   kernel-tree.sh export         write the work tree's commits since "base"
#                                 back to linux-patches/ (git format-patch)
#   kernel-tree.sh version        print the Debian package version
#
# Environment: KERNEL_CACHE (cached pristine repo), KERNEL_SRC (work tree),
# PATCH_DIR (the series), KERNEL_TARBALL.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
KERNEL_TARBALL=${KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
KERNEL_CACHE=${KERNEL_CACHE:-$TOP/output/cache/linux-6.12}
KERNEL_SRC=${KERNEL_SRC:-$TOP/output/linux}
PATCH_DIR=${PATCH_DIR:-$TOP/linux-patches}

die() { echo "kernel-tree: error: $*" >&2; exit 1; }

# Debian's tarball has a .gitignore that ignores everything at the top level
# (/*), so the base commit adds with -f. Identity is fixed so that a machine
# without a git identity can still commit and apply.
git_k() {
	git -c user.name="linux-patches" -c user.email="linux-patches@localhost" \
		-c core.hooksPath=/dev/null "$@"
}

deb_version() {
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null ||
		die "linux-source-6.12 is not installed (run 'make deps')"
}

prepare() {
	local version stamp tmp
	version=$(deb_version)
	stamp="$KERNEL_CACHE/.debian-version"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ]; then
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
	git_k -C "$tmp" commit -q -m "Linux $(make -s -C "$tmp" kernelversion) (Debian linux-source-6.12 $version)"
	git_k -C "$tmp" tag base
	echo "$version" >"$tmp/.git/debian-version"
	echo "$version" >"$tmp/.debian-version"
	rm -rf "$KERNEL_CACHE" "$KERNEL_SRC"
	mv "$tmp" "$KERNEL_CACHE"
}

# The work tree is a git worktree of the cache. Re-applying checks out only
# the files that differ, so unchanged files keep their mtimes and an
# incremental kernel build stays incremental.
apply() {
	local patches=() failed
	prepare
	if [ ! -d "$KERNEL_SRC/.git" ] && [ ! -f "$KERNEL_SRC/.git" ]; then
		rm -rf "$KERNEL_SRC"
		git_k -C "$KERNEL_CACHE" worktree prune
		git_k -C "$KERNEL_CACHE" worktree add -q --detach "$KERNEL_SRC" base
	fi
	git_k -C "$KERNEL_SRC" am --abort >/dev/null 2>&1 || true
	git_k -C "$KERNEL_SRC" checkout -q -f --detach base
	git_k -C "$KERNEL_SRC" clean -q -f -d -x
	shopt -s nullglob
	patches=("$PATCH_DIR"/*.patch)
	shopt -u nullglob
	[ "${#patches[@]}" -gt 0 ] || { echo "kernel-tree: no patches in $PATCH_DIR"; return 0; }
	if ! git_k -C "$KERNEL_SRC" am -q --whitespace=error-all "${patches[@]}" >"$KERNEL_SRC.am.log" 2>&1; then
		failed=$(sed -n 's/^Patch failed at [0-9]* //p' "$KERNEL_SRC.am.log" | head -n1)
		cat "$KERNEL_SRC.am.log" >&2
		git_k -C "$KERNEL_SRC" am --abort >/dev/null 2>&1 || true
		die "patch does not apply to the Debian $(deb_version) tree: ${failed:-see the git am output above}"
	fi
	echo "kernel-tree: applied ${#patches[@]} patches on Linux $(deb_version)"
}

export_series() {
	[ -e "$KERNEL_SRC/.git" ] || die "no kernel work tree at $KERNEL_SRC (run 'make linux-tree')"
	local n
	n=$(git -C "$KERNEL_SRC" rev-list --count base..HEAD)
	[ "$n" -gt 0 ] || die "no commits on top of base in $KERNEL_SRC; refusing to empty $PATCH_DIR"
	[ -z "$(git -C "$KERNEL_SRC" status --porcelain --untracked-files=no)" ] ||
		die "uncommitted changes in $KERNEL_SRC; commit them first"
	rm -f "$PATCH_DIR"/*.patch
	git -C "$KERNEL_SRC" format-patch -q --no-signature --zero-commit \
		--no-numbered -o "$PATCH_DIR" base..HEAD
	echo "kernel-tree: exported $n patches to $PATCH_DIR"
}

case "${1:-}" in
prepare) prepare ;;
apply) apply ;;
export) export_series ;;
version) deb_version ;;
*) die "usage: $0 prepare|apply|export|version" ;;
esac
