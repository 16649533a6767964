/*
 * xv6 sbrk(n, how): the process's memory is [0, sz) (program, guard
 * page, stack, heap) and sbrk moves sz, returning the old value.
 *
 * Growing eagerly (SBRK_EAGER, and the one-argument sbrk of older xv6)
 * allocates every page now and fails with -1 when memory runs out, as
 * xv6 does, instead of killing the process later.  SBRK_LAZY only
 * reserves the range; pages come on first touch.  Shrinking frees the
 * pages above the new sz, down into the stack or the program if asked;
 * shrinking by more than sz changes nothing (and succeeds), as in xv6.
 */
#include <scarlet/abi.h>

#include "abi/xv6/xv6.h"
#include "core/kernel.h"
#include "mm/vm.h"
#include "proc/task.h"

/* Faults in every page of [start, end); -ENOMEM when memory runs out. */
static int populate(struct mm *mm, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		int r = vm_fault(mm, va, FAULT_WRITE);
		if (r < 0)
			return r;
	}
	return 0;
}

static long grow(struct mm *mm, uint64_t oldsz, uint64_t n, bool eager)
{
	uint64_t newsz = oldsz + n;
	if (newsz > XV6_TRAPFRAME)
		return -ENOMEM;
	uint64_t start = ALIGN_UP(oldsz, PAGE_SIZE), end = ALIGN_UP(newsz, PAGE_SIZE);
	if (end > start) {
		int r = vm_map_anon(mm, start, end - start, PROT_READ | PROT_WRITE, VMA_HEAP);
		if (r == 0 && eager)
			r = populate(mm, start, end);
		if (r < 0) {
			vm_unmap(mm, start, end - start);
			return r;
		}
	}
	mm->brk = newsz;
	return (long)oldsz;
}

static long shrink(struct mm *mm, uint64_t oldsz, uint64_t n)
{
	if (n > oldsz)
		return (long)oldsz; /* xv6: below 0 leaves sz as it was */
	uint64_t newsz = oldsz - n;
	uint64_t start = ALIGN_UP(newsz, PAGE_SIZE), end = ALIGN_UP(oldsz, PAGE_SIZE);
	if (end > start)
		vm_unmap(mm, start, end - start);
	mm->brk = newsz;
	if (newsz < mm->brk_start)
		mm->brk_start = newsz;
	return (long)oldsz;
}

XV6_SYSCALL(sbrk)
{
	(void)a2;
	int n = (int)a0;
	struct mm *mm = current()->mm;
	uint64_t oldsz = mm->brk;
	if (n > 0)
		return grow(mm, oldsz, (uint64_t)n, (int)a1 != XV6_SBRK_LAZY);
	if (n < 0)
		return shrink(mm, oldsz, (uint64_t)(-(int64_t)n));
	return (long)oldsz;
}
