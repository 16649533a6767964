/*
 * Virtual memory layout (Sv39).
 *
 * Lower half (user): 0 .. USER_TOP.  Programs are linked at USER_TEXT_BASE
 * (native) or 0 (xv6); the stack grows down from USER_STACK_TOP with an
 * unmapped guard page below its lowest allowed page; anonymous mmaps are
 * placed downward from USER_MMAP_TOP.
 *
 * Upper half (kernel, present in every page table, global): all physical
 * memory and MMIO is mapped at DIRECT_MAP_BASE + pa with 1 GiB pages, and
 * the kernel image runs from that direct map (linked at
 * DIRECT_MAP_BASE + KERNEL_PHYS_BASE).  So a system call never switches
 * page tables.
 */
#ifndef ARCH_MEMLAYOUT_H
#define ARCH_MEMLAYOUT_H

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

#define PAGE_SIZE  UL(4096)
#define PAGE_SHIFT 12

#define DIRECT_MAP_BASE  UL(0xffffffc000000000)
#define DIRECT_MAP_SIZE  (UL(64) << 30) /* 64 GiB of physical address space */
#define KERNEL_PHYS_BASE UL(0x80200000)

#define USER_TOP       UL(0x4000000000) /* end of the Sv39 lower half */
#define USER_STACK_TOP UL(0x3ffffff000)
#define USER_STACK_MAX (UL(8) << 20)
#define USER_MMAP_TOP  UL(0x3f00000000)
#define USER_TEXT_BASE UL(0x10000)

#define KSTACK_SIZE (UL(16) * 1024)

#ifndef __ASSEMBLER__
#include <stdint.h>
typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;
#define PA_TO_VA(pa) ((void *)((uint64_t)(pa) + DIRECT_MAP_BASE))
#define VA_TO_PA(va) ((paddr_t)((uint64_t)(va)-DIRECT_MAP_BASE))
#endif

#endif
