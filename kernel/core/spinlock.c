/*
 * Spinlocks with interrupt disabling (see spinlock.h).
 */
#include "core/spinlock.h"

#include "arch/riscv64/cpu.h"
#include "arch/riscv64/riscv.h"
#include "core/kernel.h"
#include "core/watchdog.h"

void spin_init(struct spinlock *lk, const char *name)
{
	lk->locked = 0;
	lk->name = name;
	lk->owner = 0;
}

void irq_push_off(void)
{
	bool was = irq_enabled();
	irq_disable();
	struct cpu *c = this_cpu();
	if (c->irq_depth++ == 0)
		c->irq_were_enabled = was;
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

void spin_lock(struct spinlock *lk)
{
	irq_push_off();
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
}

void spin_unlock(struct spinlock *lk)
{
	if (!spin_holding(lk))
		panic("spin_unlock: %s not held", lk->name);
	lk->owner = 0;
	__atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
	irq_pop_off();
}
