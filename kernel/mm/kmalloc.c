/*
 * Kernel heap (see mm/kmalloc.h).
 *
 * Requests up to KM_MAX_SMALL bytes are rounded up to a power-of-two size
 * class (16 .. 2048); each class carves whole pages ("slabs") into
 * objects.  Larger requests get a page block of their own.  kfree finds
 * the size from the page tag (mm/page.h) of the page the pointer lies in.
 *
 * A slab's tag holds its class, how many of its objects are in use and
 * the index of its first free object; the free objects are linked through
 * their first word.  The slab's two owner words (page_owner_words) link
 * it into one list of its class: the empty slabs, or the partial ones in
 * SLAB_BUCKETS buckets by how full they are (full slabs are on no list).
 * kmalloc takes from the fullest partial slab first, so new objects join
 * old ones and the other slabs can empty out; long-lived objects then do
 * not pin a page each.  The slab shrinker (memory pressure, drop_caches)
 * gives the empty slabs back to the page allocator.
 *
 * Objects that caches keep and shrinkers free (kmalloc_cache) have size
 * classes of their own (the tag's class is then 8 + the size class):
 * were they mixed with other objects, a long-lived object allocated while
 * the cache is full would keep a page of cache objects from emptying.
 *
 * One spinlock per size class; it is never held while calling
 * page_alloc, which may run the shrinkers, this one included.
 */
#include "core/kernel.h"
#include "core/spinlock.h"
#include "mm/alloc_trace.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/reclaim.h"

#define KM_MIN_SHIFT 4 /* 16 bytes */
#define KM_NCLASSES  8 /* 16, 32, ..., 2048 */
#define KM_NGROUPS   2 /* kmalloc's, kmalloc_cache's */
#define KM_MAX_SMALL (1UL << (KM_MIN_SHIFT + KM_NCLASSES - 1))

/* Tags: the kind in the top byte, then for a slab the first free object
 * (SLAB_NONE if full), the objects in use and the class; for a large
 * block its order. */
#define TAG_KIND_SHIFT   24
#define KIND_SLAB        0x5aU
#define KIND_LARGE       0x1aU
#define SLAB_FREE_SHIFT  15
#define SLAB_COUNT_SHIFT 6
#define SLAB_FIELD_MASK  0x1ffU /* 9 bits: up to 256 objects */
#define SLAB_NONE        SLAB_FIELD_MASK
#define SLAB_CLASS_MASK  0xfU
#define LARGE_ORDER_MASK 0xffU

#define SLAB_BUCKETS 16
#define SLAB_NEXT    0 /* owner words */
#define SLAB_PREV    1

struct free_obj {
	struct free_obj *next;
};

struct km_class {
	struct spinlock lock;
	void *partial[SLAB_BUCKETS]; /* [b]: slabs with in-use/per-page in [b/N, (b+1)/N) */
	void *empty;                 /* slabs with no object in use */
};

#define CLASS_INIT                                                                                 \
	{                                                                                          \
		.lock = SPINLOCK_INIT("kmalloc")                                                   \
	}

/* [group * KM_NCLASSES + size class] */
static struct km_class classes[KM_NGROUPS * KM_NCLASSES] = {
    CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT,
    CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT,
};

static size_t bytes_in_use, slab_pages;

static size_t class_size(unsigned cls)
{
	return 1UL << (KM_MIN_SHIFT + cls % KM_NCLASSES);
}

static unsigned per_slab(unsigned cls)
{
	return (unsigned)(PAGE_SIZE / class_size(cls));
}

static unsigned class_of(size_t size)
{
	if (size <= (1UL << KM_MIN_SHIFT))
		return 0;
	return (unsigned)(64 - __builtin_clzl(size - 1)) - KM_MIN_SHIFT;
}

/* Smallest order whose block holds size bytes (may exceed PAGE_MAX_ORDER). */
static unsigned order_of(size_t size)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < size && order <= PAGE_MAX_ORDER)
		order++;
	return order;
}

static char *page_of(const void *p)
{
	return (char *)ALIGN_DOWN((uintptr_t)p, PAGE_SIZE);
}

/* ------------------------------------------------------------ slabs */

/* A slab's state, from and to its tag. */
struct slab {
	char *page;
	unsigned cls, count, free;
};

static struct slab slab_get(char *page)
{
	uint32_t tag = page_tag(page);

	return (struct slab){page, tag & SLAB_CLASS_MASK,
	                     (tag >> SLAB_COUNT_SHIFT) & SLAB_FIELD_MASK,
	                     (tag >> SLAB_FREE_SHIFT) & SLAB_FIELD_MASK};
}

static void slab_put(const struct slab *s)
{
	page_set_tag(s->page, KIND_SLAB << TAG_KIND_SHIFT | s->free << SLAB_FREE_SHIFT |
	                          s->count << SLAB_COUNT_SHIFT | s->cls);
}

