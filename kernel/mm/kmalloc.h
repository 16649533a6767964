/*
 * Kernel heap: power-of-two size classes from 16 bytes to 2 KiB carved
 * out of pages, and whole page blocks above that.
 */
#ifndef MM_KMALLOC_H
#define MM_KMALLOC_H

#include <stdbool.h>
#include <stddef.h>

/* Returns NULL when out of memory; 16-byte aligned. */
void *kmalloc(size_t size);
/* Same, zero-filled. */
void *kzalloc(size_t size);
/* Same as kmalloc, for objects a cache keeps until its shrinker frees them
 * (mm/reclaim.h): they get slabs of their own, so that dropping the cache
 * empties whole pages.  Freed with kfree. */
void *kmalloc_cache(size_t size);
/* The bytes a kmalloc(size) really takes (its size class or page
 * block), for callers that account memory. */
size_t kmalloc_size(size_t size);
/* Accepts NULL. */
void kfree(void *p);
/* Bytes currently handed out (for meminfo). */
size_t kmalloc_bytes_in_use(void);
/* Pages the size classes hold (objects in use or free). */
size_t kmalloc_slab_pages(void);

/* Gives the page allocator back every slab page whose objects are all
 * free; returns how many.  With wait false, a size class whose lock is
 * busy is skipped (callers that may hold locks: see mm/reclaim.h). */
size_t kmalloc_shrink(bool wait);
/* Registers kmalloc_shrink as the slab shrinker (at boot). */
void kmalloc_reclaim_init(void);

#endif
