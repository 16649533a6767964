/*
 * Resource limits (see rlimit.h).  RLIMIT_NOFILE's hard ceiling is the
 * size of a handle table; the handle table itself does not enforce the
 * soft limit yet.
 */
#include "proc/rlimit.h"

#include "core/kernel.h"
#include "obj/handle.h"
#include "proc/task.h"

void rlimit_init_defaults(struct krlimit *lim)
{
	for (int i = 0; i < RLIMIT_NLIMITS; i++)
		lim[i] = (struct krlimit){RLIM_INFINITY, RLIM_INFINITY};
	lim[RLIMIT_STACK].cur = 8ULL << 20;
	lim[RLIMIT_CORE].cur = 0;
	lim[RLIMIT_NOFILE] = (struct krlimit){HANDLE_MAX, HANDLE_MAX};
	lim[RLIMIT_MEMLOCK] = (struct krlimit){8ULL << 20, 8ULL << 20};
	lim[RLIMIT_MSGQUEUE] = (struct krlimit){819200, 819200};
	lim[RLIMIT_NICE] = lim[RLIMIT_RTPRIO] = (struct krlimit){0, 0};
}

int rlimit_get_set(struct task *t, int res, const struct krlimit *set, struct krlimit *old)
{
	if (res < 0 || res >= RLIMIT_NLIMITS)
		return -EINVAL;
	if (set && set->cur > set->max)
		return -EINVAL;
	if (set && res == RLIMIT_NOFILE && set->max > HANDLE_MAX)
		return -EPERM;
	bool may_raise = cred_capable(cred_current(), CAP_SYS_RESOURCE);
	int r = 0;
	spin_lock(&t->lock);
	if (old)
		*old = t->rlimits[res];
	if (set && set->max > t->rlimits[res].max && !may_raise)
		r = -EPERM; /* raising a hard limit */
	else if (set)
		t->rlimits[res] = *set;
	spin_unlock(&t->lock);
	return r;
}
