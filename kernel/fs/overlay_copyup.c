/*
 * overlay: copy-up, whiteouts and opaque marks.
 *
 * Copy-up makes an upper copy of a lower file (its parents first) before
 * the first change to its data or attributes: directories, regular files
 * (data unless about to be truncated to zero), symlinks and device nodes,
 * with mode, owner and times.  It is not atomic: a copy that fails half
 * way is removed again, but a crash in between would leave it (there is
 * no work directory).  A whiteout is a character device 0/0 in the upper;
 * an opaque directory holds one named ".wh..wh..opq".
 */
#include "fs/overlay_impl.h"
#include "mm/kmalloc.h"

#define COPY_CHUNK 4096

bool ovl_is_whiteout(struct vnode *vn)
{
	struct vattr va;

	return S_ISCHR(vn->mode) && vnode_getattr(vn, &va) == 0 && va.rdev == 0;
}

bool ovl_is_opaque(struct vnode *dir)
{
	struct vnode *vn;

	if (!S_ISDIR(dir->mode) || vnode_lookup(dir, OVL_OPAQUE, OVL_OPAQUE_LEN, &vn) < 0)
		return false;
	vnode_put(vn);
	return true;
}

int ovl_whiteout(struct vnode *udir, const char *name, size_t len)
{
	struct vnode *vn;
	int err;

	if (!udir->ops->mknod)
		return -EPERM;
	err = udir->ops->mknod(udir, name, len, S_IFCHR, 0, &vn);
	if (err == 0)
		vnode_put(vn);
	return err;
}

int ovl_make_opaque(struct vnode *udir)
{
	int err = ovl_whiteout(udir, OVL_OPAQUE, OVL_OPAQUE_LEN);

	return err == -EEXIST ? 0 : err;
}

bool ovl_lower_has(struct vnode *dir, const char *name, size_t len)
{
	struct onode *d = ON(dir);
	struct vnode *vn;

	for (int i = 0; i < d->nlower; i++) {
		if (vnode_lookup(d->lower[i], name, len, &vn) < 0)
			continue;
		bool wh = ovl_is_whiteout(vn);
		vnode_put(vn);
		return !wh;
	}
	return false;
}

/* Names of the character devices in dir (whiteout candidates). */
struct chr_names {
	char (*v)[NAME_MAX + 1];
	int n, max;
	bool more;
};

static int collect_chr(void *ctx, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	struct chr_names *c = ctx;

	(void)ino;
	if (dtype != DT_CHR)
		return 0;
	if (c->n == c->max) {
		c->more = true;
		return 1;
	}
	memcpy(c->v[c->n], name, len);
	c->v[c->n++][len] = 0;
	return 0;
}

static int unlink_whiteouts(struct vnode *udir, struct chr_names *c)
{
	struct vnode *vn;

	for (int i = 0; i < c->n; i++) {
		size_t len = strlen(c->v[i]);
		if (vnode_lookup(udir, c->v[i], len, &vn) < 0)
			continue;
		bool wh = ovl_is_whiteout(vn);
		vnode_put(vn);
		if (!wh)
			continue;
		int err = udir->ops->unlink ? udir->ops->unlink(udir, c->v[i], len) : -EPERM;
		if (err < 0)
			return err;
	}
	return 0;
}

int ovl_clear_hidden(struct vnode *udir)
{
	struct chr_names c = {.max = 32};
	int err = 0;

	if (!udir->ops->readdir)
		return 0;
	c.v = kmalloc(sizeof(*c.v) * c.max);
	if (!c.v)
		return -ENOMEM;
	do {
		uint64_t cookie = 0;
		c.n = 0;
		c.more = false;
		err = udir->ops->readdir(udir, &cookie, collect_chr, &c);
		if (err == 0)
			err = unlink_whiteouts(udir, &c);
	} while (err == 0 && c.more);
	kfree(c.v);
	return err;
}

static int copy_data(struct vnode *from, struct vnode *to, uint64_t size)
{
	char *buf = kmalloc(COPY_CHUNK);
	uint64_t off = 0;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	if (!from->ops->read || !to->ops->write)
		err = -EPERM;
	while (err == 0 && off < size) {
		struct iobuf in = iobuf_kernel(buf, MIN((uint64_t)COPY_CHUNK, size - off));
		ssize_t n = from->ops->read(from, &in, off);
		if (n <= 0) {
			err = (int)n;
			break;
		}
		struct iobuf out = iobuf_kernel(buf, (size_t)n);
		ssize_t w = to->ops->write(to, &out, off);
		if (w != n)
			err = w < 0 ? (int)w : -EIO;
		off += (uint64_t)n;
	}
	kfree(buf);
	return err;
}

