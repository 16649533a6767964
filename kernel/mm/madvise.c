/*
 * Questions and advice about mapped pages: vm_dontneed (MADV_DONTNEED)
 * and vm_mincore.  Nothing is ever swapped out, so resident means
 * present in the page table or, for a file, in its page cache.
 */
#include "core/kernel.h"
#include "mm/pcache.h"
#include "mm/vm_impl.h"

int vm_dontneed(struct mm *mm, uint64_t start, uint64_t end)
{
	int r = 0;
	spin_lock(&mm->lock);
	for (uint64_t va = start; va < end;) {
		struct vma *v = vma_find(mm, va);
		if (!v) {
			r = -ENOMEM;
			struct vma *next = vma_overlap(mm, va, end);
			if (!next)
				break;
			va = next->start;
			continue;
		}
		/* a dropped shared page stays dirty in its cache */
		vm_unmap_pages(mm, va, MIN(end, v->end));
		va = v->end;
	}
	spin_unlock(&mm->lock);
	vm_tlb_sync(mm);
	return r;
}

int vm_mincore(struct mm *mm, uint64_t start, uint64_t npages, uint8_t *vec)
{
	int r = 0;
	spin_lock(&mm->lock);
	for (uint64_t i = 0; i < npages; i++) {
		uint64_t va = start + i * PAGE_SIZE;
		struct vma *v = vma_find(mm, va);
		if (!v) {
			r = -ENOMEM;
			break;
		}
		pte_t *pte = pt_walk(mm->root, va, false);
		bool present = pte && (*pte & PTE_V);
		if (!present && v->vn)
			present = pcache_has_page(v->vn, v->pgoff + (va - v->start) / PAGE_SIZE);
		vec[i] = present;
	}
	spin_unlock(&mm->lock);
	return r;
}

int vm_free_anon(struct mm *mm, uint64_t start, uint64_t end)
{
	spin_lock(&mm->lock);
	for (struct vma *v = vma_overlap(mm, start, end); v; v = vma_overlap(mm, v->end, end)) {
		if (v->vn) {
			spin_unlock(&mm->lock);
			return -EINVAL;
		}
	}
	spin_unlock(&mm->lock);
	return vm_dontneed(mm, start, end);
}
