/*
 * Trap vector.  From user mode (sscratch != 0) registers go into the
 * task's trap frame and the C handler runs on the kernel stack just below
 * it; from kernel mode (sscratch == 0) a frame is pushed on the current
 * kernel stack.  No page-table switch happens either way: the kernel is
 * mapped in every address space.
 *
 * A trap from the kernel is checked before its frame is pushed: an
 * exception raised by this vector's own code (a nested fault), or a stack
 * the frame does not fit on, would trap again at once, forever, without a
 * word.  Those go to trap_fatal on this hart's emergency stack instead,
 * which reports them and stops the machine.  The check needs t0 and t1;
 * they wait in this hart's struct cpu (tp).
 */
#include "arch/riscv64/cpu.h"
#include "arch/riscv64/memlayout.h"
#include "arch/riscv64/trapframe.h"

/* Stack that must be left below a kernel trap frame for the C handler. */
#define TRAP_STACK_MIN 256
#define FATAL_NESTED   1
#define FATAL_STACK    2

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
	sd	t0, CPU_TRAP_T0(tp)
	sd	t1, CPU_TRAP_T1(tp)
	csrr	t0, scause
	bltz	t0, 1f			/* an interrupt: never raised in here */
	csrr	t0, sepc
	lla	t1, trap_vector
	bltu	t0, t1, 1f
	lla	t1, trap_vector_end
	bltu	t0, t1, 2f
1:	ld	t0, CPU_STACK_BASE(tp)
	addi	t1, sp, -(TF_SIZE + TRAP_STACK_MIN)
	bltu	t1, t0, 3f
	li	t1, KSTACK_SIZE
	add	t0, t0, t1
	bgtu	sp, t0, 3f
	ld	t0, CPU_TRAP_T0(tp)
	ld	t1, CPU_TRAP_T1(tp)
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

2:	li	t1, FATAL_NESTED
	j	trap_fatal_entry
3:	li	t1, FATAL_STACK
	/* fall through */

/* A kernel trap that cannot be handled: t1 = FATAL_*, the trapped t0 and
 * t1 in the cpu's save slots, sp as it was.  A second one on this hart
 * (its report faulted in a way panic does not catch) parks the hart. */
trap_fatal_entry:
	mv	t0, sp
	ld	sp, CPU_FATAL_SP(tp)
	beqz	sp, 5f
	sd	zero, CPU_FATAL_SP(tp)
	addi	sp, sp, -TF_SIZE
	SAVE_GPRS sp
	sd	x4, TF_TP(sp)
	sd	t0, TF_SP(sp)
	mv	a1, t1
	ld	t0, CPU_TRAP_T0(tp)
	sd	t0, 40(sp)
	ld	t0, CPU_TRAP_T1(tp)
	sd	t0, 48(sp)
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
	call	trap_fatal		/* (frame, FATAL_*): does not return */
5:	wfi
	j	5b

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

	.globl trap_vector_end
trap_vector_end:
