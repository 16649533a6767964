/*
 * Loop devices (see loop.h): the devices, their binding to a backing
 * file, and their block I/O.  The control device is loop_ctl.c.
 *
 * One mutex (cfg_lock) orders every change of binding, status and the
 * device table, so walking a chain of loop devices backed by each other
 * sees a stable picture.  Block I/O does not take it: it takes a
 * reference to the backing file under the device's spinlock and works on
 * that, so detaching while I/O runs only drops the device's own
 * reference.  A backing file's last reference is never dropped under
 * cfg_lock: it may be another loop device, whose release takes it.
 * Devices are never freed (a removed one is hidden and may come back),
 * so pointers to them stay valid.
 */
#include "dev/loop.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "dev/blkdev.h"
#include "dev/loop_impl.h"
#include "fs/bcache.h"
#include "fs/vfs.h"
#include "lib/fmt.h"
#include "mm/kmalloc.h"
#include "obj/kobj.h"

struct mutex loop_cfg_lock;
struct loopdev *loop_devs[LOOP_MAX];

static const struct blkdev_ops loop_ops;

static struct loopdev *to_loop(struct blkdev *d)
{
	return container_of(d, struct loopdev, blk);
}

struct loopdev *loop_of(struct kobj *o)
{
	struct blkdev *d = blkdev_of(o);
	return d && d->ops == &loop_ops ? to_loop(d) : NULL;
}

/* The backing file, referenced, and the offset of sector 0 in it; NULL
 * while unbound. */
static struct kobj *backing_get(struct loopdev *lo, uint64_t *offset)
{
	spin_lock(&lo->io_lock);
	struct kobj *b = lo->backing ? kobj_get(lo->backing) : NULL;
	*offset = lo->offset;
	spin_unlock(&lo->io_lock);
	return b;
}

/* Reads past the end of the backing file read zeros, as on Linux. */
static int loop_read(struct blkdev *d, uint64_t sector, void *buf, uint32_t n)
{
	uint64_t off;
	struct kobj *b = backing_get(to_loop(d), &off);
	struct iobuf io = iobuf_kernel(buf, (size_t)n * SECTOR_SIZE);
	int err = 0;

	if (!b)
		return -EIO;
	off += sector * SECTOR_SIZE;
	while (io.len > 0) {
		ssize_t r = kobj_pread(b, &io, off);
		if (r < 0) {
			err = -EIO;
			break;
		}
		if (r == 0) {
			memset(io.base, 0, io.len);
			break;
		}
		off += (uint64_t)r;
	}
	kobj_put(b);
	return err;
}

static int loop_write(struct blkdev *d, uint64_t sector, const void *buf, uint32_t n)
{
	uint64_t off;
	struct kobj *b = backing_get(to_loop(d), &off);
	struct iobuf io = iobuf_kernel((void *)buf, (size_t)n * SECTOR_SIZE);
	int err = 0;

	if (!b)
		return -EIO;
	if (d->readonly) {
		kobj_put(b);
		return -EIO;
	}
	off += sector * SECTOR_SIZE;
	while (io.len > 0) {
		ssize_t r = kobj_pwrite(b, &io, off);
		if (r <= 0) {
			err = -EIO;
			break;
		}
		off += (uint64_t)r;
	}
	kobj_put(b);
	return err;
}

/* Writes the backing file's filesystem back (or flushes the backing
 * disk).  A filesystem without its own sync (overlay) keeps its data in
 * others, which their own syncs write. */
static int loop_flush(struct blkdev *d)
{
	uint64_t off;
	struct kobj *b = backing_get(to_loop(d), &off);
	struct blkdev *under = blkdev_of(b);
	struct vnode *vn = file_vnode(b);
	int err = 0;

	if (!b)
		return 0;
	if (under && under->ops->flush)
		err = under->ops->flush(under);
	else if (vn && vn->sb->type->sync)
		err = vn->sb->type->sync(vn->sb);
	kobj_put(b);
	return err < 0 ? -EIO : 0;
}

/* Linux refuses opens while a device runs down or goes away. */
static int loop_open(struct blkdev *d, int oflags)
{
	struct loopdev *lo = to_loop(d);
	int err = 0;

	(void)oflags;
	mutex_lock(&loop_cfg_lock);
	if (lo->removed || lo->state == LOOP_RUNDOWN)
		err = -ENXIO;
	else
		lo->openers++;
	mutex_unlock(&loop_cfg_lock);
	return err;
}

/* Takes lo back to unbound; returns the backing file for the caller to
 * drop after cfg_lock. */
