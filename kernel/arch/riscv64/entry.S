/*
 * Boot entry.  OpenSBI starts the boot hart at _start in S-mode with the
 * MMU off, a0 = hart id, a1 = physical address of the device tree; other
 * harts are started later through SBI HSM at _secondary_start with
 * a1 = the top of their (virtual) boot stack.  Both switch to the boot
 * page table, which maps all physical memory at DIRECT_MAP_BASE plus an
 * identity gigapage for the jump, then continue at virtual addresses.
 */
#include "arch/riscv64/memlayout.h"

#define PTE_KERNEL_GIGA 0xef /* V R W X G A D */
#define PTE_BOOT_IDENT 0xcf  /* V R W X A D */

	.section .text.boot, "ax"
	.globl _start
_start:
	/* OpenSBI 1.1 (Debian 12) sometimes releases a second hart here as
	 * well (seen about once in 300 boots under load).  Only the first to
	 * claim the boot runs the kernel; a later one hands itself back to
	 * SBI HSM, from which the kernel starts it as a secondary.  The flag
	 * is in .data: .bss is not zeroed yet. */
	lla	t0, boot_claimed
	li	t1, 1
	amoswap.w.aqrl	t1, t1, (t0)
	bnez	t1, give_back_extra_hart
	lla	sp, boot_stack_top
	/* zero .bss (physical addresses: still running with the MMU off) */
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	enable_boot_mmu
	li	t1, DIRECT_MAP_BASE
	add	sp, sp, t1
	lla	t0, 3f
	add	t0, t0, t1
	jr	t0
3:	call	kmain	/* (hartid, fdt physical address) */
4:	wfi
	j	4b

	.globl _secondary_start
_secondary_start:
	mv	s0, a1
	call	enable_boot_mmu
	mv	sp, s0
	li	t1, DIRECT_MAP_BASE
	lla	t0, 5f
	add	t0, t0, t1
	jr	t0
5:	call	secondary_main	/* (hartid) */
6:	wfi
	j	6b

give_back_extra_hart:
	li	a7, 0x48534D	/* the SBI HSM extension */
	li	a6, 1		/* hart_stop: does not return when it works */
	ecall
7:	wfi
	j	7b

/* Turns on Sv39 with boot_pagetable; clobbers t0, t1. */
enable_boot_mmu:
	lla	t0, boot_pagetable
	srli	t0, t0, 12
	li	t1, (8 << 60)
	or	t0, t0, t1
	sfence.vma
	csrw	satp, t0
	sfence.vma
	ret

	.section .data
	.balign 4
boot_claimed:
	.word 0

	.balign 4096
	.globl boot_pagetable
boot_pagetable:
	.quad 0
	.quad 0
	.quad ((0x80000000 >> 12) << 10) | PTE_BOOT_IDENT
	.fill 253, 8, 0
	/* entries 256..319: physical 0..64 GiB at DIRECT_MAP_BASE */
	.set gib, 0
	.rept 64
	.quad (gib << 28) | PTE_KERNEL_GIGA
	.set gib, gib + 1
	.endr
	.fill 192, 8, 0

	.section .bss
	.balign 16
	.globl boot_stack
boot_stack:
	.space KSTACK_SIZE
boot_stack_top:
