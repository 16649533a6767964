/*
 * PLIC driver (RISC-V PLIC specification; QEMU virt: context 2*hart+1 is
 * the hart's S-mode context).
 */
#include "arch/riscv64/plic.h"

#include "arch/riscv64/cpu.h"
#include "arch/riscv64/memlayout.h"
#include "core/kernel.h"

#define PLIC_PRIORITY(irq)  (0x0 + 4 * (irq))
#define PLIC_ENABLE(ctx)    (0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)     (0x200004 + 0x1000 * (ctx))
#define MAX_IRQ             128

static volatile uint8_t *plic;
static struct {
	irq_handler_fn fn;
	void *arg;
} handlers[MAX_IRQ];

static volatile uint32_t *reg(uint64_t off)
{
	return (volatile uint32_t *)(plic + off);
}

static unsigned s_context(unsigned long hartid)
{
	return 2 * hartid + 1;
}

void plic_init(uint64_t pa)
{
	plic = PA_TO_VA(pa);
}

void plic_register(unsigned irq, irq_handler_fn fn, void *arg)
{
	if (!plic || irq == 0 || irq >= MAX_IRQ)
		return;
	handlers[irq].fn = fn;
	handlers[irq].arg = arg;
	*reg(PLIC_PRIORITY(irq)) = 1;
	for (int i = 0; i < ncpus; i++) {
		unsigned ctx = s_context(cpus[i].hartid);
		*reg(PLIC_ENABLE(ctx) + 4 * (irq / 32)) |= 1U << (irq % 32);
	}
}

void plic_init_hart(unsigned long hartid)
{
	if (plic)
		*reg(PLIC_THRESHOLD(s_context(hartid))) = 0;
}

void plic_intr(void)
{
	unsigned ctx = s_context(this_cpu()->hartid);
	for (;;) {
		uint32_t irq = *reg(PLIC_CLAIM(ctx));
		if (irq == 0)
			return;
		if (irq < MAX_IRQ && handlers[irq].fn)
			handlers[irq].fn(handlers[irq].arg);
		*reg(PLIC_CLAIM(ctx)) = irq;
	}
}
