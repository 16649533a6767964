/*
 * File objects: the kobj vfs_open makes for a regular file or a
 * directory (or, with O_PATH, for any file: a handle that names it but
 * cannot read or write it).  A file holds its path (so its mount stays
 * busy), an offset protected by a per-file lock, and for directories the
 * readdir position, which file_readdir advances and seek(0, SEEK_SET)
 * rewinds.
 *
 * File systems copy to and from the caller's buffer with their own locks
 * held (ext2's and FAT's are one per file system).  The buffer may be a
 * mapping of a file of the same file system whose page is not in memory
 * yet, and faulting it in would need those very locks: so a user buffer
 * goes down in nofault mode (core/uaccess.h), and its missing pages are
 * faulted in here, with nothing held but the file's offset lock, before
 * the transfer goes on.
 */
#include "fs/bcache.h"
#include "fs/lock.h"
#include "fs/notify.h"
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"
#include "mm/pcache.h"
#include "obj/kobj.h"

#define FILE_MAX_OFFSET INT64_MAX

struct file {
	struct kobj obj;
	struct path path;
	struct mutex lock; /* protects off */
	uint64_t off;      /* byte offset, or readdir cookie for directories */
	/* How the file was named at open (for /proc/PID/fd): a path relative
	 * to origin (the opener's root or cwd); directories need none. */
	struct path origin;
	char *origin_rel;
	/* A detached mount tree this descriptor names (file_open_tree): its
	 * namespace, freed with the last descriptor. */
	struct mnt_ns *tree;
};

static const struct kobj_ops file_ops;
static const struct kobj_ops dir_ops;

static struct file *to_file(struct kobj *o)
{
	return container_of(o, struct file, obj);
}

typedef ssize_t (*vn_io_fn)(struct vnode *vn, struct iobuf *io, uint64_t off);

/* a mapped file's cached pages may hold newer data (pcache.h) */
static ssize_t vn_read(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	return vn->pcache ? pcache_read(vn, io, off) : vn->ops->read(vn, io, off);
}

static ssize_t vn_write(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	return vn->pcache ? pcache_write(vn, io, off) : vn->ops->write(vn, io, off);
}

#define NOFAULT_STUCK_MAX 3

/* fn at off with io in nofault mode (see above); `fill` for a read.  A
 * page that cannot be faulted in ends the transfer (EFAULT if nothing
 * moved), and so do retries that make no progress (another thread
 * unmapping the buffer as fast as it is faulted in). */
static ssize_t io_nofault(vn_io_fn fn, struct vnode *vn, struct iobuf *io, uint64_t off, bool fill)
{
	if (!io->user)
		return fn(vn, io, off);
	ssize_t done = 0, n;
	int stuck = 0;
	for (;;) {
		io->nofault = true;
		io->faulted = false;
		n = fn(vn, io, off + (uint64_t)done);
		io->nofault = false;
		if (n > 0) {
			done += n;
			stuck = 0;
		}
		if (!io->faulted || io->len == 0)
			break;
		if ((n <= 0 && ++stuck >= NOFAULT_STUCK_MAX) || iobuf_fault_in(io, fill) < 0) {
			n = -EFAULT;
			break;
		}
	}
	io->faulted = false;
	return done ? done : n;
}

unsigned vfs_kobj_flags(int oflags)
{
	static const unsigned acc[4] = {KOBJ_READ, KOBJ_WRITE, KOBJ_READ | KOBJ_WRITE, 0};

	if (oflags & O_PATH)
		return O_PATH;
	return acc[oflags & O_ACCMODE] | (oflags & (O_APPEND | O_NONBLOCK));
}

static ssize_t file_read(struct kobj *o, struct iobuf *io)
{
	struct file *f = to_file(o);
	struct vnode *vn = f->path.vn;
	ssize_t n;

	if (!vn->ops->read)
		return -EINVAL;
	mutex_lock(&f->lock);
	n = io_nofault(vn_read, vn, io, f->off, true);
	if (n > 0)
		f->off += n;
	mutex_unlock(&f->lock);
	if (n > 0)
		file_notify(o, FSN_ACCESS);
	return n;
}

/* Writes at *off, or at the end of the file with O_APPEND (then *off
 * becomes the end); called with f->lock held. */
