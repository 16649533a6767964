/*
 * Names of what a process holds, as /proc/PID/{exe,cwd,root,fd/N} show
 * them: a path as the reading task sees it (its root and namespace), else
 * as the process itself sees it; objects that are not files get Linux's
 * names ("pipe:[INO]", "/dev/NAME", "anon_inode:[TYPE]").
 *
 * A directory is named from its vnode (by looking up ".." and searching
 * the parent).  Other files are named from how they were opened
 * (file_origin: the directory the path walk found them in and their name
 * there, symlinks resolved; or a path relative to the opener's root or
 * cwd, cleaned up lexically).  A name that no longer exists gets
 * " (deleted)".  Naming never follows a symlink, so a process whose exe
 * was opened through /proc/self/exe cannot make it recurse.
 */
#include "fs/devfs.h"
#include "fs/procfs/procfs_impl.h"
#include "mm/kmalloc.h"
#include "obj/kobj.h"

#define SAME_SB_MOUNTS 8

/* Mounts of sb in ns (up to max, referenced). */
static int mounts_of(struct mnt_ns *ns, struct superblock *sb, struct mount **out, int max)
{
	struct list *pos;
	int n = 0;

	mutex_lock(&ns->lock);
	list_for_each(pos, &ns->mounts)
	{
		struct mount *m = list_entry(pos, struct mount, node);
		if (m->sb == sb && n < max) {
			mount_get(m);
			out[n++] = m;
		}
	}
	mutex_unlock(&ns->lock);
	return n;
}

/*
 * The name of p in fs through another mount of the same filesystem: a
 * file opened in one namespace (say the global tree, before an exec
 * moved the task into its ABI's environment) is reachable in another
 * only through that namespace's own mounts (/scarlet/...).
 */
static int name_via_same_sb(struct fs_struct *fs, const struct path *p, char *buf, size_t len)
{
	struct mount *ms[SAME_SB_MOUNTS];
	int n = mounts_of(fs->ns, p->vn->sb, ms, SAME_SB_MOUNTS), r = -ENOENT;

	for (int i = 0; i < n; i++) {
		if (r < 0 && vnode_is_ancestor(ms[i]->root, p->vn)) {
			struct path alt = {ms[i], p->vn};
			r = vfs_path_string(fs, &alt, buf, len);
		}
		mount_put(ms[i]);
	}
	return r;
}

int proc_path_name_in(struct fs_struct *owner, const struct path *p, char *buf, size_t len,
                      struct fs_struct **view)
{
	struct fs_struct *reader = current()->fs;
	int n = -ENOENT;

	*view = reader;
	if (reader) {
		n = vfs_path_string(reader, p, buf, len);
		if (n < 0)
			n = name_via_same_sb(reader, p, buf, len);
	}
	if (n < 0 && owner && owner != reader) {
		n = vfs_path_string(owner, p, buf, len);
		*view = owner;
	}
	return n;
}

int proc_path_name(struct fs_struct *owner, const struct path *p, char *buf, size_t len)
{
	struct fs_struct *view;

	return proc_path_name_in(owner, p, buf, len, &view);
}

/* Removes empty and "." components and resolves ".." lexically in an
 * absolute path, in place; returns the new length. */
static size_t normalize(char *path)
{
	size_t out = 0, i = 0;

	while (path[i]) {
		size_t start, n;
		while (path[i] == '/')
			i++;
		start = i;
		while (path[i] && path[i] != '/')
			i++;
		n = i - start;
		if (n == 0 || (n == 1 && path[start] == '.'))
			continue;
		if (n == 2 && path[start] == '.' && path[start + 1] == '.') {
			while (out > 0 && path[--out] != '/')
				;
			continue;
		}
		path[out++] = '/';
		memmove(path + out, path + start, n);
		out += n;
	}
	if (out == 0)
		path[out++] = '/';
	path[out] = '\0';
	return out;
}

/* Appends "/rel" to the path in buf (rel is relative to it even when it
 * starts with '/'), then normalizes; ENAMETOOLONG if it does not fit. */
static int join(char *buf, size_t len, const char *rel)
{
	size_t used = strlen(buf);

	if (used + 1 + strlen(rel) + 1 > len)
		return -ENAMETOOLONG;
	buf[used] = '/';
	strcpy(buf + used + 1, rel);
	return (int)normalize(buf);
}

/* The name of a non-directory file from how it was opened. */
static int origin_name(struct kobj *o, struct fs_struct *owner, char *buf, size_t len)
{
	struct fs_struct *view;
	struct path base;
	struct vattr va;
	const char *rel;
	int n = file_origin(o, &base, &rel);

	if (n < 0)
		return n;
	n = proc_path_name_in(owner, &base, buf, len, &view);
	path_put(&base);
	if (n >= 0)
		n = join(buf, len, rel);
	if (n >= 0 && vfs_stat(view, buf, false, &va) == -ENOENT &&
	    (size_t)n + sizeof(" (deleted)") <= len) {
		strcpy(buf + n, " (deleted)");
		n += (int)sizeof(" (deleted)") - 1;
	}
	return n;
}

int proc_object_name(struct kobj *o, struct fs_struct *owner, char *buf, size_t len)
{
	struct path p;
	struct vattr va;
	char dev[32];
	int err;

	if (file_is_dir(o) && file_path(o, &p) == 0) {
		err = proc_path_name(owner, &p, buf, len);
		path_put(&p);
		return err;
	}
	if (file_vnode(o))
		return origin_name(o, owner, buf, len);
	if (kobj_stat(o, &va) == 0) {
		uint32_t type = va.mode & S_IFMT;
		if (type == S_IFIFO)
			return proc_put(buf, len, "pipe:[%lu]", (unsigned long)va.ino);
		if ((type == S_IFCHR || type == S_IFBLK) &&
		    devfs_name_of(type, va.rdev, dev, sizeof(dev)) == 0)
			return proc_put(buf, len, "/dev/%s", dev);
	}
	return proc_put(buf, len, "anon_inode:[%s]", o->ops->type);
}
