/*
 * Signals: sending, the pending set, default actions and delivery at
 * return to user mode (see signal.h).  A handled signal is handed to the
 * task's ABI module, which builds the frame the handler runs on; an ABI
 * without frames (native, xv6) only ever has default and ignore.
 */
#include <scarlet/abi.h>

#include "abi/abi.h"
#include "core/kernel.h"
#include "exec/coredump.h"
#include "proc/ptimer.h"
#include "proc/sched.h"
#include "proc/signal_internal.h"
#include "proc/task.h"
#include "proc/thread_group.h"

bool signal_dropped_when_sent(struct task *t, int sig)
{
	if ((SIG_BIT(sig) & (SIG_UNBLOCKABLE | t->sig_blocked | t->sig_real_blocked)))
		return false; /* a blocked signal waits: the action may change */
	spin_lock(&t->sighand->lock);
	struct ksigaction *a = &t->sighand->action[sig - 1];
	bool ign = a->handler == SIG_HANDLER_IGN ||
	           (a->handler == SIG_HANDLER_DFL && signal_default_action(sig) == SIGDFL_IGNORE);
	spin_unlock(&t->sighand->lock);
	return ign;
}

void signal_queue_locked(struct task *t, int sig, const struct ksiginfo *info)
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

int signal_send_thread_info(struct task *t, int sig, const struct ksiginfo *info)
{
	if (sig < 1 || sig > SIG_MAX)
		return -EINVAL;
	signal_group_prepare(t->tg, sig);
	spin_lock(&t->lock);
	bool gone = t->state == TASK_ZOMBIE || t->state == TASK_UNUSED || !t->sighand;
	if (!gone && !signal_dropped_when_sent(t, sig))
		signal_queue_locked(t, sig, info);
	spin_unlock(&t->lock);
	wq_wake_all(&signal_sent_wq);
	return 0;
}

void signal_thread_kill(struct task *t)
{
	spin_lock(&t->lock);
	if (t->state != TASK_ZOMBIE && t->state != TASK_UNUSED)
		signal_queue_locked(t, SIGKILL, NULL);
	spin_unlock(&t->lock);
}

/* A signal for the thread t itself (SIGPIPE, the kernel's SIGKILL). */
int signal_send(struct task *t, int sig)
{
	return signal_send_thread_info(t, sig, NULL);
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
		sighand_update_ignored(t->sighand);
	}
	spin_unlock(&t->sighand->lock);
	signal_queue_locked(t, sig, info);
	spin_unlock(&t->lock);
	wq_wake_all(&signal_sent_wq);
}

bool signal_pending(struct task *t)
{
	uint64_t shared = __atomic_load_n(&t->tg->sig_pending, __ATOMIC_ACQUIRE);
	return ((t->sig_pending | shared) & ~t->sig_blocked) != 0 ||
	       __atomic_load_n(&t->stop_requested, __ATOMIC_ACQUIRE);
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
	spin_lock(&t->tg->lock);
	spin_lock(&t->lock);
	uint64_t s = (t->sig_pending | t->tg->sig_pending) & t->sig_blocked;
	spin_unlock(&t->lock);
	spin_unlock(&t->tg->lock);
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
	bool exiting = code == CLD_EXITED || code == CLD_KILLED || code == CLD_DUMPED;
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

/* The signal to take from ready: SIGKILL first, then the lowest. */
static int first_signal(uint64_t ready)
{
	if (ready & SIG_BIT(SIGKILL))
		return SIGKILL;
	return ready ? __builtin_ctzll(ready) + 1 : 0;
}

/* Takes sig off t's own set if there, else off the group's; both locks
 * held. */
static void take(struct task *t, int sig, struct ksiginfo *info)
{
	uint64_t bit = SIG_BIT(sig);
	if (t->sig_pending & bit) {
		t->sig_pending &= ~bit;
		*info = t->sig_info[sig - 1];
	} else {
		t->tg->sig_pending &= ~bit;
		*info = t->tg->sig_info[sig - 1];
	}
}

int signal_dequeue(struct task *t, uint64_t set, struct ksiginfo *info)
{
	spin_lock(&t->tg->lock);
	spin_lock(&t->lock);
	int sig = first_signal(t->sig_pending & set);
	if (!sig)
		sig = first_signal(t->tg->sig_pending & set);
	if (sig)
		take(t, sig, info);
	spin_unlock(&t->lock);
	spin_unlock(&t->tg->lock);
	if (sig && (info->kind == SIK_TIMER || (sig == SIGALRM && info->code == SI_KERNEL)))
		ptimer_signal_taken(t, info); /* the overrun count; the timer runs on */
	return sig;
}

/* The next deliverable signal with its action, or 0. */
static int dequeue(struct task *t, struct ksiginfo *info, struct ksigaction *act)
{
	int sig = signal_dequeue(t, ~t->sig_blocked, info);
	if (sig) {
		spin_lock(&t->sighand->lock);
		*act = t->sighand->action[sig - 1];
		spin_unlock(&t->sighand->lock);
	}
	return sig;
}

static void default_action(int sig)
{
	switch (signal_default_action(sig)) {
	case SIGDFL_IGNORE:
		return;
	case SIGDFL_STOP:
		signal_group_stop(current(), sig);
		return;
	case SIGDFL_TERM: { /* kills the whole process, after its core (WCOREDUMP) */
		int status = W_EXITCODE(0, sig);
		if (coredump_signal(sig) && coredump_write(sig))
			status |= 0x80;
		task_exit(thread_group_exit_begin(current(), status, sig != SIGKILL));
	}
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
		sighand_update_ignored(t->sighand);
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
		signal_group_stop_check(t);
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
