/*
 * The tasks and where they wait, on the console: /proc/sysrq-trigger's
 * 't' (every task) and 'w' (the ones in an uninterruptible sleep), as on
 * Linux.  A fuzzer or a stress run that stops making progress dumps this
 * before it gives up, so a lost wake-up or a lock cycle shows its path.
 */
#include "arch/riscv64/memlayout.h"
#include "core/kernel.h"
#include "core/time.h"
#include "proc/task.h"
#include "proc/thread_group.h"

static const char *state_name(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNABLE:
		return "runnable";
	case TASK_RUNNING:
		return "running";
	case TASK_SLEEPING:
		return t->sleep_interruptible ? "sleeping" : "sleeping (uninterruptible)";
	case TASK_STOPPED:
		return "stopped";
	case TASK_ZOMBIE:
		return "zombie";
	default:
		return "unused";
	}
}

static int dump_one(struct task *t, void *ctx)
{
	bool blocked_only = *(bool *)ctx;

	if (t->state == TASK_UNUSED)
		return 0;
	if (blocked_only && !(t->state == TASK_SLEEPING && !t->sleep_interruptible))
		return 0;
	printk("task %d (%s) tgid %d parent %d: %s, signals pending %lx blocked %lx", t->pid,
	       t->name, task_tgid(t), t->parent ? t->parent->pid : 0, state_name(t),
	       (unsigned long)t->sig_pending, (unsigned long)t->sig_blocked);
	if (t->state == TASK_SLEEPING && t->wake_deadline) {
		int64_t left = (int64_t)(t->wake_deadline - time_monotonic_ns());
		printk(", timed: %s %ld ms", left >= 0 ? "wakes in" : "overdue by",
		       (long)((left >= 0 ? left : -left) / 1000000));
	}
	if (t->state == TASK_RUNNING) {
		printk(" on cpu %d\n", t->on_cpu);
		return 0;
	}
	printk("\n");
	/* A switched-out task's frames are in its kernel stack: the saved
	 * context's ra is in sched_switch, s0 its frame. */
	if (t->state == TASK_SLEEPING || t->state == TASK_STOPPED)
		backtrace_stack(t->ctx.s[0], t->ctx.ra, (uint64_t)t->kstack,
		                (uint64_t)t->kstack + KSTACK_SIZE);
	return 0;
}

void task_dump(bool blocked_only)
{
	printk("sysrq: %s\n", blocked_only ? "tasks in uninterruptible sleep" : "all tasks");
	task_for_each(dump_one, &blocked_only);
}
