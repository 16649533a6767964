/*
 * Linux calls that name another process: process descriptors (pidfd_open,
 * pidfd_send_signal, pidfd_getfd; waitid's P_PIDFD is in sys_wait.c),
 * kcmp, process_vm_readv/writev, and personality.  The access rule for
 * looking into another process is procctl_may_access (proc/procctl.h).
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "abi/linux/signal.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"
#include "obj/handle.h"
#include "obj/kobj.h"
#include "obj/pidfd.h"
#include "proc/pid_ns.h"
#include "proc/procctl.h"
#include "proc/task.h"
#include "proc/thread_group.h"

#define PIDFD_NONBLOCK O_NONBLOCK
#define IOV_MAX        1024

/* ------------------------------------------------------------ pidfd */

LINUX_SYSCALL(pidfd_open)
{
	LINUX_UNUSED();
	if (a1 & ~(uint64_t)PIDFD_NONBLOCK || (int)a0 <= 0)
		return -EINVAL;
	struct kobj *o;
	pid_t pid = pid_vnr_to_global((pid_t)a0); /* a pidfd holds the global pid */
	if (pid < 0)
		return pid;
	int r = pidfd_create(pid, (unsigned)a1, &o);
	if (r < 0)
		return r;
	int fd = handle_install(current()->handles, o, HANDLE_CLOEXEC, 0);
	if (fd < 0)
		kobj_put(o);
	return fd;
}

/* The pidfd behind fd (referenced), or NULL with *err EBADF. */
static struct kobj *get_pidfd(int fd)
{
	struct kobj *o = linux_fd_get(fd);
	if (o && !pidfd_is(o)) {
		kobj_put(o);
		o = NULL;
	}
	return o;
}

/* Linux 6.9's scopes; 0 is the process, as in earlier kernels. */
#define PIDFD_SIGNAL_THREAD        1
#define PIDFD_SIGNAL_THREAD_GROUP  2
#define PIDFD_SIGNAL_PROCESS_GROUP 4

LINUX_SYSCALL(pidfd_send_signal)
{
	LINUX_UNUSED();
	int sig = (int)a1;
	uint64_t scope = a3;
	if (scope & ~(uint64_t)(PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP |
	                        PIDFD_SIGNAL_PROCESS_GROUP) ||
	    (scope & (scope - 1)))
		return -EINVAL; /* unknown, or more than one scope */
	struct kobj *o = get_pidfd((int)a0);
	if (!o)
		return -EBADF;
	pid_t pid = pid_vnr(pidfd_pid(o)); /* the kill paths take the caller's numbers */
	kobj_put(o);
	if (pid == 0)
		return -ESRCH; /* not in the caller's pid namespace */
	struct ksiginfo info = {.code = SI_USER, .kind = SIK_KILL, .pid = task_tgid(current())};
	if (a2) { /* as rt_sigqueueinfo: only oneself may claim a kill() origin */
		struct linux_siginfo li;
		if (copy_from_user(&li, (void *)a2, sizeof(li)) < 0)
			return -EFAULT;
		if (li.signo != sig)
			return -EINVAL;
		if ((li.code >= 0 || li.code == SI_TKILL) &&
		    (pid != task_tgid_vnr(current()) || scope == PIDFD_SIGNAL_PROCESS_GROUP))
			return -EPERM;
		info = (struct ksiginfo){.code = li.code,
		                         .err = li.err,
		                         .kind = SIK_QUEUE,
		                         .pid = li.proc.pid,
		                         .uid = li.proc.uid,
		                         .value = li.proc.value};
	}
	if (sig < 0 || sig > SIG_MAX)
		return -EINVAL;
	if (scope == PIDFD_SIGNAL_THREAD)
		return signal_kill_thread(0, pid, sig, &info);
	if (scope == PIDFD_SIGNAL_PROCESS_GROUP)
		return signal_kill_info(-pid, sig, &info); /* the group whose id is pid */
	return signal_kill_info(pid, sig, &info);
}

/* A live thread of process pid with a reference to its handle table, or
 * an error (ESRCH, EPERM). */
static int process_handles(pid_t pid, struct handle_table **out)
{
	spin_lock(&task_tree_lock);
	struct task *l = task_find(pid), *t = NULL;
	int r = -ESRCH;
	if (l && l->tg->nr_live > 0) {
		spin_lock(&l->tg->lock);
		if (!list_empty(&l->tg->threads))
			t = list_entry(l->tg->threads.next, struct task, tg_node);
		spin_unlock(&l->tg->lock);
	}
	if (t) {
		r = procctl_may_access(t) ? 0 : -EPERM;
		spin_lock(&t->lock);
		*out = r == 0 && t->handles ? handle_table_get(t->handles) : NULL;
		spin_unlock(&t->lock);
		if (r == 0 && !*out)
			r = -ESRCH;
	}
	spin_unlock(&task_tree_lock);
	return r;
}

