/*
 * FAT vnode operations.  Each takes the filesystem lock for its whole
 * duration and drops vnode references only after releasing it.
 *
 * Files are mode 0644 (0444 with the read-only attribute), directories
 * 0755; owner root; nlink 1 for files, 2 for directories.  chmod sets or
 * clears the read-only attribute (from the write bits); utimes sets the
 * modification and access times; chown to anything but root, symlinks,
 * hard links and device nodes are refused with EPERM.
 */
#include "fs/fat/fat.h"
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"

static void lock(struct fat_fs *fs)
{
	mutex_lock(&fs->lock);
}

static void unlock(struct fat_fs *fs)
{
	mutex_unlock(&fs->lock);
}

/* A fresh 8.3 entry (name left blank) stamped with the current time. */
static void new_dirent(struct fat_dirent *de, uint8_t attr, uint32_t clus)
{
	int64_t now = vfs_now_ns();
	uint16_t date, time;
	uint8_t tenth;

	memset(de, 0, sizeof(*de));
	memset(de->name, ' ', 11);
	de->attr = attr;
	dirent_set_cluster(de, clus);
	fat_ns_to_time(now, &date, &time, &tenth);
	de->crt_date = de->wrt_date = de->acc_date = date;
	de->crt_time = de->wrt_time = time;
	de->crt_tenth = tenth;
}

static int fat_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	struct fat_fs *fs = FS(dir);
	struct fat_node *d = FN(dir);
	struct fat_found *f;
	int err;

	if (name_is_dotdot(name, len)) {
		lock(fs);
		err = d->parent ? 0 : -ENOENT;
		if (d->parent)
			*out = vnode_get(d->parent->vn);
		unlock(fs);
		return err;
	}
	f = kmalloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	lock(fs);
	err = d->removed ? -ENOENT : fat_dir_find(fs, d->first, name, len, f);
	if (err == 0)
		err = fat_node_get(fs, d, f, out);
	unlock(fs);
	kfree(f);
	return err;
}

/* Adds an entry made from tmpl under name in d and returns its vnode. */
static int add_and_get(struct fat_fs *fs, struct fat_node *d, const char *name, size_t len,
                       const struct fat_dirent *tmpl, struct vnode **out)
{
	struct fat_found *f = kmalloc(sizeof(*f));
	int err;

	if (!f)
		return -ENOMEM;
	err = fat_dir_add(fs, d->first, name, len, tmpl, &f->index);
	if (err == 0)
		err = fat_dir_read_entry(fs, d->first, f->index, &f->de);
	if (err == 0) {
		f->start = f->index;
		err = fat_node_get(fs, d, f, out);
	}
	kfree(f);
	return err;
}

static int check_writable(struct fat_fs *fs, struct fat_node *d)
{
	if (fs->readonly)
		return -EROFS;
	return d->removed ? -ENOENT : 0;
}

static int fat_create(struct vnode *dir, const char *name, size_t len, uint32_t mode,
                      struct vnode **out)
{
	struct fat_fs *fs = FS(dir);
	struct fat_dirent de;
	int err;

	new_dirent(&de, ATTR_ARCHIVE | (mode & 0222 ? 0 : ATTR_READ_ONLY), 0);
	lock(fs);
	err = check_writable(fs, FN(dir));
	if (err == 0)
		err = add_and_get(fs, FN(dir), name, len, &de, out);
	unlock(fs);
	return err;
}

static int mkdir_locked(struct fat_fs *fs, struct fat_node *d, const char *name, size_t len,
                        struct vnode **out)
{
	struct fat_dirent de;
	uint32_t c;
	int err = check_writable(fs, d);

	if (err == 0)
		err = fat_alloc(fs, 0, &c);
	if (err < 0)
		return err;
	new_dirent(&de, ATTR_DIRECTORY, c);
	err = fat_dir_init(fs, c, d->first, &de);
	if (err == 0)
		err = add_and_get(fs, d, name, len, &de, out);
	if (err < 0)
		fat_free_chain(fs, c);
	return err;
}

static int fat_mkdir(struct vnode *dir, const char *name, size_t len, uint32_t mode,
                     struct vnode **out)
{
	struct fat_fs *fs = FS(dir);
	int err;

