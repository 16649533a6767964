/*
 * Atomic access to user words for futexes (see vm_word.h).
 */
#include "mm/vm_word.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "fs/vfs.h"
#include "mm/vm_impl.h"

int vm_word_home(struct mm *mm, uint64_t va, struct vnode **vn, uint64_t *off)
{
	int r = -EFAULT;
	*vn = NULL;
	spin_lock(&mm->lock);
	struct vma *v = vma_find(mm, va);
	if (v && (v->prot & (PROT_READ | PROT_WRITE))) {
		r = 0;
		if (v->vn && (v->flags & VMA_SHARED)) {
			uint64_t index = v->pgoff + (va - v->start) / PAGE_SIZE;
			*vn = vnode_get(v->vn);
			*off = index * PAGE_SIZE + (va & (PAGE_SIZE - 1));
		}
	}
	spin_unlock(&mm->lock);
	return r;
}

static bool word_access_ok(pte_t pte, bool write)
{
	if (!(pte & PTE_V) || !(pte & PTE_U))
		return false;
	return write ? (pte & PTE_W) != 0 : (pte & PTE_R) != 0;
}

int vm_word_locked(struct mm *mm, uint64_t va, bool write, int (*fn)(uint32_t *word, void *ctx),
                   void *ctx)
{
	if (va >= USER_TOP || (va & 3))
		return -EFAULT;
	int r = -EAGAIN;
	spin_lock(&mm->lock);
	pte_t *pte = pt_walk(mm->root, va, false);
	if (pte && word_access_ok(*pte, write)) {
		uint32_t *word =
		    (uint32_t *)((char *)PA_TO_VA(pte_pa(*pte)) + (va & (PAGE_SIZE - 1)));
		r = fn(word, ctx);
	}
	spin_unlock(&mm->lock);
	return r;
}

int vm_word_fault(struct mm *mm, uint64_t va, bool write)
{
	if (va >= USER_TOP)
		return -EFAULT;
	return vm_fault_resolve(mm, va, write ? FAULT_WRITE : FAULT_READ) < 0 ? -EFAULT : 0;
}
