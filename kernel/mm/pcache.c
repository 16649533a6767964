/*
 * The page cache (see pcache.h).  A cache indexes its pages in a radix
 * tree of 512-way nodes, grown upward as larger indices come; a leaf slot
 * holds the page's kernel address with PC_DIRTY in bit 0.
 */
#include "mm/pcache.h"

#include "core/kernel.h"
#include "core/list.h"
#include "core/might_sleep.h"
#include "core/spinlock.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/reclaim.h"
#include "proc/mutex.h"

#define SLOT_BITS 9
#define SLOTS     (1u << SLOT_BITS)
#define PC_DIRTY  1UL

struct pcache {
	struct spinlock lock; /* the tree, npages, ndirty */
	struct mutex io;      /* fills, write-through, truncate, write-back */
	void **root;
	unsigned height; /* the tree holds indices below 512^height */
	uint64_t npages, ndirty;
	int nmaps;             /* mappings using the cache (atomic) */
	struct list link;      /* in dirty_caches while ndirty > 0 */
	struct list idle_link; /* in idle_caches while unmapped with pages */
	struct list all_link;  /* in all_caches */
	uint64_t idle_pages;   /* npages when it became idle */
	struct vnode *vn;
};

/* Caches holding dirty pages, for pcache_sync_all.  Taken inside pc->lock. */
static struct spinlock dirty_lock = SPINLOCK_INIT("pcache-dirty");
static struct list dirty_caches = LIST_INIT(dirty_caches);
static unsigned ndirty_caches;

static uint64_t cached_pages; /* in every cache (for meminfo) */

uint64_t pcache_pages(void)
{
	return __atomic_load_n(&cached_pages, __ATOMIC_RELAXED);
}

/* Every cache, for the shrinker.  Lock order: all_lock, pc->lock. */
static struct spinlock all_lock = SPINLOCK_INIT("pcache-all");
static struct list all_caches = LIST_INIT(all_caches);

static uint64_t capacity(unsigned height)
{
	return height * SLOT_BITS >= 64 ? UINT64_MAX : 1ULL << (height * SLOT_BITS);
}

/* The leaf slot of index, creating nodes when alloc; NULL if absent or
 * out of memory.  pc->lock held. */
static uintptr_t *slot_find(struct pcache *pc, uint64_t index, bool alloc)
{
	while (alloc && (pc->height == 0 || index >= capacity(pc->height))) {
		void **n = kzalloc(SLOTS * sizeof(void *));
		if (!n)
			return NULL;
		n[0] = pc->root;
		pc->root = n;
		pc->height++;
	}
	if (pc->height == 0 || index >= capacity(pc->height))
		return NULL;
	void **node = pc->root;
	for (unsigned h = pc->height; h > 1; h--) {
		unsigned i = (index >> (SLOT_BITS * (h - 1))) & (SLOTS - 1);
		if (!node[i]) {
			if (!alloc || !(node[i] = kzalloc(SLOTS * sizeof(void *))))
				return NULL;
		}
		node = node[i];
	}
	return (uintptr_t *)&node[index & (SLOTS - 1)];
}

/* The first used slot at an index >= *index (dirty ones only if asked),
 * with *index set to its index; NULL if none.  pc->lock held. */
static uintptr_t *find_from(void **node, unsigned h, uint64_t base, uint64_t *index, bool dirty)
{
	uint64_t span = 1ULL << (SLOT_BITS * (h - 1));
	uint64_t first = *index > base ? (*index - base) / span : 0;
	for (uint64_t i = first; i < SLOTS; i++) {
		uint64_t cbase = base + i * span;
		if (!node[i])
			continue;
		if (h > 1) {
			uintptr_t *s = find_from(node[i], h - 1, cbase, index, dirty);
			if (s)
				return s;
		} else if (!dirty || ((uintptr_t)node[i] & PC_DIRTY)) {
			*index = cbase;
			return (uintptr_t *)&node[i];
		}
	}
	return NULL;
}

static uintptr_t *next_slot(struct pcache *pc, uint64_t *index, bool dirty)
{
	if (pc->height == 0 || *index >= capacity(pc->height))
		return NULL;
	return find_from(pc->root, pc->height, 0, index, dirty);
}

