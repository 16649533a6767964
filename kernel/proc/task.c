/*
 * Task allocation, the task list and pids, kernel threads, and the first
 * entry of a new task (see task.h).
 */
#include "proc/task.h"

#include "arch/riscv64/riscv.h"
#include "core/kernel.h"
#include "core/time.h"
#include "core/uaccess.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/vm.h"
#include "obj/handle.h"
#include "proc/pid_ns.h"
#include "proc/uts_ns.h"
#include "proc/sched.h"
#include "proc/thread_group.h"
#include "abi/abi.h"

struct spinlock task_tree_lock = SPINLOCK_INIT("task_tree");
struct task *init_task;
static struct list all_tasks = LIST_INIT(all_tasks);
static pid_t next_pid = 1;

#define KSTACK_ORDER 2 /* 16 KiB */

void task_init(void)
{
	_Static_assert((PAGE_SIZE << KSTACK_ORDER) == KSTACK_SIZE, "kernel stack size");
}

void task_set_name(struct task *t, const char *name)
{
	strlcpy(t->name, name, sizeof(t->name));
}

struct task *task_alloc(const char *name)
{
	struct task *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->kstack = page_alloc(KSTACK_ORDER);
	if (!t->kstack) {
		kfree(t);
		return NULL;
	}
	spin_init(&t->lock, "task");
	t->tf = (struct trapframe *)((char *)t->kstack + KSTACK_SIZE) - 1;
	memset(t->tf, 0, sizeof(*t->tf));
	list_init(&t->children);
	list_init(&t->sibling);
	list_init(&t->run_node);
	list_init(&t->timer_node);
	list_init(&t->tg_node);
	t->cpu_allowed = ~0ULL;
	wq_init(&t->child_exit, "child_exit");
	t->on_cpu = -1;
	t->start_ns = time_monotonic_ns();
	t->exit_signal = SIGCHLD;
	t->sig_altstack.flags = SS_DISABLE;
	rlimit_init_defaults(t->rlimits);
	t->sighand = sighand_create();
	t->tg = thread_group_create(t);
	if (!t->sighand || !t->tg) {
		sighand_put(t->sighand);
		thread_group_put(t->tg);
		page_free(t->kstack, KSTACK_ORDER);
		kfree(t);
		return NULL;
	}
	task_set_name(t, name);
	spin_lock(&task_tree_lock);
	t->pid = next_pid++;
	list_push_back(&all_tasks, &t->all_node);
	spin_unlock(&task_tree_lock);
	return t;
}

/* Frees a task that is off every run queue (a reaped zombie or one that
 * never ran); task_tree_lock held. */
void task_free(struct task *t)
{
	list_remove(&t->all_node);
	sighand_put(t->sighand);
	uts_ns_put(t->uts);
	pid_ns_task_free(t);
	thread_group_put(t->tg);
	page_free(t->kstack, KSTACK_ORDER);
	kfree(t);
}

void task_cputime(struct task *t, uint64_t *cpu, uint64_t *user)
{
	spin_lock(&t->lock);
	uint64_t c = t->cpu_ns;
	if (t->state == TASK_RUNNING)
		c += time_monotonic_ns() - t->last_run_start;
	*cpu = c;
	*user = t->user_ns;
	spin_unlock(&t->lock);
}

struct task *task_find(pid_t pid)
{
	struct list *pos;
	list_for_each(pos, &all_tasks)
	{
		struct task *t = list_entry(pos, struct task, all_node);
		if (t->pid == pid && t->state != TASK_UNUSED)
			return t;
	}
	return NULL;
}

pid_t task_last_pid(void)
{
	return __atomic_load_n(&next_pid, __ATOMIC_RELAXED) - 1;
}

int task_for_each_locked(int (*fn)(struct task *t, void *ctx), void *ctx)
{
	struct list *pos;
	int r = 0;
	list_for_each(pos, &all_tasks)
	{
		r = fn(list_entry(pos, struct task, all_node), ctx);
		if (r)
			break;
	}
	return r;
}

int task_for_each(int (*fn)(struct task *t, void *ctx), void *ctx)
{
	spin_lock(&task_tree_lock);
	int r = task_for_each_locked(fn, ctx);
	spin_unlock(&task_tree_lock);
	return r;
}

/* First code a new task runs: the scheduler switched here holding its
 * lock. */
static void task_first_entry(void)
{
	struct task *t = current();
	spin_unlock(&t->lock);
	if (t->mm) {
		extern void user_return(struct trapframe * tf) __attribute__((noreturn));
		if (t->set_child_tid) { /* clone's CHILD_SETTID: in the child's memory */
			uint32_t tid = (uint32_t)task_pid_vnr(t);
			copy_to_user((void *)t->set_child_tid, &tid, sizeof(tid));
		}
		user_return(t->tf);
	}
	/* kernel thread: entry point and argument in s0, s1 */
	void (*fn)(void *) = (void (*)(void *))t->ctx.s[0];
	fn((void *)t->ctx.s[1]);
	task_exit(0);
}

/* Prepares t so that the scheduler starts it in task_first_entry. */
void task_setup_first_entry(struct task *t)
{
	t->ctx.ra = (uint64_t)task_first_entry;
	t->ctx.sp = (uint64_t)t->tf; /* the stack grows down from the frame */
}

struct task *kthread_create(const char *name, void (*fn)(void *), void *arg)
{
	struct task *t = task_alloc(name);
	if (!t)
		return NULL;
	task_setup_first_entry(t);
	t->ctx.s[0] = (uint64_t)fn;
	t->ctx.s[1] = (uint64_t)arg;
	t->abi = &native_abi;
	spin_lock(&t->lock);
	sched_make_runnable(t);
	spin_unlock(&t->lock);
	return t;
}
