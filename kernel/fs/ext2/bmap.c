/*
 * ext2 block maps: the 12 direct pointers of an inode, then one single,
 * one double and one triple indirect block.  ext2_bmap finds (and, when
 * asked, allocates) the disk block of a file block; ext2_free_from frees
 * the blocks at and past a file block, including indirect blocks that no
 * longer map anything.  Every block number read from disk is checked
 * before use: a bad one makes the operation fail with EIO.
 */
#include "fs/ext2/ext2.h"

#define MAX_DEPTH 3

uint64_t ext2_max_blocks(struct ext2_fs *fs)
{
	uint64_t p = fs->ptrs;

	return EXT2_NDIR + p + p * p + p * p * p;
}

/* Splits lblk into the i_block slot and the indices inside each indirect
 * level; returns the depth (0: direct) or -EFBIG. */
static int split(struct ext2_fs *fs, uint64_t lblk, uint32_t idx[MAX_DEPTH + 1])
{
	uint64_t p = fs->ptrs, span = 1;

	if (lblk < EXT2_NDIR) {
		idx[0] = (uint32_t)lblk;
		return 0;
	}
	lblk -= EXT2_NDIR;
	for (int depth = 1; depth <= MAX_DEPTH; depth++) {
		span *= p;
		if (lblk < span) {
			idx[0] = EXT2_NDIR + depth - 1;
			for (int l = depth; l >= 1; l--) {
				idx[l] = (uint32_t)(lblk % p);
				lblk /= p;
			}
			return depth;
		}
		lblk -= span;
	}
	return -EFBIG;
}

/* A new block for ip; zero-filled on disk when it will hold pointers. */
static int alloc_block(struct ext2_inode *ip, bool zero, uint32_t *out)
{
	struct ext2_fs *fs = ip->fs;
	uint32_t goal = ip->last_alloc ? ip->last_alloc + 1 : 0;
	struct buf *b;
	int err;

	if (!goal) {
		uint32_t g = (ip->ino - 1) / fs->sb.s_inodes_per_group;
		goal = fs->sb.s_first_data_block + g * fs->sb.s_blocks_per_group;
	}
	err = ext2_balloc(fs, goal, out);
	if (err < 0)
		return err;
	ip->last_alloc = *out;
	ip->d.i_blocks += fs->bsize / 512;
	ip->dirty = true;
	if (!zero)
		return 0;
	err = bget_zeroed(fs->dev, *out, fs->bsize, &b);
	if (err < 0)
		return err;
	memset(b->data, 0, fs->bsize);
	bdirty(b);
	brelse(b);
	return 0;
}

/* Fills *slot if empty (allocating when asked); checks it otherwise. */
static int step(struct ext2_inode *ip, uint32_t *slot, bool alloc, bool ptrs, bool *made)
{
	*made = false;
	if (*slot) {
		if (!ext2_block_ok(ip->fs, *slot))
			return ext2_corrupt(ip->fs, "bad block number in inode", ip->ino);
		return 0;
	}
	if (!alloc)
		return 0;
	*made = true;
	return alloc_block(ip, ptrs, slot);
}

bool ext2_fast_symlink(const struct ext2_inode *ip)
{
	uint32_t acl = ip->d.i_file_acl ? ip->fs->bsize / 512 : 0;

	return S_ISLNK(ip->d.i_mode) && ip->d.i_blocks <= acl;
}

bool ext2_maps_blocks(const struct ext2_inode *ip)
{
	uint16_t mode = ip->d.i_mode;

	if (S_ISLNK(mode))
		return !ext2_fast_symlink(ip);
	return S_ISREG(mode) || S_ISDIR(mode);
}

