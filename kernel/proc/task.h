/*
 * Tasks: the kernel's unit of execution.  A task is a thread; a process
 * is a thread group (proc/thread_group.h): the pid of a task is its
 * thread id, the process id is the group leader's pid.  Each task has a
 * kernel stack whose top holds its user trap frame.
 *
 * Locking: task->lock protects state and the sleep/wake hand-off (as in
 * xv6); task_tree_lock protects parent/child links, process groups and
 * exit/wait.
 */
#ifndef PROC_TASK_H
#define PROC_TASK_H

#include <scarlet/abi.h>

#include "arch/riscv64/cpu.h"
#include "arch/riscv64/trapframe.h"
#include "core/list.h"
#include "core/spinlock.h"
#include "core/types.h"
#include "proc/cred.h"
#include "proc/procctl.h"
#include "proc/rlimit.h"
#include "proc/signal.h"
#include "proc/wait.h"

struct mm;
struct fs_struct;
struct handle_table;
struct abi_module;
struct thread_group;

enum task_state {
	TASK_UNUSED,
	TASK_RUNNABLE,
	TASK_RUNNING,
	TASK_SLEEPING,
	TASK_STOPPED,
	TASK_ZOMBIE,
};

#define TASK_NAME_LEN 32

struct task {
	struct spinlock lock;
	enum task_state state;
	pid_t pid; /* thread id; the process id is task_tgid() */
	pid_t pgid;
	pid_t sid;
	char name[TASK_NAME_LEN];

	struct context ctx;   /* kernel registers while switched out */
	void *kstack;         /* KSTACK_SIZE bytes */
	struct trapframe *tf; /* at the top of kstack */
	uint64_t fpregs[33];  /* user f0..f31, fcsr */
	bool fp_saved;        /* fpregs hold the latest user FP state */
	int on_cpu;           /* cpu index while running, else -1 */

	struct mm *mm;
	struct fs_struct *fs;
	struct uts_ns *uts; /* proc/uts_ns.h; NULL: the initial one */
	/* proc/pid_ns.h; NULL: the initial one.  ns_nr[level] is the
	 * number in the namespace of that level (NULL at level 0). */
	struct pid_ns *pid_ns;
	struct pid_ns *pid_ns_children; /* NULL: the same as pid_ns */
	pid_t *ns_nr;
	struct ipc_ns *ipc; /* ipc/ipc_ns.h; NULL: the initial one */
	struct handle_table *handles;
	const struct abi_module *abi;
	void *abi_data; /* owned by the ABI module */

	struct thread_group *tg; /* the process this task is a thread of */
	struct list tg_node;     /* in tg->threads while alive */

	/* process tree (task_tree_lock); a non-leader thread has no parent */
	struct task *parent;
	struct list children;
	struct list sibling;
	struct list all_node; /* in the global task list */
	int exit_status;      /* wait() encoding, W_EXITCODE */
	struct waitqueue child_exit;

	int exit_signal;           /* sent to the parent at exit (0: none) */
	bool autoreap;             /* nobody waits: the scheduler frees the zombie */
	bool wait_claimed;         /* a waiter is reporting it (wait_child.c) */
	bool did_exec;             /* since fork (setpgid's EACCES) */
	struct task *vfork_parent; /* blocked until this task execs or exits */
	bool vfork_waiting;        /* (the parent's side) */
	uint64_t set_child_tid;    /* user address to store the tid at start */
	uint64_t clear_child_tid;  /* user address zeroed at exit */
	uint64_t robust_list;      /* user robust list head (proc/futex.h), 0: none */
	struct krlimit rlimits[RLIMIT_NLIMITS];
	struct cred cred;    /* proc/cred.h: written only by the task itself */
	struct task_ctl ctl; /* proc/procctl.h: prctl's switches */

	/* signals (proc/signal.h) */
	struct sighand *sighand;
	uint64_t sig_pending;
	uint64_t sig_blocked;
	uint64_t sig_saved_mask; /* sigsuspend's mask to put back */
	/* sigtimedwait's mask from before it unblocked the awaited set: those
	 * signals are still blocked for signal_dropped_when_sent (Linux's
	 * real_blocked), so an ignored SIGCHLD is not thrown away */
	uint64_t sig_real_blocked;
	bool sig_restore_mask;
	struct ksiginfo sig_info[SIG_MAX]; /* of each pending signal */
	struct sigaltstack_k sig_altstack;
	bool in_syscall;     /* returning from a system call (restart) */
	bool stop_requested; /* the group is stopping: stop at the next delivery */

