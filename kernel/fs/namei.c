/*
 * Namespace operations by path, as the system calls need them: vfs_open,
 * vfs_stat, vfs_mkdir, vfs_mknod, vfs_unlink, vfs_rmdir, vfs_rename,
 * vfs_link, vfs_symlink, vfs_readlink, vfs_setattr, vfs_truncate, vfs_chdir
 * and vfs_getcwd.
 *
 * The VFS checks what is generic (read-only mounts, mount points in use,
 * "." and "..", types, umask); each filesystem's operation then does the
 * change under its own lock and reports races (EEXIST, ENOENT, ENOTEMPTY).
 */
#include "dev/blkdev.h"
#include "fs/notify.h"
#include "fs/permission.h"
#include "fs/vfs_impl.h"
#include "obj/kobj.h"
#include "obj/pipe.h"
#include "proc/cred.h"

/* The parent directory and last name of a path. */
struct nameidata {
	struct path parent;
	const char *name;
	size_t len;
	bool slash; /* the path ended in '/' */
};

static int nd_walk(struct fs_struct *fs, const char *path, struct nameidata *nd)
{
	return vfs_walk_parent(fs, path, &nd->parent, &nd->name, &nd->len, &nd->slash);
}

static bool nd_is_dots(const struct nameidata *nd)
{
	return name_is_dot(nd->name, nd->len) || name_is_dotdot(nd->name, nd->len);
}

/* The last component itself: no mount crossing, no symlink following. */
static int nd_child(struct nameidata *nd, struct vnode **out)
{
	return vnode_lookup(nd->parent.vn, nd->name, nd->len, out);
}

static bool is_mountpoint(struct fs_struct *fs, struct mount *mnt, struct vnode *vn)
{
	struct mount *m = mount_covering(fs->ns, mnt, vn);

	if (!m)
		return false;
	mount_put(m);
	return true;
}

static uint32_t apply_umask(struct fs_struct *fs, uint32_t mode)
{
	return mode & 07777 & ~__atomic_load_n(&fs->umask, __ATOMIC_RELAXED);
}

/* Checks that nd's name can be created: EEXIST, EROFS, EACCES, errors of
 * the parent lookup. */
static int nd_can_create(struct nameidata *nd)
{
	struct vnode *vn;
	int err;

	if (nd_is_dots(nd))
		return -EEXIST;
	err = nd_child(nd, &vn);
	if (err == 0) {
		vnode_put(vn);
		return -EEXIST;
	}
	if (err != -ENOENT)
		return err;
	if (path_readonly(&nd->parent))
		return -EROFS;
	return vfs_may_create(nd->parent.vn);
}

int vfs_mkdir(struct fs_struct *fs, const char *path, uint32_t mode)
{
	struct nameidata nd;
	struct vnode *vn, *dir;
	int err = nd_walk(fs, path, &nd);

	if (err < 0)
		return err;
	dir = nd.parent.vn;
	err = nd_can_create(&nd);
	if (err == 0 && !dir->ops->mkdir)
		err = -EPERM;
	if (err == 0)
		err = dir->ops->mkdir(dir, nd.name, nd.len, S_IFDIR | apply_umask(fs, mode), &vn);
	if (err == 0) {
		vfs_init_owner(dir, vn);
		fsnotify_create(dir, nd.name, nd.len, vn);
		vnode_put(vn);
	}
	path_put(&nd.parent);
	return err;
}

static int mknod_in(struct vnode *dir, struct nameidata *nd, uint32_t mode, uint64_t rdev)
{
	struct vnode *vn;
	int err;

	if (S_ISREG(mode)) {
		if (!dir->ops->create)
			return -EPERM;
		err = dir->ops->create(dir, nd->name, nd->len, mode, &vn);
	} else {
		if (!dir->ops->mknod)
			return -EPERM;
		err = dir->ops->mknod(dir, nd->name, nd->len, mode, rdev, &vn);
	}
	if (err == 0) {
		vfs_init_owner(dir, vn);
		fsnotify_create(dir, nd->name, nd->len, vn);
		vnode_put(vn);
	}
	return err;
}

