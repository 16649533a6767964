/*
 * Linux calls that report on files and filesystems: fstat, newfstatat,
 * statx, faccessat, faccessat2, statfs and fstatfs.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "proc/task.h"

#define LINUX_ST_RDONLY       0x1
#define LINUX_ST_VALID        0x20
#define LINUX_STATX_BASIC     0x7ffu
#define LINUX_STATX__RESERVED 0x80000000u
#define NSEC                  1000000000

struct linux_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};

struct linux_statx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, spare0;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct linux_statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align, stx_dio_offset_align;
	uint64_t spare3[12];
};
_Static_assert(sizeof(struct linux_statx) == 256, "struct statx");

struct linux_statfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};
_Static_assert(sizeof(struct linux_statfs) == 120, "struct statfs");

/* The kernel's dev_t (major << 20 | minor) as Linux user space encodes it. */
static uint64_t encode_dev(uint64_t kdev)
{
	uint64_t ma = MAJOR(kdev), mi = MINOR(kdev);
	return (mi & 0xff) | ((ma & 0xfff) << 8) | ((mi & ~0xffull) << 12) |
	       ((ma & ~0xfffull) << 32);
}

static int stat_to_user(const struct vattr *va, uint64_t ust)
{
	struct linux_stat st;
	memset(&st, 0, sizeof(st));
	st.st_dev = encode_dev(va->dev);
	st.st_ino = va->ino;
	st.st_mode = va->mode;
	st.st_nlink = va->nlink;
	st.st_uid = va->uid;
	st.st_gid = va->gid;
	st.st_rdev = encode_dev(va->rdev);
	st.st_size = (int64_t)va->size;
	st.st_blksize = 4096;
	st.st_blocks = (int64_t)va->blocks;
	st.st_atime_sec = va->atime_ns / NSEC;
	st.st_atime_nsec = (uint64_t)(va->atime_ns % NSEC);
	st.st_mtime_sec = va->mtime_ns / NSEC;
	st.st_mtime_nsec = (uint64_t)(va->mtime_ns % NSEC);
	st.st_ctime_sec = va->ctime_ns / NSEC;
	st.st_ctime_nsec = (uint64_t)(va->ctime_ns % NSEC);
	return copy_to_user((void *)ust, &st, sizeof(st));
}

static struct linux_statx_timestamp statx_time(int64_t ns)
{
	return (struct linux_statx_timestamp){.tv_sec = ns / NSEC,
	                                      .tv_nsec = (uint32_t)(ns % NSEC)};
}

/* Everything of STATX_BASIC_STATS is always filled, whatever was asked. */
static int statx_to_user(const struct vattr *va, uint64_t ust)
{
	struct linux_statx sx;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = LINUX_STATX_BASIC;
	sx.stx_blksize = 4096;
	sx.stx_nlink = va->nlink;
	sx.stx_uid = va->uid;
	sx.stx_gid = va->gid;
	sx.stx_mode = (uint16_t)va->mode;
	sx.stx_ino = va->ino;
	sx.stx_size = va->size;
	sx.stx_blocks = va->blocks;
	sx.stx_atime = statx_time(va->atime_ns);
	sx.stx_mtime = statx_time(va->mtime_ns);
	sx.stx_ctime = statx_time(va->ctime_ns);
	sx.stx_rdev_major = MAJOR(va->rdev);
	sx.stx_rdev_minor = MINOR(va->rdev);
	sx.stx_dev_major = MAJOR(va->dev);
	sx.stx_dev_minor = MINOR(va->dev);
	return copy_to_user((void *)ust, &sx, sizeof(sx));
}

LINUX_SYSCALL(fstat)
{
	LINUX_UNUSED();
	struct kobj *o = linux_fd_get((int)a0);
	if (!o)
		return -EBADF;
	struct vattr va;
	long r = kobj_stat(o, &va);
	kobj_put(o);
	return r < 0 ? r : stat_to_user(&va, a1);
}

/* The attributes of an *at target: dirfd's object for an empty path. */
static long stat_at(uint64_t dirfd, uint64_t upath, uint64_t flags, struct vattr *va)
{
	struct linux_at at;
	long r = linux_at_begin(&at, dirfd, upath, flags & LINUX_AT_EMPTY_PATH);
	if (r < 0)
		return r;
	if (at.obj)
		r = kobj_stat(at.obj, va);
	else
		r = vfs_stat(at.fs, at.path, !(flags & LINUX_AT_SYMLINK_NOFOLLOW), va);
	linux_at_end(&at);
	return r;
}

