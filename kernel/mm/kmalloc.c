/*
 * Kernel heap (see mm/kmalloc.h).
 *
 * Requests up to KM_MAX_SMALL bytes are rounded up to a power-of-two size
 * class (16 .. 2048); each class carves whole pages into objects and keeps
 * free objects on a singly linked list threaded through them.  Larger
 * requests get a page block of their own.  kfree finds the size from the
 * page tag (mm/page.h) of the page the pointer lies in: KM_TAG_SLAB | class
 * or KM_TAG_LARGE | order.  Slab pages are not returned to the page
 * allocator.  One spinlock per size class.
 */
#include "core/kernel.h"
#include "core/spinlock.h"
#include "mm/kmalloc.h"
#include "mm/page.h"

#define KM_MIN_SHIFT 4 /* 16 bytes */
#define KM_NCLASSES  8 /* 16, 32, ..., 2048 */
#define KM_MAX_SMALL (1UL << (KM_MIN_SHIFT + KM_NCLASSES - 1))

#define KM_TAG_MASK  0xffff0000U
#define KM_TAG_SLAB  0x5a1b0000U
#define KM_TAG_LARGE 0x1a9e0000U

struct free_obj {
	struct free_obj *next;
};

struct km_class {
	struct spinlock lock;
	struct free_obj *free;
};

#define CLASS_INIT                                                                                 \
	{                                                                                          \
		.lock = SPINLOCK_INIT("kmalloc"), .free = NULL                                     \
	}

static struct km_class classes[KM_NCLASSES] = {
    CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT, CLASS_INIT,
};

static size_t bytes_in_use;

static size_t class_size(unsigned cls)
{
	return 1UL << (KM_MIN_SHIFT + cls);
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

/* Carves a fresh page into objects of class cls (lock held). */
static int refill(unsigned cls)
{
	size_t size = class_size(cls);
	char *page = page_alloc(0);

	if (!page)
		return -ENOMEM;
	page_set_tag(page, KM_TAG_SLAB | cls);
	for (size_t off = PAGE_SIZE; off >= size; off -= size) {
		struct free_obj *o = (struct free_obj *)(page + off - size);
		o->next = classes[cls].free;
		classes[cls].free = o;
	}
	return 0;
}

static void *alloc_small(unsigned cls)
{
	struct km_class *c = &classes[cls];
	struct free_obj *o = NULL;

	spin_lock(&c->lock);
	if (c->free || refill(cls) == 0) {
		o = c->free;
		c->free = o->next;
	}
	spin_unlock(&c->lock);
	if (o)
		__atomic_add_fetch(&bytes_in_use, class_size(cls), __ATOMIC_RELAXED);
	return o;
}

static void *alloc_large(size_t size)
{
	unsigned order = order_of(size);
	void *p;

	if (order > PAGE_MAX_ORDER)
		return NULL;
	p = page_alloc(order);
	if (!p)
		return NULL;
	page_set_tag(p, KM_TAG_LARGE | order);
	__atomic_add_fetch(&bytes_in_use, PAGE_SIZE << order, __ATOMIC_RELAXED);
	return p;
}

void *kmalloc(size_t size)
{
	if (size <= KM_MAX_SMALL)
		return alloc_small(class_of(size));
	return alloc_large(size);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

static void free_small(void *p, unsigned cls)
{
	struct km_class *c = &classes[cls];
	struct free_obj *o = p;

	if (cls >= KM_NCLASSES || ((uintptr_t)p & (class_size(cls) - 1)))
		panic("kfree: %p is not a kmalloc object", p);
	__atomic_sub_fetch(&bytes_in_use, class_size(cls), __ATOMIC_RELAXED);
	spin_lock(&c->lock);
	o->next = c->free;
	c->free = o;
	spin_unlock(&c->lock);
}

static void free_large(void *p, unsigned order)
{
	if ((uintptr_t)p & (PAGE_SIZE - 1))
		panic("kfree: %p is not a kmalloc block", p);
	__atomic_sub_fetch(&bytes_in_use, PAGE_SIZE << order, __ATOMIC_RELAXED);
	page_free(p, order);
}

void kfree(void *p)
{
	uint32_t tag;

	if (!p)
		return;
	tag = page_tag(p);
	if ((tag & KM_TAG_MASK) == KM_TAG_SLAB)
		free_small(p, tag & ~KM_TAG_MASK);
	else if ((tag & KM_TAG_MASK) == KM_TAG_LARGE)
		free_large(p, tag & ~KM_TAG_MASK);
	else
		panic("kfree: %p was not allocated by kmalloc", p);
}

size_t kmalloc_bytes_in_use(void)
{
	return __atomic_load_n(&bytes_in_use, __ATOMIC_RELAXED);
}
