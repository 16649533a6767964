/*
 * Stopping the other harts when one panics (see cpu.h), so that they
 * neither print over the report nor go on changing what it describes.
 * A hart with interrupts on parks at the IPI; one waiting for a spinlock
 * parks from its wait loop; one that can run no code at all (a trap loop)
 * stops when the machine powers off.
 */
#include "arch/riscv64/cpu.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/timer.h"

#define STOP_WAIT_NS 100000000ULL /* 100 ms */

static volatile bool stopping;

bool cpu_stop_requested(void)
{
	return __atomic_load_n(&stopping, __ATOMIC_RELAXED);
}

void cpu_park(void)
{
	irq_disable();
	__atomic_store_n(&this_cpu()->parked, true, __ATOMIC_RELEASE);
	for (;;)
		wfi();
}

bool cpu_parked(const struct cpu *c)
{
	return __atomic_load_n(&c->parked, __ATOMIC_ACQUIRE);
}

void cpu_stop_others(void)
{
	struct cpu *self = this_cpu();
	__atomic_store_n(&stopping, true, __ATOMIC_SEQ_CST);
	for (int i = 0; i < ncpus; i++) { /* one still starting parks when it can */
		if (&cpus[i] != self)
			cpu_send_ipi(&cpus[i]);
	}
	/* Let them park before the report, but not for long: a hart in a
	 * trap loop never will. */
	uint64_t until = timer_now_ns() + STOP_WAIT_NS;
	for (int i = 0; i < ncpus; i++) {
		while (&cpus[i] != self && cpus[i].online && !cpu_parked(&cpus[i]) &&
		       timer_now_ns() < until)
			;
	}
}
