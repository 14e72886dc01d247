################################################################################
#
# Rust for Linux: builds the kernel with CONFIG_RUST
#
################################################################################

# linux/linux.mk includes this file before it evaluates the linux package,
# so the dependencies added here hold. This file extends the linux package
# itself: the LINUX_* variables are the point (see .checkpackageignore).

ifeq ($(RUST_PL031_LINUX_RUST),y)

ifeq ($(RUST_PL031_LINUX_RUST_TOOLCHAIN_BUILDROOT),y)
RUST_PL031_LINUX_RUST_TOOLS = \
	host-clang \
	host-lld \
	host-llvm \
	host-rust-bindgen \
	host-rust-src \
	host-rustc
RUST_PL031_LINUX_RUST_RUSTC = $(HOST_DIR)/bin/rustc
RUST_PL031_LINUX_RUST_RUSTDOC = $(HOST_DIR)/bin/rustdoc
RUST_PL031_LINUX_RUST_BINDGEN = $(HOST_DIR)/bin/bindgen
RUST_PL031_LINUX_RUST_LLVM = $(HOST_DIR)/bin/
RUST_PL031_LINUX_RUST_LIBCLANG_PATH = $(HOST_DIR)/lib
# $(HOST_DIR)/bin/clang is Buildroot's toolchain wrapper, which adds
# target userspace flags (-fPIE -pie, --sysroot, ...) to commands without
# -D__KERNEL__, such as the kernel's cc-option tests; under clang's
# -Werror=unused-command-line-argument those would fail. The kernel brings
# its own flags: give it the compiler itself.
RUST_PL031_LINUX_RUST_CC = $(HOST_DIR)/bin/clang.br_real
else
RUST_PL031_LINUX_RUST_RUSTC = $(call qstrip,$(RUST_PL031_LINUX_RUST_HOST_RUSTC))
RUST_PL031_LINUX_RUST_RUSTDOC = $(call qstrip,$(RUST_PL031_LINUX_RUST_HOST_RUSTDOC))
RUST_PL031_LINUX_RUST_BINDGEN = $(call qstrip,$(RUST_PL031_LINUX_RUST_HOST_BINDGEN))
RUST_PL031_LINUX_RUST_LLVM = $(call qstrip,$(RUST_PL031_LINUX_RUST_HOST_LLVM))
RUST_PL031_LINUX_RUST_LIBCLANG_PATH = $(call qstrip,$(RUST_PL031_LINUX_RUST_HOST_LIBCLANG_PATH))
endif

# scripts/rust_is_available.sh runs when Kconfig is parsed: the tools must
# be there before the .config is generated, not only before the build.
LINUX_KCONFIG_DEPENDENCIES += $(RUST_PL031_LINUX_RUST_TOOLS)

# Absolute paths (or the host's commands): the configurators (make
# linux-menuconfig) run with the user's PATH, not Buildroot's.
LINUX_MAKE_FLAGS += \
	LLVM=$(RUST_PL031_LINUX_RUST_LLVM) \
	RUSTC=$(RUST_PL031_LINUX_RUST_RUSTC) \
	RUSTDOC=$(RUST_PL031_LINUX_RUST_RUSTDOC) \
	HOSTRUSTC=$(RUST_PL031_LINUX_RUST_RUSTC) \
	BINDGEN=$(RUST_PL031_LINUX_RUST_BINDGEN)

ifneq ($(RUST_PL031_LINUX_RUST_CC),)
LINUX_MAKE_FLAGS += CC=$(RUST_PL031_LINUX_RUST_CC)
endif

# The kernel links its Rust host programs with -Clinker=$(HOSTCC), which
# must be one command: linux.mk's HOSTCC carries Buildroot's host flags
# ("unrecognized option" from rustc). Pass them as HOSTCFLAGS and
# HOSTLDFLAGS instead, and, like linux.mk, not to the configurators.
LINUX_MAKE_FLAGS += \
	HOSTCC="$(HOSTCC_NOCCACHE)" \
	HOSTCFLAGS="$(subst -I/,-isystem /,$(subst -I /,-isystem /,$(HOST_CFLAGS)))" \
	HOSTLDFLAGS="$(HOST_LDFLAGS)"
LINUX_KCONFIG_OPTS += HOSTCFLAGS= HOSTLDFLAGS=

ifneq ($(RUST_PL031_LINUX_RUST_LIBCLANG_PATH),)
LINUX_MAKE_ENV += LIBCLANG_PATH=$(RUST_PL031_LINUX_RUST_LIBCLANG_PATH)
endif

# KCFLAGS goes to clang now: clang rejects the GCC-only warning option
# linux.mk adds for GCC >= 8 (the kernel builds with
# -Werror=unknown-warning-option).
LINUX_CFLAGS := $(filter-out -Wno-attribute-alias,$(LINUX_CFLAGS))

define RUST_PL031_LINUX_RUST_CONFIG_FIXUPS
	$(call KCONFIG_ENABLE_OPT,CONFIG_RUST)
endef
PACKAGES_LINUX_CONFIG_FIXUPS += $(RUST_PL031_LINUX_RUST_CONFIG_FIXUPS)$(sep)

# Kconfig drops CONFIG_RUST without a word when the toolchain check fails:
# stop here and show the kernel's own diagnosis.
define RUST_PL031_LINUX_RUST_CHECK_CONFIG
	$(Q)if ! grep -q '^CONFIG_RUST=y$$' $(LINUX_DIR)/.config; then \
		echo "linux: CONFIG_RUST=y did not survive the kernel configuration." >&2; \
		echo "linux: the kernel's Rust toolchain check (make rustavailable) says:" >&2; \
		$(LINUX_MAKE_ENV) $(BR2_MAKE) $(LINUX_MAKE_FLAGS) -C $(LINUX_DIR) \
			rustavailable >&2 && \
			echo "linux: the toolchain is usable: another dependency of RUST is missing." >&2; \
		exit 1; \
	fi
endef
LINUX_POST_CONFIGURE_HOOKS += RUST_PL031_LINUX_RUST_CHECK_CONFIG

endif
