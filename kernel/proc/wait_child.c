/*
 * wait: finding a child that changed state, reporting it and reaping an
 * exited one (see wait_child.h).  The parent frees a zombie only once it
 * is off its CPU, which taking the zombie's lock guarantees (sched.c).
 */
#include "proc/wait_child.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "proc/task.h"

static bool who_matches(struct task *c, enum wait_who who, pid_t id)
{
	switch (who) {
	case WAIT_PID:
		return c->pid == id;
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
	r->code = (st & 0x7f) ? CLD_KILLED : CLD_EXITED;
	r->value = (st & 0x7f) ? (st & 0x7f) : (st >> 8) & 0xff;
}

/* Looks at c for what options asks; fills r and returns true if ready.
 * task_tree_lock held. */
static bool child_ready(struct task *c, unsigned options, struct child_report *r)
{
	spin_lock(&c->lock);
	enum task_state state = c->state;
	spin_unlock(&c->lock);
	*r = (struct child_report){.pid = c->pid,
	                           .cpu_ns = c->cpu_ns + c->cpu_ns_children,
	                           .user_ns = c->user_ns + c->user_ns_children};
	if (state == TASK_ZOMBIE && (options & WAIT_EXITED)) {
		report_exit(c, r);
		return true;
	}
	if (state == TASK_STOPPED && c->stop_signal && !c->stop_reported &&
	    (options & WAIT_STOPPED)) {
		*r = (struct child_report){.pid = c->pid,
		                           .status = W_STOPCODE(c->stop_signal),
		                           .code = CLD_STOPPED,
		                           .value = c->stop_signal,
		                           .cpu_ns = r->cpu_ns,
		                           .user_ns = r->user_ns};
		return true;
	}
	if (c->continued && state != TASK_ZOMBIE && (options & WAIT_CONTINUED)) {
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
	if (r->code == CLD_STOPPED) {
		c->stop_reported = true;
	} else if (r->code == CLD_CONTINUED) {
		c->continued = false;
	} else {
		t->cpu_ns_children += r->cpu_ns;
		t->user_ns_children += r->user_ns;
		list_remove(&c->sibling);
		task_free(c);
	}
}

/* task_tree_lock held.  Returns a pid, 0 when matching children exist but
 * none is ready, -ECHILD, or deliver's error. */
static pid_t wait_one(struct task *t, enum wait_who who, pid_t id, unsigned options,
                      int (*deliver)(const struct child_report *r, void *ctx), void *ctx)
{
	struct list *pos;
	bool any = false;
	list_for_each(pos, &t->children)
	{
		struct task *c = list_entry(pos, struct task, sibling);
		if (!who_matches(c, who, id) || !kind_matches(c, options))
			continue;
		any = true;
		struct child_report r;
		if (!child_ready(c, options, &r))
			continue;
		int e = deliver(&r, ctx);
		if (e < 0)
			return e;
		if (!(options & WAIT_NOWAIT))
			consume(t, c, &r);
		return r.pid;
	}
	return any ? 0 : -ECHILD;
}

pid_t task_wait_child(enum wait_who who, pid_t id, unsigned options,
                      int (*deliver)(const struct child_report *r, void *ctx), void *ctx)
{
	struct task *t = current();
	spin_lock(&task_tree_lock);
	for (;;) {
		pid_t r = wait_one(t, who, id, options, deliver, ctx);
		if (r != 0 || (options & WAIT_NOHANG)) {
			spin_unlock(&task_tree_lock);
			return r;
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
	pid_t id = pid > 0 ? pid : pid == 0 ? current()->pgid : -pid;
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
