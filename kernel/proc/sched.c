/*
 * Scheduler (see sched.h).  The hand-off follows xv6: a task switches to
 * its hart's scheduler context holding its own lock, and the scheduler
 * releases it; so a task is never on two harts at once and a wake-up
 * cannot slip in between "I am going to sleep" and the switch.
 */
#include "proc/sched.h"

#include "arch/riscv64/cpu.h"
#include "arch/riscv64/mmu.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/timer.h"
#include "core/kernel.h"
#include "core/might_sleep.h"
#include "mm/vm.h"
#include "proc/ptimer.h"
#include "proc/sched_policy.h"
#include "proc/task.h"

static struct spinlock rq_lock = SPINLOCK_INIT("runqueue");
static struct list run_queue = LIST_INIT(run_queue);
static bool need_resched[MAX_CPUS];
/* Ticks in a row a hart has given real-time tasks; at RT_STREAK_MAX a
 * fair task gets its turn (Linux's 95% real-time throttle, roughly), so a
 * spinning real-time task cannot freeze the rest of the system. */
static int rt_streak[MAX_CPUS];
#define RT_STREAK_MAX 19
/* The fair tasks' clock: the least weighted run time among them, never
 * going back (rq_lock).  A task that slept is not let behind it by more
 * than a tick, so it cannot claim the CPU for all the time it slept. */
static uint64_t min_vruntime;

void sched_init(void)
{
}

static bool may_run_on(const struct task *t, const struct cpu *c)
{
	return c->id >= 64 || (t->cpu_allowed & (1ULL << c->id));
}

/* Kicks an idle hart t may run on, so it picks t up without waiting a
 * tick. */
static void wake_idle_cpu(const struct task *t)
{
	struct cpu *self = this_cpu();
	for (int i = 0; i < ncpus; i++) {
		struct cpu *c = &cpus[i];
		if (c != self && c->online && c->idle && may_run_on(t, c)) {
			cpu_send_ipi(c);
			return;
		}
	}
}

/* Linux's weights of the nice values -20..19 (nice 0 is 1024; each step
 * is about 1.25 times the next); SCHED_IDLE weighs 3. */
static const uint32_t nice_weight[40] = {
    88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916, 9548, 7620, 6100, 4904,
    3906,  3121,  2501,  1991,  1586,  1277,  1024,  820,   655,   526,   423,  335,  272,  215,
    172,   137,   110,   87,    70,    56,    45,    36,    29,    23,    18,   15,
};

static uint32_t weight_of(const struct task *t)
{
	if (t->sched_policy == SCHED_POLICY_IDLE)
		return 3;
	int n = t->sched_nice < NICE_MIN   ? NICE_MIN
	        : t->sched_nice > NICE_MAX ? NICE_MAX
	                                   : t->sched_nice;
	return nice_weight[n - NICE_MIN];
}

/* Real-time tasks rank 1 + their priority, fair ones 0. */
static int rank_of(const struct task *t)
{
	return sched_policy_is_rt(t->sched_policy) ? 1 + t->sched_rt_priority : 0;
}

/* A fair task that comes back after sleeping.  rq_lock held. */
static void catch_up(struct task *t)
{
	if (rank_of(t) == 0 && t->vruntime + SCHED_TICK_NS < min_vruntime)
		t->vruntime = min_vruntime - SCHED_TICK_NS;
}

void sched_make_runnable(struct task *t)
{
	KASSERT(spin_holding(&t->lock));
	t->state = TASK_RUNNABLE;
	spin_lock(&rq_lock);
	catch_up(t);
	list_push_back(&run_queue, &t->run_node);
	spin_unlock(&rq_lock);
	wake_idle_cpu(t);
}

void sched_wake(struct task *t)
{
	spin_lock(&t->lock);
	if (t->state == TASK_SLEEPING)
		sched_make_runnable(t);
	spin_unlock(&t->lock);
}

/* The task this hart runs next: the real-time task of the highest
 * priority (the first queued among equals), else the fair task with the
 * least weighted run time; a fair one first when real-time tasks have
 * had the hart for RT_STREAK_MAX ticks. */
static struct task *rq_pop(struct cpu *c)
{
	struct list *pos;
	struct task *best = NULL, *fair = NULL;
	spin_lock(&rq_lock);
	list_for_each(pos, &run_queue)
	{
		struct task *t = list_entry(pos, struct task, run_node);
		if (!may_run_on(t, c))
			continue;
		if (rank_of(t) == 0 && (!fair || t->vruntime < fair->vruntime))
			fair = t;
		if (!best || rank_of(t) > rank_of(best))
			best = t;
	}
	if (best && rank_of(best) == 0)
		best = fair;
	else if (best && fair && rt_streak[c->id] >= RT_STREAK_MAX)
		best = fair;
	if (best) {
		list_remove(&best->run_node);
		if (rank_of(best) == 0) {
			rt_streak[c->id] = 0;
			if (best->vruntime > min_vruntime)
				min_vruntime = best->vruntime;
		}
	}
	spin_unlock(&rq_lock);
	return best;
}

/* t ran for ran_ns: a fair task's weighted run time grows, a real-time
 * one's slice.  t->lock held, t off the queue. */
static void account(struct task *t, uint64_t ran_ns)
{
	if (rank_of(t) == 0)
		t->vruntime += ran_ns * 1024 / weight_of(t);
	else
		t->sched_slice_ns += (uint32_t)MIN(ran_ns, RR_TIMESLICE_NS);
}

/* Puts t back in the queue after it ran: a real-time task that was
 * preempted goes first among its equals, unless it gave up the CPU
 * itself or a round-robin task used up its slice.  rq_lock held. */