static void *slot_page(uintptr_t s)
{
	return (void *)(s & ~PC_DIRTY);
}

/* Marks or clears the dirty bit of a slot, keeping the counts; pc->lock. */
static void slot_set_dirty(struct pcache *pc, uintptr_t *s, bool dirty)
{
	if (!!(*s & PC_DIRTY) == dirty)
		return;
	*s = dirty ? *s | PC_DIRTY : *s & ~PC_DIRTY;
	if (dirty)
		pc->ndirty++;
	else
		pc->ndirty--;
	if (pc->ndirty == (dirty ? 1u : 0u)) {
		spin_lock(&dirty_lock);
		if (dirty) {
			list_push_back(&dirty_caches, &pc->link);
			ndirty_caches++;
		} else {
			list_remove(&pc->link);
			ndirty_caches--;
		}
		spin_unlock(&dirty_lock);
	}
}

/* Takes a page out of the cache; pc->lock held. */
static void slot_clear(struct pcache *pc, uintptr_t *s)
{
	void *page = slot_page(*s);
	slot_set_dirty(pc, s, false);
	*s = 0;
	pc->npages--;
	__atomic_sub_fetch(&cached_pages, 1, __ATOMIC_RELAXED);
	page_set_tag(page, 0);
	page_put(page);
}

int pcache_attach(struct vnode *vn)
{
	if (__atomic_load_n(&vn->pcache, __ATOMIC_ACQUIRE))
		return 0;
	struct pcache *pc = kzalloc(sizeof(*pc));
	if (!pc)
		return -ENOMEM;
	spin_init(&pc->lock, "pcache");
	mutex_init(&pc->io, "pcache-io");
	list_init(&pc->link);
	list_init(&pc->idle_link);
	pc->vn = vn;
	struct pcache *none = NULL;
	spin_lock(&all_lock);
	bool attached = __atomic_compare_exchange_n(&vn->pcache, &none, pc, false, __ATOMIC_ACQ_REL,
	                                            __ATOMIC_ACQUIRE);
	if (attached)
		list_push_back(&all_caches, &pc->all_link);
	spin_unlock(&all_lock);
	if (!attached)
		kfree(pc); /* another mapper attached one first */
	return 0;
}

static bool is_anon(struct vnode *vn)
{
	return !vn->ops || !vn->ops->read;
}

uint64_t pcache_file_size(struct vnode *vn)
{
	struct vattr va;
	might_sleep();
	if (is_anon(vn) || !vn->ops->getattr)
		return UINT64_MAX;
	memset(&va, 0, sizeof(va));
	return vn->ops->getattr(vn, &va) < 0 ? UINT64_MAX : va.size;
}

/* The cached page at index, referenced, or NULL. */
static void *lookup_get(struct pcache *pc, uint64_t index)
{
	spin_lock(&pc->lock);
	uintptr_t *s = slot_find(pc, index, false);
	void *page = s && *s ? slot_page(*s) : NULL;
	if (page)
		page_get(page);
	spin_unlock(&pc->lock);
	return page;
}

/* Reads page index of the file into a new page and caches it; io held. */
static int fill(struct pcache *pc, uint64_t index, void **out)
{
	struct vnode *vn = pc->vn;
	void *page = page_alloc_zeroed(0);
	if (!page)
		return -ENOMEM;
	if (!is_anon(vn)) {
		struct iobuf io = iobuf_kernel(page, PAGE_SIZE);
		ssize_t n = vn->ops->read(vn, &io, index * PAGE_SIZE);
		if (n < 0) {
			page_free(page, 0);
			return (int)n;
		}
	}
	page_set_tag(page, PCACHE_PAGE_TAG);
	spin_lock(&pc->lock);
	uintptr_t *s = slot_find(pc, index, true);
	if (s) {
		*s = (uintptr_t)page;
		pc->npages++;
		__atomic_add_fetch(&cached_pages, 1, __ATOMIC_RELAXED);
		page_get(page); /* the caller's reference; the cache keeps the first */
	}
	spin_unlock(&pc->lock);
	if (!s) {
		page_set_tag(page, 0);
		page_free(page, 0);
		return -ENOMEM;
	}
	*out = page;
	return 0;
}

