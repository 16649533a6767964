/*
 * Per-hart state.  In the kernel, tp always points at the running hart's
 * struct cpu.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define MAX_CPUS 8

struct task;
struct spinlock;

/* Callee-saved registers of a kernel thread (see switch.S). */
struct context {
	uint64_t ra, sp;
	uint64_t s[12];
};

/* What one level of irq_depth stands for: a spinlock (lk) or a bare
 * irq_push_off (lk NULL, called from pc).  For might_sleep's report only
 * (spin_held_levels). */
struct held_lock {
	const struct spinlock *lk;
	uint64_t pc;
};

#define CPU_HELD_MAX 8 /* levels recorded; deeper ones are counted only */

struct cpu {
	struct cpu *self;
	int id; /* index in cpus[] */
	unsigned long hartid;
	struct task *task; /* running task, or NULL in the scheduler */
	struct context sched_ctx;
	int irq_depth;                       /* nesting of irq_push_off */
	bool irq_were_enabled;               /* before the outermost irq_push_off */
	struct held_lock held[CPU_HELD_MAX]; /* by level (spin_held_levels) */
	bool online;
	bool idle;          /* waiting in wfi for work */
	uint64_t next_tick; /* time of the next scheduler tick */
	uint64_t idle_ns;
};

extern struct cpu cpus[MAX_CPUS];
extern int ncpus;

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("mv %0, tp" : "=r"(c));
	return c;
}

void context_switch(struct context *old, struct context *new);
void fpu_save(uint64_t regs[33]);
void fpu_restore(const uint64_t regs[33]);

#endif
