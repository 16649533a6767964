/*
 * Page faults and copy-on-write (see vm.h), and fork's COW copy.
 */
#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/vm.h"
#include "obj/kobj.h"

struct vma *vm_vma_find_locked(struct mm *mm, uint64_t va);

static bool access_allowed(const struct vma *v, unsigned access)
{
	if ((access & FAULT_WRITE) && !(v->prot & 2))
		return false;
	if ((access & FAULT_EXEC) && !(v->prot & 4))
		return false;
	if ((access & FAULT_READ) && !(v->prot & 3))
		return false;
	return true;
}

/* Gives the faulting mapping its own copy of a COW page. */
static int break_cow(pte_t *pte, const struct vma *v, uint64_t va)
{
	void *old = PA_TO_VA(pte_pa(*pte));
	uint64_t flags = pte_flags_for_prot(v->prot);
	if (page_refcount(old) == 1) {
		*pte = pte_make(VA_TO_PA(old), flags);
	} else {
		void *copy = page_alloc(0);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, old, PAGE_SIZE);
		*pte = pte_make(VA_TO_PA(copy), flags);
		page_put(old);
	}
	pt_flush_page(va);
	return 0;
}

static int fault_locked(struct mm *mm, uint64_t va, unsigned access, bool force)
{
	struct vma *v = vm_vma_find_locked(mm, va);
	if (!v || (!force && !access_allowed(v, access)))
		return -EFAULT;
	va = ALIGN_DOWN(va, PAGE_SIZE);
	pte_t *pte = pt_walk(mm->root, va, true);
	if (!pte)
		return -ENOMEM;
	if (!(*pte & PTE_V)) {
		void *page = page_alloc_zeroed(0);
		if (!page)
			return -ENOMEM;
		*pte = pte_make(VA_TO_PA(page), pte_flags_for_prot(v->prot));
		mm->rss_pages++;
		pt_flush_page(va);
		return 0;
	}
	if ((access & FAULT_WRITE) && (*pte & PTE_COW)) {
		int r = break_cow(pte, v, va);
		vm_tlb_sync(mm); /* other threads may still map the old page */
		return r;
	}
	/* present and allowed: another hart resolved it, or a stale TLB */
	pt_flush_page(va);
	return 0;
}

int vm_fault(struct mm *mm, uint64_t va, unsigned access)
{
	if (va >= USER_TOP)
		return -EFAULT;
	spin_lock(&mm->lock);
	int r = fault_locked(mm, va, access, false);
	spin_unlock(&mm->lock);
	return r;
}

static bool pte_allows(pte_t pte, bool write)
{
	if (!(pte & PTE_V) || !(pte & PTE_U))
		return false;
	return write ? (pte & PTE_W) != 0 : (pte & (PTE_R | PTE_X)) != 0;
}

void *vm_user_ptr(struct mm *mm, uint64_t va, bool write)
{
	if (va >= USER_TOP)
		return NULL;
	spin_lock(&mm->lock);
	pte_t *pte = pt_walk(mm->root, va, false);
	if (!pte || !pte_allows(*pte, write)) {
		if (fault_locked(mm, va, write ? FAULT_WRITE : FAULT_READ, false) < 0) {
			spin_unlock(&mm->lock);
			return NULL;
		}
		pte = pt_walk(mm->root, va, false);
	}
	void *p = NULL;
	if (pte && pte_allows(*pte, write))
		p = (char *)PA_TO_VA(pte_pa(*pte)) + (va & (PAGE_SIZE - 1));
	spin_unlock(&mm->lock);
	return p;
}

struct cow_ctx {
	struct mm *child;
	int err;
};

/* Shares one present page between parent and child, read-only if the
 * area is writable (COW). */
static void share_page(pte_t *pte, uint64_t va, void *arg)
{
	struct cow_ctx *c = arg;
	if (c->err)
		return;
	pte_t *cpte = pt_walk(c->child->root, va, true);
	if (!cpte) {
		c->err = -ENOMEM;
		return;
	}
	if (*pte & (PTE_W | PTE_COW))
		*pte = (*pte & ~PTE_W) | PTE_COW;
	*cpte = *pte;
	page_get(PA_TO_VA(pte_pa(*pte)));
	c->child->rss_pages++;
}

static int copy_vmas(struct mm *dst, struct mm *src)
{
	struct list *pos;
	list_for_each(pos, &src->vmas)
	{
		struct vma *v = kmalloc(sizeof(*v));
		if (!v)
			return -ENOMEM;
		*v = *list_entry(pos, struct vma, node);
		list_push_back(&dst->vmas, &v->node);
	}
	return 0;
}

struct mm *mm_fork(struct mm *mm)
{
	struct mm *child = mm_create();
	if (!child)
		return NULL;
	spin_lock(&mm->lock);
	struct cow_ctx c = {.child = child, .err = copy_vmas(child, mm)};
	if (!c.err)
		pt_for_each_leaf(mm->root, 0, USER_TOP, share_page, &c);
	child->brk_start = mm->brk_start;
	child->brk = mm->brk;
	child->mmap_base = mm->mmap_base;
	child->arg_start = mm->arg_start;
	child->arg_end = mm->arg_end;
	child->env_start = mm->env_start;
	child->env_end = mm->env_end;
	child->exe_file = mm->exe_file ? kobj_get(mm->exe_file) : NULL;
	spin_unlock(&mm->lock);
	pt_flush_asid(mm->asid); /* the parent lost write access */
	vm_tlb_sync(mm);
	if (c.err) {
		mm_put(child);
		return NULL;
	}
	return child;
}
