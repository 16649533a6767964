/*
 * A file of a tmpfs mapped shared, written through the mapping, unmapped
 * and closed, then the tmpfs unmounted: again and again.  The page cache
 * of the file must go with the unmount (test_mem.py checks that no
 * memory stays taken, and that dropping caches afterwards does not touch
 * what the unmount freed: before, it panicked on a freed vnode).
 * Needs root (mount); skips otherwise.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ltest.h"

#define ROUNDS 8
#define SIZE   (2 << 20)

static void one_round(const char *dir)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/f", dir);
	CHECK_EQ(mount("none", dir, "tmpfs", 0, "size=4m"), 0);
	int fd = open(path, O_RDWR | O_CREAT, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(ftruncate(fd, SIZE), 0);
	char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		for (size_t off = 0; off < SIZE; off += 4096)
			p[off] = (char)(off >> 12);
		CHECK_EQ(p[SIZE - 4096], (char)((SIZE - 4096) >> 12));
		CHECK_EQ(munmap(p, SIZE), 0);
	}
	/* the data reached the file through the page cache */
	char c = 0;
	CHECK_EQ(pread(fd, &c, 1, 4096 * 7), 1);
	CHECK_EQ(c, 7);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(umount(dir), 0);
}

int main(void)
{
	char dir[] = "/tmp/t_mapumount.XXXXXX";
	if (geteuid() != 0) {
		SKIP("needs root to mount");
		return ltest_done("mapumount");
	}
	CHECK(mkdtemp(dir) != NULL);
	for (int i = 0; i < ROUNDS; i++)
		one_round(dir);
	CHECK_EQ(rmdir(dir), 0);
	return ltest_done("mapumount");
}
