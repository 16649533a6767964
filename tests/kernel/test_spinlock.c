/*
 * What irq_depth stands for (core/spinlock.h): each spinlock and bare
 * irq_push_off level records its lock and where it was taken, for
 * might_sleep's report; locks released out of order keep the records of
 * the others right.
 */
#include "arch/riscv64/cpu.h"
#include "core/kernel.h"
#include "core/ktest.h"
#include "core/spinlock.h"

static struct spinlock a = SPINLOCK_INIT("kt-a"), b = SPINLOCK_INIT("kt-b");

KTEST(spinlock_levels_record_lock_and_place)
{
	struct cpu *c = this_cpu();
	int base = c->irq_depth;
	spin_lock(&a);
	irq_push_off();
	spin_lock(&b);
	KT_CHECK(c->irq_depth == base + 3);
	KT_CHECK(c->held[base].lk == &a && c->held[base + 2].lk == &b);
	KT_CHECK(c->held[base + 1].lk == NULL && c->held[base + 1].pc != 0);
	uint64_t a_at = spin_taken_at(&a), b_at = spin_taken_at(&b);
	KT_CHECK(a_at != 0 && b_at != 0 && a_at != b_at);
	/* out of order: a goes first, the levels above it move down */
	spin_unlock(&a);
	KT_CHECK(c->irq_depth == base + 2);
	KT_CHECK(c->held[base].lk == NULL && c->held[base + 1].lk == &b);
	KT_CHECK(spin_taken_at(&a) == 0 && spin_taken_at(&b) == b_at);
	spin_unlock(&b);
	irq_pop_off();
	KT_CHECK(c->irq_depth == base);
	/* a lock retaken in someone else's name (a sleep's caller) */
	spin_lock_as(&a, a_at);
	KT_CHECK(spin_taken_at(&a) == a_at);
	spin_unlock(&a);
}
