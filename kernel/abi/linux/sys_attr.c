/*
 * Linux calls that change a file's attributes or size: fchmod, fchmodat,
 * fchown, fchownat, utimensat, truncate and ftruncate.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "proc/task.h"

#define LINUX_UTIME_NOW  ((1l << 30) - 1)
#define LINUX_UTIME_OMIT ((1l << 30) - 2)
#define NSEC             1000000000

/* The path of an open file for the f* calls; EBADF for O_PATH. */
static long fd_path(int fd, struct path *p)
{
	struct kobj *o = linux_fd_get(fd);
	if (!o)
		return -EBADF;
	long r = (o->flags & O_PATH) ? -EBADF : file_path(o, p);
	if (r < 0 && !(o->flags & O_PATH)) {
		abi_log_missing("linux: pid %d: changing attributes of a pipe or device is not "
		                "implemented\n",
		                current()->pid);
		r = -EPERM;
	}
	kobj_put(o);
	return r;
}

static long setattr_fd(int fd, const struct vattr *va, unsigned mask)
{
	struct path p;
	long r = fd_path(fd, &p);
	if (r < 0)
		return r;
	r = vfs_path_setattr(&p, va, mask);
	path_put(&p);
	return r;
}

/* An *at target: dirfd's file for an empty path with AT_EMPTY_PATH. */
static long setattr_at(uint64_t dirfd, uint64_t upath, uint64_t flags, const struct vattr *va,
                       unsigned mask)
{
	struct linux_at at;
	struct path p;
	long r = linux_at_begin(&at, dirfd, upath, flags & LINUX_AT_EMPTY_PATH);
	if (r < 0)
		return r;
	r = linux_at_path(&at, !(flags & LINUX_AT_SYMLINK_NOFOLLOW), &p);
	linux_at_end(&at);
	if (r < 0)
		return r;
	r = vfs_path_setattr(&p, va, mask);
	path_put(&p);
	return r;
}

LINUX_SYSCALL(fchmod)
{
	LINUX_UNUSED();
	struct vattr va = {.mode = (uint32_t)a1 & 07777};
	return setattr_fd((int)a0, &va, VATTR_MODE);
}

LINUX_SYSCALL(fchmodat)
{
	LINUX_UNUSED();
	struct vattr va = {.mode = (uint32_t)a2 & 07777};
	return setattr_at(a0, a1, 0, &va, VATTR_MODE);
}

/* -1 leaves an id as it is. */
static unsigned chown_attr(uint64_t uid, uint64_t gid, struct vattr *va)
{
	unsigned mask = 0;
	va->uid = (uint32_t)uid;
	va->gid = (uint32_t)gid;
	if ((uint32_t)uid != UINT32_MAX)
		mask |= VATTR_UID;
	if ((uint32_t)gid != UINT32_MAX)
		mask |= VATTR_GID;
	return mask;
}

LINUX_SYSCALL(fchown)
{
	LINUX_UNUSED();
	struct vattr va;
	return setattr_fd((int)a0, &va, chown_attr(a1, a2, &va));
}

LINUX_SYSCALL(fchownat)
{
	LINUX_UNUSED();
	if (a4 & ~(uint64_t)(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
		return -EINVAL;
	struct vattr va;
	return setattr_at(a0, a1, a4, &va, chown_attr(a2, a3, &va));
}

/* One utimensat timestamp into va; returns the VATTR bits to set (with
 * VATTR_TIMES_SET for an explicit time), 0 for UTIME_OMIT, or -EINVAL. */
static long utime_one(const struct linux_timespec *ts, int64_t *out, unsigned bit)
{
	if (ts->tv_nsec == LINUX_UTIME_OMIT)
		return 0;
	if (ts->tv_nsec == LINUX_UTIME_NOW) {
		*out = vfs_now_ns();
		return bit;
	}
	if (ts->tv_nsec < 0 || ts->tv_nsec >= NSEC)
		return -EINVAL;
	*out = ts->tv_sec * NSEC + ts->tv_nsec;
	return bit | VATTR_TIMES_SET; /* owner only (fs/permission.h) */
}

static long utime_attr(uint64_t utimes, struct vattr *va, unsigned *mask)
{
	struct linux_timespec ts[2] = {{0, LINUX_UTIME_NOW}, {0, LINUX_UTIME_NOW}};
	if (utimes && copy_from_user(ts, (void *)utimes, sizeof(ts)) < 0)
		return -EFAULT;
	long a = utime_one(&ts[0], &va->atime_ns, VATTR_ATIME);
	long m = utime_one(&ts[1], &va->mtime_ns, VATTR_MTIME);
	if (a < 0 || m < 0)
		return -EINVAL;
	*mask = (unsigned)(a | m);
	return 0;
}

/* A NULL path changes the file open on dirfd (futimens). */
LINUX_SYSCALL(utimensat)
{
	LINUX_UNUSED();
	struct vattr va;
	unsigned mask;
	if (a3 & ~(uint64_t)(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
		return -EINVAL;
	long r = utime_attr(a2, &va, &mask);
	if (r < 0)
		return r;
	if (!a1 && (int)a0 != LINUX_AT_FDCWD) {
		if (a3 & LINUX_AT_SYMLINK_NOFOLLOW)
			return -EINVAL;
		return mask ? setattr_fd((int)a0, &va, mask) : 0;
	}
	if (!mask)
		return 0; /* both UTIME_OMIT: nothing to change, as Linux */
	return setattr_at(a0, a1, a3, &va, mask);
}

LINUX_SYSCALL(truncate)
{
	LINUX_UNUSED();
	if ((int64_t)a1 < 0)
		return -EINVAL;
	struct linux_at at;
	long r = linux_at_begin(&at, (uint64_t)LINUX_AT_FDCWD, a0, false);
	if (r < 0)
		return r;
	r = vfs_truncate(at.fs, at.path, a1);
	linux_at_end(&at);
	return r;
}

/* EINVAL, as Linux, for a descriptor not open for writing or not on a
 * regular file. */
LINUX_SYSCALL(ftruncate)
{
	LINUX_UNUSED();
	struct kobj *o = linux_fd_get_io((int)a0);
	if (!o)
		return -EBADF;
	long r = -EINVAL;
	if ((int64_t)a1 >= 0 && (o->flags & KOBJ_WRITE))
		r = kobj_truncate(o, a1);
	kobj_put(o);
	return r;
}
