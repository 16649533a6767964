/*
 * Linux fallocate and fadvise64: space and access hints for files.
 * fallocate's modes 0, FALLOC_FL_KEEP_SIZE, PUNCH_HOLE|KEEP_SIZE and
 * ZERO_RANGE work on the files of every filesystem that can write
 * (file_fallocate: sizes and contents as Linux, no space reserved or
 * freed); the others fail with EOPNOTSUPP, as on a filesystem without
 * them.  fadvise64 checks its arguments and takes every advice: there is
 * no read-ahead to tune.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "fs/vfs.h"
#include "obj/pipe.h"
#include "proc/task.h"

#define LINUX_FALLOC_FL_KEEP_SIZE      0x01
#define LINUX_FALLOC_FL_PUNCH_HOLE     0x02
#define LINUX_FALLOC_FL_COLLAPSE_RANGE 0x08
#define LINUX_FALLOC_FL_ZERO_RANGE     0x10
#define LINUX_FALLOC_FL_INSERT_RANGE   0x20
#define LINUX_FALLOC_FL_UNSHARE_RANGE  0x40
#define LINUX_FALLOC_FL_WRITE_ZEROES   0x80

#define LINUX_POSIX_FADV_NOREUSE 5

static bool is_pipe(struct kobj *o)
{
	return pipe_get_size(o) >= 0;
}

/* Linux's checks of the mode alone (6.18): KEEP_SIZE plus at most one
 * operation; PUNCH_HOLE needs KEEP_SIZE, COLLAPSE/INSERT_RANGE and
 * WRITE_ZEROES refuse it. */
static long check_mode(uint64_t mode)
{
	uint64_t op = mode & ~(uint64_t)LINUX_FALLOC_FL_KEEP_SIZE;
	bool keep = mode & LINUX_FALLOC_FL_KEEP_SIZE;
	switch (op) {
	case 0:
	case LINUX_FALLOC_FL_UNSHARE_RANGE:
	case LINUX_FALLOC_FL_ZERO_RANGE:
		return 0;
	case LINUX_FALLOC_FL_PUNCH_HOLE:
		return keep ? 0 : -ENOTSUP;
	case LINUX_FALLOC_FL_COLLAPSE_RANGE:
	case LINUX_FALLOC_FL_INSERT_RANGE:
	case LINUX_FALLOC_FL_WRITE_ZEROES:
		return keep ? -ENOTSUP : 0;
	default:
		return -ENOTSUP;
	}
}

static long fallocate_obj(struct kobj *o, uint64_t mode, int64_t off, int64_t len)
{
	if (off < 0 || len <= 0)
		return -EINVAL;
	long r = check_mode(mode);
	if (r < 0)
		return r;
	if (!(o->flags & KOBJ_WRITE))
		return -EBADF;
	if (is_pipe(o))
		return -ESPIPE;
	if (file_is_dir(o))
		return -EISDIR;
	struct vnode *vn = file_vnode(o);
	if (!vn || !S_ISREG(vn->mode))
		return -ENODEV;
	if (off + len < 0)
		return -EFBIG;
	if (mode & (LINUX_FALLOC_FL_COLLAPSE_RANGE | LINUX_FALLOC_FL_INSERT_RANGE |
	            LINUX_FALLOC_FL_UNSHARE_RANGE | LINUX_FALLOC_FL_WRITE_ZEROES)) {
		abi_log_missing("linux: pid %d: fallocate mode %#lx is not implemented\n",
		                current()->pid, (unsigned long)mode);
		return -ENOTSUP;
	}
	unsigned vmode = ((mode & LINUX_FALLOC_FL_KEEP_SIZE) ? FALLOC_KEEP_SIZE : 0) |
	                 ((mode & LINUX_FALLOC_FL_PUNCH_HOLE) ? FALLOC_PUNCH_HOLE : 0) |
	                 ((mode & LINUX_FALLOC_FL_ZERO_RANGE) ? FALLOC_ZERO_RANGE : 0);
	return file_fallocate(o, vmode, (uint64_t)off, (uint64_t)len);
}

LINUX_SYSCALL(fallocate)
{
	LINUX_UNUSED();
	struct kobj *o = linux_fd_get_io((int)a0);
	if (!o)
		return -EBADF;
	long r = fallocate_obj(o, (uint32_t)a1, (int64_t)a2, (int64_t)a3);
	kobj_put(o);
	return r;
}

/* fadvise64(fd, offset, len, advice) */
LINUX_SYSCALL(fadvise64)
{
	LINUX_UNUSED();
	struct kobj *o = linux_fd_get_io((int)a0);
	if (!o)
		return -EBADF;
	long r = 0;
	if (is_pipe(o))
		r = -ESPIPE;
	else if ((int64_t)a2 < 0 || (int)a3 < 0 || (int)a3 > LINUX_POSIX_FADV_NOREUSE)
		r = -EINVAL;
	kobj_put(o);
	return r;
}
