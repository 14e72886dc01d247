#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Put the project's launch script, and the description of the kernel that
# was built, next to zImage and rootfs.ext4 (as output/images/ of the
# offline build has them). start-qemu.sh boots the files beside it.
set -euo pipefail

images=${1:?usage: post-image.sh BINARIES_DIR}
project=${BR2_EXTERNAL_RUST_PL031_PATH:?not run by Buildroot}/..

install -m 0755 "$project/board/qemu-virt/start-qemu.sh" "$images/start-qemu.sh"
if [ -f "$TARGET_DIR/etc/build-info" ]; then
	install -m 0644 "$TARGET_DIR/etc/build-info" "$images/build-info"
fi
