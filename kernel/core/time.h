/*
 * Kernel clocks.  Both are safe to call from any context.
 */
#ifndef CORE_TIME_H
#define CORE_TIME_H

#include <stdint.h>

/* Wall-clock time in nanoseconds since the Unix epoch. */
int64_t time_realtime_ns(void);
/* Moves the wall clock by delta ns (proc/wallclock.h sets it). */
void time_realtime_shift(int64_t delta);
/* Nanoseconds since boot; never goes backwards. */
uint64_t time_monotonic_ns(void);
/* Reads the wall clock from the RTC at physical rtc_pa (0: none). */
void time_init(uint64_t rtc_pa);

#endif
