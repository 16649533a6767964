/*
 * What the page table says about a range of user pages, for
 * /proc/PID/smaps and pagemap (vm.h: vm_page_states).  Nothing is ever
 * swapped out, so a page is either present in the table or not there.
 */
#include "core/kernel.h"
#include "mm/vm_impl.h"

int vm_page_states(struct mm *mm, uint64_t start, size_t n, struct vm_page_state *out)
{
	spin_lock(&mm->lock);
	for (size_t i = 0; i < n; i++) {
		uint64_t va = start + i * PAGE_SIZE;
		struct vma *v = vma_find(mm, va);
		pte_t *pte = v ? pt_walk(mm->root, va, false) : NULL;
		memset(&out[i], 0, sizeof(out[i]));
		out[i].mapped = v != NULL;
		out[i].file = v && v->vn;
		out[i].shared = v && (v->flags & VMA_SHARED);
		if (pte && (*pte & PTE_V)) {
			out[i].present = true;
			out[i].dirty = (*pte & PTE_D) != 0;
			out[i].pfn = pte_pa(*pte) / PAGE_SIZE;
		}
	}
	spin_unlock(&mm->lock);
	return 0;
}