static ssize_t write_locked(struct file *f, struct iobuf *io, uint64_t *off)
{
	struct vnode *vn = f->path.vn;
	struct vattr va;
	int err;

	if (!vn->ops->write)
		return -EINVAL;
	if (f->obj.flags & O_APPEND) {
		err = vnode_getattr(vn, &va);
		if (err < 0)
			return err;
		*off = va.size;
	}
	if (S_ISREG(vn->mode)) {
		err = fsize_write_check(*off, &io->len);
		if (err < 0)
			return err;
	}
	return io_nofault(vn_write, vn, io, *off, false);
}

static ssize_t file_write(struct kobj *o, struct iobuf *io)
{
	struct file *f = to_file(o);
	uint64_t off;
	ssize_t n;

	mutex_lock(&f->lock);
	off = f->off;
	n = write_locked(f, io, &off);
	if (n > 0)
		f->off = off + n;
	mutex_unlock(&f->lock);
	if (n > 0)
		file_notify(o, FSN_MODIFY);
	return n;
}

static ssize_t file_pread(struct kobj *o, struct iobuf *io, uint64_t off)
{
	struct vnode *vn = to_file(o)->path.vn;
	ssize_t n;

	if (!vn->ops->read)
		return -EINVAL;
	if (off > FILE_MAX_OFFSET)
		return -EINVAL;
	n = io_nofault(vn_read, vn, io, off, true);
	if (n > 0)
		file_notify(o, FSN_ACCESS);
	return n;
}

/* As Linux does, O_APPEND wins over the offset given. */
static ssize_t file_pwrite(struct kobj *o, struct iobuf *io, uint64_t off)
{
	struct file *f = to_file(o);
	ssize_t n;

	if (off > FILE_MAX_OFFSET)
		return -EINVAL;
	mutex_lock(&f->lock);
	n = write_locked(f, io, &off);
	mutex_unlock(&f->lock);
	if (n > 0)
		file_notify(o, FSN_MODIFY);
	return n;
}

static int64_t file_seek(struct kobj *o, int64_t off, int whence)
{
	struct file *f = to_file(o);
	struct vattr va;
	int64_t base, result;
	int err;

	mutex_lock(&f->lock);
	if (whence == SEEK_SET) {
		base = 0;
	} else if (whence == SEEK_CUR) {
		base = (int64_t)f->off;
	} else if (whence == SEEK_END) {
		err = vnode_getattr(f->path.vn, &va);
		base = err < 0 ? err : (int64_t)va.size;
		if (err < 0) {
			mutex_unlock(&f->lock);
			return err;
		}
	} else {
		mutex_unlock(&f->lock);
		return -EINVAL;
	}
	if (__builtin_add_overflow(base, off, &result) || result < 0)
		result = -EINVAL;
	else
		f->off = (uint64_t)result;
	mutex_unlock(&f->lock);
	return result;
}

/* Directories: the offset is the opaque readdir cookie. */
static int64_t dir_seek(struct kobj *o, int64_t off, int whence)
{
	struct file *f = to_file(o);
	int64_t result;

	mutex_lock(&f->lock);
	if (whence == SEEK_SET && off >= 0)
		f->off = (uint64_t)off;
	else if (!(whence == SEEK_CUR && off == 0))
		off = -EINVAL;
	result = off < 0 ? off : (int64_t)f->off;
	mutex_unlock(&f->lock);
	return result;
}

static ssize_t dir_read(struct kobj *o, struct iobuf *io)
{
	(void)o;
	(void)io;
	return -EISDIR;
}

static ssize_t dir_pread(struct kobj *o, struct iobuf *io, uint64_t off)
{
	(void)off;
	return dir_read(o, io);
}

static int file_stat(struct kobj *o, struct vattr *va)
{
	return vnode_getattr(to_file(o)->path.vn, va);
}

static int file_truncate(struct kobj *o, uint64_t size)
{
	struct vnode *vn = to_file(o)->path.vn;

	if (!(o->flags & KOBJ_WRITE) || !vn->ops->truncate)
		return -EINVAL;
	if (size > FILE_MAX_OFFSET)
		return -EFBIG;
	int err = vnode_truncate(vn, size);
	if (err == 0)
		file_notify(o, FSN_MODIFY);
	return err;
}

