/*
 * Wait queues (see wait.h).  A sleeper puts an entry on its own stack
 * into the queue; the waker unlinks it and marks it woken before making
 * the task runnable, so the sleeper can tell a wake-up from a signal or a
 * timeout.
 */
#include "proc/wait.h"

#include "arch/riscv64/timer.h"
#include "core/kernel.h"
#include "core/might_sleep.h"
#include "proc/sched.h"
#include "proc/task.h"

void wq_init(struct waitqueue *wq, const char *name)
{
	spin_init(&wq->lock, name);
	list_init(&wq->waiters);
}

static int sleep_common(struct waitqueue *wq, struct spinlock *lk, uint64_t deadline,
                        bool interruptible)
{
	struct task *t = current();
	struct wq_entry e = {.task = t, .woken = false, .func = NULL};
	bool interrupted = false;

	might_sleep_holding(lk ? "wq_sleep (with its lock)" : "wq_sleep", lk ? 1 : 0);
	uint64_t lk_taken_at = lk ? spin_taken_at(lk) : 0;
	spin_lock(&wq->lock);
	list_push_back(&wq->waiters, &e.node);
	spin_lock(&t->lock);
	spin_unlock(&wq->lock);
	if (lk)
		spin_unlock(lk);
	if (interruptible && signal_pending(t)) {
		interrupted = true;
	} else {
		t->state = TASK_SLEEPING;
		t->sleep_interruptible = interruptible;
		if (deadline)
			sleep_timer_add(t, deadline);
		sched_switch();
		t->sleep_interruptible = false;
	}
	spin_unlock(&t->lock);
	if (deadline)
		sleep_timer_remove(t);

	spin_lock(&wq->lock);
	bool woken = e.woken;
	if (!woken)
		list_remove(&e.node);
	spin_unlock(&wq->lock);
	if (lk)
		spin_lock_as(lk, lk_taken_at);
	if (woken)
		return 0;
	if (interrupted || (interruptible && signal_pending(t)))
		return -EINTR;
	if (deadline && timer_now_ns() >= deadline)
		return -ETIMEDOUT;
	return 0; /* spurious: callers re-check their condition */
}

int wq_sleep(struct waitqueue *wq, struct spinlock *lk)
{
	return sleep_common(wq, lk, 0, true);
}

int wq_sleep_until(struct waitqueue *wq, struct spinlock *lk, uint64_t deadline_ns)
{
	return sleep_common(wq, lk, deadline_ns ? deadline_ns : 1, true);
}

void wq_sleep_uninterruptible(struct waitqueue *wq, struct spinlock *lk)
{
	sleep_common(wq, lk, 0, false);
}

static void wake(struct waitqueue *wq, bool all)
{
	struct list *pos, *tmp;
	spin_lock(&wq->lock);
	list_for_each_safe(pos, tmp, &wq->waiters)
	{
		struct wq_entry *e = list_entry(pos, struct wq_entry, node);
		if (e->func) {
			e->func(e);
			continue;
		}
		struct task *t = e->task;
		list_remove(&e->node);
		e->woken = true;
		sched_wake(t);
		if (!all)
			break;
	}
	spin_unlock(&wq->lock);
}

void wq_wake_all(struct waitqueue *wq)
{
	wake(wq, true);
}

void wq_wake_one(struct waitqueue *wq)
{
	wake(wq, false);
}

void wq_add_callback(struct waitqueue *wq, struct wq_entry *e, void (*func)(struct wq_entry *e))
{
	e->task = NULL;
	e->woken = false;
	e->func = func;
	spin_lock(&wq->lock);
	list_push_back(&wq->waiters, &e->node);
	spin_unlock(&wq->lock);
}

void wq_remove(struct waitqueue *wq, struct wq_entry *e)
{
	spin_lock(&wq->lock);
	list_remove(&e->node);
	spin_unlock(&wq->lock);
}
