/*
 * Kernel heap: power-of-two size classes from 16 bytes to 2 KiB carved
 * out of pages, and whole page blocks above that.
 */
#ifndef MM_KMALLOC_H
#define MM_KMALLOC_H

#include <stddef.h>

/* Returns NULL when out of memory; 16-byte aligned. */
void *kmalloc(size_t size);
/* Same, zero-filled. */
void *kzalloc(size_t size);
/* Accepts NULL. */
void kfree(void *p);
/* Bytes currently handed out (for meminfo). */
size_t kmalloc_bytes_in_use(void);

#endif
