/*
 * Changing the protection of a range (see vm_protect in vm.h).
 *
 * Write access is never handed to a present page that others may see: a
 * private page still shared (fork, or a page of the page cache) gets the
 * COW bit instead, and a shared-mapping page gets write access only from
 * the write fault that marks it dirty.  So a read-only mapping made
 * writable again (RELRO, JIT) keeps copy-on-write and dirty tracking.
 */
#include <scarlet/abi.h>

#include "core/kernel.h"
#include "mm/page.h"
#include "mm/pcache.h"
#include "mm/vm_impl.h"

static uint64_t pte_flags_after(const struct vma *v, pte_t pte, unsigned prot)
{
	uint64_t f = pte_flags_for_prot(prot);
	void *page = PA_TO_VA(pte_pa(pte));
	if (!(f & PTE_W))
		return (v->flags & VMA_SHARED) ? f : f | (pte & PTE_COW);
	if (v->flags & VMA_SHARED)
		return (pte & PTE_W) ? f : f & ~PTE_W;
	if ((pte & PTE_COW) || page_refcount(page) > 1 || pcache_is_cache_page(page))
		return (f & ~PTE_W) | PTE_COW;
	return f;
}

struct reprotect {
	const struct vma *v;
	unsigned prot;
};

static void reprotect_leaf(pte_t *pte, uint64_t va, void *ctx)
{
	const struct reprotect *rp = ctx;
	(void)va;
	*pte = pte_make(pte_pa(*pte), pte_flags_after(rp->v, *pte, rp->prot));
}

/* Present pages only: the area may be huge and mostly untouched. */
static void reprotect_pages(struct mm *mm, const struct vma *v, unsigned prot)
{
	struct reprotect rp = {v, prot};
	pt_for_each_leaf(mm->root, v->start, v->end, reprotect_leaf, &rp);
}

/* EACCES when some shared file area in the range cannot become writable. */
static int check_access(struct mm *mm, uint64_t start, uint64_t end, unsigned prot)
{
	for (uint64_t va = start; va < end;) {
		struct vma *v = vma_find(mm, va);
		if (!v)
			return -ENOMEM;
		if ((prot & PROT_WRITE) && (v->flags & VMA_SHARED) && !(v->flags & VMA_MAYWRITE))
			return -EACCES;
		va = v->end;
	}
	return 0;
}

int vm_protect(struct mm *mm, uint64_t start, uint64_t len, unsigned prot)
{
	uint64_t end = start + ALIGN_UP(len, PAGE_SIZE);
	if (start & (PAGE_SIZE - 1) || end > USER_TOP || end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	spin_lock(&mm->lock);
	int r = check_access(mm, start, end, prot);
	for (uint64_t va = start; va < end && r == 0;) {
		struct vma *v = vma_isolate(mm, va, MIN(end, vma_find(mm, va)->end));
		if (!v) {
			r = -ENOMEM;
			break;
		}
		v->prot = prot;
		reprotect_pages(mm, v, prot);
		va = v->end;
	}
	spin_unlock(&mm->lock);
	pt_flush_asid(mm->asid);
	vm_tlb_sync(mm);
	return r;
}
