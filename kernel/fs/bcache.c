/*
 * Block cache (see bcache.h): a hash table of buffers plus an LRU list of
 * the ones nobody holds.  One spinlock guards the table, the list and the
 * reference counts; each buffer's sleeping lock guards its data, so disk
 * I/O never happens under the spinlock.
 *
 * Memory goes back in two ways: a new buffer evicts the oldest
 * unreferenced ones while the cache is over its budget, and the shrinker
 * evicts when the page allocator runs out (clean buffers from any
 * context, dirty ones written back first only where sleeping is allowed;
 * see mm/reclaim.h).  Writing a dirty buffer back takes its sleeping lock,
 * which nobody holds (it is unreferenced), and calls the driver, which
 * allocates nothing: safe whatever other buffers the caller holds.
 */
#include "fs/bcache.h"

#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/reclaim.h"

#define HASH_SIZE 1024
#define MAX_BLOCK (64 * 1024)

static struct spinlock cache_lock = SPINLOCK_INIT("bcache");
static struct list hash_table[HASH_SIZE];
static struct list lru = LIST_INIT(lru); /* unreferenced buffers, oldest first */
static uint64_t cached_bytes;
static uint64_t limit_bytes = 16 << 20;
static bool initialized;

void bcache_set_limit(uint64_t bytes)
{
	limit_bytes = bytes;
}

uint64_t bcache_bytes(void)
{
	return cached_bytes;
}

static struct list *bucket(struct blkdev *d, uint64_t blockno)
{
	uint64_t h = (uint64_t)(uintptr_t)d * 31 + blockno;
	return &hash_table[(h ^ (h >> 17)) % HASH_SIZE];
}

static void init_once(void)
{
	if (initialized)
		return;
	for (int i = 0; i < HASH_SIZE; i++)
		list_init(&hash_table[i]);
	initialized = true;
}

/* Finds a cached block and takes a reference; cache_lock held. */
static struct buf *lookup(struct blkdev *d, uint64_t blockno, uint32_t size)
{
	struct list *head = bucket(d, blockno), *pos;
	list_for_each(pos, head)
	{
		struct buf *b = list_entry(pos, struct buf, hash);
		if (b->dev == d && b->blockno == blockno && b->size == size) {
			if (b->refcount++ == 0)
				list_remove(&b->lru);
			return b;
		}
	}
	return NULL;
}

static int write_out(struct buf *b)
{
	uint32_t n = b->size / SECTOR_SIZE;
	int r = b->dev->ops->write(b->dev, b->blockno * n, b->data, n);
	if (r == 0)
		b->dirty = false;
	else
		printk("bcache: %s: write of block %lu failed (%d)\n", b->dev->name, b->blockno, r);
	return r;
}

static void free_buf(struct buf *b)
{
	cached_bytes -= b->size;
	kfree(b->data);
	kfree(b);
}

/* Writes back the unreferenced dirty buffer b, taken off the LRU, and
 * frees it unless somebody took it meanwhile (then it stays).  Returns
 * the bytes freed.  cache_lock held on entry and exit, dropped inside. */
static uint64_t write_and_free(struct buf *b)
{
	list_remove(&b->lru);
	b->refcount++;
	spin_unlock(&cache_lock);
	mutex_lock(&b->lock);
	if (write_out(b) < 0)
		b->dirty = false; /* reported; dropping it is all we can do */
	mutex_unlock(&b->lock);
	spin_lock(&cache_lock);
	if (--b->refcount > 0)
		return 0; /* in use again: brelse puts it back on the LRU */
	if (b->dirty) {
		list_push_front(&lru, &b->lru); /* dirtied again meanwhile */
		return 0;
	}
	uint64_t size = b->size;
	list_remove(&b->hash);
	free_buf(b);
	return size;
}

/* Frees unreferenced buffers, oldest first, while more than `keep` bytes
 * are cached.  Dirty ones are written back first if may_write (which
 * sleeps), else left alone.  Returns the bytes freed; cache_lock held. */
static uint64_t evict(uint64_t keep, bool may_write)
{
	uint64_t freed = 0;
	struct list *pos = lru.next;
	while (cached_bytes > keep && pos != &lru) {
		struct buf *b = list_entry(pos, struct buf, lru);
		pos = pos->next;
		if (b->dirty) {
			if (may_write) {
				freed += write_and_free(b);
				pos = lru.next; /* the list changed while unlocked */
			}
			continue;
		}
		list_remove(&b->lru);
		list_remove(&b->hash);
		freed += b->size;
		free_buf(b);
	}
	return freed;
}

/* Makes room for `need` more bytes within the cache's budget. */
static void shrink(uint64_t need)
{
	spin_lock(&cache_lock);
	evict(limit_bytes > need ? limit_bytes - need : 0, true);
	spin_unlock(&cache_lock);
}

/* The shrinker (mm/reclaim.h): clean buffers in any context, dirty ones
 * written back first where the caller may sleep. */
static size_t bcache_scan(size_t pages, unsigned flags)
{
	uint64_t want = pages >= UINT64_MAX / PAGE_SIZE ? UINT64_MAX : (uint64_t)pages * PAGE_SIZE;
	uint64_t freed;
	if (!spin_lock_if(&cache_lock, flags & RECLAIM_SLEEP))
		return 0;
	freed = evict(cached_bytes > want ? cached_bytes - want : 0, flags & RECLAIM_SLEEP);
	spin_unlock(&cache_lock);
	return (size_t)((freed + PAGE_SIZE - 1) / PAGE_SIZE);
}