#define ZERO_CHUNK 4096

/* Makes [off, end) of the file read as zeros, writing only the chunks
 * that are not zeros already (a hole stays a hole); f->lock held. */
static int zero_range(struct vnode *vn, uint64_t off, uint64_t end)
{
	char *buf = kmalloc(ZERO_CHUNK);
	int err = 0;
	if (!buf)
		return -ENOMEM;
	while (off < end && err == 0) {
		size_t n = (size_t)MIN(end - off, (uint64_t)ZERO_CHUNK);
		struct iobuf io = iobuf_kernel(buf, n);
		ssize_t got = vn_read(vn, &io, off);
		if (got <= 0) {
			err = (int)got;
			break;
		}
		bool zero = true;
		for (ssize_t i = 0; i < got && zero; i++)
			zero = buf[i] == 0;
		if (!zero) {
			memset(buf, 0, (size_t)got);
			io = iobuf_kernel(buf, (size_t)got);
			ssize_t w = vn_write(vn, &io, off);
			err = w < 0 ? (int)w : w < got ? -EIO : 0;
		}
		off += (uint64_t)got;
	}
	kfree(buf);
	return err;
}

int file_fallocate(struct kobj *o, unsigned mode, uint64_t off, uint64_t len)
{
	if (o->ops != &file_ops)
		return -ENODEV;
	struct file *f = to_file(o);
	struct vnode *vn = f->path.vn;
	uint64_t end = off + len;
	struct vattr va;
	if (!vn->ops->write || !vn->ops->read || !vn->ops->truncate)
		return -ENOTSUP;
	if (end > FILE_MAX_OFFSET || end < off)
		return -EFBIG;
	mutex_lock(&f->lock);
	int err = vnode_getattr(vn, &va);
	if (err == 0 && (mode & (FALLOC_PUNCH_HOLE | FALLOC_ZERO_RANGE)))
		err = zero_range(vn, off, MIN(end, va.size));
	if (err == 0 && !(mode & FALLOC_KEEP_SIZE) && end > va.size)
		err = vnode_truncate(vn, end);
	mutex_unlock(&f->lock);
	return err;
}

/* A mapping of a file maps its vnode's pages (mm/pcache.h). */
static int file_mmap(struct kobj *o, struct vnode **vn)
{
	*vn = vnode_get(to_file(o)->path.vn);
	return 0;
}

/* A descriptor closed: the closing process's record locks on the file go
 * (not for an O_PATH descriptor, as Linux). */
static void file_flush(struct kobj *o)
{
	if (!(o->flags & O_PATH))
		vfs_lock_close(o);
}

static void file_release(struct kobj *o)
{
	struct file *f = to_file(o);

	if (!(o->flags & O_PATH))
		file_notify(o, (o->flags & KOBJ_WRITE) ? FSN_CLOSE_WRITE : FSN_CLOSE_NOWRITE);
	vfs_lock_release_file(o);
	path_put(&f->path);
	if (f->origin.vn)
		path_put(&f->origin);
	kfree(f->origin_rel);
	mnt_ns_put(f->tree);
	kfree(f);
}

static const struct kobj_ops file_ops = {
    .type = "file",
    .read = file_read,
    .write = file_write,
    .seek = file_seek,
    .stat = file_stat,
    .truncate = file_truncate,
    .pread = file_pread,
    .pwrite = file_pwrite,
    .mmap = file_mmap,
    .flush = file_flush,
    .release = file_release,
};

static const struct kobj_ops dir_ops = {
    .type = "dir",
    .read = dir_read,
    .pread = dir_pread,
    .seek = dir_seek,
    .stat = file_stat,
    .flush = file_flush,
    .release = file_release,
};

int file_open(const struct path *p, int oflags, struct kobj **out)
{
	struct file *f = kzalloc(sizeof(*f));
	bool dir = S_ISDIR(p->vn->mode);

	if (!f)
		return -ENOMEM;
	kobj_init(&f->obj, dir ? &dir_ops : &file_ops, vfs_kobj_flags(oflags));
	mutex_init(&f->lock, "file");
	f->path = *p;
	path_get(&f->path);
	*out = &f->obj;
	return 0;
}

