/*
 * Linux descriptor-table calls: close, close_range, dup, dup3, fcntl and
 * pipe2.  A descriptor is a handle number; close-on-exec is the handle's
 * flag, while O_APPEND and O_NONBLOCK live in the object and are shared
 * by its duplicates, as in an open file description.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "abi/linux/llock.h"
#include "obj/handle.h"
#include "obj/pipe.h"
#include "proc/cred.h"
#include "proc/task.h"

#define LINUX_O_LARGEFILE 0x8000
#define LINUX_O_ASYNC     0x2000
#define LINUX_O_DIRECT    0x4000
#define LINUX_O_NOATIME   0x40000
#define LINUX_FD_CLOEXEC  1

#define LINUX_F_DUPFD         0
#define LINUX_F_GETFD         1
#define LINUX_F_SETFD         2
#define LINUX_F_GETFL         3
#define LINUX_F_SETFL         4
#define LINUX_F_DUPFD_CLOEXEC 1030
#define LINUX_F_SETPIPE_SZ    1031
#define LINUX_F_GETPIPE_SZ    1032

#define LINUX_CLOSE_RANGE_UNSHARE 0x2
#define LINUX_CLOSE_RANGE_CLOEXEC 0x4

static struct handle_table *handles(void)
{
	return current()->handles;
}

LINUX_SYSCALL(close)
{
	LINUX_UNUSED();
	return handle_close(handles(), (int)a0);
}

/* CLOSE_RANGE_UNSHARE first gives the caller its own copy of a table it
 * shares with other tasks. */
LINUX_SYSCALL(close_range)
{
	LINUX_UNUSED();
	struct task *t = current();
	unsigned first = (unsigned)a0, last = (unsigned)a1;
	if ((a2 & ~(uint64_t)(LINUX_CLOSE_RANGE_UNSHARE | LINUX_CLOSE_RANGE_CLOEXEC)) ||
	    first > last)
		return -EINVAL;
	if ((a2 & LINUX_CLOSE_RANGE_UNSHARE) &&
	    __atomic_load_n(&t->handles->refcount, __ATOMIC_ACQUIRE) > 1) {
		struct handle_table *old = t->handles, *copy = handle_table_clone(old);
		if (!copy)
			return -ENOMEM;
		t->handles = copy;
		handle_table_put(old);
	}
	if (first >= HANDLE_MAX)
		return 0;
	handle_close_range(t->handles, (int)first, (int)MIN(last, (unsigned)HANDLE_MAX - 1),
	                   a2 & LINUX_CLOSE_RANGE_CLOEXEC);
	return 0;
}

/* The lowest free descriptor >= min referring to fd's object. */
static long dup_from(int fd, int min, bool cloexec)
{
	struct kobj *o = linux_fd_get(fd);
	if (!o)
		return -EBADF;
	long r = handle_install(handles(), o, cloexec ? HANDLE_CLOEXEC : 0, min);
	if (r < 0)
		kobj_put(o);
	return r;
}

LINUX_SYSCALL(dup)
{
	LINUX_UNUSED();
	return dup_from((int)a0, 0, false);
}

LINUX_SYSCALL(dup3)
{
	LINUX_UNUSED();
	if (a2 & ~(uint64_t)O_CLOEXEC)
		return -EINVAL;
	if ((int)a0 == (int)a1)
		return -EINVAL; /* checked before the descriptor, as Linux */
	return handle_dup2(handles(), (int)a0, (int)a1, (a2 & O_CLOEXEC) ? HANDLE_CLOEXEC : 0);
}

static long getfl(struct kobj *o)
{
	long acc = (o->flags & KOBJ_READ) && (o->flags & KOBJ_WRITE) ? O_RDWR
	           : (o->flags & KOBJ_WRITE)                         ? O_WRONLY
	                                                             : O_RDONLY;
	/* Linux forces O_LARGEFILE on every open of a 64-bit process */
	if (file_vnode(o))
		acc |= LINUX_O_LARGEFILE;
	return acc | (o->flags & (O_APPEND | O_NONBLOCK | O_PATH));
}

