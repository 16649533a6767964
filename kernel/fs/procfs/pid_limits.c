/*
 * /proc/PID/limits: the task's resource limits in Linux's table (one
 * header line, then one line per resource: name, soft and hard limit,
 * "unlimited" for RLIM_INFINITY, and the unit).
 */
#include "fs/procfs/procfs_impl.h"

static const struct {
	const char *name, *unit;
} limit_names[RLIMIT_NLIMITS] = {
    [RLIMIT_CPU] = {"Max cpu time", "seconds"},
    [RLIMIT_FSIZE] = {"Max file size", "bytes"},
    [RLIMIT_DATA] = {"Max data size", "bytes"},
    [RLIMIT_STACK] = {"Max stack size", "bytes"},
    [RLIMIT_CORE] = {"Max core file size", "bytes"},
    [RLIMIT_RSS] = {"Max resident set", "bytes"},
    [RLIMIT_NPROC] = {"Max processes", "processes"},
    [RLIMIT_NOFILE] = {"Max open files", "files"},
    [RLIMIT_MEMLOCK] = {"Max locked memory", "bytes"},
    [RLIMIT_AS] = {"Max address space", "bytes"},
    [RLIMIT_LOCKS] = {"Max file locks", "locks"},
    [RLIMIT_SIGPENDING] = {"Max pending signals", "signals"},
    [RLIMIT_MSGQUEUE] = {"Max msgqueue size", "bytes"},
    [RLIMIT_NICE] = {"Max nice priority", NULL},
    [RLIMIT_RTPRIO] = {"Max realtime priority", NULL},
    [RLIMIT_RTTIME] = {"Max realtime timeout", "us"},
};

struct limits_ctx {
	pid_t pid;
	bool found;
	struct krlimit lim[RLIMIT_NLIMITS];
};

/* Copies the limits of the task with c->pid; task_tree_lock held. */
static int copy_limits(struct task *t, void *arg)
{
	struct limits_ctx *c = arg;

	if (t->pid != c->pid || t->state == TASK_UNUSED)
		return 0;
	spin_lock(&t->lock);
	memcpy(c->lim, t->rlimits, sizeof(c->lim));
	spin_unlock(&t->lock);
	c->found = true;
	return 1;
}

static void print_value(struct textbuf *out, uint64_t v)
{
	if (v == RLIM_INFINITY)
		tb_printf(out, "%-20s ", "unlimited");
	else
		tb_printf(out, "%-20lu ", (unsigned long)v);
}

int proc_gen_pid_limits(const struct proc_node *n, struct textbuf *out)
{
	struct limits_ctx c = {.pid = n->pid};

	if (!proc_task_exists(n->pid))
		return -ESRCH;
	task_for_each(copy_limits, &c);
	if (!c.found)
		return -ESRCH;
	tb_printf(out, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < RLIMIT_NLIMITS; i++) {
		tb_printf(out, "%-25s ", limit_names[i].name);
		print_value(out, c.lim[i].cur);
		print_value(out, c.lim[i].max);
		if (limit_names[i].unit)
			tb_printf(out, "%-10s\n", limit_names[i].unit);
		else
			tb_put(out, "\n", 1);
	}
	return 0;
}
