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
BR_BOARD_DIR := $(BR_EXTERNAL_DIR)/board/qemu-virt

# Options of br-defconfig and br-build, each a fragment or a file that is
# generated into $(BR_OUT) (never into the tree). The defaults need
# network access; the other values let an offline machine build the same
# image from what Debian provides.
#   BR_KERNEL=kernel.org  the defconfig's kernel.org release (default)
#   BR_KERNEL=debian      Debian's /usr/src/linux-source-6.12.tar.xz
#   BR_KERNEL=FILE        any local kernel tarball (absolute path)
#     (both: BR2_LINUX_KERNEL_CUSTOM_TARBALL, with a locally computed hash)
#   BR_RUST=host          the host's Rust and LLVM tools for the kernel
#   BR_TOOLCHAIN=debian   Debian's arm-linux-gnueabihf-gcc 12 as an
#                         external toolchain
#   BR_SOURCES=debian     package sources from Debian (apt-get source),
#                         through $(BR_OUT)/local.mk's *_OVERRIDE_SRCDIR
BR_KERNEL ?= kernel.org
BR_RUST ?= buildroot
BR_TOOLCHAIN ?= buildroot
BR_SOURCES ?= download
# BR_JLEVEL=N: Buildroot's BR2_JLEVEL for br-build (default: the defconfig's).
BR_JLEVEL ?=
BR_DEBIAN_KERNEL_TARBALL := /usr/src/linux-source-6.12.tar.xz
BR_KERNEL_TARBALL = $(if $(filter debian,$(BR_KERNEL)),$(BR_DEBIAN_KERNEL_TARBALL),$(BR_KERNEL))
BR_OPTIONS = BR_KERNEL=$(BR_KERNEL) BR_RUST=$(BR_RUST) BR_TOOLCHAIN=$(BR_TOOLCHAIN) \
	BR_SOURCES=$(BR_SOURCES)

br-check-option = $(if $(filter $(2),$($(1))),,$(error $(1)=$($(1)) is not one of: $(2)))
BR_FRAGMENTS = \
	$(if $(filter host,$(BR_RUST)),$(BR_BOARD_DIR)/host-rust.fragment) \
	$(if $(filter debian,$(BR_TOOLCHAIN)),$(BR_BOARD_DIR)/debian-toolchain.fragment) \
	$(if $(filter kernel.org,$(BR_KERNEL)),,$(BR_OUT)/local-kernel/local-kernel.fragment)

# Buildroot in its own environment: the Makefile exports DL_DIR, which
# Buildroot would take as its download directory, and other variables,
# and make passes command-line variables on in MAKEFLAGS.
BR_MAKE = env -u MAKEFLAGS -u MAKELEVEL -u DL_DIR -u KERNEL_MAKE_ARGS \
	-u KERNEL_SRC -u KERNEL_BUILD -u KERNEL_CACHE -u BUSYBOX_DIR -u IMAGES \
	-u DEFCONFIG -u REQUIRED_CONFIG -u JOBS -u OUTPUT \
	$(MAKE) -C $(BR_DIR) O=$(BR_OUT) BR2_EXTERNAL=$(BR_EXTERNAL_DIR)

BR_EXTERNAL_FILES = $(shell cd $(TOP) && find buildroot-external -type f -o -type l | sort)

.PHONY: br-help br-fetch br-defconfig br-build br-test br-check-package br-check-hashes br-kernel-hash \
	check-br-external

br-help:
	@echo "make br-fetch          clone Buildroot $(BR_VERSION) into $(BR_DIR)"
	@echo "make br-defconfig      configure $(BR_OUT) with $(BR_DEFCONFIG)"
	@echo "make br-build          build it: $(BR_OUT)/images/{zImage,rootfs.ext4,start-qemu.sh}"
	@echo "make br-test           boot that image under the test harness, as make test does"
	@echo "make br-check-package  Buildroot's utils/check-package on buildroot-external/"
	@echo "make br-check-hashes   every download of the defconfig has a hash (no network)"
	@echo "make br-kernel-hash [VERSION=x.y.z]  pin a kernel.org release (network): verified sha256"
	@echo "make check-br-external the tree's own checks (part of make test)"
	@echo "Options of br-defconfig and br-build (offline: all four):"
	@echo "  BR_KERNEL=debian|/abs/linux.tar.xz  a local kernel tarball, hash computed here"
	@echo "  BR_RUST=host          the host's Rust and LLVM for the kernel"
	@echo "  BR_TOOLCHAIN=debian   Debian's arm-linux-gnueabihf-gcc as external toolchain"
	@echo "  BR_SOURCES=debian     package sources from apt-get source (local.mk)"
	@echo "  BR_DIR=... BR_OUT=...  the Buildroot checkout and the output folder"
	@echo "  BR_JLEVEL=N           parallel jobs for br-build"

