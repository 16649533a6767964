/*
 * Linux process calls of the first part: exit, ids, thread-library
 * start-up registrations, uname, resource limits.
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "proc/task.h"

LINUX_SYSCALL(exit)
{
	LINUX_UNUSED();
	task_exit(W_EXITCODE((int)a0, 0));
}

LINUX_SYSCALL(exit_group)
{
	LINUX_UNUSED();
	task_exit(W_EXITCODE((int)a0, 0));
}

LINUX_SYSCALL(getpid)
{
	LINUX_UNUSED();
	return current()->pid;
}

LINUX_SYSCALL(gettid)
{
	LINUX_UNUSED();
	return current()->pid;
}

LINUX_SYSCALL(getppid)
{
	LINUX_UNUSED();
	spin_lock(&task_tree_lock);
	struct task *p = current()->parent;
	pid_t pid = p ? p->pid : 0;
	spin_unlock(&task_tree_lock);
	return pid;
}

/* Every task runs as root until users come (part 2). */
LINUX_SYSCALL(getuid)
{
	LINUX_UNUSED();
	return 0;
}

LINUX_SYSCALL(geteuid)
{
	LINUX_UNUSED();
	return 0;
}

LINUX_SYSCALL(getgid)
{
	LINUX_UNUSED();
	return 0;
}

LINUX_SYSCALL(getegid)
{
	LINUX_UNUSED();
	return 0;
}

/* The clear-child-tid address matters to threads (part 2); a
 * single-threaded process only needs its tid back. */
LINUX_SYSCALL(set_tid_address)
{
	LINUX_UNUSED();
	return current()->pid;
}

/* The robust futex list is walked at thread exit (part 2, with futexes);
 * accepted here when well-formed, as Linux does. */
#define ROBUST_LIST_HEAD_SIZE 24
LINUX_SYSCALL(set_robust_list)
{
	LINUX_UNUSED();
	return a1 == ROBUST_LIST_HEAD_SIZE ? 0 : -EINVAL;
}

LINUX_SYSCALL(uname)
{
	LINUX_UNUSED();
	struct linux_utsname u;
	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Linux", sizeof(u.sysname));
	strlcpy(u.nodename, "scarlet", sizeof(u.nodename));
	strlcpy(u.release, "6.1.0-scarlet", sizeof(u.release));
	strlcpy(u.version, "#1 Scarlet", sizeof(u.version));
	strlcpy(u.machine, "riscv64", sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_to_user((void *)a0, &u, sizeof(u));
}

#define RLIMIT_STACK   3
#define RLIMIT_NOFILE  7
#define RLIMIT_NLIMITS 16
#define RLIM_INFINITY  (~0UL)

/* prlimit64 on the caller: reports the limits the kernel enforces;
 * setting them is part 1's remaining work. */
LINUX_SYSCALL(prlimit64)
{
	LINUX_UNUSED();
	if (a0 != 0 && (pid_t)a0 != current()->pid)
		return -ESRCH;
	if (a1 >= RLIMIT_NLIMITS)
		return -EINVAL;
	if (a2) {
		printk("linux: pid %d: setting resource limits is not implemented yet\n",
		       current()->pid);
		return -ENOSYS;
	}
	if (a3) {
		struct linux_rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
		if (a1 == RLIMIT_STACK)
			rl.cur = rl.max = (8UL << 20);
		if (a1 == RLIMIT_NOFILE)
			rl.cur = rl.max = 256;
		return copy_to_user((void *)a3, &rl, sizeof(rl));
	}
	return 0;
}
