/*
 * Linux file locks: fcntl's record locks (F_GETLK/F_SETLK/F_SETLKW, owned
 * by the process, and the F_OFD_* ones, owned by the open file
 * description) and flock(2).  The locks themselves are the VFS's
 * (fs/lock.h); this file turns struct flock into byte ranges and back,
 * with Linux's checks and errno.
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "abi/linux/llock.h"
#include "fs/lock.h"
#include "fs/vfs.h"
#include "proc/pid_ns.h"
#include "proc/task.h"

#define LINUX_F_RDLCK 0
#define LINUX_F_WRLCK 1
#define LINUX_F_UNLCK 2

#define LINUX_LOCK_SH 1
#define LINUX_LOCK_EX 2
#define LINUX_LOCK_NB 4
#define LINUX_LOCK_UN 8

#define LINUX_OFFSET_MAX INT64_MAX
#ifndef EOVERFLOW
#define EOVERFLOW 75
#endif

/* struct flock of riscv64 */
struct linux_flock {
	int16_t l_type;
	int16_t l_whence;
	int64_t l_start;
	int64_t l_len;
	int32_t l_pid;
};

/* Where l_whence counts from: 0, the file offset or the file size. */
static long whence_base(struct kobj *o, int whence, int64_t *base)
{
	struct vattr va;
	int64_t r;
	switch (whence) {
	case SEEK_SET:
		*base = 0;
		return 0;
	case SEEK_CUR:
		r = kobj_seek(o, 0, SEEK_CUR);
		if (r < 0)
			return r;
		*base = r;
		return 0;
	case SEEK_END:
		r = kobj_stat(o, &va);
		if (r < 0)
			return r;
		*base = (int64_t)va.size;
		return 0;
	default:
		return -EINVAL;
	}
}

/* struct flock's range as an inclusive byte range (Linux's rules,
 * negative lengths included). */
static long flock_to_range(struct kobj *o, const struct linux_flock *fl, struct flock_range *r)
{
	int64_t start;
	long err = whence_base(o, fl->l_whence, &start);
	if (err < 0)
		return err;
	if (fl->l_start > LINUX_OFFSET_MAX - start)
		return -EOVERFLOW;
	start += fl->l_start;
	if (start < 0)
		return -EINVAL;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > LINUX_OFFSET_MAX - start)
			return -EOVERFLOW;
		r->start = start;
		r->end = start + fl->l_len - 1;
	} else if (fl->l_len < 0) {
		if (start + fl->l_len < 0)
			return -EINVAL;
		r->start = start + fl->l_len;
		r->end = start - 1;
	} else {
		r->start = start;
		r->end = FLOCK_EOF;
	}
	switch (fl->l_type) {
	case LINUX_F_RDLCK:
		r->type = FLOCK_READ;
		return 0;
	case LINUX_F_WRLCK:
		r->type = FLOCK_WRITE;
		return 0;
	case LINUX_F_UNLCK:
		r->type = FLOCK_UNLOCK;
		return 0;
	default:
		return -EINVAL;
	}
}

static long getlk(struct kobj *o, enum flock_kind kind, uint64_t uarg)
{
	struct linux_flock fl;
	struct flock_range r = {0};
	if (copy_from_user(&fl, (const void *)uarg, sizeof(fl)) < 0)
		return -EFAULT;
	if (fl.l_type != LINUX_F_RDLCK && fl.l_type != LINUX_F_WRLCK)
		return -EINVAL;
	long err = flock_to_range(o, &fl, &r);
	if (err < 0)
		return err;
	if (kind == FLOCK_OFD && fl.l_pid != 0)
		return -EINVAL;
	err = vfs_lock_test(o, kind, &r);
	if (err < 0)
		return err;
	if (r.type == FLOCK_UNLOCK) {
		fl.l_type = LINUX_F_UNLCK;
	} else {
		fl.l_type = r.type == FLOCK_READ ? LINUX_F_RDLCK : LINUX_F_WRLCK;
		fl.l_whence = SEEK_SET;
		fl.l_start = r.start;
		fl.l_len = r.end == FLOCK_EOF ? 0 : r.end - r.start + 1;
		fl.l_pid = pid_vnr(r.pid); /* 0 for an owner outside the caller's namespace */
	}
	return copy_to_user((void *)uarg, &fl, sizeof(fl)) < 0 ? -EFAULT : 0;
}

static long setlk(struct kobj *o, enum flock_kind kind, uint64_t uarg, bool wait)
{
	struct linux_flock fl;
	struct flock_range r = {0};
	if (copy_from_user(&fl, (const void *)uarg, sizeof(fl)) < 0)
		return -EFAULT;
	long err = flock_to_range(o, &fl, &r);
	if (err < 0)
		return err;
	if (kind == FLOCK_OFD && fl.l_pid != 0)
		return -EINVAL;
	if ((r.type == FLOCK_READ && !(o->flags & KOBJ_READ)) ||
	    (r.type == FLOCK_WRITE && !(o->flags & KOBJ_WRITE)))
		return -EBADF;
	return vfs_lock_set(o, kind, &r, wait);
}

/* Locks on what is not a file of a filesystem (pipes, sockets, devices)
 * are not kept. */
static long not_lockable(struct kobj *o)
{
	abi_log_missing("linux: pid %d: file locks on a %s are not implemented\n", current()->pid,
	                o->ops->type);
	return -ENOLCK;
}

long linux_fcntl_lock(struct kobj *o, unsigned cmd, uint64_t arg)
{
	if (o->flags & O_PATH)
		return -EBADF;
	if (!file_vnode(o))
		return not_lockable(o);
	switch (cmd) {
	case LINUX_F_GETLK:
		return getlk(o, FLOCK_POSIX, arg);
	case LINUX_F_SETLK:
	case LINUX_F_SETLKW:
		return setlk(o, FLOCK_POSIX, arg, cmd == LINUX_F_SETLKW);
	case LINUX_F_OFD_GETLK:
		return getlk(o, FLOCK_OFD, arg);
	case LINUX_F_OFD_SETLK:
	case LINUX_F_OFD_SETLKW:
		return setlk(o, FLOCK_OFD, arg, cmd == LINUX_F_OFD_SETLKW);
	default:
		return -EINVAL;
	}
}

LINUX_SYSCALL(flock)
{
	LINUX_UNUSED();
	enum flock_type t;
	switch (a1 & ~(uint64_t)LINUX_LOCK_NB) {
	case LINUX_LOCK_SH:
		t = FLOCK_READ;
		break;
	case LINUX_LOCK_EX:
		t = FLOCK_WRITE;
		break;
	case LINUX_LOCK_UN:
		t = FLOCK_UNLOCK;
		break;
	default:
		return -EINVAL;
	}
	struct kobj *o = linux_fd_get((int)a0);
	if (!o)
		return -EBADF;
	long r = (o->flags & O_PATH) ? -EBADF
	         : file_vnode(o)     ? vfs_flock(o, t, !(a1 & LINUX_LOCK_NB))
	                             : not_lockable(o);
	kobj_put(o);
	return r;
}