int file_open_tree(const struct path *p, struct mnt_ns *tree, struct kobj **out)
{
	int err = file_open(p, O_PATH, out);

	if (err == 0)
		to_file(*out)->tree = tree;
	else
		mnt_ns_put(tree);
	return err;
}

static bool is_file(struct kobj *o)
{
	return o && (o->ops == &file_ops || o->ops == &dir_ops);
}

bool file_is_dir(struct kobj *o)
{
	return o && o->ops == &dir_ops;
}

struct vnode *file_vnode(struct kobj *o)
{
	return is_file(o) ? to_file(o)->path.vn : NULL;
}

int file_path(struct kobj *o, struct path *out)
{
	if (!is_file(o))
		return -EBADF;
	*out = to_file(o)->path;
	path_get(out);
	return 0;
}

void file_set_origin(struct kobj *o, const struct path *base, const char *rel)
{
	struct file *f;
	size_t n = strlen(rel) + 1;

	if (!is_file(o) || file_is_dir(o))
		return;
	f = to_file(o);
	f->origin_rel = kmalloc(n);
	if (!f->origin_rel)
		return; /* the file just has no name */
	memcpy(f->origin_rel, rel, n);
	f->origin = *base;
	path_get(&f->origin);
}

int file_origin(struct kobj *o, struct path *base, const char **rel)
{
	struct file *f;

	if (!is_file(o) || !to_file(o)->origin_rel)
		return -ENOENT;
	f = to_file(o);
	*base = f->origin;
	path_get(base);
	*rel = f->origin_rel;
	return 0;
}

void file_notify(struct kobj *o, uint32_t mask)
{
	const char *name = NULL;
	struct vnode *dir = NULL;
	struct file *f;

	if (!is_file(o))
		return;
	f = to_file(o);
	/* the directory it was opened in, when the name says it */
	if (f->origin.vn && f->origin_rel && !strchr(f->origin_rel, '/') &&
	    !name_is_dot(f->origin_rel, strlen(f->origin_rel)) &&
	    !name_is_dotdot(f->origin_rel, strlen(f->origin_rel))) {
		dir = f->origin.vn;
		name = f->origin_rel;
	}
	fsnotify_file(f->path.vn, dir, name, name ? strlen(name) : 0, mask);
}

struct readdir_pos {
	vfs_filldir_pos_fn fill;
	void *ctx;
	const uint64_t *cookie;
};

/* Reads entries from the file's position on; rp (if any) learns where
 * that position is kept, *end (if any) gets it afterwards. */
static int dir_readdir(struct kobj *o, vfs_filldir_fn fill, void *ctx, struct readdir_pos *rp,
                       uint64_t *end)
{
	struct file *f;
	struct vnode *vn;
	int err;

	if (!file_is_dir(o))
		return -ENOTDIR;
	f = to_file(o);
	vn = f->path.vn;
	if (!vn->ops->readdir)
		return -ENOTDIR;
	mutex_lock(&f->lock);
	if (rp)
		rp->cookie = &f->off;
	err = vn->ops->readdir(vn, &f->off, fill, ctx);
	if (end)
		*end = f->off;
	mutex_unlock(&f->lock);
	return err;
}

int file_readdir(struct kobj *o, vfs_filldir_fn fill, void *ctx)
{
	return dir_readdir(o, fill, ctx, NULL, NULL);
}

static int fill_with_pos(void *ctx, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	struct readdir_pos *rp = ctx;

	return rp->fill(rp->ctx, name, len, ino, dtype, *rp->cookie);
}

int file_readdir_pos(struct kobj *o, vfs_filldir_pos_fn fill, void *ctx, uint64_t *end)
{
	struct readdir_pos rp = {.fill = fill, .ctx = ctx};

	return dir_readdir(o, fill_with_pos, &rp, &rp, end);
}

int file_fsync(struct kobj *o)
{
	struct superblock *sb;

	if (blkdev_of(o)) /* a disk's /dev node: its cached blocks, then the disk */
		return bcache_sync(blkdev_of(o));
	if (!is_file(o))
		return -EINVAL;
	sb = to_file(o)->path.vn->sb;
	/* a filesystem without its own sync (overlay) keeps its data in
	 * other filesystems: flush them all */
	return sb->type->sync ? sb->type->sync(sb) : vfs_sync_all();
}
