/*
 * Linux's priority and scheduling-policy calls over proc/sched_policy.h:
 * getpriority/setpriority (PRIO_PROCESS: one thread, PRIO_PGRP and
 * PRIO_USER: every thread of the group or user), sched_setscheduler and
 * its kin.  The kernel's getpriority returns 20 - nice (1..40), which
 * glibc turns back into the nice value.
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "proc/sched_policy.h"
#include "proc/pid_ns.h"
#include "proc/task.h"

#define PRIO_PROCESS        0
#define PRIO_PGRP           1
#define PRIO_USER           2
#define SCHED_RESET_ON_FORK 0x40000000

struct prio_ctx {
	int which;
	uint32_t who;
	bool set;
	int nice; /* to set */
	int best; /* getpriority: the highest 20 - nice seen, 0: none */
	int err;  /* setpriority: -ESRCH until a target is found */
};

static bool prio_matches(struct task *t, const struct prio_ctx *p)
{
	if (!t->mm || t->state == TASK_ZOMBIE || t->state == TASK_UNUSED)
		return false; /* kernel threads and the dead */
	if (p->which == PRIO_PGRP)
		return (uint32_t)t->pgid == p->who;
	return t->cred.uid == p->who;
}

static void prio_apply(struct task *t, struct prio_ctx *p)
{
	if (!p->set) {
		int v = 20 - sched_get_nice(t);
		p->best = v > p->best ? v : p->best;
		return;
	}
	int r = sched_set_nice(t, p->nice);
	if (p->err == -ESRCH || r < 0)
		p->err = r; /* the last error, as Linux */
}

static int prio_fn(struct task *t, void *arg)
{
	struct prio_ctx *p = arg;
	if (prio_matches(t, p))
		prio_apply(t, p);
	return 0;
}

/* Walks the targets of which/who under task_tree_lock. */
static long prio_walk(struct prio_ctx *p)
{
	const struct cred *c = cred_current();
	p->best = 0;
	p->err = -ESRCH;
	switch (p->which) {
	case PRIO_PROCESS: {
		spin_lock(&task_tree_lock);
		struct task *t = p->who ? task_find_vnr((pid_t)p->who) : current();
		if (t && t->state != TASK_ZOMBIE && t->mm)
			prio_apply(t, p);
		spin_unlock(&task_tree_lock);
		break;
	}
	case PRIO_PGRP:
		if (!p->who) {
			p->who = (uint32_t)current()->pgid;
		} else { /* the caller's number for the group */
			pid_t g = pid_vnr_to_global((pid_t)p->who);
			if (g < 0)
				return g;
			p->who = (uint32_t)g;
		}
		task_for_each(prio_fn, p);
		break;
	case PRIO_USER:
		if (!p->who)
			p->who = c->uid;
		task_for_each(prio_fn, p);
		break;
	default:
		return -EINVAL;
	}
	if (p->set)
		return p->err;
	return p->best ? p->best : -ESRCH;
}

LINUX_SYSCALL(getpriority)
{
	LINUX_UNUSED();
	struct prio_ctx p = {.which = (int)a0, .who = (uint32_t)a1};
	return prio_walk(&p);
}

LINUX_SYSCALL(setpriority)
{
	LINUX_UNUSED();
	struct prio_ctx p = {.which = (int)a0, .who = (uint32_t)a1, .set = true};
	int nice = (int)a2;
	p.nice = nice < NICE_MIN ? NICE_MIN : nice > NICE_MAX ? NICE_MAX : nice;
	return prio_walk(&p);
}

/* The thread pid names (0: the caller) with task_tree_lock held, or NULL
 * (the lock is then released). */
static struct task *lock_target(int64_t pid)
{
	spin_lock(&task_tree_lock);
	struct task *t = pid == 0 ? current() : task_find_vnr((pid_t)pid);
	if (!t || t->state == TASK_ZOMBIE || !t->mm) {
		spin_unlock(&task_tree_lock);
		return NULL;
	}
	return t;
}

/* sched_setscheduler (policy >= 0) and sched_setparam (policy -1). */
static long set_scheduler(int64_t pid, int policy, uint64_t uparam)
{
	int prio;
	if (pid < 0 || !uparam)
		return -EINVAL;
	if (copy_from_user(&prio, (const void *)uparam, sizeof(prio)) < 0)
		return -EFAULT;
	struct task *t = lock_target(pid);
	if (!t)
		return -ESRCH;
	struct sched_attr_k a;
	sched_get_attr(t, &a);
	if (policy >= 0) {
		a.reset_on_fork = (policy & SCHED_RESET_ON_FORK) != 0;
		a.policy = policy & ~SCHED_RESET_ON_FORK;
	}
	a.rt_priority = prio;
	long r = sched_set_attr(t, &a);
	spin_unlock(&task_tree_lock);
	return r;
}

LINUX_SYSCALL(sched_setscheduler)
{
	LINUX_UNUSED();
	if ((int)a1 < 0)
		return -EINVAL;
	return set_scheduler((int64_t)a0, (int)a1, a2);
}

LINUX_SYSCALL(sched_setparam)
{
	LINUX_UNUSED();
	return set_scheduler((int64_t)a0, -1, a1);
}

LINUX_SYSCALL(sched_getscheduler)
{
	LINUX_UNUSED();
	if ((int64_t)a0 < 0)
		return -EINVAL;
	struct task *t = lock_target((int64_t)a0);
	if (!t)
		return -ESRCH;
	struct sched_attr_k a;
	sched_get_attr(t, &a);
	spin_unlock(&task_tree_lock);
	return a.policy | (a.reset_on_fork ? SCHED_RESET_ON_FORK : 0);
}

LINUX_SYSCALL(sched_getparam)
{
	LINUX_UNUSED();
	if ((int64_t)a0 < 0 || !a1)
		return -EINVAL;
	struct task *t = lock_target((int64_t)a0);
	if (!t)
		return -ESRCH;
	struct sched_attr_k a;
	sched_get_attr(t, &a);
	spin_unlock(&task_tree_lock);
	int prio = a.rt_priority;
	return copy_to_user((void *)a1, &prio, sizeof(prio)) < 0 ? -EFAULT : 0;
}

LINUX_SYSCALL(sched_get_priority_max)
{
	LINUX_UNUSED();
	return sched_priority_max((int)a0);
}

LINUX_SYSCALL(sched_get_priority_min)
{
	LINUX_UNUSED();
	return sched_priority_min((int)a0);
}

LINUX_SYSCALL(sched_rr_get_interval)
{
	LINUX_UNUSED();
	if ((int64_t)a0 < 0)
		return -EINVAL;
	struct task *t = lock_target((int64_t)a0);
	if (!t)
		return -ESRCH;
	uint64_t ns = sched_rr_interval(t);
	spin_unlock(&task_tree_lock);
	struct linux_timespec ts = {.tv_sec = (int64_t)(ns / 1000000000ULL),
	                            .tv_nsec = (int64_t)(ns % 1000000000ULL)};
	return copy_to_user((void *)a1, &ts, sizeof(ts)) < 0 ? -EFAULT : 0;
}
