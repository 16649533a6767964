/*
 * Physical page allocator: a buddy allocator over every RAM range the
 * device tree reports, with a reference count per page (used by
 * copy-on-write and shared mappings).
 *
 * Blocks are 2^order pages, order 0..PAGE_MAX_ORDER.  Addresses handed out
 * and taken back are kernel virtual addresses in the direct map.
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "arch/riscv64/memlayout.h"

#define PAGE_MAX_ORDER  10
#define PAGE_MAX_RANGES 16 /* page_add_range calls honoured */

/* Adds the physical range [start, end) to the allocator (page-aligned
 * inward).  Called at boot for each free RAM range, before any alloc. */
void page_add_range(paddr_t start, paddr_t end);

/* Returns a block of 2^order pages with undefined contents, or NULL when
 * out of memory.  The block's first page gets reference count 1. */
void *page_alloc(unsigned order);
/* Same, zero-filled. */
void *page_alloc_zeroed(unsigned order);
/* Frees a block obtained from page_alloc with the same order. */
void page_free(void *va, unsigned order);

/* Reference counts of single (order 0) pages, for COW and sharing.
 * page_put frees the page when the count drops to zero. */
void page_get(void *va);
void page_put(void *va);
unsigned page_refcount(void *va);

/* A 32-bit word kept in the metadata of an allocated block for its owner
 * (kmalloc records the size class of its pages there).  va must be the
 * start of a block from page_alloc for page_set_tag; page_tag accepts any
 * address in the block's first page and returns 0 for memory that is not
 * an allocated block.  page_alloc resets the tag to 0. */
void page_set_tag(void *va, uint32_t tag);
uint32_t page_tag(void *va);

/* Words in the metadata of an allocated block (va: its start) for its
 * owner's use: kmalloc links its slab pages and keeps their free lists
 * there.  NULL when page_alloc hands the block out. */
#define PAGE_OWNER_WORDS 2
void **page_owner_words(void *va);

/* Counters in pages. */
size_t page_total_count(void);
size_t page_free_count(void);

#endif
