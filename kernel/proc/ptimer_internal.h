/*
 * What the process-timer files share (ptimer.c: timers and their
 * expiry; ptimer_api.c: the calls; ptimer_cpu.c: CPU-time clocks).
 * Not for other subsystems: see ptimer.h.
 */
#ifndef PROC_PTIMER_INTERNAL_H
#define PROC_PTIMER_INTERNAL_H

#include "core/list.h"
#include "core/spinlock.h"
#include "proc/ktimer.h"
#include "proc/ptimer.h"
#include "proc/wait.h"

#define PTN_WAKE 3 /* a kernel sleeper (ptimer_cpu_sleep), beside enum ptimer_notify */

struct ptimer_set;

struct ptimer {
	struct list node;     /* owner->timers (timer_create timers) */
	struct list cpu_node; /* the measured set's cpu_timers, while armed on CPU time */
	struct list rt_node;  /* realtime_timers, while armed absolute on the wall clock */
	struct ptimer_set *owner;
	int id;       /* timer_create id; -1 for an interval timer */
	uint32_t key; /* tells this timer's queued siginfo from others */
	bool dead;    /* deleted: a running expiry must not touch it */

	/* the clock */
	enum ptimer_clock_kind created; /* what timer_create named */
	enum ptimer_clock_kind kind;    /* this setting's: realtime only when absolute */
	struct thread_group *cpu_tg;    /* PTC_CPU: the process measured (a reference) */
	struct task *cpu_thread;        /* PTC_CPU: the thread measured, NULL: the process */
	bool cpu_user_only;
	bool cpu_gone; /* the thread or process measured ended: never fires */

	/* the setting */
	struct ktimer kt;
	int64_t expires;   /* next expiry on the clock, ns; 0: disarmed */
	uint64_t interval; /* 0: one-shot */
	bool parked;       /* its signal is pending: the kernel timer waits a tick */
	uint64_t overrun;  /* expirations since the pending signal was queued */
	int overrun_last;  /* of the last signal taken */

	/* what an expiry does */
	int notify; /* enum ptimer_notify or PTN_WAKE */
	int signo;
	int code; /* SI_TIMER, or SI_KERNEL for interval timers */
	uint64_t value;
	struct task *target;      /* PTN_THREAD; NULL once it has ended */
	struct waitqueue *waiter; /* PTN_WAKE */
	bool fired;               /* PTN_WAKE */
};

/* A process's timers (thread_group.timers), made at first use. */
struct ptimer_set {
	struct thread_group *tg;
	struct list timers; /* timer_create timers, by creation */
	int count;
	int next_id;
	struct ptimer *itimer[3];
	struct list cpu_timers; /* armed timers on this process's CPU time, anyone's */
	int nr_cpu;             /* its length, read by the tick without the lock */
	bool dead;              /* the process ended */
};

extern struct spinlock ptimer_lock;

/* The set of tg, made if need be (NULL: out of memory or the process has
 * ended).  ptimer_lock not held. */
struct ptimer_set *ptimer_set_of(struct thread_group *tg);
/* The current time of pt's clock; false when a CPU clock's thread or
 * process is gone.  ptimer_lock held. */
bool ptimer_clock_now(struct ptimer *pt, int64_t *now);
/* Expiry at clock time now (>= expires): the next expiry, the signal or
 * wake-up, the overrun count.  ptimer_lock held. */
void ptimer_expire(struct ptimer *pt, int64_t now);
/* Arms pt for pt->expires on its clock / takes it off every list and its
 * kernel timer.  ptimer_lock held. */
void ptimer_arm(struct ptimer *pt);
void ptimer_disarm(struct ptimer *pt);
/* The setting as timer_gettime tells it.  ptimer_lock held. */
void ptimer_get_locked(struct ptimer *pt, struct ptimer_spec *cur);
/* Sets pt (timer_settime, setitimer); abs: value is a time on the clock. */
void ptimer_set_locked(struct ptimer *pt, bool abs, const struct ptimer_spec *set,
                       struct ptimer_spec *old);
/* Takes a pending signal of pt's off its pending set (re-set, deleted).
 * ptimer_lock held. */
void ptimer_cancel_signal(struct ptimer *pt);
/* The thread tid (0: the caller) of the caller's process, NULL when none
 * or ending.  ptimer_lock held. */
struct task *ptimer_own_thread(pid_t tid);
/* Initializes a timer of owner (id -1, no clock: the caller fills in). */
void ptimer_init(struct ptimer *pt, struct ptimer_set *owner);
/* Frees a timer taken off every list (dead); ptimer_lock not held. */
void ptimer_destroy(struct ptimer *pt);

/* CPU clocks (ptimer_cpu.c). */
/* Puts pt on the CPU clock clk as the current task names it (holding a
 * reference on the process measured).  EINVAL as Linux for no such clock.
 * On success ptimer_lock is held on return. */
int ptimer_cpu_bind(struct ptimer *pt, const struct ptimer_clock *clk);
/* Links pt, armed on CPU time, into the measured process's list; false
 * when that process has ended.  ptimer_lock held. */
bool ptimer_cpu_link(struct ptimer *pt);
void ptimer_cpu_unlink(struct ptimer *pt);

#endif
