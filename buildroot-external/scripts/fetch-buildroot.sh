#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Get the pinned Buildroot release: a shallow clone of its tag, checked
# against the commit the tag pointed to when it was pinned.
#
# usage: fetch-buildroot.sh DIR TAG COMMIT [GIT_URL]
set -euo pipefail

dir=${1:?usage: fetch-buildroot.sh DIR TAG COMMIT [GIT_URL]}
tag=${2:?no tag}
commit=${3:?no commit}
url=${4:-https://gitlab.com/buildroot.org/buildroot.git}

die() { echo "fetch-buildroot: error: $*" >&2; exit 1; }

if [ ! -e "$dir/.git" ]; then
	[ ! -e "$dir" ] || die "$dir exists and is not a git checkout; remove it"
	git -c advice.detachedHead=false clone --quiet --depth 1 --branch "$tag" "$url" "$dir" ||
		die "could not clone $tag from $url"
elif [ "$(git -C "$dir" rev-parse HEAD)" != "$commit" ]; then
	git -C "$dir" fetch --quiet --depth 1 origin "refs/tags/$tag:refs/tags/$tag" ||
		die "could not fetch $tag from $(git -C "$dir" remote get-url origin)"
	git -C "$dir" checkout --quiet --detach "$tag" ||
		die "could not check out $tag in $dir (local changes?)"
fi

head=$(git -C "$dir" rev-parse HEAD)
[ "$head" = "$commit" ] ||
	die "$dir: $tag is commit $head, expected $commit (retagged upstream?)"
echo "fetch-buildroot: Buildroot $tag ($commit) in $dir"