int vfs_mknod(struct fs_struct *fs, const char *path, uint32_t mode, uint64_t rdev)
{
	uint32_t type = (mode & S_IFMT) ? (mode & S_IFMT) : S_IFREG;
	struct nameidata nd;
	int err;

	if (type == S_IFDIR)
		return -EPERM;
	if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
	    type != S_IFSOCK)
		return -EINVAL;
	err = nd_walk(fs, path, &nd);
	if (err < 0)
		return err;
	err = nd_can_create(&nd);
	if (err == 0 && nd.slash)
		err = -ENOENT;
	if (err == 0 && (type == S_IFCHR || type == S_IFBLK) &&
	    !cred_capable(cred_current(), CAP_MKNOD))
		err = -EPERM; /* Linux: CAP_MKNOD */
	if (err == 0)
		err = mknod_in(nd.parent.vn, &nd, type | apply_umask(fs, mode), rdev);
	path_put(&nd.parent);
	return err;
}

int vfs_symlink(struct fs_struct *fs, const char *target, const char *linkpath)
{
	size_t tlen = strnlen(target, PATH_MAX);
	struct nameidata nd;
	struct vnode *vn, *dir;
	int err;

	if (tlen == 0)
		return -ENOENT;
	if (tlen >= PATH_MAX)
		return -ENAMETOOLONG;
	err = nd_walk(fs, linkpath, &nd);
	if (err < 0)
		return err;
	dir = nd.parent.vn;
	err = nd_can_create(&nd);
	if (err == 0 && nd.slash)
		err = -ENOENT;
	if (err == 0 && !dir->ops->symlink)
		err = -EPERM;
	if (err == 0)
		err = dir->ops->symlink(dir, nd.name, nd.len, target, &vn);
	if (err == 0) {
		vfs_init_owner(dir, vn);
		fsnotify_create(dir, nd.name, nd.len, vn);
		vnode_put(vn);
	}
	path_put(&nd.parent);
	return err;
}

int vfs_link_path(struct fs_struct *fs, const struct path *old, const char *newpath)
{
	struct nameidata nd;
	int err;

	if (S_ISDIR(old->vn->mode))
		return -EPERM;
	err = nd_walk(fs, newpath, &nd);
	if (err < 0)
		return err;
	err = nd_can_create(&nd);
	if (err == 0 && nd.slash)
		err = -ENOENT;
	if (err == 0 && (old->mnt != nd.parent.mnt || old->vn->sb != nd.parent.vn->sb))
		err = -EXDEV;
	if (err == 0 && !nd.parent.vn->ops->link)
		err = -EPERM;
	if (err == 0)
		err = nd.parent.vn->ops->link(nd.parent.vn, nd.name, nd.len, old->vn);
	if (err == 0) {
		old->vn->linkable = false; /* named now: an O_TMPFILE links once */
		fsnotify_file(old->vn, NULL, NULL, 0, FSN_ATTRIB); /* its link count */
		fsnotify_create(nd.parent.vn, nd.name, nd.len, old->vn);
	}
	path_put(&nd.parent);
	return err;
}

int vfs_link(struct fs_struct *fs, const char *oldpath, const char *newpath)
{
	struct path old;
	int err = vfs_walk(fs, oldpath, 0, &old);

	if (err < 0)
		return err;
	err = vfs_link_path(fs, &old, newpath);
	path_put(&old);
	return err;
}

int vfs_unlink(struct fs_struct *fs, const char *path)
{
	struct nameidata nd;
	struct vnode *vn = NULL, *dir;
	int err = nd_walk(fs, path, &nd);

	if (err < 0)
		return err;
	dir = nd.parent.vn;
	err = nd_is_dots(&nd) ? -EISDIR : nd_child(&nd, &vn);
	if (err == 0 && S_ISDIR(vn->mode))
		err = -EISDIR;
	else if (err == 0 && nd.slash)
		err = -ENOTDIR;
	if (err == 0 && is_mountpoint(fs, nd.parent.mnt, vn))
		err = -EBUSY; /* a file bind mount sits on it */
	if (err == 0 && path_readonly(&nd.parent))
		err = -EROFS;
	if (err == 0)
		err = vfs_may_delete(dir, vn);
	if (err == 0 && !dir->ops->unlink)
		err = -EPERM;
	if (err == 0)
		err = dir->ops->unlink(dir, nd.name, nd.len);
	if (err == 0)
		fsnotify_delete(dir, nd.name, nd.len, vn);
	vnode_put(vn);
	path_put(&nd.parent);
	return err;
}

