/*
 * Page faults, copy-on-write and fork's copy of an address space (see
 * vm.h).
 *
 * A fault on an area backed by a page cache may have to read the file,
 * which sleeps, so it cannot happen under mm->lock (a spinlock): the
 * locked part asks for the page (FAULT_NEED_PAGE), the caller fetches it
 * unlocked and tries again, and the locked part uses it if the area still
 * maps that page.
 *
 * Out of memory under mm->lock, the page allocator could only reclaim
 * what needs no sleeping (mm/reclaim.h); once the lock is dropped the
 * fault reclaims more (dirty blocks written back; for a fault from user
 * mode also dirty file pages, through the filesystem) and tries again
 * before giving up with -ENOMEM.
 */
#include <scarlet/abi.h>

#include "core/kernel.h"
#include "core/might_sleep.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/pcache.h"
#include "mm/reclaim.h"
#include "mm/vm_impl.h"
#include "mm/vm.h"
#include "obj/kobj.h"

#define FAULT_NEED_PAGE 1

/* A page of a page cache fetched for a fault, and the next one wanted. */
struct fault_page {
	struct vnode *vn; /* referenced */
	uint64_t index;
	void *page; /* referenced until the fault takes it */
	struct vnode *want_vn;
	uint64_t want_index;
};

static bool access_allowed(const struct vma *v, unsigned access)
{
	if ((access & FAULT_WRITE) && !(v->prot & PROT_WRITE))
		return false;
	if ((access & FAULT_EXEC) && !(v->prot & PROT_EXEC))
		return false;
	if ((access & FAULT_READ) && !(v->prot & (PROT_READ | PROT_WRITE)))
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

static uint64_t page_index(const struct vma *v, uint64_t va)
{
	return v->pgoff + (va - v->start) / PAGE_SIZE;
}

/* The PTE flags of a cached page mapped for reading: never writable, so
 * the first store faults (to dirty a shared page, or to copy a private
 * one: PTE_COW). */
static uint64_t cache_read_flags(const struct vma *v)
{
	uint64_t flags = pte_flags_for_prot(v->prot);
	if (!(flags & PTE_W))
		return flags;
	return (flags & ~PTE_W) | ((v->flags & VMA_SHARED) ? 0 : PTE_COW);
}

/* Maps fp's cached page at va: as it is for a shared area (writable only
 * for a write, which dirties it), read-only and COW for a private one,
 * or a private copy right away for a private write. */
static int map_cache_page(struct mm *mm, const struct vma *v, pte_t *pte, uint64_t va,
                          unsigned access, struct fault_page *fp)
{
	void *page = fp->page;
	uint64_t flags = pte_flags_for_prot(v->prot);
	fp->page = NULL;
	if (!(access & FAULT_WRITE)) {
		flags = cache_read_flags(v);
	} else if (v->flags & VMA_SHARED) {
		pcache_mark_dirty(v->vn, fp->index, page);
	} else {
		void *copy = page_alloc(0);
		if (!copy) {
			page_put(page);
			return -ENOMEM;
		}
		memcpy(copy, page, PAGE_SIZE);
		page_put(page);
		page = copy;
	}
	*pte = pte_make(VA_TO_PA(page), flags);
	mm->rss_pages++;
	pt_flush_page(va);
	return 0;
}

/* A read fault in a file area also maps the neighbours (in an aligned
 * window of FAULT_AROUND pages) that are already in the page cache, as
 * map_cache_page maps a page for reading: a program's start-up then
 * takes one fault per window instead of one per page. */
#define FAULT_AROUND 16

static void map_around(struct mm *mm, const struct vma *v, uint64_t va)
{
	uint64_t window = FAULT_AROUND * PAGE_SIZE;
	uint64_t start = MAX(v->start, ALIGN_DOWN(va, window));
	uint64_t end = MIN(v->end, ALIGN_DOWN(va, window) + window);
	uint64_t flags = cache_read_flags(v);
	for (uint64_t a = start; a < end; a += PAGE_SIZE) {
		pte_t *pte = a == va ? NULL : pt_walk(mm->root, a, false);
		if (!pte || (*pte & PTE_V))
			continue;
		void *page = pcache_peek(v->vn, page_index(v, a));
		if (!page)
			continue;
		/* no flush: a stale "invalid" TLB entry faults and is flushed then */
		*pte = pte_make(VA_TO_PA(page), flags);
		mm->rss_pages++;
	}
}

static int map_missing(struct mm *mm, const struct vma *v, pte_t *pte, uint64_t va, unsigned access,
                       struct fault_page *fp)
{
	if (v->vn) {
		uint64_t index = page_index(v, va);
		if (fp->page && fp->vn == v->vn && fp->index == index) {
			int r = map_cache_page(mm, v, pte, va, access, fp);
			if (r == 0 && !(access & FAULT_WRITE))
				map_around(mm, v, va);
			return r;
		}
		fp->want_vn = vnode_get(v->vn);
		fp->want_index = index;
		return FAULT_NEED_PAGE;
	}
	void *page = page_alloc_zeroed(0);
	if (!page)
		return -ENOMEM;
	*pte = pte_make(VA_TO_PA(page), pte_flags_for_prot(v->prot));
	mm->rss_pages++;
	pt_flush_page(va);
	return 0;
}

/* The first store to a present page of a shared area. */
static void shared_write(const struct vma *v, pte_t *pte, uint64_t va)
{
	pcache_mark_dirty(v->vn, page_index(v, va), PA_TO_VA(pte_pa(*pte)));
	*pte = pte_make(pte_pa(*pte), pte_flags_for_prot(v->prot));
	pt_flush_page(va);
}

static int fault_locked(struct mm *mm, uint64_t va, unsigned access, struct fault_page *fp)
{
	struct vma *v = vma_find(mm, va);
	if (!v || !access_allowed(v, access))
		return -EFAULT;
	va = ALIGN_DOWN(va, PAGE_SIZE);
	pte_t *pte = pt_walk(mm->root, va, true);
	if (!pte)
		return -ENOMEM;
	if (!(*pte & PTE_V))
		return map_missing(mm, v, pte, va, access, fp);
	if ((access & FAULT_WRITE) && (*pte & PTE_COW)) {
		int r = break_cow(pte, v, va);
		vm_tlb_sync(mm); /* other threads may still map the old page */
		return r;
	}
	if ((access & FAULT_WRITE) && (v->flags & VMA_SHARED) && !(*pte & PTE_W)) {
		shared_write(v, pte, va);
		return 0;
	}
	/* present and allowed: another hart resolved it, or a stale TLB */
	pt_flush_page(va);
	return 0;
}

/* Drops what the last attempt left (outside mm->lock: may sleep). */
static void fault_page_drop(struct fault_page *fp)
{
	if (fp->page)
		page_put(fp->page);
	if (fp->vn)
		vnode_put(fp->vn);
	fp->page = NULL;
	fp->vn = NULL;
}

/* Reads the wanted page; -ENXIO when it lies wholly past the end of file. */
static int fault_fetch(struct fault_page *fp)
{
	fp->vn = fp->want_vn;
	fp->index = fp->want_index;
	fp->want_vn = NULL;
	uint64_t size = pcache_file_size(fp->vn);
	if (size != UINT64_MAX && fp->index >= ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE)
		return -ENXIO;
	return pcache_getpage(fp->vn, fp->index, &fp->page);
}

static int resolve(struct mm *mm, uint64_t va, unsigned access)
{
	struct fault_page fp = {0};
	might_sleep();
	for (;;) {
		spin_lock(&mm->lock);
		int r = fault_locked(mm, va, access, &fp);
		spin_unlock(&mm->lock);
		fault_page_drop(&fp);
		if (r != FAULT_NEED_PAGE)
			return r;
		r = fault_fetch(&fp);
		if (r < 0) {
			fault_page_drop(&fp);
			return r;
		}
	}
}

/* Retries of a fault that ran out of memory, each after a reclaim. */
#define OOM_RETRIES 3

/* resolve(), reclaiming with reclaim_flags when memory runs out. */
static int resolve_reclaiming(struct mm *mm, uint64_t va, unsigned access, unsigned reclaim_flags)
{
	int r = resolve(mm, va, access);
	for (int i = 0; r == -ENOMEM && i < OOM_RETRIES && reclaim_retry(reclaim_flags); i++)
		r = resolve(mm, va, access);
	return r;
}

int vm_fault_resolve(struct mm *mm, uint64_t va, unsigned access)
{
	/* a kernel access to user memory: the caller may hold filesystem
	 * locks (a read copying out), so no write-back through one */
	return resolve_reclaiming(mm, va, access, RECLAIM_SLEEP);
}

int vm_fault(struct mm *mm, uint64_t va, unsigned access)
{
	if (va >= USER_TOP)
		return -EFAULT;
	return resolve_reclaiming(mm, va, access, RECLAIM_SLEEP | RECLAIM_FS);
}

static bool pte_allows(pte_t pte, bool write)
{
	if (!(pte & PTE_V) || !(pte & PTE_U))
		return false;
	return write ? (pte & PTE_W) != 0 : (pte & (PTE_R | PTE_X)) != 0;
}

void *vm_user_ptr_nofault(struct mm *mm, uint64_t va, bool write)
{
	void *p = NULL;
	if (va >= USER_TOP)
		return NULL;
	spin_lock(&mm->lock);
	pte_t *pte = pt_walk(mm->root, va, false);
	if (pte && pte_allows(*pte, write))
		p = (char *)PA_TO_VA(pte_pa(*pte)) + (va & (PAGE_SIZE - 1));
	spin_unlock(&mm->lock);
	return p;
}

void *vm_user_ptr(struct mm *mm, uint64_t va, bool write)
{
	might_sleep();
	if (va >= USER_TOP)
		return NULL;
	for (int tries = 0; tries < 3; tries++) {
		void *p = vm_user_ptr_nofault(mm, va, write);
		if (p)
			return p;
		if (vm_fault_resolve(mm, va, write ? FAULT_WRITE : FAULT_READ) < 0)
			return NULL;
	}
	return NULL;
}

struct cow_ctx {
	struct mm *child;
	bool shared;
	int err;
};

/* Shares one present page between parent and child: as it is in a shared
 * area, read-only (COW) in a private one if the page is writable. */
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
	if (!c->shared && (*pte & (PTE_W | PTE_COW)))
		*pte = (*pte & ~PTE_W) | PTE_COW;
	*cpte = *pte;
	page_get(PA_TO_VA(pte_pa(*pte)));
	c->child->rss_pages++;
}

