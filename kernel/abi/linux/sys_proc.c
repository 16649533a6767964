/*
 * Linux process calls: exit, ids, thread-library start-up registrations,
 * uname.  Creation, exec and wait are in sys_spawn.c, groups, limits and
 * scheduling in sys_sched.c.
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "arch/riscv64/cpu.h"
#include "proc/pgrp.h"
#include "proc/sched.h"
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

/* The word is zeroed when the task leaves an address space others share
 * (futex wake-ups come with futexes). */
LINUX_SYSCALL(set_tid_address)
{
	LINUX_UNUSED();
	current()->clear_child_tid = a0;
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

LINUX_SYSCALL(setpgid)
{
	LINUX_UNUSED();
	return pgrp_setpgid((pid_t)a0, (pid_t)a1);
}

LINUX_SYSCALL(getpgid)
{
	LINUX_UNUSED();
	return pgrp_getpgid((pid_t)a0);
}

LINUX_SYSCALL(getsid)
{
	LINUX_UNUSED();
	return pgrp_getsid((pid_t)a0);
}

LINUX_SYSCALL(setsid)
{
	LINUX_UNUSED();
	return pgrp_setsid();
}

/* Limits of process pid (0: the caller): reads into uold and sets from
 * unew, either may be 0. */
static long rlimit_call(pid_t pid, int res, uint64_t unew, uint64_t uold)
{
	struct krlimit nl, ol;
	if (unew && copy_from_user(&nl, (void *)unew, sizeof(nl)) < 0)
		return -EFAULT;
	long r;
	if (pid == 0 || pid == current()->pid) {
		r = rlimit_get_set(current(), res, unew ? &nl : NULL, &ol);
	} else {
		spin_lock(&task_tree_lock);
		struct task *t = task_find(pid);
		r = t && t->state != TASK_ZOMBIE ? rlimit_get_set(t, res, unew ? &nl : NULL, &ol)
		                                 : -ESRCH;
		spin_unlock(&task_tree_lock);
	}
	if (r == 0 && uold && copy_to_user((void *)uold, &ol, sizeof(ol)) < 0)
		return -EFAULT;
	return r;
}

LINUX_SYSCALL(prlimit64)
{
	LINUX_UNUSED();
	return rlimit_call((pid_t)a0, (int)a1, a2, a3);
}

LINUX_SYSCALL(getrlimit)
{
	LINUX_UNUSED();
	return rlimit_call(0, (int)a0, 0, a1);
}

LINUX_SYSCALL(setrlimit)
{
	LINUX_UNUSED();
	return rlimit_call(0, (int)a0, a1, 0);
}

LINUX_SYSCALL(sched_yield)
{
	LINUX_UNUSED();
	sched_yield();
	return 0;
}

/* The mask of online harts; every task may run on any of them. */
LINUX_SYSCALL(sched_getaffinity)
{
	LINUX_UNUSED();
	pid_t pid = (pid_t)a0;
	size_t len = a1;
	if (pid != 0 && pid != current()->pid) {
		spin_lock(&task_tree_lock);
		bool found = task_find(pid) != NULL;
		spin_unlock(&task_tree_lock);
		if (!found)
			return -ESRCH;
	}
	if (len * 8 < (size_t)ncpus || (len & (sizeof(uint64_t) - 1)))
		return -EINVAL;
	uint64_t mask = 0;
	for (int i = 0; i < ncpus && i < 64; i++)
		if (cpus[i].online)
			mask |= 1ULL << i;
	if (copy_to_user((void *)a2, &mask, sizeof(mask)) < 0)
		return -EFAULT;
	return sizeof(mask);
}
