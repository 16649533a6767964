/*
 * Physical page allocator (see mm/page.h): a binary buddy allocator.
 *
 * Each range given to page_add_range becomes a zone that hosts its own
 * metadata: the first pages of the range hold an array with one struct
 * page per remaining page, so ranges can be added in any order and need no
 * other allocator.  Buddies are found by physical frame number (a block of
 * order k starts on a 2^k-page boundary of physical memory) and never
 * merge across zones.
 *
 * One spinlock protects the free lists; reference counts are atomic and
 * take the lock only when a page is freed.
 *
 * When no block is free, page_alloc runs the shrinkers (mm/reclaim.h),
 * in rounds that ask for more each time, and tries again after each,
 * until a block comes free or the shrinkers have nothing left.  The lock
 * is not held meanwhile: shrinkers free pages.
 */
#include "core/kernel.h"
#include "core/spinlock.h"
#include "mm/alloc_trace.h"
#include "mm/page.h"
#include "mm/reclaim.h"

/* Pages asked of the shrinkers in the first round of a reclaim (1 MiB):
 * each failure frees a batch, not one page at a time. */
#define RECLAIM_BATCH 256

enum page_state {
	PG_NONE,  /* inside a block, or reserved */
	PG_FREE,  /* first page of a free block, on free_list[order] */
	PG_ALLOC, /* first page of an allocated block */
};

struct page {
	union {
		struct {
			struct page *next, *prev; /* free list links */
		};
		void *owner[PAGE_OWNER_WORDS]; /* an allocated block's, for its owner */
	};
	uint32_t refcount;
	uint32_t tag;
	uint8_t order;
	uint8_t state;
	uint8_t zone;
#ifdef ALLOC_TRACE
	uint32_t trace;
#endif
};

struct zone {
	uint64_t base_pfn; /* first page managed (after the metadata) */
	size_t npages;
	struct page *pages;
};

static struct spinlock page_lock = SPINLOCK_INIT("page");
static struct zone zones[PAGE_MAX_RANGES];
static unsigned nzones;
static struct page *free_list[PAGE_MAX_ORDER + 1];
static size_t total_pages, free_pages;

/* ------------------------------------------------------------ lists */

static void list_push(struct page *pg, unsigned order)
{
	pg->state = PG_FREE;
	pg->order = (uint8_t)order;
	pg->prev = NULL;
	pg->next = free_list[order];
	if (pg->next)
		pg->next->prev = pg;
	free_list[order] = pg;
}

static void list_remove(struct page *pg)
{
	if (pg->prev)
		pg->prev->next = pg->next;
	else
		free_list[pg->order] = pg->next;
	if (pg->next)
		pg->next->prev = pg->prev;
	pg->next = pg->prev = NULL;
	pg->state = PG_NONE;
}

/* ------------------------------------------------------------ lookup */

static uint64_t page_pfn(const struct page *pg)
{
	const struct zone *z = &zones[pg->zone];

	return z->base_pfn + (uint64_t)(pg - z->pages);
}

static void *page_va(const struct page *pg)
{
	return PA_TO_VA(page_pfn(pg) << PAGE_SHIFT);
}

/* The metadata of the page at va, or NULL if no zone holds it. */
static struct page *va_to_page(const void *va)
{
	uint64_t pfn = VA_TO_PA(va) >> PAGE_SHIFT;

	for (unsigned i = 0; i < nzones; i++) {
		struct zone *z = &zones[i];
		if (pfn >= z->base_pfn && pfn - z->base_pfn < z->npages)
			return &z->pages[pfn - z->base_pfn];
	}
	return NULL;
}

/* Metadata of the allocated block starting at va; panics otherwise. */
static struct page *block_head(const void *va, const char *who)
{
	struct page *pg = va_to_page(va);

	if (!pg || ((uintptr_t)va & (PAGE_SIZE - 1)) || pg->state != PG_ALLOC)
		panic("%s: %p is not an allocated page block", who, va);
	return pg;
}

/* ------------------------------------------------------------ buddy */

/* Frees the block at pg (lock held), merging it with free buddies. */
static void free_block(struct page *pg, unsigned order)
{
	struct zone *z = &zones[pg->zone];
	uint64_t pfn = page_pfn(pg);

	pg->state = PG_NONE;
	free_pages += 1UL << order;
	while (order < PAGE_MAX_ORDER) {
		uint64_t bpfn = pfn ^ (1UL << order);
		if (bpfn < z->base_pfn || bpfn + (1UL << order) > z->base_pfn + z->npages)
			break;
		struct page *buddy = &z->pages[bpfn - z->base_pfn];
		if (buddy->state != PG_FREE || buddy->order != order)
			break;
		list_remove(buddy);
		pfn &= ~(1UL << order);
		order++;
	}
	list_push(&z->pages[pfn - z->base_pfn], order);
}

/* Takes a block of exactly 2^order pages off the free lists (lock held). */
static struct page *take_block(unsigned order)
{
	unsigned o = order;
	struct page *pg;

	while (o <= PAGE_MAX_ORDER && !free_list[o])
		o++;
	if (o > PAGE_MAX_ORDER)
		return NULL;
	pg = free_list[o];
	list_remove(pg);
	while (o > order) {
		o--;
		list_push(pg + (1UL << o), o);
	}
	free_pages -= 1UL << order;
	return pg;
}

/* ------------------------------------------------------------ ranges */

static bool overlaps_zone(uint64_t first_pfn, uint64_t end_pfn)
{
	for (unsigned i = 0; i < nzones; i++) {
		uint64_t zstart = zones[i].base_pfn;
		if (first_pfn < zstart + zones[i].npages && end_pfn > zstart)
			return true;
	}
	return false;
}

