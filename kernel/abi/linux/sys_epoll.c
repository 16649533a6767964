/*
 * Linux epoll: epoll_create1, epoll_ctl, epoll_pwait, epoll_pwait2 over
 * the kernel's epoll instances (obj/epoll.h).  riscv64 has no
 * epoll_create or epoll_wait; glibc builds them on these.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "abi/linux/lpoll.h"
#include "mm/kmalloc.h"
#include "obj/epoll.h"
#include "obj/handle.h"
#include "proc/task.h"

/* struct epoll_event: not packed on riscv64. */
struct linux_epoll_event {
	uint32_t events;
	uint32_t pad;
	uint64_t data;
};

/* Linux's bound on maxevents. */
#define EPOLL_MAXEVENTS_MAX (0x7fffffff / (int)sizeof(struct linux_epoll_event))
/* Items reported by one call at most: one per descriptor is enough. */
#define EPOLL_BATCH HANDLE_MAX

LINUX_SYSCALL(epoll_create1)
{
	LINUX_UNUSED();
	if (a0 & ~(uint64_t)O_CLOEXEC)
		return -EINVAL;
	struct kobj *ep;
	int r = epoll_create(&ep);
	if (r < 0)
		return r;
	r = handle_install(current()->handles, ep, (a0 & O_CLOEXEC) ? HANDLE_CLOEXEC : 0, 0);
	if (r < 0)
		kobj_put(ep);
	return r;
}

LINUX_SYSCALL(epoll_ctl)
{
	LINUX_UNUSED();
	int op = (int)a1;
	struct linux_epoll_event ev = {0};
	if ((op == EPOLL_OP_ADD || op == EPOLL_OP_MOD) &&
	    copy_from_user(&ev, (void *)a3, sizeof(ev)) < 0)
		return -EFAULT;
	struct kobj *ep = linux_fd_get_io((int)a0);
	if (!ep)
		return -EBADF;
	struct kobj *target = linux_fd_get_io((int)a2);
	long r = -EBADF;
	if (target) {
		r = epoll_control(ep, (enum epoll_op)op, (int)a2, target, ev.events, ev.data);
		kobj_put(target);
	}
	kobj_put(ep);
	return r;
}

/* The wait both calls share, after the timeout is known. */
static long do_epoll_wait(uint64_t epfd, uint64_t uevents, uint64_t maxevents,
                          const struct poll_timeout *t)
{
	if ((int)maxevents <= 0 || (int)maxevents > EPOLL_MAXEVENTS_MAX)
		return -EINVAL;
	struct kobj *ep = linux_fd_get_io((int)epfd);
	if (!ep)
		return -EBADF;
	int max = MIN((int)maxevents, EPOLL_BATCH);
	struct epoll_report *rep = kmalloc((size_t)max * sizeof(*rep));
	long r = rep ? epoll_wait(ep, rep, max, t->forever ? 0 : t->deadline, t->zero) : -ENOMEM;
	kobj_put(ep);
	for (long i = 0; i < r; i++) {
		struct linux_epoll_event ev = {.events = rep[i].events, .data = rep[i].data};
		void *dst = (char *)uevents + i * sizeof(ev);
		if (copy_to_user(dst, &ev, sizeof(ev)) < 0) {
			r = i ? i : -EFAULT; /* as Linux: what was written counts */
			break;
		}
	}
	kfree(rep);
	return r;
}

LINUX_SYSCALL(epoll_pwait)
{
	LINUX_UNUSED();
	struct poll_timeout t;
	poll_timeout_ms((int)a3, &t);
	long masked = poll_sigmask_begin(a4, a5);
	if (masked < 0)
		return masked;
	return poll_sigmask_end(masked, do_epoll_wait(a0, a1, a2, &t));
}

LINUX_SYSCALL(epoll_pwait2)
{
	LINUX_UNUSED();
	struct poll_timeout t;
	long r = poll_read_timeout(a3, &t);
	if (r < 0)
		return r;
	long masked = poll_sigmask_begin(a4, a5);
	if (masked < 0)
		return masked;
	return poll_sigmask_end(masked, do_epoll_wait(a0, a1, a2, &t));
}