int vfs_rmdir(struct fs_struct *fs, const char *path)
{
	struct nameidata nd;
	struct vnode *vn = NULL, *dir;
	int err = nd_walk(fs, path, &nd);

	if (err < 0)
		return err;
	dir = nd.parent.vn;
	if (name_is_dot(nd.name, nd.len))
		err = -EINVAL;
	else if (name_is_dotdot(nd.name, nd.len))
		err = -ENOTEMPTY;
	else
		err = nd_child(&nd, &vn);
	if (err == 0 && !S_ISDIR(vn->mode))
		err = -ENOTDIR;
	if (err == 0 && is_mountpoint(fs, nd.parent.mnt, vn))
		err = -EBUSY;
	if (err == 0 && path_readonly(&nd.parent))
		err = -EROFS;
	if (err == 0)
		err = vfs_may_delete(dir, vn);
	if (err == 0 && !dir->ops->rmdir)
		err = -EPERM;
	if (err == 0)
		err = dir->ops->rmdir(dir, nd.name, nd.len);
	if (err == 0)
		fsnotify_delete(dir, nd.name, nd.len, vn);
	vnode_put(vn);
	path_put(&nd.parent);
	return err;
}

/* Type and busy checks between the source src and an existing target
 * dst of a rename. */
static int rename_target_check(struct fs_struct *fs, struct nameidata *newnd, struct vnode *src,
                               struct vnode *dst)
{
	if (S_ISDIR(src->mode) && !S_ISDIR(dst->mode))
		return -ENOTDIR;
	if (!S_ISDIR(src->mode) && S_ISDIR(dst->mode))
		return -EISDIR;
	if (is_mountpoint(fs, newnd->parent.mnt, dst))
		return -EBUSY;
	return 0;
}

/* Taking src out of its directory, and for a directory that changes
 * parent, rewriting its "..": write on it too. */
static int rename_source_permission(struct nameidata *o, struct nameidata *n, struct vnode *src)
{
	int err = vfs_may_delete(o->parent.vn, src);

	if (err == 0 && S_ISDIR(src->mode) && !vnode_same(o->parent.vn, n->parent.vn))
		err = vfs_permission(src, MAY_WRITE);
	return err;
}

static int rename_check(struct fs_struct *fs, struct nameidata *o, struct nameidata *n,
                        struct vnode *src, unsigned flags)
{
	struct vnode *dst;
	int err;

	if (o->slash && !S_ISDIR(src->mode))
		return -ENOTDIR;
	if (is_mountpoint(fs, o->parent.mnt, src))
		return -EBUSY;
	err = vnode_lookup(n->parent.vn, n->name, n->len, &dst);
	if (err == 0 && (flags & VFS_RENAME_NOREPLACE)) {
		vnode_put(dst);
		err = -EEXIST;
	} else if (err == 0) {
		err = vnode_same(src, dst) ? 1 : rename_target_check(fs, n, src, dst);
		if (err == 0)
			err = vfs_may_delete(n->parent.vn, dst);
		vnode_put(dst);
	} else if (err == -ENOENT) {
		err = (n->slash && !S_ISDIR(src->mode)) ? -ENOTDIR : 0;
		if (err == 0)
			err = vfs_may_create(n->parent.vn);
	}
	if (err == 0)
		err = rename_source_permission(o, n, src);
	if (err == 0 && S_ISDIR(src->mode) && vnode_is_ancestor(src, n->parent.vn))
		err = -EINVAL;
	if (err == 0 && path_readonly(&n->parent))
		err = -EROFS;
	if (err == 0 && !o->parent.vn->ops->rename)
		err = -EPERM;
	return err;
}

static int rename_nd(struct fs_struct *fs, struct nameidata *o, struct nameidata *n, unsigned flags)
{
	struct vnode *src, *victim = NULL;
	int err;

	if (nd_is_dots(o) || nd_is_dots(n))
		return -EBUSY;
	if (o->parent.mnt != n->parent.mnt || o->parent.vn->sb != n->parent.vn->sb)
		return -EXDEV;
	err = vnode_lookup(o->parent.vn, o->name, o->len, &src);
	if (err < 0)
		return err;
	err = rename_check(fs, o, n, src, flags);
	/* a file replaced is held over the rename, so that its last put
	 * after it reports it gone to its watchers */
	if (err == 0 && fsnotify_active() &&
	    vnode_lookup(n->parent.vn, n->name, n->len, &victim) < 0)
		victim = NULL;
	if (err == 0)
		err = o->parent.vn->ops->rename(o->parent.vn, o->name, o->len, n->parent.vn,
		                                n->name, n->len);
	if (err == 0) {
		if (victim && !S_ISDIR(victim->mode))
			fsnotify_file(victim, NULL, NULL, 0, FSN_ATTRIB); /* its link count */
		fsnotify_move(o->parent.vn, o->name, o->len, n->parent.vn, n->name, n->len, src);
	}
	vnode_put(victim);
	vnode_put(src);
	return err == 1 ? 0 : err; /* 1: the same file, nothing to do */
}

