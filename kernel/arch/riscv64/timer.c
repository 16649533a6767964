/*
 * Timer and IPIs (see timer.h).  Each hart ticks every SCHED_TICK_NS and
 * programs its comparator for the earlier of its next tick and the next
 * timed sleep.
 */
#include "arch/riscv64/timer.h"

#include "arch/riscv64/cpu.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/sbi.h"
#include "core/kernel.h"
#include "core/spinlock.h"
#include "core/watchdog.h"
#include "proc/sched.h"

#define CSR_STIMECMP 0x14d

static uint64_t timebase;
static bool use_sstc;
static uint64_t boot_ticks;

void timer_init(uint64_t timebase_hz, bool has_sstc)
{
	timebase = timebase_hz ? timebase_hz : 10000000;
	use_sstc = has_sstc;
	boot_ticks = rdtime();
}

uint64_t timer_now_ns(void)
{
	uint64_t t = rdtime() - boot_ticks;
	/* split to avoid overflow: whole seconds plus the remainder */
	return (t / timebase) * 1000000000ULL + (t % timebase) * 1000000000ULL / timebase;
}

static uint64_t ns_to_ticks(uint64_t ns)
{
	return (ns / 1000000000ULL) * timebase + (ns % 1000000000ULL) * timebase / 1000000000ULL;
}

void timer_program(uint64_t ns)
{
	uint64_t when = boot_ticks + ns_to_ticks(ns);
	if (use_sstc)
		__asm__ volatile("csrw %0, %1" ::"i"(CSR_STIMECMP), "r"(when));
	else
		sbi_set_timer(when);
}

static void program_next(struct cpu *c)
{
	uint64_t next = c->next_tick;
	uint64_t sleeper = sleep_timer_next();
	if (sleeper && sleeper < next)
		next = sleeper;
	timer_program(next);
}

void timer_reprogram(void)
{
	irq_push_off();
	program_next(this_cpu());
	irq_pop_off();
}

void timer_start_cpu(void)
{
	struct cpu *c = this_cpu();
	c->last_tick_ns = timer_now_ns(); /* the watchdog's first heartbeat */
	c->next_tick = c->last_tick_ns + SCHED_TICK_NS;
	program_next(c);
	csr_set(sie, SIE_STIE | SIE_SSIE | SIE_SEIE);
}

void timer_intr(void)
{
	struct cpu *c = this_cpu();
	uint64_t now = timer_now_ns();
	watchdog_tick(now);
	if (now >= c->next_tick) {
		c->next_tick = now + SCHED_TICK_NS;
		sched_tick();
	} else {
		sleep_timer_expire(now);
	}
	program_next(c);
}

void cpu_send_ipi(struct cpu *c)
{
	sbi_send_ipi(1UL, c->hartid);
}

void ipi_intr(void)
{
	csr_clear(sip, SIE_SSIE);
	if (cpu_stop_requested())
		cpu_park();
}
