/*
 * Linux signal calls: dispositions (rt_sigaction), masks, pending and
 * waiting, the alternate stack, and sending (kill, tkill, tgkill,
 * rt_sigqueueinfo).  kill and rt_sigqueueinfo signal a process, tkill
 * and tgkill one thread.  rt_sigreturn is with the frame code in signal_frame.c.
 */
#include "abi/linux/linux.h"
#include "abi/linux/signal.h"
#include "arch/riscv64/timer.h"
#include "proc/task.h"
#include "proc/thread_group.h"

LINUX_SYSCALL(rt_sigaction)
{
	LINUX_UNUSED();
	int sig = (int)a0;
	if (a3 != LINUX_SIGSET_SIZE)
		return -EINVAL;
	struct linux_sigaction la;
	struct ksigaction act, old;
	if (a1) {
		if (copy_from_user(&la, (void *)a1, sizeof(la)) < 0)
			return -EFAULT;
		act =
		    (struct ksigaction){.handler = la.handler, .flags = la.flags, .mask = la.mask};
	}
	int r = signal_action(sig, a1 ? &act : NULL, &old);
	if (r < 0)
		return r;
	if (a2) {
		la = (struct linux_sigaction){
		    .handler = old.handler, .flags = old.flags, .mask = old.mask};
		if (copy_to_user((void *)a2, &la, sizeof(la)) < 0)
			return -EFAULT;
	}
	return 0;
}

LINUX_SYSCALL(rt_sigprocmask)
{
	LINUX_UNUSED();
	if (a3 != LINUX_SIGSET_SIZE)
		return -EINVAL;
	uint64_t set, old;
	if (a1 && copy_from_user(&set, (void *)a1, sizeof(set)) < 0)
		return -EFAULT;
	int r = a1 ? signal_mask((int)a0, set, &old) : signal_mask(0, 0, &old);
	if (r < 0)
		return r;
	if (a2 && copy_to_user((void *)a2, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

LINUX_SYSCALL(rt_sigpending)
{
	LINUX_UNUSED();
	if (a1 > LINUX_SIGSET_SIZE)
		return -EINVAL;
	uint64_t set = signal_pending_set();
	return copy_to_user((void *)a0, &set, a1) < 0 ? -EFAULT : 0;
}

LINUX_SYSCALL(rt_sigsuspend)
{
	LINUX_UNUSED();
	uint64_t mask;
	if (a1 != LINUX_SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&mask, (void *)a0, sizeof(mask)) < 0)
		return -EFAULT;
	return signal_suspend(mask);
}

LINUX_SYSCALL(rt_sigtimedwait)
{
	LINUX_UNUSED();
	uint64_t set, deadline = 0;
	if (a3 != LINUX_SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&set, (void *)a0, sizeof(set)) < 0)
		return -EFAULT;
	if (a2) {
		struct linux_timespec ts;
		if (copy_from_user(&ts, (void *)a2, sizeof(ts)) < 0)
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		deadline = timer_now_ns() + (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
	}
	struct ksiginfo ki;
	int sig = signal_wait(set, deadline, &ki);
	if (sig > 0 && a1) {
		struct linux_siginfo li;
		linux_siginfo_from(&li, &ki);
		if (copy_to_user((void *)a1, &li, sizeof(li)) < 0)
			return -EFAULT;
	}
	return sig;
}

LINUX_SYSCALL(sigaltstack)
{
	LINUX_UNUSED();
	struct task *t = current();
	uint64_t sp = tf_sp(t->tf);
	struct linux_stack old = {.sp = t->sig_altstack.sp,
	                          .size = t->sig_altstack.size,
	                          .flags = linux_altstack_flags(t, sp)};
	if (a0) {
		struct linux_stack ns;
		if (copy_from_user(&ns, (void *)a0, sizeof(ns)) < 0)
			return -EFAULT;
		if (linux_on_altstack(t, sp))
			return -EPERM;
		int mode = ns.flags & ~(int)SS_AUTODISARM;
		if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			t->sig_altstack = (struct sigaltstack_k){.flags = SS_DISABLE};
		} else {
			if (ns.size < LINUX_MINSIGSTKSZ)
				return -ENOMEM;
			t->sig_altstack = (struct sigaltstack_k){
			    .sp = ns.sp, .size = ns.size, .flags = ns.flags & (int)SS_AUTODISARM};
		}
	}
	if (a1 && copy_to_user((void *)a1, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

static struct ksiginfo user_info(int code)
{
	return (struct ksiginfo){.code = code, .kind = SIK_KILL, .pid = task_tgid(current())};
}

LINUX_SYSCALL(kill)
{
	LINUX_UNUSED();
	struct ksiginfo info = user_info(SI_USER);
	return signal_kill_info((pid_t)a0, (int)a1, &info);
}

/* tgid 0: any process (tkill). */
static long thread_kill(pid_t tgid, pid_t tid, int sig)
{
	if (tid <= 0 || (tgid != 0 && tgid <= 0))
		return -EINVAL;
	struct ksiginfo info = user_info(SI_TKILL);
	return signal_kill_thread(tgid, tid, sig, &info);
}

LINUX_SYSCALL(tkill)
{
	LINUX_UNUSED();
	return thread_kill(0, (pid_t)a0, (int)a1);
}

LINUX_SYSCALL(tgkill)
{
	LINUX_UNUSED();
	if ((pid_t)a0 <= 0)
		return -EINVAL;
	return thread_kill((pid_t)a0, (pid_t)a1, (int)a2);
}

/* rt_sigqueueinfo: the caller's siginfo, but only self may claim a
 * kernel or kill() origin (si_code >= 0, or SI_TKILL). */
LINUX_SYSCALL(rt_sigqueueinfo)
{
	LINUX_UNUSED();
	struct linux_siginfo li;
	if (copy_from_user(&li, (void *)a2, sizeof(li)) < 0)
		return -EFAULT;
	pid_t pid = (pid_t)a0;
	if ((li.code >= 0 || li.code == SI_TKILL) && pid != task_tgid(current()))
		return -EPERM;
	struct ksiginfo info = {.code = li.code,
	                        .err = li.err,
	                        .kind = SIK_QUEUE,
	                        .pid = li.proc.pid,
	                        .uid = li.proc.uid,
	                        .value = li.proc.value};
	if (pid <= 0)
		return -ESRCH;
	return signal_kill_info(pid, (int)a1, &info);
}
