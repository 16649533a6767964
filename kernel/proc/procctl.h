/*
 * Process controls: the per-task and per-process switches Linux sets with
 * prctl(2) and seccomp(2), kept ABI-neutral here; the ABI decides which
 * of its calls a strict-mode task may still make.
 *
 *  - the parent-death signal: sent to a process when the thread that
 *    created it ends (and again each time it is handed on to a new parent);
 *  - the child subreaper: a process that adopts its orphaned descendants
 *    in place of init;
 *  - dumpable: whether the process may leave a core and be inspected
 *    (reset to 1 by exec, 0 after a set-user-ID exec);
 *  - no_new_privs: exec no longer grants set-user-ID/set-group-ID ids;
 *    inherited and never cleared;
 *  - keepcaps (in struct cred, proc/cred.h): a uid change away from 0
 *    keeps the permitted capabilities; cleared by exec;
 *  - the capability bounding set and timer slack: recorded and reported
 *    (capabilities follow the uids, timers do not batch wake-ups);
 *  - seccomp strict mode: nothing but a few calls, anything else ends the
 *    thread with SIGKILL; inherited and never left.
 *
 * Fields of struct task.ctl are written by the task itself only; those of
 * the thread group under task_tree_lock.
 */
#ifndef PROC_PROCCTL_H
#define PROC_PROCCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/types.h"

struct task;

enum {
	PROC_SECCOMP_DISABLED = 0,
	PROC_SECCOMP_STRICT = 1,
};

struct task_ctl {
	int pdeathsig; /* signal at the creator's end, 0: none */
	pid_t creator; /* tid of the thread that counts as parent */
	uint8_t seccomp;
	bool no_new_privs;
	uint64_t capbset_dropped; /* bounding set: the capabilities dropped */
	uint64_t timerslack_ns;   /* 0: the default */
	uint32_t personality;     /* Linux's personality(2) word, kept as given */
};

/* fork/clone: c (new, not yet linked) inherits p's controls; the death
 * signal is not inherited; a new process inherits dumpable. */
void procctl_fork(struct task *c, struct task *p, bool thread);
/* exec of the current task t; secure: the program got new ids. */
void procctl_exec(struct task *t, bool secure);
/* Thread t ended, but not the last of its process: the children it
 * created are handed to a live thread and get their death signals.
 * task_tree_lock held. */
void procctl_thread_gone(struct task *t);
/* The process of leader l ended: the new parent of its children, the
 * nearest live subreaper among its ancestors or init.  task_tree_lock
 * held. */
struct task *procctl_find_reaper(struct task *l);
/* Child c of an ended process was handed to reaper: its death signals
 * (sent in the name of dead, the ended process).  task_tree_lock held. */
void procctl_reparented(struct task *c, struct task *reaper, pid_t dead);

/* Linux's ptrace access check with the caller's real ids, as
 * pidfd_getfd, kcmp and process_vm_readv ask for it: the caller is an
 * admin, or all of t's user and group ids are the caller's real ones and
 * t's process is dumpable.  task_tree_lock held. */
bool procctl_may_access(struct task *t);

/* Sets and reads the parent-death signal of the current task. */
int procctl_set_pdeathsig(int sig);
/* Enters seccomp strict mode: -EINVAL if in another mode. */
int procctl_seccomp_strict(void);
/* Strict-mode violation: ends the current thread with SIGKILL. */
void procctl_seccomp_kill(void) __attribute__((noreturn));

#endif
