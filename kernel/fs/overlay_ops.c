/*
 * overlay: vnode operations.  Reads go to the upper copy if there is one,
 * else to the top lower; any change first copies the file (and its
 * parents) up.  Deleting a name that a lower layer holds leaves a
 * whiteout; a directory created over a whiteout is made opaque.  Rename
 * works on files and on directories that exist only in the upper layer;
 * a directory with lower layers gives EXDEV (as Linux overlayfs without
 * redirect_dir), which mv handles by copying.
 */
#include "fs/overlay_impl.h"
#include "mm/kmalloc.h"

static bool reserved(const char *name, size_t len)
{
	return len == OVL_OPAQUE_LEN && memcmp(name, OVL_OPAQUE, len) == 0;
}

/* Marks the node cached for (dir, name) as gone. */
static void forget(struct vnode *vn)
{
	ON(vn)->removed = true;
	ovl_unhash(ON(vn));
}

/* Removes a whiteout at name in udir; *had says whether there was one.
 * EEXIST if something else is there. */
static int drop_whiteout(struct vnode *udir, const char *name, size_t len, bool *had)
{
	struct vnode *vn;
	int err;

	*had = false;
	if (vnode_lookup(udir, name, len, &vn) < 0)
		return 0;
	*had = ovl_is_whiteout(vn);
	vnode_put(vn);
	if (!*had)
		return -EEXIST;
	err = udir->ops->unlink ? udir->ops->unlink(udir, name, len) : -EPERM;
	return err;
}

struct make {
	uint32_t mode;
	uint64_t rdev;
	const char *target;
};

static int make_in(struct vnode *udir, const char *name, size_t len, const struct make *mk,
                   struct vnode **up)
{
	const struct vnode_ops *ops = udir->ops;

	if (S_ISDIR(mk->mode))
		return ops->mkdir ? ops->mkdir(udir, name, len, mk->mode, up) : -EPERM;
	if (S_ISREG(mk->mode))
		return ops->create ? ops->create(udir, name, len, mk->mode, up) : -EPERM;
	if (S_ISLNK(mk->mode))
		return ops->symlink ? ops->symlink(udir, name, len, mk->target, up) : -EPERM;
	return ops->mknod ? ops->mknod(udir, name, len, mk->mode, mk->rdev, up) : -EPERM;
}

static int make_locked(struct vnode *udir, const char *name, size_t len, const struct make *mk)
{
	struct vnode *up;
	bool had;
	int err = drop_whiteout(udir, name, len, &had);

	if (err == 0)
		err = make_in(udir, name, len, mk, &up);
	if (err == 0 && had && S_ISDIR(mk->mode))
		err = ovl_make_opaque(up);
	if (err == 0)
		vnode_put(up);
	else if (had)
		ovl_whiteout(udir, name, len);
	return err;
}

static int make(struct vnode *dir, const char *name, size_t len, const struct make *mk,
                struct vnode **out)
{
	struct ovl_found f;
	int err;

	if (reserved(name, len))
		return -EPERM;
	err = ovl_copy_up(dir, false);
	if (err < 0)
		return err;
	/* found under the lock too: once it is released another task may
	 * remove the new name, and this create would fail with ENOENT */
	mutex_lock(&OSB(dir)->copyup);
	err = make_locked(ON(dir)->upper, name, len, mk);
	if (err == 0)
		err = ovl_find(dir, name, len, &f);
	mutex_unlock(&OSB(dir)->copyup);
	if (err == 0)
		err = ovl_node(dir, name, len, &f, out);
	return err;
}

static int ovl_create(struct vnode *dir, const char *name, size_t len, uint32_t mode,
                      struct vnode **out)
{
	struct make mk = {.mode = mode};

	return make(dir, name, len, &mk, out);
}

static int ovl_mkdir(struct vnode *dir, const char *name, size_t len, uint32_t mode,
                     struct vnode **out)
{
	struct make mk = {.mode = mode};

	return make(dir, name, len, &mk, out);
}

static int ovl_mknod(struct vnode *dir, const char *name, size_t len, uint32_t mode, uint64_t rdev,
                     struct vnode **out)
{
	struct make mk = {.mode = mode, .rdev = rdev};

	if (S_ISCHR(mode) && rdev == 0)
		return -EPERM; /* would read as a whiteout */
	return make(dir, name, len, &mk, out);
}

static int ovl_symlink(struct vnode *dir, const char *name, size_t len, const char *target,
                       struct vnode **out)
{
	struct make mk = {.mode = S_IFLNK | 0777, .target = target};

	return make(dir, name, len, &mk, out);
}

