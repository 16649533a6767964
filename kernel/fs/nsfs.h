#ifndef SCARLET_FS_NSFS_H
#define SCARLET_FS_NSFS_H
/*
 * Namespace files: what following /proc/PID/ns/KIND reaches (Linux's
 * nsfs).  Each is a fresh vnode that holds a reference to the namespace
 * itself, so an open descriptor keeps the namespace alive after its tasks
 * are gone, and stat gives the namespace's inode number.  Kinds Scarlet
 * has only one of (ipc, net, user, cgroup, time) carry Linux's
 * fixed numbers of the initial namespaces.
 */
#include "fs/vfs.h"

enum ns_kind {
	NS_CGROUP,
	NS_IPC,
	NS_MNT,
	NS_NET,
	NS_PID,
	NS_PID_FOR_CHILDREN,
	NS_TIME,
	NS_TIME_FOR_CHILDREN,
	NS_USER,
	NS_UTS,
	NS_KINDS
};

struct ns_file {
	enum ns_kind kind;
	uint32_t inum;
	void *obj; /* struct mnt_ns, uts_ns or pid_ns (referenced), else NULL */
};

/* "mnt", "pid_for_children"... */
const char *ns_kind_name(enum ns_kind k);
/* The inode number of task pid's namespace of kind k: -ENOENT if the
 * task is gone. */
int64_t ns_inum_of_pid(pid_t pid, enum ns_kind k);
/* A new vnode (on sb, whose mount the caller's path holds) for task
 * pid's namespace of kind k. */
int nsfs_vnode(struct superblock *sb, pid_t pid, enum ns_kind k, struct vnode **out);
/* vn's namespace, or NULL when vn is not a namespace file. */
const struct ns_file *nsfs_file(const struct vnode *vn);

#endif