int pcache_getpage(struct vnode *vn, uint64_t index, void **page)
{
	struct pcache *pc = vn->pcache;
	might_sleep();
	if ((*page = lookup_get(pc, index)))
		return 0;
	mutex_lock(&pc->io);
	int r = 0;
	if (!(*page = lookup_get(pc, index))) /* filled while we waited? */
		r = fill(pc, index, page);
	mutex_unlock(&pc->io);
	return r;
}

void pcache_mark_dirty(struct vnode *vn, uint64_t index, void *page)
{
	struct pcache *pc = vn->pcache;
	if (is_anon(vn) || !vn->ops->write)
		return; /* nothing to write back to */
	spin_lock(&pc->lock);
	uintptr_t *s = slot_find(pc, index, false);
	if (s && slot_page(*s) == page)
		slot_set_dirty(pc, s, true);
	spin_unlock(&pc->lock);
}

bool pcache_is_cache_page(void *page)
{
	return page_tag(page) == PCACHE_PAGE_TAG;
}

void *pcache_peek(struct vnode *vn, uint64_t index)
{
	struct pcache *pc = __atomic_load_n(&vn->pcache, __ATOMIC_ACQUIRE);
	return pc ? lookup_get(pc, index) : NULL;
}

bool pcache_has_page(struct vnode *vn, uint64_t index)
{
	struct pcache *pc = vn->pcache;
	spin_lock(&pc->lock);
	uintptr_t *s = slot_find(pc, index, false);
	bool present = s && *s;
	spin_unlock(&pc->lock);
	return present;
}

/* Writes one page back, up to the end of the file; io held. */
static int write_back(struct pcache *pc, uint64_t index, void *page)
{
	struct vnode *vn = pc->vn;
	uint64_t size = pcache_file_size(vn), off = index * PAGE_SIZE;
	if (off >= size)
		return 0; /* stores beyond the end of file never reach it */
	size_t n = (size_t)MIN((uint64_t)PAGE_SIZE, size - off);
	struct iobuf io = iobuf_kernel(page, n);
	ssize_t w = vn->ops->write(vn, &io, off);
	if (w < 0 || (size_t)w != n) {
		printk("pcache: write-back of ino %lu page %lu failed (%ld)\n", vn->ino, index,
		       (long)w);
		return w < 0 ? (int)w : -EIO;
	}
	return 0;
}

int pcache_sync(struct vnode *vn)
{
	struct pcache *pc = vn->pcache;
	int err = 0;
	if (!pc || is_anon(vn) || !vn->ops->write)
		return 0;
	for (uint64_t index = 0;; index++) {
		if (!__atomic_load_n(&pc->ndirty, __ATOMIC_RELAXED))
			break;
		mutex_lock(&pc->io);
		spin_lock(&pc->lock);
		uintptr_t *s = next_slot(pc, &index, true);
		void *page = s ? slot_page(*s) : NULL;
		if (page) {
			page_get(page);
			/* mapped pages may be stored into again without a fault */
			if (page_refcount(page) == 2)
				slot_set_dirty(pc, s, false);
		}
		spin_unlock(&pc->lock);
		if (page) {
			int e = write_back(pc, index, page);
			if (e < 0 && err == 0)
				err = e;
			if (e == -ENOMEM) /* transient: keep it for the next write-back */
				pcache_mark_dirty(vn, index, page);
			page_put(page);
		}
		mutex_unlock(&pc->io);
		if (!page)
			break;
	}
	return err;
}

static bool vnode_get_unless_zero(struct vnode *vn)
{
	int c = __atomic_load_n(&vn->refcount, __ATOMIC_RELAXED);
	while (c > 0) {
		if (__atomic_compare_exchange_n(&vn->refcount, &c, c + 1, false, __ATOMIC_ACQ_REL,
		                                __ATOMIC_RELAXED))
			return true;
	}
	return false;
}

