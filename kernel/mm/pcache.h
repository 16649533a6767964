/*
 * The page cache: the pages of one vnode, shared by every mapping of it.
 *
 * A vnode gets a cache (vnode.pcache) the first time it is mapped; pages
 * are filled through the filesystem's read operation on first touch and
 * kept while some mapping of the vnode exists.  A vnode without a read
 * operation (the object behind MAP_SHARED|MAP_ANONYMOUS) gives zero pages.
 *
 * Coherence with read(2)/write(2): once a vnode has a cache, file.c sends
 * its reads and writes here.  A read copies cached pages (which hold the
 * stores made through shared mappings) and reads the rest from the
 * filesystem; a write goes into the cached page if there is one and
 * through to the filesystem in every case (write-through), so the
 * filesystem stays the authority on size and allocation and nothing but
 * shared-mapping stores is ever pending.
 *
 * Dirty pages: a write fault through a MAP_SHARED mapping marks its page
 * dirty (a shared PTE is only made writable by that fault).  pcache_sync
 * writes dirty pages back, up to the end of file; a page that is still
 * mapped stays marked dirty, since its mappings may store into it again
 * without faulting.  Write-back happens on msync, munmap, exit (the last
 * unmap of a range) and sync.
 *
 * Locks: pc->lock (a spinlock, taken inside mm->lock) guards the page
 * index; pc->io (a mutex) orders fills, write-through, truncation and
 * write-back against each other.  Nothing touches user memory while
 * holding either, so a fault on a mapping of the same file cannot
 * deadlock a read or write.
 */
#ifndef MM_PCACHE_H
#define MM_PCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/types.h"
#include "core/uaccess.h"

struct vnode;
struct pcache;

/* page_tag() of a page owned by a page cache. */
#define PCACHE_PAGE_TAG 0x70636163u

/* Gives vn a cache if it has none: 0 or -ENOMEM. */
int pcache_attach(struct vnode *vn);
/* A mapping starts / stops using vn (which has a cache).  map_get takes a
 * vnode reference and never sleeps (callable under mm->lock); map_put
 * writes back when sync is set, trims the cache when the last mapping
 * goes, then drops the reference: it may sleep. */
void pcache_map_get(struct vnode *vn);
void pcache_map_put(struct vnode *vn, bool sync);
/* How many mappings use vn's cache (System V shm's attach count). */
int pcache_map_count(struct vnode *vn);
/* Pages vn's cache holds. */
uint64_t pcache_vnode_pages(struct vnode *vn);

/* The page at index, referenced for the caller (page_put when done),
 * filled from the file if absent: 0, -ENOMEM or the read error. */
int pcache_getpage(struct vnode *vn, uint64_t index, void **page);
/* Size of vn's file for the fault path; UINT64_MAX for anonymous objects. */
uint64_t pcache_file_size(struct vnode *vn);
/* A store through a shared mapping is about to happen to page (at
 * index); no-op if the page is no longer the cached one.  Never sleeps. */
void pcache_mark_dirty(struct vnode *vn, uint64_t index, void *page);
/* Whether page belongs to (or belonged to) a page cache. */
bool pcache_is_cache_page(void *page);
/* Whether index is cached (for mincore). */
bool pcache_has_page(struct vnode *vn, uint64_t index);
/* The cached page at index with a reference taken, or NULL when it is not
 * in the cache; never reads or sleeps (fault-around). */
void *pcache_peek(struct vnode *vn, uint64_t index);

/* Writes vn's dirty pages back: 0 or the first write error. */
int pcache_sync(struct vnode *vn);
/* Every dirty page of every cache (sync(2)). */
int pcache_sync_all(void);

/* read/write/truncate of a vnode that has a cache (see above). */
ssize_t pcache_read(struct vnode *vn, struct iobuf *io, uint64_t off);
ssize_t pcache_write(struct vnode *vn, struct iobuf *io, uint64_t off);
int pcache_truncate(struct vnode *vn, uint64_t size);
/* The vnode is being freed: drop the cache. */
void pcache_destroy(struct vnode *vn);
/* Pages held by all caches together. */
uint64_t pcache_pages(void);
/* Registers the cache's shrinker (at boot; see mm/reclaim.h). */
void pcache_reclaim_init(void);

#endif
