/*
 * ext2 block and inode bitmaps: allocation and freeing, keeping the free
 * counts of the group descriptors and of the superblock (and the used
 * directory count) in step with the bitmaps.
 *
 * Blocks are taken near a goal (the file's last block), so a file grows
 * contiguously; inodes of files go to their parent's group, directories to
 * the group with the most free inodes.  A bitmap that claims a metadata
 * block is free, or a block freed twice, is reported as corruption.
 */
#include "fs/ext2/ext2.h"

static uint32_t group_blocks(struct ext2_fs *fs, uint32_t g)
{
	uint32_t start = fs->sb.s_first_data_block + g * fs->sb.s_blocks_per_group;

	return MIN(fs->sb.s_blocks_per_group, fs->sb.s_blocks_count - start);
}

bool ext2_block_ok(struct ext2_fs *fs, uint32_t b)
{
	uint32_t itable = (fs->sb.s_inodes_per_group * fs->isize + fs->bsize - 1) / fs->bsize;
	struct ext2_group *gd;

	if (b < fs->sb.s_first_data_block || b >= fs->sb.s_blocks_count)
		return false;
	gd = &fs->groups[(b - fs->sb.s_first_data_block) / fs->sb.s_blocks_per_group];
	if (b == gd->bg_block_bitmap || b == gd->bg_inode_bitmap)
		return false;
	return b < gd->bg_inode_table || b >= gd->bg_inode_table + itable;
}

/* First clear bit in [from, n) of a bitmap, or -1. */
static int64_t find_zero(const uint8_t *map, uint32_t from, uint32_t n)
{
	uint32_t i = from;

	while (i < n) {
		if ((i & 7) == 0 && map[i >> 3] == 0xff) {
			i += 8;
			continue;
		}
		if (!(map[i >> 3] & (1u << (i & 7))))
			return i;
		i++;
	}
	return -1;
}

/* Takes the first free block at or after bit `from` of group g. */
static int take_block(struct ext2_fs *fs, uint32_t g, uint32_t from, uint32_t *out)
{
	struct ext2_group *gd = &fs->groups[g];
	struct buf *b;
	int64_t bit;
	int err = bread(fs->dev, gd->bg_block_bitmap, fs->bsize, &b);

	if (err < 0)
		return err;
	bit = find_zero((uint8_t *)b->data, from, group_blocks(fs, g));
	if (bit < 0) {
		brelse(b);
		return -ENOSPC;
	}
	uint32_t block = fs->sb.s_first_data_block + g * fs->sb.s_blocks_per_group + (uint32_t)bit;
	if (!ext2_block_ok(fs, block)) {
		brelse(b);
		return ext2_corrupt(fs, "block bitmap marks metadata free", block);
	}
	b->data[bit >> 3] |= (char)(1u << (bit & 7));
	bdirty(b);
	brelse(b);
	gd->bg_free_blocks_count--;
	fs->sb.s_free_blocks_count--;
	fs->dirty = true;
	*out = block;
	return 0;
}

int ext2_balloc(struct ext2_fs *fs, uint32_t goal, uint32_t *out)
{
	uint32_t g0, from;

	if (fs->sb.s_free_blocks_count == 0)
		return -ENOSPC;
	if (goal < fs->sb.s_first_data_block || goal >= fs->sb.s_blocks_count)
		goal = fs->sb.s_first_data_block;
	g0 = (goal - fs->sb.s_first_data_block) / fs->sb.s_blocks_per_group;
	from = (goal - fs->sb.s_first_data_block) % fs->sb.s_blocks_per_group;
	for (uint32_t i = 0; i <= fs->ngroups; i++) {
		uint32_t g = (g0 + i) % fs->ngroups;
		if (fs->groups[g].bg_free_blocks_count == 0)
			continue;
		int err = take_block(fs, g, i == 0 ? from : 0, out);
		if (err != -ENOSPC)
			return err;
	}
	return -ENOSPC;
}