/* The checks of one side of an exchange: a (in nd a) goes where b is, in
 * the directory of nd b. */
static int exchange_side_check(struct fs_struct *fs, struct nameidata *a, struct vnode *va,
                               struct nameidata *b)
{
	if (a->slash && !S_ISDIR(va->mode))
		return -ENOTDIR;
	if (is_mountpoint(fs, a->parent.mnt, va))
		return -EBUSY;
	int err = rename_source_permission(a, b, va);
	if (err == 0 && S_ISDIR(va->mode) && vnode_is_ancestor(va, b->parent.vn))
		err = -EINVAL;
	return err;
}

static int exchange_nd(struct fs_struct *fs, struct nameidata *o, struct nameidata *n)
{
	struct vnode *src, *dst;
	int err;

	if (nd_is_dots(o) || nd_is_dots(n))
		return -EBUSY;
	if (o->parent.mnt != n->parent.mnt || o->parent.vn->sb != n->parent.vn->sb)
		return -EXDEV;
	err = vnode_lookup(o->parent.vn, o->name, o->len, &src);
	if (err < 0)
		return err;
	err = vnode_lookup(n->parent.vn, n->name, n->len, &dst);
	if (err < 0) {
		vnode_put(src);
		return err;
	}
	if (vnode_same(src, dst))
		err = 1;
	if (err == 0)
		err = exchange_side_check(fs, o, src, n);
	if (err == 0)
		err = exchange_side_check(fs, n, dst, o);
	if (err == 0 && path_readonly(&n->parent))
		err = -EROFS;
	if (err == 0 && !o->parent.vn->ops->exchange)
		err = -EINVAL;
	vnode_put(src);
	vnode_put(dst);
	if (err != 0)
		return err < 0 ? err : 0;
	return o->parent.vn->ops->exchange(o->parent.vn, o->name, o->len, n->parent.vn, n->name,
	                                   n->len);
}

int vfs_rename(struct fs_struct *fs, const char *oldpath, const char *newpath)
{
	return vfs_rename2(fs, oldpath, fs, newpath, 0);
}

int vfs_rename2(struct fs_struct *oldfs, const char *oldpath, struct fs_struct *newfs,
                const char *newpath, unsigned flags)
{
	struct nameidata o, n;
	int err;

	if ((flags & ~(unsigned)(VFS_RENAME_NOREPLACE | VFS_RENAME_EXCHANGE)) ||
	    (flags == (VFS_RENAME_NOREPLACE | VFS_RENAME_EXCHANGE)))
		return -EINVAL;
	err = nd_walk(oldfs, oldpath, &o);
	if (err < 0)
		return err;
	err = nd_walk(newfs, newpath, &n);
	if (err == 0) {
		err = (flags & VFS_RENAME_EXCHANGE) ? exchange_nd(newfs, &o, &n)
		                                    : rename_nd(newfs, &o, &n, flags);
		path_put(&n.parent);
	}
	path_put(&o.parent);
	return err;
}

int vfs_path_readlink(const struct path *p, char *buf, size_t n)
{
	if (n == 0 || !S_ISLNK(p->vn->mode) || !p->vn->ops->readlink)
		return -EINVAL;
	return p->vn->ops->readlink(p->vn, buf, n);
}

int vfs_readlink(struct fs_struct *fs, const char *path, char *buf, size_t n)
{
	struct path p;
	int err;

	if (n == 0)
		return -EINVAL;
	err = vfs_walk(fs, path, 0, &p);
	if (err < 0)
		return err;
	err = vfs_path_readlink(&p, buf, n);
	path_put(&p);
	return err;
}

int vfs_stat(struct fs_struct *fs, const char *path, bool follow, struct vattr *va)
{
	struct path p;
	int err = vfs_walk(fs, path, follow ? WALK_FOLLOW : 0, &p);

	if (err < 0)
		return err;
	err = vnode_getattr(p.vn, va);
	path_put(&p);
	return err;
}

