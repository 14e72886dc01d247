// SPDX-License-Identifier: GPL-2.0
/*
 * Check that the kernel cannot load modules: init_module() and
 * finit_module() must fail with ENOSYS when CONFIG_MODULES=n.
 *
 * usage: modcheck init_module|finit_module
 * Exit 0 when the call failed with ENOSYS; otherwise print what happened
 * and exit 1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static const char image[16];
	long ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s init_module|finit_module\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "init_module"))
		ret = syscall(SYS_init_module, image, sizeof(image), "");
	else if (!strcmp(argv[1], "finit_module"))
		ret = syscall(SYS_finit_module, 0, "", 0);
	else {
		fprintf(stderr, "%s: unknown call '%s'\n", argv[0], argv[1]);
		return 2;
	}
	if (ret == -1 && errno == ENOSYS)
		return 0;
	if (ret == -1)
		printf("%s failed with %s, expected ENOSYS\n", argv[1], strerror(errno));
	else
		printf("%s returned %ld, expected ENOSYS\n", argv[1], ret);
	return 1;
}