static int ovl_link(struct vnode *dir, const char *name, size_t len, struct vnode *target)
{
	struct vnode *udir;
	bool had;
	int err;

	if (reserved(name, len))
		return -EPERM;
	err = ovl_copy_up(target, true);
	if (err == 0)
		err = ovl_copy_up(dir, false);
	if (err < 0)
		return err;
	udir = ON(dir)->upper;
	mutex_lock(&OSB(dir)->copyup);
	err = drop_whiteout(udir, name, len, &had);
	if (err == 0)
		err =
		    udir->ops->link ? udir->ops->link(udir, name, len, ON(target)->upper) : -EPERM;
	if (err < 0 && had)
		ovl_whiteout(udir, name, len);
	mutex_unlock(&OSB(dir)->copyup);
	return err;
}

/* Removes name (looked up as vn) from the upper of dir and leaves a
 * whiteout if a lower layer holds it; copyup lock held. */
static int remove_locked(struct vnode *dir, const char *name, size_t len, struct vnode *vn)
{
	struct vnode *udir = ON(dir)->upper, *up = ON(vn)->upper;
	int err = 0;

	if (up && S_ISDIR(up->mode)) {
		err = ovl_clear_hidden(up);
		if (err == 0)
			err = udir->ops->rmdir ? udir->ops->rmdir(udir, name, len) : -EPERM;
	} else if (up) {
		err = udir->ops->unlink ? udir->ops->unlink(udir, name, len) : -EPERM;
	}
	if (err == 0 && ovl_lower_has(dir, name, len))
		err = ovl_whiteout(udir, name, len);
	return err;
}

static int remove(struct vnode *dir, const char *name, size_t len, bool is_dir)
{
	struct vnode *vn;
	int err = ovl_lookup(dir, name, len, &vn);

	if (err < 0)
		return err;
	if (S_ISDIR(vn->mode) != is_dir)
		err = is_dir ? -ENOTDIR : -EISDIR;
	if (err == 0 && is_dir)
		err = ovl_check_empty(vn);
	if (err == 0)
		err = ovl_copy_up(dir, false);
	if (err == 0) {
		mutex_lock(&OSB(dir)->copyup);
		err = remove_locked(dir, name, len, vn);
		mutex_unlock(&OSB(dir)->copyup);
	}
	if (err == 0)
		forget(vn);
	vnode_put(vn);
	return err;
}

static int ovl_unlink(struct vnode *dir, const char *name, size_t len)
{
	return remove(dir, name, len, false);
}

static int ovl_rmdir(struct vnode *dir, const char *name, size_t len)
{
	return remove(dir, name, len, true);
}

struct rename_args {
	struct vnode *olddir, *newdir, *src, *dst; /* dst may be NULL */
	const char *oldname, *newname;
	size_t oldlen, newlen;
};

/* Prepares the upper target: clears a target directory's hidden entries,
 * drops a whiteout a directory cannot replace, makes a moved directory
 * opaque where lower layers hold the new name. */
static int rename_prepare(struct rename_args *a)
{
	struct vnode *unew = ON(a->newdir)->upper;
	bool had;
	int err = 0;

	if (a->dst && ON(a->dst)->upper && S_ISDIR(a->dst->mode))
		err = ovl_clear_hidden(ON(a->dst)->upper);
	if (err == 0 && !a->dst && S_ISDIR(a->src->mode)) {
		err = drop_whiteout(unew, a->newname, a->newlen, &had);
		if (err == -EEXIST)
			err = 0;
	}
	if (err == 0 && S_ISDIR(a->src->mode) && ovl_lower_has(a->newdir, a->newname, a->newlen))
		err = ovl_make_opaque(ON(a->src)->upper);
	return err;
}

static void rename_move_node(struct rename_args *a)
{
	struct onode *on = ON(a->src);
	char *name = kmalloc(a->newlen + 1);

	ovl_unhash(on);
	if (!name)
		return;
	memcpy(name, a->newname, a->newlen);
	name[a->newlen] = 0;
	kfree(on->name);
	on->name = name;
	on->len = a->newlen;
	vnode_put(on->parent);
	on->parent = vnode_get(a->newdir);
}

static int rename_locked(struct rename_args *a)
{
	struct vnode *uold = ON(a->olddir)->upper, *unew = ON(a->newdir)->upper;
	int err = rename_prepare(a);

	if (err == 0)
		err = uold->ops->rename ? uold->ops->rename(uold, a->oldname, a->oldlen, unew,
		                                            a->newname, a->newlen)
		                        : -EPERM;
	if (err == 0 && ovl_lower_has(a->olddir, a->oldname, a->oldlen))
		err = ovl_whiteout(uold, a->oldname, a->oldlen);
	if (err == 0)
		rename_move_node(a);
	return err;
}

static int rename_checks(struct rename_args *a)
{
	int err;

	if (reserved(a->newname, a->newlen))
		return -EPERM;
	if (S_ISDIR(a->src->mode) && ON(a->src)->nlower > 0)
		return -EXDEV;
	if (a->dst && S_ISDIR(a->dst->mode) && (err = ovl_check_empty(a->dst)) < 0)
		return err;
	err = ovl_copy_up(a->src, true);
	if (err == 0)
		err = ovl_copy_up(a->newdir, false);
	return err;
}

