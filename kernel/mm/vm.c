/*
 * Address spaces and VMAs (see vm.h).  Page faults live in fault.c.
 */
#include "mm/vm.h"

#include "arch/riscv64/riscv.h"
#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/pcache.h"
#include "mm/vm_impl.h"
#include "fs/vfs.h"
#include "obj/kobj.h"

static struct spinlock asid_lock = SPINLOCK_INIT("asid");
static unsigned asid_count;
static unsigned asid_next = 1;

void vm_init(void)
{
	asid_count = pt_probe_asids();
	printk("mm: %u ASIDs\n", asid_count);
}

/* ASIDs are handed out round-robin, never 0 (the kernel's); reuse is safe
 * because pt_activate flushes the ASID's stale entries on every switch. */
static uint16_t asid_alloc(void)
{
	if (asid_count <= 1)
		return 0;
	spin_lock(&asid_lock);
	uint16_t a = (uint16_t)asid_next++;
	if (asid_next >= asid_count)
		asid_next = 1;
	spin_unlock(&asid_lock);
	return a;
}

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));
	if (!mm)
		return NULL;
	mm->root = pt_create_root();
	if (!mm->root) {
		kfree(mm);
		return NULL;
	}
	mm->refcount = 1;
	spin_init(&mm->lock, "mm");
	list_init(&mm->vmas);
	mm->asid = asid_alloc();
	mm->mmap_base = USER_MMAP_TOP;
	return mm;
}

struct mm *mm_get(struct mm *mm)
{
	__atomic_add_fetch(&mm->refcount, 1, __ATOMIC_RELAXED);
	return mm;
}

static void put_page_fn(pte_t *pte, uint64_t va, void *ctx)
{
	(void)va;
	(void)ctx;
	page_put(PA_TO_VA(pte_pa(*pte)));
	*pte = 0;
}

/* Pages first, so that write-back finds the shared pages unmapped. */
static void free_vmas(struct mm *mm)
{
	struct list *pos, *tmp;
	list_for_each_safe(pos, tmp, &mm->vmas)
	{
		struct vma *v = list_entry(pos, struct vma, node);
		list_remove(pos);
		if (v->vn)
			pcache_map_put(v->vn, v->flags & VMA_SHARED);
		kfree(v);
	}
}

