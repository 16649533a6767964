/*
 * The lockup watchdog (see watchdog.h).
 */
#include "core/watchdog.h"

#include "arch/riscv64/cpu.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/timer.h"
#include "core/kernel.h"
#include "core/spinlock.h"
#include "proc/task.h"

#define NS_PER_MS 1000000UL

static uint64_t watchdog_ns = WATCHDOG_DEFAULT_SECONDS * 1000 * NS_PER_MS;

void watchdog_set_seconds(unsigned seconds)
{
	watchdog_ns = (uint64_t)seconds * 1000 * NS_PER_MS;
}

static const char *hart_state(const struct cpu *c, uint64_t now)
{
	if (c == this_cpu())
		return "reporting";
	if (!c->online)
		return "offline";
	if (cpu_parked(c))
		return "stopped for the report";
	if (watchdog_ns && now - c->last_tick_ns > watchdog_ns)
		return "NOT RESPONDING";
	return "running";
}

void watchdog_print_harts(void)
{
	uint64_t now = timer_now_ns();
	for (int i = 0; i < ncpus; i++) {
		struct cpu *c = &cpus[i];
		struct task *t = c->task;
		printk("  cpu %d (hart %lu): %s, last timer interrupt %lu ms ago, satp %016lx, ", i,
		       c->hartid, hart_state(c, now), (now - c->last_tick_ns) / NS_PER_MS, c->satp);
		if (t)
			printk("task %d (%.16s)\n", t->pid, t->name);
		else
			printk("in the scheduler\n");
	}
}

/* Starts a panic report about a stopped hart; does not return. */
static void report_lockup(const char *what, int cpu, uint64_t ms, const char *lock)
{
	panic_begin();
	printk("\nkernel panic on cpu %d: watchdog: ", this_cpu()->id);
	if (lock)
		printk("spinlock '%s' held by cpu %d for %lu ms\n", lock, cpu, ms);
	else
		printk("cpu %d %s for %lu ms\n", cpu, what, ms);
	printk("(a hart in a trap loop or with interrupts off for good; its last state:)\n");
	watchdog_print_harts();
	panic_end((uint64_t)__builtin_frame_address(0), 0);
}

void watchdog_tick(uint64_t now)
{
	struct cpu *self = this_cpu();
	self->last_tick_ns = now;
	if (!watchdog_ns)
		return;
	for (int i = 0; i < ncpus; i++) {
		struct cpu *c = &cpus[i];
		uint64_t last = __atomic_load_n(&c->last_tick_ns, __ATOMIC_RELAXED);
		if (c == self || !c->online || cpu_parked(c) || last >= now)
			continue;
		if (now - last > 2 * watchdog_ns) /* a spinning hart reports first */
			report_lockup("took no timer interrupt", i, (now - last) / NS_PER_MS, NULL);
	}
}

void watchdog_spinning(struct spinlock *lk, uint64_t *since)
{
	if (cpu_stop_requested())
		cpu_park();
	uint64_t now = timer_now_ns();
	if (!*since) {
		*since = now;
		return;
	}
	if (watchdog_ns && now - *since > watchdog_ns) {
		struct cpu *owner = lk->owner;
		report_lockup(NULL, owner ? owner->id : -1, (now - *since) / NS_PER_MS, lk->name);
	}
}
