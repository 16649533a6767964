/*
 * Native system calls on paths: stat, directory and link operations,
 * current directory, mounts, namespaces (unshare) and chroot.
 */
#include <scarlet/abi.h>

#include "abi/native/native.h"
#include "fs/bcache.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "proc/task.h"

void native_stat_from_vattr(struct sc_stat *st, const struct vattr *va);

static struct fs_struct *fs(void)
{
	return current()->fs;
}

static long stat_common(uint64_t upath, uint64_t ust, bool follow)
{
	char *path;
	long r = native_get_path(upath, &path);
	if (r < 0)
		return r;
	struct vattr va;
	r = vfs_stat(fs(), path, follow, &va);
	kfree(path);
	if (r < 0)
		return r;
	struct sc_stat st;
	native_stat_from_vattr(&st, &va);
	return copy_to_user((void *)ust, &st, sizeof(st));
}

SYSCALL_DEFINE(stat)
{
	UNUSED_ARGS();
	return stat_common(a0, a1, true);
}

SYSCALL_DEFINE(lstat)
{
	UNUSED_ARGS();
	return stat_common(a0, a1, false);
}

/* Runs op on one user path. */
static long with_path(uint64_t upath, int (*op)(struct fs_struct *, const char *))
{
	char *path;
	long r = native_get_path(upath, &path);
	if (r < 0)
		return r;
	r = op(fs(), path);
	kfree(path);
	return r;
}

/* Runs op on two user paths. */
static long with_paths(uint64_t u1, uint64_t u2,
                       int (*op)(struct fs_struct *, const char *, const char *))
{
	char *p1, *p2;
	long r = native_get_path(u1, &p1);
	if (r < 0)
		return r;
	r = native_get_path(u2, &p2);
	if (r < 0) {
		kfree(p1);
		return r;
	}
	r = op(fs(), p1, p2);
	kfree(p1);
	kfree(p2);
	return r;
}

SYSCALL_DEFINE(mkdir)
{
	UNUSED_ARGS();
	char *path;
	long r = native_get_path(a0, &path);
	if (r < 0)
		return r;
	r = vfs_mkdir(fs(), path, (uint32_t)a1 & 07777);
	kfree(path);
	return r;
}

SYSCALL_DEFINE(unlink)
{
	UNUSED_ARGS();
	return with_path(a0, vfs_unlink);
}

SYSCALL_DEFINE(rmdir)
{
	UNUSED_ARGS();
	return with_path(a0, vfs_rmdir);
}

SYSCALL_DEFINE(chdir)
{
	UNUSED_ARGS();
	return with_path(a0, vfs_chdir);
}

SYSCALL_DEFINE(umount)
{
	UNUSED_ARGS();
	return with_path(a0, vfs_umount);
}

SYSCALL_DEFINE(rename)
{
	UNUSED_ARGS();
	return with_paths(a0, a1, vfs_rename);
}

SYSCALL_DEFINE(link)
{
	UNUSED_ARGS();
	return with_paths(a0, a1, vfs_link);
}

SYSCALL_DEFINE(symlink)
{
	UNUSED_ARGS();
	return with_paths(a0, a1, vfs_symlink);
}

SYSCALL_DEFINE(readlink)
{
	UNUSED_ARGS();
	char *path;
	long r = native_get_path(a0, &path);
	if (r < 0)
		return r;
	char *buf = kmalloc(PATH_MAX);
	if (!buf) {
		kfree(path);
		return -ENOMEM;
	}
	r = vfs_readlink(fs(), path, buf, MIN(a2, (uint64_t)PATH_MAX));
	if (r > 0 && copy_to_user((void *)a1, buf, (size_t)r) < 0)
		r = -EFAULT;
	kfree(buf);
	kfree(path);
	return r;
}

SYSCALL_DEFINE(getcwd)
{
	UNUSED_ARGS();
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	long r = vfs_getcwd(fs(), buf, MIN(a1, (uint64_t)PATH_MAX));
	if (r >= 0) {
		size_t len = strlen(buf) + 1;
		r = copy_to_user((void *)a0, buf, len) < 0 ? -EFAULT : (long)len;
	}
	kfree(buf);
	return r;
}

static long copy_opt_string(uint64_t u, char *dst, size_t n)
{
	if (!u) {
		dst[0] = '\0';
		return 0;
	}
	long r = strncpy_from_user(dst, (const char *)u, n);
	return r < 0 ? r : 0;
}

/* An optional user string in a new PATH_MAX buffer ("" for NULL). */
static long get_opt_string(uint64_t u, char **out)
{
	char *buf = kmalloc(PATH_MAX);
	long r;

	if (!buf)
		return -ENOMEM;
	r = copy_opt_string(u, buf, PATH_MAX);
	if (r < 0) {
		kfree(buf);
		return r;
	}
	*out = buf;
	return 0;
}

/* source is a path for MS_BIND; data is a string of options (overlay:
 * "lowerdir=/a:/b,upperdir=/u"). */
SYSCALL_DEFINE(mount)
{
	UNUSED_ARGS();
	char type[32], *src = NULL, *data = NULL, *target = NULL;
	long r = copy_opt_string(a2, type, sizeof(type));
	if (r == 0)
		r = get_opt_string(a0, &src);
	if (r == 0)
		r = get_opt_string(a4, &data);
	if (r == 0)
		r = native_get_path(a1, &target);
	if (r == 0)
		r = vfs_mount(fs(), src[0] ? src : "none", target, type, (unsigned)a3,
		              data[0] ? data : NULL);
	kfree(src);
	kfree(data);
	kfree(target);
	return r;
}

/* UNSHARE_NS: the caller gets a private fs_struct (if it shared one) with
 * a private copy of the mount namespace. */
SYSCALL_DEFINE(unshare)
{
	UNUSED_ARGS();
	struct task *t = current();
	if (a0 & ~(uint64_t)UNSHARE_NS)
		return -EINVAL;
	if (!(a0 & UNSHARE_NS))
		return 0;
	if (__atomic_load_n(&t->fs->refcount, __ATOMIC_ACQUIRE) > 1) {
		struct fs_struct *old = t->fs, *c = fs_struct_clone(old);
		if (!c)
			return -ENOMEM;
		t->fs = c;
		fs_struct_put(old);
	}
	return mnt_ns_clone(t->fs);
}

SYSCALL_DEFINE(chroot)
{
	UNUSED_ARGS();
	return with_path(a0, vfs_chroot);
}

SYSCALL_DEFINE(mounts)
{
	UNUSED_ARGS();
	size_t n = MIN(a1, (uint64_t)PAGE_SIZE);
	char *buf = kmalloc(PAGE_SIZE);
	if (!buf)
		return -ENOMEM;
	long r = vfs_list_mounts(fs(), buf, n);
	if (r >= 0 && copy_to_user((void *)a0, buf, (size_t)r) < 0)
		r = -EFAULT;
	kfree(buf);
	return r;
}

SYSCALL_DEFINE(sync)
{
	UNUSED_ARGS();
	int r = vfs_sync_all();
	int b = bcache_sync(NULL);
	return r < 0 ? r : b;
}

SYSCALL_DEFINE(chmod)
{
	UNUSED_ARGS();
	char *path;
	long r = native_get_path(a0, &path);
	if (r < 0)
		return r;
	struct vattr va = {.mode = (uint32_t)a1 & 07777};
	r = vfs_setattr(fs(), path, true, &va, VATTR_MODE);
	kfree(path);
	return r;
}
