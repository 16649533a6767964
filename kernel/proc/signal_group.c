/*
 * Signals and thread groups (see signal.h, thread_group.h): signals sent
 * to a process go to its shared pending set and wake one thread that
 * does not block them; SIGKILL ends every thread; SIGCONT and the stop
 * signals act on every thread; a stop signal's default action stops the
 * whole group, and the parent hears of it once every thread has stopped.
 */
#include "core/kernel.h"
#include "core/might_sleep.h"
#include "proc/sched.h"
#include "proc/signal_internal.h"
#include "proc/task.h"
#include "proc/thread_group.h"

static bool is_live(struct task *t)
{
	return !list_empty(&t->tg_node);
}

/* Makes u notice a signal if it sleeps interruptibly; u->lock held. */
static void kick_locked(struct task *u)
{
	if (u->state == TASK_SLEEPING && u->sleep_interruptible)
		sched_make_runnable(u);
}

/* SIGCONT resumes every thread and cancels a stop; a stop signal drops a
 * pending SIGCONT.  Done whoever the signal is sent to, as on Linux. */
void signal_group_prepare(struct thread_group *tg, int sig)
{
	bool cont = sig == SIGCONT;
	if (!cont && !(SIG_BIT(sig) & SIG_STOP_BITS))
		return;
	uint64_t drop = cont ? SIG_STOP_BITS : SIG_BIT(SIGCONT);
	struct list *pos;
	spin_lock(&tg->lock);
	tg->sig_pending &= ~drop;
	if (cont)
		tg->stop_signal = 0;
	list_for_each(pos, &tg->threads)
	{
		struct task *u = list_entry(pos, struct task, tg_node);
		spin_lock(&u->lock);
		u->sig_pending &= ~drop;
		if (cont) {
			u->stop_requested = false;
			if (u->state == TASK_STOPPED)
				sched_make_runnable(u);
		}
		spin_unlock(&u->lock);
	}
	spin_unlock(&tg->lock);
}

/* SIGKILL to a process: every thread dies, an exec in progress too. */
static void kill_group(struct thread_group *tg)
{
	struct list *pos;
	spin_lock(&tg->lock);
	if (tg->nr_live == 0) {
		spin_unlock(&tg->lock);
		return;
	}
	if (!tg->group_exit || tg->exec_task) {
		tg->group_exit = true;
		tg->exit_status = W_EXITCODE(0, SIGKILL);
		tg->exec_task = NULL;
	}
	list_for_each(pos, &tg->threads) signal_thread_kill(list_entry(pos, struct task, tg_node));
	spin_unlock(&tg->lock);
}

/* The thread to wake for sig: the leader if it takes it, else the first
 * that does not block it (NULL: all block it).  tg->lock held. */
static struct task *pick_thread(struct thread_group *tg, int sig)
{
	struct task *l = tg->leader;
	struct list *pos;
	if (is_live(l) && !(l->sig_blocked & SIG_BIT(sig)))
		return l;
	list_for_each(pos, &tg->threads)
	{
		struct task *u = list_entry(pos, struct task, tg_node);
		if (!(u->sig_blocked & SIG_BIT(sig)))
			return u;
	}
	return NULL;
}

/* Queues sig on the shared set and wakes a thread; false when dropped
 * (ignored).  tg->lock held. */
static bool queue_shared(struct thread_group *tg, struct task *t, int sig,
                         const struct ksiginfo *info)
{
	struct task *target =
	    t && is_live(t) ? t : list_first_entry(&tg->threads, struct task, tg_node);
	spin_lock(&target->lock);
	bool dropped = signal_dropped_when_sent(target, sig);
	spin_unlock(&target->lock);
	if (dropped)
		return false;
	uint64_t bit = SIG_BIT(sig);
	if (!(tg->sig_pending & bit)) {
		tg->sig_info[sig - 1] = info ? *info : (struct ksiginfo){.code = SI_KERNEL};
		tg->sig_info[sig - 1].signo = sig;
	}
	tg->sig_pending |= bit;
	struct task *u = pick_thread(tg, sig);
	if (u) {
		spin_lock(&u->lock);
		kick_locked(u);
		spin_unlock(&u->lock);
	}
	return true;
}

int signal_send_info(struct task *t, int sig, const struct ksiginfo *info)
{
	if (sig < 1 || sig > SIG_MAX)
		return -EINVAL;
	struct thread_group *tg = t->tg;
	signal_group_prepare(tg, sig);
	if (sig == SIGKILL) {
		kill_group(tg);
	} else {
		spin_lock(&tg->lock);
		if (tg->nr_live > 0)
			queue_shared(tg, t, sig, info);
		spin_unlock(&tg->lock);
	}
	wq_wake_all(&signal_sent_wq);
	return 0;
}

/* Whether a timer's signal info may go on a set where pending and slot
 * (the queued info of its number) are. */
static int timer_slot(uint64_t pending, const struct ksiginfo *slot, const struct ksiginfo *info)
{
	if (!(pending & SIG_BIT(info->signo)))
		return SIGQ_QUEUED;
	if (info->code != SI_TIMER)
		return SIGQ_PENDING;
	bool same = slot->kind == SIK_TIMER && slot->pid == info->pid && slot->uid == info->uid;
	return same ? SIGQ_PENDING : SIGQ_BUSY;
}

