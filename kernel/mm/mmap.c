/*
 * Creating mappings (vm_mmap: anonymous, shared anonymous, file), where
 * they go (vm_find_free), and the calls that walk them afterwards:
 * msync's write-back and mlock/MAP_POPULATE's populate.
 */
#include <scarlet/abi.h>

#include "core/kernel.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/pcache.h"
#include "mm/vm_impl.h"
#include "obj/kobj.h"

uint64_t vm_find_free_locked(struct mm *mm, uint64_t len, uint64_t top)
{
	while (top >= len + PAGE_SIZE) {
		uint64_t start = top - len;
		struct vma *c = vma_overlap(mm, start - PAGE_SIZE, top);
		if (!c)
			return start;
		top = c->start; /* the first end below it that can fit */
	}
	return 0;
}

uint64_t vm_find_free(struct mm *mm, uint64_t len)
{
	spin_lock(&mm->lock);
	uint64_t r = vm_find_free_locked(mm, ALIGN_UP(len, PAGE_SIZE), mm->mmap_base);
	spin_unlock(&mm->lock);
	return r;
}

/* Where a mapping of len bytes goes; 0 with *err set when nowhere. */
static uint64_t place_locked(struct mm *mm, uint64_t hint, uint64_t len, unsigned flags, int *err)
{
	if (flags & (VM_MAP_FIXED | VM_MAP_NOREPLACE)) {
		if (vma_overlap(mm, hint, hint + len)) {
			/* FIXED unmapped first: someone mapped it meanwhile */
			*err = (flags & VM_MAP_NOREPLACE) ? -EEXIST : -ENOMEM;
			return 0;
		}
		return hint;
	}
	hint = ALIGN_UP(hint, PAGE_SIZE);
	if (hint && hint + len > hint && hint + len <= USER_TOP &&
	    !vma_overlap(mm, hint, hint + len))
		return hint;
	uint64_t a = vm_find_free_locked(mm, len, mm->mmap_base);
	if (!a)
		*err = -ENOMEM;
	return a;
}

/* The object behind a shared anonymous mapping: a vnode with no
 * operations, whose page cache hands out zero pages. */
static struct vnode *shared_anon_object(void)
{
	struct vnode *vn = vnode_alloc(NULL, NULL, S_IFREG | 0600, 0);
	if (vn && pcache_attach(vn) < 0) {
		vnode_put(vn);
		vn = NULL;
	}
	return vn;
}

static struct vma *vma_new(unsigned prot, unsigned flags, struct vnode *vn, uint64_t pgoff)
{
	struct vma *v = kzalloc(sizeof(*v));
	if (!v)
		return NULL;
	v->prot = prot;
	v->vn = vn;
	v->pgoff = pgoff;
	if (flags & VM_MAP_SHARED)
		v->flags |= VMA_SHARED;
	/* a shared anonymous object may always be written */
	if ((flags & VM_MAP_MAYWRITE) || !vn)
		v->flags |= VMA_MAYWRITE;
	if (flags & VM_MAP_IMAGE)
		v->flags |= VMA_IMAGE;
	if (flags & VM_MAP_LOCKED)
		v->flags |= VMA_LOCKED;
	return v;
}

static long map_vma(struct mm *mm, uint64_t hint, uint64_t len, unsigned flags, struct vma *v)
{
	int err = 0;
	if (flags & (VM_MAP_FIXED | VM_MAP_NOREPLACE)) {
		if (hint & (PAGE_SIZE - 1))
			return -EINVAL;
		if (hint + len < hint || hint + len > USER_TOP)
			return -ENOMEM;
		if (flags & VM_MAP_FIXED)
			vm_unmap(mm, hint, len);
	}
	spin_lock(&mm->lock);
	/* a fixed mapping may be at 0 (xv6 images are linked there) */
	uint64_t addr = place_locked(mm, hint, len, flags, &err);
	if (err == 0) {
		v->start = addr;
		v->end = addr + len;
		if (v->vn)
			pcache_map_get(v->vn);
		vma_insert(mm, v);
	}
	spin_unlock(&mm->lock);
	return err == 0 ? (long)addr : err;
}

