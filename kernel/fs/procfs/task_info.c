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
	const struct pid_ns *ns;
	struct proc_task *out; /* NULL: only say whether it exists */
	bool found;
};

/* The numbers of t in ns and in each namespace below it down to t's
 * own; task_tree_lock held. */
static void snapshot_numbers(struct task *t, const struct pid_ns *ns, struct proc_task *pt)
{
	struct task *l = task_leader(t);
	pt->pid = task_pid_nr_ns(t, ns);
	pt->tgid = task_pid_nr_ns(l, ns);
	pt->ppid = task_pid_nr_ns(l->parent, ns);
	pt->pgid = pid_nr_in_ns_locked(t->pgid, ns);
	pt->sid = pid_nr_in_ns_locked(t->sid, ns);
	const struct pid_ns *own = task_pid_ns(t);
	if (!pid_ns_within(own, ns))
		return;
	pt->ns_levels = own->level - ns->level + 1;
	for (const struct pid_ns *n = own; n && n->level >= ns->level; n = n->parent) {
		int i = n->level - ns->level;
		pt->ns_pid[i] = task_pid_nr_ns(t, n);
		pt->ns_tgid[i] = task_pid_nr_ns(l, n);
		pt->ns_pgid[i] = pid_nr_in_ns_locked(t->pgid, n);
		pt->ns_sid[i] = pid_nr_in_ns_locked(t->sid, n);
	}
}

/* Fills c->out from t; task_tree_lock held. */
static void snapshot(struct task *t, const struct pid_ns *ns, struct proc_task *pt)
{
	memset(pt, 0, sizeof(*pt));
	snapshot_numbers(t, ns, pt);
	pt->nthreads = thread_group_count(t);
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
		snapshot(t, c->ns, c->out);
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
	return proc_task_get_in(&init_pid_ns, pid, out);
}

int proc_task_get_in(const struct pid_ns *ns, pid_t pid, struct proc_task *out)
{
	struct find_ctx c = {.pid = pid, .ns = ns, .out = out};

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
	const struct pid_ns *ns;
	pid_t from;
	pid_t nrs[PID_BATCH], globals[PID_BATCH];
	int n;
};

static int batch_fn(struct task *t, void *arg)
{
	struct pid_batch *b = arg;
	int i;
	pid_t nr = task_pid_nr_ns(t, b->ns); /* 0: not in the namespace */

	if (nr < b->from || nr == 0 || !shown(t) || t != task_leader(t))
		return 0; /* processes only; a thread is reached by its tid */
	if (b->n == PID_BATCH && nr > b->nrs[PID_BATCH - 1])
		return 0;
	i = b->n < PID_BATCH ? b->n++ : PID_BATCH - 1;
	for (; i > 0 && b->nrs[i - 1] > nr; i--) {
		b->nrs[i] = b->nrs[i - 1];
		b->globals[i] = b->globals[i - 1];
	}
	b->nrs[i] = nr;
	b->globals[i] = t->pid;
	return 0;
}

int proc_for_each_pid(const struct pid_ns *ns, pid_t from,
                      int (*fn)(pid_t nr, pid_t global, void *ctx), void *ctx)
{
	struct pid_batch b = {.ns = ns};

	for (;;) {
		b.from = from;
		b.n = 0;
		task_for_each(batch_fn, &b);
		for (int i = 0; i < b.n; i++) {
			int r = fn(b.nrs[i], b.globals[i], ctx);
			if (r)
				return r;
		}
		if (b.n < PID_BATCH)
			return 0;
		from = b.nrs[PID_BATCH - 1] + 1;
	}
}

pid_t proc_pid_global(const struct pid_ns *ns, pid_t nr)
{
	spin_lock(&task_tree_lock);
	struct task *t = task_find_ns(nr, ns);
	pid_t g = t && shown(t) ? t->pid : 0;
	spin_unlock(&task_tree_lock);
	return g;
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
