/*
 * RISC-V supervisor-mode CSRs and instructions as small inline helpers,
 * so that magic numbers live here with names.
 */
#ifndef ARCH_RISCV_H
#define ARCH_RISCV_H

#include <stdint.h>

#define SSTATUS_SIE        (1UL << 1)
#define SSTATUS_SPIE       (1UL << 5)
#define SSTATUS_SPP        (1UL << 8)
#define SSTATUS_FS_MASK    (3UL << 13)
#define SSTATUS_FS_OFF     (0UL << 13)
#define SSTATUS_FS_INITIAL (1UL << 13)
#define SSTATUS_FS_CLEAN   (2UL << 13)
#define SSTATUS_FS_DIRTY   (3UL << 13)
#define SSTATUS_SUM        (1UL << 18)

#define SIE_SSIE (1UL << 1)
#define SIE_STIE (1UL << 5)
#define SIE_SEIE (1UL << 9)

#define SCAUSE_INTERRUPT     (1UL << 63)
#define IRQ_S_SOFT           1
#define IRQ_S_TIMER          5
#define IRQ_S_EXT            9
#define EXC_INST_MISALIGNED  0
#define EXC_INST_ACCESS      1
#define EXC_ILLEGAL_INST     2
#define EXC_BREAKPOINT       3
#define EXC_LOAD_MISALIGNED  4
#define EXC_LOAD_ACCESS      5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS     7
#define EXC_ECALL_U          8
#define EXC_INST_PAGE_FAULT  12
#define EXC_LOAD_PAGE_FAULT  13
#define EXC_STORE_PAGE_FAULT 15

#define SATP_MODE_SV39  (8UL << 60)
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK  0xffffUL
#define SATP_PPN_MASK   ((1UL << 44) - 1)

#define csr_read(csr)                                                                              \
	({                                                                                         \
		uint64_t __v;                                                                      \
		__asm__ volatile("csrr %0, " #csr : "=r"(__v)::"memory");                          \
		__v;                                                                               \
	})
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" ::"rK"(val) : "memory")
#define csr_set(csr, val)   __asm__ volatile("csrs " #csr ", %0" ::"rK"(val) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " #csr ", %0" ::"rK"(val) : "memory")

static inline void irq_enable(void)
{
	csr_set(sstatus, SSTATUS_SIE);
}

static inline void irq_disable(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
}

static inline int irq_enabled(void)
{
	return (csr_read(sstatus) & SSTATUS_SIE) != 0;
}

static inline void sfence_vma_all(void)
{
	__asm__ volatile("sfence.vma zero, zero" ::: "memory");
}

static inline void sfence_vma_asid(uint64_t asid)
{
	__asm__ volatile("sfence.vma zero, %0" ::"r"(asid) : "memory");
}

static inline void sfence_vma_page(uint64_t va)
{
	__asm__ volatile("sfence.vma %0, zero" ::"r"(va) : "memory");
}

static inline void wfi(void)
{
	__asm__ volatile("wfi");
}

static inline uint64_t rdtime(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

#endif