static int ovl_rename(struct vnode *olddir, const char *oldname, size_t oldlen,
                      struct vnode *newdir, const char *newname, size_t newlen)
{
	struct rename_args a = {olddir, newdir, NULL, NULL, oldname, newname, oldlen, newlen};
	int err = ovl_lookup(olddir, oldname, oldlen, &a.src);

	if (err < 0)
		return err;
	err = ovl_lookup(newdir, newname, newlen, &a.dst);
	if (err == -ENOENT)
		err = 0;
	if (err == 0)
		err = rename_checks(&a);
	if (err == 0) {
		mutex_lock(&OSB(olddir)->copyup);
		err = rename_locked(&a);
		mutex_unlock(&OSB(olddir)->copyup);
	}
	if (err == 0 && a.dst)
		forget(a.dst);
	vnode_put(a.dst);
	vnode_put(a.src);
	return err;
}

static int ovl_readlink(struct vnode *vn, char *buf, size_t n)
{
	struct vnode *real = ovl_real(ON(vn));

	return real->ops->readlink ? real->ops->readlink(real, buf, n) : -EINVAL;
}

static ssize_t ovl_read(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	struct vnode *real = ovl_real(ON(vn));

	return real->ops->read ? real->ops->read(real, io, off) : -EINVAL;
}

static ssize_t ovl_write(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	int err = ovl_copy_up(vn, true);
	struct vnode *up = ON(vn)->upper;

	if (err < 0)
		return err;
	return up->ops->write ? up->ops->write(up, io, off) : -EINVAL;
}

static int ovl_truncate(struct vnode *vn, uint64_t size)
{
	int err = ovl_copy_up(vn, size != 0);
	struct vnode *up = ON(vn)->upper;

	if (err < 0)
		return err;
	return up->ops->truncate ? up->ops->truncate(up, size) : -EINVAL;
}

static int ovl_getattr(struct vnode *vn, struct vattr *va)
{
	int err = vnode_getattr(ovl_real(ON(vn)), va);

	va->dev = vn->sb->dev;
	va->ino = vn->ino;
	return err;
}

static int ovl_setattr(struct vnode *vn, const struct vattr *va, unsigned mask)
{
	int err = ovl_copy_up(vn, true);
	struct vnode *up = ON(vn)->upper;

	if (err < 0)
		return err;
	err = up->ops->setattr ? up->ops->setattr(up, va, mask) : -EPERM;
	if (err == 0)
		vn->mode = up->mode;
	return err;
}

/* Extended attributes: read from the file the overlay shows (upper or
 * topmost lower), changed on the upper after a copy-up (which copies the
 * lower's attributes first). */
static int ovl_getxattr(struct vnode *vn, const char *name, void *buf, size_t size)
{
	struct vnode *real = ovl_real(ON(vn));

	return real->ops->getxattr ? real->ops->getxattr(real, name, buf, size) : -EOPNOTSUPP;
}

static int ovl_listxattr(struct vnode *vn, char *buf, size_t size)
{
	struct vnode *real = ovl_real(ON(vn));

	return real->ops->listxattr ? real->ops->listxattr(real, buf, size) : 0;
}

static int ovl_setxattr(struct vnode *vn, const char *name, const void *value, size_t size,
                        int flags)
{
	int err = ovl_copy_up(vn, true);
	struct vnode *up = ON(vn)->upper;

	if (err < 0)
		return err;
	return up->ops->setxattr ? up->ops->setxattr(up, name, value, size, flags) : -EOPNOTSUPP;
}

static int ovl_removexattr(struct vnode *vn, const char *name)
{
	int err = ovl_copy_up(vn, true);
	struct vnode *up = ON(vn)->upper;

	if (err < 0)
		return err;
	return up->ops->removexattr ? up->ops->removexattr(up, name) : -EOPNOTSUPP;
}

const struct vnode_ops ovl_vops = {
    .lookup = ovl_lookup,
    .create = ovl_create,
    .mkdir = ovl_mkdir,
    .mknod = ovl_mknod,
    .symlink = ovl_symlink,
    .link = ovl_link,
    .unlink = ovl_unlink,
    .rmdir = ovl_rmdir,
    .rename = ovl_rename,
    .readlink = ovl_readlink,
    .read = ovl_read,
    .write = ovl_write,
    .truncate = ovl_truncate,
    .getattr = ovl_getattr,
    .setattr = ovl_setattr,
    .readdir = ovl_readdir,
    .release = ovl_release,
    .getxattr = ovl_getxattr,
    .setxattr = ovl_setxattr,
    .listxattr = ovl_listxattr,
    .removexattr = ovl_removexattr,
};
