/*
 * What a task owes its futex waiters when it leaves its address space
 * (futex_mm_release, from task_mm_release at exit and exec).
 *
 * Robust list: a task registers the head of a user list of the robust
 * mutexes it holds (set_robust_list).  The layout is the one glibc and
 * Linux share: the head is {next, futex_offset, list_op_pending}; each
 * entry is a pointer to the next (bit 0 marks a PI mutex) and its lock
 * word sits futex_offset bytes from the entry.  The list is user memory,
 * so it is read with fault checks and walked at most ROBUST_LIST_LIMIT
 * entries (a loop in it cannot hang the exit).
 */
#include "core/kernel.h"
#include "core/uaccess.h"
#include "mm/vm.h"
#include "proc/futex.h"
#include "proc/task.h"

#define ROBUST_LIST_LIMIT 2048
#define OWNER_DIED_TRIES  64

struct robust_head {
	uint64_t next;
	int64_t futex_offset;
	uint64_t pending;
};

/* Reads the pointer at uaddr: the entry it names and its PI bit. */
static int fetch_entry(uint64_t uaddr, uint64_t *entry, bool *pi)
{
	uint64_t v;
	if (copy_from_user(&v, (const void *)uaddr, sizeof(v)) < 0)
		return -EFAULT;
	*entry = v & ~1ull;
	*pi = v & 1;
	return 0;
}

/* The lock word at uaddr loses its owner t: if t holds it, it becomes
 * FUTEX_WORD_OWNER_DIED (keeping FUTEX_WORD_WAITERS) and a waiter is
 * woken.  A pending operation on a free word (t died between releasing
 * and unlisting it) still wakes a waiter, who might otherwise sleep on. */
static void owner_died(struct task *t, uint64_t uaddr, bool pi, bool pending)
{
	uint32_t val;
	if ((uaddr & 3) || copy_from_user(&val, (const void *)uaddr, sizeof(val)) < 0)
		return;
	for (int tries = 0; tries < OWNER_DIED_TRIES; tries++) {
		if (pending && !pi && val == 0) {
			futex_wake(uaddr, FUTEX_F_SHARED, 1, FUTEX_BITSET_ANY);
			return;
		}
		if ((val & FUTEX_WORD_TID_MASK) != (uint32_t)t->pid)
			return;
		uint32_t dead = (val & FUTEX_WORD_WAITERS) | FUTEX_WORD_OWNER_DIED;
		int r = futex_cmpxchg(uaddr, val, dead, &val);
		if (r == -EAGAIN)
			continue; /* changed under us: look again */
		if (r == 0 && !pi && (val & FUTEX_WORD_WAITERS))
			futex_wake(uaddr, FUTEX_F_SHARED, 1, FUTEX_BITSET_ANY);
		return;
	}
}

static void robust_list_release(struct task *t)
{
	uint64_t head = t->robust_list;
	struct robust_head h;
	if (copy_from_user(&h, (const void *)head, sizeof(h)) < 0)
		return;
	uint64_t entry = h.next & ~1ull, pending = h.pending & ~1ull;
	bool pi = h.next & 1, pending_pi = h.pending & 1;
	for (int left = ROBUST_LIST_LIMIT; entry != head && left > 0; left--) {
		uint64_t next;
		bool next_pi;
		int r = fetch_entry(entry, &next, &next_pi);
		if (entry != pending)
			owner_died(t, entry + (uint64_t)h.futex_offset, pi, false);
		if (r < 0)
			return;
		entry = next;
		pi = next_pi;
	}
	if (pending)
		owner_died(t, pending + (uint64_t)h.futex_offset, pending_pi, true);
}

void futex_mm_release(struct task *t)
{
	if (t->robust_list) {
		robust_list_release(t);
		t->robust_list = 0;
	}
	if (t->clear_child_tid && t->mm && t->mm->refcount > 1) {
		uint32_t zero = 0;
		copy_to_user((void *)t->clear_child_tid, &zero, sizeof(zero));
		futex_wake(t->clear_child_tid, FUTEX_F_SHARED, 1, FUTEX_BITSET_ANY);
	}
	t->clear_child_tid = 0;
}
