/*
 * The calls on process timers (see ptimer.h): timer_create and its
 * friends, setitimer and getitimer, for the current process.
 */
#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "proc/ptimer_internal.h"
#include "proc/rlimit.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "proc/task.h"
#include "proc/thread_group.h"

/* The current process's timer id; ptimer_lock held. */
static struct ptimer *find(int id)
{
	struct ptimer_set *set = current()->tg->timers;
	struct list *pos;
	if (!set || id < 0)
		return NULL;
	list_for_each(pos, &set->timers)
	{
		struct ptimer *pt = list_entry(pos, struct ptimer, node);
		if (pt->id == id)
			return pt;
	}
	return NULL;
}

/* The next free id, counting up from the last one given, as Linux. */
static int new_id(struct ptimer_set *set)
{
	for (;;) {
		int id = set->next_id;
		set->next_id = id == INT32_MAX ? 0 : id + 1;
		if (!find(id))
			return id;
	}
}

/* How many timers the process may have: RLIMIT_SIGPENDING counts them
 * (Linux counts them with the user's queued signals). */
static int timer_limit(void)
{
	struct krlimit lim;
	rlimit_get_set(current(), RLIMIT_SIGPENDING, NULL, &lim);
	return lim.cur < PTIMER_MAX_PER_PROCESS ? (int)lim.cur : PTIMER_MAX_PER_PROCESS;
}

int ptimer_create(const struct ptimer_clock *clk, const struct ptimer_event *ev, int *id)
{
	struct ptimer_set *set = ptimer_set_of(current()->tg);
	struct ptimer *pt = set ? kzalloc(sizeof(*pt)) : NULL;
	if (!pt)
		return -ENOMEM;
	int limit = timer_limit();
	ptimer_init(pt, set);
	pt->notify = ev->notify;
	pt->signo = ev->signo;
	pt->value = ev->value;
	pt->code = SI_TIMER;
	int r = 0;
	if (clk->kind == PTC_CPU) {
		r = ptimer_cpu_bind(pt, clk); /* takes ptimer_lock */
	} else {
		pt->created = pt->kind = clk->kind;
		spin_lock(&ptimer_lock);
	}
	if (r < 0) {
		kfree(pt);
		return r;
	}
	if (set->count >= limit)
		r = -EAGAIN;
	else if (ev->notify == PTN_THREAD && !(pt->target = ptimer_own_thread(ev->tid)))
		r = -EINVAL;
	if (r == 0) {
		pt->id = *id = new_id(set);
		if (ev->value_is_id)
			pt->value = (uint64_t)pt->id;
		list_push_back(&set->timers, &pt->node);
		set->count++;
	}
	spin_unlock(&ptimer_lock);
	if (r < 0)
		ptimer_destroy(pt);
	return r;
}

int ptimer_settime(int id, bool abs, const struct ptimer_spec *set, struct ptimer_spec *old)
{
	spin_lock(&ptimer_lock);
	struct ptimer *pt = find(id);
	if (pt)
		ptimer_set_locked(pt, abs, set, old);
	spin_unlock(&ptimer_lock);
	return pt ? 0 : -EINVAL;
}

int ptimer_gettime(int id, struct ptimer_spec *cur)
{
	spin_lock(&ptimer_lock);
	struct ptimer *pt = find(id);
	if (pt)
		ptimer_get_locked(pt, cur);
	spin_unlock(&ptimer_lock);
	return pt ? 0 : -EINVAL;
}

int ptimer_getoverrun(int id)
{
	spin_lock(&ptimer_lock);
	struct ptimer *pt = find(id);
	int r = pt ? pt->overrun_last : -EINVAL;
	spin_unlock(&ptimer_lock);
	return r;
}

int ptimer_delete(int id)
{
	spin_lock(&ptimer_lock);
	struct ptimer *pt = find(id);
	if (pt) {
		list_remove(&pt->node);
		pt->owner->count--;
		pt->dead = true;
		ptimer_disarm(pt);
		ptimer_cancel_signal(pt);
	}
	spin_unlock(&ptimer_lock);
	if (!pt)
		return -EINVAL;
	ptimer_destroy(pt);
	return 0;
}

/* ------------------------------------------------------------ setitimer */

static const int itimer_signal[3] = {SIGALRM, SIGVTALRM, SIGPROF};

/* The interval timer which of the current process, made if need be;
 * returns with ptimer_lock held (NULL: out of memory, lock not held). */
static struct ptimer *itimer_lock(int which)
{
	struct ptimer_set *set = ptimer_set_of(current()->tg);
	if (!set)
		return NULL;
	spin_lock(&ptimer_lock);
	if (set->itimer[which])
		return set->itimer[which];
	spin_unlock(&ptimer_lock);
	struct ptimer *pt = kzalloc(sizeof(*pt));
	if (!pt)
		return NULL;
	ptimer_init(pt, set);
	pt->notify = PTN_SIGNAL;
	pt->signo = itimer_signal[which];
	pt->code = SI_KERNEL;
	int r = 0;
	if (which == 0) {
		pt->created = pt->kind = PTC_MONOTONIC;
		spin_lock(&ptimer_lock);
	} else {
		struct ptimer_clock clk = {.kind = PTC_CPU, .user_only = which == 1};
		r = ptimer_cpu_bind(pt, &clk);
	}
	if (r < 0) {
		kfree(pt);
		return NULL;
	}
	if (set->itimer[which] || set->dead) { /* another thread was first */
		struct ptimer *other = set->itimer[which];
		spin_unlock(&ptimer_lock);
		ptimer_destroy(pt);
		return other ? itimer_lock(which) : NULL;
	}
	set->itimer[which] = pt;
	return pt;
}

int itimer_get(int which, struct ptimer_spec *cur)
{
	if (which < 0 || which > 2)
		return -EINVAL;
	*cur = (struct ptimer_spec){0, 0};
	spin_lock(&ptimer_lock);
	struct ptimer_set *set = current()->tg->timers;
	if (set && set->itimer[which])
		ptimer_get_locked(set->itimer[which], cur);
	spin_unlock(&ptimer_lock);
	return 0;
}

int itimer_set(int which, const struct ptimer_spec *set, struct ptimer_spec *old)
{
	if (which < 0 || which > 2)
		return -EINVAL;
	struct ptimer *pt = itimer_lock(which);
	if (!pt)
		return -ENOMEM;
	struct ptimer_spec s = *set;
	if (which == 0 && !s.value_ns)
		s.interval_ns = 0; /* Linux forgets the period of a stopped ITIMER_REAL */
	if (which > 0 && s.value_ns)
		s.value_ns += SCHED_TICK_NS; /* and adds a tick to a CPU one's first expiry */
	ptimer_set_locked(pt, false, &s, old);
	spin_unlock(&ptimer_lock);
	return 0;
}
