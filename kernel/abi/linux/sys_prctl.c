/*
 * prctl(2) and seccomp(2) over proc/procctl.h.  Options are Linux 6.1's;
 * those that do not apply to this machine or kernel fail as Linux fails
 * them on a riscv64 kernel without the feature (EINVAL), never ENOSYS.
 * seccomp has its strict mode only (as a kernel built without
 * CONFIG_SECCOMP_FILTER: filters are EINVAL).
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "proc/procctl.h"
#include "proc/task.h"
#include "proc/thread_group.h"

enum {
	PR_SET_PDEATHSIG = 1,
	PR_GET_PDEATHSIG = 2,
	PR_GET_DUMPABLE = 3,
	PR_SET_DUMPABLE = 4,
	PR_GET_KEEPCAPS = 7,
	PR_SET_KEEPCAPS = 8,
	PR_SET_NAME = 15,
	PR_GET_NAME = 16,
	PR_GET_SECCOMP = 21,
	PR_SET_SECCOMP = 22,
	PR_CAPBSET_READ = 23,
	PR_CAPBSET_DROP = 24,
	PR_GET_SECUREBITS = 27,
	PR_SET_TIMERSLACK = 29,
	PR_GET_TIMERSLACK = 30,
	PR_SET_CHILD_SUBREAPER = 36,
	PR_GET_CHILD_SUBREAPER = 37,
	PR_SET_NO_NEW_PRIVS = 38,
	PR_GET_NO_NEW_PRIVS = 39,
	PR_GET_TID_ADDRESS = 40,
	PR_CAP_AMBIENT = 47,
};

#define SECCOMP_MODE_STRICT      1
#define SECCOMP_MODE_FILTER      2
#define SECCOMP_SET_MODE_STRICT  0
#define COMM_LEN                 16 /* Linux's TASK_COMM_LEN */
#define CAP_LAST_CAP             40
#define PR_CAP_AMBIENT_IS_SET    1
#define PR_CAP_AMBIENT_RAISE     2
#define PR_CAP_AMBIENT_LOWER     3
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#define TIMERSLACK_NS            50000 /* Linux's default; slack is not used */

static long put_int(uint64_t uaddr, int v)
{
	return copy_to_user((void *)uaddr, &v, sizeof(v)) < 0 ? -EFAULT : 0;
}

static long set_name(uint64_t uname)
{
	char name[COMM_LEN];
	long n = strncpy_from_user(name, (const char *)uname, sizeof(name) - 1);
	if (n < 0 && n != -ENAMETOOLONG) /* a longer name is cut */
		return -EFAULT;
	name[COMM_LEN - 1] = 0;
	task_set_name(current(), name);
	return 0;
}

static long get_name(uint64_t uname)
{
	char name[COMM_LEN] = {0};
	strlcpy(name, current()->name, sizeof(name));
	return copy_to_user((void *)uname, name, sizeof(name)) < 0 ? -EFAULT : 0;
}

static long set_dumpable(uint64_t v)
{
	if (v > 1) /* 2 (SUID_DUMP_ROOT) is for the sysctl only */
		return -EINVAL;
	spin_lock(&task_tree_lock);
	current()->tg->dumpable = v;
	spin_unlock(&task_tree_lock);
	return 0;
}

static long set_subreaper(uint64_t v)
{
	spin_lock(&task_tree_lock);
	current()->tg->child_subreaper = v != 0;
	spin_unlock(&task_tree_lock);
	return 0;
}

static long set_seccomp(uint64_t mode)
{
	if (mode == SECCOMP_MODE_STRICT)
		return procctl_seccomp_strict();
	if (mode == SECCOMP_MODE_FILTER)
		abi_log_missing("linux: pid %d: seccomp filters are not supported\n",
		                current()->pid);
	return -EINVAL;
}

/* Ambient capabilities: none are ever held (capabilities follow the
 * uids, sys_cred.c), so none can be raised. */
