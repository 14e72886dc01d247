################################################################################
#
# rust-pl031-tests
#
################################################################################

# The tests are used in place, from the project's tests/target.
RUST_PL031_TESTS_SITE = $(BR2_EXTERNAL_RUST_PL031_PATH)/../tests/target
RUST_PL031_TESTS_SITE_METHOD = local
RUST_PL031_TESTS_LICENSE = GPL-2.0

# rtctest is built from the kernel source, and /etc/build-info describes
# the kernel that was built.
RUST_PL031_TESTS_DEPENDENCIES = linux

RUST_PL031_TESTS_SELFTESTS = $(LINUX_DIR)/tools/testing/selftests

# The same programs, warning flags and libraries as the offline build.
define RUST_PL031_TESTS_BUILD_CMDS
	mkdir -p $(@D)/bin
	for src in $(@D)/src/*.c; do \
		$(TARGET_CC) $(TARGET_CFLAGS) -Wall -Wextra -Werror $(TARGET_LDFLAGS) \
			-o $(@D)/bin/$$(basename $$src .c) $$src -lpthread || exit 1; \
	done
	$(TARGET_CC) $(TARGET_CFLAGS) -I$(RUST_PL031_TESTS_SELFTESTS) $(TARGET_LDFLAGS) \
		-o $(@D)/bin/rtctest $(RUST_PL031_TESTS_SELFTESTS)/rtc/rtctest.c \
		-lrt -lpthread -lm
endef

RUST_PL031_TESTS_DEST = $(TARGET_DIR)/usr/lib/target-tests

define RUST_PL031_TESTS_INSTALL_TARGET_CMDS
	rm -rf $(RUST_PL031_TESTS_DEST)
	$(INSTALL) -D -m 0755 $(@D)/run-all $(RUST_PL031_TESTS_DEST)/run-all
	$(INSTALL) -D -m 0644 $(@D)/ktap.sh $(RUST_PL031_TESTS_DEST)/ktap.sh
	$(INSTALL) -d $(RUST_PL031_TESTS_DEST)/suites $(RUST_PL031_TESTS_DEST)/bin
	$(INSTALL) -m 0644 $(@D)/suites/*.sh $(RUST_PL031_TESTS_DEST)/suites/
	$(INSTALL) -m 0755 $(@D)/bin/* $(RUST_PL031_TESTS_DEST)/bin/
endef

# Number of kernel patches applied from BR2_LINUX_KERNEL_PATCH (files or
# directories of *.patch).
RUST_PL031_TESTS_KERNEL_PATCHES = $(words $(foreach p,$(call qstrip,$(BR2_LINUX_KERNEL_PATCH)), \
	$(if $(wildcard $(p)/.),$(wildcard $(p)/*.patch),$(p))))

# Written at every target-finalize, so that it always describes the
# kernel in output/images, even after a "make linux-rebuild".
define RUST_PL031_TESTS_BUILD_INFO
	$(RUST_PL031_TESTS_PKGDIR)/build-info.sh \
		$(LINUX_DIR) \
		$(LINUX_SOURCE) \
		$(RUST_PL031_TESTS_KERNEL_PATCHES) \
		$(BR2_EXTERNAL_RUST_PL031_PATH)/.. \
		$(BR2_VERSION_FULL) \
		>$(TARGET_DIR)/etc/build-info
endef
RUST_PL031_TESTS_TARGET_FINALIZE_HOOKS += RUST_PL031_TESTS_BUILD_INFO

$(eval $(generic-package))