int pcache_sync_all(void)
{
	spin_lock(&dirty_lock);
	unsigned n = 0, max = ndirty_caches;
	struct vnode **vns = max ? kmalloc(max * sizeof(*vns)) : NULL;
	struct list *pos;
	list_for_each(pos, &dirty_caches)
	{
		struct pcache *pc = list_entry(pos, struct pcache, link);
		if (vns && n < max && vnode_get_unless_zero(pc->vn))
			vns[n++] = pc->vn;
	}
	spin_unlock(&dirty_lock);
	if (max && !vns)
		return -ENOMEM;
	int err = 0;
	for (unsigned i = 0; i < n; i++) {
		int e = pcache_sync(vns[i]);
		if (e < 0 && err == 0)
			err = e;
		vnode_put(vns[i]);
	}
	kfree(vns);
	return err;
}

/* Caches nobody maps keep their pages for the next mapper (each exec maps
 * the program and its libraries again), oldest first out once they hold
 * more than IDLE_BUDGET_DIV-th of RAM.  Lock order: idle_lock, pc->lock. */
#define IDLE_BUDGET_DIV 8
static struct spinlock idle_lock = SPINLOCK_INIT("pcache-idle");
static struct list idle_caches = LIST_INIT(idle_caches);
static uint64_t idle_pages;

static void trim(struct pcache *pc);

/* idle_lock held */
static void idle_remove(struct pcache *pc)
{
	if (list_empty(&pc->idle_link))
		return;
	list_remove(&pc->idle_link);
	list_init(&pc->idle_link);
	idle_pages -= pc->idle_pages;
}

static void idle_add(struct pcache *pc)
{
	uint64_t budget = page_total_count() / IDLE_BUDGET_DIV;
	spin_lock(&idle_lock);
	/* a new mapping may have come since nmaps reached 0 */
	if (__atomic_load_n(&pc->nmaps, __ATOMIC_ACQUIRE) == 0 && list_empty(&pc->idle_link) &&
	    pc->npages) {
		pc->idle_pages = pc->npages;
		idle_pages += pc->idle_pages;
		list_insert_between(&pc->idle_link, idle_caches.prev, &idle_caches);
	}
	while (idle_pages > budget && !list_empty(&idle_caches)) {
		struct pcache *old = list_first_entry(&idle_caches, struct pcache, idle_link);
		idle_remove(old);
		trim(old);
	}
	spin_unlock(&idle_lock);
}

static void free_nodes(void **node, unsigned h)
{
	for (unsigned i = 0; h > 1 && i < SLOTS; i++)
		if (node[i])
			free_nodes(node[i], h - 1);
	kfree(node);
}

/* Drops the clean pages no mapping uses (not those of an anonymous
 * object: the cache holds its only copy), and the tree once it is empty;
 * returns how many pages were dropped.  pc->lock held. */
static uint64_t trim_locked(struct pcache *pc)
{
	uint64_t before = pc->npages;
	if (is_anon(pc->vn))
		return 0;
	for (uint64_t index = 0;; index++) {
		uintptr_t *s = next_slot(pc, &index, false);
		if (!s)
			break;
		if (!(*s & PC_DIRTY) && page_refcount(slot_page(*s)) == 1)
			slot_clear(pc, s);
	}
	if (pc->npages == 0 && pc->root) {
		free_nodes(pc->root, pc->height);
		pc->root = NULL;
		pc->height = 0;
	}
	return before - pc->npages;
}

static void trim(struct pcache *pc)
{
	spin_lock(&pc->lock);
	trim_locked(pc);
	spin_unlock(&pc->lock);
}

/* Trims every cache (the idle ones first, oldest first, then the mapped
 * ones) until `pages` pages are dropped; with wait false a busy lock is
 * skipped.  Returns the pages dropped. */
