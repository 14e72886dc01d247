include $(sort $(wildcard $(BR2_EXTERNAL_RUST_PL031_PATH)/package/*/*.mk))

# The kernel's final .config must satisfy the fragments in
# RUST_PL031_KCONFIG_REQUIRED: the same check, with the same script, as
# the offline build (scripts/check-kconfig.sh). Hooks are expanded when
# the configure step runs, so adding one here, after linux.mk, works.
RUST_PL031_KCONFIG_REQUIRED_FILES = $(call qstrip,$(RUST_PL031_KCONFIG_REQUIRED))

ifneq ($(RUST_PL031_KCONFIG_REQUIRED_FILES),)
define RUST_PL031_CHECK_KCONFIG
	$(BR2_EXTERNAL_RUST_PL031_PATH)/../scripts/check-kconfig.sh \
		$(LINUX_DIR)/.config $(RUST_PL031_KCONFIG_REQUIRED_FILES)
endef
LINUX_POST_CONFIGURE_HOOKS += RUST_PL031_CHECK_KCONFIG
endif
