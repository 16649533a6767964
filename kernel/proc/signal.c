/*
 * Signals, native subset: each signal is either ignored or takes its
 * default action: terminate; nothing (SIGCHLD, SIGCONT); or stop
 * (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) until SIGCONT or SIGKILL.  ABI
 * modules with handlers (Linux) build on the same pending set.
 */
#include "core/kernel.h"
#include "proc/sched.h"
#include "proc/task.h"

#define SIG_BIT(s) (1ULL << ((s)-1))
/* As on Linux, SIGURG (23) and SIGWINCH (28) are ignored by default. */
#define DEFAULT_IGNORED (SIG_BIT(SIGCHLD) | SIG_BIT(SIGCONT) | SIG_BIT(23) | SIG_BIT(28))
#define STOP_SIGNALS    (SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) | SIG_BIT(21) | SIG_BIT(22))

/* SIGCONT and SIGKILL resume a stopped task; t->lock held. */
static void resume_if_stopped(struct task *t)
{
	if (t->state == TASK_STOPPED)
		sched_make_runnable(t);
}

int signal_send(struct task *t, int sig)
{
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	spin_lock(&t->lock);
	if (t->state == TASK_ZOMBIE || t->state == TASK_UNUSED) {
		spin_unlock(&t->lock);
		return 0;
	}
	bool ignored = (t->sig_ignored | DEFAULT_IGNORED) & SIG_BIT(sig);
	if (sig == SIGCONT) {
		t->sig_pending &= ~STOP_SIGNALS;
		resume_if_stopped(t);
	} else if (SIG_BIT(sig) & STOP_SIGNALS) {
		t->sig_pending &= ~SIG_BIT(SIGCONT);
	}
	if (sig == SIGKILL || sig == SIGSTOP || !ignored) {
		t->sig_pending |= SIG_BIT(sig);
		if (t->state == TASK_SLEEPING && t->sleep_interruptible)
			sched_make_runnable(t);
		if (sig == SIGKILL)
			resume_if_stopped(t);
	}
	spin_unlock(&t->lock);
	return 0;
}

struct group_ctx {
	pid_t pgid;
	int sig;
	int found;
};

static int group_fn(struct task *t, void *arg)
{
	struct group_ctx *g = arg;
	if (t->pgid == g->pgid && t->state != TASK_ZOMBIE && t->mm) {
		if (g->sig)
			signal_send(t, g->sig);
		g->found++;
	}
	return 0;
}

int signal_send_group(pid_t pgid, int sig)
{
	struct group_ctx g = {.pgid = pgid, .sig = sig};
	task_for_each(group_fn, &g);
	return g.found ? 0 : -ESRCH;
}

struct all_ctx {
	struct task *self;
	int sig, found;
};

static int all_fn(struct task *t, void *arg)
{
	struct all_ctx *a = arg;
	if (t != a->self && t->pid != 1 && t->mm && t->state != TASK_ZOMBIE) {
		if (a->sig)
			signal_send(t, a->sig);
		a->found++;
	}
	return 0;
}

/* kill(-1, sig): every process but init and the caller. */
static int signal_send_all(int sig)
{
	struct all_ctx a = {.self = current(), .sig = sig};
	task_for_each(all_fn, &a);
	return a.found ? 0 : -ESRCH;
}

int signal_kill(pid_t pid, int sig)
{
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid == -1)
		return signal_send_all(sig);
	if (pid <= 0)
		return signal_send_group(pid == 0 ? current()->pgid : -pid, sig);
	spin_lock(&task_tree_lock);
	struct task *t = task_find(pid);
	if (!t || t->state == TASK_ZOMBIE) {
		spin_unlock(&task_tree_lock);
		return -ESRCH;
	}
	int r = sig ? signal_send(t, sig) : 0;
	spin_unlock(&task_tree_lock);
	return r;
}

bool signal_pending(struct task *t)
{
	return t->sig_pending != 0;
}

/* Stops the current task until SIGCONT or SIGKILL; its parent can see
 * that with wait(WUNTRACED). */
static void stop_self(int sig)
{
	struct task *t = current();
	spin_lock(&task_tree_lock);
	t->stop_signal = sig;
	t->stop_reported = false;
	if (t->parent)
		wq_wake_all(&t->parent->child_exit);
	spin_lock(&t->lock);
	if (!(t->sig_pending & (SIG_BIT(SIGCONT) | SIG_BIT(SIGKILL)))) {
		t->state = TASK_STOPPED;
		spin_unlock(&task_tree_lock);
		sched_switch();
	} else {
		spin_unlock(&task_tree_lock);
	}
	t->stop_signal = 0;
	spin_unlock(&t->lock);
}

void signal_deliver(void)
{
	struct task *t = current();
	for (;;) {
		spin_lock(&t->lock);
		uint64_t pending = t->sig_pending;
		int sig = pending ? __builtin_ctzll(pending) + 1 : 0;
		if (sig)
			t->sig_pending &= ~SIG_BIT(sig);
		bool ignored = (t->sig_ignored | DEFAULT_IGNORED) & SIG_BIT(sig);
		spin_unlock(&t->lock);
		if (!sig)
			return;
		if (sig == SIGSTOP || (!ignored && (SIG_BIT(sig) & STOP_SIGNALS)))
			stop_self(sig);
		else if (!ignored || sig == SIGKILL)
			task_exit(W_EXITCODE(0, sig));
	}
}
