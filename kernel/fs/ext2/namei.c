/*
 * ext2 namespace operations: lookup, create, mkdir, mknod, symlink, link,
 * unlink, rmdir and rename, and the vnode operation table.
 *
 * Link counts follow the ext2 rules: a file counts its directory entries;
 * a directory counts its entry in the parent, its own "." and the ".." of
 * each subdirectory.  An inode whose count reaches zero is freed when its
 * last reference goes (ext2_iput), so an unlinked open file stays
 * readable until closed.  Each operation holds the filesystem lock.
 */
#include "fs/ext2/ext2.h"

#define LINK_MAX       65000
#define MAX_DEPTH_WALK 4096

static bool removed(struct ext2_inode *dir)
{
	return dir->d.i_links_count == 0;
}

/* The referenced inode an entry of dir names. */
static int entry_inode(struct ext2_inode *dir, const char *name, size_t len,
                       struct ext2_inode **out)
{
	uint32_t ino;
	int err = ext2_dir_find(dir, name, len, &ino);

	if (err < 0)
		return err;
	err = ext2_iget(dir->fs, ino, out);
	if (err == 0 && ((*out)->d.i_links_count == 0 || !((*out)->d.i_mode & S_IFMT))) {
		ext2_iput(*out);
		err = ext2_corrupt(dir->fs, "directory entry names a free inode", ino);
	}
	return err;
}

static int ext2_lookup(struct vnode *dirvn, const char *name, size_t len, struct vnode **out)
{
	struct ext2_fs *fs = EXT2_FS(dirvn);
	struct ext2_inode *dir = dirvn->priv, *ip;
	int err;

	if (!S_ISDIR(dirvn->mode))
		return -ENOTDIR;
	mutex_lock(&fs->lock);
	err = removed(dir) ? -ENOENT : entry_inode(dir, name, len, &ip);
	if (err == 0)
		err = ext2_vnode_of(ip, out);
	mutex_unlock(&fs->lock);
	return err;
}

struct make_args {
	uint32_t mode;
	uint64_t rdev;
	const char *target;
};

/* Sets up a freshly allocated inode as the args describe. */
static int fill_new(struct ext2_inode *dir, struct ext2_inode *ip, const struct make_args *a)
{
	struct ext2_dinode *d = &ip->d;
	uint32_t now = ext2_now();

	memset(d, 0, sizeof(*d));
	d->i_mode = (uint16_t)a->mode;
	d->i_atime = d->i_ctime = d->i_mtime = now;
	d->i_links_count = S_ISDIR(a->mode) ? 2 : 1;
	ip->dirty = true;
	if (S_ISDIR(a->mode))
		return ext2_dir_init(ip, dir->ino);
	if (S_ISCHR(a->mode) || S_ISBLK(a->mode))
		ext2_set_rdev(ip, a->rdev);
	if (a->target) {
		size_t n = strlen(a->target);
		if (n < EXT2_FAST_SYMLINK_MAX) {
			memcpy(d->i_block, a->target, n);
			ext2_set_isize(ip, n);
			return 0;
		}
		return ext2_kwrite(ip, a->target, n, 0);
	}
	return 0;
}

static int make_locked(struct ext2_inode *dir, const char *name, size_t len,
                       const struct make_args *a, struct ext2_inode **out)
{
	struct ext2_fs *fs = dir->fs;
	bool isdir = S_ISDIR(a->mode);
	struct ext2_inode *ip;
	uint32_t ino;
	int err;

	if (removed(dir))
		return -ENOENT;
	if (isdir && dir->d.i_links_count >= LINK_MAX)
		return -EMLINK;
	err = ext2_dir_find(dir, name, len, &ino);
	if (err != -ENOENT)
		return err < 0 ? err : -EEXIST;
	err = ext2_ialloc(fs, dir->ino, isdir, &ino);
	if (err < 0)
		return err;
	err = ext2_iget(fs, ino, &ip);
	if (err < 0)
		return err;
	err = fill_new(dir, ip, a);
	if (err == 0)
		err = ext2_dir_add(dir, name, len, ino, a->mode);
	if (err < 0) {
		ip->d.i_links_count = 0; /* ext2_iput frees it again */
		ext2_iput(ip);
		return err;
	}
	if (isdir)
		dir->d.i_links_count++;
	*out = ip;
	return 0;
}

static int make(struct vnode *dirvn, const char *name, size_t len, const struct make_args *a,
                struct vnode **out)
{
	struct ext2_fs *fs = EXT2_FS(dirvn);
	struct ext2_inode *ip;
	int err;

