/*
 * Loop devices: block devices whose sectors are bytes of a backing open
 * file (a regular file of any filesystem, or another block device), at an
 * offset and up to a size limit.  /dev/loop0../dev/loop7 (block major 7)
 * exist from boot; the control device (/dev/loop-control, char 10:237)
 * finds a free one, adds and removes them.
 *
 * A device is unbound (no backing file), bound, or running down (its
 * owner asked to detach it while others still had it open: it detaches
 * at the last close).  It counts its openers: every open file of its
 * /dev node and every filesystem mounted on it.  With the autoclear flag
 * the last close detaches it.  Its blocks are written through to the
 * backing file when the block cache lets go of them (see blkdev.h,
 * write_through), so memory reclaim never writes into another
 * filesystem under the caller's locks.
 *
 * This is the ABI-neutral driver; ioctl numbers and structures live in
 * each ABI.  Functions return 0 (or a number) or -ERRNO.
 */
#ifndef DEV_LOOP_H
#define DEV_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct kobj;
struct loopdev;

#define LOOP_MAJOR      7
#define LOOP_CTL_MAJOR  10 /* the misc major */
#define LOOP_CTL_MINOR  237
#define LOOP_BOOT_COUNT 8
#define LOOP_MAX        256 /* device numbers 0..LOOP_MAX-1 */
#define LOOP_NAME_BYTES 64
#define LOOP_MIN_BLOCK  512
#define LOOP_MAX_BLOCK  4096
#define LOOP_MAX_DEPTH  3 /* loop devices stacked on each other, at most */

/* loop_status.flags */
#define LOOPF_READ_ONLY 0x1
#define LOOPF_AUTOCLEAR 0x2
#define LOOPF_PARTSCAN  0x4
#define LOOPF_DIRECT_IO 0x8

/* What a device is bound to and how. */
struct loop_status {
	unsigned number;
	uint64_t backing_dev; /* the backing file's device, inode, rdev */
	uint64_t backing_ino;
	uint64_t backing_rdev;
	uint64_t offset;
	uint64_t sizelimit; /* 0: up to the end of the file */
	unsigned flags;
	char file_name[LOOP_NAME_BYTES]; /* what the binder called it */
	char crypt_name[LOOP_NAME_BYTES];
};

/* Creates loop0..loop7 and registers the control device (at boot). */
void loop_init(void);

/* The loop device behind an open /dev/loopN, or NULL. */
struct loopdev *loop_of(struct kobj *o);
/* True for an open /dev/loop-control. */
bool loop_is_control(struct kobj *o);

/* Binds lo to backing (the device keeps its own reference).  via: the
 * open device file the request came through (a read-only one makes a
 * read-only binding).  st (may be NULL) gives offset, sizelimit, flags
 * (READ_ONLY, AUTOCLEAR, PARTSCAN, DIRECT_IO; others EINVAL) and names;
 * block_size 0 keeps 512.  EBUSY if bound, EBADF for lo itself (as
 * Linux), EOVERFLOW for an offset or limit past 2^63-1, EINVAL for a
 * backing object that is neither a regular file nor a block device, one
 * over a loop device that is not bound or leads back to lo (its /dev
 * file or a file of a filesystem mounted from it), a stack of more than
 * LOOP_MAX_DEPTH loop devices, or a bad block size. */
int loop_bind(struct loopdev *lo, struct kobj *via, struct kobj *backing,
              const struct loop_status *st, uint32_t block_size);
/* Detach: ENXIO unless bound.  Sets autoclear; the backing file goes at
 * the last close (now, if nobody has the device open). */
int loop_unbind(struct loopdev *lo);
/* ENXIO unless bound. */
int loop_get_status(struct loopdev *lo, struct loop_status *out);
/* Offset, sizelimit (capacity follows), file names, and the AUTOCLEAR
 * and PARTSCAN flags (AUTOCLEAR can be cleared); ENXIO unless bound. */
int loop_set_status(struct loopdev *lo, const struct loop_status *st);
/* Swaps the backing file of a read-only device for one of the same size
 * (EINVAL otherwise); ENXIO unless bound. */
int loop_change_backing(struct loopdev *lo, struct kobj *backing);
/* Re-reads the backing file's size; ENXIO unless bound. */
int loop_refresh_capacity(struct loopdev *lo);
/* 512..4096, a power of two (EINVAL); ENXIO unless bound. */
int loop_set_block_size(struct loopdev *lo, uint32_t size);
/* Accepted (I/O is the same either way); ENXIO unless bound. */
int loop_set_direct_io(struct loopdev *lo, bool on);
/* The logical block size (512 while unbound). */
uint32_t loop_block_size(struct loopdev *lo);

/* For /sys/block: device n, or NULL if it does not exist (devices are
 * never freed: the pointer stays valid); its disk; its backing file,
 * referenced, or NULL while unbound. */
struct loopdev *loop_get(unsigned n);
struct blkdev *loop_disk(struct loopdev *lo);
struct kobj *loop_backing(struct loopdev *lo);

/* The control device: the number of the first unbound device, adding
 * one when all are bound (ENOSPC past LOOP_MAX). */
int loop_ctl_get_free(void);
/* Adds device n (n < 0: the first unused number); returns its number.
 * EEXIST if it exists, EINVAL past LOOP_MAX. */
int loop_ctl_add(int n);
/* Removes device n: ENODEV if there is none, EBUSY while it is bound or
 * open, EINVAL for n < 0. */
int loop_ctl_remove(int n);

#endif