static int copy_symlink(struct vnode *lower, struct vnode *udir, struct onode *on,
                        struct vnode **up)
{
	char *target = kmalloc(PATH_MAX + 1);
	int n;

	if (!target)
		return -ENOMEM;
	n = lower->ops->readlink ? lower->ops->readlink(lower, target, PATH_MAX) : -EINVAL;
	if (n >= 0) {
		target[n] = 0;
		n = udir->ops->symlink ? udir->ops->symlink(udir, on->name, on->len, target, up)
		                       : -EPERM;
	}
	kfree(target);
	return n < 0 ? n : 0;
}

/* Copies the extended attributes of lower to up.  An upper filesystem
 * that cannot hold them (FAT) loses them, loudly, without failing the
 * copy-up. */
static int copy_xattrs(struct vnode *lower, struct vnode *up)
{
	char *list, *value;
	int len, err = 0;

	if (!lower->ops->listxattr || !lower->ops->getxattr)
		return 0;
	list = kmalloc(XATTR_LIST_MAX);
	value = kmalloc(XATTR_SIZE_MAX);
	len = list && value ? lower->ops->listxattr(lower, list, XATTR_LIST_MAX) : -ENOMEM;
	if (len > 0 && !up->ops->setxattr) {
		printk("overlay: the upper filesystem cannot hold extended attributes: "
		       "dropped on copy-up\n");
		len = 0;
	}
	for (int i = 0; i < len && err == 0; i += (int)strlen(list + i) + 1) {
		int n = lower->ops->getxattr(lower, list + i, value, XATTR_SIZE_MAX);
		if (n >= 0)
			err = up->ops->setxattr(up, list + i, value, (size_t)n, 0);
	}
	kfree(list);
	kfree(value);
	return len < 0 ? len : err;
}

/* Makes the upper object for on (no data yet). */
static int make_upper(struct onode *on, struct vnode *udir, const struct vattr *va,
                      struct vnode **up)
{
	const struct vnode_ops *ops = udir->ops;
	uint32_t mode = va->mode;

	if (S_ISDIR(mode))
		return ops->mkdir ? ops->mkdir(udir, on->name, on->len, mode, up) : -EPERM;
	if (S_ISREG(mode))
		return ops->create ? ops->create(udir, on->name, on->len, mode, up) : -EPERM;
	if (S_ISLNK(mode))
		return copy_symlink(on->lower[0], udir, on, up);
	return ops->mknod ? ops->mknod(udir, on->name, on->len, mode, va->rdev, up) : -EPERM;
}

static void remove_upper(struct vnode *udir, struct onode *on, struct vnode *up)
{
	if (S_ISDIR(up->mode) && udir->ops->rmdir)
		udir->ops->rmdir(udir, on->name, on->len);
	else if (!S_ISDIR(up->mode) && udir->ops->unlink)
		udir->ops->unlink(udir, on->name, on->len);
}

static int copy_up_locked(struct onode *on, bool data)
{
	struct vnode *udir = ON(on->parent)->upper, *lower = on->lower[0], *up;
	struct vattr va;
	int err = vnode_getattr(lower, &va);

	if (err < 0)
		return err;
	if (vnode_lookup(udir, on->name, on->len, &up) == 0) {
		if (ovl_is_whiteout(up)) {
			vnode_put(up);
			return -ENOENT; /* deleted meanwhile */
		}
		__atomic_store_n(&on->upper, up, __ATOMIC_RELEASE);
		return 0;
	}
	err = make_upper(on, udir, &va, &up);
	if (err < 0)
		return err;
	if (data && S_ISREG(va.mode))
		err = copy_data(lower, up, va.size);
	if (err == 0)
		err = copy_xattrs(lower, up);
	if (err == 0 && up->ops->setattr && !S_ISLNK(va.mode))
		up->ops->setattr(up, &va,
		                 VATTR_MODE | VATTR_UID | VATTR_GID | VATTR_ATIME | VATTR_MTIME);
	if (err < 0) {
		remove_upper(udir, on, up);
		vnode_put(up);
		return err;
	}
	__atomic_store_n(&on->upper, up, __ATOMIC_RELEASE);
	return 0;
}

int ovl_copy_up(struct vnode *vn, bool data)
{
	struct onode *on = ON(vn);
	struct ovl_sb *osb = OSB(vn);
	int err;

	if (__atomic_load_n(&on->upper, __ATOMIC_ACQUIRE))
		return 0;
	if (!osb->upper.vn || (vn->sb->flags & MS_RDONLY))
		return -EROFS;
	if (!on->parent || on->removed)
		return -ENOENT;
	err = ovl_copy_up(on->parent, false);
	if (err < 0)
		return err;
	mutex_lock(&osb->copyup);
	if (!on->upper)
		err = copy_up_locked(on, data);
	mutex_unlock(&osb->copyup);
	return err;
}