static uint64_t trim_all(uint64_t pages, bool wait)
{
	uint64_t dropped = 0;
	if (spin_lock_if(&idle_lock, wait)) {
		struct list *pos, *tmp;
		list_for_each_safe(pos, tmp, &idle_caches)
		{
			struct pcache *pc = list_entry(pos, struct pcache, idle_link);
			if (dropped >= pages)
				break;
			if (!spin_lock_if(&pc->lock, wait))
				continue;
			dropped += trim_locked(pc);
			uint64_t left = pc->npages;
			spin_unlock(&pc->lock);
			idle_pages -= pc->idle_pages - MIN(left, pc->idle_pages);
			pc->idle_pages = MIN(left, pc->idle_pages);
			if (left == 0)
				idle_remove(pc);
		}
		spin_unlock(&idle_lock);
	}
	if (dropped >= pages || !spin_lock_if(&all_lock, wait))
		return dropped;
	struct list *pos;
	list_for_each(pos, &all_caches)
	{
		struct pcache *pc = list_entry(pos, struct pcache, all_link);
		if (dropped >= pages)
			break;
		if (!spin_lock_if(&pc->lock, wait))
			continue;
		dropped += trim_locked(pc);
		spin_unlock(&pc->lock);
	}
	spin_unlock(&all_lock);
	return dropped;
}

/* The shrinker (mm/reclaim.h).  Where the caller holds no filesystem
 * lock, dirty pages are written back first (those no mapping uses become
 * clean and can go). */
static size_t pcache_scan(size_t pages, unsigned flags)
{
	if (flags & RECLAIM_FS)
		pcache_sync_all();
	return (size_t)trim_all(pages, flags & RECLAIM_SLEEP);
}

static struct shrinker pcache_shrinker = {.name = "pcache", .scan = pcache_scan};

void pcache_reclaim_init(void)
{
	shrinker_register(&pcache_shrinker);
}

void pcache_map_get(struct vnode *vn)
{
	vnode_get(vn);
	if (__atomic_add_fetch(&vn->pcache->nmaps, 1, __ATOMIC_ACQ_REL) == 1) {
		spin_lock(&idle_lock);
		idle_remove(vn->pcache);
		spin_unlock(&idle_lock);
	}
	if (vn->ops && vn->ops->map_event)
		vn->ops->map_event(vn, true);
}

void pcache_map_put(struct vnode *vn, bool sync)
{
	struct pcache *pc = vn->pcache;
	if (vn->ops && vn->ops->map_event)
		vn->ops->map_event(vn, false);
	if (sync)
		pcache_sync(vn);
	if (__atomic_sub_fetch(&pc->nmaps, 1, __ATOMIC_ACQ_REL) == 0) {
		pcache_sync(vn);
		idle_add(pc);
	}
	vnode_put(vn);
}

int pcache_map_count(struct vnode *vn)
{
	return vn->pcache ? __atomic_load_n(&vn->pcache->nmaps, __ATOMIC_ACQUIRE) : 0;
}

uint64_t pcache_vnode_pages(struct vnode *vn)
{
	return vn->pcache ? __atomic_load_n(&vn->pcache->npages, __ATOMIC_RELAXED) : 0;
}

/* Zeroes the cached bytes from size to the end of its page: what lies
 * past the end of file must read as zeros once the file grows. */