int ext2_bmap(struct ext2_inode *ip, uint64_t lblk, bool alloc, uint32_t *out, bool *fresh)
{
	struct ext2_fs *fs = ip->fs;
	uint32_t idx[MAX_DEPTH + 1], blk;
	int depth = split(fs, lblk, idx);
	bool made;
	int err;

	*out = 0;
	if (fresh)
		*fresh = false;
	/* (not ext2_maps_blocks: a slow symlink's target is written through
	 * here while its i_blocks still says fast) */
	if (!S_ISREG(ip->d.i_mode) && !S_ISDIR(ip->d.i_mode) && !S_ISLNK(ip->d.i_mode))
		return -EINVAL;
	if (depth < 0)
		return depth;
	err = step(ip, &ip->d.i_block[idx[0]], alloc, depth > 0, &made);
	if (made)
		ip->dirty = true;
	blk = ip->d.i_block[idx[0]];
	for (int l = 1; err == 0 && blk && l <= depth; l++) {
		struct buf *b;
		err = bread(fs->dev, blk, fs->bsize, &b);
		if (err < 0)
			break;
		uint32_t *p = (uint32_t *)b->data;
		err = step(ip, &p[idx[l]], alloc, l < depth, &made);
		if (made && err == 0)
			bdirty(b);
		blk = p[idx[l]];
		brelse(b);
	}
	if (err < 0)
		return err;
	*out = blk;
	if (fresh)
		*fresh = made;
	return 0;
}

static void put_block(struct ext2_inode *ip, uint32_t blk)
{
	if (ext2_bfree(ip->fs, blk) == 0 && ip->d.i_blocks >= ip->fs->bsize / 512)
		ip->d.i_blocks -= ip->fs->bsize / 512;
	ip->dirty = true;
}

/* Frees blk and, when level > 0, everything it points to. */
static void free_tree(struct ext2_inode *ip, uint32_t blk, int level)
{
	struct ext2_fs *fs = ip->fs;
	struct buf *b;

	if (!ext2_block_ok(fs, blk)) {
		ext2_corrupt(fs, "bad block number in inode", ip->ino);
		return;
	}
	if (level > 0 && bread(fs->dev, blk, fs->bsize, &b) == 0) {
		uint32_t *p = (uint32_t *)b->data;
		for (uint32_t i = 0; i < fs->ptrs; i++) {
			if (p[i])
				free_tree(ip, p[i], level - 1);
		}
		brelse(b);
	}
	put_block(ip, blk);
}

/* Frees what indirect block blk (of the given level) maps at or past
 * relative file block keep. */
static void trim_tree(struct ext2_inode *ip, uint32_t blk, int level, uint64_t keep)
{
	struct ext2_fs *fs = ip->fs;
	uint64_t cspan = 1;
	struct buf *b;

	for (int l = 1; l < level; l++)
		cspan *= fs->ptrs;
	if (!ext2_block_ok(fs, blk) || bread(fs->dev, blk, fs->bsize, &b) < 0) {
		ext2_corrupt(fs, "bad block number in inode", ip->ino);
		return;
	}
	uint32_t *p = (uint32_t *)b->data;
	for (uint64_t i = keep / cspan; i < fs->ptrs; i++) {
		uint64_t first = i * cspan;
		if (!p[i])
			continue;
		if (first >= keep) {
			free_tree(ip, p[i], level - 1);
			p[i] = 0;
			bdirty(b);
		} else if (level > 1) {
			trim_tree(ip, p[i], level - 1, keep - first);
		}
	}
	brelse(b);
}

int ext2_free_from(struct ext2_inode *ip, uint64_t keep)
{
	uint32_t *ib = ip->d.i_block;
	uint64_t base = EXT2_NDIR, span = 1;

	/* A device number, or a fast symlink's target, is not a block list. */
	if (!ext2_maps_blocks(ip))
		return 0;
	for (uint64_t i = keep; i < EXT2_NDIR; i++) {
		if (ib[i]) {
			put_block(ip, ib[i]);
			ib[i] = 0;
		}
	}
	for (int level = 1; level <= MAX_DEPTH; level++) {
		uint32_t *slot = &ib[EXT2_NDIR + level - 1];
		span *= ip->fs->ptrs;
		if (*slot && keep <= base) {
			free_tree(ip, *slot, level);
			*slot = 0;
		} else if (*slot && keep < base + span) {
			trim_tree(ip, *slot, level, keep - base);
		}
		base += span;
	}
	ip->last_alloc = 0;
	ip->dirty = true;
	return 0;
}
