/*
 * Tests of kernel/mm/page_alloc.c over fake RAM: heap arenas whose host
 * addresses stand for physical addresses (tests/host/host.h makes
 * PA_TO_VA the identity).  Three discontiguous ranges with unaligned
 * edges, plus ranges the allocator must ignore.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/kernel.h"
#include "mm/page.h"
#include "tests/host/test.h"

#define MAX_BLOCK (PAGE_SIZE << PAGE_MAX_ORDER)

static void *arenas[5];
static size_t free_at_init;

static size_t count_max_blocks(void)
{
	void *blocks[64];
	size_t n = 0;

	while (n < 64 && (blocks[n] = page_alloc(PAGE_MAX_ORDER)))
		n++;
	for (size_t i = 0; i < n; i++)
		page_free(blocks[i], PAGE_MAX_ORDER);
	return n;
}

void host_mem_init(void)
{
	uintptr_t a;

	if (arenas[0])
		return;
	/* 6 max-order blocks, minus a few pages at each edge. */
	arenas[0] = aligned_alloc(MAX_BLOCK, 6 * MAX_BLOCK);
	a = (uintptr_t)arenas[0];
	page_add_range(a + 3 * PAGE_SIZE + 5, a + 6 * MAX_BLOCK - 100);
	/* A range that is not aligned to anything in particular. */
	arenas[1] = malloc(3 * MAX_BLOCK / 2 + 12345);
	a = (uintptr_t)arenas[1];
	page_add_range(a, a + 3 * MAX_BLOCK / 2 + 12345);
	/* Two pages: one of metadata, one usable. */
	arenas[2] = aligned_alloc(PAGE_SIZE, 2 * PAGE_SIZE);
	a = (uintptr_t)arenas[2];
	page_add_range(a, a + 2 * PAGE_SIZE);
	/* Ignored: too small to hold its own metadata, empty, overlapping. */
	arenas[3] = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	a = (uintptr_t)arenas[3];
	page_add_range(a, a + PAGE_SIZE);
	page_add_range(a + 10, a + 20);
	a = (uintptr_t)arenas[0];
	page_add_range(a + MAX_BLOCK, a + 2 * MAX_BLOCK);
	free_at_init = page_free_count();
}

static int in_arenas(const void *p, size_t len)
{
	static const size_t sizes[] = {6 * MAX_BLOCK, 3 * MAX_BLOCK / 2 + 12345, 2 * PAGE_SIZE};

	for (int i = 0; i < 3; i++) {
		uintptr_t a = (uintptr_t)arenas[i];
		if ((uintptr_t)p >= a && (uintptr_t)p + len <= a + sizes[i])
			return 1;
	}
	return 0;
}

TEST(page_ranges_counted_and_ignored)
{
	host_mem_init();
	/* arena 0: 6144 pages - 4 at the start, 1 at the end, minus metadata;
	 * arena 1: about 1539 pages; arena 2: 1 page. */
	CHECK(page_total_count() > 6139 - 6139 * 32 / PAGE_SIZE - 1 + 1500);
	CHECK(page_total_count() < 6144 + 1540 + 1);
	CHECK_EQ(free_at_init, page_total_count());
	CHECK(count_max_blocks() >= 4);
}

TEST(page_alloc_every_order_aligned_and_writable)
{
	host_mem_init();
	size_t before = page_free_count();

	for (unsigned order = 0; order <= PAGE_MAX_ORDER; order++) {
		char *p = page_alloc(order);
		CHECK(p != NULL);
		if (!p)
			continue;
		CHECK_EQ((uintptr_t)p & ((PAGE_SIZE << order) - 1), 0);
		CHECK(in_arenas(p, PAGE_SIZE << order));
		CHECK_EQ(page_free_count(), before - (1UL << order));
		CHECK_EQ(page_refcount(p), 1);
		memset(p, 0x5a, PAGE_SIZE << order);
		page_free(p, order);
		CHECK_EQ(page_free_count(), before);
	}
	CHECK(page_alloc(PAGE_MAX_ORDER + 1) == NULL);
}

