/*
 * Per-hart timer interrupts (SBI timer, or the Sstc stimecmp CSR when the
 * hart has it), the time source, and inter-processor interrupts.
 */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct cpu;

void timer_init(uint64_t timebase_hz, bool has_sstc);
/* Enables this hart's timer and software interrupts; first tick. */
void timer_start_cpu(void);
/* Monotonic time since boot. */
uint64_t timer_now_ns(void);
/* Programs this hart's next timer interrupt at monotonic time ns. */
void timer_program(uint64_t ns);
/* Programs this hart for the earlier of its next tick and the first
 * timed sleep or kernel timer. */
void timer_reprogram(void);
/* Handles a timer interrupt on this hart. */
void timer_intr(void);

void cpu_send_ipi(struct cpu *c);
void ipi_intr(void);

#endif
