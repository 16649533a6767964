/*
 * Address spaces and VMAs (see vm.h).  Page faults live in fault.c.
 */
#include "mm/vm.h"

#include "arch/riscv64/riscv.h"
#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
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

static void free_vmas(struct mm *mm)
{
	struct list *pos, *tmp;
	list_for_each_safe(pos, tmp, &mm->vmas)
	{
		list_remove(pos);
		kfree(list_entry(pos, struct vma, node));
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

static struct vma *vma_find(struct mm *mm, uint64_t va)
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

static bool range_free(struct mm *mm, uint64_t start, uint64_t end)
{
	struct list *pos;
	list_for_each(pos, &mm->vmas)
	{
		struct vma *v = list_entry(pos, struct vma, node);
		if (start < v->end && v->start < end)
			return false;
	}
	return true;
}

static void vma_insert(struct mm *mm, struct vma *nv)
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
	if (!range_free(mm, start, end)) {
		spin_unlock(&mm->lock);
		kfree(v);
		return -EINVAL;
	}
	struct vma *prev = start ? vma_find(mm, start - 1) : NULL;
	if (prev && prev->end == start && prev->prot == prot && prev->flags == flags) {
		prev->end = end; /* grow the neighbour (typically the heap) */
		kfree(v);
	} else {
		vma_insert(mm, v);
	}
	spin_unlock(&mm->lock);
	return 0;
}

uint64_t vm_find_free(struct mm *mm, uint64_t len)
{
	len = ALIGN_UP(len, PAGE_SIZE);
	spin_lock(&mm->lock);
	uint64_t top = mm->mmap_base;
	while (top >= len + PAGE_SIZE) {
		uint64_t start = top - len;
		if (range_free(mm, start - PAGE_SIZE, top)) {
			spin_unlock(&mm->lock);
			return start;
		}
		top -= PAGE_SIZE;
	}
	spin_unlock(&mm->lock);
	return 0;
}

static void unmap_pages(struct mm *mm, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		pte_t *pte = pt_walk(mm->root, va, false);
		if (pte && (*pte & PTE_V)) {
			page_put(PA_TO_VA(pte_pa(*pte)));
			*pte = 0;
			mm->rss_pages--;
			pt_flush_page(va);
		}
	}
}

/* Cuts [start, end) out of v, splitting it when the hole is inside. */
static int vma_cut(struct mm *mm, struct vma *v, uint64_t start, uint64_t end)
{
	if (start <= v->start && end >= v->end) {
		list_remove(&v->node);
		kfree(v);
	} else if (start <= v->start) {
		v->start = end;
	} else if (end >= v->end) {
		v->end = start;
	} else {
		struct vma *tail = kzalloc(sizeof(*tail));
		if (!tail)
			return -ENOMEM;
		*tail = *v;
		tail->start = end;
		v->end = start;
		vma_insert(mm, tail);
	}
	return 0;
}

int vm_unmap(struct mm *mm, uint64_t start, uint64_t len)
{
	uint64_t end = start + ALIGN_UP(len, PAGE_SIZE);
	if (start & (PAGE_SIZE - 1) || end > USER_TOP || end <= start)
		return -EINVAL;
	int err = 0;
	spin_lock(&mm->lock);
	struct list *pos, *tmp;
	list_for_each_safe(pos, tmp, &mm->vmas)
	{
		struct vma *v = list_entry(pos, struct vma, node);
		if (v->end <= start || v->start >= end)
			continue;
		uint64_t s = MAX(v->start, start), e = MIN(v->end, end);
		unmap_pages(mm, s, e);
		err = vma_cut(mm, v, s, e);
		if (err)
			break;
	}
	spin_unlock(&mm->lock);
	vm_tlb_sync(mm);
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

/* exported for fault.c */
struct vma *vm_vma_find_locked(struct mm *mm, uint64_t va)
{
	return vma_find(mm, va);
}

void vm_tlb_sync(struct mm *mm)
{
	if (__atomic_load_n(&mm->refcount, __ATOMIC_ACQUIRE) > 1)
		pt_shootdown_asid(mm->asid);
}

/* Splits v at addr (inside it) into two areas; mm->lock held. */
static int vma_split(struct mm *mm, struct vma *v, uint64_t addr)
{
	struct vma *tail = kzalloc(sizeof(*tail));
	if (!tail)
		return -ENOMEM;
	*tail = *v;
	tail->start = addr;
	v->end = addr;
	vma_insert(mm, tail);
	return 0;
}

static bool range_covered(struct mm *mm, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end;) {
		struct vma *v = vma_find(mm, va);
		if (!v)
			return false;
		va = v->end;
	}
	return true;
}

static void reprotect_pages(struct mm *mm, uint64_t start, uint64_t end, unsigned prot)
{
	uint64_t flags = pte_flags_for_prot(prot);
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		pte_t *pte = pt_walk(mm->root, va, false);
		if (!pte || !(*pte & PTE_V))
			continue;
		uint64_t f = flags;
		if (*pte & PTE_COW) /* still shared: the next write copies it */
			f = (f & ~PTE_W) | PTE_COW;
		*pte = pte_make(pte_pa(*pte), f);
	}
}

int vm_protect(struct mm *mm, uint64_t start, uint64_t len, unsigned prot)
{
	uint64_t end = start + ALIGN_UP(len, PAGE_SIZE);
	if (start & (PAGE_SIZE - 1) || end > USER_TOP || end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	int r = 0;
	spin_lock(&mm->lock);
	if (!range_covered(mm, start, end)) {
		spin_unlock(&mm->lock);
		return -ENOMEM;
	}
	for (uint64_t va = start; va < end && r == 0;) {
		struct vma *v = vma_find(mm, va);
		if (v->start < va)
			r = vma_split(mm, v, va);
		else if (v->end > end)
			r = vma_split(mm, v, end);
		else {
			v->prot = prot;
			va = v->end;
		}
	}
	if (r == 0)
		reprotect_pages(mm, start, end, prot);
	spin_unlock(&mm->lock);
	pt_flush_asid(mm->asid);
	vm_tlb_sync(mm);
	return r;
}

long vm_mmap_anon(struct mm *mm, uint64_t hint, uint64_t len, unsigned prot, bool fixed)
{
	if (fixed) {
		if (hint & (PAGE_SIZE - 1))
			return -EINVAL;
		vm_unmap(mm, hint, len);
	} else if (hint && vm_map_anon(mm, hint, len, prot, 0) == 0) {
		return (long)hint;
	} else {
		hint = vm_find_free(mm, len);
		if (!hint)
			return -ENOMEM;
	}
	int r = vm_map_anon(mm, hint, len, prot, 0);
	return r < 0 ? r : (long)hint;
}
