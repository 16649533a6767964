/*
 * Process timers: POSIX's interval timers (setitimer: REAL, VIRTUAL, PROF)
 * and per-process timers (timer_create), and sleeps on CPU-time clocks.
 *
 * A timer runs on a clock:
 *   - monotonic: a kernel timer (ktimer.h) at the expiry;
 *   - realtime, set with an absolute time: also a kernel timer, whose
 *     monotonic deadline is worked out again whenever the wall clock is
 *     set (ptimers_clock_was_set), so it fires when the clock passes it;
 *     a relative realtime setting runs on the monotonic clock, as Linux;
 *   - CPU time (a process's user+system or user time, or one thread's):
 *     looked at on every scheduler tick of a hart running a thread of the
 *     process measured (ptimers_tick), so it fires within a tick.
 * When it expires it sends its signal to its process or to one of its
 * threads, or does nothing (SIGEV_NONE), or wakes a sleeper.  A periodic
 * timer whose previous signal is still pending counts an overrun instead
 * of queuing another; the count goes into the siginfo when the signal is
 * taken (ptimer_signal_taken) and is what timer_getoverrun tells after.
 *
 * Timers belong to the thread group (shared by the threads), are not
 * inherited by fork, end with the process; exec deletes the timer_create
 * ones and keeps the interval timers.  One global lock (ptimer_lock)
 * covers every timer: it nests inside task_tree_lock and outside the
 * signal locks (thread group, task).
 */
#ifndef PROC_PTIMER_H
#define PROC_PTIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/types.h"

struct task;
struct thread_group;
struct ksiginfo;

enum ptimer_clock_kind {
	PTC_MONOTONIC,
	PTC_REALTIME,
	PTC_CPU,
};

/* A clock a timer runs on.  For PTC_CPU: the process pid (0: the
 * caller's), or with thread the thread pid (0: the calling thread),
 * which must then be a thread of the caller's process; user_only counts
 * user time only (ITIMER_VIRTUAL, Linux's CPUCLOCK_VIRT). */
struct ptimer_clock {
	enum ptimer_clock_kind kind;
	pid_t pid;
	bool thread;
	bool user_only;
};

enum ptimer_notify {
	PTN_SIGNAL, /* to the process */
	PTN_THREAD, /* to the thread tid (of the caller's process) */
	PTN_NONE,   /* nothing: only timer_gettime tells */
};

struct ptimer_event {
	enum ptimer_notify notify;
	int signo;
	uint64_t value;   /* si_value */
	bool value_is_id; /* no sigevent given: si_value is the timer id */
	pid_t tid;        /* PTN_THREAD */
};

/* A setting: time to the first expiry (0: disarmed) and the period
 * (0: one-shot), nanoseconds. */
struct ptimer_spec {
	uint64_t value_ns;
	uint64_t interval_ns;
};

/* Most timers one process may have (timer_create gives EAGAIN beyond). */
#define PTIMER_MAX_PER_PROCESS 4096

/* timer_create for the current process: *id gets the new timer's id.
 * EINVAL for a CPU clock of no process (or of a thread of another
 * process) or a bad thread target; EAGAIN beyond the limits; ENOMEM. */
int ptimer_create(const struct ptimer_clock *clk, const struct ptimer_event *ev, int *id);
/* timer_settime: abs makes value an absolute time on the timer's clock;
 * old (may be NULL) gets the setting it replaces.  EINVAL: no such id. */
int ptimer_settime(int id, bool abs, const struct ptimer_spec *set, struct ptimer_spec *old);
int ptimer_gettime(int id, struct ptimer_spec *cur);
/* The overrun count of the timer's last delivered signal. */
int ptimer_getoverrun(int id);
int ptimer_delete(int id);

/* setitimer/getitimer: which is 0 REAL (SIGALRM, monotonic), 1 VIRTUAL
 * (SIGVTALRM, user CPU time), 2 PROF (SIGPROF, CPU time).  EINVAL for
 * another which. */
int itimer_get(int which, struct ptimer_spec *cur);
int itimer_set(int which, const struct ptimer_spec *set, struct ptimer_spec *old);

/* Sleeps until the CPU clock clk reaches ns (abs) or advances by ns;
 * 0, -EINTR with the time left in *left, -EINVAL for no such clock. */
int ptimer_cpu_sleep(const struct ptimer_clock *clk, bool abs, uint64_t ns, uint64_t *left);
/* Reads a CPU clock (clock_gettime): EINVAL for no such process or
 * thread (a thread of another process is refused, as on Linux). */
int ptimer_cpu_clock_read(const struct ptimer_clock *clk, uint64_t *ns);

/* Hooks. */
/* Scheduler tick on a hart running t (interrupt context). */
void ptimers_tick(struct task *t);
/* Signal core: a timer's signal (SI_TIMER) was taken from a pending set
 * by t, a thread of the timer's process: fills in the overrun count. */
void ptimer_signal_taken(struct task *t, struct ksiginfo *info);
/* The wall clock was set: realtime absolute timers are due at new
 * monotonic times. */
void ptimers_clock_was_set(void);
/* Thread t is exiting: timers aimed at it or measuring it stop. */
void ptimers_thread_exit(struct task *t);
/* The last thread of tg ended: every timer of the process goes. */
void ptimers_process_end(struct thread_group *tg);
/* exec: the timer_create timers go, the interval timers stay. */
void ptimers_exec(struct thread_group *tg);
/* The group's memory goes (thread_group_put). */
void ptimers_free(struct thread_group *tg);

#endif
