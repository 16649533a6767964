/*
 * What procfs knows about processes: consistent looks at one task, with
 * references to its address space, fs_struct and handle table taken
 * under the task's lock (exec and exit swap them under it), and the list
 * of pids.  Kernel threads are not shown, as ps does not show them.
 */
#include "abi/abi.h"
#include "fs/procfs/procfs_impl.h"
#include "mm/vm.h"
#include "obj/handle.h"
#include "proc/thread_group.h"

static bool shown(const struct task *t)
{
	return t->state != TASK_UNUSED && (t->mm || t->state == TASK_ZOMBIE);
}

static char state_letter(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNING:
	case TASK_RUNNABLE:
		return 'R';
	case TASK_SLEEPING:
		return t->sleep_interruptible ? 'S' : 'D';
	case TASK_STOPPED:
		return 'T';
	case TASK_ZOMBIE:
		return 'Z';
	default:
		return '?';
	}
}

struct find_ctx {
	pid_t pid;
	struct proc_task *out; /* NULL: only say whether it exists */
	bool found;
};

/* Fills c->out from t; task_tree_lock held. */
static void snapshot(struct task *t, struct proc_task *pt)
{
	memset(pt, 0, sizeof(*pt));
	struct task *l = task_leader(t);
	pt->pid = t->pid;
	pt->tgid = l->pid;
	pt->ppid = l->parent ? l->parent->pid : 0;
	pt->nthreads = thread_group_count(t);
	pt->pgid = t->pgid;
	pt->sid = t->sid;
	spin_lock(&t->lock);
	strlcpy(pt->name, t->name, sizeof(pt->name));
	pt->state = state_letter(t);
	pt->abi = t->abi ? t->abi->name : "kernel";
	pt->cpu = t->on_cpu >= 0 ? t->on_cpu : 0;
	pt->exit_status = t->exit_status;
	pt->cpu_ns = t->cpu_ns;
	pt->cpu_ns_children = t->cpu_ns_children;
	pt->start_ns = t->start_ns;
	pt->sig_pending = t->sig_pending | t->tg->sig_pending;
	pt->sig_ignored = signal_ignored_mask(t);
	pt->nice = t->sched_nice;
	pt->policy = t->sched_policy;
	pt->rt_priority = t->sched_rt_priority;
	pt->mm = t->mm ? mm_get(t->mm) : NULL;
	pt->fs = t->fs ? fs_struct_get(t->fs) : NULL;
	pt->handles = t->handles ? handle_table_get(t->handles) : NULL;
	spin_unlock(&t->lock);
}

static int find_fn(struct task *t, void *arg)
{
	struct find_ctx *c = arg;

	if (t->pid != c->pid || !shown(t))
		return 0;
	c->found = true;
	if (c->out)
		snapshot(t, c->out);
	return 1;
}

bool proc_task_exists(pid_t pid)
{
	struct find_ctx c = {.pid = pid};

	task_for_each(find_fn, &c);
	return c.found;
}

int proc_task_get(pid_t pid, struct proc_task *out)
{
	struct find_ctx c = {.pid = pid, .out = out};

	task_for_each(find_fn, &c);
	return c.found ? 0 : -ESRCH;
}

void proc_task_put(struct proc_task *pt)
{
	if (pt->handles)
		handle_table_put(pt->handles);
	if (pt->fs)
		fs_struct_put(pt->fs);
	if (pt->mm)
		mm_put(pt->mm);
	pt->handles = NULL;
	pt->fs = NULL;
	pt->mm = NULL;
}

/* The smallest pids >= from, in order (the callback must not sleep: it
 * runs under task_tree_lock, so procfs copies them out first). */
#define PID_BATCH 64

struct pid_batch {
	pid_t from;
	pid_t pids[PID_BATCH];
	int n;
};

static int batch_fn(struct task *t, void *arg)
{
	struct pid_batch *b = arg;
	int i;

	if (t->pid < b->from || !shown(t) || t != task_leader(t))
		return 0; /* processes only; a thread is reached by its tid */
	if (b->n == PID_BATCH && t->pid > b->pids[PID_BATCH - 1])
		return 0;
	i = b->n < PID_BATCH ? b->n++ : PID_BATCH - 1;
	for (; i > 0 && b->pids[i - 1] > t->pid; i--)
		b->pids[i] = b->pids[i - 1];
	b->pids[i] = t->pid;
	return 0;
}

int proc_for_each_pid(pid_t from, int (*fn)(pid_t pid, void *ctx), void *ctx)
{
	struct pid_batch b;

	for (;;) {
		b.from = from;
		b.n = 0;
		task_for_each(batch_fn, &b);
		for (int i = 0; i < b.n; i++) {
			int r = fn(b.pids[i], ctx);
			if (r)
				return r;
		}
		if (b.n < PID_BATCH)
			return 0;
		from = b.pids[PID_BATCH - 1] + 1;
	}
}

void proc_read_memory(struct mm *mm, uint64_t start, uint64_t end, struct textbuf *out)
{
	while (start < end && !out->err) {
		uint64_t chunk = MIN(end - start, PAGE_SIZE - (start & (PAGE_SIZE - 1)));
		const char *p = vm_user_ptr(mm, start, false);
		if (!p)
			return;
		tb_put(out, p, chunk);
		start += chunk;
	}
}

static int census_fn(struct task *t, void *arg)
{
	struct proc_census *c = arg;

	if (!shown(t))
		return 0;
	c->total++;
	spin_lock(&t->lock);
	if (t->state == TASK_RUNNING || t->state == TASK_RUNNABLE)
		c->running++;
	else if (t->state == TASK_SLEEPING && !t->sleep_interruptible)
		c->blocked++;
	spin_unlock(&t->lock);
	return 0;
}

void proc_census(struct proc_census *c)
{
	memset(c, 0, sizeof(*c));
	task_for_each(census_fn, c);
}