LINUX_SYSCALL(pidfd_getfd)
{
	LINUX_UNUSED();
	if (a2)
		return -EINVAL;
	struct kobj *o = get_pidfd((int)a0);
	if (!o)
		return -EBADF;
	pid_t pid = pidfd_pid(o);
	kobj_put(o);
	struct handle_table *ht;
	int r = process_handles(pid, &ht);
	if (r < 0)
		return r;
	struct kobj *f = (int)a1 >= 0 ? handle_get(ht, (int)a1) : NULL;
	handle_table_put(ht);
	if (!f)
		return -EBADF;
	r = handle_install(current()->handles, f, HANDLE_CLOEXEC, 0);
	if (r < 0)
		kobj_put(f);
	return r;
}

/* ------------------------------------------------------------ kcmp */

enum {
	KCMP_FILE,
	KCMP_VM,
	KCMP_FILES,
	KCMP_FS,
	KCMP_SIGHAND,
	KCMP_IO,
	KCMP_SYSVSEM,
	KCMP_EPOLL_TFD,
	KCMP_TYPES,
};

/* What kcmp compares of t for type (not KCMP_FILE).  t->lock held. */
static const void *kcmp_resource(struct task *t, int type)
{
	switch (type) {
	case KCMP_VM:
		return t->mm;
	case KCMP_FILES:
		return t->handles;
	case KCMP_FS:
		return t->fs;
	case KCMP_SIGHAND:
		return t->sighand;
	default: /* KCMP_IO: there are no I/O contexts, all compare equal */
		return NULL;
	}
}

/* Task pid's resource for kcmp; its handle table referenced for
 * KCMP_FILE.  ESRCH, EPERM. */
static int kcmp_get(pid_t pid, int type, const void **res, struct handle_table **ht)
{
	spin_lock(&task_tree_lock);
	struct task *t = pid > 0 ? task_find_vnr(pid) : NULL;
	int r = !t || (!t->mm && t->state != TASK_ZOMBIE) ? -ESRCH
	        : !procctl_may_access(t)                  ? -EPERM
	                                                  : 0;
	if (r == 0) {
		spin_lock(&t->lock);
		*res = kcmp_resource(t, type);
		*ht = type == KCMP_FILE && t->handles ? handle_table_get(t->handles) : NULL;
		spin_unlock(&t->lock);
	}
	spin_unlock(&task_tree_lock);
	return r;
}

/* The object behind fd in ht (dropping ht), or NULL. */
static struct kobj *kcmp_file(struct handle_table *ht, uint64_t fd)
{
	if (!ht)
		return NULL;
	struct kobj *o = fd <= INT32_MAX ? handle_get(ht, (int)fd) : NULL;
	handle_table_put(ht);
	return o;
}

/* Linux's answer: 0 equal, 1 less, 2 greater (by an order of its own). */
static long kcmp_order(const void *a, const void *b)
{
	return a == b ? 0 : (uintptr_t)a < (uintptr_t)b ? 1 : 2;
}

LINUX_SYSCALL(kcmp)
{
	LINUX_UNUSED();
	int type = (int)a2;
	const void *r1 = NULL, *r2 = NULL;
	struct handle_table *h1 = NULL, *h2 = NULL;
	int r = kcmp_get((pid_t)a0, type, &r1, &h1);
	if (r == 0)
		r = kcmp_get((pid_t)a1, type, &r2, &h2);
	if (r < 0) {
		if (h1)
			handle_table_put(h1);
		return r;
	}
	if (type == KCMP_FILE) {
		struct kobj *f1 = kcmp_file(h1, a3), *f2 = kcmp_file(h2, a4);
		long res = f1 && f2 ? kcmp_order(f1, f2) : -EBADF;
		if (f1)
			kobj_put(f1);
		if (f2)
			kobj_put(f2);
		return res;
	}
	if (type == KCMP_SYSVSEM || type == KCMP_EPOLL_TFD) {
		abi_log_missing("linux: pid %d: kcmp type %d is not supported\n", current()->pid,
		                type);
		return -ENOTSUP; /* Linux's EOPNOTSUPP */
	}
	if (type < 0 || type >= KCMP_TYPES)
		return -EINVAL;
	return kcmp_order(r1, r2);
}

/* ------------------------------------------------- process_vm_readv/writev */

/* The address space of task pid (referenced): ESRCH, EPERM. */
static int remote_mm(pid_t pid, struct mm **out)
{
	spin_lock(&task_tree_lock);
	struct task *t = pid > 0 ? task_find_vnr(pid) : NULL;
	int r = !t ? -ESRCH : !procctl_may_access(t) ? -EPERM : 0;
	*out = NULL;
	if (r == 0) {
		spin_lock(&t->lock);
		*out = t->mm ? mm_get(t->mm) : NULL;
		spin_unlock(&t->lock);
		if (!*out)
			r = -ESRCH;
	}
	spin_unlock(&task_tree_lock);
	return r;
}

