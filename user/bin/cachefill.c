/*
 * cachefill DIR MIB [STEPS]: fills the kernel's caches with file I/O in
 * DIR, for the memory tests (tests/integration/test_reclaim.py).  STEPS
 * (default wrms) are done in order:
 *
 *   w  writes MIB files of 1 MiB (DIR/big0 ...);
 *   r  reads them back: the block cache, on a disk filesystem;
 *   m  maps each one shared, reads every page and stores into every
 *      eighth, then unmaps it: the page cache (the dirty pages are written
 *      back at the unmap; the cache stays while the vnode lives, as on
 *      tmpfs);
 *   s  creates 1000 small files in 10 directories, looks them up and
 *      removes them: kernel objects (vnodes, inodes, names) in the slabs;
 *   d  removes the big files.
 *
 * Prints "cachefill: done" on success.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_SIZE (1024 * 1024)
#define CHUNK     (64 * 1024)
#define NDIRS     10
#define PER_DIR   100

static char chunk[CHUNK];

static void die(const char *what, const char *path)
{
	fprintf(stderr, "cachefill: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void write_file(const char *path, int seed)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("create", path);
	for (int off = 0; off < FILE_SIZE; off += CHUNK) {
		memset(chunk, 'a' + (seed + off / CHUNK) % 26, CHUNK);
		if (write(fd, chunk, CHUNK) != CHUNK)
			die("write", path);
	}
	close(fd);
}

static void read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open", path);
	ssize_t n;
	while ((n = read(fd, chunk, CHUNK)) > 0)
		;
	if (n < 0)
		die("read", path);
	close(fd);
}

static void map_file(const char *path)
{
	int fd = open(path, O_RDWR);
	if (fd < 0)
		die("open", path);
	volatile char *p = mmap(0, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap", path);
	unsigned sum = 0;
	for (int off = 0; off < FILE_SIZE; off += 4096) {
		sum += (unsigned char)p[off];
		if (off % (8 * 4096) == 0)
			p[off + 1] = (char)sum;
	}
	if (munmap((void *)p, FILE_SIZE) < 0)
		die("munmap", path);
	close(fd);
}

static void small_files(const char *dir)
{
	char path[256];
	struct stat st;
	for (int d = 0; d < NDIRS; d++) {
		snprintf(path, sizeof(path), "%s/small%d", dir, d);
		if (mkdir(path, 0755) < 0)
			die("mkdir", path);
		for (int i = 0; i < PER_DIR; i++) {
			snprintf(path, sizeof(path), "%s/small%d/file-with-a-longer-name-%d", dir,
			         d, i);
			int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0 || write(fd, path, 100) != 100)
				die("create", path);
			close(fd);
		}
	}
	for (int d = 0; d < NDIRS; d++) {
		for (int i = 0; i < PER_DIR; i++) {
			snprintf(path, sizeof(path), "%s/small%d/file-with-a-longer-name-%d", dir,
			         d, i);
			if (stat(path, &st) < 0)
				die("stat", path);
			if (unlink(path) < 0)
				die("unlink", path);
		}
		snprintf(path, sizeof(path), "%s/small%d", dir, d);
		if (rmdir(path) < 0)
			die("rmdir", path);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: cachefill DIR MIB [wrmsd]\n");
		return 1;
	}
	const char *dir = argv[1];
	int nfiles = atoi(argv[2]);
	const char *steps = argc == 4 ? argv[3] : "wrms";
	char path[256];
	for (const char *step = steps; *step; step++) {
		if (*step == 's') {
			small_files(dir);
			continue;
		}
		if (!strchr("wrmd", *step)) {
			fprintf(stderr, "cachefill: unknown step %c\n", *step);
			return 1;
		}
		for (int i = 0; i < nfiles; i++) {
			snprintf(path, sizeof(path), "%s/big%d", dir, i);
			if (*step == 'w')
				write_file(path, i);
			else if (*step == 'r')
				read_file(path);
			else if (*step == 'm')
				map_file(path);
			else if (unlink(path) < 0)
				die("unlink", path);
		}
	}
	printf("cachefill: done\n");
	return 0;
}
