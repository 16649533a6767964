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
#include "proc/task.h"

static struct spinlock rq_lock = SPINLOCK_INIT("runqueue");
static struct list run_queue = LIST_INIT(run_queue);
static bool need_resched[MAX_CPUS];

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

void sched_make_runnable(struct task *t)
{
	KASSERT(spin_holding(&t->lock));
	t->state = TASK_RUNNABLE;
	spin_lock(&rq_lock);
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

/* The first queued task this hart may run. */
static struct task *rq_pop(struct cpu *c)
{
	struct list *pos;
	spin_lock(&rq_lock);
	list_for_each(pos, &run_queue)
	{
		struct task *t = list_entry(pos, struct task, run_node);
		if (may_run_on(t, c)) {
			list_remove(&t->run_node);
			spin_unlock(&rq_lock);
			return t;
		}
	}
	spin_unlock(&rq_lock);
	return NULL;
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

void sched_yield(void)
{
	might_sleep();
	struct task *t = current();
	spin_lock(&t->lock);
	t->state = TASK_RUNNABLE;
	sched_switch();
	spin_unlock(&t->lock);
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
	t->last_run_start = timer_now_ns();
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
	if (t->state == TASK_RUNNABLE) {
		spin_lock(&rq_lock);
		list_push_back(&run_queue, &t->run_node);
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
		need_resched[this_cpu()->id] = true;
		ptimers_tick(t); /* timers on CPU time */
	}
}

bool sched_need_resched(void)
{
	return need_resched[this_cpu()->id];
}
