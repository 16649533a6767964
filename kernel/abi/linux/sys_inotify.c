/*
 * Linux inotify: inotify_init1, inotify_add_watch, inotify_rm_watch over
 * the kernel's instances (obj/inotify.h), whose events and flags already
 * have Linux's values; reads, poll, epoll and FIONREAD go through the
 * object.  This file checks Linux's flags and resolves the watched path.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "fs/notify.h"
#include "fs/permission.h"
#include "obj/handle.h"
#include "obj/inotify.h"
#include "proc/task.h"

#define LINUX_IN_ONLYDIR     0x01000000
#define LINUX_IN_DONT_FOLLOW 0x02000000
#define LINUX_IN_ALL_BITS                                                                          \
	(FSN_ALL_EVENTS | LINUX_IN_ONLYDIR | LINUX_IN_DONT_FOLLOW | INOTIFY_EXCL_UNLINK |          \
	 INOTIFY_MASK_CREATE | INOTIFY_MASK_ADD | INOTIFY_ONESHOT)

LINUX_SYSCALL(inotify_init1)
{
	LINUX_UNUSED();
	struct kobj *o;
	int fd, r;

	if (a0 & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	r = inotify_create((unsigned)a0 & O_NONBLOCK, &o);
	if (r < 0)
		return r;
	fd = handle_install(current()->handles, o, (a0 & O_CLOEXEC) ? HANDLE_CLOEXEC : 0, 0);
	if (fd < 0)
		kobj_put(o);
	return fd;
}

LINUX_SYSCALL(inotify_add_watch)
{
	LINUX_UNUSED();
	uint32_t mask = (uint32_t)a2;
	struct linux_at at;
	struct path p;
	struct kobj *o;
	long r;

	if ((mask & INOTIFY_MASK_ADD) && (mask & INOTIFY_MASK_CREATE))
		return -EINVAL;
	if (!(mask & LINUX_IN_ALL_BITS))
		return -EINVAL;
	o = linux_fd_get((int)a0);
	if (!o)
		return -EBADF;
	if (!inotify_is(o)) {
		kobj_put(o);
		return -EINVAL;
	}
	r = linux_at_begin(&at, (uint64_t)LINUX_AT_FDCWD, a1, false);
	if (r == 0) {
		r = linux_at_path(&at, !(mask & LINUX_IN_DONT_FOLLOW), &p);
		linux_at_end(&at);
	}
	if (r == 0) {
		if ((mask & LINUX_IN_ONLYDIR) && !S_ISDIR(p.vn->mode))
			r = -ENOTDIR;
		else if ((r = vfs_permission(p.vn, MAY_READ)) == 0)
			r = inotify_add(o, p.vn, mask & ~(LINUX_IN_ONLYDIR | LINUX_IN_DONT_FOLLOW));
		path_put(&p);
	}
	kobj_put(o);
	return r;
}

LINUX_SYSCALL(inotify_rm_watch)
{
	LINUX_UNUSED();
	struct kobj *o = linux_fd_get((int)a0);
	long r;

	if (!o)
		return -EBADF;
	r = inotify_remove(o, (int)a1);
	kobj_put(o);
	return r;
}