	if (fs->rdonly)
		return -EROFS;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	mutex_lock(&fs->lock);
	err = make_locked(dirvn->priv, name, len, a, &ip);
	if (err == 0)
		err = ext2_vnode_of(ip, out);
	mutex_unlock(&fs->lock);
	return err;
}

static int ext2_create(struct vnode *dir, const char *name, size_t len, uint32_t mode,
                       struct vnode **out)
{
	struct make_args a = {.mode = S_IFREG | (mode & 07777)};

	return make(dir, name, len, &a, out);
}

static int ext2_mkdir(struct vnode *dir, const char *name, size_t len, uint32_t mode,
                      struct vnode **out)
{
	struct make_args a = {.mode = S_IFDIR | (mode & 07777)};

	return make(dir, name, len, &a, out);
}

static int ext2_mknod(struct vnode *dir, const char *name, size_t len, uint32_t mode, uint64_t rdev,
                      struct vnode **out)
{
	struct make_args a = {.mode = mode, .rdev = rdev};

	if (S_ISDIR(mode) || S_ISLNK(mode) || !(mode & S_IFMT))
		return -EINVAL;
	return make(dir, name, len, &a, out);
}

static int ext2_symlink(struct vnode *dir, const char *name, size_t len, const char *target,
                        struct vnode **out)
{
	struct make_args a = {.mode = S_IFLNK | 0777, .target = target};

	if (strnlen(target, PATH_MAX) >= EXT2_FS(dir)->bsize)
		return -ENAMETOOLONG;
	return make(dir, name, len, &a, out);
}

static int ext2_link(struct vnode *dirvn, const char *name, size_t len, struct vnode *target)
{
	struct ext2_fs *fs = EXT2_FS(dirvn);
	struct ext2_inode *dir = dirvn->priv, *ip = target->priv;
	uint32_t ino;
	int err;

	if (target->sb != dirvn->sb)
		return -EXDEV;
	if (S_ISDIR(target->mode))
		return -EPERM;
	if (fs->rdonly)
		return -EROFS;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	mutex_lock(&fs->lock);
	if (removed(dir) || (ip->d.i_links_count == 0 && !target->linkable))
		err = -ENOENT;
	else if (ip->d.i_links_count >= LINK_MAX)
		err = -EMLINK;
	else if ((err = ext2_dir_find(dir, name, len, &ino)) != -ENOENT)
		err = err < 0 ? err : -EEXIST;
	else
		err = ext2_dir_add(dir, name, len, ip->ino, ip->d.i_mode);
	if (err == 0) {
		ip->d.i_links_count++;
		ext2_touch(ip, false, true);
	}
	mutex_unlock(&fs->lock);
	return err;
}

/* Removes the entry name of dir naming ip, dropping the links it held. */
static int drop_entry(struct ext2_inode *dir, const char *name, size_t len, struct ext2_inode *ip)
{
	int err = ext2_dir_remove(dir, name, len);

	if (err < 0)
		return err;
	if (S_ISDIR(ip->d.i_mode)) {
		ip->d.i_links_count = 0;
		if (dir->d.i_links_count > 1)
			dir->d.i_links_count--;
	} else if (ip->d.i_links_count) {
		ip->d.i_links_count--;
	}
	ext2_touch(ip, false, true);
	return 0;
}

static int remove_entry(struct vnode *dirvn, const char *name, size_t len, bool isdir)
{
	struct ext2_fs *fs = EXT2_FS(dirvn);
	struct ext2_inode *ip;
	int err;

	if (fs->rdonly)
		return -EROFS;
	mutex_lock(&fs->lock);
	err = entry_inode(dirvn->priv, name, len, &ip);
	if (err < 0)
		goto out;
	if (!isdir && S_ISDIR(ip->d.i_mode))
		err = -EISDIR;
	else if (isdir && !S_ISDIR(ip->d.i_mode))
		err = -ENOTDIR;
	else if (isdir && (err = ext2_dir_empty(ip)) >= 0)
		err = err ? 0 : -ENOTEMPTY;
	if (err == 0)
		err = drop_entry(dirvn->priv, name, len, ip);
	ext2_iput(ip);
out:
	mutex_unlock(&fs->lock);
	return err;
}

static int ext2_unlink(struct vnode *dir, const char *name, size_t len)
{
	return remove_entry(dir, name, len, false);
}

static int ext2_rmdir(struct vnode *dir, const char *name, size_t len)
{
	return remove_entry(dir, name, len, true);
}

