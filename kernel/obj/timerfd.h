/*
 * Timer objects (Linux's timerfd): a one-shot or periodic timer whose
 * expirations a read collects as a 64-bit count (blocking until there is
 * one).  Readable while the count is non-zero.
 *
 * Times are nanoseconds.  The clock only matters for absolute settings:
 * a REALTIME time is turned into a monotonic deadline when it is set,
 * and moved when the wall clock is set (proc/wallclock.h), so it fires
 * when the clock passes it; such a setting made with cancel_on_set is
 * cancelled instead: the next read fails with ECANCELED (Linux's
 * TFD_TIMER_CANCEL_ON_SET).
 */
#ifndef OBJ_TIMERFD_H
#define OBJ_TIMERFD_H

#include <stdbool.h>
#include <stdint.h>

struct kobj;

enum timerfd_clock { TIMERFD_MONOTONIC, TIMERFD_REALTIME };

/* A setting: first expiry (0 = disarmed) and period (0 = one-shot). */
struct timerfd_spec {
	uint64_t value_ns;
	uint64_t interval_ns;
};

/* A new disarmed timer; status is 0 or O_NONBLOCK.  ENOMEM. */
int timerfd_create(enum timerfd_clock clock, unsigned status, struct kobj **out);
bool timerfd_is(struct kobj *o);
/* Arms (value_ns relative, or absolute on the timer's clock) or disarms
 * the timer, dropping expirations not yet read; *old (if not NULL) gets
 * the previous setting as timerfd_get gives it. */
void timerfd_set(struct kobj *o, bool absolute, bool cancel_on_set, const struct timerfd_spec *set,
                 struct timerfd_spec *old);
/* Time until the next expiry (0: disarmed) and the period. */
void timerfd_get(struct kobj *o, struct timerfd_spec *cur);

#endif
