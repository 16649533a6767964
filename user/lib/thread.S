/*
 * sc_thread_create(fn, arg, stack_top): SYS_clone sharing the address
 * space, handles and fs.  The child starts on the new stack, where no C
 * frame exists, so it runs fn(arg) from here and exits with its result.
 */
#include <scarlet/syscall.h>

#define CLONE_THREAD_FLAGS 7 /* CLONE_SHARE_VM | _FILES | _FS (scarlet/abi.h) */

	.text
	.globl sc_thread_create
sc_thread_create:
	mv	t0, a0		/* fn */
	mv	t1, a1		/* arg */
	li	a0, CLONE_THREAD_FLAGS
	mv	a1, a2		/* stack */
	li	a2, 0		/* tls: keep tp */
	li	a7, SYS_clone
	ecall
	bnez	a0, 1f
	/* child: t0/t1 were copied with the trap frame */
	mv	a0, t1
	jalr	t0
	li	a7, SYS_exit
	ecall
1:	bgez	a0, 2f
	neg	a0, a0
	la	t2, errno
	sw	a0, 0(t2)
	li	a0, -1
2:	ret
