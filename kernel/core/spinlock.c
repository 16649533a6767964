/*
 * Spinlocks with interrupt disabling (see spinlock.h).
 */
#include "core/spinlock.h"

#include "arch/riscv64/cpu.h"
#include "arch/riscv64/riscv.h"
#include "core/kernel.h"
#include "core/ksyms.h"
#include "core/might_sleep.h"

void spin_init(struct spinlock *lk, const char *name)
{
	lk->locked = 0;
	lk->name = name;
	lk->owner = 0;
}

/* Disables interrupts and records what the new level stands for. */
static void push_off(const struct spinlock *lk, void *pc)
{
	bool was = irq_enabled();
	irq_disable();
	struct cpu *c = this_cpu();
	if (c->irq_depth < CPU_HELD_MAX)
		c->held[c->irq_depth] = (struct held_lock){.lk = lk, .pc = (uint64_t)pc};
	if (c->irq_depth++ == 0)
		c->irq_were_enabled = was;
}

void irq_push_off(void)
{
	push_off(NULL, __builtin_return_address(0));
}

void irq_pop_off(void)
{
	struct cpu *c = this_cpu();
	KASSERT(!irq_enabled());
	KASSERT(c->irq_depth > 0);
	if (--c->irq_depth == 0 && c->irq_were_enabled)
		irq_enable();
}

bool spin_holding(struct spinlock *lk)
{
	return lk->locked && lk->owner == this_cpu();
}

static void forget_held(const struct spinlock *lk);

void spin_lock(struct spinlock *lk)
{
	spin_lock_as(lk, (uint64_t)__builtin_return_address(0));
}

void spin_lock_as(struct spinlock *lk, uint64_t taken_at)
{
	push_off(lk, (void *)taken_at);
	if (spin_holding(lk))
		panic("spin_lock: %s already held by this cpu", lk->name);
	while (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&lk->locked, __ATOMIC_RELAXED))
			;
	lk->owner = this_cpu();
}

void spin_unlock(struct spinlock *lk)
{
	if (!spin_holding(lk))
		panic("spin_unlock: %s not held", lk->name);
	lk->owner = 0;
	__atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
	forget_held(lk);
	irq_pop_off();
}

uint64_t spin_taken_at(const struct spinlock *lk)
{
	struct cpu *c = this_cpu();
	for (int i = MIN(c->irq_depth, CPU_HELD_MAX) - 1; i >= 0; i--) {
		if (c->held[i].lk == lk)
			return c->held[i].pc;
	}
	return 0;
}

/* Locks may be released out of order (sleep_common does): lk's record
 * goes, the ones above it move down. */
static void forget_held(const struct spinlock *lk)
{
	struct cpu *c = this_cpu();
	int n = MIN(c->irq_depth, CPU_HELD_MAX);
	for (int i = n - 1; i >= 0; i--) {
		if (c->held[i].lk != lk)
			continue;
		for (int j = i; j + 1 < n; j++)
			c->held[j] = c->held[j + 1];
		if (c->irq_depth > CPU_HELD_MAX) /* the level moving in was not recorded */
			c->held[n - 1] = (struct held_lock){0};
		return;
	}
}

void might_sleep_fail(const char *what, int allowed)
{
	struct cpu *c = this_cpu();
	int depth = c->irq_depth;
	printk("\nmight_sleep: %s may sleep, but %d spinlock/interrupt-off level(s) are held "
	       "(%d allowed):\n",
	       what, depth, allowed);
	for (int i = 0; i < MIN(depth, CPU_HELD_MAX); i++) {
		uint64_t off = 0;
		const char *fn = ksym_lookup(c->held[i].pc, &off);
		const struct spinlock *lk = c->held[i].lk;
		const char *name = lk              ? (lk->name ? lk->name : "(unnamed spinlock)")
		                   : c->held[i].pc ? "interrupts off (irq_push_off)"
		                                   : "(not recorded)";
		printk("  %d: %s, taken in %s+0x%lx\n", i, name, fn ? fn : "?", off);
	}
	panic("might_sleep: %s called with a spinlock held or interrupts off", what);
}
