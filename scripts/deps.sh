#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install (or, with --check, only verify) everything the offline build needs on
# a Debian 12 host. Idempotent: a second run installs nothing.
#
#   scripts/deps.sh            install what is missing, then verify
#   scripts/deps.sh --check    verify only; exit 1 naming what is missing
#   scripts/deps.sh --versions print every tool's version (for build logs)
#   scripts/deps.sh --lava-templates   what `make lava-job` needs: python3-jinja2,
#                              python3-yaml and lava-server's device-type
#                              templates (downloaded and unpacked into
#                              output/cache, never installed)
#   scripts/deps.sh --lava     that, plus lava-dispatcher (lava-run), for
#                              `make test-lava`
#   scripts/deps.sh --bench    python3-matplotlib, for `make bench`'s plots
#
# Environment: BINDGEN_VERSION (pinned), DL_DIR (where downloads are cached).
set -euo pipefail

BINDGEN_VERSION=${BINDGEN_VERSION:-0.73.2}
TOP=$(cd "$(dirname "$0")/.." && pwd)
DL_DIR=${DL_DIR:-$TOP/output/cache/dl}
BUSYBOX_DIR=${BUSYBOX_DIR:-$TOP/output/cache/busybox-armhf}
CARGO_BIN=${CARGO_HOME:-$HOME/.cargo}/bin

# Host packages from Debian bookworm (+ bookworm-updates for rustc-web), each
# with a file that proves it is installed and usable (package name:path).
REQUIRED_FILES=(
	"linux-source-6.12:/usr/src/linux-source-6.12.tar.xz"
	"rustc-web:/usr/bin/rustc"
	"rust-web-src:/usr/lib/rustlib/src/rust/library/core/src/lib.rs"
	"rust-web-clippy:/usr/bin/clippy-driver"
	"rustfmt-web:/usr/bin/rustfmt"
	"clang-19:/usr/lib/llvm-19/bin/clang"
	"lld-19:/usr/lib/llvm-19/bin/ld.lld"
	"llvm-19:/usr/lib/llvm-19/bin/llvm-ar"
	"libclang-19-dev:/usr/lib/llvm-19/lib/libclang.so"
	"gcc-arm-linux-gnueabihf:/usr/bin/arm-linux-gnueabihf-gcc"
	"libc6-dev-armhf-cross:/usr/arm-linux-gnueabihf/lib/libc.a"
	"qemu-system-arm:/usr/bin/qemu-system-arm"
	"e2fsprogs:/sbin/mke2fs"
	"device-tree-compiler:/usr/bin/fdtput"
	"flex:/usr/bin/flex"
	"bison:/usr/bin/bison"
	"bc:/usr/bin/bc"
	"libssl-dev:/usr/include/openssl/ssl.h"
	"libelf-dev:/usr/include/libelf.h"
	"cpio:/usr/bin/cpio"
	"python3:/usr/bin/python3"
	"python3-ply:/usr/lib/python3/dist-packages/ply/lex.py"
	"python3-git:/usr/lib/python3/dist-packages/git/__init__.py"
	"perl:/usr/bin/perl"
	"libncurses-dev:/usr/include/ncurses.h"
	"file:/usr/bin/file"
	"make:/usr/bin/make"
	"git:/usr/bin/git"
	"xz-utils:/usr/bin/xz"
	"ca-certificates:/etc/ssl/certs/ca-certificates.crt"
)
PACKAGES=("${REQUIRED_FILES[@]%%:*}")

# Only for the LAVA targets (--lava-templates, --lava).
LAVA_TEMPLATE_FILES=(
	"python3-jinja2:/usr/lib/python3/dist-packages/jinja2/__init__.py"
	"python3-yaml:/usr/lib/python3/dist-packages/yaml/__init__.py"
)
LAVA_RUN_FILES=(
	"lava-dispatcher:/usr/bin/lava-run"
)
# Only for `make bench` (its plots).
BENCH_FILES=(
	"python3-matplotlib:/usr/lib/python3/dist-packages/matplotlib/__init__.py"
)
LAVA_SERVER_DIR=${LAVA_SERVER_DIR:-$TOP/output/cache/lava-server}
LAVA_TEMPLATES=$LAVA_SERVER_DIR/usr/share/lava-server/device-types