static struct kobj *detach_locked(struct loopdev *lo)
{
	spin_lock(&lo->io_lock);
	struct kobj *old = lo->backing;
	lo->backing = NULL;
	lo->offset = 0;
	spin_unlock(&lo->io_lock);
	lo->state = LOOP_UNBOUND;
	lo->sizelimit = 0;
	lo->flags = 0;
	lo->block_size = LOOP_MIN_BLOCK;
	memset(lo->file_name, 0, sizeof(lo->file_name));
	memset(lo->crypt_name, 0, sizeof(lo->crypt_name));
	lo->blk.nsectors = 0;
	lo->blk.readonly = false;
	return old;
}

/* Finishes a detach: the old backing file goes, and so do the blocks
 * the cache kept of it. */
static void detach_finish(struct loopdev *lo, struct kobj *old)
{
	if (old)
		kobj_put(old);
	bcache_drop(&lo->blk);
}

static void loop_release(struct blkdev *d)
{
	struct loopdev *lo = to_loop(d);
	struct kobj *old = NULL;
	bool clear = false;

	mutex_lock(&loop_cfg_lock);
	KASSERT(lo->openers > 0);
	if (--lo->openers == 0) {
		if (lo->state == LOOP_BOUND && (lo->flags & LOOPF_AUTOCLEAR))
			lo->state = LOOP_RUNDOWN;
		clear = lo->state == LOOP_RUNDOWN;
		if (clear)
			old = detach_locked(lo);
	}
	mutex_unlock(&loop_cfg_lock);
	if (clear)
		detach_finish(lo, old);
}

static const struct blkdev_ops loop_ops = {
    .read = loop_read,
    .write = loop_write,
    .flush = loop_flush,
    .open = loop_open,
    .release = loop_release,
};

/* Bytes of the backing file from offset, capped by sizelimit (Linux's
 * get_size). */
static int backing_size(struct kobj *b, uint64_t offset, uint64_t sizelimit, uint64_t *out)
{
	struct vattr va;
	int err = kobj_stat(b, &va);

	if (err < 0)
		return err;
	uint64_t size = va.size > offset ? va.size - offset : 0;
	if (sizelimit && sizelimit < size)
		size = sizelimit;
	*out = size;
	return 0;
}

static void update_capacity_locked(struct loopdev *lo)
{
	uint64_t size = 0;
	if (lo->backing)
		backing_size(lo->backing, lo->offset, lo->sizelimit, &size);
	lo->blk.nsectors = size / SECTOR_SIZE;
}

/* The loop device under b: b is its /dev file, or a file of a
 * filesystem mounted from it (overlay files are not seen through). */
static struct loopdev *loop_under(struct kobj *b)
{
	struct loopdev *lo = loop_of(b);
	struct vnode *vn = file_vnode(b);

	if (lo)
		return lo;
	if (vn && MAJOR(vn->sb->dev) == LOOP_MAJOR && MINOR(vn->sb->dev) < LOOP_MAX)
		return loop_devs[MINOR(vn->sb->dev)];
	return NULL;
}

/* Linux's loop_validate_file: a regular file or a block device; a loop
 * device must be bound, and so must every loop device under it.  Beyond
 * Linux: no loop device under b may be lo (its I/O would recurse
 * forever), and at most LOOP_MAX_DEPTH loop devices may stack, since
 * each level of I/O runs on the one kernel stack of the caller. */
static int validate_backing_locked(struct loopdev *lo, struct kobj *b)
{
	struct vattr va;
	int err = kobj_stat(b, &va);

	if (err < 0)
		return err;
	if (!S_ISREG(va.mode) && !S_ISBLK(va.mode))
		return -EINVAL;
	for (int depth = 1;; depth++) {
		struct loopdev *under = loop_under(b);
		if (!under)
			return 0;
		if (under == lo || under->state != LOOP_BOUND || depth >= LOOP_MAX_DEPTH)
			return -EINVAL;
		b = under->backing;
	}
}

static bool block_size_ok(uint32_t size)
{
	return size >= LOOP_MIN_BLOCK && size <= LOOP_MAX_BLOCK && (size & (size - 1)) == 0;
}

#define LOOPF_BIND_FLAGS (LOOPF_READ_ONLY | LOOPF_AUTOCLEAR | LOOPF_PARTSCAN | LOOPF_DIRECT_IO)
#define LOOPF_SET_FLAGS  (LOOPF_AUTOCLEAR | LOOPF_PARTSCAN)
#define LOOPF_CLR_FLAGS  LOOPF_AUTOCLEAR
#define LOFF_MAX         ((uint64_t)INT64_MAX)