br-fetch:
	@$(BR_EXTERNAL_DIR)/scripts/fetch-buildroot.sh $(BR_DIR) \
		$(BR_VERSION) $(BR_COMMIT) $(BR_GIT)

# The options are checked, then the defconfig is applied with the
# options' fragments; $(BR_OUT)/.br-options records them, so that br-build
# configures again when they change.
br-defconfig: br-fetch
	$(call br-check-option,BR_RUST,buildroot host)
	$(call br-check-option,BR_TOOLCHAIN,buildroot debian)
	$(call br-check-option,BR_SOURCES,download debian)
	@if [ -f $(BR_OUT)/.br-options ] && \
		! grep -q '^BR_KERNEL=$(BR_KERNEL) ' $(BR_OUT)/.br-options; then \
		touch $(BR_OUT)/.br-kernel-changed; \
	fi
	@rm -f $(BR_OUT)/.br-options
	$(BR_MAKE) $(BR_DEFCONFIG)
ifneq ($(filter debian,$(BR_TOOLCHAIN)),)
	$(BR_EXTERNAL_DIR)/scripts/debian-toolchain.sh $(BR_OUT)/debian-toolchain
endif
ifneq ($(filter-out kernel.org,$(BR_KERNEL)),)
	$(BR_EXTERNAL_DIR)/scripts/local-kernel.sh $(BR_KERNEL_TARBALL) \
		$(BR_OUT)/local-kernel $(BR_DEFCONFIG_FILE)
endif
ifneq ($(strip $(BR_FRAGMENTS)),)
	$(BR_EXTERNAL_DIR)/scripts/apply-fragment.sh $(BR_OUT)/.config $(BR_FRAGMENTS)
	$(BR_MAKE) olddefconfig
endif
ifneq ($(filter debian,$(BR_SOURCES)),)
	$(BR_EXTERNAL_DIR)/scripts/debian-sources.sh $(BR_DIR) $(BR_OUT)
else
	@rm -f $(BR_OUT)/local.mk
endif
	@if [ -f $(BR_OUT)/.br-kernel-changed ]; then \
		echo "br-defconfig: another kernel source: its build is removed"; \
		$(BR_MAKE) linux-dirclean rust-pl031-tests-dirclean && \
			rm -f $(BR_OUT)/.br-kernel-changed; \
	fi
	@echo '$(BR_OPTIONS)' >$(BR_OUT)/.br-options

br-build: br-fetch
	@if [ ! -f $(BR_OUT)/.config ] || \
		[ "$$(cat $(BR_OUT)/.br-options 2>/dev/null)" != '$(BR_OPTIONS)' ]; then \
		$(MAKE) --no-print-directory br-defconfig; \
	fi
	$(BR_MAKE) $(if $(BR_JLEVEL),BR2_JLEVEL=$(BR_JLEVEL))

br-check-package: br-fetch
	@echo "check-package -b --ignore-list buildroot-external/.checkpackageignore buildroot-external/*"
	@cd $(TOP) && $(BR_DIR)/utils/check-package -b \
		--ignore-list buildroot-external/.checkpackageignore $(BR_EXTERNAL_FILES)

# Boot the Buildroot image headless under the project's harness, as
# `make test` boots the offline one (the Makefile's harness-run), with the
# built kernel's kunit.py to cross-check the KUnit results.
BR_TEST_OUT ?= $(OUTPUT)/br-test
BR_KUNIT_PY = $(firstword $(filter-out %/linux-headers-%,\
	$(wildcard $(BR_OUT)/build/linux-*/tools/testing/kunit/kunit.py)))
br-test: $(HARNESS)
	@test -x $(BR_OUT)/images/start-qemu.sh || \
		{ echo "br-test: no $(BR_OUT)/images/start-qemu.sh: make br-build first" >&2; exit 1; }
	$(call harness-run,$(BR_OUT)/images,$(BR_TEST_OUT),$(if $(BR_KUNIT_PY),--kunit-py $(BR_KUNIT_PY)))

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
