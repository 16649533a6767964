/*
 * Linux process calls: exit, ids, thread-library start-up registrations,
 * uname.  Creation, exec and wait are in sys_spawn.c, groups, limits and
 * scheduling in sys_sched.c.
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "arch/riscv64/cpu.h"
#include "core/sysctl.h"
#include "proc/pgrp.h"
#include "proc/pid_ns.h"
#include "proc/sched.h"
#include "proc/task.h"
#include "proc/thread_group.h"
#include "proc/uts_ns.h"

LINUX_SYSCALL(exit)
{
	LINUX_UNUSED();
	task_exit(W_EXITCODE((int)a0, 0));
}

LINUX_SYSCALL(exit_group)
{
	LINUX_UNUSED();
	thread_group_exit(W_EXITCODE((int)a0, 0));
}

LINUX_SYSCALL(getpid)
{
	LINUX_UNUSED();
	return task_tgid_vnr(current());
}

LINUX_SYSCALL(gettid)
{
	LINUX_UNUSED();
	return task_pid_vnr(current());
}

/* 0 when the parent is outside the caller's pid namespace, as Linux. */
LINUX_SYSCALL(getppid)
{
	LINUX_UNUSED();
	spin_lock(&task_tree_lock);
	struct task *p = task_leader(current())->parent;
	pid_t pid = p ? task_pid_vnr(p) : 0;
	spin_unlock(&task_tree_lock);
	return pid;
}

/* The word is zeroed and futex-woken when the task leaves an address
 * space others share (proc/futex.h). */
LINUX_SYSCALL(set_tid_address)
{
	LINUX_UNUSED();
	current()->clear_child_tid = a0;
	return task_pid_vnr(current());
}

LINUX_SYSCALL(uname)
{
	LINUX_UNUSED();
	struct linux_utsname u;
	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Linux", sizeof(u.sysname));
	sysctl_get_str(SYSCTL_HOSTNAME, u.nodename, sizeof(u.nodename));
	strlcpy(u.release, "6.1.0-scarlet", sizeof(u.release));
	strlcpy(u.version, "#1 Scarlet", sizeof(u.version));
	strlcpy(u.machine, "riscv64", sizeof(u.machine));
	sysctl_get_str(SYSCTL_DOMAINNAME, u.domainname, sizeof(u.domainname));
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
	if (pid == 0 || pid == task_pid_vnr(current())) {
		r = rlimit_get_set(current(), res, unew ? &nl : NULL, &ol);
	} else {
		spin_lock(&task_tree_lock);
		struct task *t = task_find_vnr(pid);
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

/* The thread tid (0: the caller), or NULL.  task_tree_lock held. */
static struct task *find_thread(pid_t tid)
{
	if (tid == 0)
		return current();
	struct task *t = task_find_vnr(tid);
	return t && t->state != TASK_ZOMBIE ? t : NULL;
}

/* Affinity masks are cpu_set_t bit arrays; harts beyond 64 are not
 * supported, so one 64-bit word carries them all. */
LINUX_SYSCALL(sched_getaffinity)
{
	LINUX_UNUSED();
	size_t len = a1;
	if (len * 8 < (size_t)ncpus || (len & (sizeof(uint64_t) - 1)))
		return -EINVAL;
	if ((pid_t)a0 < 0)
		return -EINVAL;
	spin_lock(&task_tree_lock);
	struct task *t = find_thread((pid_t)a0);
	uint64_t mask = t ? t->cpu_allowed & sched_online_mask() : 0;
	spin_unlock(&task_tree_lock);
	if (!t)
		return -ESRCH;
	if (copy_to_user((void *)a2, &mask, sizeof(mask)) < 0)
		return -EFAULT;
	return sizeof(mask);
}

LINUX_SYSCALL(sched_setaffinity)
{
	LINUX_UNUSED();
	uint64_t mask = 0;
	if (copy_from_user(&mask, (void *)a2, MIN((size_t)a1, sizeof(mask))) < 0)
		return -EFAULT;
	if ((pid_t)a0 < 0)
		return -EINVAL;
	spin_lock(&task_tree_lock);
	struct task *t = find_thread((pid_t)a0);
	if (!t) {
		spin_unlock(&task_tree_lock);
		return -ESRCH;
	}
	if (t == current()) {
		spin_unlock(&task_tree_lock);
		return sched_set_affinity(t, mask); /* may switch harts */
	}
	long r = sched_set_affinity(t, mask);
	spin_unlock(&task_tree_lock);
	return r;
}

/* The hart the caller runs on; one NUMA node. */
LINUX_SYSCALL(getcpu)
{
	LINUX_UNUSED();
	unsigned cpu = (unsigned)this_cpu()->id, node = 0;
	if (a0 && copy_to_user((void *)a0, &cpu, sizeof(cpu)) < 0)
		return -EFAULT;
	if (a1 && copy_to_user((void *)a1, &node, sizeof(node)) < 0)
		return -EFAULT;
	return 0;
}
