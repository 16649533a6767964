/*
 * Timed sleeps: tasks ordered by wake-up deadline.  Timer interrupts call
 * sleep_timer_expire; adding an earlier deadline reprograms this hart's
 * timer so short sleeps do not wait for the next tick.
 */
#include "arch/riscv64/timer.h"
#include "core/kernel.h"
#include "proc/ktimer.h"
#include "proc/sched.h"
#include "proc/task.h"

static struct spinlock timer_lock = SPINLOCK_INIT("sleep_timer");
static struct list sleepers = LIST_INIT(sleepers);

void sleep_timer_add(struct task *t, uint64_t deadline)
{
	struct list *pos;
	spin_lock(&timer_lock);
	t->wake_deadline = deadline;
	list_for_each(pos, &sleepers)
	{
		struct task *o = list_entry(pos, struct task, timer_node);
		if (o->wake_deadline > deadline)
			break;
	}
	list_insert_between(&t->timer_node, pos->prev, pos);
	bool first = sleepers.next == &t->timer_node;
	spin_unlock(&timer_lock);
	if (first)
		timer_reprogram(); /* never later than this hart's tick */
}

void sleep_timer_remove(struct task *t)
{
	spin_lock(&timer_lock);
	if (t->wake_deadline) {
		list_remove(&t->timer_node);
		t->wake_deadline = 0;
	}
	spin_unlock(&timer_lock);
}

void sleep_timer_expire(uint64_t now)
{
	ktimer_expire(now);
	for (;;) {
		struct task *t = NULL;
		spin_lock(&timer_lock);
		if (!list_empty(&sleepers)) {
			struct task *o = list_first_entry(&sleepers, struct task, timer_node);
			if (o->wake_deadline <= now) {
				t = o;
				list_remove(&t->timer_node);
				t->wake_deadline = 0;
			}
		}
		spin_unlock(&timer_lock);
		if (!t)
			return;
		sched_wake(t);
	}
}

uint64_t sleep_timer_next(void)
{
	uint64_t next = 0;
	spin_lock(&timer_lock);
	if (!list_empty(&sleepers))
		next = list_first_entry(&sleepers, struct task, timer_node)->wake_deadline;
	spin_unlock(&timer_lock);
	uint64_t kt = ktimer_next();
	return kt && (!next || kt < next) ? kt : next;
}
