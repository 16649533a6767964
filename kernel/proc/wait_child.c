/*
 * wait: finding a child that changed state, reporting it and reaping an
 * exited one (see wait_child.h).  Children are processes: they hang off
 * the leader of the waiting thread's process, and one has exited when
 * its last thread has (thread_group.h).  The parent frees a zombie only
 * once it is off its CPU, which taking the zombie's lock guarantees
 * (sched.c).
 *
 * The report is handed to the ABI's deliver callback without
 * task_tree_lock, since deliver writes to user memory, which may fault and
 * sleep.  The child is claimed meanwhile (wait_claimed): other waiters
 * pass it by, and only once deliver succeeded is its state change
 * consumed, so a failed delivery leaves it to be waited for again.
 */
#include "proc/wait_child.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "proc/pid_ns.h"
#include "proc/task.h"
#include "proc/thread_group.h"

static bool who_matches(struct task *c, enum wait_who who, pid_t id)
{
	switch (who) {
	case WAIT_PID: /* the waiter's number for it */
		return task_pid_vnr(c) == id;
	case WAIT_PGID:
		return c->pgid == id;
	default:
		return true;
	}
}

/* A child with another exit signal than SIGCHLD is a "clone" child. */
static bool kind_matches(struct task *c, unsigned options)
{
	if (options & WAIT_ALL)
		return true;
	return (c->exit_signal != SIGCHLD) == !!(options & WAIT_CLONE);
}

static void report_exit(struct task *c, struct child_report *r)
{
	int st = c->exit_status;
	r->status = st;
	r->code = !(st & 0x7f) ? CLD_EXITED : (st & 0x80) ? CLD_DUMPED : CLD_KILLED;
	r->value = (st & 0x7f) ? (st & 0x7f) : (st >> 8) & 0xff;
}

/* Looks at c for what options asks; fills r and returns true if ready.
 * task_tree_lock held. */
static bool child_ready(struct task *c, unsigned options, struct child_report *r)
{
	struct thread_group *tg = c->tg;
	spin_lock(&c->lock);
	enum task_state state = c->state;
	spin_unlock(&c->lock);
	spin_lock(&tg->lock);
	bool exited = state == TASK_ZOMBIE && tg->nr_live == 0;
	bool stopped = tg->stopped && !tg->stop_reported && !exited;
	int stop_signal = tg->stop_signal;
	bool continued = tg->continued && !exited;
	/* ended threads' time, the leader's once it ended, is in the group */
	bool leader_ended = state == TASK_ZOMBIE;
	*r = (struct child_report){
	    .pid = task_pid_vnr(c),
	    .cpu_ns = tg->exited_cpu_ns + (leader_ended ? 0 : c->cpu_ns) + c->cpu_ns_children,
	    .user_ns = tg->exited_user_ns + (leader_ended ? 0 : c->user_ns) + c->user_ns_children};
	spin_unlock(&tg->lock);
	if (exited && (options & WAIT_EXITED)) {
		report_exit(c, r);
		return true;
	}
	if (stopped && stop_signal && (options & WAIT_STOPPED)) {
		r->status = W_STOPCODE(stop_signal);
		r->code = CLD_STOPPED;
		r->value = stop_signal;
		return true;
	}
	if (continued && (options & WAIT_CONTINUED)) {
		r->status = 0xffff;
		r->code = CLD_CONTINUED;
		r->value = SIGCONT;
		return true;
	}
	return false;
}

/* The state change in r is now consumed; reaps c if it exited. */
static void consume(struct task *t, struct task *c, const struct child_report *r)
{
	if (r->code == CLD_STOPPED || r->code == CLD_CONTINUED) {
		spin_lock(&c->tg->lock);
		if (r->code == CLD_STOPPED)
			c->tg->stop_reported = true;
		else
			c->tg->continued = false;
		spin_unlock(&c->tg->lock);
	} else {
		t->cpu_ns_children += r->cpu_ns;
		t->user_ns_children += r->user_ns;
		list_remove(&c->sibling);
		task_free(c);
	}
}

/* Finds a child that is ready and claims it (*out); task_tree_lock held.
 * Returns its pid, 0 when matching children exist but none is ready (or
 * another waiter is reporting it), or -ECHILD. */
