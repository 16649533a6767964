/*
 * Handing RAM to the page allocator at boot: every memory range from the
 * device tree minus the firmware, the kernel image, the device tree blob,
 * the initramfs and reserved-memory regions.
 */
#include "arch/riscv64/memlayout.h"
#include "core/boot.h"
#include "core/kernel.h"
#include "fs/bcache.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/pcache.h"

extern char __kernel_end[];

#define MAX_HOLES (FDT_MAX_RESERVED + 3)

struct hole {
	uint64_t start, end;
};

/* Adds [start, end) minus holes[i..]. */
static void add_minus_holes(uint64_t start, uint64_t end, const struct hole *holes, int n)
{
	for (int i = 0; i < n && start < end; i++) {
		const struct hole *h = &holes[i];
		if (h->end <= start || h->start >= end)
			continue;
		if (h->start > start)
			add_minus_holes(start, h->start, holes + i + 1, n - i - 1);
		start = h->end;
	}
	if (start < end)
		page_add_range(start, end);
}

void mem_init(uint64_t fdt_pa)
{
	struct fdt_info *f = &boot.fdt;
	struct hole holes[MAX_HOLES];
	int n = 0;
	holes[n++] = (struct hole){0, VA_TO_PA(__kernel_end)}; /* firmware + kernel */
	holes[n++] = (struct hole){fdt_pa, fdt_pa + f->total_size};
	if (f->initrd_end > f->initrd_start)
		holes[n++] = (struct hole){f->initrd_start, f->initrd_end};
	for (int i = 0; i < f->nreserved && n < MAX_HOLES; i++)
		holes[n++] =
		    (struct hole){f->reserved[i].base, f->reserved[i].base + f->reserved[i].size};
	uint64_t total = 0;
	for (int i = 0; i < f->nmem; i++) {
		uint64_t start = f->mem[i].base;
		uint64_t end = MIN(start + f->mem[i].size, DIRECT_MAP_SIZE);
		if (start < end) {
			add_minus_holes(start, end, holes, n);
			total += end - start;
		}
	}
	printk("mm: %lu MiB RAM, %lu pages free\n", total >> 20, page_free_count());
	bcache_set_limit(MAX(total / 16, (uint64_t)4 << 20));
	/* reclaim order: the caches, then the slab pages they emptied */
	bcache_reclaim_init();
	pcache_reclaim_init();
	kmalloc_reclaim_init();
}
