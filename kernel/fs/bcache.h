/*
 * The block cache: filesystems read and write disk blocks through it.
 * A block is (disk, block number, block size); the cache keeps recently
 * used blocks in memory and writes modified ones back later: when memory
 * for the cache runs short, and on bcache_sync (sync, unmount, poweroff).
 *
 * A buffer returned by bread/bget is locked for the caller (a sleeping
 * lock) until brelse; several tasks may hold different buffers at once.
 */
#ifndef FS_BCACHE_H
#define FS_BCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/list.h"
#include "dev/blkdev.h"
#include "proc/mutex.h"

struct buf {
	struct blkdev *dev;
	uint64_t blockno; /* in units of size */
	uint32_t size;    /* a multiple of SECTOR_SIZE, at most 64 KiB */
	char *data;
	/* owned by the cache */
	struct mutex lock;
	int refcount;
	bool valid; /* data holds the disk's contents (or newer) */
	bool dirty; /* data is newer than the disk */
	struct list lru;
	struct list hash;
};

/* The block, read from disk if not cached.  -EIO on a read error,
 * -EINVAL for a bad size or a block past the end of the disk. */
int bread(struct blkdev *d, uint64_t blockno, uint32_t size, struct buf **out);
/* The block without reading it, zero-filled unless cached: for blocks
 * that will be overwritten whole. */
int bget_zeroed(struct blkdev *d, uint64_t blockno, uint32_t size, struct buf **out);
/* Marks b modified: it will be written back later. */
void bdirty(struct buf *b);
/* Writes b now (it stays cached and locked); 0 or -EIO. */
int bwrite(struct buf *b);
/* Unlocks b and gives it back to the cache. */
void brelse(struct buf *b);

/* Writes back every modified block of d (all disks when d is NULL), then
 * flushes the disk's write cache. */
int bcache_sync(struct blkdev *d);
/* Forgets d's blocks (after a final sync, at unmount); -EBUSY if any is
 * still in use. */
int bcache_drop(struct blkdev *d);
/* Sets the cache's memory budget in bytes (default: 1/16 of RAM). */
void bcache_set_limit(uint64_t bytes);
/* Bytes currently cached. */
uint64_t bcache_bytes(void);
/* Registers the cache's shrinker (at boot; see mm/reclaim.h). */
void bcache_reclaim_init(void);

#endif
