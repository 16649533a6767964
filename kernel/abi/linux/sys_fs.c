/*
 * Linux calls that open, create, remove and rename names: openat,
 * mkdirat, mknodat, unlinkat, renameat2, linkat, symlinkat, readlinkat.
 * Relative names start at their dirfd (lfs_at.c).
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "mm/kmalloc.h"
#include "obj/handle.h"
#include "proc/task.h"

#define LINUX_O_TMPFILE_BIT    0x400000 /* __O_TMPFILE */
#define LINUX_RENAME_NOREPLACE 0x1
#define LINUX_RENAME_EXCHANGE  0x2
#define LINUX_RENAME_WHITEOUT  0x4

long linux_check_tmpfile(int flags)
{
	if (!(flags & LINUX_O_TMPFILE_BIT))
		return 0;
	/* O_TMPFILE is __O_TMPFILE | O_DIRECTORY; no O_CREAT; must write */
	if ((flags & (LINUX_O_TMPFILE_BIT | O_DIRECTORY | O_CREAT)) !=
	    (LINUX_O_TMPFILE_BIT | O_DIRECTORY))
		return -EINVAL;
	if ((flags & O_ACCMODE) != O_WRONLY && (flags & O_ACCMODE) != O_RDWR)
		return -EINVAL;
	return 0;
}

long linux_open(struct fs_struct *fs, const char *path, int flags, uint32_t mode, struct kobj **out)
{
	if (flags & LINUX_O_TMPFILE_BIT)
		return vfs_open_tmpfile(fs, path, flags & ~LINUX_O_TMPFILE_BIT, mode, out);
	return vfs_open(fs, path, flags, mode, out);
}

LINUX_SYSCALL(openat)
{
	LINUX_UNUSED();
	int flags = (int)a2;
	long r = linux_check_tmpfile(flags);
	if (r < 0)
		return r;
	if ((flags & O_CREAT) && (flags & O_DIRECTORY) && !(flags & O_PATH))
		return -EINVAL; /* as Linux 6.4 and later */
	struct linux_at at;
	r = linux_at_begin(&at, a0, a1, false);
	if (r < 0)
		return r;
	struct kobj *o;
	r = linux_open(at.fs, at.path, flags, (uint32_t)a3 & 07777, &o);
	linux_at_end(&at);
	if (r < 0)
		return r;
	r = handle_install(current()->handles, o, (flags & O_CLOEXEC) ? HANDLE_CLOEXEC : 0, 0);
	if (r < 0)
		kobj_put(o);
	return r;
}

LINUX_SYSCALL(mkdirat)
{
	LINUX_UNUSED();
	struct linux_at at;
	long r = linux_at_begin(&at, a0, a1, false);
	if (r < 0)
		return r;
	r = vfs_mkdir(at.fs, at.path, (uint32_t)a2 & 07777);
	linux_at_end(&at);
	return r;
}

/* Regular files and device nodes.  FIFOs and sockets cannot be opened by
 * the VFS yet, so they are refused rather than left as dead nodes. */
LINUX_SYSCALL(mknodat)
{
	LINUX_UNUSED();
	uint32_t mode = (uint32_t)a2, type = mode & S_IFMT;
	if (type == S_IFSOCK) {
		abi_log_missing("linux: pid %d: mknod of a socket is not implemented\n",
		                current()->pid);
		return -EPERM;
	}
	struct linux_at at;
	long r = linux_at_begin(&at, a0, a1, false);
	if (r < 0)
		return r;
	/* Linux's dev_t: major in bits 8-19 (and 32-43), minor in 0-7 and 20-31 */
	uint64_t dev = a3;
	unsigned major = ((dev >> 8) & 0xfff) | ((unsigned)(dev >> 32) & ~0xfffu);
	unsigned minor = (dev & 0xff) | ((unsigned)(dev >> 12) & ~0xffu);
	r = vfs_mknod(at.fs, at.path, mode & (S_IFMT | 07777), MKDEV(major, minor));
	linux_at_end(&at);
	return r;
}

