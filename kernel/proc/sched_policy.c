/*
 * Scheduling policies and nice values (see sched_policy.h): validation
 * and Linux's permission rules.  sched.c does the ordering.
 */
#include "proc/sched_policy.h"

#include "core/kernel.h"
#include "proc/sched.h"
#include "proc/task.h"

bool sched_policy_valid(int policy)
{
	return policy == SCHED_POLICY_OTHER || policy == SCHED_POLICY_FIFO ||
	       policy == SCHED_POLICY_RR || policy == SCHED_POLICY_BATCH ||
	       policy == SCHED_POLICY_IDLE;
}

bool sched_policy_is_rt(int policy)
{
	return policy == SCHED_POLICY_FIFO || policy == SCHED_POLICY_RR;
}

/* SCHED_DEADLINE has a priority range (0..0) though it cannot be set
 * here (Linux sets it with sched_setattr only). */
#define SCHED_POLICY_DEADLINE 6

int sched_priority_max(int policy)
{
	if (!sched_policy_valid(policy) && policy != SCHED_POLICY_DEADLINE)
		return -EINVAL;
	return sched_policy_is_rt(policy) ? RT_PRIO_MAX : 0;
}

int sched_priority_min(int policy)
{
	if (!sched_policy_valid(policy) && policy != SCHED_POLICY_DEADLINE)
		return -EINVAL;
	return sched_policy_is_rt(policy) ? 1 : 0;
}

static bool privileged(void)
{
	return cred_capable(cred_current(), CAP_SYS_NICE);
}

bool sched_may_change(struct task *t)
{
	const struct cred *c = cred_current();
	return privileged() || c->euid == t->cred.uid || c->euid == t->cred.euid;
}

/* RLIMIT_NICE allows a nice down to 20 - limit. */
static bool may_lower_nice(struct task *t, int nice)
{
	return privileged() || (int64_t)(20 - nice) <= (int64_t)t->rlimits[RLIMIT_NICE].cur;
}

int sched_set_nice(struct task *t, int nice)
{
	nice = nice < NICE_MIN ? NICE_MIN : nice > NICE_MAX ? NICE_MAX : nice;
	if (!sched_may_change(t))
		return -EPERM;
	if (nice < t->sched_nice && !may_lower_nice(t, nice))
		return -EACCES;
	spin_lock(&t->lock);
	t->sched_nice = (int8_t)nice;
	spin_unlock(&t->lock);
	return 0;
}

int sched_get_nice(struct task *t)
{
	return t->sched_nice;
}

/* sched_setscheduler's checks for an unprivileged caller. */
static int check_unprivileged(struct task *t, const struct sched_attr_k *a)
{
	uint64_t rtprio = t->rlimits[RLIMIT_RTPRIO].cur;
	if (sched_policy_is_rt(a->policy)) {
		if (a->policy != t->sched_policy && rtprio == 0)
			return -EPERM;
		if (a->rt_priority > t->sched_rt_priority && (uint64_t)a->rt_priority > rtprio)
			return -EPERM;
	}
	/* leaving SCHED_IDLE needs room to lower the nice to its own value */
	if (t->sched_policy == SCHED_POLICY_IDLE && a->policy != SCHED_POLICY_IDLE &&
	    !may_lower_nice(t, t->sched_nice))
		return -EPERM;
	if (!sched_may_change(t))
		return -EPERM;
	if (t->sched_reset_on_fork && !a->reset_on_fork)
		return -EPERM;
	return 0;
}

int sched_set_attr(struct task *t, const struct sched_attr_k *a)
{
	if (!sched_policy_valid(a->policy))
		return -EINVAL;
	if (a->rt_priority < sched_priority_min(a->policy) ||
	    a->rt_priority > sched_priority_max(a->policy))
		return -EINVAL;
	if (!privileged()) {
		int r = check_unprivileged(t, a);
		if (r < 0)
			return r;
	}
	spin_lock(&t->lock);
	t->sched_policy = (uint8_t)a->policy;
	t->sched_rt_priority = (uint8_t)a->rt_priority;
	t->sched_reset_on_fork = a->reset_on_fork;
	spin_unlock(&t->lock);
	return 0;
}

void sched_get_attr(struct task *t, struct sched_attr_k *a)
{
	spin_lock(&t->lock);
	a->policy = t->sched_policy;
	a->rt_priority = t->sched_rt_priority;
	a->reset_on_fork = t->sched_reset_on_fork;
	spin_unlock(&t->lock);
}

void sched_policy_fork(struct task *c, struct task *p)
{
	c->sched_policy = p->sched_policy;
	c->sched_rt_priority = p->sched_rt_priority;
	c->sched_nice = p->sched_nice;
	if (p->sched_reset_on_fork) {
		if (sched_policy_is_rt(c->sched_policy)) {
			c->sched_policy = SCHED_POLICY_OTHER;
			c->sched_rt_priority = 0;
		}
		if (c->sched_nice < 0)
			c->sched_nice = 0;
	}
}

uint64_t sched_rr_interval(struct task *t)
{
	if (t->sched_policy == SCHED_POLICY_FIFO)
		return 0;
	if (t->sched_policy == SCHED_POLICY_RR)
		return RR_TIMESLICE_NS;
	return SCHED_TICK_NS;
}
