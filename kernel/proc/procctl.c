/*
 * Process controls (see procctl.h): inheritance, the parent-death signal,
 * subreapers and seccomp's strict mode.
 */
#include "proc/procctl.h"

#include "core/kernel.h"
#include "proc/pid_ns.h"
#include "proc/task.h"
#include "proc/thread_group.h"

void procctl_fork(struct task *c, struct task *p, bool thread)
{
	c->ctl = p->ctl;
	c->ctl.pdeathsig = 0;
	c->ctl.creator = p->pid;
	if (!thread)
		c->tg->dumpable = p->tg->dumpable;
}

/* Personality flags a set-user-ID exec drops (Linux's PER_CLEAR_ON_SETID:
 * READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE, ADDR_COMPAT_LAYOUT, MMAP_PAGE_ZERO). */
#define PER_CLEAR_ON_SETID 0x0740000u

void procctl_exec(struct task *t, bool secure)
{
	if (secure) {
		t->ctl.pdeathsig = 0;
		t->ctl.personality &= ~PER_CLEAR_ON_SETID;
	}
	spin_lock(&task_tree_lock);
	t->tg->dumpable = !secure;
	spin_unlock(&task_tree_lock);
}

/* The death signals of the threads of process c whose parent died: every
 * thread that asked for one gets it, sent to the process as Linux does. */
static void send_death_signals(struct task *c, pid_t dead)
{
	uint64_t sigs = 0;
	struct thread_group *tg = c->tg;
	spin_lock(&tg->lock);
	struct list *pos;
	list_for_each(pos, &tg->threads)
	{
		struct task *t = list_entry(pos, struct task, tg_node);
		if (t->ctl.pdeathsig > 0 && t->ctl.pdeathsig <= SIG_MAX)
			sigs |= SIG_BIT(t->ctl.pdeathsig);
	}
	spin_unlock(&tg->lock);
	for (int sig = 1; sigs && sig <= SIG_MAX; sig++) {
		if (!(sigs & SIG_BIT(sig)))
			continue;
		sigs &= ~SIG_BIT(sig);
		struct ksiginfo info = {.code = SI_USER, .kind = SIK_KILL, .pid = dead};
		signal_send_info(c, sig, &info);
	}
}

void procctl_thread_gone(struct task *t)
{
	struct thread_group *tg = t->tg;
	struct task *heir = NULL;
	spin_lock(&tg->lock);
	if (!list_empty(&tg->threads))
		heir = list_entry(tg->threads.next, struct task, tg_node);
	spin_unlock(&tg->lock);
	struct list *pos;
	list_for_each(pos, &tg->leader->children)
	{
		struct task *c = list_entry(pos, struct task, sibling);
		if (c->ctl.creator != t->pid || c->tg->nr_live == 0)
			continue;
		c->ctl.creator = heir ? heir->pid : tg->leader->pid;
		send_death_signals(c, task_tgid(t));
	}
}

static bool process_alive(struct task *l)
{
	return l->tg->nr_live > 0 && !l->tg->group_exit;
}

/* The init of l's pid namespace, or of the nearest one above whose init
 * is alive and not l itself: an ending init hands on to its parent's, as
 * it may be reaped before anything given to it now. */
static struct task *ns_init_of(struct task *l)
{
	for (struct pid_ns *ns = task_pid_ns(l); ns->level > 0; ns = ns->parent)
		if (ns->reaper && ns->reaper != l && !ns->dead)
			return ns->reaper;
	return init_task;
}

struct task *procctl_find_reaper(struct task *l)
{
	struct task *ns_init = ns_init_of(l);
	for (struct task *a = l->parent; a && a != init_task && a != ns_init; a = a->parent)
		if (a->tg->child_subreaper && process_alive(a))
			return a;
	return ns_init;
}

void procctl_reparented(struct task *c, struct task *reaper, pid_t dead)
{
	c->ctl.creator = reaper->pid;
	if (c->tg->nr_live > 0)
		send_death_signals(c, dead);
}

int procctl_set_pdeathsig(int sig)
{
	if (sig < 0 || sig > SIG_MAX)
		return -EINVAL;
	current()->ctl.pdeathsig = sig;
	return 0;
}

int procctl_seccomp_strict(void)
{
	struct task *t = current();
	if (t->ctl.seccomp != PROC_SECCOMP_DISABLED && t->ctl.seccomp != PROC_SECCOMP_STRICT)
		return -EINVAL;
	t->ctl.seccomp = PROC_SECCOMP_STRICT;
	return 0;
}

void procctl_seccomp_kill(void)
{
	/* as Linux's strict mode: this thread only, as if killed by SIGKILL */
	task_exit(W_EXITCODE(0, SIGKILL));
}

bool procctl_may_access(struct task *t)
{
	const struct cred *me = cred_current();
	const struct cred *c = &t->cred;
	if (cred_capable(me, CAP_SYS_PTRACE) || task_tgid(t) == task_tgid(current()))
		return true;
	return c->uid == me->uid && c->euid == me->uid && c->suid == me->uid && c->gid == me->gid &&
	       c->egid == me->gid && c->sgid == me->gid && t->tg->dumpable;
}
