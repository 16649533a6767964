/*
 * might_sleep: the check at the entry of everything that may sleep (the
 * sleeping primitives) or may fault a user page in (user memory access,
 * which can wait for the disk or a mutex).  Sleeping with a spinlock held
 * or with interrupts off (in an interrupt handler) deadlocks or corrupts
 * the scheduler, but only when the sleep really happens, which for a
 * user copy is rare (a page not yet read from disk).  The check fails on
 * every call made in the wrong context instead, so the test suite finds
 * such places whatever the state of memory.
 *
 * irq_depth counts the spinlocks held and the irq_push_off levels,
 * interrupt handlers included (trap.c wraps them in one), so "may sleep"
 * is irq_depth == 0: one load, a compare and a branch, kept always on.
 * A failure panics naming each lock held and where it was taken.
 */
#ifndef CORE_MIGHT_SLEEP_H
#define CORE_MIGHT_SLEEP_H

#include "arch/riscv64/cpu.h"
#include "core/kernel.h"

void might_sleep_fail(const char *what, int allowed) __attribute__((noreturn));

/* Panics unless exactly `allowed` levels of irq_depth are held (0, or 1
 * for a sleep that releases the one spinlock its caller holds). */
static inline void might_sleep_holding(const char *what, int allowed)
{
	if (unlikely(this_cpu()->irq_depth != allowed))
		might_sleep_fail(what, allowed);
}

/* Panics if the caller holds a spinlock or runs with interrupts off. */
#define might_sleep() might_sleep_holding(__func__, 0)

#endif