/* An iovec array from user memory (kfree it); EINVAL, EFAULT, ENOMEM. */
static int get_iovecs(uint64_t uiov, uint64_t n, struct linux_iovec **out, uint64_t *total)
{
	*out = NULL;
	*total = 0;
	if (n > IOV_MAX)
		return -EINVAL;
	if (n == 0)
		return 0;
	struct linux_iovec *v = kmalloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (copy_from_user(v, (const void *)uiov, n * sizeof(*v)) < 0) {
		kfree(v);
		return -EFAULT;
	}
	for (uint64_t i = 0; i < n; i++) {
		if ((int64_t)v[i].len < 0 || *total + v[i].len > (uint64_t)INT64_MAX) {
			kfree(v);
			return -EINVAL;
		}
		*total += v[i].len;
	}
	*out = v;
	return 0;
}

/* Where a transfer stands in one iovec array. */
struct iov_pos {
	const struct linux_iovec *v;
	uint64_t n, i, off;
};

/* The next contiguous piece of at most max bytes; 0 at the end. */
static uint64_t iov_piece(struct iov_pos *p, uint64_t max, uint64_t *addr)
{
	while (p->i < p->n && p->off == p->v[p->i].len) {
		p->i++;
		p->off = 0;
	}
	if (p->i == p->n)
		return 0;
	*addr = p->v[p->i].base + p->off;
	return MIN(max, p->v[p->i].len - p->off);
}

/* Moves data between the caller's local iovecs and mm's remote ones a
 * page at a time through a bounce page (no remote page is used across a
 * fault of the caller's).  Stops at the first remote page that cannot be
 * reached or local piece that faults; returns the bytes moved, or EFAULT
 * when none were. */
static long vm_transfer(struct mm *mm, struct iov_pos *local, struct iov_pos *remote, bool write)
{
	char *bounce = kmalloc(PAGE_SIZE);
	if (!bounce)
		return -ENOMEM;
	long done = 0;
	int err = 0;
	for (;;) {
		uint64_t raddr, laddr;
		uint64_t n = iov_piece(remote, PAGE_SIZE, &raddr);
		n = n ? MIN(n, PAGE_SIZE - (raddr & (PAGE_SIZE - 1))) : 0;
		n = n ? iov_piece(local, n, &laddr) : 0;
		if (!n)
			break;
		if (write && copy_from_user(bounce, (const void *)laddr, n) < 0) {
			err = -EFAULT;
			break;
		}
		char *k = vm_user_ptr(mm, raddr, write);
		if (!k) {
			err = -EFAULT;
			break;
		}
		if (write)
			memcpy(k, bounce, n);
		else
			memcpy(bounce, k, n);
		if (!write && copy_to_user((void *)laddr, bounce, n) < 0) {
			err = -EFAULT;
			break;
		}
		local->off += n;
		remote->off += n;
		done += (long)n;
	}
	kfree(bounce);
	return done ? done : err;
}

static long process_vm(uint64_t pid, uint64_t lvec, uint64_t lcnt, uint64_t rvec, uint64_t rcnt,
                       uint64_t flags, bool write)
{
	if (flags)
		return -EINVAL;
	struct linux_iovec *lv, *rv = NULL;
	uint64_t ltotal, rtotal;
	struct mm *mm = NULL;
	int r = get_iovecs(lvec, lcnt, &lv, &ltotal);
	if (r < 0)
		return r;
	if (ltotal == 0)
		goto out;
	if ((r = get_iovecs(rvec, rcnt, &rv, &rtotal)) < 0)
		goto out;
	if ((r = remote_mm((pid_t)pid, &mm)) < 0)
		goto out;
	struct iov_pos lp = {.v = lv, .n = lcnt}, rp = {.v = rv, .n = rcnt};
	long moved = vm_transfer(mm, &lp, &rp, write);
	mm_put(mm);
	kfree(lv);
	kfree(rv);
	return moved;
out:
	kfree(lv);
	kfree(rv);
	return r;
}

LINUX_SYSCALL(process_vm_readv)
{
	return process_vm(a0, a1, a2, a3, a4, a5, false);
}

LINUX_SYSCALL(process_vm_writev)
{
	return process_vm(a0, a1, a2, a3, a4, a5, true);
}

/* ------------------------------------------------------------ personality */

/* The word is kept as given (PER_LINUX with flags such as
 * ADDR_NO_RANDOMIZE; there is no randomisation to turn off, and no other
 * execution domain); 0xffffffff only asks. */
LINUX_SYSCALL(personality)
{
	LINUX_UNUSED();
	struct task *t = current();
	uint32_t old = t->ctl.personality;
	if ((uint32_t)a0 != 0xffffffffu)
		t->ctl.personality = (uint32_t)a0;
	return old;
}
