/*
 * Signals: sending, the pending set, default actions and delivery at
 * return to user mode (see signal.h).  A handled signal is handed to the
 * task's ABI module, which builds the frame the handler runs on; an ABI
 * without frames (native, xv6) only ever has default and ignore.
 */
#include <scarlet/abi.h>

#include "abi/abi.h"
#include "core/kernel.h"
#include "proc/sched.h"
#include "proc/task.h"

#define SIGCONT_BIT SIG_BIT(SIGCONT)
#define STOP_BITS   (SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) | SIG_BIT(21) | SIG_BIT(22))

/* t->lock held. */
static bool dropped_when_sent(struct task *t, int sig)
{
	if ((SIG_BIT(sig) & (SIG_UNBLOCKABLE | t->sig_blocked)))
		return false; /* a blocked signal waits: the action may change */
	spin_lock(&t->sighand->lock);
	struct ksigaction *a = &t->sighand->action[sig - 1];
	bool ign = a->handler == SIG_HANDLER_IGN ||
	           (a->handler == SIG_HANDLER_DFL && signal_default_action(sig) == SIGDFL_IGNORE);
	spin_unlock(&t->sighand->lock);
	return ign;
}

/* t->lock held. */
static void queue_signal(struct task *t, int sig, const struct ksiginfo *info)
{
	uint64_t bit = SIG_BIT(sig);
	if (!(t->sig_pending & bit)) { /* standard signals do not queue twice */
		if (info)
			t->sig_info[sig - 1] = *info;
		else
			t->sig_info[sig - 1] = (struct ksiginfo){.code = SI_KERNEL};
		t->sig_info[sig - 1].signo = sig;
	}
	t->sig_pending |= bit;
	if (!(bit & t->sig_blocked) && t->state == TASK_SLEEPING && t->sleep_interruptible)
		sched_make_runnable(t);
	if (sig == SIGKILL && t->state == TASK_STOPPED)
		sched_make_runnable(t);
}

int signal_send_info(struct task *t, int sig, const struct ksiginfo *info)
{
	if (sig < 1 || sig > SIG_MAX)
		return -EINVAL;
	spin_lock(&t->lock);
	if (t->state == TASK_ZOMBIE || t->state == TASK_UNUSED || !t->sighand) {
		spin_unlock(&t->lock);
		return 0;
	}
	if (sig == SIGCONT) {
		t->sig_pending &= ~STOP_BITS;
		if (t->state == TASK_STOPPED)
			sched_make_runnable(t);
	} else if (SIG_BIT(sig) & STOP_BITS) {
		t->sig_pending &= ~SIGCONT_BIT;
	}
	if (!dropped_when_sent(t, sig))
		queue_signal(t, sig, info);
	spin_unlock(&t->lock);
	/* outside t->lock: a woken poller may be t itself */
	wq_wake_all(&signal_sent_wq);
	return 0;
}

int signal_send(struct task *t, int sig)
{
	return signal_send_info(t, sig, NULL);
}

void signal_force(struct task *t, const struct ksiginfo *info)
{
	int sig = info->signo;
	spin_lock(&t->lock);
	spin_lock(&t->sighand->lock);
	struct ksigaction *a = &t->sighand->action[sig - 1];
	if ((t->sig_blocked & SIG_BIT(sig)) || a->handler == SIG_HANDLER_IGN) {
		a->handler = SIG_HANDLER_DFL;
		t->sig_blocked &= ~SIG_BIT(sig);
		sighand_update_ignored(t);
	}
	spin_unlock(&t->sighand->lock);
	queue_signal(t, sig, info);
	spin_unlock(&t->lock);
}

bool signal_pending(struct task *t)
{
	return (t->sig_pending & ~t->sig_blocked) != 0;
}

int signal_mask(int how, uint64_t set, uint64_t *old)
{
	struct task *t = current();
	if (how < 0 || how > 2)
		return -EINVAL;
	spin_lock(&t->lock);
	if (old)
		*old = t->sig_blocked;
	if (how == 0)
		t->sig_blocked |= set;
	else if (how == 1)
		t->sig_blocked &= ~set;
	else
		t->sig_blocked = set;
	t->sig_blocked &= ~SIG_UNBLOCKABLE;
	spin_unlock(&t->lock);
	return 0;
}

uint64_t signal_pending_set(void)
{
	struct task *t = current();
	spin_lock(&t->lock);
	uint64_t s = t->sig_pending & t->sig_blocked;
	spin_unlock(&t->lock);
	return s;
}

/* The parent's action for SIGCHLD; task_tree_lock held. */
static struct ksigaction parent_chld_action(struct task *p)
{
	spin_lock(&p->sighand->lock);
	struct ksigaction a = p->sighand->action[SIGCHLD - 1];
	spin_unlock(&p->sighand->lock);
	return a;
}

/* task_tree_lock held.  Returns true when the parent does not want the
 * exit status (SIGCHLD ignored or SA_NOCLDWAIT): the child is reaped
 * without a zombie. */
