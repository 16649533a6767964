/*
 * Setting the wall clock, and what follows a change of it: timers set
 * for an absolute wall-clock time (process timers, timerfds) and sleeps
 * until one are due at new monotonic times, and timerfds that asked to
 * be told (TFD_TIMER_CANCEL_ON_SET) are.
 */
#ifndef PROC_WALLCLOCK_H
#define PROC_WALLCLOCK_H

#include <stdint.h>

#include "core/list.h"

/* Sets the wall clock to ns since the epoch, or moves it by delta ns. */
void wallclock_set(int64_t ns);
void wallclock_shift(int64_t delta);
/* How many times the clock was set since boot. */
uint64_t wallclock_set_count(void);

/* Sleeps until the wall clock reads at least target, however it is set
 * meanwhile; 0 or -EINTR. */
int wallclock_sleep_until(int64_t target);

/* Called after every change of the clock, under the clock's lock (it
 * must not sleep); registered once, never removed. */
struct wallclock_notifier {
	struct list node;
	void (*fn)(void);
};
void wallclock_notify(struct wallclock_notifier *n);

#endif
