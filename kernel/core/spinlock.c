/*
 * Spinlocks with interrupt disabling (see spinlock.h).
 */
#include "core/spinlock.h"

#include "arch/riscv64/cpu.h"
#include "arch/riscv64/riscv.h"
#include "core/kernel.h"
#include "core/ksyms.h"
#include "core/might_sleep.h"
#include "core/watchdog.h"

void spin_init(struct spinlock *lk, const char *name)
{
	lk->locked = 0;
	lk->name = name;
	lk->owner = 0;
	lk->taken_at = 0;
}

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* Disables interrupts and records what the new level stands for: a lock
 * (which keeps where it was taken itself) or, for a bare level, where. */
static ALWAYS_INLINE void push_off(const struct spinlock *lk, uint64_t pc)
{
	bool was = irq_enabled();
	irq_disable();
	struct cpu *c = this_cpu();
	int depth = c->irq_depth;
	if (likely(depth < CPU_HELD_MAX))
		c->held[depth] = (struct held_lock){.lk = lk, .pc = pc};
	c->irq_depth = depth + 1;
	if (depth == 0)
		c->irq_were_enabled = was;
}

static ALWAYS_INLINE void pop_off(void)
{
	struct cpu *c = this_cpu();
	KASSERT(!irq_enabled());
	KASSERT(c->irq_depth > 0);
	int depth = --c->irq_depth;
	/* forget the level just left unless its lock is still held (released
	 * out of order); a record left behind could later name a lock that
	 * lived on a stack frame long gone */
	if (likely(depth < CPU_HELD_MAX)) {
		const struct spinlock *lk = c->held[depth].lk;
		if (!lk || !(lk->locked && lk->owner == c))
			c->held[depth] = (struct held_lock){0};
	}
	if (depth == 0 && c->irq_were_enabled)
		irq_enable();
}

void irq_push_off(void)
{
	push_off(NULL, (uint64_t)__builtin_return_address(0));
}

void irq_pop_off(void)
{
	pop_off();
}

bool spin_holding(struct spinlock *lk)
{
	return lk->locked && lk->owner == this_cpu();
}

static ALWAYS_INLINE void acquire(struct spinlock *lk, uint64_t taken_at)
{
	push_off(lk, 0);
	if (spin_holding(lk))
		panic("spin_lock: %s already held by this cpu", lk->name);
	uint64_t since = 0;
	unsigned spins = 0;
	while (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&lk->locked, __ATOMIC_RELAXED)) {
			/* interrupts are off: the watchdog must look from here */
			if ((++spins & 0xfff) == 0)
				watchdog_spinning(lk, &since);
		}
	}
	lk->owner = this_cpu();
	lk->taken_at = taken_at;
}

void spin_lock(struct spinlock *lk)
{
	acquire(lk, (uint64_t)__builtin_return_address(0));
}

void spin_lock_as(struct spinlock *lk, uint64_t taken_at)
{
	acquire(lk, taken_at);
}

bool spin_trylock(struct spinlock *lk)
{
	irq_push_off();
	if (spin_holding(lk) || __atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE)) {
		irq_pop_off();
		return false;
	}
	lk->owner = this_cpu();
	return true;
}

bool cpu_may_sleep(void)
{
	irq_push_off();
	struct cpu *c = this_cpu();
	bool may = c->task && c->irq_depth == 1 && c->irq_were_enabled;
	irq_pop_off();
	return may;
}

void spin_unlock(struct spinlock *lk)
{
	if (!spin_holding(lk))
		panic("spin_unlock: %s not held", lk->name);
	lk->owner = 0;
	__atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
	pop_off();
}

uint64_t spin_taken_at(const struct spinlock *lk)
{
	return spin_holding((struct spinlock *)lk) ? lk->taken_at : 0;
}

int spin_held_levels(struct held_lock *out, int max)
{
	struct cpu *c = this_cpu();
	int n = 0;
	/* no more live levels than irq_depth: records above it are leftovers,
	 * whose locks may be long gone (one on a dead stack frame can look
	 * held by this cpu) */
	for (int i = 0; i < CPU_HELD_MAX && n < max && n < c->irq_depth; i++) {
		const struct spinlock *lk = c->held[i].lk;
		bool live = lk ? spin_holding((struct spinlock *)lk) : i < c->irq_depth;
		for (int j = 0; j < n && live && lk; j++)
			live = out[j].lk != lk; /* a stale record of a lock taken again */
		if (live)
			out[n++] =
			    (struct held_lock){.lk = lk, .pc = lk ? lk->taken_at : c->held[i].pc};
	}
	return n;
}

void might_sleep_fail(const char *what, int allowed)
{
	struct held_lock held[CPU_HELD_MAX];
	int depth = this_cpu()->irq_depth, n = spin_held_levels(held, CPU_HELD_MAX);
	printk("\nmight_sleep: %s may sleep, but %d spinlock/interrupt-off level(s) are held "
	       "(%d allowed):\n",
	       what, depth, allowed);
	for (int i = 0; i < n; i++) {
		uint64_t off = 0;
		const char *fn = ksym_lookup(held[i].pc, &off);
		const char *name = !held[i].lk        ? "interrupts off (irq_push_off)"
		                   : held[i].lk->name ? held[i].lk->name
		                                      : "(unnamed spinlock)";
		printk("  %s, taken in %s+0x%lx\n", name, fn ? fn : "?", off);
	}
	if (n < depth)
		printk("  (%d more, not recorded)\n", depth - n);
	panic("might_sleep: %s called with a spinlock held or interrupts off", what);
}
