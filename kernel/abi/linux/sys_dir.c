/*
 * Linux directory calls: getdents64, getcwd, chdir, fchdir, chroot and
 * umask.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "mm/kmalloc.h"
#include "proc/task.h"

#define GETDENTS_MAX 65536

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
} __attribute__((packed));

/* Entries land in a kernel buffer; each one's d_off (the position after
 * it) is known only when the next entry arrives or the walk ends. */
struct dents {
	char *buf;
	size_t size, used;
	struct linux_dirent64 *last;
	bool full;
};

static int fill_dirent64(void *ctx, const char *name, size_t len, uint64_t ino, unsigned dtype,
                         uint64_t pos)
{
	struct dents *d = ctx;
	size_t reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) + len + 1, 8);

	if (d->last)
		d->last->d_off = (int64_t)pos;
	if (d->used + reclen > d->size) {
		d->full = true;
		return 1;
	}
	struct linux_dirent64 *e = (struct linux_dirent64 *)(d->buf + d->used);
	memset(e, 0, reclen);
	e->d_ino = ino;
	e->d_reclen = (uint16_t)reclen;
	e->d_type = (uint8_t)dtype;
	memcpy(e->d_name, name, len);
	d->used += reclen;
	d->last = e;
	return 0;
}

LINUX_SYSCALL(getdents64)
{
	LINUX_UNUSED();
	struct kobj *o = linux_fd_get_io((int)a0);
	if (!o)
		return -EBADF;
	struct dents d = {.size = MIN(a2, (uint64_t)GETDENTS_MAX)};
	uint64_t end;
	long r = file_is_dir(o) ? 0 : -ENOTDIR;
	if (r == 0)
		r = (d.buf = kmalloc(MAX(d.size, (size_t)1))) ? 0 : -ENOMEM;
	if (r == 0)
		r = file_readdir_pos(o, fill_dirent64, &d, &end);
	if (r == 0 && d.last)
		d.last->d_off = (int64_t)end;
	if (r == 0 && d.used == 0 && d.full)
		r = -EINVAL; /* not even one entry fits */
	if (r == 0)
		r = copy_to_user((void *)a1, d.buf, d.used) < 0 ? -EFAULT : (long)d.used;
	kfree(d.buf);
	kobj_put(o);
	return r;
}

LINUX_SYSCALL(getcwd)
{
	LINUX_UNUSED();
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	long r = vfs_getcwd(current()->fs, buf, MIN(a1, (uint64_t)PATH_MAX));
	if (r >= 0)
		r = copy_to_user((void *)a0, buf, (size_t)r + 1) < 0 ? -EFAULT : r + 1;
	kfree(buf);
	return r;
}

static long with_path(uint64_t upath, int (*op)(struct fs_struct *, const char *))
{
	struct linux_at at;
	long r = linux_at_begin(&at, (uint64_t)LINUX_AT_FDCWD, upath, false);
	if (r < 0)
		return r;
	r = op(at.fs, at.path);
	linux_at_end(&at);
	return r;
}

LINUX_SYSCALL(chdir)
{
	LINUX_UNUSED();
	return with_path(a0, vfs_chdir);
}

/* A directory (ENOTDIR) with search permission (EACCES), then the
 * privilege (EPERM). */
static int chroot_checked(struct fs_struct *fs, const char *path)
{
	struct vattr va;
	int r = vfs_stat(fs, path, true, &va);
	if (r == 0 && !S_ISDIR(va.mode))
		r = -ENOTDIR;
	if (r == 0)
		r = vfs_access(fs, path, true, VFS_X_OK | VFS_AT_EACCESS);
	if (r == 0 && !cred_capable(cred_current(), CAP_SYS_CHROOT))
		r = -EPERM; /* Linux: CAP_SYS_CHROOT */
	return r == 0 ? vfs_chroot(fs, path) : r;
}

LINUX_SYSCALL(chroot)
{
	LINUX_UNUSED();
	return with_path(a0, chroot_checked);
}

LINUX_SYSCALL(fchdir)
{
	LINUX_UNUSED();
	struct kobj *o = linux_fd_get((int)a0);
	struct path p;
	if (!o)
		return -EBADF;
	long r = file_path(o, &p);
	kobj_put(o);
	if (r < 0)
		return -ENOTDIR;
	r = vfs_chdir_path(current()->fs, &p);
	path_put(&p);
	return r;
}

LINUX_SYSCALL(umask)
{
	LINUX_UNUSED();
	return fs_umask_exchange(current()->fs, (uint32_t)a0);
}
