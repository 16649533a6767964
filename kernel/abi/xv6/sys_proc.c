/*
 * xv6 process system calls: fork, exit, wait, kill, getpid, exec.
 *
 * xv6 semantics kept: at most NPROC xv6 processes exist at once (fork
 * fails beyond); kill takes only a pid and kills; wait reports the
 * child's full exit(n) value, or -1 for a child that was killed; exec
 * takes at most MAXARG-1 arguments and no environment.
 */
#include <scarlet/abi.h>

#include "abi/abi.h"
#include "abi/xv6/xv6.h"
#include "core/kernel.h"
#include "core/uaccess.h"
#include "exec/exec.h"
#include "proc/task.h"

static int count_one(struct task *t, void *ctx)
{
	if (t->abi == &xv6_abi && t->state != TASK_UNUSED)
		(*(int *)ctx)++;
	return 0;
}

int xv6_count_procs(void)
{
	int n = 0;
	task_for_each(count_one, &n);
	return n;
}

XV6_SYSCALL(fork)
{
	(void)a0, (void)a1, (void)a2;
	if (xv6_count_procs() >= XV6_NPROC)
		return -EAGAIN;
	return task_fork();
}

XV6_SYSCALL(exit)
{
	(void)a1, (void)a2;
	task_exit(xv6_exit_status((int)a0));
}

/* Whether the status can be stored at uaddr: xv6 fails such a wait
 * before reaping the child, which stays there to be waited for. */
static bool status_writable(uint64_t uaddr)
{
	int v;
	return copy_from_user(&v, (const void *)uaddr, sizeof(v)) == 0 &&
	       copy_to_user((void *)uaddr, &v, sizeof(v)) == 0;
}

XV6_SYSCALL(wait)
{
	(void)a1, (void)a2;
	int st = 0;
	if (a0 && !status_writable(a0))
		return -EFAULT;
	pid_t pid = task_wait(-1, &st, 0);
	if (pid < 0)
		return pid;
	int xst = xv6_wait_status(st);
	if (a0 && copy_to_user((void *)a0, &xst, sizeof(xst)) < 0)
		return -EFAULT;
	return pid;
}

XV6_SYSCALL(kill)
{
	(void)a1, (void)a2;
	int pid = (int)a0;
	if (pid <= 0)
		return -ESRCH; /* xv6 names one process, never a group */
	return signal_kill(pid, SIGKILL);
}

XV6_SYSCALL(getpid)
{
	(void)a0, (void)a1, (void)a2;
	return current()->pid;
}

/* exec with the cut name, or the full one when only that exists. */
static int exec_path(const struct xv6_path *p, struct exec_args *args)
{
	int r = exec_program(p->cut, args);
	const char *retry = xv6_path_retry(p, r);
	return retry ? exec_program(retry, args) : r;
}

XV6_SYSCALL(exec)
{
	(void)a2;
	struct xv6_path p;
	int r = xv6_path_get(a0, &p);
	if (r < 0)
		return r;
	struct exec_args args;
	r = exec_args_from_user(&args, (const char *const *)a1, NULL);
	if (r < 0)
		return r;
	r = args.argc >= XV6_MAXARG ? -E2BIG : exec_path(&p, &args);
	exec_args_free(&args);
	if (r < 0)
		return r;
	/* the new image is in place: keep the a0 its ABI set (argc) */
	return (long)tf_a(current()->tf, 0);
}
