// SPDX-License-Identifier: GPL-2.0
/*
 * Find the interrupt line of an RTC through its device, not through the
 * name its driver gave the handler, and print its /proc/interrupts count.
 *
 * usage: rtc-irq [RTC]          RTC defaults to rtc0
 *
 * The device of /sys/class/rtc/RTC is a devicetree node; its "interrupts"
 * property names a GIC interrupt as three big-endian cells (type, number,
 * flags), type 0 being an SPI (hwirq = number + 32) and 1 a PPI
 * (hwirq = number + 16). The line of /proc/interrupts with a GIC chip and
 * that hwirq gives the Linux IRQ N and its count; /sys/kernel/irq/N must
 * agree on the hwirq and names the handlers. Prints two lines:
 *
 *   irq=30 hwirq=34 chip=GIC-0 actions=rtc-pl031 count=10
 *   line= 30:         10 GIC-0  34 Level     rtc-pl031
 *
 * and exits 0, or prints why not to stderr and exits 1. An IRQ that no
 * driver requested has empty actions and no line in /proc/interrupts;
 * that is reported as an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_file(const char *path, char *buf, size_t size, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return 0;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

int main(int argc, char **argv)
{
	const char *rtc = argc > 1 ? argv[1] : "rtc0";
	unsigned char prop[64];
	char path[256], buf[256], chip[64] = "", actions[256] = "";
	char line[512], found_line[512] = "";
	unsigned long type, number, hwirq, count = 0;
	long irq = -1;
	size_t len;
	FILE *f;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: %s [rtcN]\n", argv[0]);
		return 2;
	}

	snprintf(path, sizeof(path), "/sys/class/rtc/%s/device/of_node/interrupts", rtc);
	if (read_file(path, (char *)prop, sizeof(prop), &len)) {
		fprintf(stderr, "rtc-irq: cannot read %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (len < 12 || len % 12) {
		fprintf(stderr, "rtc-irq: %s is %zu bytes, not GIC 3-cell specifiers\n",
			path, len);
		return 1;
	}
	type = be32(prop);
	number = be32(prop + 4);
	if (type == 0)
		hwirq = number + 32;
	else if (type == 1)
		hwirq = number + 16;
	else {
		fprintf(stderr, "rtc-irq: %s: unknown GIC interrupt type %lu\n", path, type);
		return 1;
	}

	/*
	 * " 30:   10 GIC-0  34 Level  rtc-pl031": the IRQ, one count per CPU,
	 * the chip, the hwirq in that chip's domain, the trigger, the
	 * handlers. The chip name is not in /sys/kernel/irq/N/chip_name for
	 * the GIC (it prints it with a callback), so match on this line.
	 */
	f = fopen("/proc/interrupts", "r");
	if (!f) {
		fprintf(stderr, "rtc-irq: /proc/interrupts: %s\n", strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;
		unsigned long sum = 0, line_hwirq;
		long n = strtol(p, &end, 10);

		if (end == p || *end != ':')
			continue;
		/* One column per CPU, then the chip name. */
		for (p = end + 1;;) {
			unsigned long c = strtoul(p, &end, 10);

			if (end == p)
				break;
			sum += c;
			p = end;
		}
		if (sscanf(p, " %63s %lu", chip, &line_hwirq) != 2 ||
		    strncmp(chip, "GIC", 3) || line_hwirq != hwirq)
			continue;
		irq = n;
		count = sum;
		chomp(line);
		snprintf(found_line, sizeof(found_line), "%s", line);
		break;
	}
	fclose(f);
	if (irq < 0) {
		fprintf(stderr, "rtc-irq: no GIC interrupt %lu in /proc/interrupts"
			" (not requested by any driver?)\n", hwirq);
		return 1;
	}

	/* The same IRQ seen from sysfs: same hwirq, and its handler names. */
	snprintf(path, sizeof(path), "/sys/kernel/irq/%ld/hwirq", irq);
	if (read_file(path, buf, sizeof(buf), NULL) || strtoul(buf, NULL, 10) != hwirq) {
		fprintf(stderr, "rtc-irq: %s does not say %lu\n", path, hwirq);
		return 1;
	}
	snprintf(path, sizeof(path), "/sys/kernel/irq/%ld/actions", irq);
	if (!read_file(path, buf, sizeof(buf), NULL)) {
		chomp(buf);
		snprintf(actions, sizeof(actions), "%s", buf);
	}
	if (!actions[0]) {
		fprintf(stderr, "rtc-irq: IRQ %ld (hwirq %lu) has no handler\n", irq, hwirq);
		return 1;
	}
	printf("irq=%ld hwirq=%lu chip=%s actions=%s count=%lu\n",
	       irq, hwirq, chip, actions, count);
	printf("line=%s\n", found_line);
	return 0;
}