bool signal_notify_parent(struct task *t, int code, int status)
{
	struct task *p = t->parent;
	if (!p || !p->sighand)
		return false;
	struct ksigaction a = parent_chld_action(p);
	bool exiting = code == CLD_EXITED || code == CLD_KILLED;
	int sig = exiting ? t->exit_signal : SIGCHLD;
	bool autoreap =
	    exiting && sig == SIGCHLD && (a.handler == SIG_HANDLER_IGN || (a.flags & SA_NOCLDWAIT));
	if (!exiting && (a.flags & SA_NOCLDSTOP))
		sig = 0;
	if (sig) {
		struct ksiginfo info = {
		    .signo = sig, .code = code, .kind = SIK_CHILD, .pid = t->pid, .status = status};
		signal_send_info(p, sig, &info);
	}
	wq_wake_all(&p->child_exit);
	return autoreap;
}

/* Stops the current task until SIGCONT or SIGKILL; its parent can see
 * that with wait(WUNTRACED), and the continuation with WCONTINUED. */
static void stop_self(int sig)
{
	struct task *t = current();
	spin_lock(&task_tree_lock);
	t->stop_signal = sig;
	t->stop_reported = false;
	t->continued = false;
	signal_notify_parent(t, CLD_STOPPED, sig);
	spin_lock(&t->lock);
	bool stopped = !(t->sig_pending & (SIGCONT_BIT | SIG_BIT(SIGKILL)));
	if (stopped) {
		t->state = TASK_STOPPED;
		spin_unlock(&task_tree_lock);
		sched_switch();
	} else {
		spin_unlock(&task_tree_lock);
	}
	t->stop_signal = 0;
	bool killed = t->sig_pending & SIG_BIT(SIGKILL);
	spin_unlock(&t->lock);
	if (killed)
		return;
	spin_lock(&task_tree_lock);
	t->continued = true;
	signal_notify_parent(t, CLD_CONTINUED, SIGCONT);
	spin_unlock(&task_tree_lock);
}

/* Takes the next deliverable signal off the pending set: SIGKILL first,
 * then the lowest number.  Returns 0 when there is none. */
static int dequeue(struct task *t, struct ksiginfo *info, struct ksigaction *act)
{
	spin_lock(&t->lock);
	uint64_t ready = t->sig_pending & ~t->sig_blocked;
	int sig = 0;
	if (ready & SIG_BIT(SIGKILL))
		sig = SIGKILL;
	else if (ready)
		sig = __builtin_ctzll(ready) + 1;
	if (sig) {
		t->sig_pending &= ~SIG_BIT(sig);
		*info = t->sig_info[sig - 1];
		spin_lock(&t->sighand->lock);
		*act = t->sighand->action[sig - 1];
		spin_unlock(&t->sighand->lock);
	}
	spin_unlock(&t->lock);
	return sig;
}

static void default_action(int sig)
{
	switch (signal_default_action(sig)) {
	case SIGDFL_IGNORE:
		return;
	case SIGDFL_STOP:
		stop_self(sig);
		return;
	case SIGDFL_TERM:
		task_exit(W_EXITCODE(0, sig));
	}
}

/* Runs act's handler for info through the ABI's frame.  A frame that
 * cannot be written kills the task with SIGSEGV, as on Linux. */
static void run_handler(struct task *t, const struct ksiginfo *info, const struct ksigaction *act)
{
	int sig = info->signo;
	spin_lock(&t->lock);
	uint64_t old_mask = t->sig_restore_mask ? t->sig_saved_mask : t->sig_blocked;
	spin_unlock(&t->lock);
	if (t->abi->signal_frame(t, info, act, old_mask) < 0) {
		if (sig == SIGSEGV)
			signal_action(SIGSEGV, &(struct ksigaction){.handler = SIG_HANDLER_DFL},
			              NULL);
		signal_force(t, &(struct ksiginfo){.signo = SIGSEGV, .code = SI_KERNEL});
		return;
	}
	spin_lock(&t->lock);
	t->sig_restore_mask = false;
	t->sig_blocked = old_mask | act->mask;
	if (!(act->flags & SA_NODEFER))
		t->sig_blocked |= SIG_BIT(sig);
	t->sig_blocked &= ~SIG_UNBLOCKABLE;
	if (act->flags & SA_RESETHAND) {
		spin_lock(&t->sighand->lock);
		t->sighand->action[sig - 1] = (struct ksigaction){.handler = SIG_HANDLER_DFL};
		sighand_update_ignored(t);
		spin_unlock(&t->sighand->lock);
	}
	spin_unlock(&t->lock);
}

void signal_deliver(struct trapframe *tf)
{
	struct task *t = current();
	bool in_syscall = t->in_syscall;
	t->in_syscall = false;
	for (;;) {
		struct ksiginfo info;
		struct ksigaction act;
		int sig = dequeue(t, &info, &act);
		if (!sig)
			break;
		if (act.handler == SIG_HANDLER_IGN && sig != SIGKILL)
			continue;
		if (act.handler <= SIG_HANDLER_IGN || !t->abi->signal_frame) {
			default_action(sig);
			continue;
		}
		if (in_syscall && t->abi->syscall_interrupted)
			t->abi->syscall_interrupted(tf, &act);
		in_syscall = false;
		run_handler(t, &info, &act);
	}
	if (in_syscall && t->abi->syscall_interrupted)
		t->abi->syscall_interrupted(tf, NULL);
	spin_lock(&t->lock);
	if (t->sig_restore_mask) {
		t->sig_blocked = t->sig_saved_mask;
		t->sig_restore_mask = false;
	}
	spin_unlock(&t->lock);
}
