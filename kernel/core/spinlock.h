/*
 * Spinlocks.  spin_lock disables interrupts on the local hart for as long
 * as it holds any lock (nesting is counted per CPU), so a lock taken in an
 * interrupt handler cannot deadlock with the code it interrupted.
 */
#ifndef CORE_SPINLOCK_H
#define CORE_SPINLOCK_H

#include <stdbool.h>

struct cpu;

struct spinlock {
	volatile unsigned int locked;
	const char *name;
	struct cpu *owner; /* for holding() checks */
};

#define SPINLOCK_INIT(n)                                                                           \
	{                                                                                          \
		.locked = 0, .name = (n), .owner = 0                                               \
	}

void spin_init(struct spinlock *lk, const char *name);
void spin_lock(struct spinlock *lk);
void spin_unlock(struct spinlock *lk);
/* Takes lk if it is free and returns true; false (nothing taken) if any
 * hart holds it, this one included.  For code that must not wait, such
 * as memory reclaim running under the caller's locks. */
bool spin_trylock(struct spinlock *lk);
bool spin_holding(struct spinlock *lk);

/* spin_lock if wait, else spin_trylock: whether lk is now held. */
static inline bool spin_lock_if(struct spinlock *lk, bool wait)
{
	if (!wait)
		return spin_trylock(lk);
	spin_lock(lk);
	return true;
}

/* Interrupt-disable nesting used by spin_lock; usable on its own. */
void irq_push_off(void);
void irq_pop_off(void);

/* Whether the running code may sleep: a task runs, it holds no spinlock
 * and interrupts are on (not in an interrupt handler).  Conservative: a
 * false answer is always safe. */
bool cpu_may_sleep(void);

#endif
