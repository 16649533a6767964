/*
 * Linux's new mount API: fsopen, fspick, fsconfig, fsmount, open_tree,
 * move_mount and mount_setattr, over filesystem contexts
 * (fs/fs_context.h) and detached mount trees (fs/mount_api.c).  This file
 * holds the flag values of <linux/mount.h> and Linux's argument checks.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "fs/fs_context.h"
#include "mm/kmalloc.h"
#include "obj/handle.h"
#include "proc/task.h"

#define LINUX_AT_NO_AUTOMOUNT_ 0x800
#define LINUX_AT_RECURSIVE     0x8000
#define LINUX_OPEN_TREE_CLONE  1

#define LINUX_FSOPEN_CLOEXEC          1
#define LINUX_FSPICK_CLOEXEC          1
#define LINUX_FSPICK_SYMLINK_NOFOLLOW 2
#define LINUX_FSPICK_NO_AUTOMOUNT     4
#define LINUX_FSPICK_EMPTY_PATH       8
#define LINUX_FSMOUNT_CLOEXEC         1

#define LINUX_FSCONFIG_SET_FLAG        0
#define LINUX_FSCONFIG_SET_STRING      1
#define LINUX_FSCONFIG_SET_BINARY      2
#define LINUX_FSCONFIG_SET_PATH        3
#define LINUX_FSCONFIG_SET_PATH_EMPTY  4
#define LINUX_FSCONFIG_SET_FD          5
#define LINUX_FSCONFIG_CMD_CREATE      6
#define LINUX_FSCONFIG_CMD_RECONFIGURE 7
#define LINUX_FSCONFIG_CMD_CREATE_EXCL 8

#define LINUX_MOVE_MOUNT_F_SYMLINKS   0x1
#define LINUX_MOVE_MOUNT_F_AUTOMOUNTS 0x2
#define LINUX_MOVE_MOUNT_F_EMPTY_PATH 0x4
#define LINUX_MOVE_MOUNT_T_SYMLINKS   0x10
#define LINUX_MOVE_MOUNT_T_AUTOMOUNTS 0x20
#define LINUX_MOVE_MOUNT_T_EMPTY_PATH 0x40
#define LINUX_MOVE_MOUNT_SET_GROUP    0x100
#define LINUX_MOVE_MOUNT_BENEATH      0x200
#define LINUX_MOVE_MOUNT_MASK         0x377

#define LINUX_MOUNT_ATTR_RDONLY      0x1
#define LINUX_MOUNT_ATTR_NOSUID      0x2
#define LINUX_MOUNT_ATTR_NODEV       0x4
#define LINUX_MOUNT_ATTR_NOEXEC      0x8
#define LINUX_MOUNT_ATTR__ATIME      0x70
#define LINUX_MOUNT_ATTR_RELATIME    0x0
#define LINUX_MOUNT_ATTR_NOATIME     0x10
#define LINUX_MOUNT_ATTR_STRICTATIME 0x20
#define LINUX_MOUNT_ATTR_NODIRATIME  0x80
#define LINUX_MOUNT_ATTR_IDMAP       0x100000
#define LINUX_MOUNT_ATTR_NOSYMFOLLOW 0x200000
#define LINUX_MOUNT_ATTR_SIZE_VER0   32

#define LINUX_MS_UNBINDABLE (1 << 17)
#define LINUX_MS_PRIVATE    (1 << 18)
#define LINUX_MS_SLAVE      (1 << 19)
#define LINUX_MS_SHARED     (1 << 20)

#define FSCONFIG_STRING_MAX 256
#define LINUX_PAGE_SIZE     4096

#define MOUNT_ATTR_FSMOUNT                                                                         \
	(LINUX_MOUNT_ATTR_RDONLY | LINUX_MOUNT_ATTR_NOSUID | LINUX_MOUNT_ATTR_NODEV |              \
	 LINUX_MOUNT_ATTR_NOEXEC | LINUX_MOUNT_ATTR__ATIME | LINUX_MOUNT_ATTR_NODIRATIME |         \
	 LINUX_MOUNT_ATTR_NOSYMFOLLOW)

struct linux_mount_attr {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

static long install(struct kobj *o, bool cloexec)
{
	int fd = handle_install(current()->handles, o, cloexec ? HANDLE_CLOEXEC : 0, 0);
	if (fd < 0)
		kobj_put(o);
	return fd;
}

static bool admin(void)
{
	return cred_capable(cred_current(), CAP_SYS_ADMIN);
}

/* MOUNT_ATTR_* (besides the atime mode and IDMAP) as MNT_A_*. */
static unsigned attrs_from_linux(uint64_t a)
{
	unsigned r = 0;
	r |= (a & LINUX_MOUNT_ATTR_RDONLY) ? MNT_A_RDONLY : 0;
	r |= (a & LINUX_MOUNT_ATTR_NOSUID) ? MNT_A_NOSUID : 0;
	r |= (a & LINUX_MOUNT_ATTR_NODEV) ? MNT_A_NODEV : 0;
	r |= (a & LINUX_MOUNT_ATTR_NOEXEC) ? MNT_A_NOEXEC : 0;
	r |= (a & LINUX_MOUNT_ATTR_NODIRATIME) ? MNT_A_NODIRATIME : 0;
	r |= (a & LINUX_MOUNT_ATTR_NOSYMFOLLOW) ? MNT_A_NOSYMFOLLOW : 0;
	return r;
}