die() { echo "deps: error: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# A mirror that is mid-sync makes 'apt-get update' fail for one index while
# the others are fine. Retry, then go on with a warning: the install or
# download that follows fails with its own message if what it needs is gone.
apt_update() {
	local try
	for try in 1 2 3; do
		as_root apt-get -o Acquire::Retries=3 update && return 0
		echo "deps: warning: apt-get update failed (try $try of 3)" >&2
		sleep $((try * 5))
	done
	echo "deps: warning: continuing with the package lists apt has" >&2
}

# Prints one line per missing thing; prints nothing when all is there.
missing() {
	local entry pkg file
	for entry in "${REQUIRED_FILES[@]}"; do
		pkg=${entry%%:*}
		file=${entry#*:}
		[ -e "$file" ] || echo "package $pkg (no $file)"
	done
	if [ ! -x "$CARGO_BIN/bindgen" ]; then
		echo "bindgen-cli $BINDGEN_VERSION (no $CARGO_BIN/bindgen)"
	elif ! "$CARGO_BIN/bindgen" --version | grep -qx "bindgen $BINDGEN_VERSION"; then
		echo "bindgen-cli $BINDGEN_VERSION (found $("$CARGO_BIN/bindgen" --version))"
	fi
	command -v cargo >/dev/null || echo "cargo (rustup toolchain for the host harness)"
	[ -x "$BUSYBOX_DIR/bin/busybox" ] ||
		echo "target busybox (no $BUSYBOX_DIR/bin/busybox from busybox-static:armhf)"
}

versions() {
	echo "== tool versions =="
	echo "linux-source-6.12: $(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo missing)"
	echo "rustc: $(/usr/bin/rustc --version 2>/dev/null || echo missing)"
	echo "rust-src: $(dpkg-query -W -f='${Version}' rust-web-src 2>/dev/null || echo missing)"
	echo "clippy-driver: $(/usr/bin/clippy-driver --version 2>/dev/null || echo missing)"
	echo "rustfmt: $(/usr/bin/rustfmt --version 2>/dev/null || echo missing)"
	echo "bindgen: $("$CARGO_BIN/bindgen" --version 2>/dev/null || echo missing)"
	echo "clang: $(/usr/lib/llvm-19/bin/clang --version 2>/dev/null | head -n1 || echo missing)"
	echo "ld.lld: $(/usr/lib/llvm-19/bin/ld.lld --version 2>/dev/null || echo missing)"
	echo "arm-linux-gnueabihf-gcc: $(arm-linux-gnueabihf-gcc --version 2>/dev/null | head -n1 || echo missing)"
	echo "qemu-system-arm: $(qemu-system-arm --version 2>/dev/null | head -n1 || echo missing)"
	echo "mke2fs: $(/sbin/mke2fs -V 2>&1 | head -n1)"
	echo "busybox (target): $(cat "$BUSYBOX_DIR/VERSION" 2>/dev/null || echo missing)"
	echo "cargo (host harness): $(cargo --version 2>/dev/null || echo missing)"
}

install_target_busybox() {
	# Never install busybox-static:armhf: it would replace the host's own
	# /bin/busybox with an ARM binary. Download and unpack it instead.
	local deb
	dpkg --print-foreign-architectures | grep -qx armhf || {
		as_root dpkg --add-architecture armhf
		apt_update
	}
	mkdir -p "$DL_DIR"
	(cd "$DL_DIR" && apt-get download busybox-static:armhf) ||
		die "could not download busybox-static:armhf"
	deb=$(ls -t "$DL_DIR"/busybox-static_*_armhf.deb | head -n1)
	rm -rf "$BUSYBOX_DIR.tmp"
	dpkg -x "$deb" "$BUSYBOX_DIR.tmp"
	dpkg-deb -f "$deb" Version >"$BUSYBOX_DIR.tmp/VERSION"
	rm -rf "$BUSYBOX_DIR"
	mv "$BUSYBOX_DIR.tmp" "$BUSYBOX_DIR"
}

install_all() {
	local todo
	todo=$(missing)
	[ -n "$todo" ] || { echo "deps: everything is installed"; return 0; }
	echo "deps: installing:"
	echo "$todo" | sed 's/^/  /'

	if echo "$todo" | grep -q '^package '; then
		apt_update
		DEBIAN_FRONTEND=noninteractive as_root apt-get install -y \
			--no-install-recommends "${PACKAGES[@]}"
	fi
	if echo "$todo" | grep -q '^cargo '; then
		die "cargo is not on PATH; install a Rust toolchain for the host (rustup)"
	fi
	if echo "$todo" | grep -q '^bindgen-cli '; then
		cargo install --locked --force "bindgen-cli@$BINDGEN_VERSION"
	fi
	if echo "$todo" | grep -q '^target busybox '; then
		install_target_busybox
	fi
}

# Install the LAVA tools: $1 is "templates" or "run".
install_lava() {
	local entries=("${LAVA_TEMPLATE_FILES[@]}") entry pkgs=() deb
	if [ "$1" = run ]; then entries+=("${LAVA_RUN_FILES[@]}"); fi
	for entry in "${entries[@]}"; do
		[ -e "${entry#*:}" ] || pkgs+=("${entry%%:*}")
	done
	if [ ${#pkgs[@]} -gt 0 ]; then
		echo "deps: installing ${pkgs[*]}"
		apt_update
		# Wait for another apt on this machine rather than fail.
		DEBIAN_FRONTEND=noninteractive as_root apt-get install -y \
			-o DPkg::Lock::Timeout=600 --no-install-recommends "${pkgs[@]}"
	fi
	for entry in "${entries[@]}"; do
		[ -e "${entry#*:}" ] ||
			die "package ${entry%%:*} did not install ${entry#*:}"
	done
	if [ ! -f "$LAVA_TEMPLATES/qemu.jinja2" ]; then
		# The templates only; lava-server itself is never installed.
		mkdir -p "$DL_DIR"
		(cd "$DL_DIR" && apt-get download lava-server) ||
			die "could not download lava-server (for its qemu.jinja2)"
		deb=$(find "$DL_DIR" -maxdepth 1 -name 'lava-server_*_all.deb' | sort -V | tail -n1)
		rm -rf "$LAVA_SERVER_DIR.tmp"
		dpkg -x "$deb" "$LAVA_SERVER_DIR.tmp"
		dpkg-deb -f "$deb" Version >"$LAVA_SERVER_DIR.tmp/VERSION"
		[ -f "$LAVA_SERVER_DIR.tmp/usr/share/lava-server/device-types/qemu.jinja2" ] ||
			die "$deb has no device-types/qemu.jinja2"
		rm -rf "$LAVA_SERVER_DIR"
		mv "$LAVA_SERVER_DIR.tmp" "$LAVA_SERVER_DIR"
	fi
	echo "deps: LAVA: lava-server templates $(cat "$LAVA_SERVER_DIR/VERSION")," \
		"lava-dispatcher $(dpkg-query -W -f='${Version}' lava-dispatcher 2>/dev/null || echo 'not installed')"
}

install_bench() {
	local entry pkgs=()
	for entry in "${BENCH_FILES[@]}"; do
		[ -e "${entry#*:}" ] || pkgs+=("${entry%%:*}")
	done
	[ ${#pkgs[@]} -eq 0 ] && return 0
	echo "deps: installing ${pkgs[*]}"
	apt_update
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y \
		-o DPkg::Lock::Timeout=600 --no-install-recommends "${pkgs[@]}"
	for entry in "${BENCH_FILES[@]}"; do
		[ -e "${entry#*:}" ] || die "package ${entry%%:*} did not install ${entry#*:}"
	done
}

case "${1:-}" in
--bench)
	install_bench
	;;
--lava-templates)
	install_lava templates
	;;
--lava)
	install_lava run
	;;
--check)
	todo=$(missing)
	if [ -n "$todo" ]; then
		echo "deps: missing (run 'make deps'):" >&2
		echo "$todo" | sed 's/^/  /' >&2
		exit 1
	fi
	;;
--versions)
	versions
	;;
"")
	install_all
	todo=$(missing)
	[ -z "$todo" ] || die "still missing after install: $todo"
	versions
	;;
*)
	die "unknown option '$1' (use --check, --versions, --bench, --lava-templates or --lava)"
	;;
esac
