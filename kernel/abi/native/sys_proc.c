/*
 * Native process system calls: life cycle, groups, signals.
 */
#include <scarlet/abi.h>

#include "abi/native/native.h"
#include "exec/exec.h"
#include "mm/kmalloc.h"
#include "proc/sched.h"
#include "proc/task.h"

SYSCALL_DEFINE(exit)
{
	UNUSED_ARGS();
	task_exit(W_EXITCODE((int)a0, 0));
}

SYSCALL_DEFINE(fork)
{
	UNUSED_ARGS();
	return task_fork();
}

/* exec, under the ABI named abi (NULL: the one detection picks). */
static long exec_common(const char *abi, uint64_t upath, uint64_t uargv, uint64_t uenvp)
{
	char *path;
	long r = native_get_path(upath, &path);
	if (r < 0)
		return r;
	struct exec_args args;
	r = exec_args_from_user(&args, (const char *const *)uargv, (const char *const *)uenvp);
	if (r == 0) {
		r = abi ? exec_program_abi(path, &args, abi) : exec_program(path, &args);
		exec_args_free(&args);
	}
	kfree(path);
	return r;
}

SYSCALL_DEFINE(exec)
{
	UNUSED_ARGS();
	return exec_common(NULL, a0, a1, a2);
}

SYSCALL_DEFINE(exec_abi)
{
	UNUSED_ARGS();
	char abi[32];
	long r = strncpy_from_user(abi, (const char *)a0, sizeof(abi));
	if (r < 0)
		return r == -ENAMETOOLONG ? -EINVAL : r;
	return exec_common(abi, a1, a2, a3);
}

SYSCALL_DEFINE(abi_probe)
{
	UNUSED_ARGS();
	char *path, name[300];
	long r = native_get_path(a0, &path);
	if (r < 0)
		return r;
	r = exec_probe_abi(path, name, sizeof(name));
	kfree(path);
	if (r < 0)
		return r;
	size_t len = strlen(name) + 1;
	if (a2 < len)
		return -ERANGE;
	return copy_to_user((void *)a1, name, len) < 0 ? -EFAULT : (long)len - 1;
}

static int status_to_user(int status, void *ctx)
{
	return ctx ? copy_to_user(ctx, &status, sizeof(status)) : 0;
}

SYSCALL_DEFINE(wait)
{
	UNUSED_ARGS();
	if (a2 & ~(uint64_t)(WNOHANG | WUNTRACED))
		return -EINVAL;
	/* a bad status pointer leaves the child to be waited for again */
	return task_wait_deliver((pid_t)a0, (int)a2, status_to_user, (void *)a1);
}

SYSCALL_DEFINE(getpid)
{
	UNUSED_ARGS();
	return current()->pid;
}

SYSCALL_DEFINE(getppid)
{
	UNUSED_ARGS();
	spin_lock(&task_tree_lock);
	struct task *p = current()->parent;
	pid_t pid = p ? p->pid : 0;
	spin_unlock(&task_tree_lock);
	return pid;
}

SYSCALL_DEFINE(kill)
{
	UNUSED_ARGS();
	return signal_kill((pid_t)a0, (int)a1);
}

SYSCALL_DEFINE(signal)
{
	UNUSED_ARGS();
	int sig = (int)a0;
	if (sig < 1 || sig > NSIG || sig == SIGKILL || sig == SIGSTOP)
		return -EINVAL;
	if (a1 != SIG_DFL && a1 != SIG_IGN)
		return -EINVAL;
	struct ksigaction act = {.handler = a1 == SIG_IGN ? SIG_HANDLER_IGN : SIG_HANDLER_DFL}, old;
	long r = signal_action(sig, &act, &old);
	if (r < 0)
		return r;
	return old.handler == SIG_HANDLER_IGN ? SIG_IGN : SIG_DFL;
}

SYSCALL_DEFINE(setpgid)
{
	UNUSED_ARGS();
	struct task *self = current();
	pid_t pid = a0 ? (pid_t)a0 : self->pid;
	pid_t pgid = a1 ? (pid_t)a1 : pid;
	if (pgid < 0)
		return -EINVAL;
	spin_lock(&task_tree_lock);
	struct task *t = task_find(pid);
	long r = 0;
	if (!t || (t != self && t->parent != self))
		r = -ESRCH;
	else
		t->pgid = pgid;
	spin_unlock(&task_tree_lock);
	return r;
}

SYSCALL_DEFINE(getpgid)
{
	UNUSED_ARGS();
	if (a0 == 0)
		return current()->pgid;
	spin_lock(&task_tree_lock);
	struct task *t = task_find((pid_t)a0);
	long r = t ? t->pgid : -ESRCH;
	spin_unlock(&task_tree_lock);
	return r;
}

SYSCALL_DEFINE(setsid)
{
	UNUSED_ARGS();
	struct task *t = current();
	spin_lock(&task_tree_lock);
	long r = t->pgid == t->pid ? -EPERM : t->pid;
	if (r > 0)
		t->pgid = t->sid = t->pid;
	spin_unlock(&task_tree_lock);
	return r;
}

SYSCALL_DEFINE(yield)
{
	UNUSED_ARGS();
	sched_yield();
	return 0;
}

SYSCALL_DEFINE(clone)
{
	UNUSED_ARGS();
	return task_clone((unsigned)a0, a1, a2);
}