static void requeue(struct task *t)
{
	bool front = rank_of(t) != 0 && !t->sched_yielded;
	if (t->sched_policy == SCHED_POLICY_RR && t->sched_slice_ns >= RR_TIMESLICE_NS) {
		t->sched_slice_ns = 0;
		front = false;
	}
	t->sched_yielded = false;
	if (front)
		list_push_front(&run_queue, &t->run_node);
	else
		list_push_back(&run_queue, &t->run_node);
}

uint64_t sched_online_mask(void)
{
	uint64_t mask = 0;
	for (int i = 0; i < ncpus && i < 64; i++)
		if (cpus[i].online)
			mask |= 1ULL << i;
	return mask;
}

int sched_set_affinity(struct task *t, uint64_t mask)
{
	if (!(mask & sched_online_mask()))
		return -EINVAL;
	spin_lock(&t->lock);
	t->cpu_allowed = mask;
	spin_unlock(&t->lock);
	if (t == current() && !may_run_on(t, this_cpu()))
		sched_yield(); /* another hart picks it up */
	return 0;
}

static void fpu_switch_out(struct task *t)
{
	if ((t->tf->sstatus & SSTATUS_FS_MASK) == SSTATUS_FS_DIRTY) {
		fpu_save(t->fpregs);
		t->tf->sstatus = (t->tf->sstatus & ~SSTATUS_FS_MASK) | SSTATUS_FS_CLEAN;
	}
}

static void fpu_switch_in(struct task *t)
{
	if ((t->tf->sstatus & SSTATUS_FS_MASK) != SSTATUS_FS_OFF) {
		fpu_restore(t->fpregs);
		t->tf->sstatus = (t->tf->sstatus & ~SSTATUS_FS_MASK) | SSTATUS_FS_CLEAN;
	}
}

void sched_switch(void)
{
	struct task *t = current();
	struct cpu *c = this_cpu();
	KASSERT(spin_holding(&t->lock));
	KASSERT(c->irq_depth == 1);
	KASSERT(t->state != TASK_RUNNING);
	KASSERT(!irq_enabled());
	bool were_enabled = c->irq_were_enabled;
	uint64_t now = timer_now_ns();
	t->cpu_ns += now - t->last_run_start;
	if (t->mm)
		fpu_switch_out(t);
	context_switch(&t->ctx, &this_cpu()->sched_ctx);
	/* resumed, possibly on another hart */
	this_cpu()->irq_were_enabled = were_enabled;
	if (t->mm)
		fpu_switch_in(t);
}

static void give_up_cpu(bool yielded)
{
	might_sleep();
	struct task *t = current();
	spin_lock(&t->lock);
	t->state = TASK_RUNNABLE;
	t->sched_yielded = yielded;
	sched_switch();
	spin_unlock(&t->lock);
}

void sched_yield(void)
{
	give_up_cpu(true);
}

void sched_preempt(void)
{
	give_up_cpu(false);
}

static void run_task(struct cpu *c, struct task *t)
{
	spin_lock(&t->lock);
	if (t->state != TASK_RUNNABLE) {
		spin_unlock(&t->lock);
		return;
	}
	t->state = TASK_RUNNING;
	t->on_cpu = c->id;
	uint64_t start = timer_now_ns();
	t->last_run_start = start;
	c->task = t;
	need_resched[c->id] = false;
	if (t->mm)
		vm_activate(t->mm);
	cpu_set_stack(c, t->kstack);
	context_switch(&c->sched_ctx, &t->ctx);
	cpu_set_stack(c, (void *)c->idle_stack_base);
	/* Leave whatever table t left this hart on: t may free its mm on
	 * another hart at once.  Not "if (t->mm)": while t ran, exit may have
	 * cleared t->mm before it switched away from that mm's table (it
	 * slept closing its files), and exec may have replaced it. */
	pt_activate_kernel();
	c->task = NULL;
	t->on_cpu = -1;
	account(t, timer_now_ns() - start);
	if (t->state == TASK_RUNNABLE) {
		spin_lock(&rq_lock);
		requeue(t);
		spin_unlock(&rq_lock);
		if (!may_run_on(t, c)) /* moved off by sched_setaffinity */
			wake_idle_cpu(t);
	}
	bool reap = t->state == TASK_ZOMBIE && t->autoreap;
	spin_unlock(&t->lock);
	if (reap) { /* nobody waits for it, and it is off this hart now */
		spin_lock(&task_tree_lock);
		task_free(t);
		spin_unlock(&task_tree_lock);
	}
}

void scheduler_loop(void)
{
	struct cpu *c = this_cpu();
	for (;;) {
		irq_enable();
		struct task *t = rq_pop(c);
		if (t) {
			run_task(c, t);
			continue;
		}
		/* Nothing to run: wait for an interrupt.  Check the queue again
		 * with interrupts off so a wake-up IPI is not lost. */
		irq_disable();
		c->idle = true;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		bool empty = true;
		spin_lock(&rq_lock);
		struct list *pos;
		list_for_each(pos, &run_queue) empty &=
		    !may_run_on(list_entry(pos, struct task, run_node), c);
		spin_unlock(&rq_lock);
		if (empty) {
			uint64_t t0 = timer_now_ns();
			wfi();
			c->idle_ns += timer_now_ns() - t0;
		}
		c->idle = false;
	}
}

void sched_tick(void)
{
	sleep_timer_expire(timer_now_ns());
	struct task *t = this_cpu()->task;
	if (t) {
		int id = this_cpu()->id;
		need_resched[id] = true;
		rt_streak[id] = rank_of(t) ? rt_streak[id] + 1 : 0;
		ptimers_tick(t); /* timers on CPU time */
	}
}

bool sched_need_resched(void)
{
	return need_resched[this_cpu()->id];
}