	/* scheduling (proc/sched_policy.h) */
	uint8_t sched_policy;      /* SCHED_POLICY_* */
	uint8_t sched_rt_priority; /* 1..99 for FIFO and RR */
	int8_t sched_nice;         /* -20..19 */
	bool sched_reset_on_fork;
	bool sched_yielded;      /* gave the CPU up itself (goes behind its equals) */
	uint32_t sched_slice_ns; /* run in the current round-robin slice */
	uint64_t vruntime;       /* fair share: run time weighted by nice */
	struct list run_node;
	uint64_t cpu_allowed;   /* harts it may run on, bit per cpu index */
	uint64_t wake_deadline; /* timed sleep, monotonic ns; 0 = none */
	struct list timer_node;
	uint64_t cpu_ns;
	uint64_t cpu_ns_children;
	uint64_t start_ns; /* monotonic time of task_alloc (/proc stat) */
	uint64_t user_ns;  /* part of cpu_ns spent in user mode */
	uint64_t user_ns_children;
	uint64_t user_enter_ns; /* last return to user mode */
	uint64_t last_run_start;
	bool sleep_interruptible;
	bool ptimers_exited; /* proc/ptimer.h: no timer may aim at it any more */
};

/* The running task on this hart (NULL in the idle loop). */
static inline struct task *current(void)
{
	return this_cpu()->task;
}

extern struct spinlock task_tree_lock;
extern struct task *init_task;

void task_init(void);
/* Allocates a task with a kernel stack and a fresh pid, state UNUSED. */
struct task *task_alloc(const char *name);
void task_free(struct task *t);
void task_set_name(struct task *t, const char *name);
/* Finds a live task by pid (task_tree_lock held by the caller). */
struct task *task_find(pid_t pid);
/* The pid handed out last (the number of tasks created so far). */
pid_t task_last_pid(void);
/* CPU time of t, its running slice included, and the user-mode part of
 * it (up to t's last entry to the kernel).  Takes t->lock. */
void task_cputime(struct task *t, uint64_t *cpu, uint64_t *user);
/* Calls fn for each task (under task_tree_lock) until fn returns non-zero. */
int task_for_each(int (*fn)(struct task *t, void *ctx), void *ctx);
/* Same, with task_tree_lock already held. */
int task_for_each_locked(int (*fn)(struct task *t, void *ctx), void *ctx);
/* Prints every task (or those in an uninterruptible sleep) with the
 * kernel frames it waits in (proc/task_dump.c). */
void task_dump(bool blocked_only);

/* Makes a kernel thread that runs fn(arg) then exits. */
struct task *kthread_create(const char *name, void (*fn)(void *), void *arg);

/* fork: copies the current task (address space COW, handles, fs). */
pid_t task_fork(void);

/* task_clone flags are the CLONE_SHARE_* of scarlet/abi.h: address space
 * (a thread), handle table, root/cwd/namespace. */
/* Creates a child task sharing what flags say and copying the rest.  With
 * a non-zero stack it starts on that stack, with tls in tp.  Returns the
 * child's pid (0 in the child), -EINVAL for bad flags, -ENOMEM. */
pid_t task_clone(unsigned flags, uint64_t stack, uint64_t tls);
/* The task leaves its address space (exit, exec): zeroes the
 * clear-child-tid word if others share the space, and lets a vfork
 * parent run again. */
void task_mm_release(struct task *t);
/* Ends the current task with a wait()-encoded status. */
void task_exit(int status) __attribute__((noreturn));
/* Waits for a child: pid > 0 that child, -1 any, < -1 group -pid.
 * Returns the pid, 0 with WNOHANG when none has exited, -ECHILD. */
pid_t task_wait(pid_t pid, int *status, int options);
/* Same, but hands the status to deliver (e.g. a copy to user memory)
 * before the child is reaped; when deliver fails the child stays a zombie
 * and its error is returned. */
pid_t task_wait_deliver(pid_t pid, int options, int (*deliver)(int status, void *ctx), void *ctx);

/* Signals (kernel/proc/signal.c, more in proc/signal.h) */
int signal_send(struct task *t, int sig);
int signal_kill(pid_t pid, int sig); /* pid < 0: process group -pid */
int signal_send_group(pid_t pgid, int sig);
/* At return to user: acts on pending signals, runs handlers through the
 * ABI's frames (may not return). */
void signal_deliver(struct trapframe *tf);
/* A signal that is not blocked is pending (interrupts sleeps). */
bool signal_pending(struct task *t);

#endif