	(void)mode;
	lock(fs);
	err = mkdir_locked(fs, FN(dir), name, len, out);
	unlock(fs);
	return err;
}

/* Drops the entry f of directory d: its slots, then its clusters now or,
 * if the file is open, when its last reference goes.  A removed open
 * directory gives up its parent, returned in *put for the caller to drop
 * after unlocking. */
static int drop_entry(struct fat_fs *fs, struct fat_node *d, const struct fat_found *f,
                      struct vnode **put)
{
	struct fat_node *n = fat_node_find(fs, d->first, f->index);
	int err = fat_dir_remove(fs, d->first, f->start, f->index);

	if (err < 0)
		return err;
	if (!n)
		return fat_free_chain(fs, dirent_cluster(&f->de));
	n->removed = true;
	if (fn_is_dir(n) && n->parent && n->parent != n) {
		*put = n->parent->vn;
		n->parent = NULL;
	}
	return 0;
}

/* unlink (dir false) and rmdir (dir true). */
static int remove_name(struct vnode *dir, const char *name, size_t len, bool want_dir)
{
	struct fat_fs *fs = FS(dir);
	struct fat_node *d = FN(dir);
	struct fat_found *f = kmalloc(sizeof(*f));
	struct vnode *put = NULL;
	int err;

	if (!f)
		return -ENOMEM;
	lock(fs);
	err = check_writable(fs, d);
	if (err == 0)
		err = fat_dir_find(fs, d->first, name, len, f);
	if (err == 0 && !want_dir && (f->de.attr & ATTR_DIRECTORY))
		err = -EISDIR;
	if (err == 0 && want_dir && !(f->de.attr & ATTR_DIRECTORY))
		err = -ENOTDIR;
	if (err == 0 && want_dir) {
		err = fat_dir_is_empty(fs, dirent_cluster(&f->de));
		err = err == 1 ? 0 : err == 0 ? -ENOTEMPTY : err;
	}
	if (err == 0)
		err = drop_entry(fs, d, f, &put);
	unlock(fs);
	kfree(f);
	vnode_put(put);
	return err;
}

static int fat_unlink(struct vnode *dir, const char *name, size_t len)
{
	return remove_name(dir, name, len, false);
}

static int fat_rmdir(struct vnode *dir, const char *name, size_t len)
{
	return remove_name(dir, name, len, true);
}

/* EINVAL if directory cluster c is nd or one of its ancestors. */
static int check_not_ancestor(struct fat_node *nd, uint32_t c)
{
	for (struct fat_node *x = nd; x; x = x->parent == x ? NULL : x->parent) {
		if (x->first == c)
			return -EINVAL;
	}
	return 0;
}

/* Checks the existing target t against the source s. */
static int check_target(struct fat_fs *fs, const struct fat_found *s, const struct fat_found *t)
{
	bool sdir = s->de.attr & ATTR_DIRECTORY, tdir = t->de.attr & ATTR_DIRECTORY;
	int err;

	if (sdir && !tdir)
		return -ENOTDIR;
	if (!sdir && tdir)
		return -EISDIR;
	if (!tdir)
		return 0;
	err = fat_dir_is_empty(fs, dirent_cluster(&t->de));
	return err == 1 ? 0 : err == 0 ? -ENOTEMPTY : err;
}

struct rename_op {
	struct fat_node *od, *nd;
	const char *oldname, *newname;
	size_t oldlen, newlen;
	struct fat_found *src, *dst;
	struct vnode *put[2]; /* references to drop after unlocking */
};

/* Moves an open source node and, for a directory, its ".." entry. */
static int rename_fixup(struct fat_fs *fs, struct rename_op *r, uint32_t index)
{
	struct fat_node *n = fat_node_find(fs, r->od->first, r->src->index);
	bool dir = r->src->de.attr & ATTR_DIRECTORY;

	if (n)
		fat_node_move(n, r->nd->first, index);
	if (!dir || r->od == r->nd)
		return 0;
	if (n && n->parent) {
		r->put[1] = n->parent->vn;
		n->parent = FN(vnode_get(r->nd->vn));
	}
	return fat_dir_set_parent(fs, dirent_cluster(&r->src->de), r->nd->first);
}

