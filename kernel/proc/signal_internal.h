/*
 * What the signal files of kernel/proc share among themselves
 * (signal.c, signal_group.c, sighand.c); not for other subsystems.
 */
#ifndef PROC_SIGNAL_INTERNAL_H
#define PROC_SIGNAL_INTERNAL_H

#include "proc/signal.h"

struct thread_group;

#define SIG_STOP_BITS (SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) | SIG_BIT(21) | SIG_BIT(22))

/* Queues sig with info (NULL: SI_KERNEL) on thread t and wakes it;
 * t->lock held. */
void signal_queue_locked(struct task *t, int sig, const struct ksiginfo *info);
/* A signal whose action is to do nothing is dropped when sent, unless t
 * blocks it; t->lock held. */
bool signal_dropped_when_sent(struct task *t, int sig);
/* SIGCONT and stop signals act on the whole group before being queued. */
void signal_group_prepare(struct thread_group *tg, int sig);
/* Default action of a stop signal in thread t: stops the group. */
void signal_group_stop(struct task *t, int sig);
/* At delivery: joins a group stop another thread started. */
void signal_group_stop_check(struct task *t);

#endif