int ext2_bfree(struct ext2_fs *fs, uint32_t block)
{
	uint32_t g, bit;
	struct buf *b;
	int err;

	if (!ext2_block_ok(fs, block))
		return ext2_corrupt(fs, "freeing a bad block number", block);
	g = (block - fs->sb.s_first_data_block) / fs->sb.s_blocks_per_group;
	bit = (block - fs->sb.s_first_data_block) % fs->sb.s_blocks_per_group;
	err = bread(fs->dev, fs->groups[g].bg_block_bitmap, fs->bsize, &b);
	if (err < 0)
		return err;
	if (!(b->data[bit >> 3] & (1u << (bit & 7)))) {
		brelse(b);
		return ext2_corrupt(fs, "freeing a free block", block);
	}
	b->data[bit >> 3] &= (char)~(1u << (bit & 7));
	bdirty(b);
	brelse(b);
	fs->groups[g].bg_free_blocks_count++;
	fs->sb.s_free_blocks_count++;
	fs->dirty = true;
	return 0;
}

/* The group a new inode should go to, or -ENOSPC. */
static int64_t pick_group(struct ext2_fs *fs, uint32_t parent, bool dir)
{
	uint32_t pg = parent ? (parent - 1) / fs->sb.s_inodes_per_group : 0;
	int64_t best = -1;

	if (!dir) {
		for (uint32_t i = 0; i < fs->ngroups; i++) {
			uint32_t g = (pg + i) % fs->ngroups;
			if (fs->groups[g].bg_free_inodes_count)
				return g;
		}
		return -ENOSPC;
	}
	for (uint32_t g = 0; g < fs->ngroups; g++) {
		uint32_t f = fs->groups[g].bg_free_inodes_count;
		if (f && (best < 0 || f > fs->groups[best].bg_free_inodes_count))
			best = g;
	}
	return best < 0 ? -ENOSPC : best;
}

static int take_inode(struct ext2_fs *fs, uint32_t g, bool dir, uint32_t *out)
{
	struct ext2_group *gd = &fs->groups[g];
	uint32_t ipg = fs->sb.s_inodes_per_group, from = 0;
	struct buf *b;
	int64_t bit;
	int err = bread(fs->dev, gd->bg_inode_bitmap, fs->bsize, &b);

	if (err < 0)
		return err;
	if (g * ipg < fs->first_ino - 1)
		from = MIN(fs->first_ino - 1 - g * ipg, ipg);
	bit = find_zero((uint8_t *)b->data, from, ipg);
	if (bit < 0) {
		brelse(b);
		return ext2_corrupt(fs, "inode bitmap full but group has free inodes", g);
	}
	b->data[bit >> 3] |= (char)(1u << (bit & 7));
	bdirty(b);
	brelse(b);
	gd->bg_free_inodes_count--;
	fs->sb.s_free_inodes_count--;
	if (dir)
		gd->bg_used_dirs_count++;
	fs->dirty = true;
	*out = g * ipg + (uint32_t)bit + 1;
	return 0;
}

int ext2_ialloc(struct ext2_fs *fs, uint32_t parent, bool dir, uint32_t *out)
{
	int64_t g;
	int err;

	if (fs->sb.s_free_inodes_count == 0)
		return -ENOSPC;
	g = pick_group(fs, parent, dir);
	if (g < 0)
		return (int)g;
	err = take_inode(fs, (uint32_t)g, dir, out);
	if (err == 0)
		err = ext2_inode_init(fs, *out);
	return err;
}

int ext2_ifree(struct ext2_fs *fs, uint32_t ino, bool dir)
{
	uint32_t g = (ino - 1) / fs->sb.s_inodes_per_group;
	uint32_t bit = (ino - 1) % fs->sb.s_inodes_per_group;
	struct buf *b;
	int err;

	if (ino < fs->first_ino || ino > fs->sb.s_inodes_count)
		return ext2_corrupt(fs, "freeing a reserved inode", ino);
	err = bread(fs->dev, fs->groups[g].bg_inode_bitmap, fs->bsize, &b);
	if (err < 0)
		return err;
	if (!(b->data[bit >> 3] & (1u << (bit & 7)))) {
		brelse(b);
		return ext2_corrupt(fs, "freeing a free inode", ino);
	}
	b->data[bit >> 3] &= (char)~(1u << (bit & 7));
	bdirty(b);
	brelse(b);
	fs->groups[g].bg_free_inodes_count++;
	fs->sb.s_free_inodes_count++;
	if (dir && fs->groups[g].bg_used_dirs_count)
		fs->groups[g].bg_used_dirs_count--;
	fs->dirty = true;
	return 0;
}
