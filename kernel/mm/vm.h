/*
 * User address spaces: a page table plus a sorted list of virtual memory
 * areas (VMAs).  Pages are allocated on first touch (demand zero), fork
 * shares them copy-on-write, and a fault outside every VMA or against its
 * protection is reported to the caller (who kills the task).
 *
 * A VMA may be backed by a vnode's page cache (mm/pcache.h): a file, or
 * the anonymous object behind MAP_SHARED|MAP_ANONYMOUS.  A private one
 * maps the cached pages read-only and copies a page on its first write;
 * a shared one maps them as they are, so stores reach the cache (and the
 * file, on write-back).  A shared PTE is made writable only by a write
 * fault, which marks the page dirty.
 *
 * All functions take mm->lock themselves; those that may write pages
 * back to a file (unmap, msync, mm_put) may sleep.
 */
#ifndef MM_VM_H
#define MM_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/riscv64/mmu.h"
#include "core/list.h"
#include "core/spinlock.h"

/* vma.flags */
#define VMA_GROWSDOWN 0x1 /* the stack: a guard page is kept below it */
#define VMA_HEAP      0x2
#define VMA_SHARED    0x4 /* MAP_SHARED: stores go to the backing vnode */
#define VMA_MAYWRITE  0x8 /* shared file opened for writing: PROT_WRITE allowed */

#define VMA_IMAGE  0x10 /* a segment of the executable */
#define VMA_LOCKED 0x20 /* mlock: counted in VmLck (nothing is paged out anyway) */

struct vnode;

struct vma {
	struct list node;
	uint64_t start, end; /* page aligned, [start, end) */
	unsigned prot;       /* PROT_* */
	unsigned flags;
	struct vnode *vn; /* backing pages (pcache_map_get), NULL: private anonymous */
	uint64_t pgoff;   /* page index in vn of start */
};

/* vm_mmap flags */
#define VM_MAP_FIXED     0x1 /* exactly at hint, replacing what is there */
#define VM_MAP_NOREPLACE 0x2 /* exactly at hint; EEXIST if anything is there */
#define VM_MAP_SHARED    0x4
#define VM_MAP_MAYWRITE  0x8  /* with SHARED and a vnode: mprotect may add PROT_WRITE */
#define VM_MAP_POPULATE  0x10 /* fault every page in now */
#define VM_MAP_IMAGE     0x20 /* a segment of the executable (VMA_IMAGE) */
#define VM_MAP_LOCKED    0x40 /* MAP_LOCKED, mlockall(MCL_FUTURE): VMA_LOCKED */

/* vm_mremap flags */
#define VM_REMAP_MAYMOVE 0x1
#define VM_REMAP_FIXED   0x2

struct kobj;

struct mm {
	int refcount;
	struct spinlock lock;
	pte_t *root;
	uint16_t asid;
	struct list vmas;
	uint64_t brk_start, brk; /* heap: [brk_start, brk) */
	uint64_t mmap_base;      /* next mmap search starts below this */
	uint64_t rss_pages;
	bool populate_new; /* mlockall(MCL_FUTURE): new mappings are populated */
	bool lock_new;     /* mlockall(MCL_FUTURE): new mappings are locked */
	/* What the image was made from, for /proc: the argument and environment
	 * strings on the stack and the executable (a file object, referenced). */
	uint64_t arg_start, arg_end, env_start, env_end;
	struct kobj *exe_file;
};

/* fault access kinds */
#define FAULT_READ  1
#define FAULT_WRITE 2
#define FAULT_EXEC  4

void vm_init(void);
struct mm *mm_create(void);
struct mm *mm_get(struct mm *mm);
void mm_put(struct mm *mm);
/* A copy-on-write duplicate of mm; NULL when out of memory even after
 * reclaiming (called from fork, holding no lock). */
struct mm *mm_fork(struct mm *mm);
/* Switches this hart to mm's page table. */
void vm_activate(struct mm *mm);

/* Adds a demand-zero area; EINVAL if misaligned or overlapping. */
int vm_map_anon(struct mm *mm, uint64_t start, uint64_t len, unsigned prot, unsigned flags);
/* Finds a free range of len bytes below mm->mmap_base; 0 if none. */
uint64_t vm_find_free(struct mm *mm, uint64_t len);
/* Places a demand-zero area of len bytes (page aligned, non-zero): at
 * hint exactly when fixed (replacing what was there), else at hint when
 * that range is free, else wherever vm_find_free finds room.  Returns the
 * address, or -EINVAL / -ENOMEM. */
long vm_mmap_anon(struct mm *mm, uint64_t hint, uint64_t len, unsigned prot, bool fixed);
/* Maps len bytes (page aligned, non-zero) of vn from page pgoff, or
 * anonymous memory when vn is NULL (shared with children when
 * VM_MAP_SHARED).  Without FIXED/NOREPLACE the address is hint (rounded
 * up) when free, else found below mmap_base.  Returns the address, or
 * -EINVAL (unaligned fixed address), -EEXIST, -ENOMEM. */
long vm_mmap(struct mm *mm, uint64_t hint, uint64_t len, unsigned prot, unsigned flags,
             struct vnode *vn, uint64_t pgoff);
/* What a mapping of object o maps, with POSIX's checks: EACCES for an
 * object not open for reading, or not for writing (or in append mode)
 * when shared and PROT_WRITE; ENODEV for objects that cannot be mapped
 * (pipes, terminals, directories).  *vn (referenced) is NULL for
 * anonymous memory (/dev/zero); *vflags gets VM_MAP_MAYWRITE when a
 * shared mapping may later be made writable. */
