/*
 * ext2 file contents and attributes: read, write, truncate, getattr,
 * setattr, readlink and readdir.  Data moves block by block through the
 * block cache; holes read as zeros; a write allocates the blocks it
 * touches (and the indirect blocks above them).
 */
#include "fs/ext2/ext2.h"

#define MAX_BSIZE 4096
#define NS        1000000000LL

static const char zeros[MAX_BSIZE];

/* Largest file size this filesystem can hold. */
static uint64_t max_size(struct ext2_fs *fs)
{
	uint64_t lim = ext2_max_blocks(fs) * fs->bsize;

	if (fs->sb.s_rev_level == 0)
		return MIN(lim, (1ull << 31) - 1);
	return MIN(lim, 1ull << 40);
}

ssize_t ext2_read_locked(struct ext2_inode *ip, struct iobuf *io, uint64_t off)
{
	struct ext2_fs *fs = ip->fs;
	uint64_t size = ext2_isize(ip);
	size_t n, done = 0;
	int err = 0;

	if (off >= size)
		return 0;
	n = (size_t)MIN((uint64_t)io->len, size - off);
	while (done < n) {
		uint64_t pos = off + done;
		uint32_t boff = pos % fs->bsize, blk;
		size_t chunk = MIN(fs->bsize - boff, n - done);
		struct buf *b = NULL;
		err = ext2_bmap(ip, pos / fs->bsize, false, &blk, NULL);
		if (err == 0 && blk)
			err = bread(fs->dev, blk, fs->bsize, &b);
		if (err < 0)
			break;
		err = iobuf_put(io, b ? b->data + boff : zeros, chunk);
		if (b)
			brelse(b);
		if (err < 0)
			break;
		done += chunk;
	}
	return done ? (ssize_t)done : err;
}

/* Copies one chunk into file block lblk at byte boff. */
static int write_chunk(struct ext2_inode *ip, struct iobuf *io, uint64_t lblk, uint32_t boff,
                       size_t chunk)
{
	struct ext2_fs *fs = ip->fs;
	bool fresh, whole = chunk == fs->bsize;
	uint32_t blk;
	struct buf *b;
	int err = ext2_bmap(ip, lblk, true, &blk, &fresh);

	if (err < 0)
		return err;
	if (fresh || whole)
		err = bget_zeroed(fs->dev, blk, fs->bsize, &b);
	else
		err = bread(fs->dev, blk, fs->bsize, &b);
	if (err < 0)
		return err;
	if (fresh && !whole)
		memset(b->data, 0, fs->bsize);
	err = iobuf_get(io, b->data + boff, chunk);
	if (err < 0 && fresh)
		memset(b->data, 0, fs->bsize);
	bdirty(b);
	brelse(b);
	return err;
}

ssize_t ext2_write_locked(struct ext2_inode *ip, struct iobuf *io, uint64_t off)
{
	struct ext2_fs *fs = ip->fs;
	size_t n = io->len, done = 0;
	int err = 0;

	if (n == 0)
		return 0;
	if (off >= max_size(fs) || n > max_size(fs) - off)
		return -EFBIG;
	while (done < n) {
		uint64_t pos = off + done;
		uint32_t boff = pos % fs->bsize;
		size_t chunk = MIN(fs->bsize - boff, n - done);
		err = write_chunk(ip, io, pos / fs->bsize, boff, chunk);
		if (err < 0)
			break;
		done += chunk;
	}
	if (done) {
		if (off + done > ext2_isize(ip))
			ext2_set_isize(ip, off + done);
		ext2_touch(ip, true, true);
	}
	return done ? (ssize_t)done : err;
}

int ext2_kread(struct ext2_inode *ip, void *buf, size_t n, uint64_t off)
{
	struct iobuf io = iobuf_kernel(buf, n);
	ssize_t r = ext2_read_locked(ip, &io, off);

	return r < 0 ? (int)r : (r == (ssize_t)n ? 0 : -EIO);
}

int ext2_kwrite(struct ext2_inode *ip, const void *buf, size_t n, uint64_t off)
{
	struct iobuf io = iobuf_kernel((void *)buf, n);
	ssize_t r = ext2_write_locked(ip, &io, off);

	return r < 0 ? (int)r : (r == (ssize_t)n ? 0 : -EIO);
}

/* Zeroes the end of the block holding byte `size`, so that growing the
 * file again reads zeros there. */
static int zero_tail(struct ext2_inode *ip, uint64_t size)
{
	struct ext2_fs *fs = ip->fs;
	uint32_t boff = size % fs->bsize, blk;
	struct buf *b;
	int err;

	if (!boff)
		return 0;
	err = ext2_bmap(ip, size / fs->bsize, false, &blk, NULL);
	if (err < 0 || !blk)
		return err;
	err = bread(fs->dev, blk, fs->bsize, &b);
	if (err < 0)
		return err;
	memset(b->data + boff, 0, fs->bsize - boff);
	bdirty(b);
	brelse(b);
	return 0;
}

int ext2_truncate_locked(struct ext2_inode *ip, uint64_t size)
{
	struct ext2_fs *fs = ip->fs;
	uint64_t old = ext2_isize(ip);
	int err = 0;

	if (size > max_size(fs))
		return -EFBIG;
	if (size < old) {
		err = ext2_free_from(ip, (size + fs->bsize - 1) / fs->bsize);
		if (err == 0)
			err = zero_tail(ip, size);
	}
	ext2_set_isize(ip, size);
	ext2_touch(ip, true, true);
	return err;
}

