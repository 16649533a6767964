/*
 * Per-hart state.  In the kernel, tp always points at the running hart's
 * struct cpu.  The first fields are used by the trap vector (trapvec.S),
 * at the offsets below.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#define CPU_TRAP_T0    8
#define CPU_TRAP_T1    16
#define CPU_STACK_BASE 24
#define CPU_FATAL_SP   32

#ifndef __ASSEMBLER__
#include <stddef.h>
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
	uint64_t trap_t0, trap_t1; /* saved while the vector checks a kernel trap */
	uint64_t stack_base;       /* bottom of the KSTACK_SIZE stack in use */
	uint64_t fatal_sp;         /* emergency stack for trap_fatal; 0 once used */
	uint64_t idle_stack_base;  /* the stack scheduler_loop runs on */
	uint64_t satp;             /* what this hart last wrote to satp */
	uint64_t last_tick_ns;     /* its last timer interrupt (the watchdog's heartbeat) */
	int id;                    /* index in cpus[] */
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
	bool parked; /* stopped by cpu_stop_others */
};

_Static_assert(offsetof(struct cpu, trap_t0) == CPU_TRAP_T0, "cpu layout");
_Static_assert(offsetof(struct cpu, trap_t1) == CPU_TRAP_T1, "cpu layout");
_Static_assert(offsetof(struct cpu, stack_base) == CPU_STACK_BASE, "cpu layout");
_Static_assert(offsetof(struct cpu, fatal_sp) == CPU_FATAL_SP, "cpu layout");

extern struct cpu cpus[MAX_CPUS];
extern int ncpus;

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("mv %0, tp" : "=r"(c));
	return c;
}

/* This hart now runs on the KSTACK_SIZE stack at base (the trap vector
 * checks kernel frames against it). */
static inline void cpu_set_stack(struct cpu *c, const void *base)
{
	c->stack_base = (uint64_t)base;
}

/* Stopping harts for a panic (cpu_stop.c): the others park at their next
 * interrupt, or in spin_lock's wait; a parked hart never runs again. */
void cpu_stop_others(void);
bool cpu_stop_requested(void);
void cpu_park(void) __attribute__((noreturn));
bool cpu_parked(const struct cpu *c);

void context_switch(struct context *old, struct context *new);
void fpu_save(uint64_t regs[33]);
void fpu_restore(const uint64_t regs[33]);

#endif /* __ASSEMBLER__ */

#endif
