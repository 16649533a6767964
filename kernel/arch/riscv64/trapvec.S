/*
 * Trap vector.  From user mode (sscratch != 0) registers go into the
 * task's trap frame and the C handler runs on the kernel stack just below
 * it; from kernel mode (sscratch == 0) a frame is pushed on the current
 * kernel stack.  No page-table switch happens either way: the kernel is
 * mapped in every address space.
 */
#include "arch/riscv64/trapframe.h"

.macro SAVE_GPRS base
	sd	x1, 8(\base)
	sd	x3, 24(\base)
	sd	x5, 40(\base)
	sd	x6, 48(\base)
	sd	x7, 56(\base)
	sd	x8, 64(\base)
	sd	x9, 72(\base)
	sd	x10, 80(\base)
	sd	x11, 88(\base)
	sd	x12, 96(\base)
	sd	x13, 104(\base)
	sd	x14, 112(\base)
	sd	x15, 120(\base)
	sd	x16, 128(\base)
	sd	x17, 136(\base)
	sd	x18, 144(\base)
	sd	x19, 152(\base)
	sd	x20, 160(\base)
	sd	x21, 168(\base)
	sd	x22, 176(\base)
	sd	x23, 184(\base)
	sd	x24, 192(\base)
	sd	x25, 200(\base)
	sd	x26, 208(\base)
	sd	x27, 216(\base)
	sd	x28, 224(\base)
	sd	x29, 232(\base)
	sd	x30, 240(\base)
	sd	x31, 248(\base)
.endm

/* Restores everything but sp and the base register itself. */
.macro RESTORE_GPRS base
	ld	x1, 8(\base)
	ld	x3, 24(\base)
	ld	x4, 32(\base)
	ld	x5, 40(\base)
	ld	x6, 48(\base)
	ld	x7, 56(\base)
	ld	x8, 64(\base)
	ld	x9, 72(\base)
	ld	x11, 88(\base)
	ld	x12, 96(\base)
	ld	x13, 104(\base)
	ld	x14, 112(\base)
	ld	x15, 120(\base)
	ld	x16, 128(\base)
	ld	x17, 136(\base)
	ld	x18, 144(\base)
	ld	x19, 152(\base)
	ld	x20, 160(\base)
	ld	x21, 168(\base)
	ld	x22, 176(\base)
	ld	x23, 184(\base)
	ld	x24, 192(\base)
	ld	x25, 200(\base)
	ld	x26, 208(\base)
	ld	x27, 216(\base)
	ld	x28, 224(\base)
	ld	x29, 232(\base)
	ld	x30, 240(\base)
	ld	x31, 248(\base)
.endm

	.section .text
	.balign 4
	.globl trap_vector
trap_vector:
	csrrw	sp, sscratch, sp
	bnez	sp, from_user

	/* from the kernel: sscratch now holds the interrupted sp */
	csrrw	sp, sscratch, sp
	addi	sp, sp, -TF_SIZE
	SAVE_GPRS sp
	sd	x4, TF_TP(sp)
	addi	t0, sp, TF_SIZE
	sd	t0, TF_SP(sp)
	csrr	t0, sepc
	sd	t0, TF_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, TF_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, TF_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, TF_STVAL(sp)
	/* keep the frame-pointer chain walkable for backtraces */
	mv	s0, sp
	mv	a0, sp
	call	kernel_trap
	ld	t0, TF_SEPC(sp)
	csrw	sepc, t0
	ld	t0, TF_SSTATUS(sp)
	csrw	sstatus, t0
	mv	a0, sp
	RESTORE_GPRS a0
	ld	a0, TF_A0(sp)
	addi	sp, sp, TF_SIZE
	sret

from_user:
	/* sp = this task's trap frame, sscratch = user sp */
	SAVE_GPRS sp
	sd	x4, TF_TP(sp)
	csrr	t0, sscratch
	sd	t0, TF_SP(sp)
	csrw	sscratch, zero
	ld	tp, TF_KTP(sp)
	csrr	t0, sepc
	sd	t0, TF_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, TF_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, TF_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, TF_STVAL(sp)
	li	s0, 0
	mv	a0, sp
	call	user_trap
	/* user_trap returns the frame to resume (normally the same) */

	.globl trap_return_to_user
trap_return_to_user:
	/* a0 = trap frame; interrupts are off */
	sd	tp, TF_KTP(a0)
	csrw	sscratch, a0
	ld	t0, TF_SEPC(a0)
	csrw	sepc, t0
	ld	t0, TF_SSTATUS(a0)
	csrw	sstatus, t0
	RESTORE_GPRS a0
	ld	sp, TF_SP(a0)
	ld	a0, TF_A0(a0)
	sret