int vm_mmap_object(struct kobj *o, unsigned prot, bool shared, struct vnode **vn, unsigned *vflags);
/* Removes every mapping in [start, start+len), writing shared file pages
 * back.  May sleep. */
int vm_unmap(struct mm *mm, uint64_t start, uint64_t len);
/* Resizes or moves the mapping at old (Linux mremap semantics, flags
 * VM_REMAP_*; old page aligned, new_len non-zero).  Returns the new
 * address, or -EFAULT (old range not one mapping), -ENOMEM, -EINVAL. */
long vm_mremap(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new_len, unsigned flags,
               uint64_t new_addr);
/* Writes back the shared file pages of [start, end) (page aligned) when
 * sync; ENOMEM if part of the range is unmapped.  May sleep. */
int vm_msync(struct mm *mm, uint64_t start, uint64_t end, bool sync);
/* Drops the pages of [start, end): private anonymous memory reads as
 * zeros again, private file pages as the file; ENOMEM if part of the
 * range is unmapped (the rest is still dropped). */
int vm_dontneed(struct mm *mm, uint64_t start, uint64_t end);
/* MADV_FREE: vm_dontneed for private anonymous memory only (EINVAL for
 * other areas, before anything is dropped). */
int vm_free_anon(struct mm *mm, uint64_t start, uint64_t end);
/* What vm_area_from reports about one area. */
struct vm_area_info {
	uint64_t start, end;
	struct vnode *vn; /* referenced (vnode_put it), NULL: private anonymous */
	uint64_t pgoff;
	bool shared;
};
/* The area containing va or else the first one above it (System V
 * shmdt walks the areas with it): 0, or -ENOENT when there is none. */
int vm_area_from(struct mm *mm, uint64_t va, struct vm_area_info *out);
/* Whether every page of [start, end) is mapped. */
bool vm_range_mapped(struct mm *mm, uint64_t start, uint64_t end);
/* vec[i] = 1 if page i of the range at start is resident (present, or in
 * the page cache of its file), else 0; ENOMEM if a page is unmapped. */
int vm_mincore(struct mm *mm, uint64_t start, uint64_t npages, uint8_t *vec);
/* The state of each page of [start, start + n pages) (page aligned),
 * from the page table; never faults or sleeps (page_state.c). */
struct vm_page_state {
	uint64_t pfn; /* physical page number, when present */
	bool mapped;  /* inside an area */
	bool present, dirty;
	bool file;   /* the area maps a file */
	bool shared; /* MAP_SHARED */
};
int vm_page_states(struct mm *mm, uint64_t start, size_t n, struct vm_page_state *out);
/* mlock.c: sets or clears VMA_LOCKED on [start, end) (page aligned),
 * splitting areas at the edges; ENOMEM (nothing changed) if part of the
 * range is unmapped or out of memory. */
int vm_set_locked(struct mm *mm, uint64_t start, uint64_t end, bool lock);
/* On every area (mlockall(MCL_CURRENT), munlockall). */
void vm_set_locked_all(struct mm *mm, bool lock);
/* Bytes of locked areas inside [start, end) (VmLck: 0 to USER_TOP). */
uint64_t vm_locked_bytes(struct mm *mm, uint64_t start, uint64_t end);
/* Bytes of all areas (Linux's total_vm). */
uint64_t vm_total_bytes(struct mm *mm);
/* Whether any locked area meets [start, end). */
bool vm_range_locked(struct mm *mm, uint64_t start, uint64_t end);
/* Faults every accessible page of [start, end) in (mlock, MAP_POPULATE):
 * 0, ENOMEM when out of memory or part of the range is unmapped. */
int vm_populate(struct mm *mm, uint64_t start, uint64_t end);
/* vm_populate over every area but the stack. */
int vm_populate_all(struct mm *mm);
/* Changes the protection of [start, start+len), splitting areas at the
 * edges; ENOMEM if part of the range is not mapped, EINVAL if start is
 * not page aligned, EACCES for PROT_WRITE on a shared mapping of a file
 * not opened for writing. */
int vm_protect(struct mm *mm, uint64_t start, uint64_t len, unsigned prot);
/* Copies kernel data into the address space (used by exec before the
 * process runs); faults pages in as needed, ignoring protection. */
int vm_copy_in(struct mm *mm, uint64_t va, const void *src, uint64_t len);
/* Sets the program break; returns the resulting break. */
uint64_t vm_brk(struct mm *mm, uint64_t new_brk);

/* Handles a user page fault: 0 when resolved, -EFAULT when the access is
 * not allowed (no VMA, protection), -ENXIO for a file page wholly past
 * the end of file (SIGBUS), -ENOMEM when out of memory even after
 * reclaiming everything (the caller holds no lock: dirty file pages may
 * be written back; see mm/reclaim.h).  May sleep. */
int vm_fault(struct mm *mm, uint64_t va, unsigned access);
/* The kernel address of user address va's byte after making sure the
 * page is present with the access allowed; NULL on error. */
void *vm_user_ptr(struct mm *mm, uint64_t va, bool write);
/* The same when the page is present with the access allowed right now,
 * else NULL; never faults or sleeps. */
void *vm_user_ptr_nofault(struct mm *mm, uint64_t va, bool write);
/* True when va is in the guard page below the stack. */
bool vm_is_stack_guard(struct mm *mm, uint64_t va);
/* After changing mm's page table: flushes other harts' stale entries
 * when threads share mm (mm->refcount > 1). */
void vm_tlb_sync(struct mm *mm);
/* Bytes of user memory mapped. */
uint64_t vm_rss_bytes(struct mm *mm);

#endif
