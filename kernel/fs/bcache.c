/*
 * Block cache (see bcache.h): a hash table of buffers plus an LRU list of
 * the ones nobody holds.  One spinlock guards the table, the list and the
 * reference counts; each buffer's sleeping lock guards its data, so disk
 * I/O never happens under the spinlock.
 */
#include "fs/bcache.h"

#include "core/kernel.h"
#include "mm/kmalloc.h"

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

/* Evicts the oldest unreferenced buffers until the cache fits its budget
 * (plus `need`), writing modified ones back first. */
static void shrink(uint64_t need)
{
	spin_lock(&cache_lock);
	while (cached_bytes + need > limit_bytes && !list_empty(&lru)) {
		struct buf *b = list_first_entry(&lru, struct buf, lru);
		list_remove(&b->lru);
		if (b->dirty) {
			b->refcount++;
			spin_unlock(&cache_lock);
			mutex_lock(&b->lock);
			if (write_out(b) < 0)
				b->dirty = false; /* reported; dropping it is all we can do */
			mutex_unlock(&b->lock);
			spin_lock(&cache_lock);
			if (--b->refcount > 0 || b->dirty) {
				if (b->refcount == 0)
					list_push_back(&lru, &b->lru);
				continue; /* taken again meanwhile */
			}
		}
		list_remove(&b->hash);
		free_buf(b);
	}
	spin_unlock(&cache_lock);
}

static struct buf *new_buf(struct blkdev *d, uint64_t blockno, uint32_t size)
{
	struct buf *b = kzalloc(sizeof(*b));
	char *data = kmalloc(size);
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
