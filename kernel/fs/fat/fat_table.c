/*
 * The file allocation table: one 32-bit entry per cluster (28 bits used)
 * naming the next cluster of a file, FAT_EOC at the end of a chain, 0 for
 * a free cluster.  Reads use the active copy; writes go to every copy
 * (all of them unless mirroring is off), so the copies stay identical.
 *
 * Every entry read is checked: a chain must only name data clusters and
 * end within nclusters steps, or the operation fails with -EIO.
 */
#include "fs/fat/fat.h"

static int entry_buf(struct fat_fs *fs, uint32_t copy, uint32_t c, struct buf **b, uint32_t *off)
{
	uint64_t byte = (uint64_t)c * 4;
	uint64_t sec = fs->fat_start + (uint64_t)copy * fs->fat_secs + byte / fs->sec_size;

	*off = (uint32_t)(byte % fs->sec_size);
	return bread(fs->dev, sec, fs->sec_size, b);
}

int fat_get(struct fat_fs *fs, uint32_t c, uint32_t *val)
{
	struct buf *b;
	uint32_t off, v;
	int err;

	if (c - FAT_FIRST >= fs->nclusters && c >= FAT_FIRST)
		return -EIO;
	err = entry_buf(fs, fs->active_fat, c, &b, &off);
	if (err < 0)
		return err;
	memcpy(&v, b->data + off, 4);
	brelse(b);
	*val = v & FAT_MASK;
	return 0;
}

int fat_set(struct fat_fs *fs, uint32_t c, uint32_t val)
{
	uint32_t first = fs->nfats == 1 ? fs->active_fat : 0;
	uint32_t last = fs->nfats == 1 ? fs->active_fat : fs->nfats - 1;

	if (!fat_valid_cluster(fs, c))
		return -EIO;
	for (uint32_t copy = first; copy <= last; copy++) {
		struct buf *b;
		uint32_t off, v;
		int err = entry_buf(fs, copy, c, &b, &off);
		if (err < 0)
			return err;
		memcpy(&v, b->data + off, 4);
		v = (v & ~FAT_MASK) | (val & FAT_MASK);
		memcpy(b->data + off, &v, 4);
		bdirty(b);
		brelse(b);
	}
	return 0;
}

int fat_next(struct fat_fs *fs, uint32_t c, uint32_t *next)
{
	uint32_t v;
	int err;

	if (!fat_valid_cluster(fs, c))
		return -EIO;
	err = fat_get(fs, c, &v);
	if (err < 0)
		return err;
	if (v >= FAT_EOC_MIN) {
		*next = 0;
		return 0;
	}
	if (!fat_valid_cluster(fs, v))
		return -EIO; /* free, reserved, bad or out of range */
	*next = v;
	return 0;
}

int fat_zero_cluster(struct fat_fs *fs, uint32_t c)
{
	uint64_t sec = fat_clus_sector(fs, c);

	for (uint32_t i = 0; i < fs->sec_per_clus; i++) {
		struct buf *b;
		int err = bget_zeroed(fs->dev, sec + i, fs->sec_size, &b);
		if (err < 0)
			return err;
		memset(b->data, 0, fs->sec_size);
		bdirty(b);
		brelse(b);
	}
	return 0;
}

/* The first free cluster from the hint on, wrapping around. */
static int find_free(struct fat_fs *fs, uint32_t *out)
{
	uint32_t start = fs->next_free;

	if (!fat_valid_cluster(fs, start))
		start = FAT_FIRST;
	for (uint32_t i = 0; i < fs->nclusters; i++) {
		uint32_t c = FAT_FIRST + (start - FAT_FIRST + i) % fs->nclusters, v;
		int err = fat_get(fs, c, &v);
		if (err < 0)
			return err;
		if (v == FAT_FREE) {
			*out = c;
			return 0;
		}
	}
	return -ENOSPC;
}

int fat_alloc(struct fat_fs *fs, uint32_t prev, uint32_t *out)
{
	uint32_t c = 0;
	int err;

	if (fs->free_count == 0)
		return -ENOSPC;
	err = find_free(fs, &c);
	if (err == 0)
		err = fat_zero_cluster(fs, c);
	if (err == 0)
		err = fat_set(fs, c, FAT_EOC);
	if (err < 0)
		return err;
	if (prev && (err = fat_set(fs, prev, c)) < 0) {
		fat_set(fs, c, FAT_FREE);
		return err;
	}
	fs->free_count--;
	fs->next_free = c + 1;
	fs->fsinfo_dirty = true;
	*out = c;
	return 0;
}

int fat_free_chain(struct fat_fs *fs, uint32_t c)
{
	for (uint32_t steps = 0; c; steps++) {
		uint32_t next;
		int err;
		if (steps >= fs->nclusters)
			return -EIO;
		err = fat_next(fs, c, &next);
		if (err < 0)
			return err;
		err = fat_set(fs, c, FAT_FREE);
		if (err < 0)
			return err;
		fs->free_count++;
		fs->fsinfo_dirty = true;
		if (c < fs->next_free)
			fs->next_free = c;
		c = next;
	}
	return 0;
}

int fat_count_free(struct fat_fs *fs, uint32_t *out)
{
	uint32_t per_sec = fs->sec_size / 4, count = 0;
	uint64_t last = (uint64_t)fs->nclusters + FAT_FIRST;

	for (uint64_t c = 0; c < last; c += per_sec) {
		struct buf *b;
		uint64_t sec =
		    fs->fat_start + (uint64_t)fs->active_fat * fs->fat_secs + c / per_sec;
		int err = bread(fs->dev, sec, fs->sec_size, &b);
		if (err < 0)
			return err;
		for (uint32_t i = 0; i < per_sec && c + i < last; i++) {
			uint32_t v;
			memcpy(&v, b->data + i * 4, 4);
			if (c + i >= FAT_FIRST && (v & FAT_MASK) == FAT_FREE)
				count++;
		}
		brelse(b);
	}
	*out = count;
	return 0;
}

int fat_chain_len(struct fat_fs *fs, uint32_t first, uint32_t *out)
{
	uint32_t n = 0;

	for (uint32_t c = first; c; n++) {
		int err;
		if (n >= fs->nclusters)
			return -EIO;
		err = fat_next(fs, c, &c);
		if (err < 0)
			return err;
	}
	*out = n;
	return 0;
}

/* One step of fat_chain_at: the cluster after c, allocated if needed. */
static int step(struct fat_fs *fs, uint32_t c, bool grow, uint32_t *next)
{
	int err = fat_next(fs, c, next);

	if (err < 0 || *next)
		return err;
	if (!grow)
		return 1;
	return fat_alloc(fs, c, next);
}

int fat_chain_at(struct fat_fs *fs, struct fat_node *n, uint32_t *first, uint32_t idx, bool grow,
                 uint32_t *out)
{
	uint32_t c = *first, i = 0;
	int err;

	if (idx >= fs->nclusters)
		return grow ? -ENOSPC : 1;
	if (!c) {
		if (!grow)
			return 1;
		err = fat_alloc(fs, 0, &c);
		if (err < 0)
			return err;
		*first = c;
	}
	if (!fat_valid_cluster(fs, c))
		return -EIO;
	if (n && n->cache_clus && n->cache_idx <= idx) {
		c = n->cache_clus;
		i = n->cache_idx;
	}
	for (; i < idx; i++) {
		err = step(fs, c, grow, &c);
		if (err)
			return err;
	}
	if (n) {
		n->cache_idx = idx;
		n->cache_clus = c;
	}
	*out = c;
	return 0;
}