/* The atime mode of attr as MNT_A_*; EINVAL for anything but one of
 * relatime, noatime, strictatime. */
static long atime_from_linux(uint64_t attr, unsigned *out)
{
	switch (attr & LINUX_MOUNT_ATTR__ATIME) {
	case LINUX_MOUNT_ATTR_RELATIME:
		*out = 0;
		return 0;
	case LINUX_MOUNT_ATTR_NOATIME:
		*out = MNT_A_NOATIME;
		return 0;
	case LINUX_MOUNT_ATTR_STRICTATIME:
		*out = MNT_A_STRICTATIME;
		return 0;
	default:
		return -EINVAL;
	}
}

/* A referenced path for an *at argument; follow: the final symlink. */
static long at_path(uint64_t dirfd, uint64_t upath, bool empty_ok, bool follow, struct path *out)
{
	struct linux_at at;
	long r = linux_at_begin(&at, dirfd, upath, empty_ok);
	if (r < 0)
		return r;
	r = linux_at_path(&at, follow, out);
	linux_at_end(&at);
	return r;
}

/* ------------------------------------------------------------ contexts */

LINUX_SYSCALL(fsopen)
{
	LINUX_UNUSED();
	char name[64];
	struct kobj *o;
	if (!admin())
		return -EPERM;
	if (a1 & ~(uint64_t)LINUX_FSOPEN_CLOEXEC)
		return -EINVAL;
	long r = strncpy_from_user(name, (const char *)a0, sizeof(name));
	if (r < 0)
		return r == -ENAMETOOLONG ? -ENODEV : r;
	r = fsctx_open(strcmp(name, "devtmpfs") == 0 ? "devfs" : name, &o);
	return r < 0 ? r : install(o, a1 & LINUX_FSOPEN_CLOEXEC);
}

LINUX_SYSCALL(fspick)
{
	LINUX_UNUSED();
	const uint64_t known = LINUX_FSPICK_CLOEXEC | LINUX_FSPICK_SYMLINK_NOFOLLOW |
	                       LINUX_FSPICK_NO_AUTOMOUNT | LINUX_FSPICK_EMPTY_PATH;
	struct path p;
	struct kobj *o;
	if (!admin())
		return -EPERM;
	if (a2 & ~known)
		return -EINVAL;
	long r = at_path(a0, a1, a2 & LINUX_FSPICK_EMPTY_PATH,
	                 !(a2 & LINUX_FSPICK_SYMLINK_NOFOLLOW), &p);
	if (r < 0)
		return r;
	r = fsctx_pick(&p, &o);
	path_put(&p);
	return r < 0 ? r : install(o, a2 & LINUX_FSPICK_CLOEXEC);
}

/* The checks Linux makes on the arguments of each command, before the
 * descriptor is looked at. */
