/*
 * Thread groups (see thread_group.h): membership, the end of a group
 * (exit_group, fatal signals), exec from a thread, and the ids every
 * thread of a process shares.
 */
#include "proc/thread_group.h"

#include "arch/riscv64/timer.h"
#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "proc/ptimer.h"
#include "proc/sched.h"
#include "proc/pid_ns.h"
#include "proc/task.h"

struct thread_group *thread_group_create(struct task *t)
{
	struct thread_group *tg = kzalloc(sizeof(*tg));
	if (!tg)
		return NULL;
	tg->refcount = 1;
	spin_init(&tg->lock, "thread_group");
	list_init(&tg->threads);
	wq_init(&tg->exit_wq, "tg_exit");
	tg->leader = t;
	list_push_back(&tg->threads, &t->tg_node);
	tg->nr_live = 1;
	tg->dumpable = true;
	return tg;
}

void thread_group_put(struct thread_group *tg)
{
	if (tg && __atomic_sub_fetch(&tg->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		ptimers_free(tg);
		kfree(tg);
	}
}

void thread_group_get(struct thread_group *tg)
{
	__atomic_add_fetch(&tg->refcount, 1, __ATOMIC_ACQ_REL);
}

void thread_group_cputime(struct thread_group *tg, uint64_t *cpu, uint64_t *user)
{
	struct list *pos;
	spin_lock(&tg->lock);
	uint64_t c = tg->exited_cpu_ns, u = tg->exited_user_ns;
	list_for_each(pos, &tg->threads)
	{
		uint64_t tc, tu;
		task_cputime(list_entry(pos, struct task, tg_node), &tc, &tu);
		c += tc;
		u += tu;
	}
	spin_unlock(&tg->lock);
	*cpu = c;
	*user = u;
}

int thread_group_join(struct task *c, struct thread_group *tg)
{
	spin_lock(&tg->lock);
	if (tg->group_exit) {
		spin_unlock(&tg->lock);
		return -EAGAIN;
	}
	struct thread_group *own = c->tg;
	list_remove(&c->tg_node);
	__atomic_add_fetch(&tg->refcount, 1, __ATOMIC_ACQ_REL);
	c->tg = tg;
	list_push_back(&tg->threads, &c->tg_node);
	tg->nr_live++;
	spin_unlock(&tg->lock);
	thread_group_put(own);
	return 0;
}

pid_t task_tgid(struct task *t)
{
	return __atomic_load_n(&t->tg->leader, __ATOMIC_ACQUIRE)->pid;
}

struct task *task_leader(struct task *t)
{
	return __atomic_load_n(&t->tg->leader, __ATOMIC_ACQUIRE);
}

/* SIGKILL to every live thread but self; tg->lock held. */
static void kill_others(struct thread_group *tg, struct task *self)
{
	struct list *pos;
	list_for_each(pos, &tg->threads)
	{
		struct task *u = list_entry(pos, struct task, tg_node);
		if (u != self)
			signal_thread_kill(u);
	}
}

int thread_group_exit_begin(struct task *t, int status, bool override)
{
	struct thread_group *tg = t->tg;
	spin_lock(&tg->lock);
	if (!tg->group_exit) {
		tg->group_exit = true;
		tg->exit_status = status;
		kill_others(tg, t);
	} else if (tg->exec_task && override) {
		/* an exit while another thread execs: the exec loses */
		tg->exit_status = status;
		tg->exec_task = NULL;
		kill_others(tg, t);
	}
	status = tg->exit_status;
	spin_unlock(&tg->lock);
	return status;
}

void thread_group_exit(int status)
{
	task_exit(thread_group_exit_begin(current(), status, true));
}

bool thread_group_leave(struct task *t, int *status)
{
	struct thread_group *tg = t->tg;
	spin_lock(&tg->lock);
	list_remove(&t->tg_node);
	list_init(&t->tg_node);
	tg->nr_live--;
	uint64_t now = timer_now_ns(); /* the running slice counts too */
	t->cpu_ns += now - t->last_run_start;
	t->last_run_start = now;
	tg->exited_cpu_ns += t->cpu_ns;
	tg->exited_user_ns += t->user_ns;
	if (tg->group_exit && !tg->exec_task)
		*status = tg->exit_status;
	bool last = tg->nr_live == 0;
	spin_unlock(&tg->lock);
	signal_group_stop_recheck(t);
	wq_wake_all(&tg->exit_wq);
	return last;
}

/* Waits until the old leader L is off its hart, so its stack can go. */
static void wait_off_cpu(struct task *l)
{
	for (;;) {
		spin_lock(&l->lock);
		bool off = l->state == TASK_ZOMBIE && l->on_cpu < 0;
		spin_unlock(&l->lock);
		if (off)
			return;
		sched_yield();
	}
}

/* t takes the zombie leader's pid and place; the old leader goes. */
static void take_leadership(struct task *t)
{
	struct thread_group *tg = t->tg;
	struct task *l = tg->leader;
	wait_off_cpu(l);
	spin_lock(&task_tree_lock);
	pid_t tid = t->pid;
	t->pid = l->pid;
	l->pid = tid;
	pid_ns_swap_numbers(t, l);
	t->parent = l->parent;
	if (l->parent) {
		list_insert_between(&t->sibling, &l->sibling, l->sibling.next);
		list_remove(&l->sibling);
	}
	l->parent = NULL;
	while (!list_empty(&l->children)) {
		struct task *c = list_first_entry(&l->children, struct task, sibling);
		list_remove(&c->sibling);
		c->parent = t;
		list_push_back(&t->children, &c->sibling);
	}
	t->exit_signal = l->exit_signal;
	t->start_ns = l->start_ns;
	t->cpu_ns_children += l->cpu_ns_children;
	t->user_ns_children += l->user_ns_children;
	spin_lock(&tg->lock);
	__atomic_store_n(&tg->leader, t, __ATOMIC_RELEASE);
	spin_unlock(&tg->lock);
	task_free(l);
	spin_unlock(&task_tree_lock);
}

/* Kills the other threads and waits for them; tg->lock held. */
static int end_other_threads(struct task *t, struct thread_group *tg)
{
	if (tg->group_exit)
		return -EAGAIN;
	tg->group_exit = true;
	tg->exec_task = t;
	kill_others(tg, t);
	while (tg->nr_live > 1 && tg->exec_task == t)
		wq_sleep_uninterruptible(&tg->exit_wq, &tg->lock);
	if (tg->exec_task != t)
		return -EINTR; /* an exit_group or SIGKILL took over */
	tg->exec_task = NULL;
	tg->group_exit = false;
	return 0;
}

int thread_group_exec(struct task *t)
{
	struct thread_group *tg = t->tg;
	spin_lock(&tg->lock);
	int r = tg->nr_live > 1 ? end_other_threads(t, tg) : 0;
	bool lead = tg->leader == t;
	spin_unlock(&tg->lock);
	if (r < 0)
		return r;
	if (!lead)
		take_leadership(t);
	return sighand_unshare(t);
}

void thread_group_set_ids(struct task *t, pid_t pgid, pid_t sid)
{
	struct thread_group *tg = t->tg;
	struct list *pos;
	spin_lock(&tg->lock);
	list_for_each(pos, &tg->threads)
	{
		struct task *u = list_entry(pos, struct task, tg_node);
		u->pgid = pgid;
		u->sid = sid;
	}
	tg->leader->pgid = pgid;
	tg->leader->sid = sid;
	spin_unlock(&tg->lock);
}

int thread_group_count(struct task *t)
{
	return __atomic_load_n(&t->tg->nr_live, __ATOMIC_RELAXED);
}
