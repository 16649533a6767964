/*
 * Scheduling policies and priorities of a task (a thread), POSIX's and
 * Linux's: the fair policies (SCHED_OTHER, SCHED_BATCH, SCHED_IDLE), whose
 * nice value (-20..19) weights their share of the CPU, and the real-time
 * ones (SCHED_FIFO, SCHED_RR) with a priority 1..99 that always runs
 * before any fair task (sched.c).  Numbering is Linux's.
 *
 * Inherited by fork and clone (unless reset-on-fork is set: then the
 * child is SCHED_OTHER with a nice of at least 0), kept by exec.  The
 * permission rules are Linux's (as sched(7) and setpriority(2) give
 * them); "privileged" is euid 0, which here stands for CAP_SYS_NICE.
 * Fields are written under t->lock; the scheduler reads them under its
 * queue lock.
 */
#ifndef PROC_SCHED_POLICY_H
#define PROC_SCHED_POLICY_H

#include <stdbool.h>
#include <stdint.h>

struct task;

#define SCHED_POLICY_OTHER 0
#define SCHED_POLICY_FIFO  1
#define SCHED_POLICY_RR    2
#define SCHED_POLICY_BATCH 3
#define SCHED_POLICY_IDLE  5

#define NICE_MIN        (-20)
#define NICE_MAX        19
#define RT_PRIO_MAX     99
#define RR_TIMESLICE_NS 100000000ULL /* 100 ms, as Linux */

struct sched_attr_k {
	int policy;
	int rt_priority; /* 1..99 for FIFO and RR, else 0 */
	bool reset_on_fork;
};

bool sched_policy_valid(int policy);
bool sched_policy_is_rt(int policy);
/* The priority range of a policy; -EINVAL for an unknown one. */
int sched_priority_max(int policy);
int sched_priority_min(int policy);

/* The caller may change t's scheduling at all (same owner or admin). */
bool sched_may_change(struct task *t);
/* Sets t's nice: -EPERM (another owner), -EACCES (lowering it without
 * RLIMIT_NICE room or privilege).  nice is clamped to -20..19. */
int sched_set_nice(struct task *t, int nice);
int sched_get_nice(struct task *t);
/* Sets policy and priority with sched_setscheduler's checks: -EINVAL for
 * a bad pair, -EPERM when not allowed. */
int sched_set_attr(struct task *t, const struct sched_attr_k *a);
void sched_get_attr(struct task *t, struct sched_attr_k *a);
/* fork/clone: c inherits p's scheduling (reset_on_fork applied). */
void sched_policy_fork(struct task *c, struct task *p);
/* The round-robin interval of t in ns: RR's slice, 0 for FIFO, a tick
 * for the fair policies. */
uint64_t sched_rr_interval(struct task *t);

#endif
