/*
 * Host side of the FAT unit tests (tests/host/fat_host.c): a block device
 * backed by an image file, and a "mirror" directory on the host that the
 * test keeps in step with what it does on the FAT image, so the two can be
 * compared (by the test, and afterwards by the script with mtools).
 * Built with the C library's headers only, apart from dev/blkdev.h.
 */
#ifndef TESTS_HOST_FAT_HOST_H
#define TESTS_HOST_FAT_HOST_H

#include <stddef.h>
#include <stdint.h>

struct blkdev;

/* A disk over the image file at path (registered under name for
 * blkdev_find), or NULL. */
struct blkdev *hostdev_open(const char *path, const char *name);
void hostdev_close(struct blkdev *d);
/* Sectors read and written so far. */
uint64_t hostdev_writes(void);

/* Mirror operations on root/rel; each returns 0 or -1 (errno set). */
int mirror_init(const char *root);
int mirror_write(const char *rel, const void *data, size_t len, uint64_t off);
int mirror_truncate(const char *rel, uint64_t size);
int mirror_mkdir(const char *rel);
int mirror_unlink(const char *rel);
int mirror_rmdir(const char *rel);
int mirror_rename(const char *from, const char *to);
/* The mirror file's contents (malloc'd) and size; NULL if missing. */
char *mirror_read(const char *rel, size_t *len);
/* Entry names of a mirror directory: callback per name. */
int mirror_list(const char *rel, void (*fn)(void *ctx, const char *name, int is_dir), void *ctx);

/* A deterministic pseudo-random generator for names and contents. */
uint32_t rnd(void);
void rnd_fill(void *buf, size_t n, uint32_t seed);

#endif