/* The list a slab with count objects in use belongs on; NULL when full. */
static void **list_for(struct km_class *c, unsigned cls, unsigned count)
{
	if (count == 0)
		return &c->empty;
	if (count == per_slab(cls))
		return NULL;
	return &c->partial[count * SLAB_BUCKETS / per_slab(cls)];
}

static void unlink_slab(void **head, char *page)
{
	void **w = page_owner_words(page);

	if (w[SLAB_PREV])
		page_owner_words(w[SLAB_PREV])[SLAB_NEXT] = w[SLAB_NEXT];
	else
		*head = w[SLAB_NEXT];
	if (w[SLAB_NEXT])
		page_owner_words(w[SLAB_NEXT])[SLAB_PREV] = w[SLAB_PREV];
	w[SLAB_NEXT] = w[SLAB_PREV] = NULL;
}

static void link_slab(void **head, char *page)
{
	void **w = page_owner_words(page);

	w[SLAB_PREV] = NULL;
	w[SLAB_NEXT] = *head;
	if (*head)
		page_owner_words(*head)[SLAB_PREV] = page;
	*head = page;
}

/* Moves a slab whose count went from `from` to s->count to its list. */
static void relist(struct km_class *c, const struct slab *s, unsigned from)
{
	void **old = list_for(c, s->cls, from), **new = list_for(c, s->cls, s->count);

	if (old == new)
		return;
	if (old)
		unlink_slab(old, s->page);
	if (new)
		link_slab(new, s->page);
}

/* Carves page into objects of class cls, an empty slab; lock held. */
static void carve(unsigned cls, char *page)
{
	size_t size = class_size(cls);
	unsigned n = per_slab(cls);

	for (unsigned i = 0; i < n; i++)
		((struct free_obj *)(page + i * size))->next =
		    i + 1 < n ? (struct free_obj *)(page + (i + 1) * size) : NULL;
	struct slab s = {page, cls, 0, 0};
	slab_put(&s);
	link_slab(&classes[cls].empty, page);
	__atomic_add_fetch(&slab_pages, 1, __ATOMIC_RELAXED);
}

/* The slab to allocate from: the fullest partial one, else an empty one;
 * NULL if there is none.  Lock held. */
static char *pick_slab(struct km_class *c)
{
	for (int b = SLAB_BUCKETS - 1; b >= 0; b--)
		if (c->partial[b])
			return c->partial[b];
	return c->empty;
}

static void *take_object(unsigned cls, char *page)
{
	struct slab s = slab_get(page);
	size_t size = class_size(cls);
	struct free_obj *o = (struct free_obj *)(page + s.free * size);

	s.free = o->next ? (unsigned)(((char *)o->next - page) / size) : SLAB_NONE;
	s.count++;
	slab_put(&s);
	relist(&classes[cls], &s, s.count - 1);
	return o;
}

static void *alloc_small(unsigned cls)
{
	struct km_class *c = &classes[cls];
	void *o = NULL;

	spin_lock(&c->lock);
	char *page = pick_slab(c);
	if (!page) {
		/* page_alloc may reclaim, which takes class locks */
		spin_unlock(&c->lock);
		char *fresh = page_alloc(0);
		spin_lock(&c->lock);
		if (fresh)
			carve(cls, fresh);
		page = pick_slab(c);
	}
	if (page)
		o = take_object(cls, page);
	spin_unlock(&c->lock);
	if (o)
		__atomic_add_fetch(&bytes_in_use, class_size(cls), __ATOMIC_RELAXED);
	return o;
}

static void free_small(void *p, unsigned cls)
{
	struct km_class *c = &classes[cls];
	struct free_obj *o = p;
	size_t size = class_size(cls);

	if (cls >= KM_NGROUPS * KM_NCLASSES || ((uintptr_t)p & (size - 1)))
		panic("kfree: %p is not a kmalloc object", p);
	__atomic_sub_fetch(&bytes_in_use, size, __ATOMIC_RELAXED);
	spin_lock(&c->lock);
	struct slab s = slab_get(page_of(p));
	if (s.count == 0)
		panic("kfree: %p freed twice", p);
	o->next = s.free == SLAB_NONE ? NULL : (struct free_obj *)(s.page + s.free * size);
	s.free = (unsigned)(((char *)p - s.page) / size);
	s.count--;
	slab_put(&s);
	relist(c, &s, s.count + 1);
	spin_unlock(&c->lock);
}

/* ------------------------------------------------------------ large */

static void *alloc_large(size_t size)
{
	unsigned order = order_of(size);
	void *p;

	if (order > PAGE_MAX_ORDER)
		return NULL;
	p = page_alloc(order);
	if (!p)
		return NULL;
	page_set_tag(p, KIND_LARGE << TAG_KIND_SHIFT | order);
	__atomic_add_fetch(&bytes_in_use, PAGE_SIZE << order, __ATOMIC_RELAXED);
	return p;
}