LINUX_SYSCALL(unlinkat)
{
	LINUX_UNUSED();
	if (a2 & ~(uint64_t)LINUX_AT_REMOVEDIR)
		return -EINVAL;
	struct linux_at at;
	long r = linux_at_begin(&at, a0, a1, false);
	if (r < 0)
		return r;
	r = (a2 & LINUX_AT_REMOVEDIR) ? vfs_rmdir(at.fs, at.path) : vfs_unlink(at.fs, at.path);
	linux_at_end(&at);
	return r;
}

LINUX_SYSCALL(renameat2)
{
	LINUX_UNUSED();
	uint64_t all = LINUX_RENAME_NOREPLACE | LINUX_RENAME_EXCHANGE | LINUX_RENAME_WHITEOUT;
	if ((a4 & ~all) || ((a4 & LINUX_RENAME_EXCHANGE) &&
	                    (a4 & (LINUX_RENAME_NOREPLACE | LINUX_RENAME_WHITEOUT))))
		return -EINVAL;
	if (a4 & LINUX_RENAME_WHITEOUT) {
		abi_log_missing("linux: pid %d: RENAME_WHITEOUT is not implemented\n",
		                current()->pid);
		return -EINVAL;
	}
	struct linux_at from, to;
	long r = linux_at_begin(&from, a0, a1, false);
	if (r < 0)
		return r;
	r = linux_at_begin(&to, a2, a3, false);
	if (r == 0) {
		unsigned flags = ((a4 & LINUX_RENAME_NOREPLACE) ? VFS_RENAME_NOREPLACE : 0) |
		                 ((a4 & LINUX_RENAME_EXCHANGE) ? VFS_RENAME_EXCHANGE : 0);
		r = vfs_rename2(from.fs, from.path, to.fs, to.path, flags);
		linux_at_end(&to);
	}
	linux_at_end(&from);
	return r;
}

LINUX_SYSCALL(linkat)
{
	LINUX_UNUSED();
	if (a4 & ~(uint64_t)(LINUX_AT_SYMLINK_FOLLOW | LINUX_AT_EMPTY_PATH))
		return -EINVAL;
	struct linux_at from, to;
	struct path old;
	long r = linux_at_begin(&from, a0, a1, a4 & LINUX_AT_EMPTY_PATH);
	if (r < 0)
		return r;
	r = linux_at_path(&from, a4 & LINUX_AT_SYMLINK_FOLLOW, &old);
	linux_at_end(&from);
	if (r < 0)
		return r;
	r = linux_at_begin(&to, a2, a3, false);
	if (r == 0) {
		r = vfs_link_path(to.fs, &old, to.path);
		linux_at_end(&to);
	}
	path_put(&old);
	return r;
}

LINUX_SYSCALL(symlinkat)
{
	LINUX_UNUSED();
	char *target = kmalloc(PATH_MAX);
	if (!target)
		return -ENOMEM;
	long r = strncpy_from_user(target, (const char *)a0, PATH_MAX);
	struct linux_at at;
	if (r >= 0)
		r = linux_at_begin(&at, a1, a2, false);
	if (r >= 0) {
		r = vfs_symlink(at.fs, target, at.path);
		linux_at_end(&at);
	}
	kfree(target);
	return r;
}

/* An empty path reads the symlink open on dirfd (O_PATH|O_NOFOLLOW). */
LINUX_SYSCALL(readlinkat)
{
	LINUX_UNUSED();
	if ((int64_t)a3 <= 0)
		return -EINVAL;
	struct linux_at at;
	struct path p;
	long r = linux_at_begin(&at, a0, a1, true);
	if (r < 0)
		return r;
	bool empty = at.empty;
	r = linux_at_path(&at, false, &p);
	linux_at_end(&at);
	if (r < 0)
		return empty ? -ENOENT : r; /* an empty path names no link */
	char *buf = kmalloc(PATH_MAX);
	r = buf ? vfs_path_readlink(&p, buf, MIN(a3, (uint64_t)PATH_MAX)) : -ENOMEM;
	path_put(&p);
	if (r == -EINVAL && empty)
		r = -ENOENT;
	if (r > 0 && copy_to_user((void *)a2, buf, (size_t)r) < 0)
		r = -EFAULT;
	kfree(buf);
	return r;
}
