/*
 * /proc/PID/ns/KIND: links whose text is "KIND:[INUM]" and which, when
 * followed (open, stat), reach a namespace file of fs/nsfs.c rather than
 * a path, as Linux's.  Following is what setns's descriptors come from.
 */
#include "fs/nsfs.h"
#include "fs/procfs/procfs_impl.h"

static enum ns_kind kind_of(const struct vnode *vn)
{
	return (enum ns_kind)(PROC_INO_KIND(vn->ino) - PK_NS_FIRST);
}

static int ns_readlink(struct vnode *vn, char *buf, size_t n)
{
	char tmp[64];
	int64_t inum = ns_inum_of_pid(PROC_INO_PID(vn->ino), kind_of(vn));
	int len;

	if (inum < 0)
		return (int)inum;
	/* the kind of namespace, so pid_for_children's text is "pid:[N]" */
	len = proc_put(tmp, sizeof(tmp), "%.*s:[%u]", (int)strcspn(ns_kind_name(kind_of(vn)), "_"),
	               ns_kind_name(kind_of(vn)), (unsigned)inum);
	if (len < 0)
		return len;
	len = (int)MIN((size_t)len, n);
	memcpy(buf, tmp, (size_t)len);
	return len;
}

static int ns_follow(const struct path *link, struct path *out)
{
	int err =
	    nsfs_vnode(link->vn->sb, PROC_INO_PID(link->vn->ino), kind_of(link->vn), &out->vn);

	if (err < 0)
		return err;
	out->mnt = link->mnt;
	mount_get(out->mnt);
	return 0;
}

static int ns_link_getattr(struct vnode *vn, struct vattr *va)
{
	if (!proc_task_exists(PROC_INO_PID(vn->ino)))
		return -ENOENT;
	va->dev = vn->sb->dev;
	va->ino = vn->ino;
	va->mode = vn->mode;
	va->nlink = 1;
	va->uid = va->gid = 0;
	va->atime_ns = va->mtime_ns = va->ctime_ns = vfs_now_ns();
	return 0;
}

const struct vnode_ops proc_ns_link_ops = {
    .readlink = ns_readlink,
    .follow = ns_follow,
    .getattr = ns_link_getattr,
};
