// SPDX-License-Identifier: GPL-2.0
/*
 * Physical memory must not be readable through the mem character device
 * (major 1, minor 1, /dev/mem). Open NODE and read 4 bytes at physical
 * address ADDR (RAM). Access is denied when open fails with ENXIO (the
 * kernel has no /dev/mem driver, CONFIG_DEVMEM=n) or the read fails with
 * EPERM (STRICT_DEVMEM refuses RAM).
 *
 * usage: devmem-read NODE ADDR
 * Exit 0 when access was denied in one of these ways, printing how;
 * otherwise (read succeeded, or another errno) print what happened and
 * exit 1.
 */
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long long addr;
	uint32_t word;
	char *end;
	ssize_t n;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s NODE ADDR\n", argv[0]);
		return 2;
	}
	errno = 0;
	addr = strtoull(argv[2], &end, 0);
	if (errno || *end || end == argv[2]) {
		fprintf(stderr, "%s: bad address '%s'\n", argv[0], argv[2]);
		return 2;
	}

	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		if (errno == ENXIO) {
			printf("open %s: %s (no /dev/mem driver)\n", argv[1], strerror(errno));
			return 0;
		}
		printf("open %s: %s, expected success or ENXIO\n", argv[1], strerror(errno));
		return 1;
	}
	n = pread(fd, &word, sizeof(word), (off_t)addr);
	if (n < 0 && errno == EPERM) {
		printf("read at %#llx: %s (STRICT_DEVMEM)\n", addr, strerror(errno));
		return 0;
	}
	if (n < 0) {
		printf("read at %#llx: %s, expected EPERM\n", addr, strerror(errno));
		return 1;
	}
	printf("read %zd bytes of RAM at %#llx through %s: %#x\n", n, addr, argv[1],
	       (unsigned int)word);
	return 1;
}
