/*
 * Process timers (see ptimer.h): expiry, notification, arming on the
 * three kinds of clock, and the timers' life with their process.
 *
 * A timer whose signal is still pending when it expires again does not
 * queue a second one: it counts an overrun and its kernel timer waits a
 * scheduler tick ("parked") rather than firing every period, so a tiny
 * period cannot flood a hart with interrupts; taking the signal
 * (ptimer_signal_taken) counts the periods that passed meanwhile and
 * arms it for its next period again.  Linux stops such a timer until the
 * signal is taken; what the program sees is the same.
 */
#include "proc/ptimer.h"

#include "arch/riscv64/timer.h"
#include "core/kernel.h"
#include "core/time.h"
#include "mm/kmalloc.h"
#include "proc/ptimer_internal.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "proc/pid_ns.h"
#include "proc/task.h"
#include "proc/thread_group.h"

struct spinlock ptimer_lock = SPINLOCK_INIT("ptimer");
static struct list realtime_timers = LIST_INIT(realtime_timers);
static uint32_t next_key = 1;

static void ktimer_fired(struct ktimer *kt);

void ptimer_init(struct ptimer *pt, struct ptimer_set *owner)
{
	list_init(&pt->node);
	list_init(&pt->cpu_node);
	list_init(&pt->rt_node);
	ktimer_init(&pt->kt, ktimer_fired);
	pt->owner = owner;
	pt->id = -1;
	pt->key = __atomic_fetch_add(&next_key, 1, __ATOMIC_RELAXED);
}

