/*
 * Kernel timers (see ktimer.h): one list ordered by deadline, expired
 * from the timer interrupt next to the timed sleeps.
 */
#include "proc/ktimer.h"

#include "arch/riscv64/timer.h"
#include "core/kernel.h"
#include "core/spinlock.h"

static struct spinlock ktimer_lock = SPINLOCK_INIT("ktimer");
static struct list timers = LIST_INIT(timers);

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *t))
{
	list_init(&t->node);
	t->deadline = 0;
	t->armed = false;
	t->running = 0;
	t->fn = fn;
}

/* ktimer_lock held. */
static void disarm(struct ktimer *t)
{
	if (t->armed) {
		list_remove(&t->node);
		t->armed = false;
	}
}

void ktimer_arm(struct ktimer *t, uint64_t deadline_ns)
{
	struct list *pos;
	spin_lock(&ktimer_lock);
	disarm(t);
	t->deadline = deadline_ns;
	t->armed = true;
	list_for_each(pos, &timers)
	{
		if (list_entry(pos, struct ktimer, node)->deadline > deadline_ns)
			break;
	}
	list_insert_between(&t->node, pos->prev, pos);
	bool first = timers.next == &t->node;
	spin_unlock(&ktimer_lock);
	/* A new first deadline reprograms this hart now rather than at its
	 * next tick (never later than that tick). */
	if (first)
		timer_reprogram();
}

void ktimer_cancel(struct ktimer *t)
{
	spin_lock(&ktimer_lock);
	disarm(t);
	spin_unlock(&ktimer_lock);
}

void ktimer_cancel_sync(struct ktimer *t)
{
	for (;;) {
		spin_lock(&ktimer_lock);
		disarm(t);
		int running = t->running;
		spin_unlock(&ktimer_lock);
		if (!running)
			return;
		__asm__ volatile("nop");
	}
}

void ktimer_expire(uint64_t now)
{
	for (;;) {
		struct ktimer *t = NULL;
		spin_lock(&ktimer_lock);
		if (!list_empty(&timers)) {
			struct ktimer *first = list_first_entry(&timers, struct ktimer, node);
			if (first->deadline <= now) {
				t = first;
				disarm(t);
				t->running++;
			}
		}
		spin_unlock(&ktimer_lock);
		if (!t)
			return;
		t->fn(t);
		spin_lock(&ktimer_lock);
		t->running--;
		spin_unlock(&ktimer_lock);
	}
}

uint64_t ktimer_next(void)
{
	uint64_t next = 0;
	spin_lock(&ktimer_lock);
	if (!list_empty(&timers))
		next = list_first_entry(&timers, struct ktimer, node)->deadline;
	spin_unlock(&ktimer_lock);
	return next;
}
