/*
 * Namespace files (fs/nsfs.h).
 */
#include "fs/nsfs.h"

#include "core/kernel.h"
#include "ipc/ipc_ns.h"
#include "mm/kmalloc.h"
#include "proc/pid_ns.h"
#include "proc/task.h"
#include "proc/uts_ns.h"

static const char *const names[NS_KINDS] = {
    [NS_CGROUP] = "cgroup", [NS_IPC] = "ipc",
    [NS_MNT] = "mnt",       [NS_NET] = "net",
    [NS_PID] = "pid",       [NS_PID_FOR_CHILDREN] = "pid_for_children",
    [NS_TIME] = "time",     [NS_TIME_FOR_CHILDREN] = "time_for_children",
    [NS_USER] = "user",     [NS_UTS] = "uts",
};

/* Linux's numbers of its initial namespaces, for the kinds there is only
 * one of here. */
static const uint32_t initial_inum[NS_KINDS] = {
    [NS_CGROUP] = 4026531835u, [NS_NET] = 4026531840u,
    [NS_PID] = 4026531836u,    [NS_PID_FOR_CHILDREN] = 4026531836u,
    [NS_TIME] = 4026531834u,   [NS_TIME_FOR_CHILDREN] = 4026531834u,
    [NS_USER] = 4026531837u,
};

const char *ns_kind_name(enum ns_kind k)
{
	return (unsigned)k < NS_KINDS ? names[k] : "?";
}

static bool task_live(pid_t pid)
{
	spin_lock(&task_tree_lock);
	struct task *t = task_find(pid);
	bool live = t && t->state != TASK_ZOMBIE;
	spin_unlock(&task_tree_lock);
	return live;
}

static struct mnt_ns *mnt_ns_of_pid(pid_t pid)
{
	struct fs_struct *fs = NULL;
	struct mnt_ns *ns;

	spin_lock(&task_tree_lock);
	struct task *t = task_find(pid);
	if (t && t->state != TASK_ZOMBIE) {
		spin_lock(&t->lock); /* exit clears t->fs under it */
		fs = t->fs ? fs_struct_get(t->fs) : NULL;
		spin_unlock(&t->lock);
	}
	spin_unlock(&task_tree_lock);
	if (!fs)
		return NULL;
	ns = fs_get_ns(fs);
	fs_struct_put(fs);
	return ns;
}

/* Task pid's pid namespace, or the one its children go to, referenced. */
static struct pid_ns *pid_ns_of_pid(pid_t pid, bool children)
{
	struct pid_ns *ns = NULL;
	spin_lock(&task_tree_lock);
	struct task *t = task_find(pid);
	if (t && t->state != TASK_ZOMBIE)
		ns = children ? task_pid_ns_children(t) : task_pid_ns(t);
	/* Linux: pid_for_children is not there until the namespace has a task */
	if (ns && children && ns->level > 0 && ns->last_nr == 0)
		ns = NULL;
	pid_ns_get(ns);
	spin_unlock(&task_tree_lock);
	return ns;
}

/* Fills f with a reference to task pid's namespace of kind k. */
static int ns_file_get(pid_t pid, enum ns_kind k, struct ns_file *f)
{
	f->kind = k;
	f->obj = NULL;
	f->inum = initial_inum[k];
	if (k == NS_MNT) {
		struct mnt_ns *ns = mnt_ns_of_pid(pid);
		if (!ns)
			return -ENOENT;
		f->obj = ns;
		f->inum = ns->inum;
	} else if (k == NS_UTS) {
		struct uts_ns *ns = uts_ns_of_pid(pid);
		if (!ns)
			return -ENOENT;
		f->obj = ns;
		f->inum = ns->inum;
	} else if (k == NS_PID || k == NS_PID_FOR_CHILDREN) {
		struct pid_ns *ns = pid_ns_of_pid(pid, k == NS_PID_FOR_CHILDREN);
		if (!ns)
			return -ENOENT;
		f->obj = ns;
		f->inum = ns->inum;
	} else if (k == NS_IPC) {
		struct ipc_ns *ns = ipc_ns_of_pid(pid);
		if (!ns)
			return -ENOENT;
		f->obj = ns;
		f->inum = ns->inum;
	} else if (!task_live(pid)) {
		return -ENOENT;
	}
	return 0;
}

static void ns_file_put(struct ns_file *f)
{
	if (f->kind == NS_MNT)
		mnt_ns_put(f->obj);
	else if (f->kind == NS_UTS)
		uts_ns_put(f->obj);
	else if (f->kind == NS_PID || f->kind == NS_PID_FOR_CHILDREN)
		pid_ns_put(f->obj);
	else if (f->kind == NS_IPC)
		ipc_ns_put(f->obj);
	f->obj = NULL;
}

int64_t ns_inum_of_pid(pid_t pid, enum ns_kind k)
{
	struct ns_file f;
	int err = ns_file_get(pid, k, &f);

	if (err < 0)
		return err;
	ns_file_put(&f);
	return f.inum;
}

static void nsfs_release(struct vnode *vn)
{
	ns_file_put(vn->priv);
	kfree(vn->priv);
}

static int nsfs_getattr(struct vnode *vn, struct vattr *va)
{
	va->dev = vn->sb->dev;
	va->ino = vn->ino;
	va->mode = vn->mode;
	va->nlink = 1;
	va->uid = va->gid = 0;
	va->atime_ns = va->mtime_ns = va->ctime_ns = 0;
	return 0;
}

/* No read or write: Linux's nsfs files give EINVAL to both. */
static const struct vnode_ops nsfs_ops = {
    .getattr = nsfs_getattr,
    .release = nsfs_release,
};

int nsfs_vnode(struct superblock *sb, pid_t pid, enum ns_kind k, struct vnode **out)
{
	struct ns_file *f = kzalloc(sizeof(*f));
	int err;

	if (!f)
		return -ENOMEM;
	err = ns_file_get(pid, k, f);
	if (err < 0) {
		kfree(f);
		return err;
	}
	*out = vnode_alloc(sb, &nsfs_ops, S_IFREG | 0444, f->inum);
	if (!*out) {
		ns_file_put(f);
		kfree(f);
		return -ENOMEM;
	}
	(*out)->priv = f;
	return 0;
}

const struct ns_file *nsfs_file(const struct vnode *vn)
{
	return vn && vn->ops == &nsfs_ops ? vn->priv : NULL;
}
