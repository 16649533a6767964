/*
 * free [-d] [-b|-k|-m|-p]: memory use in KiB (default), bytes, MiB or
 * pages, in the layout of Linux `free`: a Mem: line (total, used, free)
 * and the size of the kernel heap.
 *
 * -d first writes 3 to /proc/sys/vm/drop_caches: the kernel writes dirty
 * data back and drops every cache and empty slab page it can, so "free"
 * is then what programs could get (for leak checks around a test run).
 */
#include <errno.h>
#include <fcntl.h>
#include <scarlet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DROP_CACHES "/proc/sys/vm/drop_caches"

static int drop_caches(void)
{
	int fd = open(DROP_CACHES, O_WRONLY);
	if (fd < 0 || write(fd, "3\n", 2) != 2) {
		fprintf(stderr, "free: %s: %s\n", DROP_CACHES, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct sc_meminfo m;
	unsigned long long unit = 1024;
	int c, drop = 0, pages = 0;

	while ((c = getopt(argc, argv, "bdkmp")) != -1) {
		if (c == 'b')
			unit = 1;
		else if (c == 'k')
			unit = 1024;
		else if (c == 'm')
			unit = 1024 * 1024;
		else if (c == 'p')
			pages = 1;
		else if (c == 'd')
			drop = 1;
		else {
			fprintf(stderr, "usage: free [-d] [-b|-k|-m|-p]\n");
			return 1;
		}
	}
	if (drop && drop_caches() < 0)
		return 1;
	if (sc_meminfo(&m) < 0) {
		fprintf(stderr, "free: %s\n", strerror(errno));
		return 1;
	}
	if (pages)
		unit = m.page_size;
	printf("%-12s %12s %12s %12s\n", "", "total", "used", "free");
	printf("%-12s %12llu %12llu %12llu\n", "Mem:", (unsigned long long)m.total / unit,
	       (unsigned long long)(m.total - m.free) / unit, (unsigned long long)m.free / unit);
	printf("%-12s %12llu\n", "Kernel heap:", (unsigned long long)m.kernel_heap / unit);
	return 0;
}
