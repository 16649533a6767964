/*
 * Process groups and sessions (see pgrp.h).  All under task_tree_lock.
 * Tasks keep global ids; the calls take and give the caller's numbers
 * (proc/pid_ns.h): a group whose leader the caller cannot see reads as 0.
 */
#include "proc/pgrp.h"

#include "core/kernel.h"
#include "proc/pid_ns.h"
#include "proc/task.h"
#include "proc/thread_group.h"

struct group_probe {
	pid_t pgid, sid;
	bool found;
};

static int probe_fn(struct task *t, void *arg)
{
	struct group_probe *g = arg;
	/* a zombie still holds its group until reaped, as on Linux */
	if (t->state != TASK_UNUSED && t->pgid == g->pgid && (!g->sid || t->sid == g->sid))
		g->found = true;
	return g->found;
}

/* Is there a process (a zombie counts) in group pgid (and session sid, unless 0)?
 * task_tree_lock held. */
static bool group_exists(pid_t pgid, pid_t sid)
{
	struct group_probe g = {.pgid = pgid, .sid = sid};
	task_for_each_locked(probe_fn, &g);
	return g.found;
}

static int setpgid_check(struct task *self, struct task *t, pid_t pgid)
{
	if (!t || (t != self && t->parent != self))
		return -ESRCH;
	if (t != self && t->sid != self->sid)
		return -EPERM;
	if (t != self && t->did_exec)
		return -EACCES;
	if (t->sid == t->pid)
		return -EPERM;
	if (pgid != t->pid && !group_exists(pgid, self->sid))
		return -EPERM;
	return 0;
}

int pgrp_setpgid(pid_t pid, pid_t pgid)
{
	if (pgid < 0)
		return -EINVAL;
	spin_lock(&task_tree_lock);
	struct task *self = task_leader(current());
	struct task *t = pid == 0 ? self : task_find_vnr(pid);
	if (t)
		t = task_leader(t);
	/* the group by its global id: t's own, or that of the leader named */
	if (t && (pgid == 0 || pgid == task_pid_vnr(t)))
		pgid = t->pid;
	else if (t)
		pgid = pid_vnr_to_global_locked(pgid);
	int r = pgid < 0 ? -EPERM : setpgid_check(self, t, pgid);
	if (r == 0)
		thread_group_set_ids(t, pgid, t->sid);
	spin_unlock(&task_tree_lock);
	return r;
}

pid_t pgrp_getpgid(pid_t pid)
{
	struct pid_ns *ns = task_pid_ns(current());
	spin_lock(&task_tree_lock);
	struct task *t = pid == 0 ? current() : task_find_vnr(pid);
	pid_t r = t ? pid_nr_in_ns_locked(t->pgid, ns) : -ESRCH;
	spin_unlock(&task_tree_lock);
	return r;
}

pid_t pgrp_getsid(pid_t pid)
{
	struct pid_ns *ns = task_pid_ns(current());
	spin_lock(&task_tree_lock);
	struct task *t = pid == 0 ? current() : task_find_vnr(pid);
	pid_t r = t ? pid_nr_in_ns_locked(t->sid, ns) : -ESRCH;
	spin_unlock(&task_tree_lock);
	return r;
}

pid_t pgrp_setsid(void)
{
	spin_lock(&task_tree_lock);
	struct task *t = task_leader(current());
	pid_t r = group_exists(t->pid, 0) ? -EPERM : task_pid_vnr(t);
	if (r > 0)
		thread_group_set_ids(t, t->pid, t->pid);
	spin_unlock(&task_tree_lock);
	return r;
}