static int copy_vmas(struct mm *dst, struct mm *src)
{
	struct cow_ctx c = {.child = dst};
	struct list *pos;
	list_for_each(pos, &src->vmas)
	{
		struct vma *v = kmalloc(sizeof(*v));
		if (!v)
			return -ENOMEM;
		*v = *list_entry(pos, struct vma, node);
		v->flags &= ~(unsigned)VMA_LOCKED; /* memory locks are not inherited */
		if (v->vn)
			pcache_map_get(v->vn);
		list_push_back(&dst->vmas, &v->node);
		c.shared = v->flags & VMA_SHARED;
		pt_for_each_leaf(src->root, v->start, v->end, share_page, &c);
		if (c.err)
			return c.err;
	}
	return 0;
}

static struct mm *fork_once(struct mm *mm)
{
	struct mm *child = mm_create();
	if (!child)
		return NULL;
	spin_lock(&mm->lock);
	int err = copy_vmas(child, mm);
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
	if (err) {
		mm_put(child);
		return NULL;
	}
	return child;
}

struct mm *mm_fork(struct mm *mm)
{
	struct mm *child = fork_once(mm);
	/* the copy allocates page tables under mm->lock: reclaim fully and
	 * try again (fork is a system call: no lock is held) */
	for (int i = 0; !child && i < OOM_RETRIES && reclaim_retry(RECLAIM_SLEEP | RECLAIM_FS); i++)
		child = fork_once(mm);
	return child;
}