/* tg->lock held. */
static int send_timer_thread(struct task *t, const struct ksiginfo *info)
{
	int sig = info->signo;
	spin_lock(&t->lock);
	int r = timer_slot(t->sig_pending, &t->sig_info[sig - 1], info);
	bool gone = !is_live(t) || t->state == TASK_ZOMBIE || !t->sighand;
	if (r == SIGQ_QUEUED && (gone || signal_dropped_when_sent(t, sig)))
		r = SIGQ_DROPPED;
	if (r == SIGQ_QUEUED)
		signal_queue_locked(t, sig, info);
	spin_unlock(&t->lock);
	return r;
}

int signal_send_timer(struct thread_group *tg, struct task *t, const struct ksiginfo *info)
{
	int sig = info->signo, r;
	signal_group_prepare(tg, sig);
	if (sig == SIGKILL) {
		kill_group(tg);
		r = SIGQ_QUEUED;
	} else {
		spin_lock(&tg->lock);
		if (t)
			r = send_timer_thread(t, info);
		else if (tg->nr_live == 0)
			r = SIGQ_DROPPED;
		else
			r = timer_slot(tg->sig_pending, &tg->sig_info[sig - 1], info);
		if (!t && r == SIGQ_QUEUED && !queue_shared(tg, NULL, sig, info))
			r = SIGQ_DROPPED;
		spin_unlock(&tg->lock);
	}
	if (r == SIGQ_QUEUED)
		wq_wake_all(&signal_sent_wq);
	return r;
}

void signal_cancel_timer(struct thread_group *tg, struct task *t, int sig, uint32_t key)
{
	uint64_t bit = SIG_BIT(sig);
	spin_lock(&tg->lock);
	if (t)
		spin_lock(&t->lock);
	uint64_t *pending = t ? &t->sig_pending : &tg->sig_pending;
	struct ksiginfo *slot = t ? &t->sig_info[sig - 1] : &tg->sig_info[sig - 1];
	if ((*pending & bit) && slot->kind == SIK_TIMER && slot->uid == key)
		*pending &= ~bit;
	if (t)
		spin_unlock(&t->lock);
	spin_unlock(&tg->lock);
}

/* Every live thread stopped: the group stop is complete.  tg->lock held;
 * true when the parent must now be told. */
static bool stop_complete(struct thread_group *tg)
{
	if (!tg->stop_signal || tg->stopped || tg->nr_live == 0 || tg->nr_stopped < tg->nr_live)
		return false;
	tg->stopped = true;
	tg->stop_reported = false;
	tg->continued = false;
	return true;
}

void signal_group_stop_recheck(struct task *t)
{
	struct thread_group *tg = t->tg;
	spin_lock(&tg->lock);
	int sig = tg->stop_signal;
	bool complete = stop_complete(tg);
	spin_unlock(&tg->lock);
	if (complete)
		signal_notify_parent(tg->leader, CLD_STOPPED, sig);
}

/* Stops the current thread for its group's stop until SIGCONT or SIGKILL;
 * the last thread to stop tells the parent, the first to run again tells
 * it of the continuation. */
static void stop_participate(struct task *t)
{
	struct thread_group *tg = t->tg;
	might_sleep();
	spin_lock(&task_tree_lock);
	spin_lock(&tg->lock);
	t->stop_requested = false;
	int sig = tg->stop_signal;
	if (!sig || tg->group_exit) {
		spin_unlock(&tg->lock);
		spin_unlock(&task_tree_lock);
		return;
	}
	tg->nr_stopped++;
	bool complete = stop_complete(tg);
	spin_unlock(&tg->lock);
	if (complete)
		signal_notify_parent(tg->leader, CLD_STOPPED, sig);
	spin_unlock(&task_tree_lock);

	/* SIGCONT clears stop_signal before it looks for stopped threads */
	spin_lock(&t->lock);
	if (__atomic_load_n(&tg->stop_signal, __ATOMIC_ACQUIRE) &&
	    !(t->sig_pending & SIG_BIT(SIGKILL))) {
		t->state = TASK_STOPPED;
		sched_switch();
	}
	spin_unlock(&t->lock);

	spin_lock(&task_tree_lock);
	spin_lock(&tg->lock);
	tg->nr_stopped--;
	bool cont = tg->stopped && !tg->stop_signal;
	if (cont) {
		tg->stopped = false;
		tg->continued = true;
	}
	spin_unlock(&tg->lock);
	if (cont)
		signal_notify_parent(tg->leader, CLD_CONTINUED, SIGCONT);
	spin_unlock(&task_tree_lock);
}

void signal_group_stop(struct task *t, int sig)
{
	struct thread_group *tg = t->tg;
	struct list *pos;
	spin_lock(&tg->lock);
	if (tg->group_exit) {
		spin_unlock(&tg->lock);
		return;
	}
	if (!tg->stop_signal) {
		tg->stop_signal = sig;
		list_for_each(pos, &tg->threads)
		{
			struct task *u = list_entry(pos, struct task, tg_node);
			if (u == t)
				continue;
			spin_lock(&u->lock);
			u->stop_requested = true;
			kick_locked(u);
			spin_unlock(&u->lock);
		}
	}
	t->stop_requested = true;
	spin_unlock(&tg->lock);
	stop_participate(t);
}

void signal_group_stop_check(struct task *t)
{
	if (__atomic_load_n(&t->stop_requested, __ATOMIC_ACQUIRE))
		stop_participate(t);
}
