/*
 * Locked areas (mlock): VMA_LOCKED marks them, for the accounting Linux
 * programs see (VmLck, RLIMIT_MEMLOCK, smaps' Locked, msync's EBUSY).
 * Nothing is ever paged out, so locking changes no page; making the
 * pages present is the caller's (vm_populate).  Locks are not inherited
 * by fork (mm_fork clears the flag), as on Linux.
 */
#include "arch/riscv64/memlayout.h"
#include "core/kernel.h"
#include "mm/vm_impl.h"

/* Every page of [start, end) is in an area; mm->lock held. */
static bool mapped_locked(struct mm *mm, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end;) {
		struct vma *v = vma_find(mm, va);
		if (!v)
			return false;
		va = v->end;
	}
	return true;
}

static void note_lowest(pte_t *pte, uint64_t va, void *ctx)
{
	uint64_t *lowest = ctx;

	(void)pte;
	if (va < *lowest)
		*lowest = va;
}

/*
 * Bytes of v inside [start, end), as Linux counts an area.  Linux's stack
 * area is as large as the stack has grown; ours is its whole 8 MiB from
 * the start, so only the part from its lowest present page counts (else
 * mlockall would count 8 MiB that Linux does not, and fail against the
 * default 8 MiB RLIMIT_MEMLOCK).  mm->lock held.
 */
static uint64_t area_bytes(struct mm *mm, const struct vma *v, uint64_t start, uint64_t end)
{
	uint64_t from = v->start;

	if (v->flags & VMA_GROWSDOWN) {
		from = v->end;
		pt_for_each_leaf(mm->root, v->start, v->end, note_lowest, &from);
	}
	from = MAX(from, start);
	end = MIN(v->end, end);
	return end > from ? end - from : 0;
}

int vm_set_locked(struct mm *mm, uint64_t start, uint64_t end, bool lock)
{
	int r = 0;

	spin_lock(&mm->lock);
	if (!mapped_locked(mm, start, end))
		r = -ENOMEM;
	for (uint64_t va = start; va < end && r == 0;) {
		struct vma *v = vma_isolate(mm, va, MIN(end, vma_find(mm, va)->end));
		if (!v) {
			r = -ENOMEM;
			break;
		}
		v->flags = lock ? v->flags | VMA_LOCKED : v->flags & ~VMA_LOCKED;
		va = v->end;
	}
	spin_unlock(&mm->lock);
	return r;
}

void vm_set_locked_all(struct mm *mm, bool lock)
{
	struct list *pos;

	spin_lock(&mm->lock);
	list_for_each(pos, &mm->vmas)
	{
		struct vma *v = list_entry(pos, struct vma, node);
		v->flags = lock ? v->flags | VMA_LOCKED : v->flags & ~VMA_LOCKED;
	}
	spin_unlock(&mm->lock);
}

uint64_t vm_locked_bytes(struct mm *mm, uint64_t start, uint64_t end)
{
	struct list *pos;
	uint64_t n = 0;

	spin_lock(&mm->lock);
	list_for_each(pos, &mm->vmas)
	{
		struct vma *v = list_entry(pos, struct vma, node);
		if (v->flags & VMA_LOCKED)
			n += area_bytes(mm, v, start, end);
	}
	spin_unlock(&mm->lock);
	return n;
}

bool vm_range_locked(struct mm *mm, uint64_t start, uint64_t end)
{
	struct list *pos;
	bool any = false;

	spin_lock(&mm->lock);
	list_for_each(pos, &mm->vmas)
	{
		struct vma *v = list_entry(pos, struct vma, node);
		if ((v->flags & VMA_LOCKED) && v->end > start && v->start < end)
			any = true;
	}
	spin_unlock(&mm->lock);
	return any;
}

uint64_t vm_total_bytes(struct mm *mm)
{
	struct list *pos;
	uint64_t n = 0;

	spin_lock(&mm->lock);
	list_for_each(pos, &mm->vmas)
	{
		n += area_bytes(mm, list_entry(pos, struct vma, node), 0, USER_TOP);
	}
	spin_unlock(&mm->lock);
	return n;
}