static long cap_ambient(uint64_t op, uint64_t cap, uint64_t a3, uint64_t a4)
{
	if (a4 || (op != PR_CAP_AMBIENT_CLEAR_ALL && a3) ||
	    (op == PR_CAP_AMBIENT_CLEAR_ALL && (cap || a3)))
		return -EINVAL;
	if (op == PR_CAP_AMBIENT_CLEAR_ALL)
		return 0;
	if (op < PR_CAP_AMBIENT_IS_SET || op > PR_CAP_AMBIENT_LOWER || cap > CAP_LAST_CAP)
		return -EINVAL;
	if (op == PR_CAP_AMBIENT_RAISE)
		return -EPERM; /* not in the permitted and inheritable sets */
	return 0;
}

/* Options taking no arguments beyond arg2 check that the rest are 0. */
#define ARGS_ZERO(...) (((__VA_ARGS__) != 0) ? -EINVAL : 0)

LINUX_SYSCALL(prctl)
{
	LINUX_UNUSED();
	struct task *t = current();
	long r;
	switch ((int)a0) {
	case PR_SET_PDEATHSIG:
		return procctl_set_pdeathsig((int)a1 == (int64_t)a1 ? (int)a1 : -1);
	case PR_GET_PDEATHSIG:
		return put_int(a1, t->ctl.pdeathsig);
	case PR_GET_DUMPABLE:
		return t->tg->dumpable;
	case PR_SET_DUMPABLE:
		return set_dumpable(a1);
	case PR_GET_KEEPCAPS:
		return cred_current()->keepcaps;
	case PR_SET_KEEPCAPS:
		if (a1 > 1)
			return -EINVAL;
		if (!cred_current_mut())
			return -EINVAL;
		cred_current_mut()->keepcaps = a1;
		return 0;
	case PR_SET_NAME:
		return set_name(a1);
	case PR_GET_NAME:
		return get_name(a1);
	case PR_GET_SECCOMP:
		return t->ctl.seccomp;
	case PR_SET_SECCOMP:
		return set_seccomp(a1);
	case PR_CAPBSET_READ:
		return a1 <= CAP_LAST_CAP ? !(t->ctl.capbset_dropped & (1ull << a1)) : -EINVAL;
	case PR_CAPBSET_DROP:
		if (a1 > CAP_LAST_CAP)
			return -EINVAL;
		if (!cred_capable(cred_current(), CAP_SETPCAP))
			return -EPERM;
		t->ctl.capbset_dropped |= 1ull << a1;
		return 0;
	case PR_GET_SECUREBITS:
		return cred_current()->keepcaps ? 1 << 4 : 0; /* SECBIT_KEEP_CAPS */
	case PR_SET_TIMERSLACK: /* recorded; timers do not batch wake-ups */
		t->ctl.timerslack_ns = (int64_t)a1 <= 0 ? TIMERSLACK_NS : a1;
		return 0;
	case PR_GET_TIMERSLACK:
		return t->ctl.timerslack_ns ? (long)t->ctl.timerslack_ns : TIMERSLACK_NS;
	case PR_SET_CHILD_SUBREAPER:
		return set_subreaper(a1);
	case PR_GET_CHILD_SUBREAPER:
		return put_int(a1, t->tg->child_subreaper);
	case PR_SET_NO_NEW_PRIVS:
		if (a1 != 1 || a2 || a3 || a4)
			return -EINVAL;
		t->ctl.no_new_privs = true;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if ((r = ARGS_ZERO(a1 | a2 | a3 | a4)) < 0)
			return r;
		return t->ctl.no_new_privs;
	case PR_GET_TID_ADDRESS:
		return copy_to_user((void *)a1, &t->clear_child_tid, 8) < 0 ? -EFAULT : 0;
	case PR_CAP_AMBIENT:
		return cap_ambient(a1, a2, a3, a4);
	default:
		abi_log_missing("linux: pid %d: prctl option %d is not supported\n", t->pid,
		                (int)a0);
		return -EINVAL;
	}
}

LINUX_SYSCALL(seccomp)
{
	LINUX_UNUSED();
	if (a0 == SECCOMP_SET_MODE_STRICT) {
		if (a1 || a2)
			return -EINVAL;
		return procctl_seccomp_strict();
	}
	abi_log_missing("linux: pid %d: seccomp operation %lu is not supported\n", current()->pid,
	                (unsigned long)a0);
	return -EINVAL;
}