static void free_large(void *p, unsigned order)
{
	if ((uintptr_t)p & (PAGE_SIZE - 1))
		panic("kfree: %p is not a kmalloc block", p);
	__atomic_sub_fetch(&bytes_in_use, PAGE_SIZE << order, __ATOMIC_RELAXED);
	page_free(p, order);
}

/* ------------------------------------------------------------ public */

static void *kmalloc_raw(size_t size)
{
	if (size <= KM_MAX_SMALL)
		return alloc_small(class_of(size));
	return alloc_large(size);
}

static size_t kmalloc_size_raw(size_t size)
{
	if (size <= KM_MAX_SMALL)
		return (size_t)1 << (KM_MIN_SHIFT + class_of(size));
	return PAGE_SIZE << order_of(size);
}

static void *kmalloc_cache_raw(size_t size)
{
	if (size <= KM_MAX_SMALL)
		return alloc_small(KM_NCLASSES + class_of(size));
	return alloc_large(size);
}

static void kfree_raw(void *p)
{
	uint32_t tag;

	if (!p)
		return;
	tag = page_tag(p);
	if (tag >> TAG_KIND_SHIFT == KIND_SLAB)
		free_small(p, tag & SLAB_CLASS_MASK);
	else if (tag >> TAG_KIND_SHIFT == KIND_LARGE)
		free_large(p, tag & LARGE_ORDER_MASK);
	else
		panic("kfree: %p was not allocated by kmalloc", p);
}

#ifndef ALLOC_TRACE
void *kmalloc(size_t size)
{
	return kmalloc_raw(size);
}

void *kmalloc_cache(size_t size)
{
	return kmalloc_cache_raw(size);
}

size_t kmalloc_size(size_t size)
{
	return kmalloc_size_raw(size);
}

void kfree(void *p)
{
	kfree_raw(p);
}
#else
/* Small objects carry their trace record in a header in front; large
 * blocks have the page allocator's. */
#define TRACE_HDR 16

static void *traced(char *p, size_t size)
{
	if (!p || size + TRACE_HDR > KM_MAX_SMALL)
		return p;
	*(uint32_t *)p = alloc_trace_take(kmalloc_size_raw(size + TRACE_HDR));
	*(size_t *)(p + 8) = size + TRACE_HDR;
	return p + TRACE_HDR;
}

/* What to ask for: room for the header, or a large (page-aligned,
 * headerless) block when the header does not fit a small object. */
static size_t raw_size(size_t size)
{
	if (size + TRACE_HDR <= KM_MAX_SMALL)
		return size + TRACE_HDR;
	return size > KM_MAX_SMALL ? size : KM_MAX_SMALL + 1;
}

void *kmalloc(size_t size)
{
	return traced(kmalloc_raw(raw_size(size)), size);
}

void *kmalloc_cache(size_t size)
{
	return traced(kmalloc_cache_raw(raw_size(size)), size);
}

size_t kmalloc_size(size_t size)
{
	if (size + TRACE_HDR > KM_MAX_SMALL)
		return kmalloc_size_raw(size);
	return kmalloc_size_raw(size + TRACE_HDR) - TRACE_HDR;
}

void kfree(void *p)
{
	if (p && ((uintptr_t)p & (PAGE_SIZE - 1))) {
		char *h = (char *)p - TRACE_HDR;
		alloc_trace_drop(*(uint32_t *)h, kmalloc_size_raw(*(size_t *)(h + 8)));
		p = h;
	}
	kfree_raw(p);
}
#endif

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

size_t kmalloc_bytes_in_use(void)
{
	return __atomic_load_n(&bytes_in_use, __ATOMIC_RELAXED);
}

size_t kmalloc_slab_pages(void)
{
	return __atomic_load_n(&slab_pages, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------ reclaim */

size_t kmalloc_shrink(bool wait)
{
	size_t freed = 0;

	for (unsigned cls = 0; cls < KM_NGROUPS * KM_NCLASSES; cls++) {
		struct km_class *c = &classes[cls];
		if (!spin_lock_if(&c->lock, wait))
			continue;
		while (c->empty) {
			char *page = c->empty;
			unlink_slab(&c->empty, page);
			page_set_tag(page, 0);
			page_free(page, 0);
			freed++;
		}
		spin_unlock(&c->lock);
	}
	__atomic_sub_fetch(&slab_pages, freed, __ATOMIC_RELAXED);
	return freed;
}

static size_t slab_scan(size_t pages, unsigned flags)
{
	(void)pages;
	return kmalloc_shrink(flags & RECLAIM_SLEEP);
}

static struct shrinker slab_shrinker = {.name = "kmalloc", .slab = true, .scan = slab_scan};

void kmalloc_reclaim_init(void)
{
	shrinker_register(&slab_shrinker);
}
