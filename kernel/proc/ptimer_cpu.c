/*
 * CPU-time clocks and the timers on them (see ptimer.h).  A process's
 * CPU time is the sum over its threads plus what its ended threads used;
 * timers on it are checked at every scheduler tick of a hart that runs
 * one of its threads (a hart running nothing of it adds nothing to it),
 * so they fire within a tick of their expiry, as Linux's do.
 *
 * Which clocks exist follows Linux: any process's (by its process id, or
 * a thread's id for reading one's own), and the threads of one's own
 * process; a thread of another process is EINVAL.
 */
#include "arch/riscv64/timer.h"
#include "core/kernel.h"
#include "proc/ptimer_internal.h"
#include "proc/pid_ns.h"
#include "proc/task.h"
#include "proc/thread_group.h"

/* The task clk names, for the current task; task_tree_lock held.  NULL
 * when there is none Linux would accept. */
static struct task *clock_task(const struct ptimer_clock *clk, bool for_timer)
{
	struct task *self = current();
	if (!clk->pid)
		return clk->thread ? self : task_leader(self);
	struct task *t = task_find_vnr(clk->pid);
	if (!t || t->state == TASK_ZOMBIE || t->ptimers_exited)
		return NULL;
	if (clk->thread)
		return t->tg == self->tg ? t : NULL;
	if (thread_group_count(t) == 0)
		return NULL; /* the process has ended */
	if (for_timer)
		return task_leader(t) == t ? t : NULL;
	return t == self || task_leader(t) == t ? t : NULL;
}

int ptimer_cpu_clock_read(const struct ptimer_clock *clk, uint64_t *ns)
{
	uint64_t cpu = 0, user = 0;
	spin_lock(&task_tree_lock);
	struct task *t = clock_task(clk, false);
	if (t && clk->thread)
		task_cputime(t, &cpu, &user);
	else if (t)
		thread_group_cputime(t->tg, &cpu, &user);
	spin_unlock(&task_tree_lock);
	if (!t)
		return -EINVAL;
	*ns = clk->user_only ? user : cpu;
	return 0;
}

int ptimer_cpu_bind(struct ptimer *pt, const struct ptimer_clock *clk)
{
	struct thread_group *tg = NULL;
	if (!clk->thread) { /* a process: hold it, and make its set */
		spin_lock(&task_tree_lock);
		struct task *t = clock_task(clk, true);
		if (t) {
			tg = t->tg;
			thread_group_get(tg);
		}
		spin_unlock(&task_tree_lock);
		if (!tg)
			return -EINVAL;
		if (!ptimer_set_of(tg)) {
			thread_group_put(tg);
			return -EINVAL;
		}
	}
	spin_lock(&ptimer_lock);
	struct task *thread = NULL;
	if (clk->thread) { /* one of the caller's threads */
		thread = ptimer_own_thread(clk->pid);
		if (!thread) {
			spin_unlock(&ptimer_lock);
			return -EINVAL;
		}
		tg = thread->tg;
		thread_group_get(tg);
	}
	pt->created = pt->kind = PTC_CPU;
	pt->cpu_tg = tg;
	pt->cpu_thread = thread;
	pt->cpu_user_only = clk->user_only;
	return 0;
}

bool ptimer_cpu_link(struct ptimer *pt)
{
	struct ptimer_set *set = pt->cpu_tg->timers;
	if (!set || set->dead || pt->cpu_gone)
		return false;
	if (list_empty(&pt->cpu_node)) {
		list_push_back(&set->cpu_timers, &pt->cpu_node);
		__atomic_add_fetch(&set->nr_cpu, 1, __ATOMIC_RELEASE);
	}
	return true;
}

void ptimer_cpu_unlink(struct ptimer *pt)
{
	if (list_empty(&pt->cpu_node))
		return;
	list_remove(&pt->cpu_node);
	list_init(&pt->cpu_node);
	__atomic_sub_fetch(&pt->cpu_tg->timers->nr_cpu, 1, __ATOMIC_RELEASE);
}

void ptimers_tick(struct task *t)
{
	struct ptimer_set *set = __atomic_load_n(&t->tg->timers, __ATOMIC_ACQUIRE);
	if (!set || !__atomic_load_n(&set->nr_cpu, __ATOMIC_ACQUIRE))
		return;
	uint64_t cpu = 0, user = 0;
	bool sampled = false;
	struct list *pos, *tmp;
	spin_lock(&ptimer_lock);
	list_for_each_safe(pos, tmp, &set->cpu_timers)
	{
		struct ptimer *pt = list_entry(pos, struct ptimer, cpu_node);
		uint64_t c = cpu, u = user;
		if (pt->cpu_thread) {
			task_cputime(pt->cpu_thread, &c, &u);
		} else if (!sampled) {
			thread_group_cputime(set->tg, &cpu, &user);
			sampled = true;
			c = cpu;
			u = user;
		}
		int64_t now = (int64_t)(pt->cpu_user_only ? u : c);
		if (pt->expires && now >= pt->expires)
			ptimer_expire(pt, now);
		if (!pt->expires)
			ptimer_cpu_unlink(pt);
	}
	spin_unlock(&ptimer_lock);
}

int ptimer_cpu_sleep(const struct ptimer_clock *clk, bool abs, uint64_t ns, uint64_t *left)
{
	if (!ns)
		return 0; /* no time, or the clock's start: already there */
	struct waitqueue wq;
	struct ptimer pt = {0};
	wq_init(&wq, "cpu_sleep");
	ptimer_init(&pt, NULL);
	pt.notify = PTN_WAKE;
	pt.waiter = &wq;
	int r = ptimer_cpu_bind(&pt, clk);
	if (r < 0)
		return r;
	ptimer_set_locked(&pt, abs, &(struct ptimer_spec){ns, 0}, NULL);
	while (!pt.fired && r == 0)
		r = wq_sleep(&wq, &ptimer_lock) == -EINTR ? -EINTR : 0;
	struct ptimer_spec cur;
	ptimer_get_locked(&pt, &cur);
	*left = cur.value_ns;
	pt.dead = true;
	ptimer_disarm(&pt);
	spin_unlock(&ptimer_lock);
	thread_group_put(pt.cpu_tg);
	return pt.fired ? 0 : r;
}
