/*
 * The scheduler: one run queue shared by all harts; each hart runs
 * scheduler_loop() in its idle context and switches into runnable tasks
 * from there.  Every tick preempts.  The next task is the real-time one
 * (SCHED_FIFO, SCHED_RR) of the highest priority, a preempted one first
 * among its equals (FIFO keeps the CPU; RR after a 100 ms slice goes
 * behind them); else the fair task (SCHED_OTHER, BATCH, IDLE) with the
 * least run time weighted by its nice value (Linux's weights: each nice
 * step is ~1.25 times the share).  Real-time tasks that hold a hart for
 * 19 ticks in a row let a fair task have the 20th (proc/sched_policy.h).
 */
#ifndef PROC_SCHED_H
#define PROC_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct task;

#define SCHED_TICK_NS 10000000ULL /* 10 ms */

void sched_init(void);
/* Makes t runnable and queues it; t->lock held by the caller. */
void sched_make_runnable(struct task *t);
/* Makes t runnable if it is sleeping; takes t->lock. */
void sched_wake(struct task *t);
/* Switches away from the current task, whose state the caller already
 * changed; current->lock must be the only lock held. */
void sched_switch(void);
/* Gives up the CPU, staying runnable: behind the tasks of its rank. */
void sched_yield(void);
/* Preemption at a tick: a real-time task stays first of its rank (until a
 * round-robin slice is used up). */
void sched_preempt(void);
/* Restricts t to the harts of mask (bit i: cpu index i); moves the caller
 * off a hart it may no longer use.  -EINVAL when no online hart is left. */
int sched_set_affinity(struct task *t, uint64_t mask);
/* The online harts as a mask. */
uint64_t sched_online_mask(void);
/* Never returns: this hart's idle/scheduling loop. */
void scheduler_loop(void) __attribute__((noreturn));
/* Timer tick on this hart: wakes timed sleepers, asks for preemption. */
void sched_tick(void);
/* True when the current task should yield at the next safe point. */
bool sched_need_resched(void);

/* Timed sleeps: t is woken at deadline (monotonic ns). */
void sleep_timer_add(struct task *t, uint64_t deadline);
void sleep_timer_remove(struct task *t);
void sleep_timer_expire(uint64_t now);
uint64_t sleep_timer_next(void);

#endif