/* Only O_APPEND and O_NONBLOCK change; O_DIRECT and O_NOATIME are cache
 * hints with no cache to hint, other bits are ignored as Linux does.
 * O_ASYNC (SIGIO) is not implemented. */
static long setfl(struct kobj *o, uint64_t fl)
{
	if (o->flags & O_PATH)
		return -EBADF;
	if (fl & LINUX_O_ASYNC) {
		abi_log_missing("linux: pid %d: fcntl O_ASYNC is not implemented\n",
		                current()->pid);
		return -EINVAL;
	}
	unsigned keep = o->flags & ~(unsigned)(O_APPEND | O_NONBLOCK);
	__atomic_store_n(&o->flags, keep | ((unsigned)fl & (O_APPEND | O_NONBLOCK)),
	                 __ATOMIC_RELAXED);
	return 0;
}

static long fcntl_obj(int fd, struct kobj *o, unsigned cmd, uint64_t arg)
{
	int fl;

	switch (cmd) {
	case LINUX_F_DUPFD:
	case LINUX_F_DUPFD_CLOEXEC:
		return dup_from(fd, (int)MIN(arg, (uint64_t)INT32_MAX),
		                cmd == LINUX_F_DUPFD_CLOEXEC);
	case LINUX_F_GETFD:
		fl = handle_get_flags(handles(), fd);
		return fl < 0 ? fl : (fl & HANDLE_CLOEXEC) ? LINUX_FD_CLOEXEC : 0;
	case LINUX_F_SETFD:
		return handle_set_flags(handles(), fd,
		                        (arg & LINUX_FD_CLOEXEC) ? HANDLE_CLOEXEC : 0);
	case LINUX_F_GETFL:
		return getfl(o);
	case LINUX_F_SETFL:
		return setfl(o, arg);
	case LINUX_F_GETLK:
	case LINUX_F_SETLK:
	case LINUX_F_SETLKW:
	case LINUX_F_OFD_GETLK ... LINUX_F_OFD_SETLKW:
		return linux_fcntl_lock(o, cmd, arg);
	case LINUX_F_GETPIPE_SZ:
		return pipe_get_size(o);
	case LINUX_F_SETPIPE_SZ:
		return pipe_set_size(o, (uint32_t)arg,
		                     cred_capable(cred_current(), CAP_SYS_RESOURCE));
	default:
		abi_log_missing("linux: pid %d: fcntl command %u is not implemented\n",
		                current()->pid, cmd);
		return -EINVAL;
	}
}

LINUX_SYSCALL(fcntl)
{
	LINUX_UNUSED();
	struct kobj *o = linux_fd_get((int)a0);
	if (!o)
		return -EBADF;
	long r = fcntl_obj((int)a0, o, (unsigned)a1, a2);
	kobj_put(o);
	return r;
}

LINUX_SYSCALL(pipe2)
{
	LINUX_UNUSED();
	if (a1 & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK)) {
		if (a1 & LINUX_O_DIRECT)
			abi_log_missing("linux: pid %d: packet-mode pipes are not implemented\n",
			                current()->pid);
		return -EINVAL;
	}
	unsigned hflags = (a1 & O_CLOEXEC) ? HANDLE_CLOEXEC : 0;
	struct kobj *ends[2];
	int fds[2];
	long r = pipe_create(ends, (unsigned)a1 & O_NONBLOCK);
	if (r < 0)
		return r;
	fds[0] = handle_install(handles(), ends[0], hflags, 0);
	fds[1] = fds[0] < 0 ? -EMFILE : handle_install(handles(), ends[1], hflags, 0);
	if (fds[1] < 0) {
		if (fds[0] < 0)
			kobj_put(ends[0]);
		else
			handle_close(handles(), fds[0]);
		kobj_put(ends[1]);
		return -EMFILE;
	}
	if (copy_to_user((void *)a0, fds, sizeof(fds)) < 0) {
		handle_close(handles(), fds[0]);
		handle_close(handles(), fds[1]);
		return -EFAULT;
	}
	return 0;
}
