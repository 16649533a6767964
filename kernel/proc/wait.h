/*
 * Wait queues: how a task sleeps until something happens.
 *
 * The pattern is xv6's sleep/wakeup with an explicit queue: the sleeper
 * checks its condition under a lock `lk` and calls wq_sleep(wq, lk), which
 * queues it and releases lk atomically with going to sleep, so a wake-up
 * issued by someone who changed the condition under lk is never lost.
 */
#ifndef PROC_WAIT_H
#define PROC_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/list.h"
#include "core/spinlock.h"

struct waitqueue {
	struct spinlock lock;
	struct list waiters;
};

/* One waiter on a queue.  A sleeping task's entry lives on its stack and
 * is unlinked by the wake-up.  An entry with a callback (poll, epoll)
 * stays queued until its owner removes it; each wake-up calls func with
 * the queue's lock held, so func must not sleep or take that lock. */
struct wq_entry {
	struct list node;
	struct task *task;
	bool woken;
	void (*func)(struct wq_entry *e);
};

void wq_init(struct waitqueue *wq, const char *name);

/* Sleeps until woken.  lk is held on entry and on return.  Returns 0, or
 * -EINTR when the sleep was cut short by a signal or kill. */
int wq_sleep(struct waitqueue *wq, struct spinlock *lk);
/* Same, but also wakes at monotonic time deadline_ns; returns -ETIMEDOUT
 * then. */
int wq_sleep_until(struct waitqueue *wq, struct spinlock *lk, uint64_t deadline_ns);
/* Same, but not interruptible by signals. */
void wq_sleep_uninterruptible(struct waitqueue *wq, struct spinlock *lk);

void wq_wake_all(struct waitqueue *wq);
/* Wakes one sleeping task (and every callback entry before it). */
void wq_wake_one(struct waitqueue *wq);

/* Queues a callback entry e (func non-NULL); wq_remove takes it off. */
void wq_add_callback(struct waitqueue *wq, struct wq_entry *e, void (*func)(struct wq_entry *e));
void wq_remove(struct waitqueue *wq, struct wq_entry *e);

#endif