/* -EINVAL if directory src is dir or one of its ancestors. */
static int check_not_ancestor(struct ext2_fs *fs, uint32_t src, uint32_t dir)
{
	for (int i = 0; i < MAX_DEPTH_WALK; i++) {
		struct ext2_inode *ip;
		uint32_t parent;
		int err;
		if (dir == src)
			return -EINVAL;
		if (dir == EXT2_ROOT_INO)
			return 0;
		err = ext2_iget(fs, dir, &ip);
		if (err < 0)
			return err;
		err = ext2_dir_find(ip, "..", 2, &parent);
		ext2_iput(ip);
		if (err < 0)
			return err == -ENOENT ? ext2_corrupt(fs, "directory without ..", dir) : err;
		dir = parent;
	}
	return ext2_corrupt(fs, "directory loop at inode", dir);
}

/* Type checks of src replacing dst; 1 if there is nothing to do. */
static int replace_check(struct ext2_inode *src, struct ext2_inode *dst)
{
	if (dst->ino == src->ino)
		return 1;
	if (S_ISDIR(src->d.i_mode) && !S_ISDIR(dst->d.i_mode))
		return -ENOTDIR;
	if (!S_ISDIR(src->d.i_mode) && S_ISDIR(dst->d.i_mode))
		return -EISDIR;
	if (S_ISDIR(dst->d.i_mode)) {
		int e = ext2_dir_empty(dst);
		return e < 0 ? e : (e ? 0 : -ENOTEMPTY);
	}
	return 0;
}

struct rename_args {
	struct ext2_inode *od, *nd, *src, *dst;
	const char *oldname, *newname;
	size_t oldlen, newlen;
};

/* Does the change once every check passed. */
static int rename_apply(struct rename_args *r)
{
	bool isdir = S_ISDIR(r->src->d.i_mode);
	int err;

	if (r->dst) {
		err = ext2_dir_set(r->nd, r->newname, r->newlen, r->src->ino, r->src->d.i_mode);
		if (err == 0 && S_ISDIR(r->dst->d.i_mode)) {
			r->dst->d.i_links_count = 0;
			r->nd->d.i_links_count--;
		} else if (err == 0) {
			r->dst->d.i_links_count--;
		}
		if (err == 0)
			ext2_touch(r->dst, false, true);
	} else {
		if (isdir && r->od != r->nd && r->nd->d.i_links_count >= LINK_MAX)
			return -EMLINK;
		err = ext2_dir_add(r->nd, r->newname, r->newlen, r->src->ino, r->src->d.i_mode);
	}
	if (err == 0)
		err = ext2_dir_remove(r->od, r->oldname, r->oldlen);
	if (err == 0 && isdir && r->od != r->nd) {
		err = ext2_dir_set(r->src, "..", 2, r->nd->ino, S_IFDIR);
		r->od->d.i_links_count--;
		r->nd->d.i_links_count++;
	}
	ext2_touch(r->src, false, true);
	return err;
}

static int rename_locked(struct rename_args *r)
{
	struct ext2_fs *fs = r->od->fs;
	int err;

	if (removed(r->nd))
		return -ENOENT;
	err = entry_inode(r->od, r->oldname, r->oldlen, &r->src);
	if (err < 0)
		return err;
	err = entry_inode(r->nd, r->newname, r->newlen, &r->dst);
	if (err == -ENOENT) {
		r->dst = NULL;
		err = 0;
	} else if (err == 0) {
		err = replace_check(r->src, r->dst);
	}
	if (err == 0 && S_ISDIR(r->src->d.i_mode) && r->od != r->nd)
		err = check_not_ancestor(fs, r->src->ino, r->nd->ino);
	if (err == 0)
		err = rename_apply(r);
	if (r->dst)
		ext2_iput(r->dst);
	ext2_iput(r->src);
	return err < 0 ? err : 0;
}

static int ext2_rename(struct vnode *olddir, const char *oldname, size_t oldlen,
                       struct vnode *newdir, const char *newname, size_t newlen)
{
	struct ext2_fs *fs = EXT2_FS(olddir);
	struct rename_args r = {.od = olddir->priv,
	                        .nd = newdir->priv,
	                        .oldname = oldname,
	                        .oldlen = oldlen,
	                        .newname = newname,
	                        .newlen = newlen};
	int err;

