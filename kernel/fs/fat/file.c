/*
 * FAT file data: bytes at offset `off` of a file live in cluster number
 * off / cluster_size of its chain.  Reads stop at the file size; writes
 * grow the chain with zeroed clusters.  FAT has no holes, so a write or a
 * truncate past the end first fills the gap with zeros.  Files are at
 * most 4 GiB - 1 bytes (EFBIG).  The caller holds the filesystem lock.
 */
#include "fs/fat/fat.h"

/* Where byte pos of n is: sector number, and offset in it.  1: past the
 * chain's end (!grow). */
static int locate(struct fat_fs *fs, struct fat_node *n, uint64_t pos, bool grow, uint64_t *sec)
{
	uint32_t c;
	int err = fat_chain_at(fs, n, &n->first, (uint32_t)(pos >> fs->clus_shift), grow, &c);

	if (err)
		return err;
	*sec = fat_clus_sector(fs, c) + (pos & (fs->clus_size - 1)) / fs->sec_size;
	return 0;
}

ssize_t fat_file_read(struct fat_fs *fs, struct fat_node *n, struct iobuf *io, uint64_t off)
{
	size_t len, done = 0;
	int err = 0;

	if (off >= n->size)
		return 0;
	len = MIN(io->len, n->size - off);
	while (done < len) {
		uint64_t pos = off + done, sec;
		uint32_t boff = (uint32_t)(pos % fs->sec_size);
		size_t chunk = MIN(fs->sec_size - boff, len - done);
		struct buf *b;
		err = locate(fs, n, pos, false, &sec);
		if (err)
			break;
		err = bread(fs->dev, sec, fs->sec_size, &b);
		if (err < 0)
			break;
		err = iobuf_put(io, b->data + boff, chunk);
		brelse(b);
		if (err < 0)
			break;
		done += chunk;
	}
	if (err == 1)
		err = -EIO; /* chain shorter than the size */
	if (done)
		n->atime = vfs_now_ns();
	return done ? (ssize_t)done : err;
}

/* Writes len bytes at off from io, or zeros when io is NULL; returns the
 * count written or -errno.  Does not change the size. */
static ssize_t write_range(struct fat_fs *fs, struct fat_node *n, struct iobuf *io, uint64_t off,
                           size_t len)
{
	size_t done = 0;
	int err = 0;

	while (done < len) {
		uint64_t pos = off + done, sec;
		uint32_t boff = (uint32_t)(pos % fs->sec_size);
		size_t chunk = MIN(fs->sec_size - boff, len - done);
		struct buf *b;
		err = locate(fs, n, pos, true, &sec);
		if (err)
			break;
		if (chunk == fs->sec_size)
			err = bget_zeroed(fs->dev, sec, fs->sec_size, &b);
		else
			err = bread(fs->dev, sec, fs->sec_size, &b);
		if (err < 0)
			break;
		if (io)
			err = iobuf_get(io, b->data + boff, chunk);
		else
			memset(b->data + boff, 0, chunk);
		bdirty(b);
		brelse(b);
		if (err < 0)
			break;
		done += chunk;
	}
	return done ? (ssize_t)done : err;
}

/* Fills [size, to) with zeros; 0 or -errno. */
static int fill_gap(struct fat_fs *fs, struct fat_node *n, uint64_t to)
{
	while (n->size < to) {
		ssize_t r = write_range(fs, n, NULL, n->size, to - n->size);
		if (r < 0)
			return (int)r;
		n->size += (uint32_t)r;
	}
	return 0;
}

ssize_t fat_file_write(struct fat_fs *fs, struct fat_node *n, struct iobuf *io, uint64_t off)
{
	size_t len = io->len;
	ssize_t r;
	int err;

	if (len == 0)
		return 0;
	if (off >= FAT_MAX_FILE)
		return -EFBIG;
	len = MIN(len, FAT_MAX_FILE - off);
	err = fill_gap(fs, n, off);
	if (err < 0) {
		fat_node_sync(fs, n);
		return err;
	}
	r = write_range(fs, n, io, off, len);
	if (r > 0) {
		n->size = (uint32_t)MAX(n->size, off + (uint64_t)r);
		n->mtime = n->ctime = vfs_now_ns();
		n->attr |= ATTR_ARCHIVE;
	}
	err = fat_node_sync(fs, n);
	return r < 0 ? r : err < 0 ? err : r;
}

/* Keeps the first `keep` clusters of n's chain and frees the rest. */
static int shrink_chain(struct fat_fs *fs, struct fat_node *n, uint32_t keep)
{
	uint32_t last, next;
	int err;

	n->cache_clus = 0;
	if (keep == 0) {
		err = fat_free_chain(fs, n->first);
		n->first = 0;
		return err;
	}
	err = fat_chain_at(fs, NULL, &n->first, keep - 1, false, &last);
	if (err)
		return err == 1 ? 0 : err;
	err = fat_next(fs, last, &next);
	if (err < 0 || !next)
		return err;
	err = fat_set(fs, last, FAT_EOC);
	return err < 0 ? err : fat_free_chain(fs, next);
}

int fat_file_truncate(struct fat_fs *fs, struct fat_node *n, uint64_t size)
{
	int err;

	if (size > FAT_MAX_FILE)
		return -EFBIG;
	if (size > n->size) {
		err = fill_gap(fs, n, size);
	} else {
		uint64_t keep = (size + fs->clus_size - 1) >> fs->clus_shift;
		err = shrink_chain(fs, n, (uint32_t)keep);
		if (err == 0)
			n->size = (uint32_t)size;
	}
	n->mtime = n->ctime = vfs_now_ns();
	if (fat_node_sync(fs, n) < 0 && err == 0)
		err = -EIO;
	return err;
}
