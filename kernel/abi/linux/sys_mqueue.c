/*
 * Linux POSIX message queue calls (mq_open & co.) over the kernel's
 * queues (kernel/ipc/mqueue.h): names, flags, attributes, timeouts and
 * sigevents in Linux's layouts (lipc.h).  Messages are copied to and
 * from the program here, with no lock held.
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "abi/linux/lipc.h"
#include "abi/linux/ltime.h"
#include "core/time.h"
#include "fs/vfs.h"
#include "ipc/mqueue.h"
#include "mm/kmalloc.h"
#include "obj/handle.h"
#include "obj/kobj.h"
#include "proc/signal.h"
#include "proc/task.h"

/* The queue's name: glibc has taken the leading '/' off. */
static long mq_name(uint64_t uname, char *name)
{
	long n = strncpy_from_user(name, (const char *)uname, PATH_MAX);
	if (n < 0)
		return n;
	return n == 0 ? -ENOENT : 0;
}

LINUX_SYSCALL(mq_open)
{
	LINUX_UNUSED();
	unsigned oflag = (unsigned)a1;
	struct linux_mq_attr la = {0};
	if (a3 && copy_from_user(&la, (void *)a3, sizeof(la)) < 0)
		return -EFAULT;
	char *name = kmalloc(PATH_MAX);
	if (!name)
		return -ENOMEM;
	long r = mq_name(a0, name);
	unsigned acc = oflag & O_ACCMODE;
	struct kobj *o = NULL;
	if (r == 0) {
		/* access mode 3 opens for neither (Linux's OPEN_FMODE) */
		int flags =
		    (acc == O_RDONLY || acc == O_RDWR ? MQ_O_READ : 0) |
		    (acc == O_WRONLY || acc == O_RDWR ? MQ_O_WRITE : 0) |
		    (acc == O_ACCMODE ? MQ_O_BADACC : 0) | ((oflag & O_CREAT) ? MQ_O_CREAT : 0) |
		    ((oflag & O_EXCL) ? MQ_O_EXCL : 0) | ((oflag & O_NONBLOCK) ? MQ_O_NONBLOCK : 0);
		struct mq_attr_k attr = {0, la.mq_maxmsg, la.mq_msgsize, 0};
		r = mq_open(name, flags, (uint32_t)a2, a3 ? &attr : NULL, &o);
	}
	kfree(name);
	if (r < 0)
		return r;
	/* Linux's queue descriptors are always close-on-exec */
	int fd = handle_install(current()->handles, o, HANDLE_CLOEXEC, 0);
	if (fd < 0)
		kobj_put(o);
	return fd;
}

LINUX_SYSCALL(mq_unlink)
{
	LINUX_UNUSED();
	char *name = kmalloc(PATH_MAX);
	if (!name)
		return -ENOMEM;
	long r = mq_name(a0, name);
	if (r == 0)
		r = mq_unlink(name);
	kfree(name);
	return r;
}

/* The monotonic deadline of an absolute CLOCK_REALTIME timeout (0: none);
 * a later setting of the clock does not move it. */
static long mq_deadline(uint64_t uaddr, uint64_t *deadline)
{
	int64_t abs;
	*deadline = 0;
	if (!uaddr)
		return 0;
	long r = linux_timespec_read(uaddr, &abs);
	if (r < 0)
		return r;
	int64_t now_rt = time_realtime_ns();
	uint64_t now = time_monotonic_ns();
	int64_t left = abs - now_rt;
	*deadline = left <= 0                    ? MAX(now, 1)
	            : now + (uint64_t)left < now ? UINT64_MAX
	                                         : now + (uint64_t)left;
	return 0;
}

/* The queue behind fd, referenced: EBADF for anything else. */
static struct kobj *mq_fd(int fd)
{
	struct kobj *o = linux_fd_get(fd);
	if (o && !mq_is(o)) {
		kobj_put(o);
		o = NULL;
	}
	return o;
}

