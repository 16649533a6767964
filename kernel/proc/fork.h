/*
 * The general clone request behind fork, vfork and clone of every ABI
 * (task.h has the short forms task_fork and task_clone).
 */
#ifndef PROC_FORK_H
#define PROC_FORK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/types.h"

struct task;

struct clone_request {
	unsigned share; /* CLONE_SHARE_* of scarlet/abi.h */
	uint64_t stack; /* child's sp, 0: the parent's */
	uint64_t tls;   /* child's tp when set_tls */
	bool set_tls;
	int exit_signal;          /* sent to the parent at exit, 0: none */
	bool vfork;               /* parent waits until the child execs or exits */
	uint64_t set_child_tid;   /* child stores its tid there when it starts */
	uint64_t clear_child_tid; /* zeroed when the child leaves its memory */
	uint64_t parent_tid;      /* the tid is stored there in the parent */
	bool share_sighand;       /* share signal dispositions (needs share VM) */
	bool clear_sighand;       /* the child's copy: handlers back to SIG_DFL (not shared) */
	bool thread;              /* a thread of the caller's process (needs share_sighand) */
	bool same_parent;         /* the caller's parent is the child's (CLONE_PARENT) */
	bool new_mnt_ns;          /* the child gets a private copy of the mount tree */
	bool new_uts_ns;          /* ... and of the host and domain names */
	bool new_pid_ns;          /* the child is the init of a new pid namespace */
	bool new_ipc_ns;          /* the child gets a new, empty IPC namespace */
};

/* Creates the child; returns its pid in the caller's pid namespace (0 in
 * the child), -EINVAL for a
 * request the kernel cannot do, -EAGAIN when the caller's process is
 * ending (thread), -ENOMEM (also in a pid namespace whose init has
 * ended), -ENOSPC (pid namespaces nested too deep). */
pid_t task_clone_request(const struct clone_request *req);

/* Brings t->fpregs up to date with the live FP registers (t current). */
void task_fp_sync(struct task *t);

#endif
