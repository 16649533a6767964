/*
 * Host side of the FAT unit tests: a file-backed block device and the
 * mirror directory (see fat_host.h).
 */
#define _GNU_SOURCE
#include "fat_host.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev/blkdev.h"

static uint64_t nwrites;

static int host_read(struct blkdev *d, uint64_t sector, void *buf, uint32_t n)
{
	int fd = (int)(intptr_t)d->priv;
	size_t len = (size_t)n * SECTOR_SIZE;

	if (sector + n > d->nsectors)
		return -5;
	return pread(fd, buf, len, (off_t)(sector * SECTOR_SIZE)) == (ssize_t)len ? 0 : -5;
}

static int host_write(struct blkdev *d, uint64_t sector, const void *buf, uint32_t n)
{
	int fd = (int)(intptr_t)d->priv;
	size_t len = (size_t)n * SECTOR_SIZE;

	if (sector + n > d->nsectors)
		return -5;
	nwrites += n;
	return pwrite(fd, buf, len, (off_t)(sector * SECTOR_SIZE)) == (ssize_t)len ? 0 : -5;
}

static int host_flush(struct blkdev *d)
{
	return fsync((int)(intptr_t)d->priv) == 0 ? 0 : -5;
}

static const struct blkdev_ops host_ops = {
    .read = host_read,
    .write = host_write,
    .flush = host_flush,
};

struct blkdev *hostdev_open(const char *path, const char *name)
{
	struct blkdev *d = calloc(1, sizeof(*d));
	int fd = open(path, O_RDWR);
	struct stat st;

	if (!d || fd < 0 || fstat(fd, &st) < 0) {
		free(d);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->nsectors = (uint64_t)st.st_size / SECTOR_SIZE;
	d->ops = &host_ops;
	d->priv = (void *)(intptr_t)fd;
	return d;
}

void hostdev_close(struct blkdev *d)
{
	close((int)(intptr_t)d->priv);
	free(d);
}

uint64_t hostdev_writes(void)
{
	return nwrites;
}

static char mroot[4096];

static const char *mpath(const char *rel)
{
	static char buf[2][8192];
	static int which;

	which ^= 1;
	snprintf(buf[which], sizeof(buf[which]), "%s/%s", mroot, rel);
	return buf[which];
}

int mirror_init(const char *root)
{
	snprintf(mroot, sizeof(mroot), "%s", root);
	return mkdir(root, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

int mirror_write(const char *rel, const void *data, size_t len, uint64_t off)
{
	int fd = open(mpath(rel), O_WRONLY | O_CREAT, 0644);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = len ? pwrite(fd, data, len, (off_t)off) : 0;
	close(fd);
	return r == (ssize_t)len ? 0 : -1;
}

int mirror_truncate(const char *rel, uint64_t size)
{
	return truncate(mpath(rel), (off_t)size);
}

int mirror_mkdir(const char *rel)
{
	return mkdir(mpath(rel), 0755);
}

int mirror_unlink(const char *rel)
{
	return unlink(mpath(rel));
}

int mirror_rmdir(const char *rel)
{
	return rmdir(mpath(rel));
}

int mirror_rename(const char *from, const char *to)
{
	return rename(mpath(from), mpath(to));
}

char *mirror_read(const char *rel, size_t *len)
{
	int fd = open(mpath(rel), O_RDONLY);
	struct stat st;
	char *buf;

	if (fd < 0)
		return NULL;
	fstat(fd, &st);
	buf = malloc((size_t)st.st_size + 1);
	*len = (size_t)st.st_size;
	if (buf && pread(fd, buf, *len, 0) != (ssize_t)*len) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	return buf;
}

int mirror_list(const char *rel, void (*fn)(void *ctx, const char *name, int is_dir), void *ctx)
{
	DIR *d = opendir(mpath(rel));
	struct dirent *e;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			fn(ctx, e->d_name, e->d_type == DT_DIR);
	}
	closedir(d);
	return 0;
}

static uint64_t rnd_state = 88172645463325252ULL;

uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (uint32_t)(rnd_state >> 11);
}

void rnd_fill(void *buf, size_t n, uint32_t seed)
{
	uint64_t s = seed * 2654435761ULL + 1;
	unsigned char *p = buf;

	for (size_t i = 0; i < n; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		p[i] = (unsigned char)(s >> 56);
	}
}
