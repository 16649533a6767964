/*
 * Reclaim: handing the memory that caches keep back to the page allocator
 * when it runs out (see docs/memory.md, "Reclaim").
 *
 * Each cache registers a shrinker.  When page_alloc finds no free block it
 * runs them, caches first (the block cache, the page cache), then the
 * slab shrinker (kmalloc), which returns the pages the caches' frees left
 * empty, and tries again.  What a shrinker may do depends on the caller's
 * context, given as flags:
 *
 *   none           the caller may hold spinlocks or be an interrupt
 *                  handler: only clean, unreferenced memory is freed, every
 *                  lock is tried (spin_trylock) and skipped when busy;
 *   RECLAIM_SLEEP  no spinlock is held: shrinkers may wait for their locks
 *                  and write dirty blocks to the disk first (the block
 *                  driver allocates nothing);
 *   RECLAIM_FS     the caller holds no filesystem lock either (a user page
 *                  fault, sbrk, fork): dirty pages of mapped files may be
 *                  written back through their filesystem.
 *
 * page_alloc chooses none or RECLAIM_SLEEP by itself (cpu_may_sleep).
 * Callers that allocate under a spinlock (a page fault under mm->lock) and
 * know more once they dropped it call reclaim_retry.
 */
#ifndef MM_RECLAIM_H
#define MM_RECLAIM_H

#include <stdbool.h>
#include <stddef.h>

#define RECLAIM_SLEEP 1u
#define RECLAIM_FS    2u

struct shrinker {
	const char *name;
	/* Slab shrinkers run after the caches, whose frees feed them. */
	bool slab;
	/* Frees unused cached memory, oldest first, until about `pages`
	 * pages' worth are released or nothing more can be; returns the
	 * pages' worth released (at least 1 if anything was).  Must not
	 * allocate.  Without RECLAIM_SLEEP it must neither sleep nor wait
	 * for a lock. */
	size_t (*scan)(size_t pages, unsigned flags);
	struct shrinker *next;
};

/* Adds s (at boot, before anything allocates under pressure). */
void shrinker_register(struct shrinker *s);

/* Runs the shrinkers for about `pages` pages with flags as above; returns
 * the pages' worth they released. */
size_t reclaim(size_t pages, unsigned flags);

/* For a caller whose allocation failed under a spinlock, once it dropped
 * its locks (flags: RECLAIM_SLEEP, plus RECLAIM_FS if it holds no
 * filesystem lock): frees what can be freed in that context; true when
 * something was, and the allocation is worth trying again. */
bool reclaim_retry(unsigned flags);

/* /proc/sys/vm/drop_caches: what = 1 the caches (block and page cache),
 * 2 empty slab pages, 3 both; everything unused goes, in the RECLAIM_SLEEP
 * | RECLAIM_FS context (the caller holds no lock). */
void reclaim_drop_caches(unsigned what);

#endif
