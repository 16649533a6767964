/*
 * User address spaces: a page table plus a sorted list of virtual memory
 * areas (VMAs).  Pages are allocated on first touch (demand zero), fork
 * shares them copy-on-write, and a fault outside every VMA or against its
 * protection is reported to the caller (who kills the task).
 *
 * All functions take mm->lock themselves.
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
#define VMA_IMAGE     0x4 /* a segment of the executable */

struct vma {
	struct list node;
	uint64_t start, end; /* page aligned, [start, end) */
	unsigned prot;       /* PROT_* */
	unsigned flags;
};

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
/* A copy-on-write duplicate of mm; NULL when out of memory. */
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
/* Removes every mapping in [start, start+len). */
int vm_unmap(struct mm *mm, uint64_t start, uint64_t len);
/* Changes the protection of [start, start+len), splitting areas at the
 * edges; ENOMEM if part of the range is not mapped, EINVAL if start is
 * not page aligned. */
int vm_protect(struct mm *mm, uint64_t start, uint64_t len, unsigned prot);
/* Copies kernel data into the address space (used by exec before the
 * process runs); faults pages in as needed, ignoring protection. */
int vm_copy_in(struct mm *mm, uint64_t va, const void *src, uint64_t len);
/* Sets the program break; returns the resulting break. */
uint64_t vm_brk(struct mm *mm, uint64_t new_brk);

/* Handles a user page fault: 0 when resolved, -EFAULT when the access is
 * not allowed (no VMA, protection), -ENOMEM when out of memory. */
int vm_fault(struct mm *mm, uint64_t va, unsigned access);
/* The kernel address of user address va's byte after making sure the
 * page is present with the access allowed; NULL on error. */
void *vm_user_ptr(struct mm *mm, uint64_t va, bool write);
/* True when va is in the guard page below the stack. */
bool vm_is_stack_guard(struct mm *mm, uint64_t va);
/* After changing mm's page table: flushes other harts' stale entries
 * when threads share mm (mm->refcount > 1). */
void vm_tlb_sync(struct mm *mm);
/* Bytes of user memory mapped. */
uint64_t vm_rss_bytes(struct mm *mm);

#endif