static int rename_locked(struct fat_fs *fs, struct rename_op *r)
{
	struct fat_dirent de;
	uint32_t index;
	int err = fat_dir_find(fs, r->od->first, r->oldname, r->oldlen, r->src);

	if (err < 0)
		return err;
	if (r->src->de.attr & ATTR_DIRECTORY)
		err = check_not_ancestor(r->nd, dirent_cluster(&r->src->de));
	if (err == 0)
		err = fat_dir_find(fs, r->nd->first, r->newname, r->newlen, r->dst);
	if (err == 0) {
		if (r->od == r->nd && r->dst->index == r->src->index)
			return 0; /* the same entry */
		err = check_target(fs, r->src, r->dst);
		if (err == 0)
			err = drop_entry(fs, r->nd, r->dst, &r->put[0]);
	} else if (err == -ENOENT) {
		err = 0;
	}
	if (err < 0)
		return err;
	de = r->src->de;
	de.ntres = 0;
	err = fat_dir_add(fs, r->nd->first, r->newname, r->newlen, &de, &index);
	if (err == 0)
		err = fat_dir_remove(fs, r->od->first, r->src->start, r->src->index);
	if (err == 0)
		err = rename_fixup(fs, r, index);
	return err;
}

static int fat_rename(struct vnode *olddir, const char *oldname, size_t oldlen,
                      struct vnode *newdir, const char *newname, size_t newlen)
{
	struct fat_fs *fs = FS(olddir);
	struct rename_op r = {.od = FN(olddir),
	                      .nd = FN(newdir),
	                      .oldname = oldname,
	                      .newname = newname,
	                      .oldlen = oldlen,
	                      .newlen = newlen};
	int err = -ENOMEM;

	if (olddir->sb != newdir->sb)
		return -EXDEV;
	r.src = kmalloc(sizeof(*r.src));
	r.dst = kmalloc(sizeof(*r.dst));
	if (r.src && r.dst) {
		lock(fs);
		err = check_writable(fs, r.od);
		if (err == 0)
			err = check_writable(fs, r.nd);
		if (err == 0)
			err = rename_locked(fs, &r);
		unlock(fs);
	}
	kfree(r.src);
	kfree(r.dst);
	vnode_put(r.put[0]);
	vnode_put(r.put[1]);
	return err;
}

static ssize_t fat_read(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	struct fat_fs *fs = FS(vn);
	ssize_t n;

	if (S_ISDIR(vn->mode))
		return -EISDIR;
	lock(fs);
	n = fat_file_read(fs, FN(vn), io, off);
	unlock(fs);
	return n;
}

static ssize_t fat_write(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	struct fat_fs *fs = FS(vn);
	ssize_t n;

	if (S_ISDIR(vn->mode))
		return -EISDIR;
	lock(fs);
	n = fs->readonly ? -EROFS : fat_file_write(fs, FN(vn), io, off);
	unlock(fs);
	return n;
}

static int fat_truncate(struct vnode *vn, uint64_t size)
{
	struct fat_fs *fs = FS(vn);
	int err;

	if (S_ISDIR(vn->mode))
		return -EISDIR;
	lock(fs);
	err = fs->readonly ? -EROFS : fat_file_truncate(fs, FN(vn), size);
	unlock(fs);
	return err;
}

static int fat_getattr(struct vnode *vn, struct vattr *va)
{
	struct fat_fs *fs = FS(vn);
	struct fat_node *n = FN(vn);
	uint32_t nclus = 0;
	int err = 0;

	lock(fs);
	if (fn_is_dir(n))
		err = fat_chain_len(fs, n->first, &nclus);
	else
		nclus = (uint32_t)(((uint64_t)n->size + fs->clus_size - 1) >> fs->clus_shift);
	va->dev = vn->sb->dev;
	va->ino = vn->ino;
	va->mode = vn->mode;
	va->nlink = fn_is_dir(n) ? 2 : 1;
	va->uid = va->gid = 0;
	va->rdev = 0;
	va->size = fn_is_dir(n) ? (uint64_t)nclus << fs->clus_shift : n->size;
	va->blocks = ((uint64_t)nclus << fs->clus_shift) / 512;
	va->atime_ns = n->atime;
	va->mtime_ns = n->mtime;
	va->ctime_ns = n->ctime;
	unlock(fs);
	return err;
}

