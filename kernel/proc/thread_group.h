/*
 * Thread groups: the threads of one process.  A task's pid is its thread
 * id; the process id (tgid, what getpid() returns) is the pid of the
 * group's leader.  What POSIX says belongs to the process lives here,
 * shared by its threads: signals sent to the process (pending set and
 * their siginfo), the exit of the whole group (exit_group, a fatal signal,
 * exec from a thread), the group stop of job control, the thread list.
 *
 * Parent and child relations belong to the leader: a child created by any
 * thread hangs off the leader, wait from any thread looks there, and the
 * leader stays a zombie until the last thread has ended; only then does
 * its parent see the process exit.  Other threads never become waitable
 * zombies: the scheduler frees them once they are off their hart.
 *
 * Every task is in a group (a single-threaded process is a group of one).
 * Locking: tg->lock protects everything here and the per-thread signal
 * state other threads touch (stop_requested); it nests inside
 * task_tree_lock and outside every task's lock.
 */
#ifndef PROC_THREAD_GROUP_H
#define PROC_THREAD_GROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/list.h"
#include "core/spinlock.h"
#include "core/types.h"
#include "proc/signal.h"
#include "proc/wait.h"

struct task;
struct ptimer_set;

struct thread_group {
	int refcount; /* one per task, live or zombie */
	struct spinlock lock;
	struct task *leader; /* its pid is the tgid; may be a zombie while others run */
	struct list threads; /* live threads (task.tg_node) */
	int nr_live;         /* length of threads */

	/* signals sent to the process */
	uint64_t sig_pending;
	struct ksiginfo sig_info[SIG_MAX];

	/* the group's end */
	bool group_exit;          /* every thread is being killed */
	int exit_status;          /* wait() encoding, valid with group_exit */
	struct task *exec_task;   /* a thread exec'ing waits for the others to end */
	struct waitqueue exit_wq; /* woken when a thread ends */
	uint64_t exited_cpu_ns;   /* CPU time of threads that ended */
	uint64_t exited_user_ns;

	/* job control: a stop signal stops every thread */
	int stop_signal;    /* group stop asked for or in force, 0: none */
	int nr_stopped;     /* threads stopped for it */
	bool stopped;       /* every live thread stopped */
	bool stop_reported; /* wait(WUNTRACED) has seen it */
	bool continued;     /* resumed by SIGCONT, not yet seen by WCONTINUED */

	struct ptimer_set *timers; /* proc/ptimer.h; NULL until first used */

	/* process controls (proc/procctl.h), under task_tree_lock */
	bool child_subreaper; /* adopts orphaned descendants */
	bool dumpable;        /* may dump core and be inspected */
};

/* A group of one with t as leader; NULL when out of memory. */
struct thread_group *thread_group_create(struct task *t);
void thread_group_put(struct thread_group *tg);
/* Another reference (a timer on the process's CPU time). */
void thread_group_get(struct thread_group *tg);
/* CPU time of the process: every thread's, running slices included, and
 * its ended threads'; user: the user-mode part.  Takes tg->lock. */
void thread_group_cputime(struct thread_group *tg, uint64_t *cpu, uint64_t *user);
/* Adds the new task c to tg (CLONE_THREAD), dropping c's own group.
 * -EAGAIN when the group is ending.  task_tree_lock held. */
int thread_group_join(struct task *c, struct thread_group *tg);

/* The process id of t. */
pid_t task_tgid(struct task *t);
/* The task standing for t's process in the process tree. */
struct task *task_leader(struct task *t);

/* exit_group: ends every thread of the current process with status
 * (wait() encoding; the first group exit's status wins). */
void thread_group_exit(int status) __attribute__((noreturn));
/* Starts the end of t's group (other threads get SIGKILL); returns the
 * status the group ends with.  A group already ending keeps its status,
 * except that one ending for an exec is taken over when override is set
 * (exit_group, a fatal signal; not the SIGKILL the exec itself sent). */
int thread_group_exit_begin(struct task *t, int status, bool override);
/* For task_exit: takes t off the live list.  Returns true when t was the
 * last thread; *status becomes the group's when the group is exiting.
 * task_tree_lock held. */
bool thread_group_leave(struct task *t, int *status);
/* Exec from any thread: kills the other threads and waits for them to be
 * gone; a non-leader then takes over the leader's pid and place in the
 * process tree.  Also gives t its own signal dispositions if it shared
 * them.  -EAGAIN if the group is already ending (another exec or exit),
 * -EINTR when killed meanwhile, -ENOMEM. */
int thread_group_exec(struct task *t);
/* Sets the process group and session of every thread of t's group;
 * task_tree_lock held. */
void thread_group_set_ids(struct task *t, pid_t pgid, pid_t sid);
/* Number of live threads of t's process. */
int thread_group_count(struct task *t);

#endif
