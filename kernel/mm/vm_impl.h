/*
 * Internals shared by the address-space files of kernel/mm (vm.c,
 * fault.c, mmap.c, mremap.c, madvise.c).  Functions named *_locked and
 * the vma_* helpers need mm->lock held.
 */
#ifndef MM_VM_IMPL_H
#define MM_VM_IMPL_H

#include "mm/vm.h"

struct vma *vma_find(struct mm *mm, uint64_t va);
/* The lowest area overlapping [start, end), or NULL. */
struct vma *vma_overlap(struct mm *mm, uint64_t start, uint64_t end);
void vma_insert(struct mm *mm, struct vma *v);
/* Splits v at addr (inside it); the new tail shares v's backing. */
int vma_split(struct mm *mm, struct vma *v, uint64_t addr);
/* Makes [start, end) (inside one area) an area of its own and returns
 * it; NULL when out of memory. */
struct vma *vma_isolate(struct mm *mm, uint64_t start, uint64_t end);
/* A free range of len bytes below top, a free page kept below it; 0 if none. */
uint64_t vm_find_free_locked(struct mm *mm, uint64_t len, uint64_t top);
/* Drops the pages mapped in [start, end). */
void vm_unmap_pages(struct mm *mm, uint64_t start, uint64_t end);

/* Resolves a fault at va with mm->lock not held (see vm_fault), for the
 * kernel's own accesses to user memory: the caller may hold filesystem
 * locks, so reclaim does not write file pages back. */
int vm_fault_resolve(struct mm *mm, uint64_t va, unsigned access);

/*
 * Work that may sleep (write-back, the last reference to a vnode), noted
 * under mm->lock and done after it is released.  Each entry either ends
 * an area's use of vn (unmap: pcache_map_put) or holds a plain vnode
 * reference for a write-back.
 */
#define VM_RELEASE_MAX 8
struct vm_release {
	int n;
	struct {
		struct vnode *vn;
		bool sync, unmap;
	} e[VM_RELEASE_MAX];
};

static inline bool vm_release_full(const struct vm_release *r)
{
	return r->n == VM_RELEASE_MAX;
}
/* Notes vn (not full); unmap moves the area's reference here. */
void vm_release_add(struct vm_release *r, struct vnode *vn, bool sync, bool unmap);
void vm_release_run(struct vm_release *r);

#endif
