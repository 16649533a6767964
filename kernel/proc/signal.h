/*
 * Signals, the generic core: per-process dispositions (handler, flags,
 * mask), a blocked mask and a pending set with one queued siginfo per
 * signal, default actions, and delivery at return to user mode.  The
 * user-visible frame a handler runs on is the ABI module's business
 * (abi_module.signal_frame); the core only decides what is delivered.
 *
 * Numbers, flag values and si_code values are Linux's, which the native
 * ABI shares.  Signals sent to a process wait on its thread group's
 * shared set (thread_group.h), those sent to a thread on the thread's
 * own.  Locking, outermost first: the group's lock (shared set, thread
 * list), t->lock (the thread's pending, blocked and queued infos),
 * sighand->lock (the dispositions).
 */
#ifndef PROC_SIGNAL_H
#define PROC_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/spinlock.h"
#include "core/types.h"
#include "proc/wait.h"

struct task;
struct thread_group;
struct trapframe;

#define SIG_MAX         64 /* signals are 1..SIG_MAX */
#define SIG_BIT(s)      (1ULL << ((s)-1))
#define SIG_HANDLER_DFL 0
#define SIG_HANDLER_IGN 1

/* sigaction flags (Linux values) */
#define SA_NOCLDSTOP 0x00000001u
#define SA_NOCLDWAIT 0x00000002u
#define SA_SIGINFO   0x00000004u
#define SA_ONSTACK   0x08000000u
#define SA_RESTART   0x10000000u
#define SA_NODEFER   0x40000000u
#define SA_RESETHAND 0x80000000u

/* si_code values (Linux) */
#define SI_USER       0
#define SI_KERNEL     0x80
#define SI_QUEUE      (-1)
#define SI_TIMER      (-2)
#define SI_TKILL      (-6)
#define CLD_EXITED    1
#define CLD_KILLED    2
#define CLD_DUMPED    3
#define CLD_STOPPED   5
#define CLD_CONTINUED 6
#define SEGV_MAPERR   1
#define ILL_ILLOPC    1
#define BUS_ADRALN    1
#define BUS_ADRERR    2
#define TRAP_BRKPT    1

/* Which union member of siginfo the fields fill. */
enum siginfo_kind {
	SIK_KILL,  /* pid, uid */
	SIK_QUEUE, /* pid, uid, value */
	SIK_CHILD, /* pid, uid, status */
	SIK_FAULT, /* addr */
	SIK_TIMER, /* pid: timer id, status: overrun, value; uid: the timer's key */
};

struct ksiginfo {
	int signo;
	int code;
	int err;
	enum siginfo_kind kind;
	pid_t pid;
	uint32_t uid;
	int status;     /* SIK_CHILD: exit code or signal */
	uint64_t value; /* SIK_FAULT: address; SIK_QUEUE: sigval */
};

struct ksigaction {
	uint64_t handler; /* SIG_HANDLER_DFL, SIG_HANDLER_IGN or a user address */
	uint64_t flags;   /* SA_* */
	uint64_t mask;    /* blocked while the handler runs */
};

/* Dispositions, reference counted: threads share them (CLONE_SIGHAND). */
struct sighand {
	int refcount;
	struct spinlock lock;
	struct ksigaction action[SIG_MAX];
	uint64_t ignored; /* cache of the SIG_IGN actions, read without the lock */
};

/* An alternate signal stack (sigaltstack). */
struct sigaltstack_k {
	uint64_t sp;
	uint64_t size;
	int flags; /* SS_DISABLE when none, SS_AUTODISARM */
};
#define SS_ONSTACK    1
#define SS_DISABLE    2
#define SS_AUTODISARM (1u << 31)

#define SIG_UNBLOCKABLE (SIG_BIT(9) | SIG_BIT(19)) /* SIGKILL, SIGSTOP */

struct sighand *sighand_create(void);
/* A private copy of parent's dispositions (fork); NULL when out of memory. */
struct sighand *sighand_copy(struct sighand *parent);
struct sighand *sighand_get(struct sighand *sh);
void sighand_put(struct sighand *sh);
/* Every handled signal back to SIG_DFL, ignored ones stay ignored, all
 * flags and masks cleared: what exec does, and clone's
 * CLONE_CLEAR_SIGHAND to the child's copy.  Takes sh->lock. */
void sighand_reset_handlers(struct sighand *sh);
/* Gives t its own copy of a shared table (exec).  0 or -ENOMEM. */
int sighand_unshare(struct task *t);
/* Recomputes sh->ignored (sh->lock held); every change of a handler to
 * or from SIG_IGN calls it. */
void sighand_update_ignored(struct sighand *sh);
/* The signals t's process ignores (SIG_IGN), for job control and /proc. */
uint64_t signal_ignored_mask(struct task *t);

/* Sends sig with info (NULL: SI_KERNEL) to t's process: it is queued on
 * the shared pending set and wakes one thread that does not block it (the
 * leader first); SIGKILL kills every thread.  Returns 0 or -EINVAL. */
