/*
 * Raw access to a disk through its /dev node: the file object that
 * opening /dev/vda makes (see blkdev_open_file in blkdev.h).
 *
 * Reads and writes go straight to the driver at byte offsets, through a
 * 64 KiB bounce buffer per open file; a write that covers part of a
 * sector reads that sector first.  They bypass the block cache, so raw
 * writes to a disk a filesystem has mounted are not seen by its cached
 * blocks.  Two writers of different parts of one sector through two
 * different open files may overwrite each other's bytes (no sector
 * locking).  The last close of a writable file flushes the disk's cache.
 */
#include <scarlet/abi.h>

#include "core/kernel.h"
#include "dev/blkdev.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "obj/kobj.h"
#include "proc/mutex.h"

#define BOUNCE_ORDER 4 /* 64 KiB */
#define BOUNCE_BYTES (PAGE_SIZE << BOUNCE_ORDER)

struct blkfile {
	struct kobj obj;
	struct blkdev *d;
	struct mutex lock; /* off and bounce */
	uint64_t off;
	char *bounce;
	bool wrote;
};

static struct blkfile *to_blkfile(struct kobj *o)
{
	return container_of(o, struct blkfile, obj);
}

static uint64_t disk_bytes(const struct blkdev *d)
{
	return d->nsectors * SECTOR_SIZE;
}

/* Bytes of the next chunk at off: at most len, the rest of the disk, and
 * what fits in the bounce buffer after the offset within the sector.  0
 * at or past the end (which a loop device may move at any time). */
static size_t chunk_len(const struct blkfile *f, uint64_t off, size_t len)
{
	uint64_t end = disk_bytes(f->d);
	uint64_t left = end > off ? end - off : 0;
	size_t room = BOUNCE_BYTES - off % SECTOR_SIZE;
	return (size_t)MIN(MIN((uint64_t)len, left), (uint64_t)room);
}

static uint32_t sectors_spanned(uint64_t off, size_t len)
{
	return (uint32_t)((off % SECTOR_SIZE + len + SECTOR_SIZE - 1) / SECTOR_SIZE);
}

/* Reads at *off (advanced), with f->lock held. */
static ssize_t read_at(struct blkfile *f, struct iobuf *io, uint64_t *off)
{
	struct blkdev *d = f->d;
	ssize_t done = 0;
	int err = 0;

	while (io->len > 0) {
		size_t len = chunk_len(f, *off, io->len);
		if (len == 0)
			break;
		uint64_t sector = *off / SECTOR_SIZE;
		err = d->ops->read(d, sector, f->bounce, sectors_spanned(*off, len));
		if (err == 0)
			err = iobuf_put(io, f->bounce + *off % SECTOR_SIZE, len);
		if (err < 0)
			break;
		*off += len;
		done += (ssize_t)len;
	}
	return done ? done : err;
}

static ssize_t blkfile_read(struct kobj *o, struct iobuf *io)
{
	struct blkfile *f = to_blkfile(o);

	mutex_lock(&f->lock);
	ssize_t n = read_at(f, io, &f->off);
	mutex_unlock(&f->lock);
	return n;
}

static ssize_t blkfile_pread(struct kobj *o, struct iobuf *io, uint64_t off)
{
	struct blkfile *f = to_blkfile(o);

	mutex_lock(&f->lock);
	ssize_t n = read_at(f, io, &off);
	mutex_unlock(&f->lock);
	return n;
}

/* Reads the sectors at the ends of [off, off+len) that the write covers
 * only in part, so the bounce buffer holds whole sectors. */
static int fill_partial_ends(struct blkfile *f, uint64_t off, size_t len)
{
	struct blkdev *d = f->d;
	uint64_t first = off / SECTOR_SIZE;
	uint32_t n = sectors_spanned(off, len);
	bool head = off % SECTOR_SIZE != 0;
	bool tail = (off + len) % SECTOR_SIZE != 0;
	int err = 0;

	if (head)
		err = d->ops->read(d, first, f->bounce, 1);
	if (err == 0 && tail && !(head && n == 1))
		err = d->ops->read(d, first + n - 1, f->bounce + (size_t)(n - 1) * SECTOR_SIZE, 1);
	return err;
}

