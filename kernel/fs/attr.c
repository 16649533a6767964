/*
 * Attribute operations on a resolved path, for the system calls that name
 * their target either by a path or by an open file: vfs_path_setattr
 * (chmod, chown, utimes), vfs_path_access (access(2)) and vfs_path_statfs
 * (statfs(2)), plus the by-name forms vfs_access and vfs_statfs.
 */
#include "fs/notify.h"
#include "fs/permission.h"
#include "fs/vfs_impl.h"
#include "proc/cred.h"

int vfs_path_setattr(const struct path *p, const struct vattr *va, unsigned mask)
{
	struct vattr checked = *va;
	int err;

	if (path_readonly(p))
		return -EROFS;
	if (!p->vn->ops->setattr)
		return -EPERM;
	if ((err = vfs_setattr_permission(p->vn, &checked, &mask)) < 0)
		return err;
	err = p->vn->ops->setattr(p->vn, &checked, mask);
	if (err == 0)
		fsnotify_file(p->vn, NULL, NULL, 0, FSN_ATTRIB);
	return err;
}

/* The mode bits against the task's fs ids (access() swaps the real ids
 * in first, see vfs_access); EROFS for writing on a read-only mount. */
int vfs_path_access(const struct path *p, int mode)
{
	struct vattr va;
	uint32_t type;
	int err;

	mode &= ~VFS_AT_EACCESS;
	if (mode & ~(VFS_R_OK | VFS_W_OK | VFS_X_OK))
		return -EINVAL;
	err = vnode_getattr(p->vn, &va);
	if (err < 0)
		return err;
	type = va.mode & S_IFMT;
	if ((mode & VFS_W_OK) && path_readonly(p) &&
	    (type == S_IFREG || type == S_IFDIR || type == S_IFLNK))
		return -EROFS;
	/* VFS_*_OK are MAY_* */
	return vfs_permission_attr(&va, mode);
}

int vfs_access(struct fs_struct *fs, const char *path, bool follow, int mode)
{
	struct cred_fs_ids saved;
	struct path p;
	int err;

	if (!(mode & VFS_AT_EACCESS))
		cred_override_real(&saved);
	err = vfs_walk(fs, path, follow ? WALK_FOLLOW : 0, &p);
	if (err == 0) {
		err = vfs_path_access(&p, mode);
		path_put(&p);
	}
	if (!(mode & VFS_AT_EACCESS))
		cred_override_end(&saved);
	return err;
}

int vfs_path_statfs(const struct path *p, struct vfs_statfs *st)
{
	struct superblock *sb = p->mnt->sb;
	int err;

	if (!sb->type->statfs) {
		printk("vfs: statfs is not implemented by %s\n", sb->type->name);
		return -ENOSYS;
	}
	memset(st, 0, sizeof(*st));
	st->namelen = NAME_MAX;
	err = sb->type->statfs(sb, st);
	if (err < 0)
		return err;
	st->fsid = sb->dev;
	st->flags = path_readonly(p) ? VFS_ST_RDONLY : 0;
	if (!st->frsize)
		st->frsize = st->bsize;
	return 0;
}

int vfs_statfs(struct fs_struct *fs, const char *path, struct vfs_statfs *st)
{
	struct path p;
	int err = vfs_walk(fs, path, WALK_FOLLOW, &p);

	if (err < 0)
		return err;
	err = vfs_path_statfs(&p, st);
	path_put(&p);
	return err;
}
