/*
 * The lockup watchdog: turns a hart that stopped (interrupts off for good,
 * or a trap loop that runs no code) into a panic report printed by a hart
 * that still runs, instead of a silent hang.  Two ways to notice:
 *   - each timer interrupt records this hart's heartbeat and checks the
 *     others': one without a timer interrupt for the watchdog time is
 *     reported;
 *   - a hart waiting for a spinlock that long reports the lock and its
 *     holder (it cannot take interrupts: the first check would miss it).
 * The report lists every hart's last heartbeat, task and satp.  The time
 * is "watchdog=SECONDS" on the command line (0: off; default 10 s).
 */
#ifndef CORE_WATCHDOG_H
#define CORE_WATCHDOG_H

#include <stdint.h>

struct spinlock;

#define WATCHDOG_DEFAULT_SECONDS 10

void watchdog_set_seconds(unsigned seconds);
/* From the timer interrupt: heartbeat and the check of the other harts. */
void watchdog_tick(uint64_t now_ns);
/* From spin_lock's wait loop, now and then; *since: 0 on the first call. */
void watchdog_spinning(struct spinlock *lk, uint64_t *since);
/* Prints each hart's state (for panic reports). */
void watchdog_print_harts(void);

#endif