	if (olddir->sb != newdir->sb)
		return -EXDEV;
	if (fs->rdonly)
		return -EROFS;
	if (newlen > NAME_MAX)
		return -ENAMETOOLONG;
	mutex_lock(&fs->lock);
	err = rename_locked(&r);
	mutex_unlock(&fs->lock);
	return err;
}

/* Swaps the inodes two entries name (and their file types); directories
 * that change parent get their ".." rewritten and move a link of the
 * parents' counts. */
static int exchange_apply(struct rename_args *r)
{
	struct ext2_inode *a = r->src, *b = r->dst;
	bool adir = S_ISDIR(a->d.i_mode), bdir = S_ISDIR(b->d.i_mode);
	int err = ext2_dir_set(r->od, r->oldname, r->oldlen, b->ino, b->d.i_mode);
	if (err == 0)
		err = ext2_dir_set(r->nd, r->newname, r->newlen, a->ino, a->d.i_mode);
	if (err == 0 && r->od != r->nd && adir)
		err = ext2_dir_set(a, "..", 2, r->nd->ino, S_IFDIR);
	if (err == 0 && r->od != r->nd && bdir)
		err = ext2_dir_set(b, "..", 2, r->od->ino, S_IFDIR);
	if (err == 0 && r->od != r->nd && adir != bdir) {
		struct ext2_inode *gains = adir ? r->nd : r->od, *loses = adir ? r->od : r->nd;
		gains->d.i_links_count++;
		loses->d.i_links_count--;
		ext2_touch(gains, false, true);
		ext2_touch(loses, false, true);
	}
	ext2_touch(a, false, true);
	ext2_touch(b, false, true);
	return err;
}

static int exchange_locked(struct rename_args *r)
{
	struct ext2_fs *fs = r->od->fs;
	if (removed(r->od) || removed(r->nd))
		return -ENOENT;
	int err = entry_inode(r->od, r->oldname, r->oldlen, &r->src);
	if (err < 0)
		return err;
	err = entry_inode(r->nd, r->newname, r->newlen, &r->dst);
	if (err < 0) {
		ext2_iput(r->src);
		return err;
	}
	if (r->src->ino != r->dst->ino) {
		if (S_ISDIR(r->src->d.i_mode) && r->od != r->nd)
			err = check_not_ancestor(fs, r->src->ino, r->nd->ino);
		if (err == 0 && S_ISDIR(r->dst->d.i_mode) && r->od != r->nd)
			err = check_not_ancestor(fs, r->dst->ino, r->od->ino);
		if (err == 0 && r->od != r->nd &&
		    S_ISDIR(r->src->d.i_mode) != S_ISDIR(r->dst->d.i_mode)) {
			struct ext2_inode *gains = S_ISDIR(r->src->d.i_mode) ? r->nd : r->od;
			if (gains->d.i_links_count >= LINK_MAX)
				err = -EMLINK;
		}
		if (err == 0)
			err = exchange_apply(r);
	}
	ext2_iput(r->dst);
	ext2_iput(r->src);
	return err;
}

static int ext2_exchange(struct vnode *olddir, const char *oldname, size_t oldlen,
                         struct vnode *newdir, const char *newname, size_t newlen)
{
	struct ext2_fs *fs = EXT2_FS(olddir);
	struct rename_args r = {.od = olddir->priv,
	                        .nd = newdir->priv,
	                        .oldname = oldname,
	                        .oldlen = oldlen,
	                        .newname = newname,
	                        .newlen = newlen};
	if (olddir->sb != newdir->sb)
		return -EXDEV;
	if (fs->rdonly)
		return -EROFS;
	mutex_lock(&fs->lock);
	int err = exchange_locked(&r);
	mutex_unlock(&fs->lock);
	return err;
}

const struct vnode_ops ext2_vops = {
    .lookup = ext2_lookup,
    .create = ext2_create,
    .mkdir = ext2_mkdir,
    .mknod = ext2_mknod,
    .symlink = ext2_symlink,
    .link = ext2_link,
    .unlink = ext2_unlink,
    .rmdir = ext2_rmdir,
    .rename = ext2_rename,
    .exchange = ext2_exchange,
    .readlink = ext2_readlink,
    .read = ext2_read,
    .write = ext2_write,
    .truncate = ext2_truncate,
    .getattr = ext2_getattr,
    .setattr = ext2_setattr,
    .readdir = ext2_readdir,
    .release = ext2_release,
    .getxattr = ext2_getxattr,
    .setxattr = ext2_setxattr,
    .listxattr = ext2_listxattr,
    .removexattr = ext2_removexattr,
};
