/*
 * Tests of reclaim (kernel/mm/reclaim.c) and of what kmalloc gives back,
 * on the page allocator's fake RAM (see test_page.c): empty slabs return
 * to the page allocator, kmalloc fills the fullest slab first,
 * kmalloc_cache objects never share a slab with kmalloc's, and a page
 * allocation that finds no free page runs the shrinkers and succeeds with
 * what they free.  Runs after test_page.c and test_kmalloc.c (link order).
 */
#include <stdlib.h>
#include <string.h>

#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/reclaim.h"
#include "tests/host/test.h"

static uintptr_t page_of(const void *p)
{
	return ALIGN_DOWN((uintptr_t)p, PAGE_SIZE);
}

TEST(kmalloc_empty_slabs_go_back_to_the_page_allocator)
{
	enum { N = 1000 };
	static void *objs[N];
	host_mem_init();
	kmalloc_shrink(true);
	size_t free_before = page_free_count(), slabs_before = kmalloc_slab_pages();

	for (int i = 0; i < N; i++)
		objs[i] = kmalloc(100); /* 128-byte class: 32 per slab */
	CHECK(kmalloc_slab_pages() >= slabs_before + N / 32);
	for (int i = 0; i < N; i++)
		kfree(objs[i]);
	CHECK(page_free_count() < free_before); /* kept until the shrinker runs */
	CHECK(kmalloc_shrink(false) >= N / 32);
	CHECK_EQ(page_free_count(), free_before);
	CHECK_EQ(kmalloc_slab_pages(), slabs_before);
}

TEST(kmalloc_shrink_keeps_slabs_in_use)
{
	host_mem_init();
	kmalloc_shrink(true);
	size_t slabs_before = kmalloc_slab_pages();
	char *keep = kmalloc(500);
	char *gone = kmalloc(500);

	memset(keep, 0x5c, 500);
	kfree(gone);
	kmalloc_shrink(true);
	CHECK_EQ(kmalloc_slab_pages(), slabs_before + 1);
	int intact = 1;
	for (int i = 0; i < 500; i++)
		intact &= keep[i] == 0x5c;
	CHECK(intact);
	kfree(keep);
	kmalloc_shrink(true);
	CHECK_EQ(kmalloc_slab_pages(), slabs_before);
}

/* Two slabs of the 256-byte class (16 objects each), one left with 1
 * object in use and one with 12: new objects go to the fuller one. */
TEST(kmalloc_fills_the_fullest_slab_first)
{
	enum { PER = 16 };
	void *a[PER], *b[PER];
	host_mem_init();
	kmalloc_shrink(true);
	for (int i = 0; i < PER; i++)
		a[i] = kmalloc(200);
	for (int i = 0; i < PER; i++)
		b[i] = kmalloc(200);
	CHECK(page_of(a[0]) == page_of(a[PER - 1]));
	CHECK(page_of(b[0]) == page_of(b[PER - 1]));
	CHECK(page_of(a[0]) != page_of(b[0]));
	for (int i = 1; i < PER; i++)
		kfree(a[i]);
	for (int i = 12; i < PER; i++)
		kfree(b[i]);
	for (int i = 12; i < PER; i++) {
		b[i] = kmalloc(200);
		CHECK(page_of(b[i]) == page_of(b[0]));
	}
	void *next = kmalloc(200); /* b is full: a is the only partial slab */
	CHECK(page_of(next) == page_of(a[0]));
	kfree(next);
	kfree(a[0]);
	for (int i = 0; i < PER; i++)
		kfree(b[i]);
	kmalloc_shrink(true);
}

TEST(kmalloc_cache_objects_have_slabs_of_their_own)
{
	enum { N = 64 };
	void *plain[N], *cached[N];
	host_mem_init();
	for (int i = 0; i < N; i++) {
		plain[i] = kmalloc(64);
		cached[i] = kmalloc_cache(64);
	}
	int shared = 0;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			shared += page_of(plain[i]) == page_of(cached[j]);
	CHECK_EQ(shared, 0);
	size_t slabs = kmalloc_slab_pages();
	for (int i = 0; i < N; i++)
		kfree(cached[i]);
	CHECK(kmalloc_shrink(true) >= 1); /* the cache's slabs empty out whole */
	CHECK(kmalloc_slab_pages() < slabs);
	for (int i = 0; i < N; i++)
		kfree(plain[i]);
	kmalloc_shrink(true);
}

/* A shrinker standing for a cache: it holds pages and gives them back. */
static void *held[64];
static int nheld, calls;
static unsigned last_flags;

static size_t test_scan(size_t pages, unsigned flags)
{
	size_t freed = 0;
	calls++;
	last_flags = flags;
	while (nheld > 0 && freed < pages) {
		page_free(held[--nheld], 0);
		freed++;
	}
	return freed;
}

static struct shrinker test_shrinker = {.name = "test", .scan = test_scan};

TEST(page_alloc_reclaims_before_failing)
{
	host_mem_init();
	shrinker_register(&test_shrinker);
	size_t avail = page_free_count();
	void **pages = malloc(avail * sizeof(void *) + 1);
	size_t n = 0;

	for (nheld = 0; nheld < 64; nheld++) /* the "cache" */
		held[nheld] = page_alloc(0);
	void *p;
	calls = 0;
	while (n < avail && (p = page_alloc(0)) != NULL) /* everything else */
		pages[n++] = p;
	CHECK_EQ(n, avail); /* avail counted the cache's pages: they came back */
	CHECK(calls > 0);
	CHECK_EQ(nheld, 0);
	CHECK_EQ(last_flags, 0); /* cpu_may_sleep() is false on the host */
	calls = 0;
	CHECK(page_alloc(0) == NULL); /* nothing left: the shrinker says so */
	CHECK(calls > 0);
	for (size_t i = 0; i < n; i++)
		page_free(pages[i], 0);
	CHECK_EQ(page_free_count(), avail);
	free(pages);
}
