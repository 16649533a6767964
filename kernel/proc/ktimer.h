/*
 * Kernel timers: a function called at a monotonic deadline, from the
 * timer interrupt.  Used by objects that must wake their waiters at a
 * given time without a task sleeping on it (timerfd).
 *
 * The function runs in interrupt context with no timer lock held: it must
 * not sleep, and it may re-arm its own timer.  ktimer_cancel_sync waits
 * for a running call to finish, so the timer's memory can then be freed;
 * it must not be called with a lock the function takes.
 */
#ifndef PROC_KTIMER_H
#define PROC_KTIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/list.h"

struct ktimer {
	struct list node;
	uint64_t deadline; /* monotonic ns; meaningful while armed */
	bool armed;
	int running; /* calls of fn in progress */
	void (*fn)(struct ktimer *t);
};

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *t));
/* (Re)arms t for monotonic time deadline_ns. */
void ktimer_arm(struct ktimer *t, uint64_t deadline_ns);
/* Disarms t; a call already running may still finish. */
void ktimer_cancel(struct ktimer *t);
/* Disarms t and waits until no call of its function is running. */
void ktimer_cancel_sync(struct ktimer *t);

/* For the timer interrupt (sleep_timer.c): runs every timer due at now,
 * and tells the earliest deadline left (0: none). */
void ktimer_expire(uint64_t now);
uint64_t ktimer_next(void);

#endif
