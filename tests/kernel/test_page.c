/*
 * Physical page allocator: orders, alignment, free counts, reference
 * counts and tags (mm/page.h).
 */
#include "core/kernel.h"
#include "core/ktest.h"
#include "mm/page.h"

KTEST(page_orders_align_and_count)
{
	size_t start = page_free_count();
	KT_CHECK(start > 0 && start <= page_total_count());
	for (unsigned order = 0; order <= PAGE_MAX_ORDER; order++) {
		size_t before = page_free_count();
		void *p = page_alloc(order);
		KT_CHECK(p != NULL);
		if (!p)
			continue;
		KT_CHECK((VA_TO_PA(p) & ((PAGE_SIZE << order) - 1)) == 0);
		KT_CHECK(page_free_count() == before - (1UL << order));
		KT_CHECK(page_refcount(p) == 1);
		KT_CHECK(page_tag(p) == 0);
		/* the whole block is usable */
		memset(p, 0x5a, PAGE_SIZE << order);
		KT_CHECK(((unsigned char *)p)[(PAGE_SIZE << order) - 1] == 0x5a);
		page_free(p, order);
		KT_CHECK(page_free_count() == before);
	}
	KT_CHECK(page_free_count() == start);
}

KTEST(page_order_too_large)
{
	size_t start = page_free_count();
	KT_CHECK(page_alloc(PAGE_MAX_ORDER + 1) == NULL);
	KT_CHECK(page_alloc_zeroed(PAGE_MAX_ORDER + 5) == NULL);
	KT_CHECK(page_free_count() == start);
}

KTEST(page_alloc_zeroed_is_zero)
{
	size_t start = page_free_count();
	for (unsigned order = 0; order <= 3; order++) {
		unsigned char *p = page_alloc(order);
		KT_CHECK(p != NULL);
		if (!p)
			continue;
		memset(p, 0xa5, PAGE_SIZE << order);
		page_free(p, order);
		/* LIFO free lists usually give the dirty block back */
		unsigned char *z = page_alloc_zeroed(order);
		KT_CHECK(z != NULL);
		if (!z)
			continue;
		bool zero = true;
		for (size_t i = 0; i < (PAGE_SIZE << order); i++) {
			if (z[i]) {
				zero = false;
				break;
			}
		}
		KT_CHECK(zero);
		page_free(z, order);
	}
	KT_CHECK(page_free_count() == start);
}

#define NPAGES 300

KTEST(page_many_distinct)
{
	static void *pages[NPAGES];
	size_t start = page_free_count();
	int got = 0;
	for (int i = 0; i < NPAGES; i++) {
		pages[i] = page_alloc(0);
		KT_CHECK(pages[i] != NULL);
		if (!pages[i])
			break;
		*(uint64_t *)pages[i] = 0xfeed0000UL + (uint64_t)i;
		got++;
	}
	KT_CHECK(page_free_count() == start - (size_t)got);
	/* every page kept its own marker: no page was handed out twice */
	for (int i = 0; i < got; i++)
		KT_CHECK(*(uint64_t *)pages[i] == 0xfeed0000UL + (uint64_t)i);
	/* free in an interleaved order to exercise buddy merging */
	for (int i = 0; i < got; i += 2)
		page_free(pages[i], 0);
	for (int i = 1; i < got; i += 2)
		page_free(pages[i], 0);
	KT_CHECK(page_free_count() == start);
	/* after merging, a large block is still available */
	void *big = page_alloc(PAGE_MAX_ORDER);
	KT_CHECK(big != NULL);
	if (big)
		page_free(big, PAGE_MAX_ORDER);
	KT_CHECK(page_free_count() == start);
}

KTEST(page_blocks_do_not_overlap)
{
	size_t start = page_free_count();
	unsigned char *a = page_alloc(2), *b = page_alloc(3), *c = page_alloc(0);
	KT_CHECK(a && b && c);
	if (a && b && c) {
		uint64_t pa = VA_TO_PA(a), pb = VA_TO_PA(b), pc = VA_TO_PA(c);
		KT_CHECK(pa + (PAGE_SIZE << 2) <= pb || pb + (PAGE_SIZE << 3) <= pa);
		KT_CHECK(pa + (PAGE_SIZE << 2) <= pc || pc + PAGE_SIZE <= pa);
		KT_CHECK(pb + (PAGE_SIZE << 3) <= pc || pc + PAGE_SIZE <= pb);
	}
	if (a)
		page_free(a, 2);
	if (b)
		page_free(b, 3);
	if (c)
		page_free(c, 0);
	KT_CHECK(page_free_count() == start);
}

KTEST(page_refcount_get_put)
{
	size_t start = page_free_count();
	void *p = page_alloc(0);
	KT_CHECK(p != NULL);
	if (!p)
		return;
	KT_CHECK(page_refcount(p) == 1);
	page_get(p);
	page_get(p);
	KT_CHECK(page_refcount(p) == 3);
	page_put(p);
	KT_CHECK(page_refcount(p) == 2);
	KT_CHECK(page_free_count() == start - 1);
	page_put(p);
	KT_CHECK(page_refcount(p) == 1);
	KT_CHECK(page_free_count() == start - 1);
	page_put(p); /* last reference: freed */
	KT_CHECK(page_free_count() == start);
	KT_CHECK(page_tag(p) == 0);

	/* a reallocated page starts again at one reference */
	void *q = page_alloc(0);
	KT_CHECK(q != NULL);
	if (q) {
		KT_CHECK(page_refcount(q) == 1);
		page_put(q);
	}
	KT_CHECK(page_free_count() == start);
}

KTEST(page_tags)
{
	size_t start = page_free_count();
	char *p = page_alloc(1);
	KT_CHECK(p != NULL);
	if (!p)
		return;
	KT_CHECK(page_tag(p) == 0);
	page_set_tag(p, 0x12345678);
	KT_CHECK(page_tag(p) == 0x12345678);
	KT_CHECK(page_tag(p + 100) == 0x12345678);
	KT_CHECK(page_tag(p + PAGE_SIZE - 1) == 0x12345678);
	page_free(p, 1);
	/* freed memory is not an allocated block */
	KT_CHECK(page_tag(p) == 0);
	/* page_alloc resets the tag */
	char *q = page_alloc(1);
	KT_CHECK(q != NULL);
	if (q) {
		KT_CHECK(page_tag(q) == 0);
		page_free(q, 1);
	}
	/* an address outside every zone (the kernel image) has no tag */
	KT_CHECK(page_tag((void *)&page_alloc) == 0);
	KT_CHECK(page_free_count() == start);
}
