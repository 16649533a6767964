/*
 * Tests of kernel/mm/kmalloc.c on top of the page allocator's fake RAM
 * (see test_page.c): size classes, alignment, large blocks, and a random
 * stress run that fills every object with a pattern and checks it on
 * free, which catches overlapping objects.
 */
#include <stdlib.h>
#include <string.h>

#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "tests/host/test.h"

TEST(kmalloc_sizes_alignment_and_accounting)
{
	static const size_t sizes[] = {0,    1,    15,   16,   17,   100,   128,   1000,
	                               2047, 2048, 2049, 4096, 5000, 65536, 100000};
	host_mem_init();
	size_t base = kmalloc_bytes_in_use();

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];
		unsigned char *p = kmalloc(n);
		CHECK(p != NULL);
		if (!p)
			continue;
		CHECK_EQ((uintptr_t)p & 15, 0);
		size_t used = kmalloc_bytes_in_use() - base;
		CHECK(used >= n && used >= 16);
		CHECK(used < 2 * n || used == 16 || (n > 2048 && used < 2 * n + PAGE_SIZE));
		if (n > 2048)
			CHECK_EQ((uintptr_t)p & (PAGE_SIZE - 1), 0);
		memset(p, 0xa5, n);
		kfree(p);
		CHECK_EQ(kmalloc_bytes_in_use(), base);
	}
	kfree(NULL);
	CHECK(kmalloc(PAGE_SIZE << (PAGE_MAX_ORDER + 1)) == NULL);
	CHECK(kmalloc((size_t)-1) == NULL);
	CHECK_EQ(kmalloc_bytes_in_use(), base);
}

TEST(kmalloc_large_blocks_return_to_page_allocator)
{
	host_mem_init();
	size_t before = page_free_count();
	void *p = kmalloc(3 * PAGE_SIZE);

	CHECK_EQ(page_free_count(), before - 4);
	kfree(p);
	CHECK_EQ(page_free_count(), before);
}

TEST(kzalloc_returns_zeroed_memory)
{
	host_mem_init();
	for (size_t n = 16; n <= 8192; n *= 2) {
		unsigned char *p = kmalloc(n);
		memset(p, 0xff, n);
		kfree(p);
		p = kzalloc(n);
		int nonzero = 0;
		for (size_t i = 0; i < n; i++)
			nonzero |= p[i];
		CHECK_EQ(nonzero, 0);
		kfree(p);
	}
}

TEST(kmalloc_same_class_objects_are_distinct)
{
	enum { N = 1000 };
	static unsigned char *objs[N];
	host_mem_init();

	for (int i = 0; i < N; i++) {
		objs[i] = kmalloc(24);
		memset(objs[i], i & 0xff, 24);
	}
	for (int i = 0; i < N; i++) {
		int ok = 1;
		for (int k = 0; k < 24; k++)
			ok &= objs[i][k] == (i & 0xff);
		CHECK(ok);
		kfree(objs[i]);
	}
}

struct live_obj {
	unsigned char *p;
	size_t size;
	unsigned char pattern;
};

static size_t random_size(void)
{
	unsigned r = (unsigned)(test_rand() % 100);

	if (r < 70)
		return 1 + test_rand() % 128;
	if (r < 95)
		return 1 + test_rand() % 2048;
	return 1 + test_rand() % 20000;
}

static int pattern_intact(const struct live_obj *o)
{
	for (size_t i = 0; i < o->size; i++) {
		if (o->p[i] != o->pattern)
			return 0;
	}
	return 1;
}

TEST(kmalloc_random_stress_no_overlap)
{
	enum { MAX_LIVE = 3000, OPS = 100000 };
	static struct live_obj live[MAX_LIVE];
	host_mem_init();
	size_t base = kmalloc_bytes_in_use();
	int nlive = 0, bad = 0;

	for (int op = 0; op < OPS; op++) {
		if (nlive == 0 || (nlive < MAX_LIVE && test_rand() % 100 < 52)) {
			struct live_obj o = {NULL, random_size(), (unsigned char)(1 + op % 251)};
			o.p = kmalloc(o.size);
			if (!o.p || ((uintptr_t)o.p & 15)) {
				bad++;
				continue;
			}
			memset(o.p, o.pattern, o.size);
			live[nlive++] = o;
		} else {
			int i = (int)(test_rand() % (unsigned)nlive);
			if (!pattern_intact(&live[i]))
				bad++;
			kfree(live[i].p);
			live[i] = live[--nlive];
		}
	}
	while (nlive > 0) {
		nlive--;
		if (!pattern_intact(&live[nlive]))
			bad++;
		kfree(live[nlive].p);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(kmalloc_bytes_in_use(), base);
}
