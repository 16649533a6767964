/*
 * Futexes: a task sleeps on a 32-bit user word until another wakes it.
 *
 * A waiter names a word and the value it expects there; if the word
 * still holds it, the waiter sleeps, and the test and the queueing are
 * one step against wakers (both happen under the word's hash bucket
 * lock), so a wake-up that follows a store to the word is never lost.
 *
 * Keys: a private futex (FUTEX_F_SHARED clear) is (address space,
 * address) and never leaves the address space.  A shared one is the
 * vnode and offset of the word when it lies in a shared mapping (a file,
 * or MAP_SHARED anonymous memory shared across fork), else (address
 * space, address) marked shared, as Linux does: so private waiters and
 * shared wakers (or the other way round) do not meet, on Linux neither.
 *
 * The word format of robust mutexes (owner tid, FUTEX_WAITERS,
 * FUTEX_OWNER_DIED) is the one glibc and Linux use.
 */
#ifndef PROC_FUTEX_H
#define PROC_FUTEX_H

#include <stdbool.h>
#include <stdint.h>

struct task;

/* flags of every call */
#define FUTEX_F_SHARED 0x1 /* the word may be shared across address spaces */

#define FUTEX_BITSET_ANY 0xffffffffu

/* robust mutex words */
#define FUTEX_WORD_WAITERS    0x80000000u
#define FUTEX_WORD_OWNER_DIED 0x40000000u
#define FUTEX_WORD_TID_MASK   0x3fffffffu

/* Sleeps on the word at uaddr if it holds val, until a wake whose bitset
 * meets bitset (non-zero), a signal, or monotonic time deadline_ns
 * (0: none).  Returns 0 when woken, -EAGAIN when the word differs,
 * -ETIMEDOUT, -EINTR, -EFAULT, -EINVAL (unaligned, bitset 0). */
int futex_wait(uint64_t uaddr, unsigned flags, uint32_t val, uint32_t bitset, uint64_t deadline_ns);

/* Wakes up to nr waiters on uaddr whose bitset meets bitset (at least one,
 * as Linux, when nr <= 0).  Returns how many; -EINVAL (unaligned,
 * bitset 0), -EFAULT (a shared futex outside any mapping). */
int futex_wake(uint64_t uaddr, unsigned flags, int nr, uint32_t bitset);

/* Wakes up to nr_wake waiters of uaddr and moves up to nr_requeue more to
 * uaddr2.  With cmpval, first checks that uaddr holds *cmpval (-EAGAIN
 * otherwise).  Returns woken + moved; -EINVAL for negative counts. */
int futex_requeue(uint64_t uaddr, uint64_t uaddr2, unsigned flags, int nr_wake, int nr_requeue,
                  const uint32_t *cmpval);

/* FUTEX_WAKE_OP's operation on the second word and its test. */
enum futex_op_kind {
	FUTEX_OP_K_SET,
	FUTEX_OP_K_ADD,
	FUTEX_OP_K_OR,
	FUTEX_OP_K_ANDN,
	FUTEX_OP_K_XOR
};
enum futex_cmp_kind {
	FUTEX_CMP_K_EQ,
	FUTEX_CMP_K_NE,
	FUTEX_CMP_K_LT,
	FUTEX_CMP_K_LE,
	FUTEX_CMP_K_GT,
	FUTEX_CMP_K_GE
};
struct futex_op {
	unsigned op;  /* enum futex_op_kind; others give -ENOSYS */
	unsigned cmp; /* enum futex_cmp_kind; others give -ENOSYS after the op */
	uint32_t oparg;
	int32_t cmparg;
};

/* Applies op to the word at uaddr2 atomically, wakes up to nr_wake
 * waiters of uaddr, and up to nr_wake2 of uaddr2 if the old value of
 * uaddr2 passes op's test.  Returns how many were woken; -EFAULT when
 * uaddr2 is not writable, -ENOSYS for an unknown operation or test. */
int futex_wake_op(uint64_t uaddr, uint64_t uaddr2, unsigned flags, int nr_wake, int nr_wake2,
                  const struct futex_op *op);

/* Atomically replaces the word at uaddr with new if it holds old:
 * 0 (*seen = old), -EAGAIN (*seen = what it holds), -EFAULT.  May sleep
 * to fault the page in. */
int futex_cmpxchg(uint64_t uaddr, uint32_t old, uint32_t new, uint32_t *seen);

/* t (the current task) leaves its address space, at exit or exec: marks
 * the robust mutexes it still holds FUTEX_WORD_OWNER_DIED and wakes a
 * waiter of each; then, if the address space is shared, zeroes its
 * clear-child-tid word and wakes one waiter there (pthread_join). */
void futex_mm_release(struct task *t);

#endif
