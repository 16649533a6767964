/*
 * Linux wait calls and resource usage: wait4, waitid, getrusage.  CPU
 * time comes from the scheduler's accounting; the other rusage fields
 * are 0 (no page-fault or context-switch counters yet).
 */
#include "abi/linux/linux.h"
#include "arch/riscv64/timer.h"
#include "obj/kobj.h"
#include "obj/pidfd.h"
#include "proc/pid_ns.h"
#include "proc/task.h"
#include "proc/thread_group.h"
#include "proc/wait_child.h"

struct linux_timeval {
	int64_t sec, usec;
};

struct linux_rusage {
	struct linux_timeval utime, stime;
	int64_t counters[14]; /* maxrss .. nivcsw */
};

/* waitid's siginfo_t for SIGCHLD (the rest of the 128 bytes is 0). */
struct linux_child_siginfo {
	int32_t signo, err, code, pad;
	int32_t pid;
	uint32_t uid;
	int32_t status;
	int32_t pad2;
	int64_t utime, stime;
	uint8_t rest[128 - 48];
};
_Static_assert(sizeof(struct linux_child_siginfo) == 128, "siginfo_t size");

#define P_ALL   0
#define P_PID   1
#define P_PGID  2
#define P_PIDFD 3

#define WAIT4_OPTIONS                                                                              \
	(WAIT_NOHANG | WAIT_STOPPED | WAIT_CONTINUED | WAIT_NOTHREAD | WAIT_CLONE | WAIT_ALL)
#define WAITID_OPTIONS (WAIT4_OPTIONS | WAIT_EXITED | WAIT_NOWAIT)

static struct linux_timeval ns_to_timeval(uint64_t ns)
{
	return (struct linux_timeval){(int64_t)(ns / 1000000000), (int64_t)(ns / 1000 % 1000000)};
}

static int rusage_to_user(uint64_t uptr, uint64_t cpu_ns, uint64_t user_ns)
{
	struct linux_rusage ru;
	memset(&ru, 0, sizeof(ru));
	if (user_ns > cpu_ns)
		user_ns = cpu_ns;
	ru.utime = ns_to_timeval(user_ns);
	ru.stime = ns_to_timeval(cpu_ns - user_ns);
	return copy_to_user((void *)uptr, &ru, sizeof(ru));
}

struct wait_out {
	uint64_t status, info, rusage; /* user pointers, 0 = not wanted */
	bool fault;
};

/* Writes the report.  As on Linux, a bad pointer does not keep the child
 * from being reaped: the call then fails with EFAULT. */
static int deliver(const struct child_report *r, void *arg)
{
	struct wait_out *o = arg;
	int st = r->status;
	if (o->status && copy_to_user((void *)o->status, &st, sizeof(st)) < 0)
		o->fault = true;
	if (o->info) {
		struct linux_child_siginfo si = {
		    .signo = SIGCHLD, .code = r->code, .pid = r->pid, .status = r->value};
		memset(si.rest, 0, sizeof(si.rest));
		if (copy_to_user((void *)o->info, &si, sizeof(si)) < 0)
			o->fault = true;
	}
	if (o->rusage && rusage_to_user(o->rusage, r->cpu_ns, r->user_ns) < 0)
		o->fault = true;
	return 0;
}

LINUX_SYSCALL(wait4)
{
	LINUX_UNUSED();
	pid_t pid = (pid_t)a0;
	unsigned options = (unsigned)a2;
	if (options & ~(unsigned)WAIT4_OPTIONS)
		return -EINVAL;
	enum wait_who who = pid > 0 ? WAIT_PID : pid == -1 ? WAIT_ANY : WAIT_PGID;
	/* a pid is the caller's number, a group goes by its global id */
	pid_t id = pid > 0 ? pid : pid == 0 ? current()->pgid : pid_vnr_to_global(-pid);
	struct wait_out o = {.status = a1, .rusage = a3};
	long r = task_wait_child(who, id, options | WAIT_EXITED, deliver, &o);
	return r > 0 && o.fault ? -EFAULT : r;
}

LINUX_SYSCALL(waitid)
{
	LINUX_UNUSED();
	int idtype = (int)a0;
	pid_t id = (pid_t)a1;
	unsigned options = (unsigned)a3;
	if ((options & ~(unsigned)WAITID_OPTIONS) ||
	    !(options & (WAIT_EXITED | WAIT_STOPPED | WAIT_CONTINUED)))
		return -EINVAL;
	enum wait_who who;
	bool nonblocking_fd = false;
	switch (idtype) {
	case P_ALL:
		who = WAIT_ANY;
		break;
	case P_PID:
		if (id <= 0)
			return -EINVAL;
		who = WAIT_PID;
		break;
	case P_PGID:
		if (id < 0)
			return -EINVAL;
		who = WAIT_PGID;
		id = id == 0 ? current()->pgid : pid_vnr_to_global(id);
		break;
	case P_PIDFD: { /* as P_PID; a non-blocking pidfd never waits (EAGAIN) */
		if (id < 0)
			return -EINVAL;
		struct kobj *o = linux_fd_get((int)id);
		if (!o || !pidfd_is(o)) {
			if (o)
				kobj_put(o);
			return -EBADF;
		}
		id = pid_vnr(pidfd_pid(o)); /* 0 (matching nothing) if not visible */
		nonblocking_fd = (o->flags & O_NONBLOCK) && !(options & WAIT_NOHANG);
		kobj_put(o);
		who = WAIT_PID;
		if (nonblocking_fd)
			options |= WAIT_NOHANG;
		break;
	}
	default:
		return -EINVAL;
	}
	struct wait_out o = {.info = a2, .rusage = a4};
	long r = task_wait_child(who, id, options, deliver, &o);
	if (r > 0 && o.fault)
		return -EFAULT;
	if (r == 0 && nonblocking_fd)
		return -EAGAIN;
	if (r == 0 && a2) { /* WNOHANG and nothing to report: a zeroed siginfo */
		struct linux_child_siginfo si;
		memset(&si, 0, sizeof(si));
		if (copy_to_user((void *)a2, &si, sizeof(si)) < 0)
			return -EFAULT;
	}
	return r < 0 ? r : 0;
}

#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD   1

LINUX_SYSCALL(getrusage)
{
	LINUX_UNUSED();
	struct task *t = current();
	int who = (int)a0;
	if (who == RUSAGE_CHILDREN) {
		spin_lock(&task_tree_lock);
		struct task *l = task_leader(t); /* children belong to the process */
		uint64_t cpu = l->cpu_ns_children, user = l->user_ns_children;
		spin_unlock(&task_tree_lock);
		return rusage_to_user(a1, cpu, user);
	}
	if (who != RUSAGE_SELF && who != RUSAGE_THREAD)
		return -EINVAL;
	uint64_t cpu, user; /* the whole process's, or the thread's */
	if (who == RUSAGE_SELF)
		thread_group_cputime(t->tg, &cpu, &user);
	else
		task_cputime(t, &cpu, &user);
	return rusage_to_user(a1, cpu, user);
}
