/*
 * Spinlocks.  spin_lock disables interrupts on the local hart for as long
 * as it holds any lock (nesting is counted per CPU), so a lock taken in an
 * interrupt handler cannot deadlock with the code it interrupted.
 */
#ifndef CORE_SPINLOCK_H
#define CORE_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct cpu;

struct spinlock {
	volatile unsigned int locked;
	const char *name;
	struct cpu *owner; /* for holding() checks */
	uint64_t taken_at; /* return address of the spin_lock call (might_sleep's report) */
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
/* Where lk, held by this hart, was taken, and spin_lock recording another
 * place: a sleep retakes its caller's lock in the caller's name. */
uint64_t spin_taken_at(const struct spinlock *lk);
void spin_lock_as(struct spinlock *lk, uint64_t taken_at);

/* What this hart's interrupt-off levels stand for, outermost first: a
 * spinlock (lk, taken at lk->taken_at) or a bare irq_push_off level (lk
 * NULL, at pc).  Taking a level costs one store into cpu.held and nothing
 * is done on release, so releases out of order leave stale records,
 * recognized here (the lock is not held by this hart) and left out; a
 * level taken since may have overwritten a live one, which is then
 * missing.  Fills out with at most max; returns how many. */
struct held_lock;
int spin_held_levels(struct held_lock *out, int max);

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
