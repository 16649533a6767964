/*
 * "panic-test=KIND" on the command line: fails on purpose, so that the
 * tests can check that each kind of failure reaches the console
 * (tests/integration/test_system.py).
 *   (empty)      a plain panic;
 *   kernel-fault a load from an unmapped kernel address;
 *   trap-stack   a kernel trap with sp just above the stack's bottom;
 *   trap-nested  a kernel trap whose frame store faults (sp unmapped);
 *   lockup       waiting for a spinlock that another hart never releases;
 *   stuck-hart   hart 1 switches to an empty page table and traps forever,
 *                as on a freed page table (the watchdog reports it).
 */
#include "arch/riscv64/cpu.h"
#include "arch/riscv64/memlayout.h"
#include "arch/riscv64/mmu.h"
#include "core/boot.h"
#include "core/kernel.h"
#include "core/spinlock.h"
#include "mm/page.h"
#include "proc/sched.h"
#include "proc/task.h"

/* Nothing is mapped past the 64 GiB direct map. */
#define UNMAPPED_VA (DIRECT_MAP_BASE + (UL(64) << 30))

static void __attribute__((noreturn)) trap_with_sp(uint64_t sp)
{
	__asm__ volatile("mv sp, %0\n\tebreak" ::"r"(sp) : "memory");
	__builtin_unreachable();
}

static void stuck_hart(void *arg)
{
	(void)arg;
	if (ncpus < 2)
		panic("panic-test=stuck-hart needs two harts");
	while (!(sched_online_mask() & (1ULL << 1))) /* hart 1 may still be starting */
		sched_yield();
	sched_set_affinity(current(), 1ULL << 1);
	pte_t *empty = page_alloc_zeroed(0);
	if (!empty)
		panic("panic-test: no memory");
	printk("panic-test: cpu %d switches to an empty page table\n", this_cpu()->id);
	pt_activate(empty, 0);
	for (;;) /* not reached: the next fetch faults, and so does the vector's */
		;
}

void panic_test_run(const char *kind)
{
	struct cpu *c = this_cpu();
	if (strcmp(kind, "") == 0) {
		panic("panic-test requested on the command line");
	} else if (strcmp(kind, "trap-stack") == 0) {
		trap_with_sp(c->stack_base + 64);
	} else if (strcmp(kind, "kernel-fault") == 0) {
		(void)*(volatile int *)UNMAPPED_VA;
	} else if (strcmp(kind, "trap-nested") == 0) {
		cpu_set_stack(c, (void *)UNMAPPED_VA);
		trap_with_sp(UNMAPPED_VA + KSTACK_SIZE / 2);
	} else if (strcmp(kind, "lockup") == 0) {
		static struct spinlock never_released = SPINLOCK_INIT("panic-test");
		never_released.locked = 1;
		never_released.owner = &cpus[ncpus - 1];
		spin_lock(&never_released);
	} else if (strcmp(kind, "stuck-hart") == 0) {
		if (!kthread_create("stuck-hart", stuck_hart, NULL))
			panic("panic-test: no memory");
		return;
	}
	panic("panic-test: unknown kind '%s'", kind);
}
