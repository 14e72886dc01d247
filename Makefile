# SPDX-License-Identifier: GPL-2.0
#
# Offline build of a monolithic, Rust-enabled ARMv7 Linux 6.12 image for
# qemu-system-arm virt. `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

TOP := $(CURDIR)
OUTPUT ?= $(TOP)/output
# The cache (pristine kernel sources, downloads, target busybox) can be
# shared: reproducible-check's two builds use this one.
CACHE ?= $(OUTPUT)/cache

# KERNEL selects the kernel: 6.12, the product (Debian's linux-source-6.12),
# or 7.2, mainline (Debian unstable's linux-source-7.2, never installed). Each
# has its series in linux-patches/$(KERNEL)/ and its own work tree, build,
# images and test results; the driver source and the rootfs inputs are shared.
KERNEL ?= 6.12
ifeq ($(KERNEL),6.12)
KSUFFIX :=
export KERNEL_TARBALL := /usr/src/linux-source-6.12.tar.xz
export KERNEL_VERSION_FILE :=
else ifeq ($(KERNEL),7.2)
KSUFFIX := -7.2
export KERNEL_TARBALL := $(CACHE)/linux-source-7.2/usr/src/linux-source-7.2.tar.xz
export KERNEL_VERSION_FILE := $(CACHE)/linux-source-7.2/VERSION
# What 7.2's Kconfig needs on top of the shared defconfig.
KCONFIG_FRAGMENT ?= $(TOP)/defconfigs/linux-7.2.config
else
$(error KERNEL=$(KERNEL) is not supported: use KERNEL=6.12 or KERNEL=7.2)
endif
export KERNEL_PACKAGE := linux-source-$(KERNEL)
KERNEL_SRC := $(OUTPUT)/linux$(KSUFFIX)
# BUILD, IMAGES, TEST_OUT and KCONFIG_FRAGMENT are overridden on the command
# line by `make parity` to build and test the same image with the C driver,
# side by side. They are := so that the values a parent make exports (IMAGES
# is) do not leak into a sub-make for another KERNEL.
BUILD := $(OUTPUT)/build$(KSUFFIX)
KERNEL_BUILD := $(BUILD)/linux
IMAGES := $(OUTPUT)/images$(KSUFFIX)
TEST_OUT := $(OUTPUT)/test$(KSUFFIX)
TARGET_BIN := $(BUILD)/target-bin
KCONFIG_FRAGMENT ?=
BUSYBOX_DIR := $(CACHE)/busybox-armhf

DEFCONFIG ?= $(TOP)/defconfigs/qemu_virt_defconfig
REQUIRED_CONFIG := $(TOP)/defconfigs/required.config
# Kernel hardening (what the kernel's hardening.config offers on ARM32):
# applied after DEFCONFIG in every build and checked like REQUIRED_CONFIG.
# The second file holds the options 6.12 and 7.2 name differently.
HARDENING_CONFIG := $(TOP)/defconfigs/hardening.config \
	$(TOP)/defconfigs/hardening-$(KERNEL).config