static struct shrinker bcache_shrinker = {.name = "bcache", .scan = bcache_scan};

void bcache_reclaim_init(void)
{
	shrinker_register(&bcache_shrinker);
}

static struct buf *new_buf(struct blkdev *d, uint64_t blockno, uint32_t size)
{
	struct buf *b = kmalloc_cache(sizeof(*b));
	char *data = kmalloc_cache(size);
	if (b)
		memset(b, 0, sizeof(*b));
	if (!b || !data) {
		kfree(b);
		kfree(data);
		return NULL;
	}
	b->dev = d;
	b->blockno = blockno;
	b->size = size;
	b->data = data;
	b->refcount = 1;
	mutex_init(&b->lock, "buf");
	list_init(&b->lru);
	return b;
}

/* The referenced buffer for a block, cached or new (then not valid). */
static int get_buf(struct blkdev *d, uint64_t blockno, uint32_t size, struct buf **out)
{
	if (size == 0 || size % SECTOR_SIZE || size > MAX_BLOCK)
		return -EINVAL;
	if ((blockno + 1) * (size / SECTOR_SIZE) > d->nsectors)
		return -EINVAL;
	spin_lock(&cache_lock);
	init_once();
	struct buf *b = lookup(d, blockno, size);
	spin_unlock(&cache_lock);
	if (!b) {
		shrink(size);
		struct buf *nb = new_buf(d, blockno, size);
		if (!nb)
			return -ENOMEM;
		spin_lock(&cache_lock);
		b = lookup(d, blockno, size); /* someone may have raced us */
		if (b) {
			spin_unlock(&cache_lock);
			kfree(nb->data);
			kfree(nb);
		} else {
			b = nb;
			list_push_back(bucket(d, blockno), &b->hash);
			cached_bytes += size;
			spin_unlock(&cache_lock);
		}
	}
	mutex_lock(&b->lock);
	*out = b;
	return 0;
}

int bread(struct blkdev *d, uint64_t blockno, uint32_t size, struct buf **out)
{
	struct buf *b;
	int r = get_buf(d, blockno, size, &b);
	if (r < 0)
		return r;
	if (!b->valid) {
		uint32_t n = size / SECTOR_SIZE;
		r = d->ops->read(d, blockno * n, b->data, n);
		if (r < 0) {
			brelse(b);
			return -EIO;
		}
		b->valid = true;
	}
	*out = b;
	return 0;
}

int bget_zeroed(struct blkdev *d, uint64_t blockno, uint32_t size, struct buf **out)
{
	struct buf *b;
	int r = get_buf(d, blockno, size, &b);
	if (r < 0)
		return r;
	if (!b->valid) {
		memset(b->data, 0, size);
		b->valid = true;
	}
	*out = b;
	return 0;
}

void bdirty(struct buf *b)
{
	b->dirty = true;
}

int bwrite(struct buf *b)
{
	return write_out(b);
}

void brelse(struct buf *b)
{
	if (b->dirty && b->dev->write_through) {
		write_out(b);
		b->dirty = false; /* never left for reclaim to write (blkdev.h) */
	}
	mutex_unlock(&b->lock);
	spin_lock(&cache_lock);
	if (--b->refcount == 0) {
		if (b->valid) {
			list_push_back(&lru, &b->lru);
		} else { /* a failed read: nothing worth keeping */
			list_remove(&b->hash);
			free_buf(b);
		}
	}
	spin_unlock(&cache_lock);
}

/* Takes a reference to the next dirty buffer of d (any disk if NULL). */
static struct buf *next_dirty(struct blkdev *d)
{
	for (int i = 0; i < HASH_SIZE; i++) {
		struct list *pos;
		list_for_each(pos, &hash_table[i])
		{
			struct buf *b = list_entry(pos, struct buf, hash);
			if (b->dirty && (!d || b->dev == d)) {
				if (b->refcount++ == 0)
					list_remove(&b->lru);
				return b;
			}
		}
	}
	return NULL;
}

static void flush_disk(struct blkdev *d, void *ctx)
{
	int *err = ctx;
	if (d->ops->flush && d->ops->flush(d) < 0)
		*err = -EIO;
}

int bcache_sync(struct blkdev *d)
{
	int err = 0;
	for (;;) {
		spin_lock(&cache_lock);
		init_once();
		struct buf *b = next_dirty(d);
		spin_unlock(&cache_lock);
		if (!b)
			break;
		mutex_lock(&b->lock);
		if (b->dirty && write_out(b) < 0) {
			b->dirty = false; /* reported; do not loop on a bad disk */
			err = -EIO;
		}
		brelse(b);
	}
	if (d)
		flush_disk(d, &err);
	else
		blkdev_for_each(flush_disk, &err);
	return err;
}

int bcache_drop(struct blkdev *d)
{
	int err = bcache_sync(d);
	spin_lock(&cache_lock);
	for (int i = 0; i < HASH_SIZE; i++) {
		struct list *pos, *tmp;
		list_for_each_safe(pos, tmp, &hash_table[i])
		{
			struct buf *b = list_entry(pos, struct buf, hash);
			if (b->dev != d)
				continue;
			if (b->refcount > 0) {
				err = -EBUSY;
				continue;
			}
			list_remove(&b->lru);
			list_remove(&b->hash);
			free_buf(b);
		}
	}
	spin_unlock(&cache_lock);
	return err;
}