static void zero_tail(struct pcache *pc, uint64_t size)
{
	if (size % PAGE_SIZE == 0)
		return;
	char *page = lookup_get(pc, size / PAGE_SIZE);
	if (page) {
		memset(page + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
		page_put(page);
	}
}

/* Forgets cached pages from index first on (mappings keep theirs). */
static void drop_from(struct pcache *pc, uint64_t first)
{
	spin_lock(&pc->lock);
	for (uint64_t index = first;; index++) {
		uintptr_t *s = next_slot(pc, &index, false);
		if (!s)
			break;
		slot_clear(pc, s);
	}
	spin_unlock(&pc->lock);
}

int pcache_truncate(struct vnode *vn, uint64_t size)
{
	struct pcache *pc = vn->pcache;
	mutex_lock(&pc->io);
	uint64_t old = pcache_file_size(vn);
	int r = vn->ops->truncate(vn, size);
	if (r == 0) {
		zero_tail(pc, MIN(old, size));
		drop_from(pc, ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE);
	}
	mutex_unlock(&pc->io);
	return r;
}

ssize_t pcache_read(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	struct pcache *pc = vn->pcache;
	if (!__atomic_load_n(&pc->npages, __ATOMIC_RELAXED))
		return vn->ops->read(vn, io, off);
	char *bounce = page_alloc(0);
	if (!bounce)
		return -ENOMEM;
	ssize_t done = 0, n = 0;
	while (io->len > 0) {
		size_t want = MIN(io->len, PAGE_SIZE - off % PAGE_SIZE);
		mutex_lock(&pc->io);
		char *page = lookup_get(pc, off / PAGE_SIZE);
		if (page) {
			uint64_t size = pcache_file_size(vn);
			n = off >= size ? 0 : (ssize_t)MIN((uint64_t)want, size - off);
			memcpy(bounce, page + off % PAGE_SIZE, (size_t)n);
			page_put(page);
		} else {
			struct iobuf kio = iobuf_kernel(bounce, want);
			n = vn->ops->read(vn, &kio, off);
		}
		mutex_unlock(&pc->io);
		if (n > 0 && iobuf_put(io, bounce, (size_t)n) < 0)
			n = -EFAULT;
		if (n <= 0)
			break;
		done += n;
		off += (uint64_t)n;
		if ((size_t)n < want)
			break;
	}
	page_free(bounce, 0);
	return done ? done : n;
}

/* Writes one piece (within a page) from bounce; io held. */
static ssize_t write_piece(struct pcache *pc, const char *bounce, size_t n, uint64_t off)
{
	struct vnode *vn = pc->vn;
	uint64_t size = pcache_file_size(vn);
	if (off > size)
		zero_tail(pc, size); /* the gap reads as zeros */
	char *page = lookup_get(pc, off / PAGE_SIZE);
	if (page) {
		memcpy(page + off % PAGE_SIZE, bounce, n);
		page_put(page);
	}
	struct iobuf kio = iobuf_kernel((void *)bounce, n);
	return vn->ops->write(vn, &kio, off);
}

ssize_t pcache_write(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	struct pcache *pc = vn->pcache;
	mutex_lock(&pc->io);
	if (!__atomic_load_n(&pc->npages, __ATOMIC_RELAXED) &&
	    !__atomic_load_n(&pc->nmaps, __ATOMIC_RELAXED)) {
		/* unmapped and empty: io stops fills, so nothing can go stale */
		ssize_t n = vn->ops->write(vn, io, off);
		mutex_unlock(&pc->io);
		return n;
	}
	mutex_unlock(&pc->io);
	char *bounce = page_alloc(0);
	if (!bounce)
		return -ENOMEM;
	ssize_t done = 0, n = 0;
	while (io->len > 0) {
		size_t want = MIN(io->len, PAGE_SIZE - off % PAGE_SIZE);
		/* user memory is read before taking io: it may be a mapping of
		 * this very file, whose fault needs io */
		if (iobuf_get(io, bounce, want) < 0) {
			n = -EFAULT;
			break;
		}
		mutex_lock(&pc->io);
		n = write_piece(pc, bounce, want, off);
		mutex_unlock(&pc->io);
		if (n <= 0)
			break;
		done += n;
		off += (uint64_t)n;
		if ((size_t)n < want)
			break;
	}
	page_free(bounce, 0);
	return done ? done : n;
}

static void free_tree(struct pcache *pc, void **node, unsigned h)
{
	for (unsigned i = 0; i < SLOTS; i++) {
		if (!node[i])
			continue;
		if (h > 1)
			free_tree(pc, node[i], h - 1);
		else
			slot_clear(pc, (uintptr_t *)&node[i]);
	}
	kfree(node);
}

void pcache_destroy(struct vnode *vn)
{
	struct pcache *pc = vn->pcache;
	if (!pc)
		return;
	if (pc->ndirty)
		printk("pcache: ino %lu freed with %lu dirty pages\n", vn->ino, pc->ndirty);
	spin_lock(&idle_lock);
	idle_remove(pc);
	spin_unlock(&idle_lock);
	spin_lock(&all_lock);
	list_remove(&pc->all_link);
	spin_unlock(&all_lock);
	spin_lock(&pc->lock);
	if (pc->root)
		free_tree(pc, pc->root, pc->height);
	spin_unlock(&pc->lock);
	vn->pcache = NULL;
	kfree(pc);
}