/* Writes at *off (advanced), with f->lock held. */
static ssize_t write_at(struct blkfile *f, struct iobuf *io, uint64_t *off)
{
	struct blkdev *d = f->d;
	ssize_t done = 0;
	int err = 0;

	while (io->len > 0) {
		size_t len = chunk_len(f, *off, io->len);
		if (len == 0) {
			err = -ENOSPC;
			break;
		}
		err = fill_partial_ends(f, *off, len);
		if (err == 0)
			err = iobuf_get(io, f->bounce + *off % SECTOR_SIZE, len);
		if (err == 0)
			err = d->ops->write(d, *off / SECTOR_SIZE, f->bounce,
			                    sectors_spanned(*off, len));
		if (err < 0)
			break;
		f->wrote = true;
		*off += len;
		done += (ssize_t)len;
	}
	return done ? done : err;
}

/* A disk that became read-only after the open (a loop device bound to a
 * read-only file) refuses writes with EPERM, as Linux's block layer. */
static ssize_t blkfile_write(struct kobj *o, struct iobuf *io)
{
	struct blkfile *f = to_blkfile(o);

	if (f->d->readonly)
		return -EPERM;
	mutex_lock(&f->lock);
	ssize_t n = write_at(f, io, &f->off);
	mutex_unlock(&f->lock);
	return n;
}

static ssize_t blkfile_pwrite(struct kobj *o, struct iobuf *io, uint64_t off)
{
	struct blkfile *f = to_blkfile(o);

	if (f->d->readonly)
		return -EPERM;
	mutex_lock(&f->lock);
	ssize_t n = write_at(f, io, &off);
	mutex_unlock(&f->lock);
	return n;
}

static int64_t blkfile_seek(struct kobj *o, int64_t off, int whence)
{
	struct blkfile *f = to_blkfile(o);
	int64_t base, result;

	if (whence == SEEK_SET)
		base = 0;
	else if (whence == SEEK_END)
		base = (int64_t)disk_bytes(f->d);
	else if (whence == SEEK_CUR)
		base = -1; /* read under the lock */
	else
		return -EINVAL;
	mutex_lock(&f->lock);
	if (base < 0)
		base = (int64_t)f->off;
	if (__builtin_add_overflow(base, off, &result) || result < 0)
		result = -EINVAL;
	else
		f->off = (uint64_t)result;
	mutex_unlock(&f->lock);
	return result;
}

static int blkfile_stat(struct kobj *o, struct vattr *va)
{
	struct blkdev *d = to_blkfile(o)->d;

	memset(va, 0, sizeof(*va));
	va->mode = S_IFBLK | 0660;
	va->nlink = 1;
	va->rdev = d->rdev;
	va->size = disk_bytes(d);
	va->blocks = d->nsectors;
	return 0;
}

static void blkfile_release(struct kobj *o)
{
	struct blkfile *f = to_blkfile(o);

	if (f->wrote && f->d->ops->flush)
		f->d->ops->flush(f->d);
	blkdev_close(f->d);
	page_free(f->bounce, BOUNCE_ORDER);
	kfree(f);
}

static const struct kobj_ops blkfile_ops = {
    .type = "blkdev",
    .read = blkfile_read,
    .write = blkfile_write,
    .pread = blkfile_pread,
    .pwrite = blkfile_pwrite,
    .seek = blkfile_seek,
    .stat = blkfile_stat,
    .release = blkfile_release,
};

int blkdev_open_file(struct blkdev *d, int oflags, struct kobj **out)
{
	struct blkfile *f;

	/* a driver with an open hook decides (loop: Linux lets the open
	 * happen, and writes fail with EPERM) */
	if ((oflags & O_ACCMODE) != O_RDONLY && d->readonly && !d->ops->open)
		return -EROFS;
	f = kzalloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->bounce = page_alloc(BOUNCE_ORDER);
	if (!f->bounce) {
		kfree(f);
		return -ENOMEM;
	}
	int err = blkdev_open(d, oflags);
	if (err < 0) {
		page_free(f->bounce, BOUNCE_ORDER);
		kfree(f);
		return err;
	}
	kobj_init(&f->obj, &blkfile_ops, vfs_kobj_flags(oflags) & ~(unsigned)O_APPEND);
	mutex_init(&f->lock, "blkfile");
	f->d = d;
	*out = &f->obj;
	return 0;
}

struct blkdev *blkdev_of(struct kobj *o)
{
	if (!o || o->ops != &blkfile_ops)
		return NULL;
	return to_blkfile(o)->d;
}
