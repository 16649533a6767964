/*
 * Reclaim (see reclaim.h): the list of shrinkers and the rounds that run
 * them.  Shrinkers are registered at boot and never removed, so the list
 * is read without a lock.
 */
#include "mm/reclaim.h"

#include "core/kernel.h"
#include "core/spinlock.h"

static struct shrinker *shrinkers;
static struct spinlock register_lock = SPINLOCK_INIT("shrinkers");

void shrinker_register(struct shrinker *s)
{
	spin_lock(&register_lock);
	struct shrinker **pp = &shrinkers;
	while (*pp)
		pp = &(*pp)->next;
	s->next = NULL;
	__atomic_store_n(pp, s, __ATOMIC_RELEASE);
	spin_unlock(&register_lock);
}

static size_t run(bool slab, size_t pages, unsigned flags)
{
	size_t released = 0;
	for (struct shrinker *s = __atomic_load_n(&shrinkers, __ATOMIC_ACQUIRE); s;
	     s = __atomic_load_n(&s->next, __ATOMIC_ACQUIRE)) {
		if (s->slab != slab || (!slab && released >= pages))
			continue;
		released += s->scan(slab ? SIZE_MAX : pages - released, flags);
	}
	return released;
}

size_t reclaim(size_t pages, unsigned flags)
{
	size_t released = run(false, pages, flags);
	/* the caches' frees leave slab pages empty: give every one back */
	return released + run(true, SIZE_MAX, flags);
}

bool reclaim_retry(unsigned flags)
{
	return reclaim(SIZE_MAX, flags) > 0;
}

void reclaim_drop_caches(unsigned what)
{
	unsigned flags = RECLAIM_SLEEP | RECLAIM_FS;
	if (what & 1)
		run(false, SIZE_MAX, flags);
	if (what & 2)
		run(true, SIZE_MAX, flags);
}