static long fsconfig_args(unsigned cmd, uint64_t key, uint64_t value, int64_t aux)
{
	switch (cmd) {
	case LINUX_FSCONFIG_SET_FLAG:
		return (!key || value || aux) ? -EINVAL : 0;
	case LINUX_FSCONFIG_SET_STRING:
		return (!key || !value || aux) ? -EINVAL : 0;
	case LINUX_FSCONFIG_SET_BINARY:
		return (!key || !value || aux <= 0 || aux > 1024 * 1024) ? -EINVAL : 0;
	case LINUX_FSCONFIG_SET_PATH:
	case LINUX_FSCONFIG_SET_PATH_EMPTY:
		return (!key || !value || (aux != LINUX_AT_FDCWD && aux < 0)) ? -EINVAL : 0;
	case LINUX_FSCONFIG_SET_FD:
		return (!key || value || aux < 0) ? -EINVAL : 0;
	case LINUX_FSCONFIG_CMD_CREATE:
	case LINUX_FSCONFIG_CMD_RECONFIGURE:
	case LINUX_FSCONFIG_CMD_CREATE_EXCL:
		return (key || value || aux) ? -EINVAL : 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* Our filesystems take every option as a string (as mount(2)'s data):
 * Linux's answer for a path, a descriptor or a blob given to such a
 * parameter is EINVAL, with its message. */
static long fsconfig_not_string(struct kobj *o, const char *key)
{
	if (strcmp(key, "source") == 0)
		fsctx_log(o, "e Non-string source");
	else
		fsctx_log(o, "e VFS: a path, descriptor or blob value is not supported here");
	return -EINVAL;
}

static long fsconfig_cmd(struct kobj *o, unsigned cmd, const char *key, uint64_t value, int64_t aux)
{
	char *val = NULL;
	struct path p;
	long r = 0;

	switch (cmd) {
	case LINUX_FSCONFIG_SET_FLAG:
		return fsctx_set_flag(o, key);
	case LINUX_FSCONFIG_SET_STRING:
		val = kmalloc(FSCONFIG_STRING_MAX);
		if (!val)
			return -ENOMEM;
		r = strncpy_from_user(val, (const char *)value, FSCONFIG_STRING_MAX);
		if (r == -ENAMETOOLONG)
			r = -EINVAL; /* Linux's strndup_user of 256 bytes */
		if (r >= 0)
			r = fsctx_set_string(o, key, val);
		kfree(val);
		return r;
	case LINUX_FSCONFIG_SET_PATH:
	case LINUX_FSCONFIG_SET_PATH_EMPTY:
		r = at_path((uint64_t)aux, value, cmd == LINUX_FSCONFIG_SET_PATH_EMPTY, true, &p);
		if (r < 0)
			return r;
		path_put(&p);
		return fsconfig_not_string(o, key);
	case LINUX_FSCONFIG_SET_FD: {
		struct kobj *f = linux_fd_get((int)aux);
		if (!f)
			return -EBADF;
		kobj_put(f);
		return fsconfig_not_string(o, key);
	}
	case LINUX_FSCONFIG_SET_BINARY:
		return fsconfig_not_string(o, key);
	case LINUX_FSCONFIG_CMD_CREATE:
	case LINUX_FSCONFIG_CMD_CREATE_EXCL:
		if (!admin())
			return -EPERM;
		return fsctx_create(o, current()->fs, cmd == LINUX_FSCONFIG_CMD_CREATE_EXCL);
	default: /* LINUX_FSCONFIG_CMD_RECONFIGURE */
		if (!admin())
			return -EPERM;
		return fsctx_reconfigure(o);
	}
}

LINUX_SYSCALL(fsconfig)
{
	LINUX_UNUSED();
	unsigned cmd = (unsigned)a1;
	char key[FSCONFIG_STRING_MAX];
	if ((int)a0 < 0)
		return -EINVAL;
	long r = fsconfig_args(cmd, a2, a3, (int64_t)(int)a4);
	if (r < 0)
		return r;
	struct kobj *o = linux_fd_get((int)a0);
	if (!o)
		return -EBADF;
	if (!fsctx_is(o)) {
		kobj_put(o);
		return -EINVAL;
	}
	if (a2) {
		r = strncpy_from_user(key, (const char *)a2, sizeof(key));
		if (r < 0) {
			kobj_put(o);
			return r == -ENAMETOOLONG ? -EINVAL : r;
		}
	}
	r = fsconfig_cmd(o, cmd, a2 ? key : NULL, a3, (int64_t)(int)a4);
	kobj_put(o);
	return r;
}

LINUX_SYSCALL(fsmount)
{
	LINUX_UNUSED();
	unsigned atime, attrs;
	struct path root;
	struct mnt_ns *tree;
	struct kobj *mnt;
	if (a1 & ~(uint64_t)LINUX_FSMOUNT_CLOEXEC)
		return -EINVAL;
	if (a2 & ~(uint64_t)MOUNT_ATTR_FSMOUNT)
		return -EINVAL;
	if (atime_from_linux(a2, &atime) < 0)
		return -EINVAL;
	struct kobj *o = linux_fd_get((int)a0);
	if (!o)
		return -EBADF;
	long r = fsctx_is(o) ? 0 : -EINVAL;
	if (r == 0 && !admin())
		r = -EPERM;
	attrs = (attrs_from_linux(a2) & ~(unsigned)MNT_A_RDONLY) | atime;
	if (r == 0)
		r = fsctx_mount(o, (a2 & LINUX_MOUNT_ATTR_RDONLY) ? MS_RDONLY : 0, attrs, &root,
		                &tree);
	kobj_put(o);
	if (r < 0)
		return r;
	r = file_open_tree(&root, tree, &mnt);
	path_put(&root);
	return r < 0 ? r : install(mnt, a1 & LINUX_FSMOUNT_CLOEXEC);
}

/* ------------------------------------------------------------ mounts */

LINUX_SYSCALL(open_tree)
{
	LINUX_UNUSED();
	const uint64_t known = LINUX_AT_EMPTY_PATH | LINUX_AT_NO_AUTOMOUNT_ | LINUX_AT_RECURSIVE |
	                       LINUX_AT_SYMLINK_NOFOLLOW | LINUX_OPEN_TREE_CLONE | O_CLOEXEC;
	bool clone = a2 & LINUX_OPEN_TREE_CLONE;
	struct path p, root;
	struct mnt_ns *tree = NULL;
	struct kobj *o;
	if (a2 & ~known)
		return -EINVAL;
	if ((a2 & LINUX_AT_RECURSIVE) && !clone)
		return -EINVAL;
	if (clone && !admin())
		return -EPERM;
	long r = at_path(a0, a1, a2 & LINUX_AT_EMPTY_PATH, !(a2 & LINUX_AT_SYMLINK_NOFOLLOW), &p);
	if (r < 0)
		return r;
	if (clone) {
		r = vfs_tree_clone(current()->fs, &p, a2 & LINUX_AT_RECURSIVE, &root, &tree);
		path_put(&p);
		if (r < 0)
			return r;
		p = root;
	}
	r = file_open_tree(&p, tree, &o);
	path_put(&p);
	return r < 0 ? r : install(o, a2 & O_CLOEXEC);
}

LINUX_SYSCALL(move_mount)
{
	LINUX_UNUSED();
	struct path from, to;
	if (a4 & ~(uint64_t)LINUX_MOVE_MOUNT_MASK)
		return -EINVAL;
	if (!admin())
		return -EPERM;
	if (a4 & LINUX_MOVE_MOUNT_BENEATH) {
		abi_log_missing("linux: pid %d: move_mount MOVE_MOUNT_BENEATH is not implemented\n",
		                current()->pid);
		return -EINVAL;
	}
	long r = at_path(a0, a1, a4 & LINUX_MOVE_MOUNT_F_EMPTY_PATH,
	                 a4 & LINUX_MOVE_MOUNT_F_SYMLINKS, &from);
	if (r < 0)
		return r;
	r = at_path(a2, a3, a4 & LINUX_MOVE_MOUNT_T_EMPTY_PATH, a4 & LINUX_MOVE_MOUNT_T_SYMLINKS,
	            &to);
	if (r == 0) {
		if (a4 & LINUX_MOVE_MOUNT_SET_GROUP)
			r = vfs_mount_set_group(current()->fs, &from, &to);
		else
			r = vfs_move_mount(current()->fs, &from, &to);
		path_put(&to);
	}
	path_put(&from);
	return r;
}

/* struct mount_attr of usize bytes: EINVAL below version 0, E2BIG above
 * a page or with nonzero bytes past the fields we know. */
static long copy_mount_attr(uint64_t uattr, uint64_t usize, struct linux_mount_attr *a)
{
	if (usize > LINUX_PAGE_SIZE)
		return -E2BIG;
	if (usize < LINUX_MOUNT_ATTR_SIZE_VER0)
		return -EINVAL;
	if (copy_from_user(a, (const void *)uattr, sizeof(*a)) < 0)
		return -EFAULT;
	for (uint64_t off = sizeof(*a); off < usize; off++) {
		unsigned char c;
		if (copy_from_user(&c, (const char *)uattr + off, 1) < 0)
			return -EFAULT;
		if (c)
			return -E2BIG;
	}
	return 0;
}

static long propagation_from_linux(uint64_t p, enum mount_prop *out)
{
	switch (p) {
	case 0:
		*out = MOUNT_PROP_NONE;
		return 0;
	case LINUX_MS_SHARED:
		*out = MOUNT_PROP_SHARED;
		return 0;
	case LINUX_MS_SLAVE:
		*out = MOUNT_PROP_SLAVE;
		return 0;
	case LINUX_MS_PRIVATE:
		*out = MOUNT_PROP_PRIVATE;
		return 0;
	case LINUX_MS_UNBINDABLE:
		*out = MOUNT_PROP_UNBINDABLE;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Linux's checks of attr_set/attr_clr; *set and *clr as MNT_A_*. */
static long setattr_attrs(const struct linux_mount_attr *a, unsigned *set, unsigned *clr)
{
	const uint64_t known = MOUNT_ATTR_FSMOUNT | LINUX_MOUNT_ATTR_IDMAP;
	unsigned atime = 0;
	if ((a->attr_set | a->attr_clr) & ~known)
		return -EINVAL;
	*set = attrs_from_linux(a->attr_set);
	*clr = attrs_from_linux(a->attr_clr);
	if (a->attr_clr & LINUX_MOUNT_ATTR__ATIME) {
		if (atime_from_linux(a->attr_set, &atime) < 0)
			return -EINVAL;
		*set |= atime;
		*clr |= MNT_A_ATIME;
	} else if (a->attr_set & LINUX_MOUNT_ATTR__ATIME) {
		return -EINVAL; /* an atime mode is set only with _ATIME cleared */
	}
	if (a->attr_clr & LINUX_MOUNT_ATTR_IDMAP)
		return -EINVAL; /* an idmapping is never cleared */
	if (a->attr_set & LINUX_MOUNT_ATTR_IDMAP) {
		/* needs a user namespace descriptor, and there are none */
		if (a->userns_fd > 0x7fffffff)
			return -EINVAL;
		struct kobj *f = linux_fd_get((int)a->userns_fd);
		if (!f)
			return -EBADF;
		kobj_put(f);
		return -EINVAL;
	}
	return 0;
}

LINUX_SYSCALL(mount_setattr)
{
	LINUX_UNUSED();
	const uint64_t known = LINUX_AT_EMPTY_PATH | LINUX_AT_RECURSIVE |
	                       LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_NO_AUTOMOUNT_;
	struct linux_mount_attr a;
	enum mount_prop prop;
	unsigned set, clr;
	struct path p;
	if (a2 & ~known)
		return -EINVAL;
	long r = copy_mount_attr(a3, a4, &a);
	if (r < 0)
		return r;
	if (a.propagation &
	    ~(uint64_t)(LINUX_MS_SHARED | LINUX_MS_SLAVE | LINUX_MS_PRIVATE | LINUX_MS_UNBINDABLE))
		return -EINVAL;
	if (propagation_from_linux(a.propagation, &prop) < 0)
		return -EINVAL; /* more than one */
	r = setattr_attrs(&a, &set, &clr);
	if (r < 0)
		return r;
	if (!a.attr_set && !a.attr_clr && !a.propagation)
		return 0; /* nothing to do: Linux does not even look at the path */
	if (!admin())
		return -EPERM;
	r = at_path(a0, a1, a2 & LINUX_AT_EMPTY_PATH, !(a2 & LINUX_AT_SYMLINK_NOFOLLOW), &p);
	if (r < 0)
		return r;
	r = vfs_mount_setattr(current()->fs, &p, a2 & LINUX_AT_RECURSIVE, set, clr, prop);
	path_put(&p);
	return r;
}