LINUX_SYSCALL(newfstatat)
{
	LINUX_UNUSED();
	const uint64_t known =
	    LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH | LINUX_AT_NO_AUTOMOUNT;
	if (a3 & ~known)
		return -EINVAL;
	struct vattr va;
	long r = stat_at(a0, a1, a3, &va);
	return r < 0 ? r : stat_to_user(&va, a2);
}

LINUX_SYSCALL(statx)
{
	LINUX_UNUSED();
	const uint64_t known = LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH |
	                       LINUX_AT_NO_AUTOMOUNT | LINUX_AT_STATX_SYNC;
	if ((a2 & ~known) || (a2 & LINUX_AT_STATX_SYNC) == LINUX_AT_STATX_SYNC ||
	    (a3 & LINUX_STATX__RESERVED))
		return -EINVAL;
	struct vattr va;
	long r = stat_at(a0, a1, a2, &va);
	return r < 0 ? r : statx_to_user(&va, a4);
}

static long access_at(uint64_t dirfd, uint64_t upath, uint64_t mode, uint64_t flags)
{
	const uint64_t known = LINUX_AT_EACCESS | LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH;
	if ((flags & ~known) || (mode & ~(uint64_t)7))
		return -EINVAL;
	struct cred_fs_ids saved;
	struct linux_at at;
	struct path p;
	long r = linux_at_begin(&at, dirfd, upath, flags & LINUX_AT_EMPTY_PATH);
	if (r < 0)
		return r;
	/* the real ids, for the walk too, unless AT_EACCESS */
	if (!(flags & LINUX_AT_EACCESS))
		cred_override_real(&saved);
	r = linux_at_path(&at, !(flags & LINUX_AT_SYMLINK_NOFOLLOW), &p);
	linux_at_end(&at);
	if (r == 0) {
		/* F_OK/R_OK/W_OK/X_OK are 0/4/2/1, as VFS_*_OK */
		r = vfs_path_access(&p, (int)mode);
		path_put(&p);
	}
	if (!(flags & LINUX_AT_EACCESS))
		cred_override_end(&saved);
	return r;
}

LINUX_SYSCALL(faccessat)
{
	LINUX_UNUSED();
	return access_at(a0, a1, a2, 0);
}

LINUX_SYSCALL(faccessat2)
{
	LINUX_UNUSED();
	return access_at(a0, a1, a2, a3);
}

static int statfs_to_user(const struct vfs_statfs *st, uint64_t ubuf)
{
	struct linux_statfs l;
	memset(&l, 0, sizeof(l));
	l.f_type = (int64_t)st->type;
	l.f_bsize = (int64_t)st->bsize;
	l.f_blocks = st->blocks;
	l.f_bfree = st->bfree;
	l.f_bavail = st->bavail;
	l.f_files = st->files;
	l.f_ffree = st->ffree;
	uint64_t dev = encode_dev(st->fsid);
	l.f_fsid[0] = (int32_t)dev;
	l.f_fsid[1] = (int32_t)(dev >> 32);
	l.f_namelen = (int64_t)st->namelen;
	l.f_frsize = (int64_t)st->frsize;
	l.f_flags = LINUX_ST_VALID | ((st->flags & VFS_ST_RDONLY) ? LINUX_ST_RDONLY : 0);
	return copy_to_user((void *)ubuf, &l, sizeof(l));
}

LINUX_SYSCALL(statfs)
{
	LINUX_UNUSED();
	struct linux_at at;
	struct vfs_statfs st;
	long r = linux_at_begin(&at, (uint64_t)LINUX_AT_FDCWD, a0, false);
	if (r < 0)
		return r;
	r = vfs_statfs(at.fs, at.path, &st);
	linux_at_end(&at);
	return r < 0 ? r : statfs_to_user(&st, a1);
}

LINUX_SYSCALL(fstatfs)
{
	LINUX_UNUSED();
	struct kobj *o = linux_fd_get((int)a0);
	struct vfs_statfs st;
	struct path p;
	if (!o)
		return -EBADF;
	long r = file_path(o, &p);
	kobj_put(o);
	if (r < 0) {
		abi_log_missing("linux: pid %d: fstatfs of a pipe or device is not implemented\n",
		                current()->pid);
		return -ENOSYS;
	}
	r = vfs_path_statfs(&p, &st);
	path_put(&p);
	return r < 0 ? r : statfs_to_user(&st, a1);
}
