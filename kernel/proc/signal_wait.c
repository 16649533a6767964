/*
 * Waiting for signals: sigsuspend and sigtimedwait (see signal.h).  Both
 * sleep on a private wait queue that nobody wakes: only a signal (or the
 * deadline) ends the sleep.
 */
#include "arch/riscv64/timer.h"
#include "core/kernel.h"
#include "proc/task.h"
#include "proc/thread_group.h"

struct waitqueue signal_sent_wq = {
    .lock = SPINLOCK_INIT("signal-sent"),
    .waiters = LIST_INIT(signal_sent_wq.waiters),
};

void signal_mask_temporary(uint64_t mask)
{
	struct task *t = current();
	spin_lock(&t->lock);
	t->sig_saved_mask = t->sig_blocked;
	t->sig_restore_mask = true;
	t->sig_blocked = mask & ~SIG_UNBLOCKABLE;
	spin_unlock(&t->lock);
}

void signal_mask_temporary_end(bool interrupted)
{
	struct task *t = current();
	if (interrupted)
		return; /* signal_deliver puts it back after the handler's frame */
	spin_lock(&t->lock);
	if (t->sig_restore_mask) {
		t->sig_blocked = t->sig_saved_mask;
		t->sig_restore_mask = false;
	}
	spin_unlock(&t->lock);
}

int signal_suspend(uint64_t mask)
{
	struct task *t = current();
	struct waitqueue wq;
	wq_init(&wq, "sigsuspend");
	signal_mask_temporary(mask);
	while (!signal_pending(t))
		wq_sleep(&wq, NULL);
	return -EINTR;
}

int signal_wait(uint64_t set, uint64_t deadline, struct ksiginfo *info)
{
	struct task *t = current();
	struct waitqueue wq;
	wq_init(&wq, "sigtimedwait");
	set &= ~SIG_UNBLOCKABLE;
	int sig = signal_dequeue(t, set, info);
	if (sig)
		return sig;
	/* the awaited signals must wake the sleep, so unblock them meanwhile */
	spin_lock(&t->lock);
	uint64_t blocked = t->sig_blocked;
	t->sig_real_blocked = blocked;
	t->sig_blocked &= ~set;
	spin_unlock(&t->lock);
	int r = 0;
	while (r == 0 && !signal_pending(t))
		r = deadline ? wq_sleep_until(&wq, NULL, deadline) : wq_sleep(&wq, NULL);
	spin_lock(&t->lock);
	t->sig_blocked = blocked;
	t->sig_real_blocked = 0;
	spin_unlock(&t->lock);
	sig = signal_dequeue(t, set, info);
	if (sig)
		return sig;
	return r == -ETIMEDOUT ? -EAGAIN : -EINTR;
}

uint64_t signal_pending_in(struct task *t, uint64_t set)
{
	spin_lock(&t->tg->lock);
	spin_lock(&t->lock);
	uint64_t pending = (t->sig_pending | t->tg->sig_pending) & set;
	spin_unlock(&t->lock);
	spin_unlock(&t->tg->lock);
	return pending;
}
