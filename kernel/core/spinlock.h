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
};

#define SPINLOCK_INIT(n)                                                                           \
	{                                                                                          \
		.locked = 0, .name = (n), .owner = 0                                               \
	}

void spin_init(struct spinlock *lk, const char *name);
void spin_lock(struct spinlock *lk);
void spin_unlock(struct spinlock *lk);
bool spin_holding(struct spinlock *lk);
/* Where the innermost hold of lk was taken (0 if not recorded), and
 * spin_lock recording another place: a sleep retakes its caller's lock in
 * the caller's name, for might_sleep's report. */
uint64_t spin_taken_at(const struct spinlock *lk);
void spin_lock_as(struct spinlock *lk, uint64_t taken_at);

/* Interrupt-disable nesting used by spin_lock; usable on its own. */
void irq_push_off(void);
void irq_pop_off(void);

#endif
