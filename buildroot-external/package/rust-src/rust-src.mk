################################################################################
#
# rust-src
#
################################################################################

# The source of Rust's core and alloc libraries (the "rust-src"
# component), which the Linux kernel compiles itself for its target.
# host-rust-bin installs rustc, cargo and the prebuilt standard library
# only; this adds the component of the same version next to it.
RUST_SRC_VERSION = $(RUST_BIN_VERSION)
RUST_SRC_SITE = $(RUST_BIN_SITE)
RUST_SRC_SOURCE = rust-src-$(RUST_SRC_VERSION).tar.xz
RUST_SRC_LICENSE = Apache-2.0 or MIT
RUST_SRC_LICENSE_FILES = LICENSE-APACHE LICENSE-MIT

HOST_RUST_SRC_DEPENDENCIES = host-rustc

define HOST_RUST_SRC_INSTALL_CMDS
	(cd $(@D); \
		./install.sh --prefix=$(HOST_DIR) --disable-ldconfig \
			--components=rust-src)
endef

$(eval $(host-generic-package))