int vfs_setattr(struct fs_struct *fs, const char *path, bool follow, const struct vattr *va,
                unsigned mask)
{
	struct path p;
	int err = vfs_walk(fs, path, follow ? WALK_FOLLOW : 0, &p);

	if (err < 0)
		return err;
	err = vfs_path_setattr(&p, va, mask);
	path_put(&p);
	return err;
}

int vfs_truncate(struct fs_struct *fs, const char *path, uint64_t size)
{
	struct path p;
	int err = vfs_walk(fs, path, WALK_FOLLOW, &p);

	if (err < 0)
		return err;
	if (S_ISDIR(p.vn->mode))
		err = -EISDIR;
	else if (!S_ISREG(p.vn->mode) || !p.vn->ops->truncate)
		err = -EINVAL;
	else if (path_readonly(&p))
		err = -EROFS;
	else if ((err = vfs_permission(p.vn, MAY_WRITE)) == 0)
		err = vnode_truncate(p.vn, size);
	if (err == 0)
		fsnotify_file(p.vn, NULL, NULL, 0, FSN_MODIFY);
	path_put(&p);
	return err;
}

int vfs_chdir(struct fs_struct *fs, const char *path)
{
	struct path p;
	int err = vfs_walk(fs, path, WALK_FOLLOW | WALK_DIR, &p);

	if (err < 0)
		return err;
	err = vfs_chdir_path(fs, &p);
	path_put(&p);
	return err;
}

int vfs_chdir_path(struct fs_struct *fs, const struct path *p)
{
	struct path old;
	int err;

	if (!S_ISDIR(p->vn->mode))
		return -ENOTDIR;
	if ((err = vfs_permission(p->vn, MAY_EXEC)) < 0)
		return err;
	spin_lock(&fs->lock);
	old = fs->cwd;
	fs->cwd = *p;
	path_get(&fs->cwd);
	spin_unlock(&fs->lock);
	path_put(&old);
	return 0;
}

int vfs_getcwd(struct fs_struct *fs, char *buf, size_t n)
{
	struct path cwd;
	int err;

	fs_get_cwd(fs, &cwd);
	err = vfs_path_string(fs, &cwd, buf, n);
	path_put(&cwd);
	return err;
}

/* One try of open_create.  *raced: the name came and went between our
 * lookup and our create (another task created it, then removed it), so
 * neither found nor made a file: the caller tries again. */
/* The directory the file was found or made in, and its name (for
 * set_origin). */
static void nd_keep(const struct nameidata *nd, struct path *dir, char *name)
{
	*dir = nd->parent;
	path_get(dir);
	memcpy(name, nd->name, nd->len);
	name[nd->len] = 0;
}

static int open_create_once(struct fs_struct *fs, const char *path, int oflags, uint32_t mode,
                            struct path *out, bool *created, bool *raced, struct path *odir,
                            char *name)
{
	struct nameidata nd;
	struct vnode *vn, *dir;
	int err = nd_walk(fs, path, &nd);

	if (err < 0)
		return err;
	dir = nd.parent.vn;
	err = nd.slash ? -EISDIR : walk_lookup(fs, &nd.parent, nd.name, nd.len, out);
	if (err == 0 && (oflags & O_EXCL)) {
		path_put(out);
		err = -EEXIST;
	} else if (err == 0 && S_ISLNK(out->vn->mode) && !(oflags & O_NOFOLLOW)) {
		path_put(out);
		err = vfs_walk(fs, path, WALK_FOLLOW, out);
	} else if (err == 0 && out->mnt == nd.parent.mnt) {
		nd_keep(&nd, odir, name);
	} else if (err == -ENOENT) {
		err = path_readonly(&nd.parent) ? -EROFS : vfs_may_create(dir);
		if (err == 0 && !dir->ops->create)
			err = -EPERM;
		if (err == 0)
			err = dir->ops->create(dir, nd.name, nd.len,
			                       S_IFREG | apply_umask(fs, mode), &vn);
		if (err == 0) {
			vfs_init_owner(dir, vn);
			fsnotify_create(dir, nd.name, nd.len, vn);
		}
		if (err == -EEXIST && !(oflags & O_EXCL)) {
			/* another task created it since our lookup: open theirs */
			err = walk_lookup(fs, &nd.parent, nd.name, nd.len, out);
			*raced = err == -ENOENT; /* ... and removed it already */
			path_put(&nd.parent);
			return err;
		}
		if (err == 0) {
			out->mnt = nd.parent.mnt;
			out->vn = vn;
			mount_get(out->mnt);
			*created = true;
			nd_keep(&nd, odir, name);
		}
	}
	path_put(&nd.parent);
	return err;
}

