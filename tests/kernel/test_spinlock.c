/*
 * What irq_depth stands for (core/spinlock.h): each spinlock and bare
 * irq_push_off level records its lock (which keeps where it was taken) or
 * where it was pushed, for might_sleep's report; spin_held_levels leaves
 * out the records that releases out of order made stale.
 */
#include "arch/riscv64/cpu.h"
#include "core/kernel.h"
#include "core/ktest.h"
#include "core/spinlock.h"

static struct spinlock a = SPINLOCK_INIT("kt-a"), b = SPINLOCK_INIT("kt-b");

KTEST(spinlock_levels_record_lock_and_place)
{
	struct held_lock h[CPU_HELD_MAX];
	int base = this_cpu()->irq_depth;
	spin_lock(&a);
	irq_push_off();
	spin_lock(&b);
	KT_CHECK(this_cpu()->irq_depth == base + 3);
	int n = spin_held_levels(h, CPU_HELD_MAX);
	KT_CHECK(n == base + 3);
	if (n == base + 3) {
		KT_CHECK(h[base].lk == &a && h[base + 2].lk == &b);
		KT_CHECK(h[base + 1].lk == NULL && h[base + 1].pc != 0);
	}
	uint64_t a_at = spin_taken_at(&a), b_at = spin_taken_at(&b);
	KT_CHECK(a_at != 0 && b_at != 0 && a_at != b_at);
	/* out of order: a goes first; its record is stale and left out,
	 * b's (now above irq_depth) still counts */
	spin_unlock(&a);
	n = spin_held_levels(h, CPU_HELD_MAX);
	KT_CHECK(n == base + 2);
	if (n == base + 2)
		KT_CHECK(h[base].lk == NULL && h[base + 1].lk == &b);
	KT_CHECK(spin_taken_at(&a) == 0 && spin_taken_at(&b) == b_at);
	/* taken again at b's level: b's record is lost (might_sleep then says
	 * one level is not recorded), a's shows where it was taken now */
	spin_lock(&a);
	n = spin_held_levels(h, CPU_HELD_MAX);
	KT_CHECK(n == base + 2);
	bool found_a = false, found_b = false;
	for (int i = 0; i < n; i++) {
		found_a |= h[i].lk == &a && h[i].pc == spin_taken_at(&a) && h[i].pc != a_at;
		found_b |= h[i].lk == &b;
	}
	KT_CHECK(found_a && !found_b);
	spin_unlock(&a);
	spin_unlock(&b);
	irq_pop_off();
	KT_CHECK(this_cpu()->irq_depth == base);
	/* a lock taken in someone else's name (a sleep retaking its caller's) */
	spin_lock_as(&a, a_at);
	KT_CHECK(spin_taken_at(&a) == a_at);
	spin_unlock(&a);
}