long vm_mmap(struct mm *mm, uint64_t hint, uint64_t len, unsigned prot, unsigned flags,
             struct vnode *vn, uint64_t pgoff)
{
	struct vnode *anon = NULL;
	if ((flags & VM_MAP_SHARED) && !vn) {
		if (!(vn = anon = shared_anon_object()))
			return -ENOMEM;
	} else if (vn && pcache_attach(vn) < 0) {
		return -ENOMEM;
	}
	struct vma *v = vma_new(prot, flags, vn, pgoff);
	long r = v ? map_vma(mm, hint, len, flags, v) : -ENOMEM;
	if (r < 0)
		kfree(v);
	if (anon)
		vnode_put(anon); /* the area holds its own reference */
	if (r >= 0 && (flags & VM_MAP_POPULATE))
		vm_populate(mm, (uint64_t)r, (uint64_t)r + len);
	return r;
}

int vm_mmap_object(struct kobj *o, unsigned prot, bool shared, struct vnode **vn, unsigned *vflags)
{
	if (shared && (prot & PROT_WRITE) && (!(o->flags & KOBJ_WRITE) || (o->flags & O_APPEND)))
		return -EACCES;
	if (!(o->flags & KOBJ_READ))
		return -EACCES;
	if (!o->ops->mmap)
		return -ENODEV;
	if (shared && (o->flags & KOBJ_WRITE))
		*vflags |= VM_MAP_MAYWRITE;
	return o->ops->mmap(o, vn);
}

long vm_mmap_anon(struct mm *mm, uint64_t hint, uint64_t len, unsigned prot, bool fixed)
{
	return vm_mmap(mm, hint, len, prot, fixed ? VM_MAP_FIXED : 0, NULL, 0);
}

/* Notes the shared file areas of [start, end) in rel until it is full;
 * returns where it stopped, or 0 at a hole.  mm->lock held. */
static uint64_t msync_collect(struct mm *mm, uint64_t start, uint64_t end, bool sync,
                              struct vm_release *rel)
{
	uint64_t va = start;
	while (va < end) {
		struct vma *v = vma_find(mm, va);
		if (!v)
			return 0;
		if (sync && v->vn && (v->flags & VMA_SHARED)) {
			if (vm_release_full(rel))
				return va;
			vm_release_add(rel, v->vn, true, false);
		}
		va = v->end;
	}
	return end;
}

int vm_msync(struct mm *mm, uint64_t start, uint64_t end, bool sync)
{
	while (start < end) {
		struct vm_release rel = {0};
		spin_lock(&mm->lock);
		uint64_t next = msync_collect(mm, start, end, sync, &rel);
		spin_unlock(&mm->lock);
		vm_release_run(&rel);
		if (!next)
			return -ENOMEM;
		start = next;
	}
	return 0;
}

/* Faults one page in as a first access would, if the area allows any. */
static int populate_page(struct mm *mm, uint64_t va)
{
	spin_lock(&mm->lock);
	struct vma *v = vma_find(mm, va);
	unsigned prot = v ? v->prot : 0, flags = v ? v->flags : 0;
	spin_unlock(&mm->lock);
	if (!v)
		return -ENOMEM;
	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return 0;
	/* a private writable page is copied now, as Linux does */
	bool write = (prot & PROT_WRITE) && !(flags & VMA_SHARED);
	unsigned access = write                               ? FAULT_WRITE
	                  : (prot & (PROT_READ | PROT_WRITE)) ? FAULT_READ
	                                                      : FAULT_EXEC;
	int r = vm_fault_resolve(mm, va, access);
	return r == -ENOMEM ? r : 0; /* pages past the end of file stay unmapped */
}

int vm_populate(struct mm *mm, uint64_t start, uint64_t end)
{
	if (!vm_range_mapped(mm, start, end))
		return -ENOMEM;
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		int r = populate_page(mm, va);
		if (r < 0)
			return r;
	}
	return 0;
}

int vm_populate_all(struct mm *mm)
{
	uint64_t va = 0;
	for (;;) {
		uint64_t s = 0, e = 0;
		spin_lock(&mm->lock);
		struct list *pos;
		list_for_each(pos, &mm->vmas)
		{
			struct vma *v = list_entry(pos, struct vma, node);
			if (v->end > va && !(v->flags & VMA_GROWSDOWN)) {
				s = MAX(v->start, va);
				e = v->end;
				break;
			}
		}
		spin_unlock(&mm->lock);
		if (s == e)
			return 0;
		int r = vm_populate(mm, s, e);
		if (r < 0)
			return r;
		va = e;
	}
}
