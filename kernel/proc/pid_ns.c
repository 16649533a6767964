/*
 * PID namespaces (proc/pid_ns.h): the namespace objects, the numbers of
 * a task in each level, translation between the caller's numbers and
 * global pids, and the rules of a namespace's init.
 */
#include "proc/pid_ns.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "proc/signal_internal.h"
#include "proc/task.h"
#include "proc/thread_group.h"
#include "proc/wait_child.h"

/* Linux's number of its initial pid namespace */
#define INIT_PID_INUM 4026531836u

struct pid_ns init_pid_ns = {.refcount = 1, .level = 0, .inum = INIT_PID_INUM};

struct pid_ns *pid_ns_get(struct pid_ns *ns)
{
	if (ns && ns != &init_pid_ns)
		__atomic_fetch_add(&ns->refcount, 1, __ATOMIC_RELAXED);
	return ns;
}

void pid_ns_put(struct pid_ns *ns)
{
	while (ns && ns != &init_pid_ns &&
	       __atomic_sub_fetch(&ns->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		struct pid_ns *parent = ns->parent;
		kfree(ns);
		ns = parent; /* the child's reference on its parent */
	}
}

struct pid_ns *pid_ns_create(struct pid_ns *parent, int *err)
{
	if (parent->level + 1 > PID_NS_MAX_LEVEL) {
		*err = -ENOSPC;
		return NULL;
	}
	struct pid_ns *ns = kzalloc(sizeof(*ns));
	if (!ns) {
		*err = -ENOMEM;
		return NULL;
	}
	ns->refcount = 1;
	ns->parent = pid_ns_get(parent);
	ns->level = parent->level + 1;
	ns->inum = ns_new_inum();
	*err = 0;
	return ns;
}

struct pid_ns *task_pid_ns(const struct task *t)
{
	return t && t->pid_ns ? t->pid_ns : &init_pid_ns;
}

struct pid_ns *task_pid_ns_children(const struct task *t)
{
	return t && t->pid_ns_children ? t->pid_ns_children : task_pid_ns(t);
}

bool pid_ns_within(const struct pid_ns *ns, const struct pid_ns *anc)
{
	while (ns && ns->level > anc->level)
		ns = ns->parent;
	return ns == anc;
}

pid_t task_pid_nr_ns(const struct task *t, const struct pid_ns *ns)
{
	if (!t || !pid_ns_within(task_pid_ns(t), ns))
		return 0;
	return ns->level == 0 ? t->pid : t->ns_nr[ns->level];
}

pid_t task_tgid_nr_ns(struct task *t, const struct pid_ns *ns)
{
	return t ? task_pid_nr_ns(task_leader(t), ns) : 0;
}

pid_t task_pid_vnr(const struct task *t)
{
	return task_pid_nr_ns(t, task_pid_ns(current()));
}

pid_t task_tgid_vnr(struct task *t)
{
	return task_tgid_nr_ns(t, task_pid_ns(current()));
}

struct find_ctx {
	pid_t nr;
	const struct pid_ns *ns;
	struct task *found;
};

static int find_fn(struct task *t, void *arg)
{
	struct find_ctx *c = arg;
	if (t->state == TASK_UNUSED || task_pid_nr_ns(t, c->ns) != c->nr)
		return 0;
	c->found = t;
	return 1;
}

struct task *task_find_ns(pid_t nr, const struct pid_ns *ns)
{
	if (nr <= 0)
		return NULL;
	if (ns->level == 0)
		return task_find(nr);
	struct find_ctx c = {.nr = nr, .ns = ns};
	task_for_each_locked(find_fn, &c);
	return c.found;
}

struct task *task_find_vnr(pid_t nr)
{
	return task_find_ns(nr, task_pid_ns(current()));
}

pid_t pid_nr_in_ns_locked(pid_t global, const struct pid_ns *ns)
{
	if (global <= 0 || ns->level == 0)
		return global;
	return task_pid_nr_ns(task_find(global), ns);
}

pid_t pid_nr_in_ns(pid_t global, const struct pid_ns *ns)
{
	if (global <= 0 || ns->level == 0)
		return global;
	spin_lock(&task_tree_lock);
	pid_t nr = pid_nr_in_ns_locked(global, ns);
	spin_unlock(&task_tree_lock);
	return nr;
}

pid_t pid_vnr(pid_t global)
{
	return pid_nr_in_ns(global, task_pid_ns(current()));
}

pid_t pid_vnr_to_global_locked(pid_t nr)
{
	struct pid_ns *ns = task_pid_ns(current());
	if (ns->level == 0)
		return nr;
	struct task *t = task_find_ns(nr, ns);
	return t ? t->pid : -ESRCH;
}

pid_t pid_vnr_to_global(pid_t nr)
{
	if (task_pid_ns(current())->level == 0)
		return nr;
	spin_lock(&task_tree_lock);
	pid_t g = pid_vnr_to_global_locked(nr);
	spin_unlock(&task_tree_lock);
	return g;
}

int pid_ns_fork_prepare(struct task *c, struct pid_ns *ns)
{
	if (ns == &init_pid_ns)
		return 0;
	c->ns_nr = kzalloc(sizeof(pid_t) * (size_t)(ns->level + 1));
	if (!c->ns_nr)
		return -ENOMEM;
	c->pid_ns = pid_ns_get(ns);
	return 0;
}

int pid_ns_fork_attach(struct task *c)
{
	struct pid_ns *ns = c->pid_ns;
	if (!ns)
		return 0;
	if (ns->dead || (ns->last_nr > 0 && !ns->reaper))
		return -ENOMEM; /* Linux: alloc_pid fails once the init is gone */
	for (struct pid_ns *n = ns; n->level > 0; n = n->parent)
		c->ns_nr[n->level] = ++n->last_nr;
	c->ns_nr[0] = c->pid;
	if (c->ns_nr[ns->level] == 1)
		ns->reaper = c; /* the first task is the namespace's init */
	return 0;
}

void pid_ns_task_free(struct task *t)
{
	if (t->pid_ns && t->pid_ns->reaper == t)
		t->pid_ns->reaper = NULL;
	pid_ns_put(t->pid_ns);
	pid_ns_put(t->pid_ns_children);
	kfree(t->ns_nr);
	t->pid_ns = t->pid_ns_children = NULL;
	t->ns_nr = NULL;
}

bool pid_ns_is_child_init(const struct task *l)
{
	return l->pid_ns && l->pid_ns->reaper == l;
}

struct zap_ctx {
	struct pid_ns *ns;
	struct task *init;
};

static int zap_fn(struct task *t, void *arg)
{
	struct zap_ctx *z = arg;
	if (t->state == TASK_UNUSED || t->state == TASK_ZOMBIE || t->tg == z->init->tg ||
	    !pid_ns_within(task_pid_ns(t), z->ns))
		return 0;
	signal_thread_kill(t);
	return 0;
}

void pid_ns_init_exit(struct task *l)
{
	struct pid_ns *ns = l->pid_ns;
	struct zap_ctx z = {.ns = ns, .init = l};
	spin_lock(&task_tree_lock);
	ns->dead = true; /* no fork from here on */
	task_for_each_locked(zap_fn, &z);
	spin_unlock(&task_tree_lock);
	task_reap_children_uninterruptible(l);
}

bool pid_ns_signal_dropped(struct task *sender, struct task *target, int sig)
{
	struct task *l = task_leader(target);
	if (sig == 0 || !pid_ns_is_child_init(l))
		return false;
	/* the kernel, or a task the init's namespace does not see (one of an
	 * ancestor namespace): SIGKILL and SIGSTOP are forced */
	bool outside = !sender || task_pid_nr_ns(sender, l->pid_ns) == 0;
	if (outside && (sig == SIGKILL || sig == SIGSTOP))
		return false;
	return !signal_has_handler(l, sig);
}

int pid_ns_unshare(struct task *t)
{
	if (task_pid_ns_children(t) != task_pid_ns(t))
		return -EINVAL; /* Linux: a second unshare before setns back */
	int err;
	struct pid_ns *ns = pid_ns_create(task_pid_ns(t), &err);
	if (!ns)
		return err;
	t->pid_ns_children = ns;
	return 0;
}

int pid_ns_install(struct task *t, struct pid_ns *ns)
{
	if (!pid_ns_within(ns, task_pid_ns(t)))
		return -EINVAL; /* an ancestor or an unrelated namespace */
	struct pid_ns *old = t->pid_ns_children;
	t->pid_ns_children = ns == task_pid_ns(t) ? NULL : pid_ns_get(ns);
	pid_ns_put(old);
	return 0;
}

void pid_ns_swap_numbers(struct task *t, struct task *l)
{
	pid_t *nr = t->ns_nr;
	t->ns_nr = l->ns_nr;
	l->ns_nr = nr;
	if (l->pid_ns && l->pid_ns->reaper == l)
		l->pid_ns->reaper = t;
}