static void copy_names(struct loopdev *lo, const struct loop_status *st)
{
	memcpy(lo->file_name, st->file_name, LOOP_NAME_BYTES);
	memcpy(lo->crypt_name, st->crypt_name, LOOP_NAME_BYTES);
	lo->file_name[LOOP_NAME_BYTES - 1] = '\0';
	lo->crypt_name[LOOP_NAME_BYTES - 1] = '\0';
}

static int bind_locked(struct loopdev *lo, struct kobj *via, struct kobj *backing,
                       const struct loop_status *st, uint32_t block_size)
{
	unsigned flags = st ? st->flags : 0;
	int err;

	if (lo->state != LOOP_UNBOUND)
		return -EBUSY;
	if (loop_of(backing) == lo)
		return -EBADF; /* Linux 6.18's answer for a device backing itself */
	err = validate_backing_locked(lo, backing);
	if (err < 0)
		return err;
	if (flags & ~LOOPF_BIND_FLAGS)
		return -EINVAL;
	if (block_size && !block_size_ok(block_size))
		return -EINVAL;
	if (st && (st->offset > LOFF_MAX || st->sizelimit > LOFF_MAX))
		return -EOVERFLOW;
	if (!(backing->flags & KOBJ_WRITE) || (via && !(via->flags & KOBJ_WRITE)))
		flags |= LOOPF_READ_ONLY;
	/* what a previous binding left in the cache is not this file's */
	bcache_drop(&lo->blk);
	lo->flags = flags;
	lo->sizelimit = st ? st->sizelimit : 0;
	lo->block_size = block_size ? block_size : LOOP_MIN_BLOCK;
	if (st)
		copy_names(lo, st);
	spin_lock(&lo->io_lock);
	lo->backing = kobj_get(backing);
	lo->offset = st ? st->offset : 0;
	spin_unlock(&lo->io_lock);
	lo->blk.readonly = flags & LOOPF_READ_ONLY;
	update_capacity_locked(lo);
	lo->state = LOOP_BOUND;
	return 0;
}

int loop_bind(struct loopdev *lo, struct kobj *via, struct kobj *backing,
              const struct loop_status *st, uint32_t block_size)
{
	mutex_lock(&loop_cfg_lock);
	int err = bind_locked(lo, via, backing, st, block_size);
	mutex_unlock(&loop_cfg_lock);
	return err;
}

/* Linux since 5.x: detaching marks the device autoclear; if nobody else
 * has it open it also runs down (no new opens) and goes at the caller's
 * close, else at the last close (an unmount included). */
int loop_unbind(struct loopdev *lo)
{
	int err = 0;

	mutex_lock(&loop_cfg_lock);
	if (lo->state != LOOP_BOUND) {
		err = -ENXIO;
	} else {
		lo->flags |= LOOPF_AUTOCLEAR;
		if (lo->openers <= 1)
			lo->state = LOOP_RUNDOWN;
	}
	mutex_unlock(&loop_cfg_lock);
	return err;
}

int loop_get_status(struct loopdev *lo, struct loop_status *out)
{
	struct vattr va;
	int err = 0;

	memset(out, 0, sizeof(*out));
	mutex_lock(&loop_cfg_lock);
	if (lo->state != LOOP_BOUND)
		err = -ENXIO;
	if (err == 0)
		err = kobj_stat(lo->backing, &va);
	if (err == 0) {
		out->number = lo->number;
		out->backing_dev = va.dev;
		out->backing_ino = va.ino;
		out->backing_rdev = va.rdev;
		out->offset = lo->offset;
		out->sizelimit = lo->sizelimit;
		out->flags = lo->flags;
		memcpy(out->file_name, lo->file_name, LOOP_NAME_BYTES);
		memcpy(out->crypt_name, lo->crypt_name, LOOP_NAME_BYTES);
	}
	mutex_unlock(&loop_cfg_lock);
	return err;
}

int loop_set_status(struct loopdev *lo, const struct loop_status *st)
{
	int err = 0;

	mutex_lock(&loop_cfg_lock);
	if (lo->state != LOOP_BOUND)
		err = -ENXIO;
	else if (st->offset > LOFF_MAX || st->sizelimit > LOFF_MAX)
		err = -EOVERFLOW;
	if (err == 0) {
		bool resized = st->offset != lo->offset || st->sizelimit != lo->sizelimit;
		if (resized)
			bcache_drop(&lo->blk); /* cached blocks moved */
		spin_lock(&lo->io_lock);
		lo->offset = st->offset;
		spin_unlock(&lo->io_lock);
		lo->sizelimit = st->sizelimit;
		lo->flags &= ~LOOPF_CLR_FLAGS;
		lo->flags |= st->flags & LOOPF_SET_FLAGS;
		copy_names(lo, st);
		if (resized)
			update_capacity_locked(lo);
	}
	mutex_unlock(&loop_cfg_lock);
	return err;
}