/* Puts the zone's pages on the free lists as the largest aligned blocks. */
static void zone_release(struct zone *z)
{
	size_t i = 0;

	while (i < z->npages) {
		uint64_t pfn = z->base_pfn + i;
		unsigned order = PAGE_MAX_ORDER;
		while (order > 0 &&
		       ((pfn & ((1UL << order) - 1)) || i + (1UL << order) > z->npages))
			order--;
		z->pages[i].state = PG_ALLOC;
		z->pages[i].order = (uint8_t)order;
		free_block(&z->pages[i], order);
		i += 1UL << order;
	}
}

void page_add_range(paddr_t start, paddr_t end)
{
	uint64_t first = ALIGN_UP(start, PAGE_SIZE) >> PAGE_SHIFT;
	uint64_t last = ALIGN_DOWN(end, PAGE_SIZE) >> PAGE_SHIFT;
	size_t n, meta;
	struct zone *z;

	if (last <= first)
		return;
	n = last - first;
	meta = (n * sizeof(struct page) + PAGE_SIZE - 1) / PAGE_SIZE;
	spin_lock(&page_lock);
	if (nzones == PAGE_MAX_RANGES || n <= meta || overlaps_zone(first, last)) {
		spin_unlock(&page_lock);
		printk("page: range %#lx-%#lx ignored\n", (unsigned long)start, (unsigned long)end);
		return;
	}
	z = &zones[nzones];
	z->pages = PA_TO_VA(first << PAGE_SHIFT);
	z->base_pfn = first + meta;
	z->npages = n - meta;
	memset(z->pages, 0, z->npages * sizeof(struct page));
	for (size_t i = 0; i < z->npages; i++)
		z->pages[i].zone = (uint8_t)nzones;
	nzones++;
	total_pages += z->npages;
	zone_release(z);
	spin_unlock(&page_lock);
}

/* ------------------------------------------------------------ public */

static struct page *try_alloc(unsigned order)
{
	struct page *pg;

	spin_lock(&page_lock);
	pg = take_block(order);
	if (pg) {
		pg->state = PG_ALLOC;
		pg->order = (uint8_t)order;
		pg->tag = 0;
		__atomic_store_n(&pg->refcount, 1, __ATOMIC_RELAXED);
	}
	spin_unlock(&page_lock);
	return pg;
}

/* No block was free: reclaim in rounds, twice as much each time. */
static struct page *alloc_reclaiming(unsigned order)
{
	unsigned flags = cpu_may_sleep() ? RECLAIM_SLEEP : 0;
	size_t want = MAX((size_t)RECLAIM_BATCH, (size_t)1 << order);
	struct page *pg = NULL;

	while (!pg) {
		size_t released = reclaim(want, flags);
		pg = try_alloc(order);
		if (released == 0)
			break;
		want = want > SIZE_MAX / 2 ? SIZE_MAX : want * 2;
	}
	return pg;
}

void *page_alloc(unsigned order)
{
	struct page *pg;

	if (order > PAGE_MAX_ORDER)
		return NULL;
	pg = try_alloc(order);
	if (!pg)
		pg = alloc_reclaiming(order);
#ifdef ALLOC_TRACE
	if (pg)
		pg->trace = alloc_trace_take(PAGE_SIZE << order);
#endif
	return pg ? page_va(pg) : NULL;
}

void *page_alloc_zeroed(unsigned order)
{
	void *va = page_alloc(order);

	if (va)
		memset(va, 0, PAGE_SIZE << order);
	return va;
}

void page_free(void *va, unsigned order)
{
	struct page *pg;

	spin_lock(&page_lock);
	pg = block_head(va, "page_free");
	if (pg->order != order)
		panic("page_free: %p has order %u, freed as %u", va, pg->order, order);
	__atomic_store_n(&pg->refcount, 0, __ATOMIC_RELAXED);
#ifdef ALLOC_TRACE
	alloc_trace_drop(pg->trace, PAGE_SIZE << order);
#endif
	free_block(pg, order);
	spin_unlock(&page_lock);
}

void page_get(void *va)
{
	struct page *pg = va_to_page(va);

	KASSERT(pg && pg->state == PG_ALLOC);
	__atomic_add_fetch(&pg->refcount, 1, __ATOMIC_RELAXED);
}

void page_put(void *va)
{
	struct page *pg = va_to_page(va);
	uint32_t n;

	KASSERT(pg && pg->state == PG_ALLOC);
	n = __atomic_sub_fetch(&pg->refcount, 1, __ATOMIC_ACQ_REL);
	KASSERT(n != UINT32_MAX);
	if (n == 0) {
#ifdef ALLOC_TRACE
		alloc_trace_drop(pg->trace, PAGE_SIZE << pg->order);
#endif
		spin_lock(&page_lock);
		free_block(block_head(va, "page_put"), pg->order);
		spin_unlock(&page_lock);
	}
}

unsigned page_refcount(void *va)
{
	struct page *pg = va_to_page(va);

	KASSERT(pg);
	return __atomic_load_n(&pg->refcount, __ATOMIC_RELAXED);
}

void **page_owner_words(void *va)
{
	return block_head(va, "page_owner_words")->owner;
}

void page_set_tag(void *va, uint32_t tag)
{
	block_head(va, "page_set_tag")->tag = tag;
}

uint32_t page_tag(void *va)
{
	struct page *pg = va_to_page((void *)ALIGN_DOWN((uintptr_t)va, PAGE_SIZE));

	return pg && pg->state == PG_ALLOC ? pg->tag : 0;
}

size_t page_total_count(void)
{
	return total_pages;
}

size_t page_free_count(void)
{
	return __atomic_load_n(&free_pages, __ATOMIC_RELAXED);
}
