################################################################################
#
# br.mk: the project's Buildroot targets
#
################################################################################

# SPDX-License-Identifier: GPL-2.0
#
# Included by the top-level Makefile, which defines TOP and OUTPUT;
# `make br-help` lists the targets. Only check-br-external runs in
# `make test`: it needs no Buildroot checkout and no network, and takes
# seconds.

# The Buildroot LTS release the tree is verified with, and the commit its
# tag pointed to.
BR_VERSION := 2026.02.3
BR_COMMIT := 679b9ead7620bbf193620d1ebf56f53c1764d37a
BR_GIT ?= https://gitlab.com/buildroot.org/buildroot.git
BR_DIR ?= $(OUTPUT)/buildroot
BR_OUT ?= $(OUTPUT)/br
BR_EXTERNAL_DIR := $(TOP)/buildroot-external
BR_DEFCONFIG := qemu_arm_virt_rust_pl031_defconfig
# The files the targets and checks below edit or read, named once.
BR_KERNEL_HASH_FILE := $(BR_EXTERNAL_DIR)/patches/linux/linux.hash
BR_DEFCONFIG_FILE := $(BR_EXTERNAL_DIR)/configs/$(BR_DEFCONFIG)
# BR_RUST=host takes the kernel's Rust toolchain from the host
# (board/qemu-virt/host-rust.fragment) instead of building it.
BR_RUST ?= buildroot
BR_FRAGMENTS ?= $(if $(filter host,$(BR_RUST)),$(BR_EXTERNAL_DIR)/board/qemu-virt/host-rust.fragment)

# Buildroot in its own environment: the Makefile exports DL_DIR, which
# Buildroot would take as its download directory, and other variables,
# and make passes command-line variables on in MAKEFLAGS.
BR_MAKE = env -u MAKEFLAGS -u MAKELEVEL -u DL_DIR -u KERNEL_MAKE_ARGS \
	-u KERNEL_SRC -u KERNEL_BUILD -u KERNEL_CACHE -u BUSYBOX_DIR -u IMAGES \
	-u DEFCONFIG -u REQUIRED_CONFIG -u JOBS -u OUTPUT \
	$(MAKE) -C $(BR_DIR) O=$(BR_OUT) BR2_EXTERNAL=$(BR_EXTERNAL_DIR)

BR_EXTERNAL_FILES = $(shell cd $(TOP) && find buildroot-external -type f -o -type l | sort)

.PHONY: br-help br-fetch br-defconfig br-build br-check-package br-check-hashes br-kernel-hash \
	check-br-external

br-help:
	@echo "make br-fetch          clone Buildroot $(BR_VERSION) into $(BR_DIR)"
	@echo "make br-defconfig      configure $(BR_OUT) with $(BR_DEFCONFIG)"
	@echo "make br-build          build it: $(BR_OUT)/images/{zImage,rootfs.ext4,start-qemu.sh}"
	@echo "make br-check-package  Buildroot's utils/check-package on buildroot-external/"
	@echo "make br-check-hashes   every download of the defconfig has a hash (no network)"
	@echo "make br-kernel-hash [VERSION=x.y.z]  pin a kernel.org release (network): verified sha256"
	@echo "make check-br-external the tree's own checks (part of make test)"
	@echo "Options: BR_RUST=host (host Rust toolchain), BR_DIR=..., BR_OUT=..."

br-fetch:
	@$(BR_EXTERNAL_DIR)/scripts/fetch-buildroot.sh $(BR_DIR) \
		$(BR_VERSION) $(BR_COMMIT) $(BR_GIT)

br-defconfig: br-fetch
	$(BR_MAKE) $(BR_DEFCONFIG)
ifneq ($(strip $(BR_FRAGMENTS)),)
	$(BR_EXTERNAL_DIR)/scripts/apply-fragment.sh $(BR_OUT)/.config $(BR_FRAGMENTS)
	$(BR_MAKE) olddefconfig
endif

br-build: br-fetch
	@test -f $(BR_OUT)/.config || $(MAKE) --no-print-directory br-defconfig
	$(BR_MAKE)

br-check-package: br-fetch
	@echo "check-package -b --ignore-list buildroot-external/.checkpackageignore buildroot-external/*"
	@cd $(TOP) && $(BR_DIR)/utils/check-package -b \
		--ignore-list buildroot-external/.checkpackageignore $(BR_EXTERNAL_FILES)

# A hash for every download of the plain defconfig, what a networked
# user builds (BR2_DOWNLOAD_FORCE_CHECK_HASHES): from Buildroot's
# show-info, in a scratch output folder; nothing is downloaded.
BR_HASHCHECK_OUT := $(OUTPUT)/br-check-hashes
br-check-hashes: br-fetch
	@rm -rf $(BR_HASHCHECK_OUT)
	@$(subst O=$(BR_OUT),O=$(BR_HASHCHECK_OUT),$(BR_MAKE)) -s $(BR_DEFCONFIG) >/dev/null
	@$(BR_EXTERNAL_DIR)/scripts/check-hashes.py $(BR_DIR) $(BR_HASHCHECK_OUT)

# VERSION=x.y.z moves the pinned kernel to another kernel.org release:
# its hash is added (signature checked) and the defconfig updated.
br-kernel-hash:
	@$(BR_EXTERNAL_DIR)/scripts/kernel-hash.sh \
		$(or $(VERSION),$$(sed -n 's/^BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE="\(.*\)"/\1/p' \
			$(BR_DEFCONFIG_FILE))) \
		$(BR_KERNEL_HASH_FILE) $(BR_DEFCONFIG_FILE) $(BR_DIR)/dl

check-br-external:
	@OFFLINE_CONFIG=$(OUTPUT)/build/linux/.config $(BR_EXTERNAL_DIR)/scripts/check-tree.sh $(TOP)
	@$(BR_EXTERNAL_DIR)/scripts/check-tree.sh --self-test $(TOP)

# check-package disable TypoInPackageVariable: the Makefile's variable
TEST_EXTRA_CHECKS += check-br-external
