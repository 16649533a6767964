/*
 * Block devices: disks that move whole sectors.  Drivers (virtio-blk)
 * register each disk under a name ("vda", "vdb", ...); it then appears as
 * /dev/NAME (S_IFBLK) and filesystems find it by that name or path.
 * Filesystems do not call the driver directly: they go through the block
 * cache (fs/bcache.h).
 */
#ifndef DEV_BLKDEV_H
#define DEV_BLKDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "core/list.h"

#define SECTOR_SIZE     512
#define BLKDEV_NAME_MAX 16

struct blkdev;
struct kobj;

struct blkdev_ops {
	/* Transfer n sectors at sector into/from buf (kernel memory, any
	 * alignment); sleep until done.  0 or -EIO.  Called from task
	 * context only, possibly by several tasks at once. */
	int (*read)(struct blkdev *d, uint64_t sector, void *buf, uint32_t n);
	int (*write)(struct blkdev *d, uint64_t sector, const void *buf, uint32_t n);
	/* Makes completed writes durable (virtio FLUSH); 0 or -EIO. */
	int (*flush)(struct blkdev *d);
	/* Optional: someone opens the disk (an open of its /dev node, a
	 * filesystem mounting it), oflags' access mode saying how; an error
	 * refuses.  release: one of them is done. */
	int (*open)(struct blkdev *d, int oflags);
	void (*release)(struct blkdev *d);
};

struct blkdev {
	char name[BLKDEV_NAME_MAX];
	uint64_t nsectors;
	bool readonly;
	uint64_t rdev; /* MKDEV(major, minor) of its /dev node */
	/* The block cache writes a modified block back as soon as its holder
	 * lets go of it, never later from memory reclaim: for disks whose
	 * writes go into another filesystem (loop devices), which reclaim,
	 * running under that filesystem's locks, must not call. */
	bool write_through;
	bool hidden; /* taken away (blkdev_hide): not found, not opened */
	const struct blkdev_ops *ops;
	void *priv;
	struct list node;
};

/* Adds d (name, nsectors, ops filled in; rdev too, or 0 for the next
 * number of BLKDEV_MAJOR) and its /dev node; -EEXIST if the name is
 * taken. */
int blkdev_register(struct blkdev *d);
/* Takes d's /dev node away, or brings it back: a hidden disk is not
 * found, listed or opened.  Registered disks are never freed, so a
 * pointer to one stays valid. */
int blkdev_hide(struct blkdev *d, bool hidden);
/* Opens and closes d for a user that is not a /dev file: a filesystem
 * mounting it (see blkdev_ops.open). */
int blkdev_open(struct blkdev *d, int oflags);
void blkdev_close(struct blkdev *d);
/* The disk behind an open /dev node of type S_IFBLK, or NULL. */
struct blkdev *blkdev_of(struct kobj *o);
/* "vda" or "/dev/vda"; NULL if there is no such disk. */
struct blkdev *blkdev_find(const char *name);
/* Calls fn for every registered disk. */
void blkdev_for_each(void (*fn)(struct blkdev *d, void *ctx), void *ctx);

/* Opens the disk with device number rdev as a byte-addressed file object
 * (a /dev node of type S_IFBLK); -ENXIO if there is no such disk, else as
 * blkdev_open_file. */
int blkdev_open_rdev(uint64_t rdev, int oflags, struct kobj **out);
/* Opens d as a file object that reads and writes at byte offsets (partial
 * sectors by read-modify-write), seeks, and stats as S_IFBLK with size =
 * capacity.  O_TRUNC is ignored.  -EROFS for write access to a read-only
 * disk whose driver has no open hook; writes to a read-only disk through
 * a file that could open it for writing fail with -EPERM, as on Linux.
 * -ENOMEM, or the driver's open error.  (blkdev_file.c) */
int blkdev_open_file(struct blkdev *d, int oflags, struct kobj **out);

#define BLKDEV_MAJOR 254

#endif
