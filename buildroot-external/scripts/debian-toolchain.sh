#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make Debian's ARM cross compiler (gcc-arm-linux-gnueabihf, with
# libc6-dev-armhf-cross) usable as a Buildroot external toolchain, for a
# machine that cannot download Buildroot's own toolchain.
#
# Buildroot refuses distribution toolchains: Debian's gcc is configured
# --with-sysroot=/, so its sysroot is the host's root. This makes, in DIR:
#   sysroot/   a copy of /usr/arm-linux-gnueabihf (the target C library
#              and kernel headers) laid out as a sysroot (usr/include,
#              usr/lib, lib -> usr/lib), for Buildroot to copy to staging;
#              its libc.so linker script names its files without their
#              absolute /usr/arm-linux-gnueabihf/lib/, so that it works in
#              any sysroot;
#   bin/       arm-linux-gnueabihf-gcc and -cpp: wrappers that run
#              Debian's with --sysroot=DIR/sysroot (Buildroot's own
#              --sysroot, given later, still wins when it builds) and
#              -BDIR/sysroot/usr/lib/ (Debian's gcc searches its own
#              /usr/arm-linux-gnueabihf/lib before any sysroot; Buildroot
#              finds the sysroot from `gcc -print-file-name=libc.a`), and
#              leave --with-sysroot=/ out of `gcc -v`; the binutils are
#              links to Debian's.
# The compiler itself stays where Debian installed it. The result is
# used through board/qemu-virt/debian-toolchain.fragment, which expects
# DIR to be $(BASE_DIR)/debian-toolchain (the Buildroot output folder).
#
# usage: debian-toolchain.sh DIR
set -euo pipefail

dir=${1:?usage: debian-toolchain.sh DIR}
prefix=arm-linux-gnueabihf
libc=/usr/$prefix

die() { echo "debian-toolchain: error: $*" >&2; exit 1; }
command -v "$prefix-gcc" >/dev/null 2>&1 ||
	die "$prefix-gcc not found (apt-get install gcc-arm-linux-gnueabihf)"
if [ ! -f "$libc/lib/libc.so.6" ] || [ ! -f "$libc/include/stdio.h" ]; then
	die "no target C library in $libc (apt-get install libc6-dev-armhf-cross)"
fi
gcc=$(command -v "$prefix-gcc")
gcc_version=$("$gcc" -dumpversion)
[ "${gcc_version%%.*}" = 12 ] ||
	die "$prefix-gcc is gcc $gcc_version; debian-toolchain.fragment declares gcc 12"

rm -rf "$dir"
mkdir -p "$dir/bin" "$dir/sysroot/usr"
cp -a "$libc/include" "$dir/sysroot/usr/include"
cp -a "$libc/lib" "$dir/sysroot/usr/lib"
ln -s usr/lib "$dir/sysroot/lib"
for script in "$dir"/sysroot/usr/lib/*.so; do
	if [ -f "$script" ] && [ ! -L "$script" ] && grep -q '^GROUP' "$script"; then
		sed -i "s,$libc/lib/,,g" "$script"
	fi
done

for tool in gcc cpp; do
	cat >"$dir/bin/$prefix-$tool" <<WRAPPER
#!/bin/sh
# Debian's $prefix-$tool with a sysroot of its own (debian-toolchain.sh).
case " \$* " in
*" -v "*)
	/usr/bin/$prefix-$tool --sysroot=$dir/sysroot -B$dir/sysroot/usr/lib/ "\$@" 2>&1 |
		sed 's, --with-sysroot=/ , ,' >&2 ;;
*)
	exec /usr/bin/$prefix-$tool --sysroot=$dir/sysroot -B$dir/sysroot/usr/lib/ "\$@" ;;
esac
WRAPPER
	chmod 0755 "$dir/bin/$prefix-$tool"
done
for tool in addr2line ar as c++filt elfedit gcc-ar gcc-nm gcc-ranlib gcov gprof ld ld.bfd \
	nm objcopy objdump ranlib readelf size strings strip; do
	if [ -x "/usr/bin/$prefix-$tool" ]; then
		ln -s "/usr/bin/$prefix-$tool" "$dir/bin/$prefix-$tool"
	fi
done
echo "debian-toolchain: $prefix-gcc $gcc_version with the sysroot $dir/sysroot"