ssize_t ext2_read(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	struct ext2_fs *fs = EXT2_FS(vn);
	ssize_t n;

	if (S_ISDIR(vn->mode))
		return -EISDIR;
	if (!S_ISREG(vn->mode))
		return -EINVAL;
	mutex_lock(&fs->lock);
	n = ext2_read_locked(vn->priv, io, off);
	mutex_unlock(&fs->lock);
	return n;
}

ssize_t ext2_write(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	struct ext2_fs *fs = EXT2_FS(vn);
	ssize_t n;

	if (S_ISDIR(vn->mode))
		return -EISDIR;
	if (!S_ISREG(vn->mode))
		return -EINVAL;
	if (fs->rdonly)
		return -EROFS;
	mutex_lock(&fs->lock);
	n = ext2_write_locked(vn->priv, io, off);
	mutex_unlock(&fs->lock);
	return n;
}

int ext2_truncate(struct vnode *vn, uint64_t size)
{
	struct ext2_fs *fs = EXT2_FS(vn);
	int err;

	if (S_ISDIR(vn->mode))
		return -EISDIR;
	if (!S_ISREG(vn->mode))
		return -EINVAL;
	if (fs->rdonly)
		return -EROFS;
	mutex_lock(&fs->lock);
	err = ext2_truncate_locked(vn->priv, size);
	mutex_unlock(&fs->lock);
	return err;
}

int ext2_getattr(struct vnode *vn, struct vattr *va)
{
	struct ext2_fs *fs = EXT2_FS(vn);
	struct ext2_inode *ip = vn->priv;
	struct ext2_dinode *d = &ip->d;

	mutex_lock(&fs->lock);
	va->dev = vn->sb->dev;
	va->ino = ip->ino;
	va->mode = d->i_mode;
	va->nlink = d->i_links_count;
	va->uid = d->i_uid | ((uint32_t)d->i_uid_high << 16);
	va->gid = d->i_gid | ((uint32_t)d->i_gid_high << 16);
	va->rdev = (S_ISCHR(d->i_mode) || S_ISBLK(d->i_mode)) ? ext2_rdev(ip) : 0;
	va->size = ext2_isize(ip);
	va->blocks = d->i_blocks;
	va->atime_ns = (int64_t)d->i_atime * NS;
	va->mtime_ns = (int64_t)d->i_mtime * NS;
	va->ctime_ns = (int64_t)d->i_ctime * NS;
	mutex_unlock(&fs->lock);
	return 0;
}

int ext2_setattr(struct vnode *vn, const struct vattr *va, unsigned mask)
{
	struct ext2_fs *fs = EXT2_FS(vn);
	struct ext2_inode *ip = vn->priv;
	struct ext2_dinode *d = &ip->d;

	if (fs->rdonly)
		return -EROFS;
	mutex_lock(&fs->lock);
	if (mask & VATTR_MODE) {
		d->i_mode = (uint16_t)((d->i_mode & S_IFMT) | (va->mode & 07777));
		vn->mode = d->i_mode;
	}
	if (mask & VATTR_UID) {
		d->i_uid = (uint16_t)va->uid;
		d->i_uid_high = (uint16_t)(va->uid >> 16);
	}
	if (mask & VATTR_GID) {
		d->i_gid = (uint16_t)va->gid;
		d->i_gid_high = (uint16_t)(va->gid >> 16);
	}
	if (mask & VATTR_ATIME)
		d->i_atime = (uint32_t)(va->atime_ns / NS);
	if (mask & VATTR_MTIME)
		d->i_mtime = (uint32_t)(va->mtime_ns / NS);
	ext2_touch(ip, false, true);
	mutex_unlock(&fs->lock);
	return 0;
}

int ext2_readlink(struct vnode *vn, char *buf, size_t n)
{
	struct ext2_fs *fs = EXT2_FS(vn);
	struct ext2_inode *ip = vn->priv;
	uint64_t size;
	int err = 0;

	if (!S_ISLNK(vn->mode))
		return -EINVAL;
	mutex_lock(&fs->lock);
	size = ext2_isize(ip);
	n = (size_t)MIN((uint64_t)n, size);
	if (size >= fs->bsize || (ext2_fast_symlink(ip) && size >= EXT2_FAST_SYMLINK_MAX))
		err = ext2_corrupt(fs, "bad symlink size in inode", ip->ino);
	else if (ext2_fast_symlink(ip))
		memcpy(buf, ip->d.i_block, n);
	else
		err = ext2_kread(ip, buf, n, 0);
	mutex_unlock(&fs->lock);
	return err < 0 ? err : (int)n;
}

struct readdir_ctx {
	struct ext2_fs *fs;
	vfs_filldir_fn fill;
	void *ctx;
	uint64_t *cookie;
};

static int emit(void *c, struct ext2_dirent *de, uint64_t off)
{
	struct readdir_ctx *x = c;

	if (de->inode && x->fill(x->ctx, de->name, ext2_name_len(x->fs, de), de->inode,
	                         ext2_dtype(de, x->fs->filetype)))
		return 1;
	*x->cookie = off + de->rec_len;
	return 0;
}

int ext2_readdir(struct vnode *dir, uint64_t *cookie, vfs_filldir_fn fill, void *ctx)
{
	struct ext2_fs *fs = EXT2_FS(dir);
	struct readdir_ctx x = {.fs = fs, .fill = fill, .ctx = ctx, .cookie = cookie};
	int err;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	mutex_lock(&fs->lock);
	err = ext2_dir_iterate(dir->priv, *cookie, emit, &x);
	mutex_unlock(&fs->lock);
	return err;
}