void mm_put(struct mm *mm)
{
	if (__atomic_sub_fetch(&mm->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	pt_for_each_leaf(mm->root, 0, USER_TOP, put_page_fn, NULL);
	pt_destroy(mm->root);
	free_vmas(mm);
	if (mm->exe_file)
		kobj_put(mm->exe_file);
	kfree(mm);
}

void vm_activate(struct mm *mm)
{
	pt_activate(mm->root, mm->asid);
}

struct vma *vma_find(struct mm *mm, uint64_t va)
{
	struct list *pos;
	list_for_each(pos, &mm->vmas)
	{
		struct vma *v = list_entry(pos, struct vma, node);
		if (va < v->start)
			return NULL;
		if (va < v->end)
			return v;
	}
	return NULL;
}

struct vma *vma_overlap(struct mm *mm, uint64_t start, uint64_t end)
{
	struct list *pos;
	list_for_each(pos, &mm->vmas)
	{
		struct vma *v = list_entry(pos, struct vma, node);
		if (v->start >= end)
			return NULL;
		if (start < v->end)
			return v;
	}
	return NULL;
}

void vma_insert(struct mm *mm, struct vma *nv)
{
	struct list *pos;
	list_for_each(pos, &mm->vmas)
	{
		if (list_entry(pos, struct vma, node)->start > nv->start)
			break;
	}
	list_insert_between(&nv->node, pos->prev, pos);
}

int vm_map_anon(struct mm *mm, uint64_t start, uint64_t len, unsigned prot, unsigned flags)
{
	uint64_t end = start + len;
	if ((start | len) & (PAGE_SIZE - 1) || len == 0 || end > USER_TOP || end < start)
		return -EINVAL;
	struct vma *v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->flags = flags;
	spin_lock(&mm->lock);
	if (vma_overlap(mm, start, end)) {
		spin_unlock(&mm->lock);
		kfree(v);
		return -EINVAL;
	}
	struct vma *prev = start ? vma_find(mm, start - 1) : NULL;
	if (prev && prev->end == start && prev->prot == prot && prev->flags == flags && !prev->vn) {
		prev->end = end; /* grow the neighbour (typically the heap) */
		kfree(v);
	} else {
		vma_insert(mm, v);
	}
	spin_unlock(&mm->lock);
	return 0;
}

static void unmap_leaf(pte_t *pte, uint64_t va, void *ctx)
{
	struct mm *mm = ctx;
	page_put(PA_TO_VA(pte_pa(*pte)));
	*pte = 0;
	mm->rss_pages--;
	pt_flush_page(va);
}

/* Only the present leaves are visited: a range can be most of the user
 * half (a brk or munmap of a huge area), and this runs under mm->lock. */
void vm_unmap_pages(struct mm *mm, uint64_t start, uint64_t end)
{
	pt_for_each_leaf(mm->root, start, end, unmap_leaf, mm);
}

int vma_split(struct mm *mm, struct vma *v, uint64_t addr)
{
	struct vma *tail = kzalloc(sizeof(*tail));
	if (!tail)
		return -ENOMEM;
	*tail = *v;
	tail->start = addr;
	tail->pgoff = v->pgoff + (addr - v->start) / PAGE_SIZE;
	if (tail->vn)
		pcache_map_get(tail->vn);
	v->end = addr;
	vma_insert(mm, tail);
	return 0;
}

struct vma *vma_isolate(struct mm *mm, uint64_t start, uint64_t end)
{
	struct vma *v = vma_find(mm, start);
	if (v->start < start) {
		if (vma_split(mm, v, start) < 0)
			return NULL;
		v = vma_find(mm, start);
	}
	if (v->end > end && vma_split(mm, v, end) < 0)
		return NULL;
	return v;
}

/* Cuts [start, end) out of v, splitting it when the hole is inside; a
 * removed area's backing reference is the caller's to drop. */
static int vma_cut(struct mm *mm, struct vma *v, uint64_t start, uint64_t end)
{
	if (start <= v->start && end >= v->end) {
		list_remove(&v->node);
		kfree(v);
	} else if (start <= v->start) {
		v->pgoff += (end - v->start) / PAGE_SIZE;
		v->start = end;
	} else if (end >= v->end) {
		v->end = start;
	} else {
		int r = vma_split(mm, v, end);
		if (r < 0)
			return r;
		v->end = start;
	}
	return 0;
}

void vm_release_add(struct vm_release *r, struct vnode *vn, bool sync, bool unmap)
{
	r->e[r->n].vn = unmap ? vn : vnode_get(vn);
	r->e[r->n].sync = sync;
	r->e[r->n].unmap = unmap;
	r->n++;
}

void vm_release_run(struct vm_release *r)
{
	for (int i = 0; i < r->n; i++) {
		if (r->e[i].unmap) {
			pcache_map_put(r->e[i].vn, r->e[i].sync);
		} else {
			if (r->e[i].sync)
				pcache_sync(r->e[i].vn);
			vnode_put(r->e[i].vn);
		}
	}
	r->n = 0;
}

/* Unmaps from start until end or until rel is full; returns where it
 * stopped.  mm->lock held. */
static uint64_t unmap_locked(struct mm *mm, uint64_t start, uint64_t end, struct vm_release *rel,
                             int *err)
{
	struct list *pos, *tmp;
	list_for_each_safe(pos, tmp, &mm->vmas)
	{
		struct vma *v = list_entry(pos, struct vma, node);
		if (v->end <= start)
			continue;
		if (v->start >= end)
			break;
		if (v->vn && vm_release_full(rel))
			return MAX(v->start, start);
		uint64_t s = MAX(v->start, start), e = MIN(v->end, end);
		vm_unmap_pages(mm, s, e);
		if (v->vn)
			vm_release_add(rel, v->vn, v->flags & VMA_SHARED,
			               s == v->start && e == v->end);
		*err = vma_cut(mm, v, s, e);
		if (*err)
			break;
	}
	return end;
}

int vm_unmap(struct mm *mm, uint64_t start, uint64_t len)
{
	uint64_t end = start + ALIGN_UP(len, PAGE_SIZE);
	if (start & (PAGE_SIZE - 1) || end > USER_TOP || end <= start)
		return -EINVAL;
	int err = 0;
	while (start < end && err == 0) {
		struct vm_release rel = {0};
		spin_lock(&mm->lock);
		start = unmap_locked(mm, start, end, &rel, &err);
		spin_unlock(&mm->lock);
		vm_tlb_sync(mm);
		vm_release_run(&rel);
	}
	return err;
}

int vm_copy_in(struct mm *mm, uint64_t va, const void *src, uint64_t len)
{
	const char *s = src;
	while (len > 0) {
		uint64_t chunk = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		char *dst = vm_user_ptr(mm, va, true);
		if (!dst) {
			/* read-only areas (text): fault in for reading, then
			 * write through the kernel mapping */
			dst = vm_user_ptr(mm, va, false);
			if (!dst)
				return -EFAULT;
		}
		memcpy(dst, s, chunk);
		va += chunk;
		s += chunk;
		len -= chunk;
	}
	return 0;
}

uint64_t vm_brk(struct mm *mm, uint64_t new_brk)
{
	uint64_t old = mm->brk;
	if (new_brk < mm->brk_start)
		return old;
	uint64_t old_top = ALIGN_UP(old, PAGE_SIZE), new_top = ALIGN_UP(new_brk, PAGE_SIZE);
	if (new_top > old_top) {
		if (vm_map_anon(mm, old_top, new_top - old_top, 3, VMA_HEAP) < 0)
			return old;
	} else if (new_top < old_top) {
		vm_unmap(mm, new_top, old_top - new_top);
	}
	mm->brk = new_brk;
	return new_brk;
}

bool vm_is_stack_guard(struct mm *mm, uint64_t va)
{
	bool guard = false;
	spin_lock(&mm->lock);
	struct vma *v = vma_find(mm, va + PAGE_SIZE);
	if (v && (v->flags & VMA_GROWSDOWN) && va < v->start)
		guard = true;
	spin_unlock(&mm->lock);
	return guard;
}

uint64_t vm_rss_bytes(struct mm *mm)
{
	return mm->rss_pages * PAGE_SIZE;
}

void vm_tlb_sync(struct mm *mm)
{
	if (__atomic_load_n(&mm->refcount, __ATOMIC_ACQUIRE) > 1)
		pt_shootdown_asid(mm->asid);
}

int vm_area_from(struct mm *mm, uint64_t va, struct vm_area_info *out)
{
	int r = -ENOENT;
	spin_lock(&mm->lock);
	struct vma *v = va < USER_TOP ? vma_overlap(mm, va, USER_TOP) : NULL;
	if (v) {
		*out = (struct vm_area_info){v->start, v->end, v->vn ? vnode_get(v->vn) : NULL,
		                             v->pgoff, (v->flags & VMA_SHARED) != 0};
		r = 0;
	}
	spin_unlock(&mm->lock);
	return r;
}

bool vm_range_mapped(struct mm *mm, uint64_t start, uint64_t end)
{
	spin_lock(&mm->lock);
	uint64_t va = start;
	while (va < end) {
		struct vma *v = vma_find(mm, va);
		if (!v)
			break;
		va = v->end;
	}
	spin_unlock(&mm->lock);
	return va >= end;
}
