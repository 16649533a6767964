/*
 * Kernel heap: size classes, alignment, no overlap, accounting
 * (mm/kmalloc.h).
 */
#include "core/kernel.h"
#include "core/ktest.h"
#include "mm/kmalloc.h"
#include "mm/page.h"

static const size_t sizes[] = {
    1,    8,    15,   16,   17,   31,   32,   33,   63,   64,    65,    100,  127,
    128,  129,  255,  256,  257,  500,  512,  513,  1000, 1024,  1025,  2000, 2047,
    2048, 2049, 3000, 4095, 4096, 4097, 8000, 8192, 8193, 20000, 65536,
};

#define NSIZES ARRAY_SIZE(sizes)

static bool check_fill(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != v)
			return false;
	}
	return true;
}

KTEST(kmalloc_sizes_no_overlap)
{
	static unsigned char *ptrs[NSIZES];
	size_t in_use = kmalloc_bytes_in_use();
	for (size_t i = 0; i < NSIZES; i++) {
		size_t before = kmalloc_bytes_in_use();
		ptrs[i] = kmalloc(sizes[i]);
		KT_CHECK(ptrs[i] != NULL);
		if (!ptrs[i])
			continue;
		KT_CHECK(((uintptr_t)ptrs[i] & 15) == 0);
		KT_CHECK(kmalloc_bytes_in_use() >= before + sizes[i]);
		memset(ptrs[i], (int)(i + 1), sizes[i]);
	}
	for (size_t i = 0; i < NSIZES; i++) {
		if (ptrs[i])
			KT_CHECK(check_fill(ptrs[i], sizes[i], (unsigned char)(i + 1)));
	}
	for (size_t i = 0; i < NSIZES; i++)
		kfree(ptrs[i]);
	KT_CHECK(kmalloc_bytes_in_use() == in_use);
}

#define NSMALL 700 /* several slab pages of 32-byte objects */

KTEST(kmalloc_many_small)
{
	static uint64_t *objs[NSMALL];
	size_t in_use = kmalloc_bytes_in_use();
	for (int i = 0; i < NSMALL; i++) {
		objs[i] = kmalloc(24);
		KT_CHECK(objs[i] != NULL);
		if (!objs[i])
			return;
		objs[i][0] = 0xabc00000UL + (uint64_t)i;
		objs[i][1] = ~(0xabc00000UL + (uint64_t)i);
		objs[i][2] = (uint64_t)i;
	}
	KT_CHECK(kmalloc_bytes_in_use() >= in_use + NSMALL * 24);
	for (int i = 0; i < NSMALL; i++) {
		KT_CHECK(objs[i][0] == 0xabc00000UL + (uint64_t)i);
		KT_CHECK(objs[i][1] == ~(0xabc00000UL + (uint64_t)i));
		KT_CHECK(objs[i][2] == (uint64_t)i);
	}
	/* free every other one, reallocate, and check nothing collides */
	for (int i = 0; i < NSMALL; i += 2)
		kfree(objs[i]);
	for (int i = 0; i < NSMALL; i += 2) {
		objs[i] = kmalloc(24);
		KT_CHECK(objs[i] != NULL);
		if (!objs[i])
			return;
		objs[i][0] = 0xdef00000UL + (uint64_t)i;
		objs[i][1] = 0;
		objs[i][2] = (uint64_t)i;
	}
	for (int i = 0; i < NSMALL; i++) {
		uint64_t want = (i & 1) ? 0xabc00000UL + (uint64_t)i : 0xdef00000UL + (uint64_t)i;
		KT_CHECK(objs[i][0] == want);
		KT_CHECK(objs[i][2] == (uint64_t)i);
	}
	for (int i = 0; i < NSMALL; i++)
		kfree(objs[i]);
	KT_CHECK(kmalloc_bytes_in_use() == in_use);
}

KTEST(kmalloc_kzalloc_zeroes)
{
	size_t in_use = kmalloc_bytes_in_use();
	static const size_t zs[] = {16, 200, 2048, 5000};
	for (size_t i = 0; i < ARRAY_SIZE(zs); i++) {
		unsigned char *p = kmalloc(zs[i]);
		KT_CHECK(p != NULL);
		if (!p)
			continue;
		memset(p, 0xee, zs[i]);
		kfree(p);
		unsigned char *z = kzalloc(zs[i]);
		KT_CHECK(z != NULL);
		if (!z)
			continue;
		KT_CHECK(check_fill(z, zs[i], 0));
		kfree(z);
	}
	KT_CHECK(kmalloc_bytes_in_use() == in_use);
}

KTEST(kmalloc_free_null_and_limits)
{
	size_t in_use = kmalloc_bytes_in_use();
	size_t pages = page_free_count();
	kfree(NULL);
	KT_CHECK(kmalloc_bytes_in_use() == in_use);
	/* more than the largest page block (2^PAGE_MAX_ORDER pages) */
	KT_CHECK(kmalloc((PAGE_SIZE << PAGE_MAX_ORDER) + 1) == NULL);
	KT_CHECK(kmalloc((size_t)-1) == NULL);
	KT_CHECK(kmalloc_bytes_in_use() == in_use);
	KT_CHECK(page_free_count() == pages);
}

KTEST(kmalloc_large_returns_pages)
{
	size_t in_use = kmalloc_bytes_in_use();
	size_t pages = page_free_count();
	void *p = kmalloc(3 * PAGE_SIZE);
	KT_CHECK(p != NULL);
	if (!p)
		return;
	KT_CHECK(((uintptr_t)p & (PAGE_SIZE - 1)) == 0);
	KT_CHECK(page_free_count() == pages - 4); /* order 2 */
	KT_CHECK(kmalloc_bytes_in_use() == in_use + 4 * PAGE_SIZE);
	kfree(p);
	KT_CHECK(page_free_count() == pages);
	KT_CHECK(kmalloc_bytes_in_use() == in_use);
}
