/*
 * Linux file I/O on descriptors (fd = handle number): open, read, write
 * and their vector forms, seek, stat, readlink.
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "obj/handle.h"
#include "proc/task.h"

#define IOV_MAX 1024

struct kobj *linux_fd_get(int fd)
{
	return handle_get(current()->handles, fd);
}

/* A path argument: absolute, or relative to the cwd (AT_FDCWD).  Paths
 * relative to another directory fd come with the rest of part 1. */
static long get_path_at(uint64_t dirfd, uint64_t upath, char **out)
{
	char *p = kmalloc(PATH_MAX);
	if (!p)
		return -ENOMEM;
	long n = strncpy_from_user(p, (const char *)upath, PATH_MAX);
	if (n < 0) {
		kfree(p);
		return n;
	}
	if ((int)dirfd != LINUX_AT_FDCWD && p[0] != '/' && p[0] != '\0') {
		printk("linux: pid %d: paths relative to a directory fd are not implemented yet\n",
		       current()->pid);
		kfree(p);
		return -ENOSYS;
	}
	*out = p;
	return 0;
}

LINUX_SYSCALL(openat)
{
	LINUX_UNUSED();
	char *path;
	long r = get_path_at(a0, a1, &path);
	if (r < 0)
		return r;
	struct kobj *o;
	r = path[0] ? vfs_open(current()->fs, path, (int)a2, (uint32_t)a3, &o) : -ENOENT;
	kfree(path);
	if (r < 0)
		return r;
	r = handle_install(current()->handles, o, (a2 & O_CLOEXEC) ? HANDLE_CLOEXEC : 0, 0);
	if (r < 0)
		kobj_put(o);
	return r;
}

LINUX_SYSCALL(close)
{
	LINUX_UNUSED();
	return handle_close(current()->handles, (int)a0);
}

static long rw(int fd, uint64_t buf, uint64_t n, bool write)
{
	struct kobj *o = linux_fd_get(fd);
	if (!o)
		return -EBADF;
	struct iobuf io = iobuf_user((void *)buf, n);
	long r = write ? kobj_write(o, &io) : kobj_read(o, &io);
	kobj_put(o);
	return r;
}

LINUX_SYSCALL(read)
{
	LINUX_UNUSED();
	return rw((int)a0, a1, a2, false);
}

LINUX_SYSCALL(write)
{
	LINUX_UNUSED();
	return rw((int)a0, a1, a2, true);
}

/* readv/writev: one transfer per vector element, stopping short. */
static long rw_vector(int fd, uint64_t uiov, uint64_t cnt, bool write)
{
	if (cnt > IOV_MAX)
		return -EINVAL;
	struct kobj *o = linux_fd_get(fd);
	if (!o)
		return -EBADF;
	long total = 0, r = 0;
	for (uint64_t i = 0; i < cnt; i++) {
		struct linux_iovec v;
		if (copy_from_user(&v, (void *)(uiov + i * sizeof(v)), sizeof(v)) < 0) {
			r = -EFAULT;
			break;
		}
		struct iobuf io = iobuf_user((void *)v.base, v.len);
		r = write ? kobj_write(o, &io) : kobj_read(o, &io);
		if (r < 0)
			break;
		total += r;
		if ((uint64_t)r < v.len)
			break;
	}
	kobj_put(o);
	return total > 0 ? total : r;
}

LINUX_SYSCALL(readv)
{
	LINUX_UNUSED();
	return rw_vector((int)a0, a1, a2, false);
}

LINUX_SYSCALL(writev)
{
	LINUX_UNUSED();
	return rw_vector((int)a0, a1, a2, true);
}

LINUX_SYSCALL(lseek)
{
	LINUX_UNUSED();
	struct kobj *o = linux_fd_get((int)a0);
	if (!o)
		return -EBADF;
	long r = a2 > SEEK_END ? -EINVAL : kobj_seek(o, (int64_t)a1, (int)a2);
	kobj_put(o);
	return r;
}

static int stat_to_user(const struct vattr *va, uint64_t ust)
{
	struct linux_stat st;
	memset(&st, 0, sizeof(st));
	st.st_dev = va->dev;
	st.st_ino = va->ino;
	st.st_mode = va->mode;
	st.st_nlink = va->nlink;
	st.st_uid = va->uid;
	st.st_gid = va->gid;
	st.st_rdev = va->rdev;
	st.st_size = (int64_t)va->size;
	st.st_blksize = 4096;
	st.st_blocks = (int64_t)va->blocks;
	st.st_atime_sec = va->atime_ns / 1000000000;
	st.st_atime_nsec = (uint64_t)(va->atime_ns % 1000000000);
	st.st_mtime_sec = va->mtime_ns / 1000000000;
	st.st_mtime_nsec = (uint64_t)(va->mtime_ns % 1000000000);
	st.st_ctime_sec = va->ctime_ns / 1000000000;
	st.st_ctime_nsec = (uint64_t)(va->ctime_ns % 1000000000);
	return copy_to_user((void *)ust, &st, sizeof(st));
}

static long fstat_fd(int fd, uint64_t ust)
{
	struct kobj *o = linux_fd_get(fd);
	if (!o)
		return -EBADF;
	struct vattr va;
	long r = kobj_stat(o, &va);
	kobj_put(o);
	return r < 0 ? r : stat_to_user(&va, ust);
}

LINUX_SYSCALL(fstat)
{
	LINUX_UNUSED();
	return fstat_fd((int)a0, a1);
}

LINUX_SYSCALL(newfstatat)
{
	LINUX_UNUSED();
	char *path;
	long r = get_path_at(a0, a1, &path);
	if (r < 0)
		return r;
	if (!path[0]) {
		kfree(path);
		return (a3 & LINUX_AT_EMPTY_PATH) ? fstat_fd((int)a0, a2) : -ENOENT;
	}
	struct vattr va;
	r = vfs_stat(current()->fs, path, !(a3 & LINUX_AT_SYMLINK_NOFOLLOW), &va);
	kfree(path);
	return r < 0 ? r : stat_to_user(&va, a2);
}

LINUX_SYSCALL(readlinkat)
{
	LINUX_UNUSED();
	char *path;
	long r = get_path_at(a0, a1, &path);
	if (r < 0)
		return r;
	char *buf = kmalloc(PATH_MAX);
	r = buf ? vfs_readlink(current()->fs, path, buf, MIN(a3, (uint64_t)PATH_MAX)) : -ENOMEM;
	if (r > 0 && copy_to_user((void *)a2, buf, (size_t)r) < 0)
		r = -EFAULT;
	kfree(buf);
	kfree(path);
	return r;
}