int loop_change_backing(struct loopdev *lo, struct kobj *backing)
{
	struct kobj *old = NULL;
	uint64_t new_size = 0, old_size = 0;
	int err = 0;

	mutex_lock(&loop_cfg_lock);
	if (lo->state != LOOP_BOUND)
		err = -ENXIO;
	else if (!(lo->flags & LOOPF_READ_ONLY))
		err = -EINVAL;
	if (err == 0)
		err = validate_backing_locked(lo, backing);
	if (err == 0)
		err = backing_size(backing, lo->offset, lo->sizelimit, &new_size);
	if (err == 0)
		err = backing_size(lo->backing, lo->offset, lo->sizelimit, &old_size);
	if (err == 0 && new_size != old_size)
		err = -EINVAL;
	if (err == 0) {
		spin_lock(&lo->io_lock);
		old = lo->backing;
		lo->backing = kobj_get(backing);
		spin_unlock(&lo->io_lock);
	}
	mutex_unlock(&loop_cfg_lock);
	if (old)
		kobj_put(old);
	return err;
}

int loop_refresh_capacity(struct loopdev *lo)
{
	int err = 0;

	mutex_lock(&loop_cfg_lock);
	if (lo->state != LOOP_BOUND)
		err = -ENXIO;
	else
		update_capacity_locked(lo);
	mutex_unlock(&loop_cfg_lock);
	return err;
}

int loop_set_block_size(struct loopdev *lo, uint32_t size)
{
	int err = 0;

	mutex_lock(&loop_cfg_lock);
	if (lo->state != LOOP_BOUND)
		err = -ENXIO;
	else if (!block_size_ok(size))
		err = -EINVAL;
	else
		lo->block_size = size;
	mutex_unlock(&loop_cfg_lock);
	return err;
}

int loop_set_direct_io(struct loopdev *lo, bool on)
{
	int err = 0;

	mutex_lock(&loop_cfg_lock);
	if (lo->state != LOOP_BOUND)
		err = -ENXIO;
	else if (on)
		lo->flags |= LOOPF_DIRECT_IO;
	else
		lo->flags &= ~LOOPF_DIRECT_IO;
	mutex_unlock(&loop_cfg_lock);
	return err;
}

uint32_t loop_block_size(struct loopdev *lo)
{
	mutex_lock(&loop_cfg_lock);
	uint32_t size = lo->block_size;
	mutex_unlock(&loop_cfg_lock);
	return size;
}

struct loopdev *loop_get(unsigned n)
{
	struct loopdev *lo = NULL;

	if (n >= LOOP_MAX)
		return NULL;
	mutex_lock(&loop_cfg_lock);
	if (loop_devs[n] && !loop_devs[n]->removed)
		lo = loop_devs[n];
	mutex_unlock(&loop_cfg_lock);
	return lo;
}

struct blkdev *loop_disk(struct loopdev *lo)
{
	return &lo->blk;
}

struct kobj *loop_backing(struct loopdev *lo)
{
	uint64_t off;
	mutex_lock(&loop_cfg_lock);
	struct kobj *b = lo->state == LOOP_BOUND ? backing_get(lo, &off) : NULL;
	mutex_unlock(&loop_cfg_lock);
	return b;
}

/* Makes device n (absent or removed) exist. */
int loop_add_locked(unsigned n)
{
	struct loopdev *lo = loop_devs[n];
	int err;

	if (lo) {
		lo->removed = false;
		return blkdev_hide(&lo->blk, false);
	}
	lo = kzalloc(sizeof(*lo));
	if (!lo)
		return -ENOMEM;
	lo->number = n;
	lo->block_size = LOOP_MIN_BLOCK;
	spin_init(&lo->io_lock, "loop-io");
	fmt_snprintf(lo->blk.name, sizeof(lo->blk.name), "loop%u", n);
	lo->blk.rdev = MKDEV(LOOP_MAJOR, n);
	lo->blk.ops = &loop_ops;
	lo->blk.write_through = true;
	lo->blk.priv = lo;
	err = blkdev_register(&lo->blk);
	if (err == -EEXIST) { /* a disk of another driver has the name */
		kfree(lo);
		return err;
	}
	/* any other error left it registered without a /dev node: keep it,
	 * registered disks cannot go */
	loop_devs[n] = lo;
	return err;
}

void loop_init(void)
{
	mutex_init(&loop_cfg_lock, "loop");
	mutex_lock(&loop_cfg_lock);
	for (unsigned i = 0; i < LOOP_BOOT_COUNT; i++)
		loop_add_locked(i);
	mutex_unlock(&loop_cfg_lock);
	loop_ctl_init();
}
