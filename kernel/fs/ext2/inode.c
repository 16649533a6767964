/*
 * ext2 disk inodes: where an inode lives in its group's inode table,
 * reading and writing its first 128 bytes (larger records keep their
 * extra bytes), and the attribute helpers (size, times, device numbers).
 */
#include "core/time.h"
#include "fs/ext2/ext2.h"

#define EXTRA_ISIZE 32 /* what mke2fs gives new inodes of 256-byte records */

/* Block and byte offset of inode ino's record. */
static int locate(struct ext2_fs *fs, uint32_t ino, uint32_t *block, uint32_t *off)
{
	uint32_t g, idx;
	uint64_t byte;

	if (ino == 0 || ino > fs->sb.s_inodes_count)
		return ext2_corrupt(fs, "inode number out of range", ino);
	g = (ino - 1) / fs->sb.s_inodes_per_group;
	idx = (ino - 1) % fs->sb.s_inodes_per_group;
	byte = (uint64_t)idx * fs->isize;
	*block = fs->groups[g].bg_inode_table + (uint32_t)(byte / fs->bsize);
	*off = (uint32_t)(byte % fs->bsize);
	return 0;
}

int ext2_inode_read(struct ext2_fs *fs, uint32_t ino, struct ext2_dinode *d)
{
	uint32_t block, off;
	struct buf *b;
	int err = locate(fs, ino, &block, &off);

	if (err < 0)
		return err;
	err = bread(fs->dev, block, fs->bsize, &b);
	if (err < 0)
		return err;
	memcpy(d, b->data + off, sizeof(*d));
	brelse(b);
	return 0;
}

int ext2_inode_write(struct ext2_inode *ip)
{
	struct ext2_fs *fs = ip->fs;
	uint32_t block, off;
	struct buf *b;
	int err = locate(fs, ip->ino, &block, &off);

	if (err < 0)
		return err;
	err = bread(fs->dev, block, fs->bsize, &b);
	if (err < 0)
		return err;
	memcpy(b->data + off, &ip->d, sizeof(ip->d));
	bdirty(b);
	brelse(b);
	ip->dirty = false;
	return 0;
}

int ext2_inode_init(struct ext2_fs *fs, uint32_t ino)
{
	uint32_t block, off;
	struct buf *b;
	int err = locate(fs, ino, &block, &off);

	if (err < 0)
		return err;
	err = bread(fs->dev, block, fs->bsize, &b);
	if (err < 0)
		return err;
	memset(b->data + off, 0, fs->isize);
	if (fs->isize > EXT2_GOOD_OLD_INODE_SIZE)
		*(uint16_t *)(b->data + off + EXT2_GOOD_OLD_INODE_SIZE) = EXTRA_ISIZE;
	bdirty(b);
	brelse(b);
	return 0;
}

uint64_t ext2_isize(const struct ext2_inode *ip)
{
	uint64_t size = ip->d.i_size;

	if (S_ISREG(ip->d.i_mode) && ip->fs->sb.s_rev_level > 0)
		size |= (uint64_t)ip->d.i_size_high << 32;
	return size;
}

void ext2_set_isize(struct ext2_inode *ip, uint64_t size)
{
	struct ext2_fs *fs = ip->fs;

	ip->d.i_size = (uint32_t)size;
	if (S_ISREG(ip->d.i_mode)) {
		ip->d.i_size_high = (uint32_t)(size >> 32);
		if (size >= (1ull << 31) &&
		    !(fs->sb.s_feature_ro_compat & EXT2_RO_COMPAT_LARGE_FILE)) {
			fs->sb.s_feature_ro_compat |= EXT2_RO_COMPAT_LARGE_FILE;
			fs->dirty = true;
		}
	}
	ip->dirty = true;
}

uint32_t ext2_now(void)
{
	return (uint32_t)(time_realtime_ns() / 1000000000);
}

void ext2_touch(struct ext2_inode *ip, bool mtime, bool ctime)
{
	uint32_t now = ext2_now();

	if (mtime)
		ip->d.i_mtime = now;
	if (ctime)
		ip->d.i_ctime = now;
	ip->dirty = true;
}

/* Old encoding in i_block[0]: 8-bit major and minor.  New one in
 * i_block[1]: minor low byte, 12-bit major, then the minor's high bits. */
uint64_t ext2_rdev(const struct ext2_inode *ip)
{
	uint32_t old = ip->d.i_block[0], neu = ip->d.i_block[1];

	if (old)
		return MKDEV((old >> 8) & 0xff, old & 0xff);
	return MKDEV((neu >> 8) & 0xfff, (neu & 0xff) | ((neu >> 12) & 0xfff00));
}

void ext2_set_rdev(struct ext2_inode *ip, uint64_t rdev)
{
	unsigned ma = MAJOR(rdev), mi = MINOR(rdev);

	if (ma < 256 && mi < 256) {
		ip->d.i_block[0] = (ma << 8) | mi;
		ip->d.i_block[1] = 0;
	} else {
		ip->d.i_block[0] = 0;
		ip->d.i_block[1] = (mi & 0xff) | ((ma & 0xfff) << 8) | ((mi & ~0xffu) << 12);
	}
	ip->dirty = true;
}
