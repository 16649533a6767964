/*
 * Extended attributes: the checks every filesystem shares (names,
 * namespaces, permissions, read-only mounts, hiding trusted.* from
 * ordinary users), in front of the optional vnode operations that store
 * them (tmpfs in memory, ext2 in its attribute block).
 *
 * Linux's rules: user.* only on regular files and directories (a symlink
 * or device has none: ENODATA to read, EPERM to write), with the file's
 * read or write permission, and only the owner writes on a sticky
 * directory; trusted.* is for an admin only (others get EPERM on writes,
 * ENODATA on reads, and do not see the names listed); security.* is read
 * by anyone and written by an admin.
 */
#include "fs/notify.h"
#include "fs/permission.h"
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"
#include "proc/cred.h"

enum xattr_ns { NS_USER, NS_TRUSTED, NS_SECURITY };

static const struct {
	const char *prefix;
	size_t len;
} namespaces[] = {
    [NS_USER] = {"user.", 5},
    [NS_TRUSTED] = {"trusted.", 8},
    [NS_SECURITY] = {"security.", 9},
};

/* The namespace of name; EOPNOTSUPP for an unknown one, EINVAL for a
 * bare prefix. */
static int xattr_namespace(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(namespaces); i++) {
		if (strncmp(name, namespaces[i].prefix, namespaces[i].len) != 0)
			continue;
		return name[namespaces[i].len] ? (int)i : -EINVAL;
	}
	return -EOPNOTSUPP;
}

static int user_permission(const struct vattr *va, int mask)
{
	uint32_t type = va->mode & S_IFMT;
	const struct cred *c = cred_current();

	if (type != S_IFREG && type != S_IFDIR)
		return (mask & MAY_WRITE) ? -EPERM : -ENODATA;
	if (type == S_IFDIR && (va->mode & S_ISVTX) && (mask & MAY_WRITE) &&
	    !cred_capable(c, CAP_FOWNER) && c->fsuid != va->uid)
		return -EPERM;
	return vfs_permission_attr(va, mask);
}

/* May the task read (MAY_READ) or change (MAY_WRITE) name on vn?  Returns
 * the namespace or -errno. */
static int xattr_check(struct vnode *vn, const char *name, int mask)
{
	const struct cred *c = cred_current();
	struct vattr va;
	int ns = xattr_namespace(name), err;

	if (ns < 0)
		return ns;
	switch (ns) {
	case NS_TRUSTED:
		if (!cred_capable(c, CAP_SYS_ADMIN))
			return (mask & MAY_WRITE) ? -EPERM : -ENODATA;
		return ns;
	case NS_SECURITY:
		return (mask & MAY_WRITE) && !cred_capable(c, CAP_SYS_ADMIN) ? -EPERM : ns;
	default:
		err = vnode_getattr(vn, &va);
		if (err < 0)
			return err;
		err = user_permission(&va, mask);
		return err < 0 ? err : ns;
	}
}

static int unsupported(const struct path *p)
{
	/* FAT, procfs and devfs cannot hold them (nor can they on Linux);
	 * overlay logs its own message (overlay_ops.c). */
	(void)p;
	return -EOPNOTSUPP;
}

int vfs_path_getxattr(const struct path *p, const char *name, void *buf, size_t size)
{
	int err = xattr_check(p->vn, name, MAY_READ);

	if (err < 0)
		return err;
	if (!p->vn->ops->getxattr)
		return unsupported(p);
	return p->vn->ops->getxattr(p->vn, name, buf, size);
}

/* Set and remove share the checks for a change. */
static int change_check(const struct path *p, const char *name)
{
	int err;

	if (path_readonly(p))
		return -EROFS;
	err = xattr_check(p->vn, name, MAY_WRITE);
	return err < 0 ? err : 0;
}

int vfs_path_setxattr(const struct path *p, const char *name, const void *value, size_t size,
                      int flags)
{
	int err;

	if (path_readonly(p))
		return -EROFS;
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	if (size > XATTR_SIZE_MAX)
		return -E2BIG;
	if ((err = change_check(p, name)) < 0)
		return err;
	if (!p->vn->ops->setxattr)
		return unsupported(p);
	err = p->vn->ops->setxattr(p->vn, name, value, size, flags);
	if (err == 0)
		fsnotify_file(p->vn, NULL, NULL, 0, FSN_ATTRIB);
	return err;
}

int vfs_path_removexattr(const struct path *p, const char *name)
{
	int err = change_check(p, name);

	if (err < 0)
		return err;
	if (!p->vn->ops->removexattr)
		return unsupported(p);
	err = p->vn->ops->removexattr(p->vn, name);
	if (err == 0)
		fsnotify_file(p->vn, NULL, NULL, 0, FSN_ATTRIB);
	return err;
}

/* Drops the names the task may not see from the list of len bytes;
 * returns the new length. */
static size_t list_filter(char *list, size_t len)
{
	bool admin = cred_capable(cred_current(), CAP_SYS_ADMIN);
	size_t in = 0, out = 0;

	while (in < len) {
		size_t n = strnlen(list + in, len - in) + 1;
		bool hide = !admin && xattr_namespace(list + in) == NS_TRUSTED;
		if (!hide) {
			memmove(list + out, list + in, n);
			out += n;
		}
		in += n;
	}
	return out;
}

int vfs_path_listxattr(const struct path *p, char *buf, size_t size)
{
	char *all;
	int len;

	if (!p->vn->ops->listxattr)
		return 0;
	all = kmalloc(XATTR_LIST_MAX);
	if (!all)
		return -ENOMEM;
	len = p->vn->ops->listxattr(p->vn, all, XATTR_LIST_MAX);
	if (len >= 0) {
		len = (int)list_filter(all, (size_t)len);
		if (size && (size_t)len > size)
			len = -ERANGE;
		else if (size)
			memcpy(buf, all, (size_t)len);
	}
	kfree(all);
	return len;
}
