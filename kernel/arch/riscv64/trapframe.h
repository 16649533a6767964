/*
 * The registers saved on a trap.  A task's user trap frame sits at the
 * top of its kernel stack; sscratch points at it while the task runs in
 * user mode (and is 0 while in the kernel), which is how trap.S tells the
 * two apart.  Offsets are used by trap.S.
 */
#ifndef ARCH_TRAPFRAME_H
#define ARCH_TRAPFRAME_H

#define TF_RA      8
#define TF_SP      16
#define TF_GP      24
#define TF_TP      32
#define TF_A0      80
#define TF_SEPC    256
#define TF_SSTATUS 264
#define TF_SCAUSE  272
#define TF_STVAL   280
#define TF_KTP     288
#define TF_SIZE    304

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trapframe {
	uint64_t x[32]; /* x[0] unused; x[1]=ra, x[2]=sp, x[10..17]=a0..a7 */
	uint64_t sepc;
	uint64_t sstatus;
	uint64_t scause;
	uint64_t stval;
	uint64_t ktp;     /* kernel tp (this hart's struct cpu) for the next entry */
	uint64_t orig_a0; /* a0 at a system call's entry, to restart it */
};

_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe layout");

#define tf_a(tf, n)       ((tf)->x[10 + (n)])
#define tf_sp(tf)         ((tf)->x[2])
#define tf_tp(tf)         ((tf)->x[4])
#define tf_ra(tf)         ((tf)->x[1])
#define tf_s0(tf)         ((tf)->x[8])
#define tf_syscall_nr(tf) ((tf)->x[17])

/* Enters user mode with this frame; never returns. */
void trap_return_to_user(struct trapframe *tf) __attribute__((noreturn));
#endif

#endif
