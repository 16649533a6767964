/*
 * Waiting for children: the general form behind every ABI's wait calls
 * (Linux wait4 and waitid, native wait, xv6 wait).  Option bits are
 * Linux's; WNOHANG and WUNTRACED are also the native ABI's.
 */
#ifndef PROC_WAIT_CHILD_H
#define PROC_WAIT_CHILD_H

#include <stdint.h>

#include "core/types.h"

#define WAIT_NOHANG    0x00000001
#define WAIT_STOPPED   0x00000002 /* WUNTRACED */
#define WAIT_EXITED    0x00000004
#define WAIT_CONTINUED 0x00000008
#define WAIT_NOWAIT    0x01000000 /* report, but leave the child waitable */
#define WAIT_NOTHREAD  0x20000000
#define WAIT_ALL       0x40000000 /* __WALL: whatever the exit signal */
#define WAIT_CLONE     0x80000000 /* __WCLONE: only non-SIGCHLD children */

struct task;

/* WAIT_PID names a child by the waiter's number for it (proc/pid_ns.h),
 * WAIT_PGID a process group by its global id. */
enum wait_who { WAIT_ANY, WAIT_PID, WAIT_PGID };

/* What a wait reports about one child. */
struct child_report {
	pid_t pid;
	int status;               /* wait()-encoded: exit, kill, stop or 0xffff for continued */
	int code;                 /* CLD_EXITED, CLD_KILLED, CLD_STOPPED, CLD_CONTINUED */
	int value;                /* exit code or signal */
	uint64_t cpu_ns, user_ns; /* the child's, with its waited-for children */
};

/* Waits for a child of the caller selected by who/id that changed state
 * in a way options asks for (WAIT_EXITED, WAIT_STOPPED, WAIT_CONTINUED),
 * hands the report to deliver, then reaps an exited child (unless
 * WAIT_NOWAIT).  If deliver fails the child stays as it was and its error
 * is returned.  deliver runs with no lock held and may write to user
 * memory.  Returns the child's pid, 0 with WAIT_NOHANG when none is
 * ready, -ECHILD when no child matches, -EINTR. */
pid_t task_wait_child(enum wait_who who, pid_t id, unsigned options,
                      int (*deliver)(const struct child_report *r, void *ctx), void *ctx);

/* For the init of a pid namespace that ends (proc/pid_ns.h): reaps every
 * child of l, sleeping uninterruptibly until there are none. */
void task_reap_children_uninterruptible(struct task *l);

#endif
