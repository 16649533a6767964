/*
 * Linux mount, umount2 and the calls that write data back: sync, syncfs,
 * fsync, fdatasync.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "fs/bcache.h"
#include "mm/kmalloc.h"
#include "proc/task.h"

#define LINUX_MS_SILENT     0x8000
#define LINUX_MS_UNBINDABLE (1 << 17)
#define LINUX_MS_PRIVATE    (1 << 18)
#define LINUX_MS_SLAVE      (1 << 19)
#define LINUX_MS_SHARED     (1 << 20)
#define LINUX_MS_PROPAGATION                                                                       \
	(LINUX_MS_UNBINDABLE | LINUX_MS_PRIVATE | LINUX_MS_SLAVE | LINUX_MS_SHARED)
#define LINUX_MS_MGC_MSK      0xffff0000u
#define LINUX_MS_MGC_VAL      0xc0ed0000u
#define LINUX_MNT_FORCE       0x1
#define LINUX_UMOUNT_NOFOLLOW 0x8
#define MOUNT_DATA_MAX        4096

static long copy_opt_string(uint64_t u, size_t max, char **out)
{
	*out = NULL;
	if (!u)
		return 0;
	char *s = kmalloc(max);
	if (!s)
		return -ENOMEM;
	long r = strncpy_from_user(s, (const char *)u, max);
	if (r < 0) {
		kfree(s);
		return r;
	}
	*out = s;
	return 0;
}

/* MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE (one of them, with MS_REC and
 * MS_SILENT at most: EINVAL otherwise, as Linux) over fs/mount_prop.c;
 * MS_SHARED needs peer groups, which there are not. */
static long change_propagation(struct fs_struct *fs, const char *target, unsigned long flags)
{
	unsigned long type = flags & ~(unsigned long)(MS_REC | LINUX_MS_SILENT);
	enum mount_prop prop;
	switch (type) {
	case LINUX_MS_PRIVATE:
		prop = MOUNT_PROP_PRIVATE;
		break;
	case LINUX_MS_SLAVE:
		prop = MOUNT_PROP_SLAVE;
		break;
	case LINUX_MS_UNBINDABLE:
		prop = MOUNT_PROP_UNBINDABLE;
		break;
	case LINUX_MS_SHARED:
		abi_log_missing("linux: pid %d: shared mounts (MS_SHARED) are not implemented\n",
		                current()->pid);
		return -EINVAL;
	default:
		return -EINVAL;
	}
	return vfs_set_propagation(fs, target, prop, flags & MS_REC);
}

/* MS_SILENT only quiets the kernel log.  (The MS_* values of
 * scarlet/abi.h are Linux's.) */
static long check_mount_flags(unsigned long flags)
{
	const unsigned long known = MOUNT_FLAGS | MS_REMOUNT | MS_BIND | MS_REC | LINUX_MS_SILENT;
	if (flags & ~known) {
		abi_log_missing("linux: pid %d: mount flags %#lx are not implemented\n",
		                current()->pid, flags & ~known);
		return -EINVAL;
	}
	return 0;
}

static long do_mount(struct fs_struct *fs, const char *src, const char *target, const char *type,
                     unsigned long flags, const char *data)
{
	if ((flags & LINUX_MS_MGC_MSK) == LINUX_MS_MGC_VAL)
		flags &= ~(unsigned long)LINUX_MS_MGC_MSK; /* pre-2.4 magic, ignored */
	if (flags & (MS_REMOUNT | MS_BIND))
		flags &= ~(unsigned long)LINUX_MS_PROPAGATION; /* ignored, as Linux */
	else if (flags & LINUX_MS_PROPAGATION)
		return change_propagation(fs, target, flags);
	long r = check_mount_flags(flags);
	if (r < 0)
		return r;
	if (type && strcmp(type, "devtmpfs") == 0)
		type = "devfs";
	if (!(flags & (MS_BIND | MS_REMOUNT)) && !type)
		return -EINVAL;
	return vfs_mount(fs, src ? src : "none", target, type, (unsigned)flags & ~LINUX_MS_SILENT,
	                 data);
}

LINUX_SYSCALL(mount)
{
	LINUX_UNUSED();
	char *src, *type = NULL, *data = NULL;
	struct linux_at at;
	if (!cred_capable(cred_current(), CAP_SYS_ADMIN))
		return -EPERM; /* Linux: CAP_SYS_ADMIN */
	long r = copy_opt_string(a0, PATH_MAX, &src);
	if (r == 0)
		r = copy_opt_string(a2, 64, &type);
	if (r == 0)
		r = copy_opt_string(a4, MOUNT_DATA_MAX, &data);
	if (r == 0)
		r = linux_at_begin(&at, (uint64_t)LINUX_AT_FDCWD, a1, false);
	if (r == 0) {
		r = do_mount(at.fs, src, at.path, type, a3, data && data[0] ? data : NULL);
		linux_at_end(&at);
	}
	kfree(src);
	kfree(type);
	kfree(data);
	return r;
}

/* MNT_FORCE has nothing to abort on local filesystems: a plain unmount,
 * as on Linux.  MNT_DETACH (lazy unmount) and MNT_EXPIRE are not
 * implemented. */
LINUX_SYSCALL(umount2)
{
	LINUX_UNUSED();
	if (a1 & ~(uint64_t)(LINUX_MNT_FORCE | LINUX_UMOUNT_NOFOLLOW)) {
		abi_log_missing("linux: pid %d: umount2 flags %#lx are not implemented\n",
		                current()->pid, a1);
		return -EINVAL;
	}
	if (!cred_capable(cred_current(), CAP_SYS_ADMIN))
		return -EPERM;
	struct linux_at at;
	long r = linux_at_begin(&at, (uint64_t)LINUX_AT_FDCWD, a0, false);
	if (r < 0)
		return r;
	struct vattr va;
	if ((a1 & LINUX_UMOUNT_NOFOLLOW) && vfs_stat(at.fs, at.path, false, &va) == 0 &&
	    S_ISLNK(va.mode))
		r = -EINVAL;
	else
		r = vfs_umount(at.fs, at.path);
	linux_at_end(&at);
	return r;
}

LINUX_SYSCALL(sync)
{
	LINUX_UNUSED();
	vfs_sync_all();
	bcache_sync(NULL);
	return 0;
}

static long fsync_fd(int fd)
{
	struct kobj *o = linux_fd_get_io(fd);
	if (!o)
		return -EBADF;
	long r = file_fsync(o);
	kobj_put(o);
	return r;
}

LINUX_SYSCALL(fsync)
{
	LINUX_UNUSED();
	return fsync_fd((int)a0);
}

/* No metadata is cached apart from data: same as fsync. */
LINUX_SYSCALL(fdatasync)
{
	LINUX_UNUSED();
	return fsync_fd((int)a0);
}

/* The filesystem of any descriptor's file; other objects have none to
 * sync, and succeed as on Linux (their pseudo filesystems hold no data). */
LINUX_SYSCALL(syncfs)
{
	LINUX_UNUSED();
	struct kobj *o = linux_fd_get_io((int)a0);
	if (!o)
		return -EBADF;
	long r = file_vnode(o) ? file_fsync(o) : 0;
	kobj_put(o);
	return r;
}