static pid_t claim_one(struct task *t, enum wait_who who, pid_t id, unsigned options,
                       struct task **out, struct child_report *r)
{
	struct list *pos;
	bool any = false;
	list_for_each(pos, &t->children)
	{
		struct task *c = list_entry(pos, struct task, sibling);
		if (!who_matches(c, who, id) || !kind_matches(c, options))
			continue;
		any = true;
		if (c->wait_claimed || !child_ready(c, options, r))
			continue;
		c->wait_claimed = true;
		*out = c;
		return r->pid;
	}
	return any ? 0 : -ECHILD;
}

/* Whether c is still t's child; task_tree_lock held.  A claimed zombie
 * stays, but a stopped one may meanwhile have exited and gone (a parent
 * that wants no zombies). */
static bool still_child(struct task *t, struct task *c, pid_t pid)
{
	struct list *pos;
	list_for_each(pos, &t->children)
	{
		if (list_entry(pos, struct task, sibling) == c)
			return c->pid == pid;
	}
	return false;
}

/* Hands the report on c to deliver with the lock dropped, then consumes
 * it or, if deliver failed, leaves c as it was; task_tree_lock held on
 * entry and on return. */
static int report(struct task *t, struct task *c, const struct child_report *r, unsigned options,
                  int (*deliver)(const struct child_report *r, void *ctx), void *ctx)
{
	pid_t global = c->pid;
	spin_unlock(&task_tree_lock);
	int e = deliver(r, ctx);
	spin_lock(&task_tree_lock);
	if (!still_child(t, c, global))
		return e;
	c->wait_claimed = false;
	if (e == 0 && !(options & WAIT_NOWAIT))
		consume(t, c, r);
	wq_wake_all(&t->child_exit); /* waiters that passed c by look again */
	return e;
}

pid_t task_wait_child(enum wait_who who, pid_t id, unsigned options,
                      int (*deliver)(const struct child_report *r, void *ctx), void *ctx)
{
	spin_lock(&task_tree_lock);
	struct task *t = task_leader(current());
	for (;;) {
		struct task *c;
		struct child_report r;
		pid_t pid = claim_one(t, who, id, options, &c, &r);
		if (pid > 0) {
			int e = report(t, c, &r, options, deliver, ctx);
			spin_unlock(&task_tree_lock);
			return e < 0 ? e : pid;
		}
		if (pid < 0 || (options & WAIT_NOHANG)) {
			spin_unlock(&task_tree_lock);
			return pid;
		}
		if (wq_sleep(&t->child_exit, &task_tree_lock) == -EINTR) {
			spin_unlock(&task_tree_lock);
			return -EINTR;
		}
	}
}

/* The native and xv6 form: pid > 0 one child, -1 any, 0 the caller's
 * group, < -1 group -pid; exited children, plus stopped with WUNTRACED. */
struct status_ctx {
	int (*deliver)(int status, void *ctx);
	void *ctx;
};

static int deliver_status(const struct child_report *r, void *arg)
{
	struct status_ctx *s = arg;
	return s->deliver(r->status, s->ctx);
}

pid_t task_wait_deliver(pid_t pid, int options, int (*deliver)(int status, void *ctx), void *ctx)
{
	struct status_ctx s = {deliver, ctx};
	enum wait_who who = pid > 0 ? WAIT_PID : pid == -1 ? WAIT_ANY : WAIT_PGID;
	pid_t id = pid > 0 ? pid : pid == 0 ? current()->pgid : pid_vnr_to_global(-pid);
	unsigned opts = WAIT_EXITED | (unsigned)(options & (WNOHANG | WUNTRACED));
	return task_wait_child(who, id, opts, deliver_status, &s);
}

static int store_status(int status, void *ctx)
{
	if (ctx)
		*(int *)ctx = status;
	return 0;
}

pid_t task_wait(pid_t pid, int *status, int options)
{
	return task_wait_deliver(pid, options, store_status, status);
}

/* Reaps every child of l (current, the ending init of a pid namespace),
 * sleeping until the last is gone; killed children end without help. */
void task_reap_children_uninterruptible(struct task *l)
{
	spin_lock(&task_tree_lock);
	while (!list_empty(&l->children)) {
		struct task *c;
		struct child_report r;
		pid_t pid = claim_one(l, WAIT_ANY, 0, WAIT_EXITED | WAIT_ALL, &c, &r);
		if (pid > 0) {
			c->wait_claimed = false;
			consume(l, c, &r);
			continue;
		}
		wq_sleep_uninterruptible(&l->child_exit, &task_tree_lock);
	}
	spin_unlock(&task_tree_lock);
}
