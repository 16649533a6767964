/*
 * Platform-Level Interrupt Controller: routes device interrupts to harts'
 * supervisor contexts.
 */
#ifndef ARCH_PLIC_H
#define ARCH_PLIC_H

#include <stdint.h>

typedef void (*irq_handler_fn)(void *arg);

void plic_init(uint64_t pa);
/* Enables irq on every hart's S-mode context, calling fn(arg). */
void plic_register(unsigned irq, irq_handler_fn fn, void *arg);
/* Per hart: sets the priority threshold of its S-mode context. */
void plic_init_hart(unsigned long hartid);
/* Claims, dispatches and completes pending interrupts. */
void plic_intr(void);

#endif