TEST(page_alloc_zeroed_clears_the_block)
{
	host_mem_init();
	for (int round = 0; round < 2; round++) {
		unsigned char *p = page_alloc(2);
		memset(p, 0xff, 4 * PAGE_SIZE);
		page_free(p, 2);
		p = page_alloc_zeroed(2);
		int nonzero = 0;
		for (size_t i = 0; i < 4 * PAGE_SIZE; i++)
			nonzero |= p[i];
		CHECK_EQ(nonzero, 0);
		page_free(p, 2);
	}
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

TEST(page_exhaustion_then_full_coalescing)
{
	host_mem_init();
	size_t avail = page_free_count(), max_blocks = count_max_blocks();
	void **pages = malloc(avail * sizeof(void *) + 1);
	size_t n = 0;
	void *p;

	while ((p = page_alloc(0)) != NULL && n < avail)
		pages[n++] = p;
	CHECK(p == NULL);
	CHECK_EQ(n, avail);
	CHECK_EQ(page_free_count(), 0);
	CHECK(page_alloc(0) == NULL);
	CHECK(page_alloc(3) == NULL);
	qsort(pages, n, sizeof(void *), cmp_ptr);
	for (size_t i = 1; i < n; i++)
		CHECK((uintptr_t)pages[i] >= (uintptr_t)pages[i - 1] + PAGE_SIZE);
	for (size_t i = n; i > 1; i--) { /* free in random order */
		size_t j = (size_t)(test_rand() % i);
		void *t = pages[j];
		pages[j] = pages[i - 1];
		pages[i - 1] = t;
	}
	for (size_t i = 0; i < n; i++)
		page_free(pages[i], 0);
	CHECK_EQ(page_free_count(), avail);
	CHECK_EQ(count_max_blocks(), max_blocks);
	free(pages);
}

TEST(page_refcount_get_put_frees_at_zero)
{
	host_mem_init();
	size_t before = page_free_count();
	void *p = page_alloc(0);

	CHECK_EQ(page_refcount(p), 1);
	page_get(p);
	page_get(p);
	CHECK_EQ(page_refcount(p), 3);
	page_put(p);
	page_put(p);
	CHECK_EQ(page_refcount(p), 1);
	CHECK_EQ(page_free_count(), before - 1);
	page_put(p);
	CHECK_EQ(page_free_count(), before);

	void *q = page_alloc(1); /* put frees a higher-order block whole */
	page_put(q);
	CHECK_EQ(page_free_count(), before);
}

TEST(page_tags_belong_to_the_block)
{
	host_mem_init();
	char *p = page_alloc(0);

	CHECK_EQ(page_tag(p), 0);
	page_set_tag(p, 0xabcd1234);
	CHECK_EQ(page_tag(p), 0xabcd1234);
	CHECK_EQ(page_tag(p + 100), 0xabcd1234);
	page_free(p, 0);
	CHECK_EQ(page_tag(p), 0);
	char *q = page_alloc(0); /* the free lists are LIFO: likely p again */
	CHECK(q == p);
	CHECK_EQ(page_tag(q), 0);
	page_free(q, 0);
	int local;
	CHECK_EQ(page_tag(&local), 0);
}

static int dies(void (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		close(2); /* the panic message is expected */
		fn();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status);
}

static void double_free(void)
{
	void *p = page_alloc(0);
	page_free(p, 0);
	page_free(p, 0);
}

static void wrong_order(void)
{
	page_free(page_alloc(1), 0);
}

static void foreign_pointer(void)
{
	static char not_ram[2 * PAGE_SIZE];
	page_free((void *)ALIGN_UP((uintptr_t)not_ram, PAGE_SIZE), 0);
}

TEST(page_bad_frees_panic)
{
	host_mem_init();
	CHECK(dies(double_free));
	CHECK(dies(wrong_order));
	CHECK(dies(foreign_pointer));
}

struct live_block {
	unsigned char *p;
	unsigned order;
	unsigned long id;
};

static void stamp(struct live_block *b)
{
	for (size_t i = 0; i < (1UL << b->order); i++)
		memcpy(b->p + i * PAGE_SIZE, &b->id, sizeof(b->id));
}

static int stamp_intact(const struct live_block *b)
{
	for (size_t i = 0; i < (1UL << b->order); i++) {
		if (memcmp(b->p + i * PAGE_SIZE, &b->id, sizeof(b->id)) != 0)
			return 0;
	}
	return 1;
}

TEST(page_random_stress_against_model)
{
	enum { MAX_LIVE = 600, OPS = 40000 };
	static struct live_block live[MAX_LIVE];
	host_mem_init();
	size_t start_free = page_free_count(), in_use = 0, max_blocks = count_max_blocks();
	int nlive = 0, bad = 0, nulls = 0;

	for (unsigned long op = 1; op <= OPS; op++) {
		int do_alloc = nlive == 0 || (nlive < MAX_LIVE && test_rand() % 100 < 55);
		if (do_alloc) {
			unsigned order = (unsigned)(test_rand() % 100);
			order = order < 60   ? 0
			        : order < 80 ? 1
			        : order < 95 ? (unsigned)(test_rand() % 5)
			                     : (unsigned)(test_rand() % 8);
			struct live_block b = {page_alloc(order), order, op};
			if (!b.p) {
				nulls++;
				continue;
			}
			if (((uintptr_t)b.p & ((PAGE_SIZE << order) - 1)) ||
			    !in_arenas(b.p, PAGE_SIZE << order))
				bad++;
			stamp(&b);
			live[nlive++] = b;
			in_use += 1UL << order;
		} else {
			int i = (int)(test_rand() % (unsigned)nlive);
			if (!stamp_intact(&live[i]))
				bad++;
			page_free(live[i].p, live[i].order);
			in_use -= 1UL << live[i].order;
			live[i] = live[--nlive];
		}
		if (page_free_count() != start_free - in_use)
			bad++;
	}
	while (nlive > 0) {
		nlive--;
		if (!stamp_intact(&live[nlive]))
			bad++;
		page_free(live[nlive].p, live[nlive].order);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(nulls, 0);
	CHECK_EQ(page_free_count(), start_free);
	CHECK_EQ(count_max_blocks(), max_blocks);
}
