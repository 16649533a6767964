/*
 * Resizing and moving mappings (vm_mremap, see vm.h): a shrink unmaps the
 * tail, a growth extends the area when the pages above are free, and a
 * move carries the page-table entries to the new place (no data is
 * copied, so private pages, COW state and dirty shared pages move as they
 * are).
 */
#include "core/kernel.h"
#include "fs/vfs.h"
#include "mm/vm_impl.h"

struct pte_move {
	struct mm *mm;
	uint64_t old, new;
	bool failed;
};

static void make_table_leaf(pte_t *pte, uint64_t va, void *ctx)
{
	struct pte_move *m = ctx;
	(void)pte;
	if (!m->failed && !pt_walk(m->mm->root, va - m->old + m->new, true))
		m->failed = true;
}

static void move_leaf(pte_t *pte, uint64_t va, void *ctx)
{
	struct pte_move *m = ctx;
	*pt_walk(m->mm->root, va - m->old + m->new, false) = *pte;
	*pte = 0;
}

/* Moves the present entries of [old, old+len) to new; mm->lock held.
 * Only present leaves are visited (the range may be huge and sparse). */
static int move_ptes(struct mm *mm, uint64_t old, uint64_t len, uint64_t new)
{
	struct pte_move m = {mm, old, new, false};
	/* make every table first, so that a failure moves nothing */
	pt_for_each_leaf(mm->root, old, old + len, make_table_leaf, &m);
	if (m.failed)
		return -ENOMEM;
	pt_for_each_leaf(mm->root, old, old + len, move_leaf, &m);
	pt_flush_asid(mm->asid);
	return 0;
}

/* Moves [old, old+old_len) (inside one area) to new, as an area of
 * new_len >= old_len bytes; mm->lock held. */
static long move_locked(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new,
                        uint64_t new_len)
{
	struct vma *v = vma_find(mm, old);
	if (!v || old_len > v->end - old)
		return -EFAULT;
	if (vma_overlap(mm, new, new + new_len))
		return -ENOMEM;
	v = vma_isolate(mm, old, old + old_len);
	if (!v)
		return -ENOMEM;
	int r = move_ptes(mm, old, old_len, new);
	if (r < 0)
		return r;
	list_remove(&v->node);
	v->start = new;
	v->end = new + new_len;
	vma_insert(mm, v);
	return (long)new;
}

static long move(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new, uint64_t new_len)
{
	spin_lock(&mm->lock);
	long r = move_locked(mm, old, old_len, new, new_len);
	spin_unlock(&mm->lock);
	vm_tlb_sync(mm);
	return r;
}

/* old_len 0: a second mapping of the same pages of a shared area. */
static long duplicate_shared(struct mm *mm, uint64_t old, uint64_t new_len, unsigned flags,
                             uint64_t new_addr)
{
	if (!(flags & VM_REMAP_MAYMOVE))
		return -EINVAL;
	spin_lock(&mm->lock);
	struct vma *v = vma_find(mm, old);
	struct vnode *vn = v && (v->flags & VMA_SHARED) ? vnode_get(v->vn) : NULL;
	unsigned prot = v ? v->prot : 0;
	unsigned mflags = VM_MAP_SHARED | (v && (v->flags & VMA_MAYWRITE) ? VM_MAP_MAYWRITE : 0);
	uint64_t pgoff = v ? v->pgoff + (old - v->start) / PAGE_SIZE : 0;
	spin_unlock(&mm->lock);
	if (!v)
		return -EFAULT;
	if (!vn)
		return -EINVAL;
	if (flags & VM_REMAP_FIXED)
		mflags |= VM_MAP_FIXED;
	long r = vm_mmap(mm, new_addr, new_len, prot, mflags, vn, pgoff);
	vnode_put(vn);
	return r;
}

static long remap_fixed(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new_len,
                        uint64_t new_addr)
{
	if (new_addr & (PAGE_SIZE - 1) || new_addr + new_len < new_addr ||
	    new_addr + new_len > USER_TOP)
		return -EINVAL;
	if (new_addr < old + old_len && old < new_addr + new_len)
		return -EINVAL;
	if (!vm_range_mapped(mm, old, old + PAGE_SIZE))
		return -EFAULT;
	vm_unmap(mm, new_addr, new_len);
	if (old_len > new_len) {
		vm_unmap(mm, old + new_len, old_len - new_len);
		old_len = new_len;
	}
	return move(mm, old, old_len, new_addr, new_len);
}

/* Grows in place when the pages above are free, else moves if allowed. */
static long grow(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new_len, unsigned flags)
{
	long r;
	spin_lock(&mm->lock);
	struct vma *v = vma_find(mm, old);
	uint64_t new_end = old + new_len;
	if (!v || old_len > v->end - old) {
		r = -EFAULT;
	} else if (old + old_len == v->end && new_end > old && new_end <= USER_TOP &&
	           !vma_overlap(mm, v->end, new_end)) {
		v->end = new_end;
		r = (long)old;
	} else if (!(flags & VM_REMAP_MAYMOVE)) {
		r = -ENOMEM;
	} else {
		uint64_t new = vm_find_free_locked(mm, new_len, mm->mmap_base);
		r = new ? move_locked(mm, old, old_len, new, new_len) : -ENOMEM;
	}
	spin_unlock(&mm->lock);
	vm_tlb_sync(mm);
	return r;
}

long vm_mremap(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new_len, unsigned flags,
               uint64_t new_addr)
{
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (old_len == 0)
		return duplicate_shared(mm, old, new_len, flags, new_addr);
	if (flags & VM_REMAP_FIXED)
		return remap_fixed(mm, old, old_len, new_len, new_addr);
	if (new_len > old_len)
		return grow(mm, old, old_len, new_len, flags);
	if (!vm_range_mapped(mm, old, old + PAGE_SIZE))
		return -EFAULT;
	if (new_len < old_len) {
		int r = vm_unmap(mm, old + new_len, old_len - new_len);
		if (r < 0)
			return r;
	}
	return (long)old;
}
