/*
 * Linux process and thread creation and exec: clone (fork, vfork,
 * posix_spawn's CLONE_VM|CLONE_VFORK, pthread_create's CLONE_THREAD),
 * clone3 (with CLONE_CLEAR_SIGHAND, which posix_spawn asks for), execve.  New mount, UTS and pid
 * namespaces are made for the child (sys_ns.c checks the namespace flags); pidfds, ptrace, I/O
 * flags and the namespaces Scarlet lacks are refused with EINVAL and a log.
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "abi/linux/lns.h"
#include "arch/riscv64/memlayout.h"
#include "exec/exec.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "proc/fork.h"
#include "proc/task.h"

#define CSIGNAL              0x000000ffUL
#define CLONE_VM             0x00000100UL
#define CLONE_FS             0x00000200UL
#define CLONE_FILES          0x00000400UL
#define CLONE_SIGHAND        0x00000800UL
#define CLONE_VFORK          0x00004000UL
#define CLONE_PARENT         0x00008000UL
#define CLONE_THREAD         0x00010000UL
#define CLONE_SYSVSEM        0x00040000UL /* SEM_UNDO is per thread group already */
#define CLONE_SETTLS         0x00080000UL
#define CLONE_PARENT_SETTID  0x00100000UL
#define CLONE_CHILD_CLEARTID 0x00200000UL
#define CLONE_DETACHED       0x00400000UL /* ignored by Linux too */
#define CLONE_UNTRACED       0x00800000UL /* no tracing here: nothing to do */
#define CLONE_CHILD_SETTID   0x01000000UL
#define CLONE_CLEAR_SIGHAND  0x100000000UL /* clone3 only: above clone's 32 bits */

#define CLONE_SUPPORTED                                                                            \
	(CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_VFORK |               \
	 CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |        \
	 CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_UNTRACED | CLONE_CHILD_SETTID |             \
	 LCLONE_NEWNS | LCLONE_NEWUTS | LCLONE_NEWIPC | LCLONE_NEWPID | LCLONE_NEWUSER |           \
	 LCLONE_NS_MISSING | CLONE_CLEAR_SIGHAND)

struct linux_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};
#define CLONE_ARGS_SIZE_VER0 64

static long do_clone(uint64_t flags, int exit_signal, uint64_t stack, uint64_t ptid, uint64_t tls,
                     uint64_t ctid)
{
	if (flags & ~CLONE_SUPPORTED) {
		abi_log_missing("linux: pid %d: clone flags %#lx not supported\n", current()->pid,
		                flags & ~CLONE_SUPPORTED);
		return -EINVAL;
	}
	if (exit_signal < 0 || exit_signal > SIG_MAX)
		return -EINVAL;
	/* Linux's rules: a thread shares the dispositions, which need the
	 * address space the handlers live in */
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	/* a shared table cannot be reset for the child alone */
	if ((flags & CLONE_SIGHAND) && (flags & CLONE_CLEAR_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_FS) && (flags & (LCLONE_NEWNS | LCLONE_NEWUSER)))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && (flags & (LCLONE_NEWUSER | LCLONE_NEWPID)))
		return -EINVAL;
	long r = linux_ns_flags_check(flags);
	if (r < 0)
		return r;
	struct clone_request req = {
	    .share = ((flags & CLONE_VM) ? CLONE_SHARE_VM : 0) |
	             ((flags & CLONE_FS) ? CLONE_SHARE_FS : 0) |
	             ((flags & CLONE_FILES) ? CLONE_SHARE_FILES : 0),
	    .stack = stack,
	    .tls = tls,
	    .set_tls = flags & CLONE_SETTLS,
	    .exit_signal = exit_signal,
	    .vfork = flags & CLONE_VFORK,
	    .set_child_tid = (flags & CLONE_CHILD_SETTID) ? ctid : 0,
	    .clear_child_tid = (flags & CLONE_CHILD_CLEARTID) ? ctid : 0,
	    .parent_tid = (flags & CLONE_PARENT_SETTID) ? ptid : 0,
	    .share_sighand = flags & CLONE_SIGHAND,
	    .clear_sighand = flags & CLONE_CLEAR_SIGHAND,
	    .thread = flags & CLONE_THREAD,
	    .same_parent = flags & CLONE_PARENT,
	    .new_mnt_ns = flags & LCLONE_NEWNS,
	    .new_uts_ns = flags & LCLONE_NEWUTS,
	    .new_pid_ns = flags & LCLONE_NEWPID,
	    .new_ipc_ns = flags & LCLONE_NEWIPC,
	};
	/* Go's vfork is clone(CLONE_VM|CLONE_VFORK) on the parent's stack;
	 * Linux allows a shared stack without CLONE_VFORK too, but two tasks
	 * running on one stack is a bug we refuse */
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK) && !stack) {
		abi_log_missing(
		    "linux: pid %d: clone with CLONE_VM and no CLONE_VFORK needs a stack\n",
		    current()->pid);
		return -EINVAL;
	}
	return task_clone_request(&req);
}

/* riscv64 order: flags, newsp, parent_tid, tls, child_tid. */
LINUX_SYSCALL(clone)
{
	LINUX_UNUSED();
	/* Linux takes only the low 32 bits of clone's flags: the newer
	 * flags (CLONE_CLEAR_SIGHAND) are clone3's */
	uint64_t flags = (uint32_t)a0;
	return do_clone(flags & ~CSIGNAL, (int)(flags & CSIGNAL), a1, a2, a3, a4);
}

LINUX_SYSCALL(clone3)
{
	LINUX_UNUSED();
	struct linux_clone_args ca;
	size_t size = a1;
	if (size < CLONE_ARGS_SIZE_VER0 || size > PAGE_SIZE)
		return -EINVAL;
	memset(&ca, 0, sizeof(ca));
	if (copy_from_user(&ca, (void *)a0, MIN(size, sizeof(ca))) < 0)
		return -EFAULT;
	for (size_t off = sizeof(ca); off < size; off++) { /* newer fields must be 0 */
		uint8_t b;
		if (copy_from_user(&b, (const char *)a0 + off, 1) < 0)
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	if ((ca.flags & CSIGNAL) || ca.exit_signal > SIG_MAX || !ca.stack != !ca.stack_size)
		return -EINVAL;
	if (ca.set_tid || ca.set_tid_size || ca.cgroup) {
		abi_log_missing("linux: pid %d: clone3 set_tid/cgroup not supported\n",
		                current()->pid);
		return -EINVAL;
	}
	uint64_t sp = ca.stack ? ca.stack + ca.stack_size : 0;
	return do_clone(ca.flags, (int)ca.exit_signal, sp, ca.parent_tid, ca.tls, ca.child_tid);
}

LINUX_SYSCALL(execve)
{
	LINUX_UNUSED();
	char *path = kmalloc(PATH_MAX);
	if (!path)
		return -ENOMEM;
	long r = strncpy_from_user(path, (const char *)a0, PATH_MAX);
	if (r >= 0) {
		struct exec_args args;
		r = exec_args_from_user(&args, (const char *const *)a1, (const char *const *)a2);
		if (r == 0) {
			r = exec_program(path, &args);
			exec_args_free(&args);
		}
	}
	kfree(path);
	return r;
}