LINUX_SYSCALL(mq_timedsend)
{
	LINUX_UNUSED();
	uint64_t len = a2, deadline;
	if (a3 >= MQ_PRIO_MAX)
		return -EINVAL;
	long r = mq_deadline(a4, &deadline);
	if (r < 0)
		return r;
	struct kobj *o = mq_fd((int)a0);
	if (!o)
		return -EBADF;
	struct mq_msg *m = NULL;
	if (!(o->flags & KOBJ_WRITE))
		r = -EBADF;
	else if (len > mq_msgsize(o))
		r = -EMSGSIZE;
	else if (!(m = mq_msg_new(len)))
		r = -ENOMEM;
	else if (copy_from_user(m->data, (void *)a1, len) < 0)
		r = -EFAULT;
	if (r == 0) {
		m->prio = (unsigned)a3;
		r = mq_send(o, m, deadline);
	}
	if (r < 0 && m)
		mq_msg_free(m);
	kobj_put(o);
	return r;
}

LINUX_SYSCALL(mq_timedreceive)
{
	LINUX_UNUSED();
	uint64_t deadline;
	long r = mq_deadline(a4, &deadline);
	if (r < 0)
		return r;
	struct kobj *o = mq_fd((int)a0);
	if (!o)
		return -EBADF;
	struct mq_msg *m;
	r = mq_receive(o, a2, deadline, &m);
	kobj_put(o);
	if (r < 0)
		return r;
	uint32_t prio = m->prio;
	if (copy_to_user((void *)a1, m->data, m->len) < 0 ||
	    (a3 && copy_to_user((void *)a3, &prio, sizeof(prio)) < 0))
		r = -EFAULT; /* the message is lost, as on Linux */
	else
		r = (long)m->len;
	mq_msg_free(m);
	return r;
}

LINUX_SYSCALL(mq_notify)
{
	LINUX_UNUSED();
	struct linux_sigevent ev;
	struct mq_notify_k n = {0};
	if (a1) {
		if (copy_from_user(&ev, (void *)a1, sizeof(ev)) < 0)
			return -EFAULT;
		if (ev.sigev_notify == L_SIGEV_THREAD) {
			/* glibc asks for it over a netlink socket, which is missing */
			abi_log_missing("linux: pid %d: mq_notify SIGEV_THREAD is not supported\n",
			                current()->pid);
			return -ENOSYS;
		}
		if (ev.sigev_notify != L_SIGEV_NONE && ev.sigev_notify != L_SIGEV_SIGNAL)
			return -EINVAL;
		if (ev.sigev_notify == L_SIGEV_SIGNAL && (uint32_t)ev.sigev_signo > SIG_MAX)
			return -EINVAL;
		n = (struct mq_notify_k){ev.sigev_notify == L_SIGEV_SIGNAL ? MQ_NOTIFY_SIGNAL
		                                                           : MQ_NOTIFY_NONE,
		                         ev.sigev_signo, ev.sigev_value};
	}
	struct kobj *o = mq_fd((int)a0);
	if (!o)
		return -EBADF;
	long r = mq_notify(o, a1 ? &n : NULL);
	kobj_put(o);
	return r;
}

LINUX_SYSCALL(mq_getsetattr)
{
	LINUX_UNUSED();
	struct linux_mq_attr la;
	bool nonblock;
	if (a1) {
		if (copy_from_user(&la, (void *)a1, sizeof(la)) < 0)
			return -EFAULT;
		if (la.mq_flags & ~(int64_t)O_NONBLOCK)
			return -EINVAL;
		nonblock = la.mq_flags & O_NONBLOCK;
	}
	struct kobj *o = mq_fd((int)a0);
	if (!o)
		return -EBADF;
	struct mq_attr_k old;
	mq_getsetattr(o, a1 ? &nonblock : NULL, &old);
	kobj_put(o);
	if (!a2)
		return 0;
	la = (struct linux_mq_attr){.mq_flags = (old.flags & MQ_O_NONBLOCK) ? O_NONBLOCK : 0,
	                            .mq_maxmsg = old.maxmsg,
	                            .mq_msgsize = old.msgsize,
	                            .mq_curmsgs = old.curmsgs};
	return copy_to_user((void *)a2, &la, sizeof(la)) < 0 ? -EFAULT : 0;
}