export PATCH_DIR := $(TOP)/linux-patches/$(KERNEL)
PATCHES := $(sort $(wildcard $(PATCH_DIR)/*.patch))

# Options for `make run` / `make test`:
#   CMDLINE="..."    extra kernel command line
#   QEMU_ARGS="..."  extra QEMU arguments
#   RTC_BASE=...     QEMU -rtc base (UTC, YYYY-MM-DDTHH:MM:SS)
#   TEST_TIMEOUT=N   hard limit in seconds for one test boot
CMDLINE ?=
QEMU_ARGS ?=
RTC_BASE ?= 2030-01-01T00:00:00
TEST_TIMEOUT ?= 900
JOBS ?= $(shell nproc)

CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
LLVM_BIN := /usr/lib/llvm-19/bin
# rustup's rustc comes first on PATH and has no rust-src: name Debian's
# rustc-web toolchain explicitly. Exported for the scripts that run the
# kernel's make themselves (check-series, bench-build).
export KERNEL_MAKE_ARGS := ARCH=arm LLVM=1 \
	RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc HOSTRUSTC=/usr/bin/rustc \
	RUSTFMT=/usr/bin/rustfmt CLIPPY_DRIVER=/usr/bin/clippy-driver \
	BINDGEN=$(CARGO_BIN)/bindgen
export PATH := $(LLVM_BIN):$(PATH)
# Kbuild makes C's __FILE__ relative (-fmacro-prefix-map); rustc gets the
# same, for the paths that panic locations embed.
KERNEL_REPRO_ARGS = 'RUSTFLAGS_KERNEL=--remap-path-prefix=$(KERNEL_SRC)/= \
	--remap-path-prefix=$(KERNEL_BUILD)/='
KMAKE = $(MAKE) --no-print-directory -C $(KERNEL_SRC) O=$(KERNEL_BUILD) $(KERNEL_MAKE_ARGS) \
	$(KERNEL_REPRO_ARGS)

export DL_DIR := $(CACHE)/dl
export BUSYBOX_DIR
export KERNEL_CACHE := $(CACHE)/linux-$(KERNEL)
export KERNEL_SRC KERNEL_BUILD IMAGES DEFCONFIG REQUIRED_CONFIG HARDENING_CONFIG JOBS OUTPUT

# Reproducible builds (README, "Reproducible image"). The kernel banner's
# date, user, host and build number, and the root filesystem's timestamps,
# UUID and hash seed are fixed. The date is SOURCE_DATE_EPOCH, by default
# the commit date of the last change to the kernel's inputs, so that a
# commit touching only, say, the README does not change the zImage.
ifeq ($(origin SOURCE_DATE_EPOCH),undefined)
SOURCE_DATE_EPOCH := $(shell git -C $(TOP) log -1 --format=%ct -- \
	linux-patches defconfigs drivers Kconfig 2>/dev/null)
ifeq ($(SOURCE_DATE_EPOCH),)
# Not a git checkout: kernel-tree.sh's base date, 2026-01-01T00:00:00Z.
SOURCE_DATE_EPOCH := 1767225600
$(warning no git history: SOURCE_DATE_EPOCH defaults to $(SOURCE_DATE_EPOCH))
endif
endif
ifeq ($(shell [[ '$(SOURCE_DATE_EPOCH)' =~ ^[0-9]+$$ ]] && echo ok),)
$(error SOURCE_DATE_EPOCH='$(SOURCE_DATE_EPOCH)' is not a number of seconds since 1970)
endif
export SOURCE_DATE_EPOCH
export KBUILD_BUILD_TIMESTAMP := $(shell LC_ALL=C date -u -d @$(SOURCE_DATE_EPOCH))
export KBUILD_BUILD_USER := pl031
export KBUILD_BUILD_HOST := reproducible
export KBUILD_BUILD_VERSION := 1

SERIES_STAMP := $(KERNEL_SRC)/.series-applied
KCONFIG := $(KERNEL_BUILD)/.config
HARNESS := $(OUTPUT)/cargo/release/harness
KUNIT_PY := $(KERNEL_SRC)/tools/testing/kunit/kunit.py

.PHONY: all help deps deps-ensure linux-tree linux-config linux rootfs images \
	run test check-disk test-7.2 test-debug test-boot driver-patch-one check-driver-same test-host lava-job test-lava check-patches check-rust check-compile-fail parity parity-c \
	check-kconfig-policy reproducible-check \
	check-series bench-build bench bench-modules bench-selftest menuconfig driver-patch \
	savedefconfig linux-export-patches clean distclean

all: images

help:
	@echo "make            build output/images/ (zImage, rootfs.ext4, start-qemu.sh)"
	@echo "make run        build, then boot in QEMU (a shell with a terminal, else power off)"
	@echo "make test       build, boot headless, run KUnit + on-target tests, summarise"
	@echo "                (both kernels: the 6.12 product and mainline 7.2)"
	@echo "make run KERNEL=7.2   boot the mainline 7.2 image (any target takes KERNEL=6.12|7.2)"
	@echo "make check-driver-same  the driver patch of both series adds the same file"
	@echo "make deps       install the host packages, bindgen-cli and the target busybox"
	@echo "make check-disk      enough free disk for make test? (make test checks first)"
	@echo "make menuconfig change the kernel config; saves back to defconfigs/"
	@echo "make check-patches   checkpatch --strict, subject and sign-off lint, apply test"
	@echo "make check-rust      rustfmtcheck, CLIPPY=1 without warnings, rustdoc"
	@echo "make check-compile-fail  misuses of the Rust abstractions must not build"
	@echo "make check-kconfig-policy  modules, initrd, the C driver or less hardening fail the build"
	@echo "make reproducible-check  two clean builds must give bit-identical images"
	@echo "make parity          the same tests on an image with the C rtc-pl031; compare"
	@echo "make test-debug      the tests on a debug kernel (lockdep, kmemleak, KFENCE, UBSAN,"
	@echo "                     fault-injected probe) and on a DT without the PL031's IRQ"
	@echo "make check-series    build the config at every patch of the series"
	@echo "make bench-build     clean build, Rust rebuild and boot timings"
	@echo "make bench           static vs modular, Rust vs C: output/bench/report.md (BENCH_N=5)"
	@echo "make linux-export-patches  write output/linux's commits to linux-patches/"
	@echo "make driver-patch    regenerate the driver patch from drivers/ and Kconfig"
	@echo "make br-help         the Buildroot targets (buildroot-external/br.mk)"
	@echo "make lava-job        write output/lava/job.yaml and device.yaml (LAVA)"
	@echo "make test-lava       run that job with Debian's lava-run; compare with the harness"
	@echo "Options: CMDLINE=... QEMU_ARGS=... RTC_BASE=... TEST_TIMEOUT=... JOBS=..."
	@echo "         OUTPUT=... DISK_NEED_MB=..."
	@echo "         LAVA_KERNEL_URL=... LAVA_ROOTFS_URL=... LAVA_TIMEOUT=..."

deps:
	@$(TOP)/scripts/deps.sh

# Install only when something is missing; every build logs the versions.
deps-ensure:
	@$(TOP)/scripts/deps.sh --check 2>/dev/null || $(TOP)/scripts/deps.sh
	@$(TOP)/scripts/deps.sh --versions

# --- kernel -----------------------------------------------------------------

# The driver patch is generated from drivers/ and Kconfig; a stale one fails
# the build (run `make driver-patch`).
DRIVER_SOURCES := $(wildcard $(TOP)/drivers/*.rs) $(TOP)/Kconfig

$(SERIES_STAMP): $(PATCHES) $(DRIVER_SOURCES) $(TOP)/scripts/kernel-tree.sh \
		$(TOP)/scripts/driver-patch.sh $(KERNEL_TARBALL)
	@$(TOP)/scripts/driver-patch.sh check
	@$(TOP)/scripts/kernel-tree.sh apply
	@touch $@

# Mainline's source: Debian unstable's linux-source-7.2 package, downloaded
# with a private apt configuration and unpacked, never installed.
$(CACHE)/linux-source-7.2/usr/src/linux-source-7.2.tar.xz:
	@$(TOP)/scripts/fetch-linux-source.sh 7.2 $(CACHE)/linux-source-7.2

# One driver source, two series: regenerate the driver patch of both, then
# check that the driver is the same file in both.
driver-patch:
	@$(MAKE) --no-print-directory driver-patch-one KERNEL=6.12
	@$(MAKE) --no-print-directory driver-patch-one KERNEL=7.2
	@$(TOP)/scripts/driver-same.sh $(TOP)/linux-patches/6.12 $(TOP)/linux-patches/7.2

driver-patch-one: $(KERNEL_TARBALL)
	@$(TOP)/scripts/driver-patch.sh generate

check-driver-same:
	@$(TOP)/scripts/driver-same.sh $(TOP)/linux-patches/6.12 $(TOP)/linux-patches/7.2

linux-tree: deps-ensure $(SERIES_STAMP)

$(KCONFIG): $(DEFCONFIG) $(HARDENING_CONFIG) $(REQUIRED_CONFIG) $(KCONFIG_FRAGMENT) $(SERIES_STAMP)
	@mkdir -p $(KERNEL_BUILD)
	cat $(DEFCONFIG) $(HARDENING_CONFIG) $(KCONFIG_FRAGMENT) >$@
	$(KMAKE) olddefconfig
	@$(TOP)/scripts/check-kconfig.sh $@ $(REQUIRED_CONFIG) $(HARDENING_CONFIG) $(KCONFIG_FRAGMENT)

linux-config: linux-tree $(KCONFIG)

linux: linux-config
	@echo "linux: Linux $$($(TOP)/scripts/kernel-tree.sh version) with $(words $(PATCHES)) patches"
	+$(KMAKE) -j$(JOBS) zImage
	@mkdir -p $(IMAGES)
	cp $(KERNEL_BUILD)/arch/arm/boot/zImage $(IMAGES)/zImage

# Static armhf test programs: every tests/target/src/*.c, plus the kernel's
# own RTC selftest from the patched tree.
TARGET_CC := arm-linux-gnueabihf-gcc
TARGET_PROGS := $(patsubst $(TOP)/tests/target/src/%.c,$(TARGET_BIN)/%,\
	$(wildcard $(TOP)/tests/target/src/*.c)) $(TARGET_BIN)/rtctest

# The source paths, which __FILE__ and assert() embed, are made relative:
# the image must not depend on where it was built.
$(TARGET_BIN)/%: $(TOP)/tests/target/src/%.c $(wildcard $(TOP)/tests/target/src/*.h)
	@mkdir -p $(@D)
	$(TARGET_CC) -O2 -Wall -Wextra -Werror -static -pthread -ffile-prefix-map=$(TOP)/= -o $@ $<

$(TARGET_BIN)/rtctest: $(SERIES_STAMP)
	@mkdir -p $(@D)
	$(TARGET_CC) -O2 -static -ffile-prefix-map=$(KERNEL_SRC)/= \
		-I$(KERNEL_SRC)/tools/testing/selftests \
		-o $@ $(KERNEL_SRC)/tools/testing/selftests/rtc/rtctest.c -lrt -lpthread -lm

# What the image was built from; the on-target tests compare against it.
# Both PL031 drivers register as rtc-pl031 (RTC_DRIVER); RTC_DRIVER_IMPL
# (rust or c) says which one was built.
$(BUILD)/build-info: linux
	@impl=$$($(TOP)/scripts/pl031-impl.sh $(KCONFIG)) && \
	{ echo "KERNEL_RELEASE=$$($(KMAKE) -s kernelrelease)"; \
	  echo "LINUX_SOURCE_DEBIAN=$$($(TOP)/scripts/kernel-tree.sh version)"; \
	  echo "KCONFIG_SHA256=$$(sha256sum $(KCONFIG) | cut -d' ' -f1)"; \
	  echo "PATCHES=$(words $(PATCHES))"; \
	  echo "RTC_DRIVER=rtc-pl031"; \
	  echo "RTC_DRIVER_IMPL=$$impl"; \
	  echo "RUSTC=$$(/usr/bin/rustc --version)"; \
	  echo "PROJECT_COMMIT=$$(git -C $(TOP) describe --always --dirty 2>/dev/null || echo unknown)"; \
	} >$@.tmp && mv $@.tmp $@
	@sed 's/^/build-info: /' $@

rootfs: $(BUILD)/build-info $(TARGET_PROGS)
	@mkdir -p $(IMAGES)
	BUILD_INFO=$(BUILD)/build-info TARGET_BIN=$(TARGET_BIN) \
		$(TOP)/board/scripts/mkrootfs.sh $(BUILD)/rootfs $(IMAGES)/rootfs.ext4

images: deps-ensure linux rootfs
	install -m 0755 $(TOP)/board/qemu-virt/start-qemu.sh $(IMAGES)/start-qemu.sh
	cp $(BUILD)/build-info $(IMAGES)/build-info
	@ls -l $(IMAGES)

# --- run and test -------------------------------------------------------------

run: images
	KERNEL_CMDLINE_EXTRA="$(CMDLINE)" QEMU_EXTRA_ARGS="$(QEMU_ARGS)" \
		$(IMAGES)/start-qemu.sh --rtc-base $(RTC_BASE)

$(HARNESS): $(shell find $(TOP)/tests -name '*.rs' -o -name Cargo.toml -o -name Cargo.lock | grep -v /target/)
	cd $(TOP)/tests && cargo build --release --locked --bin harness

# Host-side unit tests: no kernel, no QEMU. parity-selftest: parity.sh
# fails on altered logs; check-disk-selftest: check-disk.sh fails on a
# shortfall.
test-host: bench-selftest
	cd $(TOP)/tests && cargo test --locked --quiet
	@$(TOP)/scripts/parity-selftest.sh
	@$(TOP)/scripts/check-disk-selftest.sh

# make test's peak size of OUTPUT, in MiB, measured from a fresh clone
# (see the README). check-disk fails at once when the disk cannot take
# it, rather than minutes later in a checkout or a link.
DISK_NEED_MB ?= 6200
check-disk:
	@$(TOP)/scripts/check-disk.sh $(OUTPUT) $(DISK_NEED_MB)

# The Buildroot external tree's make fragment: its targets, and checks that
# `make test` runs (it adds them to TEST_EXTRA_CHECKS).
TEST_EXTRA_CHECKS :=
-include $(TOP)/buildroot-external/br.mk

# One headless test boot under the harness: $(1) the images folder, $(2) the
# results folder, $(3) more harness options. It prints the summary and keeps
# a copy in $(2)/summary.txt.
harness-run = mkdir -p $(2) && set -o pipefail && \
	KERNEL_CMDLINE_EXTRA="$(CMDLINE)" QEMU_EXTRA_ARGS="$(QEMU_ARGS)" \
	$(HARNESS) run --launcher $(1)/start-qemu.sh --out $(2) --timeout $(TEST_TIMEOUT) $(3) \
	-- --mode test --snapshot --rtc-base $(RTC_BASE) | tee $(2)/summary.txt

# The same image with the kernel's C rtc-pl031, booted with the same tests;
# then the two runs' on-target results and bad-input errnos must be equal.
PARITY_ARGS := BUILD=$(OUTPUT)/build-c IMAGES=$(OUTPUT)/images-c \
	TEST_OUT=$(OUTPUT)/test-c KCONFIG_FRAGMENT=$(TOP)/defconfigs/c-pl031.config

parity-c: deps-ensure $(HARNESS)
	$(MAKE) --no-print-directory images check-kconfig-policy $(PARITY_ARGS)
	$(call harness-run,$(OUTPUT)/images-c,$(OUTPUT)/test-c)

# The C-driver image is built and tested first, and the LAVA run of the
# Rust image (test-lava) next, so that the Rust run's summary, with parity
# counted in it, is what `make test` ends with.
test: deps-ensure check-disk test-host check-patches $(TEST_EXTRA_CHECKS) images check-kconfig-policy \
		check-rust check-compile-fail parity-c test-lava test-7.2 $(HARNESS)
	$(call harness-run,$(IMAGES),$(TEST_OUT),--kunit-py $(KUNIT_PY))
	@set -o pipefail; $(TOP)/scripts/parity.sh $(TEST_OUT)/console.log \
		$(OUTPUT)/test-c/console.log $(TEST_OUT)/summary.txt | tee -a $(TEST_OUT)/summary.txt
	@$(TOP)/scripts/summary-kernels.sh 6.12=$(TEST_OUT)/summary.txt \
		7.2=$(OUTPUT)/test-7.2/summary.txt

# Mainline: the same driver source, shared config, rootfs inputs and
# on-target suites on Linux 7.2 with its own series; its patches checked,
# its image built and booted under the harness. Its Rust checks
# (`make check-rust KERNEL=7.2`, about 5 minutes) are left out of make test
# to keep a fresh machine's run within 45 minutes; the README gives their
# last result.
test-7.2: deps-ensure $(HARNESS)
	$(MAKE) --no-print-directory KERNEL=7.2 check-patches images check-kconfig-policy test-boot

# One test boot of the selected KERNEL's image under the harness.
test-boot: $(HARNESS)
	$(call harness-run,$(IMAGES),$(TEST_OUT),--kunit-py $(KUNIT_PY))

# The debug image: defconfigs/debug.config on top of the product config
# (lockdep, sleep-in-atomic, kmemleak, KFENCE, SLUB and object debugging,
# UBSAN, fault injection), in output/*-debug. Booted twice: all the tests
# (with the probe's fault-injection matrix and a kmemleak scan at the end),
# then a device tree without the PL031's interrupt and only the rtc-noirq
# suite. Fails on any failed test or kernel report. Not part of `make
# test`: it takes longer than the CI budget leaves (README).
DEBUG_ARGS := BUILD=$(OUTPUT)/build-debug IMAGES=$(OUTPUT)/images-debug \
	TEST_OUT=$(OUTPUT)/test-debug KCONFIG_FRAGMENT=$(TOP)/defconfigs/debug.config
DEBUG_NOIRQ_DTB := $(OUTPUT)/build-debug/virt-no-pl031-irq.dtb
TEST_TIMEOUT_DEBUG ?= 2400
comma := ,
# $(1) results folder, $(2) kernel command line, $(3) QEMU arguments.
debug-boot = mkdir -p $(1) && set -o pipefail && \
	KERNEL_CMDLINE_EXTRA="log_buf_len=4M $(2) $(CMDLINE)" QEMU_EXTRA_ARGS="$(3) $(QEMU_ARGS)" \
	$(HARNESS) run --launcher $(OUTPUT)/images-debug/start-qemu.sh --out $(1) \
	--timeout $(TEST_TIMEOUT_DEBUG) --kunit-py $(KUNIT_PY) \
	-- --mode test --snapshot --rtc-base $(RTC_BASE) | tee $(1)/summary.txt

test-debug: deps-ensure $(HARNESS)
	@[ "$(KERNEL)" = 6.12 ] || { echo "test-debug: the debug image is the 6.12 product's (KERNEL=6.12)" >&2; exit 2; }
	$(MAKE) --no-print-directory images $(DEBUG_ARGS)
	@$(TOP)/scripts/dtb-no-pl031-irq.sh $(DEBUG_NOIRQ_DTB)
	@rc=0; \
	$(call debug-boot,$(OUTPUT)/test-debug,,) || rc=1; \
	$(call debug-boot,$(OUTPUT)/test-debug-noirq,board.suites=rtc-noirq$(comma)kmemleak kunit.filter_glob=rtc_pl031_rust,-dtb $(DEBUG_NOIRQ_DTB)) || rc=1; \
	echo "test-debug: all tests: $$(tail -n1 $(OUTPUT)/test-debug/summary.txt); no-IRQ device tree: $$(tail -n1 $(OUTPUT)/test-debug-noirq/summary.txt)"; \
	exit $$rc

# Two clean builds in two folders, one after the other, must give a
# bit-identical zImage and rootfs.ext4 (README, "Reproducible image"), for
# the selected KERNEL. Not part of `make test`: it is two full builds.
reproducible-check: deps-ensure $(KERNEL_TARBALL)
	@CACHE=$(CACHE) KERNEL=$(KERNEL) $(TOP)/scripts/reproducible-check.sh \
		$(OUTPUT)/reproducible$(KSUFFIX)

# --- LAVA ---------------------------------------------------------------------

# The LAVA job for the product image (board/lava/, scripts/lava.py), with a
# device dictionary rendered from lava-server's qemu.jinja2. The image URLs
# are the job's parameters; file:// URLs of output/images/ by default.
LAVA_OUT := $(OUTPUT)/lava
LAVA_TEMPLATES := $(CACHE)/lava-server/usr/share/lava-server/device-types
LAVA_KERNEL_URL ?= file://$(IMAGES)/zImage
LAVA_ROOTFS_URL ?= file://$(IMAGES)/rootfs.ext4
# Hard limit for lava-run as a whole, in seconds (the job has its own).
LAVA_TIMEOUT ?= 2400

lava-job:
	@$(TOP)/scripts/deps.sh --lava-templates
	/usr/bin/python3 $(TOP)/scripts/lava.py job --templates $(LAVA_TEMPLATES) \
		--out $(LAVA_OUT) --kernel-url "$(LAVA_KERNEL_URL)" \
		--rootfs-url "$(LAVA_ROOTFS_URL)" --rtc-base $(RTC_BASE) --cmdline "$(CMDLINE)"

# Run that job with Debian's lava-run (installed here, only for this
# target), then check its per-case results and compare them with the
# harness's parse of the console lava-run logged.
test-lava: images $(HARNESS) lava-job
	@$(TOP)/scripts/deps.sh --lava
	@$(TOP)/scripts/test-lava.sh $(LAVA_OUT) $(HARNESS) $(LAVA_TIMEOUT)

parity: images parity-c $(HARNESS)
	$(call harness-run,$(IMAGES),$(TEST_OUT))
	@$(TOP)/scripts/parity.sh $(TEST_OUT)/console.log $(OUTPUT)/test-c/console.log

check-patches: linux-tree
	@$(TOP)/scripts/check-patches.sh $(KERNEL_SRC) $(PATCHES)

# rustfmtcheck, CLIPPY=1 with no warnings, rustdoc.
check-rust: linux-config
	@$(TOP)/scripts/check-rust.sh

# The module-free policy and the hardening fragments, enforced: each
# violation must fail the build. For the selected KERNEL, or with
# PARITY_ARGS for the C-driver image (make test runs all three).
check-kconfig-policy: linux-config
	@KERNEL=$(KERNEL) KCONFIG_FRAGMENT="$(KCONFIG_FRAGMENT)" \
		$(TOP)/scripts/check-kconfig-policy.sh $(KCONFIG)

# Misuses of the Rust abstractions must not build (tests/compile-fail/).
check-compile-fail: linux-config
	@$(TOP)/scripts/check-compile-fail.sh

check-series: linux-tree
	@$(TOP)/scripts/check-series.sh

bench-build: deps-ensure linux-tree
	@$(TOP)/scripts/bench-build.sh

# Four images from one source tree, booted BENCH_N times each, interleaved
# (bench/run.sh). The tree is the product's series plus the bench-only
# patches of bench/kernel/ (an in-kernel timer of the driver's own ops),
# in a work tree of its own; every image adds defconfigs/bench.config:
#   static-rust     the product
#   static-c        the C rtc-pl031 (c-pl031.config, as `make parity-c`)
#   static-rust-v7  the product with Rust code generated as Thumb-2 for an
#                   ARMv7 core (BENCH_V7_RUSTFLAGS), as the C code is
#   modular-rust    static-rust-v7 with CONFIG_MODULES=y and the driver =m
#                   (bench-modular.config), outside the product policy. It
#                   needs the v7 code generation: the product's ARM-mode
#                   Rust module is refused by this Thumb-2 kernel's module
#                   loader (bench/run.sh says how).
# The modular one builds its kernel and modules (bench-modules), not its
# rootfs: bench/run.sh makes every image's bench rootfs, and pl031-impl.sh
# rightly refuses a modular driver's build-info.
# BENCH_IMAGES boots a subset; static-rust is always built (the rootfs's
# programs come from it). Not in make test.
BENCH_N ?= 5
BENCH_IMAGES ?= static-rust static-c static-rust-v7 modular-rust
BENCH_V7_RUSTFLAGS ?= -Ctarget-cpu=cortex-a15 -Ctarget-feature=+thumb-mode,+soft-float,-neon
BENCH_SRC := $(OUTPUT)/bench/linux
BENCH_PATCHES := $(sort $(wildcard $(TOP)/bench/kernel/*.patch))
# The sub-make that builds bench image $(1) with the fragments $(2).
bench_make = $(MAKE) --no-print-directory KERNEL_SRC=$(BENCH_SRC) \
	BUILD=$(OUTPUT)/bench/build-$(1) IMAGES=$(OUTPUT)/bench/images-$(1) \
	TEST_OUT=$(OUTPUT)/bench/test-$(1) \
	KCONFIG_FRAGMENT="$(strip $(2) $(TOP)/defconfigs/bench.config)"

ifneq ($(filter bench,$(MAKECMDGOALS)),)
ifneq ($(KERNEL),6.12)
$(error make bench measures the product kernel, 6.12, not KERNEL=$(KERNEL))
endif
endif
# (Not in the sub-makes, whose KERNEL_SRC is this tree.)
ifneq ($(KERNEL_SRC),$(BENCH_SRC))
$(BENCH_SRC)/.series-applied: $(SERIES_STAMP) $(BENCH_PATCHES) $(TOP)/scripts/kernel-tree.sh
	@$(TOP)/scripts/kernel-tree.sh apply-to $(BENCH_SRC) $(PATCHES) $(BENCH_PATCHES)
	@echo "bench: $(BENCH_SRC): the series plus $(words $(BENCH_PATCHES)) bench patch(es)"
	@touch $@
endif

# The modular image's modules, installed under $(IMAGES)/modules.
bench-modules: linux
	+$(KMAKE) -j$(JOBS) modules
	rm -rf $(IMAGES)/modules
	$(KMAKE) INSTALL_MOD_PATH=$(IMAGES)/modules INSTALL_MOD_STRIP=1 modules_install

bench: deps-ensure $(BENCH_SRC)/.series-applied
	@$(TOP)/scripts/deps.sh --bench
	$(call bench_make,static-rust) images
	$(if $(filter static-c,$(BENCH_IMAGES)),\
		$(call bench_make,static-c,$(TOP)/defconfigs/c-pl031.config) images)
	$(if $(filter static-rust-v7,$(BENCH_IMAGES)),\
		$(call bench_make,static-rust-v7) images KRUSTFLAGS="$(BENCH_V7_RUSTFLAGS)")
	$(if $(filter modular-rust,$(BENCH_IMAGES)),\
		$(call bench_make,modular-rust,$(TOP)/defconfigs/bench-modular.config) bench-modules \
		KRUSTFLAGS="$(BENCH_V7_RUSTFLAGS)")
	BENCH_N=$(BENCH_N) BENCH_IMAGES="$(BENCH_IMAGES)" RTC_BASE=$(RTC_BASE) \
		BENCH_V7_RUSTFLAGS="$(BENCH_V7_RUSTFLAGS)" $(TOP)/bench/run.sh

# The bench's own unit tests (parsing, statistics, report); no boots.
bench-selftest:
	cd $(TOP)/bench && PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m unittest -q test_analyze

# --- kernel configuration -------------------------------------------------------

menuconfig: linux-config
	$(KMAKE) menuconfig
	$(MAKE) --no-print-directory savedefconfig

# The defconfig leaves out what the hardening fragment sets: the build
# applies the fragment after it, so the lines would only be duplicates.
savedefconfig: linux-config
	$(KMAKE) savedefconfig
	grep -vxF -f <(grep -h -e '^CONFIG_' -e '^# CONFIG_.* is not set$$' $(HARDENING_CONFIG)) \
		$(KERNEL_BUILD)/defconfig >$(DEFCONFIG)
	@echo "saved $(DEFCONFIG) (without the lines $(notdir $(HARDENING_CONFIG)) set)"

# The driver patch is generated from drivers/ and Kconfig, not exported.
linux-export-patches:
	@$(TOP)/scripts/kernel-tree.sh export
	@$(TOP)/scripts/driver-patch.sh generate

clean:
	rm -rf $(OUTPUT)/build $(OUTPUT)/images $(OUTPUT)/test $(OUTPUT)/build-c \
		$(OUTPUT)/build-debug $(OUTPUT)/images-debug $(OUTPUT)/test-debug $(OUTPUT)/test-debug-noirq \
		$(OUTPUT)/images-c $(OUTPUT)/test-c $(OUTPUT)/bench $(OUTPUT)/series-check \
		$(OUTPUT)/driver-patch $(OUTPUT)/lava $(OUTPUT)/reproducible$(KSUFFIX) $(KERNEL_SRC) \
		$(KERNEL_SRC).am.log
	-git -C $(KERNEL_CACHE) worktree prune 2>/dev/null

distclean:
	rm -rf $(OUTPUT)