/* O_CREAT: finds the last component or creates a regular file there.
 * Without O_EXCL it must not fail because others create and remove the
 * same name meanwhile (upstream xv6's grind does exactly that). */
#define CREATE_TRIES 1000

static int open_create(struct fs_struct *fs, const char *path, int oflags, uint32_t mode,
                       struct path *out, bool *created, struct path *dir, char *name)
{
	int err = -ENOENT;
	for (int i = 0; i < CREATE_TRIES; i++) {
		bool raced = false;
		err = open_create_once(fs, path, oflags, mode, out, created, &raced, dir, name);
		if (!raced)
			break;
	}
	return err;
}

/* The mode bits for an existing file: read and/or write as the access
 * mode says, write for O_TRUNC; for exec, execute on a regular file. */
static int open_permission(const struct path *p, int oflags, bool exec)
{
	int acc = oflags & O_ACCMODE, mask = 0;

	if (exec && (p->mnt->flags & MS_NOEXEC))
		return -EACCES; /* a noexec mount */
	if (exec)
		return S_ISREG(p->vn->mode) ? vfs_permission(p->vn, MAY_EXEC) : -EACCES;
	if (acc == O_RDONLY || acc == O_RDWR)
		mask |= MAY_READ;
	if (acc == O_WRONLY || acc == O_RDWR || (oflags & O_TRUNC))
		mask |= MAY_WRITE;
	return vfs_permission(p->vn, mask);
}

/* What the object's mode allows for these open flags. */
static int open_check(const struct path *p, int oflags)
{
	uint32_t mode = p->vn->mode;
	int acc = oflags & O_ACCMODE;
	bool writes = acc != O_RDONLY || (oflags & O_TRUNC);

	if (S_ISLNK(mode))
		return -ELOOP;
	if ((oflags & O_DIRECTORY) && !S_ISDIR(mode))
		return -ENOTDIR;
	if (S_ISDIR(mode) && (writes || (oflags & O_CREAT)))
		return -EISDIR;
	if (S_ISREG(mode) && writes && path_readonly(p))
		return -EROFS;
	if ((S_ISCHR(mode) || S_ISBLK(mode)) && (p->mnt->flags & MS_NODEV))
		return -EACCES; /* a nodev mount */
	return 0;
}

static int open_node(const struct path *p, int oflags, bool created, struct kobj **out)
{
	struct vnode *vn = p->vn;
	struct vattr va;
	int err;

	if (S_ISCHR(vn->mode)) {
		err = vnode_getattr(vn, &va);
		return err < 0 ? err : chrdev_open(va.rdev, oflags, out);
	}
	if (S_ISBLK(vn->mode)) {
		err = vnode_getattr(vn, &va);
		return err < 0 ? err : blkdev_open_rdev(va.rdev, oflags, out);
	}
	if (S_ISFIFO(vn->mode))
		return pipe_open_fifo(p, oflags, out);
	if (!S_ISREG(vn->mode) && !S_ISDIR(vn->mode))
		return -ENXIO;
	if (S_ISREG(vn->mode) && (oflags & O_TRUNC) && !created) {
		err = vnode_truncate(vn, 0);
		if (err < 0)
			return err;
	}
	return file_open(p, oflags, out);
}

/* Records how a file was named (for /proc/PID/fd): the directory the
 * walk found it in and its name, or else the path as given, from the root
 * or the cwd. */
static void set_origin(struct fs_struct *fs, struct kobj *o, const struct path *dir,
                       const char *rel)
{
	struct path base;

	if (!file_vnode(o) || file_is_dir(o))
		return;
	if (dir->vn) {
		file_set_origin(o, dir, rel);
		return;
	}
	if (rel[0] == '/')
		fs_get_root(fs, &base);
	else
		fs_get_cwd(fs, &base);
	file_set_origin(o, &base, rel);
	path_put(&base);
}