int signal_send_info(struct task *t, int sig, const struct ksiginfo *info);
/* A timer's signal (proc/ptimer.h) to process tg, or to its thread t
 * when t is not NULL.  An SI_TIMER signal whose timer (pid and uid of
 * info) already has one pending there is not queued again; another
 * signal is not queued over a pending one of its number (it would merge).
 * Returns SIGQ_QUEUED; SIGQ_PENDING (the same timer's is pending, or
 * any of that number for a signal other than SI_TIMER); SIGQ_BUSY (an
 * SI_TIMER signal's number is pending from elsewhere: try again later);
 * SIGQ_DROPPED (ignored, or nobody left to take it). */
enum { SIGQ_QUEUED, SIGQ_PENDING, SIGQ_BUSY, SIGQ_DROPPED };
int signal_send_timer(struct thread_group *tg, struct task *t, const struct ksiginfo *info);
/* Takes a pending SI_TIMER signal sig of the timer key off the pending
 * set of tg (t NULL) or of its thread t. */
void signal_cancel_timer(struct thread_group *tg, struct task *t, int sig, uint32_t key);
/* Sends sig to the thread t only (tkill, tgkill, SIGPIPE, faults). */
int signal_send_thread_info(struct task *t, int sig, const struct ksiginfo *info);
/* Queues SIGKILL on thread t (group exits); the group's lock may be held. */
void signal_thread_kill(struct task *t);
/* Takes the lowest signal of set pending for thread t, its own first,
 * then its process's; fills *info.  Returns the signal or 0. */
int signal_dequeue(struct task *t, uint64_t set, struct ksiginfo *info);
/* Woken after every signal sent to any task or process (signalfd).  One
 * global queue rather than one per process: a signalfd may outlive the
 * process that polled it (fork, SCM_RIGHTS-like passing), so its wait
 * entries must not point into a process's memory. */
extern struct waitqueue signal_sent_wq;
/* A thread left its group (exit): a group stop may now be complete
 * (task_tree_lock held). */
void signal_group_stop_recheck(struct task *t);
/* A synchronous fault: delivered even if blocked or ignored, in which
 * case the disposition is reset to default so the task dies. */
void signal_force(struct task *t, const struct ksiginfo *info);
/* Reads (old != NULL) and sets (act != NULL) sig's disposition for the
 * current task.  EINVAL for a bad number or SIGKILL/SIGSTOP. */
int signal_action(int sig, const struct ksigaction *act, struct ksigaction *old);
/* Changes the current task's blocked mask (SIGKILL and SIGSTOP stay
 * unblocked); how is 0 block, 1 unblock, 2 set.  EINVAL for bad how. */
int signal_mask(int how, uint64_t set, uint64_t *old);
/* Pending signals of the current thread and its process that it blocks. */
uint64_t signal_pending_set(void);
/* True when the current task has a handler (not default/ignore) for sig. */
bool signal_has_handler(struct task *t, int sig);
/* sigsuspend: waits with mask until a signal is delivered; always -EINTR.
 * The old mask comes back after the handler (or at once if none runs). */
int signal_suspend(uint64_t mask);
/* For waits that take a mask (ppoll, pselect6): mask replaces the blocked
 * set until _end; a wait that ended with -EINTR keeps it until the signal
 * is delivered (its handler then runs with it in force, as on Linux). */
void signal_mask_temporary(uint64_t mask);
void signal_mask_temporary_end(bool interrupted);
/* sigtimedwait: waits for one of set (deadline 0 = forever, or monotonic
 * ns), takes it off the pending set into *info; returns the signal,
 * -EAGAIN at the deadline, -EINTR for another signal. */
int signal_wait(uint64_t set, uint64_t deadline, struct ksiginfo *info);
/* The pending signals of thread t and its process that are in set. */
uint64_t signal_pending_in(struct task *t, uint64_t set);
/* After exec: handlers back to default (ignored stay ignored), no
 * alternate stack; the mask and pending signals stay. */
void signal_exec_reset(struct task *t);
/* Sends the parent of t its child signal for a stop, continue or exit
 * (code CLD_*, status = exit code or signal) and wakes its waits;
 * task_tree_lock held.  For an exit, true when the parent wants no
 * zombie (SIGCHLD ignored or SA_NOCLDWAIT). */
bool signal_notify_parent(struct task *t, int code, int status);
/* kill() with a siginfo: pid > 0 one process, 0 the caller's group,
 * -1 every process but init and the caller, < -1 group -pid.  sig 0
 * only checks.  EINVAL, ESRCH. */
int signal_kill_info(pid_t pid, int sig, const struct ksiginfo *info);
/* tkill/tgkill: sig to thread tid only, which must be in process tgid
 * unless tgid is 0.  sig 0 only checks.  EINVAL, ESRCH. */
int signal_kill_thread(pid_t tgid, pid_t tid, int sig, const struct ksiginfo *info);

/* Default action of sig: what happens without a handler. */
enum sig_default { SIGDFL_TERM, SIGDFL_IGNORE, SIGDFL_STOP };
enum sig_default signal_default_action(int sig);

#endif
