/*
 * xv6 file descriptors: each xv6 process has NOFILE descriptors, each
 * naming a handle in the task's kernel handle table (the task's
 * abi_data).  The objects themselves are ordinary kernel objects, so a
 * pipe end or a file carried in from another ABI works unchanged.  xv6
 * has no close-on-exec and no descriptor flags.
 *
 * Fork copies the handle table slot for slot, so the child's map is a
 * copy of the parent's; an ABI switch carries descriptors by number.
 */
#include "abi/abi.h"
#include "abi/xv6/xv6.h"
#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "obj/handle.h"
#include "proc/task.h"

static struct xv6_proc *proc_alloc(void)
{
	struct xv6_proc *p = kmalloc(sizeof(*p));
	if (p) {
		for (int i = 0; i < XV6_NOFILE; i++)
			p->handle[i] = -1;
	}
	return p;
}

/* A task that became xv6 without import_fds (no hook ran): its handles
 * 0..NOFILE-1 are its descriptors. */
static struct xv6_proc *proc_adopt(struct task *t)
{
	struct xv6_proc *p = proc_alloc();
	if (!p)
		return NULL;
	for (int i = 0; i < XV6_NOFILE; i++) {
		struct kobj *o = handle_get(t->handles, i);
		if (o) {
			p->handle[i] = i;
			kobj_put(o);
		}
	}
	return p;
}

struct xv6_proc *xv6_proc_current(void)
{
	struct task *t = current();
	if (!t->abi_data)
		t->abi_data = proc_adopt(t);
	return t->abi_data;
}

static bool fd_valid(int fd)
{
	return fd >= 0 && fd < XV6_NOFILE;
}

int xv6_fd_install(struct kobj *obj)
{
	struct xv6_proc *p = xv6_proc_current();
	if (!p)
		return -ENOMEM;
	for (int fd = 0; fd < XV6_NOFILE; fd++) {
		if (p->handle[fd] >= 0)
			continue;
		int h = handle_install(current()->handles, obj, 0, 0);
		if (h < 0)
			return h;
		p->handle[fd] = h;
		return fd;
	}
	return -EMFILE;
}

struct kobj *xv6_fd_get(int fd)
{
	struct xv6_proc *p = xv6_proc_current();
	if (!p || !fd_valid(fd) || p->handle[fd] < 0)
		return NULL;
	return handle_get(current()->handles, p->handle[fd]);
}

int xv6_fd_close(int fd)
{
	struct xv6_proc *p = xv6_proc_current();
	if (!p || !fd_valid(fd) || p->handle[fd] < 0)
		return -EBADF;
	int h = p->handle[fd];
	p->handle[fd] = -1;
	return handle_close(current()->handles, h);
}

int xv6_fork_data(struct task *parent, void **child_data)
{
	struct xv6_proc *p = parent->abi_data ? parent->abi_data : proc_adopt(parent);
	struct xv6_proc *c = kmalloc(sizeof(*c));
	if (!p || !c) {
		if (p && p != parent->abi_data)
			kfree(p);
		kfree(c);
		return -ENOMEM;
	}
	*c = *p;
	if (p != parent->abi_data)
		kfree(p);
	*child_data = c;
	return 0;
}

void xv6_free_data(void *data)
{
	kfree(data);
}

int xv6_export_fds(struct task *t, struct fd_carry *out, int max)
{
	struct xv6_proc *p = t->abi_data;
	int n = 0;
	for (int fd = 0; fd < XV6_NOFILE && n < max; fd++) {
		int h = p ? p->handle[fd] : fd;
		struct kobj *o = h >= 0 ? handle_get(t->handles, h) : NULL;
		if (o)
			out[n++] = (struct fd_carry){.fd = fd, .obj = o};
	}
	return n;
}

int xv6_import_fds(struct handle_table *ht, struct fd_carry *in, int n, void **data)
{
	struct xv6_proc *p = proc_alloc();
	int r = p ? 0 : -ENOMEM;
	for (int i = 0; i < n; i++) {
		int fd = in[i].fd, h = -1;
		if (r == 0 && fd_valid(fd) && p->handle[fd] < 0)
			h = handle_install(ht, in[i].obj, 0, 0);
		if (h < 0) {
			kobj_put(in[i].obj); /* beyond NOFILE: xv6 cannot name it */
			continue;
		}
		p->handle[fd] = h;
	}
	*data = p;
	return r;
}

void xv6_exec_same_abi(struct task *t)
{
	struct xv6_proc *p = t->abi_data;
	if (!p)
		return;
	for (int fd = 0; fd < XV6_NOFILE; fd++) {
		struct kobj *o = p->handle[fd] >= 0 ? handle_get(t->handles, p->handle[fd]) : NULL;
		if (o)
			kobj_put(o);
		else
			p->handle[fd] = -1; /* closed on exec behind our back */
	}
}
