/*
 * Sv39 page tables: three levels of 512 entries.  The upper half (entries
 * 256..511 of the root) is the kernel's and is shared by reference into
 * every user root.  PTE_COW (a software bit) marks a page that is
 * read-only because it is shared copy-on-write.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/riscv64/memlayout.h"

typedef uint64_t pte_t;

#define PTE_V   (1UL << 0)
#define PTE_R   (1UL << 1)
#define PTE_W   (1UL << 2)
#define PTE_X   (1UL << 3)
#define PTE_U   (1UL << 4)
#define PTE_G   (1UL << 5)
#define PTE_A   (1UL << 6)
#define PTE_D   (1UL << 7)
#define PTE_COW (1UL << 8)

static inline paddr_t pte_pa(pte_t pte)
{
	return (pte >> 10) << 12;
}

static inline pte_t pte_make(paddr_t pa, uint64_t flags)
{
	return ((pa >> 12) << 10) | flags | PTE_V;
}

static inline bool pte_is_leaf(pte_t pte)
{
	return (pte & (PTE_R | PTE_W | PTE_X)) != 0;
}

/* A user leaf PTE for PROT_* bits (A and D preset: no A/D faults). */
uint64_t pte_flags_for_prot(unsigned prot);

/* A root with the kernel half filled in; NULL when out of memory. */
pte_t *pt_create_root(void);
/* Frees the user half's table pages (not the pages they map). */
void pt_destroy(pte_t *root);
/* The leaf PTE for va, creating intermediate tables when alloc; NULL if
 * absent (or out of memory). */
pte_t *pt_walk(pte_t *root, uint64_t va, bool alloc);
/* Calls fn for each present user leaf in [start, end). */
void pt_for_each_leaf(pte_t *root, uint64_t start, uint64_t end,
                      void (*fn)(pte_t *pte, uint64_t va, void *ctx), void *ctx);
/* Switches this hart to root with the given ASID. */
void pt_activate(pte_t *root, uint16_t asid);
/* Drops this hart's cached translations for va / for all of asid. */
void pt_flush_page(uint64_t va);
void pt_flush_asid(uint16_t asid);
/* Drops asid's cached translations on every other online hart. */
void pt_shootdown_asid(uint16_t asid);
/* The kernel's root table (boot_pagetable). */
pte_t *pt_kernel_root(void);
/* Switches this hart to the kernel's root unless it is on it already.
 * Whoever may free a user table must have left it first: a hart that
 * keeps a freed root in satp takes its next trap through whatever the
 * page now holds. */
void pt_activate_kernel(void);
/* Number of usable ASIDs on this hart (1 if none). */
unsigned pt_probe_asids(void);

#endif