static int fat_setattr(struct vnode *vn, const struct vattr *va, unsigned mask)
{
	struct fat_fs *fs = FS(vn);
	struct fat_node *n = FN(vn);
	int err;

	if (((mask & VATTR_UID) && va->uid != 0) || ((mask & VATTR_GID) && va->gid != 0))
		return -EPERM;
	lock(fs);
	if (fs->readonly) {
		unlock(fs);
		return -EROFS;
	}
	if ((mask & VATTR_MODE) && !fn_is_dir(n)) {
		n->attr =
		    (uint8_t)((n->attr & ~ATTR_READ_ONLY) | (va->mode & 0222 ? 0 : ATTR_READ_ONLY));
		vn->mode = fat_mode_of(n->attr);
	}
	if (mask & VATTR_MTIME)
		n->mtime = va->mtime_ns;
	if (mask & VATTR_ATIME)
		n->atime = va->atime_ns;
	n->ctime = vfs_now_ns();
	err = fat_node_sync(fs, n);
	unlock(fs);
	return err;
}

struct readdir_ctx {
	vfs_filldir_fn fill;
	void *ctx;
	uint32_t dir;
	uint64_t *cookie;
};

static int readdir_fn(void *ctx, struct fat_found *f)
{
	struct readdir_ctx *c = ctx;
	unsigned dtype = f->de.attr & ATTR_DIRECTORY ? DT_DIR : DT_REG;

	if (f->len > NAME_MAX)
		return 0;                    /* cannot be named through the VFS: skipped */
	*c->cookie = (uint64_t)f->start + 2; /* resumes at this entry */
	return c->fill(c->ctx, f->name, f->len, fat_ino(c->dir, f->index), dtype);
}

static int fat_readdir(struct vnode *dir, uint64_t *cookie, vfs_filldir_fn fill, void *ctx)
{
	struct fat_fs *fs = FS(dir);
	struct fat_node *d = FN(dir);
	struct readdir_ctx c = {.fill = fill, .ctx = ctx, .dir = d->first, .cookie = cookie};
	uint32_t pos;
	int err = 0;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	lock(fs);
	if (*cookie == 0 && !fill(ctx, ".", 1, dir->ino, DT_DIR))
		*cookie = 1;
	if (*cookie == 1 && !fill(ctx, "..", 2, d->parent ? d->parent->vn->ino : dir->ino, DT_DIR))
		*cookie = 2;
	if (*cookie >= 2 && !d->removed && *cookie - 2 < DIR_MAX_SLOTS) {
		pos = (uint32_t)(*cookie - 2);
		err = fat_dir_iter(fs, d->first, &pos, readdir_fn, &c);
		*cookie = (uint64_t)pos + 2;
	}
	unlock(fs);
	return err;
}

static int fat_no_symlink(struct vnode *dir, const char *name, size_t len, const char *target,
                          struct vnode **out)
{
	(void)dir, (void)name, (void)len, (void)target, (void)out;
	return -EPERM;
}

static int fat_no_link(struct vnode *dir, const char *name, size_t len, struct vnode *target)
{
	(void)dir, (void)name, (void)len, (void)target;
	return -EPERM;
}

static int fat_no_mknod(struct vnode *dir, const char *name, size_t len, uint32_t mode,
                        uint64_t rdev, struct vnode **out)
{
	(void)dir, (void)name, (void)len, (void)mode, (void)rdev, (void)out;
	return -EPERM;
}

const struct vnode_ops fat_vops = {
    .lookup = fat_lookup,
    .create = fat_create,
    .mkdir = fat_mkdir,
    .mknod = fat_no_mknod,
    .symlink = fat_no_symlink,
    .link = fat_no_link,
    .unlink = fat_unlink,
    .rmdir = fat_rmdir,
    .rename = fat_rename,
    .read = fat_read,
    .write = fat_write,
    .truncate = fat_truncate,
    .getattr = fat_getattr,
    .setattr = fat_setattr,
    .readdir = fat_readdir,
    .release = fat_release,
};