static int open_path(struct fs_struct *fs, const char *path, int oflags, uint32_t mode, bool exec,
                     struct kobj **out)
{
	unsigned wflags = (oflags & O_NOFOLLOW) ? 0 : WALK_FOLLOW;
	bool created = false;
	struct path p, dir = {0};
	char name[NAME_MAX + 1];
	int err;

	if (oflags & O_PATH)
		wflags |= (oflags & O_DIRECTORY) ? WALK_DIR : 0;
	else if ((oflags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	if (oflags & O_PATH)
		err = vfs_walk(fs, path, wflags, &p);
	else if (oflags & O_CREAT)
		err = open_create(fs, path, oflags, mode, &p, &created, &dir, name);
	else
		err = vfs_walk_last(fs, path, wflags | ((oflags & O_DIRECTORY) ? WALK_DIR : 0), &p,
		                    &dir, name);
	if (err < 0)
		return err;
	if (oflags & O_PATH) {
		err = file_open(&p, O_PATH, out);
		path_put(&p);
		return err;
	}
	err = open_check(&p, oflags);
	if (err == 0 && !created)
		err = open_permission(&p, oflags, exec);
	if (err == 0)
		err = open_node(&p, oflags, created, out);
	path_put(&p);
	if (err == 0) {
		set_origin(fs, *out, &dir, dir.vn ? name : path);
		file_notify(*out, FSN_OPEN);
	}
	if (dir.vn)
		path_put(&dir);
	return err;
}

int vfs_open(struct fs_struct *fs, const char *path, int oflags, uint32_t mode, struct kobj **out)
{
	return open_path(fs, path, oflags, mode, false, out);
}

/* Creates a file under a name no one else uses and removes the name at
 * once: the file lives while open.  The name is visible for that moment
 * (the filesystems have no operation to create a file without one). */
static int create_unnamed(struct fs_struct *fs, struct vnode *dir, uint32_t mode,
                          struct vnode **out)
{
	static uint64_t seq;
	static const char prefix[] = ".#tmpfile.";
	char name[sizeof(prefix) + 16];
	int err = -EEXIST;

	for (int tries = 0; tries < 16; tries++) {
		uint64_t n = __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED);
		size_t len = sizeof(prefix) - 1;
		memcpy(name, prefix, len);
		for (int shift = 60; shift >= 0; shift -= 4) /* 16 hex digits */
			name[len++] = "0123456789abcdef"[(n >> shift) & 0xf];
		err = dir->ops->create(dir, name, len, S_IFREG | apply_umask(fs, mode), out);
		if (err == -EEXIST)
			continue;
		if (err < 0)
			return err;
		vfs_init_owner(dir, *out);
		err = dir->ops->unlink(dir, name, len);
		if (err < 0) {
			vnode_put(*out);
			return err;
		}
		return 0;
	}
	return err;
}

int vfs_open_tmpfile(struct fs_struct *fs, const char *path, int oflags, uint32_t mode,
                     struct kobj **out)
{
	struct path dir, p;
	int err = vfs_walk(fs, path, WALK_FOLLOW | WALK_DIR, &dir);

	if (err < 0)
		return err;
	if (!dir.vn->sb->type->tmpfile || !dir.vn->ops->create || !dir.vn->ops->unlink)
		err = -ENOTSUP; /* Linux: EOPNOTSUPP, the same number */
	else if (path_readonly(&dir))
		err = -EROFS;
	else
		err = vfs_may_create(dir.vn);
	if (err == 0)
		err = create_unnamed(fs, dir.vn, mode, &p.vn);
	if (err == 0) {
		p.vn->linkable = !(oflags & O_EXCL);
		p.mnt = dir.mnt;
		mount_get(p.mnt);
		err = file_open(&p, oflags & ~(O_CREAT | O_EXCL | O_TRUNC | O_DIRECTORY), out);
		path_put(&p);
	}
	path_put(&dir);
	return err;
}

int vfs_open_exec(struct fs_struct *fs, const char *path, struct kobj **out)
{
	return open_path(fs, path, O_RDONLY, 0, true, out);
}

int vfs_open_exec_nofollow(struct fs_struct *fs, const char *path, struct kobj **out)
{
	return open_path(fs, path, O_RDONLY | O_NOFOLLOW, 0, true, out);
}

int vfs_path_open_exec(const struct path *p, struct kobj **out)
{
	int err = open_permission(p, O_RDONLY, true);

	return err < 0 ? err : open_node(p, O_RDONLY, false, out);
}
