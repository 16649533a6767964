/*
 * File objects: the kobj vfs_open makes for a regular file or a
 * directory.  A file holds its path (so its mount stays busy), an offset
 * protected by a per-file lock, and for directories the readdir position,
 * which file_readdir advances and seek(0, SEEK_SET) rewinds.
 */
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"
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
};

static const struct kobj_ops file_ops;
static const struct kobj_ops dir_ops;

static struct file *to_file(struct kobj *o)
{
	return container_of(o, struct file, obj);
}

unsigned vfs_kobj_flags(int oflags)
{
	static const unsigned acc[4] = {KOBJ_READ, KOBJ_WRITE, KOBJ_READ | KOBJ_WRITE, 0};

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
	n = vn->ops->read(vn, io, f->off);
	if (n > 0)
		f->off += n;
	mutex_unlock(&f->lock);
	return n;
}

static ssize_t file_write(struct kobj *o, struct iobuf *io)
{
	struct file *f = to_file(o);
	struct vnode *vn = f->path.vn;
	struct vattr va;
	uint64_t off;
	ssize_t n;

	if (!vn->ops->write)
		return -EINVAL;
	mutex_lock(&f->lock);
	off = f->off;
	if (o->flags & O_APPEND) {
		n = vnode_getattr(vn, &va);
		if (n < 0)
			goto out;
		off = va.size;
	}
	n = vn->ops->write(vn, io, off);
	if (n > 0)
		f->off = off + n;
out:
	mutex_unlock(&f->lock);
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
	return vn->ops->truncate(vn, size);
}

static void file_release(struct kobj *o)
{
	struct file *f = to_file(o);

	path_put(&f->path);
	if (f->origin.vn)
		path_put(&f->origin);
	kfree(f->origin_rel);
	kfree(f);
}

static const struct kobj_ops file_ops = {
    .type = "file",
    .read = file_read,
    .write = file_write,
    .seek = file_seek,
    .stat = file_stat,
    .truncate = file_truncate,
    .release = file_release,
};

static const struct kobj_ops dir_ops = {
    .type = "dir",
    .read = dir_read,
    .seek = dir_seek,
    .stat = file_stat,
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

int file_readdir(struct kobj *o, vfs_filldir_fn fill, void *ctx)
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
	err = vn->ops->readdir(vn, &f->off, fill, ctx);
	mutex_unlock(&f->lock);
	return err;
}