struct ptimer_set *ptimer_set_of(struct thread_group *tg)
{
	struct ptimer_set *set = __atomic_load_n(&tg->timers, __ATOMIC_ACQUIRE);
	if (set)
		return set->dead ? NULL : set;
	struct ptimer_set *fresh = kzalloc(sizeof(*fresh));
	if (!fresh)
		return NULL;
	fresh->tg = tg;
	list_init(&fresh->timers);
	list_init(&fresh->cpu_timers);
	spin_lock(&ptimer_lock);
	set = tg->timers;
	if (!set && __atomic_load_n(&tg->nr_live, __ATOMIC_ACQUIRE) > 0) {
		tg->timers = fresh; /* published under the lock the readers take */
		set = fresh;
		fresh = NULL;
	}
	if (set && set->dead)
		set = NULL;
	spin_unlock(&ptimer_lock);
	kfree(fresh);
	return set;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

bool ptimer_clock_now(struct ptimer *pt, int64_t *now)
{
	switch (pt->kind) {
	case PTC_MONOTONIC:
		*now = (int64_t)time_monotonic_ns();
		return true;
	case PTC_REALTIME:
		*now = time_realtime_ns();
		return true;
	case PTC_CPU:
		break;
	}
	if (pt->cpu_gone)
		return false;
	uint64_t cpu, user;
	if (pt->cpu_thread)
		task_cputime(pt->cpu_thread, &cpu, &user);
	else
		thread_group_cputime(pt->cpu_tg, &cpu, &user);
	*now = (int64_t)(pt->cpu_user_only ? user : cpu);
	return true;
}

/* The expirations up to now (>= 1 when due). */
static uint64_t expirations(struct ptimer *pt, int64_t now)
{
	if (!pt->interval)
		return 1;
	return (uint64_t)(now - pt->expires) / pt->interval + 1;
}

/* Moves the expiry of pt past now; returns the expirations. */
static uint64_t advance(struct ptimer *pt, int64_t now)
{
	uint64_t n = expirations(pt, now);
	if (!pt->interval) {
		pt->expires = 0;
		return n;
	}
	uint64_t next = add_sat((uint64_t)pt->expires, n * pt->interval);
	pt->expires = next > INT64_MAX ? INT64_MAX : (int64_t)next;
	return n;
}

/* Sends pt's signal for n expirations: a SIGQ_* value. */
static int notify(struct ptimer *pt, uint64_t n)
{
	if (pt->notify == PTN_NONE)
		return SIGQ_QUEUED;
	if (pt->notify == PTN_WAKE) {
		pt->fired = true;
		wq_wake_all(pt->waiter);
		return SIGQ_QUEUED;
	}
	struct task *thread = pt->notify == PTN_THREAD ? pt->target : NULL;
	if (pt->notify == PTN_THREAD && !thread)
		return SIGQ_DROPPED; /* the thread has ended */
	struct ksiginfo info = {.signo = pt->signo, .code = pt->code, .kind = SIK_KILL};
	if (pt->code == SI_TIMER) {
		info.kind = SIK_TIMER;
		info.pid = pt->id;
		info.uid = pt->key;
		info.value = pt->value;
	} /* else pid and uid 0, as Linux's SEND_SIG_PRIV */
	int r = signal_send_timer(pt->owner->tg, thread, &info);
	if (r == SIGQ_PENDING)
		pt->overrun = add_sat(pt->overrun, n);
	else if (r == SIGQ_QUEUED)
		pt->overrun = n - 1;
	return r;
}

void ptimer_expire(struct ptimer *pt, int64_t now)
{
	int r = notify(pt, expirations(pt, now));
	pt->parked = r != SIGQ_QUEUED;
	if (r != SIGQ_BUSY) /* busy: its number is pending from elsewhere, try again */
		advance(pt, now);
}

/* The monotonic time at which pt's next expiry is due. */
static uint64_t mono_deadline(struct ptimer *pt)
{
	if (pt->kind == PTC_MONOTONIC)
		return (uint64_t)pt->expires;
	int64_t left = pt->expires - time_realtime_ns();
	uint64_t now = time_monotonic_ns();
	return left <= 0 ? now : add_sat(now, (uint64_t)left);
}

static void arm_kernel_timer(struct ptimer *pt)
{
	uint64_t deadline = mono_deadline(pt);
	if (pt->parked)
		deadline = MAX(deadline, time_monotonic_ns() + SCHED_TICK_NS);
	ktimer_arm(&pt->kt, deadline ? deadline : 1);
}

void ptimer_arm(struct ptimer *pt)
{
	ptimer_disarm(pt);
	if (!pt->expires || pt->notify == PTN_NONE)
		return; /* SIGEV_NONE: timer_gettime works it out */
	if (pt->kind == PTC_CPU) {
		ptimer_cpu_link(pt);
		return;
	}
	if (pt->kind == PTC_REALTIME)
		list_push_back(&realtime_timers, &pt->rt_node);
	arm_kernel_timer(pt);
}

void ptimer_disarm(struct ptimer *pt)
{
	ktimer_cancel(&pt->kt);
	if (!list_empty(&pt->rt_node)) {
		list_remove(&pt->rt_node);
		list_init(&pt->rt_node);
	}
	ptimer_cpu_unlink(pt);
}

/* The kernel timer of a monotonic or realtime timer (interrupt context). */
static void ktimer_fired(struct ktimer *kt)
{
	struct ptimer *pt = container_of(kt, struct ptimer, kt);
	spin_lock(&ptimer_lock);
	int64_t now;
	if (!pt->dead && pt->expires && pt->kind != PTC_CPU && ptimer_clock_now(pt, &now)) {
		if (now >= pt->expires)
			ptimer_expire(pt, now);
		if (pt->expires)
			arm_kernel_timer(pt);
		else
			ptimer_disarm(pt);
	}
	spin_unlock(&ptimer_lock);
}

void ptimer_get_locked(struct ptimer *pt, struct ptimer_spec *cur)
{
	int64_t now;
	cur->interval_ns = pt->interval;
	cur->value_ns = 0;
	if (!pt->expires || !ptimer_clock_now(pt, &now))
		return;
	int64_t next = pt->expires;
	if (now >= next && pt->interval)
		next += (int64_t)(((uint64_t)(now - next) / pt->interval + 1) * pt->interval);
	if (now < next)
		cur->value_ns = (uint64_t)(next - now);
	else if (pt->id < 0) /* an interval timer due: what Linux tells */
		cur->value_ns = pt->kind == PTC_CPU ? SCHED_TICK_NS : 1000;
	else if (pt->notify != PTN_NONE)
		cur->value_ns = 1; /* due, about to fire */
	                           /* else: a one-shot SIGEV_NONE timer that expired */
}

void ptimer_cancel_signal(struct ptimer *pt)
{
	if (pt->code != SI_TIMER || (pt->notify == PTN_THREAD && !pt->target))
		return;
	if (pt->notify == PTN_SIGNAL || pt->notify == PTN_THREAD)
		signal_cancel_timer(pt->owner->tg, pt->notify == PTN_THREAD ? pt->target : NULL,
		                    pt->signo, pt->key);
}

struct task *ptimer_own_thread(pid_t tid)
{
	struct task *self = current(), *found = NULL;
	if (!tid)
		return self;
	struct list *pos;
	spin_lock(&self->tg->lock);
	list_for_each(pos, &self->tg->threads)
	{
		struct task *u = list_entry(pos, struct task, tg_node);
		if (task_pid_vnr(u) == tid && !u->ptimers_exited) /* the caller's number */
			found = u;
	}
	spin_unlock(&self->tg->lock);
	return found;
}

void ptimer_set_locked(struct ptimer *pt, bool abs, const struct ptimer_spec *set,
                       struct ptimer_spec *old)
{
	if (old)
		ptimer_get_locked(pt, old);
	ptimer_disarm(pt);
	ptimer_cancel_signal(pt); /* a signal of the old setting is not delivered */
	pt->overrun = 0;
	pt->overrun_last = 0;
	pt->parked = false;
	pt->interval = set->interval_ns;
	pt->expires = 0;
	if (!set->value_ns)
		return;
	/* Linux runs a relative realtime setting on the monotonic clock */
	pt->kind = pt->created == PTC_REALTIME && !abs ? PTC_MONOTONIC : pt->created;
	int64_t now;
	if (!ptimer_clock_now(pt, &now))
		return;
	uint64_t v = abs ? set->value_ns : add_sat((uint64_t)now, set->value_ns);
	pt->expires = v > INT64_MAX ? INT64_MAX : (int64_t)v;
	if (pt->kind == PTC_CPU && now >= pt->expires) /* already due: now, as Linux */
		ptimer_expire(pt, now);
	ptimer_arm(pt);
}

void ptimer_destroy(struct ptimer *pt)
{
	ktimer_cancel_sync(&pt->kt);
	if (pt->cpu_tg)
		thread_group_put(pt->cpu_tg);
	kfree(pt);
}

/* ------------------------------------------------------------ hooks */

void ptimer_signal_taken(struct task *t, struct ksiginfo *info)
{
	spin_lock(&ptimer_lock);
	struct ptimer_set *set = t->tg->timers;
	struct ptimer *pt = NULL;
	struct list *pos;
	if (set && info->kind == SIK_TIMER) {
		list_for_each(pos, &set->timers)
		{
			struct ptimer *p = list_entry(pos, struct ptimer, node);
			if (p->id == info->pid && p->key == info->uid)
				pt = p;
		}
	} else if (set && info->signo == SIGALRM && info->code == SI_KERNEL) {
		pt = set->itimer[0];
	}
	int64_t now;
	if (pt && pt->expires && pt->kind != PTC_CPU && ptimer_clock_now(pt, &now)) {
		if (pt->parked && now >= pt->expires) /* periods missed while pending */
			pt->overrun = add_sat(pt->overrun, advance(pt, now));
		pt->parked = false;
		if (pt->expires)
			arm_kernel_timer(pt);
	}
	if (pt && info->kind == SIK_TIMER) {
		pt->overrun_last = pt->overrun > INT32_MAX ? INT32_MAX : (int)pt->overrun;
		pt->overrun = 0;
		info->status = pt->overrun_last;
	}
	spin_unlock(&ptimer_lock);
}

void ptimers_clock_was_set(void)
{
	struct list *pos;
	spin_lock(&ptimer_lock);
	list_for_each(pos, &realtime_timers)
	    arm_kernel_timer(list_entry(pos, struct ptimer, rt_node));
	spin_unlock(&ptimer_lock);
}

/* Thread t ends: pt no longer signals it nor measures it. */
static void thread_gone(struct ptimer *pt, struct task *t)
{
	if (pt->target == t)
		pt->target = NULL;
	if (pt->kind == PTC_CPU || pt->created == PTC_CPU) {
		if (pt->cpu_thread == t) {
			pt->cpu_gone = true;
			pt->cpu_thread = NULL;
			ptimer_cpu_unlink(pt);
		}
	}
}

void ptimers_thread_exit(struct task *t)
{
	struct list *pos, *tmp;
	spin_lock(&ptimer_lock);
	t->ptimers_exited = true;
	struct ptimer_set *set = t->tg->timers;
	if (set) {
		list_for_each(pos, &set->timers)
		    thread_gone(list_entry(pos, struct ptimer, node), t);
		/* sleepers on this thread's clock */
		list_for_each_safe(pos, tmp, &set->cpu_timers)
		    thread_gone(list_entry(pos, struct ptimer, cpu_node), t);
	}
	spin_unlock(&ptimer_lock);
}

/* Takes the timers of set that go off its lists into the local list out
 * (by node); ptimer_lock held. */
static void collect(struct ptimer_set *set, bool itimers_too, struct list *out)
{
	while (!list_empty(&set->timers)) {
		struct ptimer *pt = list_first_entry(&set->timers, struct ptimer, node);
		list_remove(&pt->node);
		list_push_back(out, &pt->node);
		set->count--;
	}
	for (int i = 0; itimers_too && i < 3; i++) {
		if (set->itimer[i])
			list_push_back(out, &set->itimer[i]->node);
		set->itimer[i] = NULL;
	}
	struct list *pos;
	list_for_each(pos, out)
	{
		struct ptimer *pt = list_entry(pos, struct ptimer, node);
		pt->dead = true;
		ptimer_disarm(pt);
		ptimer_cancel_signal(pt);
	}
}

static void destroy_all(struct list *l)
{
	while (!list_empty(l)) {
		struct ptimer *pt = list_first_entry(l, struct ptimer, node);
		list_remove(&pt->node);
		ptimer_destroy(pt);
	}
}

void ptimers_exec(struct thread_group *tg)
{
	struct list gone = LIST_INIT(gone);
	spin_lock(&ptimer_lock);
	if (tg->timers)
		collect(tg->timers, false, &gone);
	spin_unlock(&ptimer_lock);
	destroy_all(&gone);
}

void ptimers_process_end(struct thread_group *tg)
{
	struct list gone = LIST_INIT(gone);
	spin_lock(&ptimer_lock);
	struct ptimer_set *set = tg->timers;
	if (set) {
		set->dead = true;
		collect(set, true, &gone);
		while (!list_empty(&set->cpu_timers)) { /* others' timers on our CPU time */
			struct ptimer *pt =
			    list_first_entry(&set->cpu_timers, struct ptimer, cpu_node);
			pt->cpu_gone = true;
			ptimer_cpu_unlink(pt);
		}
	}
	spin_unlock(&ptimer_lock);
	destroy_all(&gone);
}

void ptimers_free(struct thread_group *tg)
{
	if (tg->timers) {
		ptimers_process_end(tg);
		kfree(tg->timers);
		tg->timers = NULL;
	}
}
