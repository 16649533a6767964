/*
 * free [-b|-k|-m]: memory use in KiB (default), bytes or MiB, in the
 * layout of Linux `free`: a Mem: line (total, used, free) and the size of
 * the kernel heap.
 */
#include <errno.h>
#include <scarlet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sc_meminfo m;
	unsigned long long unit = 1024;
	int c;

	while ((c = getopt(argc, argv, "bkm")) != -1) {
		if (c == 'b')
			unit = 1;
		else if (c == 'k')
			unit = 1024;
		else if (c == 'm')
			unit = 1024 * 1024;
		else {
			fprintf(stderr, "usage: free [-b|-k|-m]\n");
			return 1;
		}
	}
	if (sc_meminfo(&m) < 0) {
		fprintf(stderr, "free: %s\n", strerror(errno));
		return 1;
	}
	printf("%-12s %12s %12s %12s\n", "", "total", "used", "free");
	printf("%-12s %12llu %12llu %12llu\n", "Mem:", (unsigned long long)m.total / unit,
	       (unsigned long long)(m.total - m.free) / unit, (unsigned long long)m.free / unit);
	printf("%-12s %12llu\n", "Kernel heap:", (unsigned long long)m.kernel_heap / unit);
	return 0;
}
