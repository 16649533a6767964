/*
 * Setting the wall clock (see wallclock.h).  One lock orders a setting
 * against sleepers computing their deadline, so a sleeper that read the
 * old clock is always woken to look again.
 */
#include "proc/wallclock.h"

#include "core/kernel.h"
#include "core/time.h"
#include "proc/ptimer.h"
#include "proc/wait.h"

static struct spinlock wallclock_lock = SPINLOCK_INIT("wallclock");
static struct waitqueue sleepers = {
    .lock = SPINLOCK_INIT("wallclock_sleepers"),
    .waiters = LIST_INIT(sleepers.waiters),
};
static struct list notifiers = LIST_INIT(notifiers);
static uint64_t set_count;

void wallclock_shift(int64_t delta)
{
	struct list *pos;
	spin_lock(&wallclock_lock);
	time_realtime_shift(delta);
	__atomic_add_fetch(&set_count, 1, __ATOMIC_RELEASE);
	wq_wake_all(&sleepers);
	list_for_each(pos, &notifiers) list_entry(pos, struct wallclock_notifier, node)->fn();
	spin_unlock(&wallclock_lock);
	ptimers_clock_was_set();
}

void wallclock_set(int64_t ns)
{
	wallclock_shift(ns - time_realtime_ns());
}

uint64_t wallclock_set_count(void)
{
	return __atomic_load_n(&set_count, __ATOMIC_ACQUIRE);
}

int wallclock_sleep_until(int64_t target)
{
	spin_lock(&wallclock_lock);
	for (;;) {
		int64_t left = target - time_realtime_ns();
		if (left <= 0)
			break;
		uint64_t now = time_monotonic_ns();
		uint64_t deadline =
		    (uint64_t)left > UINT64_MAX - now ? UINT64_MAX : now + (uint64_t)left;
		if (wq_sleep_until(&sleepers, &wallclock_lock, deadline) == -EINTR) {
			spin_unlock(&wallclock_lock);
			return -EINTR;
		}
	}
	spin_unlock(&wallclock_lock);
	return 0;
}

void wallclock_notify(struct wallclock_notifier *n)
{
	spin_lock(&wallclock_lock);
	list_push_back(&notifiers, &n->node);
	spin_unlock(&wallclock_lock);
}
