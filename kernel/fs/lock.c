/*
 * Advisory file locks (see lock.h).
 *
 * Every lock of the system is one record on a single list under one
 * spinlock, and every task waiting for a lock sleeps on one wait queue,
 * woken whenever any lock goes or shrinks: locks are few and short-lived,
 * so a search of the list costs less than keeping a structure per file.
 * Nothing here touches user memory (the ABIs copy before and after), and
 * the records a change may need are allocated before the spinlock is
 * taken: a range lock needs at most two (the new lock, and the far part of
 * an own lock it splits in two).
 *
 * A POSIX waiter is recorded with the owner of the lock it waits for, so
 * that a process about to sleep can follow the chain "waits for the owner
 * of ... who waits for ..." and fail with EDEADLK if it leads back to it.
 */
#include "fs/lock.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "core/list.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "obj/kobj.h"
#include "proc/task.h"
#include "proc/thread_group.h"
#include "proc/wait.h"

#define DEADLOCK_DEPTH 32    /* how far a chain of waiters is followed */
#define MAX_LOCKS      65536 /* in the system: ENOLCK past it, not out of memory */

struct lock_rec {
	struct list node; /* in all_locks */
	struct superblock *sb;
	uint64_t ino;
	enum flock_kind kind;
	uintptr_t owner; /* process id (POSIX) or kobj (OFD, flock) */
	pid_t pid;       /* process that took it */
	enum flock_type type;
	int64_t start, end;
};

/* A task sleeping for a lock of blocker (POSIX locks only). */
struct lock_waiter {
	struct list node; /* in posix_waiters */
	uintptr_t owner, blocker;
};

static struct spinlock locks_lock = SPINLOCK_INIT("flocks");
static struct list all_locks = LIST_INIT(all_locks);
static struct list posix_waiters = LIST_INIT(posix_waiters);
static struct waitqueue locks_wq;
static int nr_locks; /* atomic reads: lets close skip the lock when zero */

void vfs_lock_init(void)
{
	wq_init(&locks_wq, "flocks");
}

/* The file behind o, or NULL when o is no file. */
static struct vnode *lock_vnode(struct kobj *o)
{
	return file_vnode(o);
}

static bool same_file(const struct lock_rec *l, const struct vnode *vn)
{
	return l->sb == vn->sb && l->ino == vn->ino;
}

static bool is_record(enum flock_kind k)
{
	return k == FLOCK_POSIX || k == FLOCK_OFD;
}

/* Do two kinds share a lock space? */
static bool same_space(enum flock_kind a, enum flock_kind b)
{
	return is_record(a) == is_record(b);
}

static bool overlaps(const struct lock_rec *l, int64_t start, int64_t end)
{
	return l->start <= end && start <= l->end;
}

static uintptr_t posix_owner(void)
{
	return (uintptr_t)task_tgid(current());
}

static uintptr_t owner_of(struct kobj *o, enum flock_kind kind)
{
	return kind == FLOCK_POSIX ? posix_owner() : (uintptr_t)o;
}

static void rec_drop(struct lock_rec *l, struct list *freed)
{
	list_remove(&l->node);
	list_push_back(freed, &l->node);
	__atomic_sub_fetch(&nr_locks, 1, __ATOMIC_RELAXED);
}

static void rec_add(struct lock_rec *l)
{
	list_push_back(&all_locks, &l->node);
	__atomic_add_fetch(&nr_locks, 1, __ATOMIC_RELAXED);
}

static void free_list(struct list *freed)
{
	struct list *pos, *tmp;
	list_for_each_safe(pos, tmp, freed)
	{
		list_remove(pos);
		kfree(list_entry(pos, struct lock_rec, node));
	}
}

/* A lock of another owner in kind's space that keeps (type, start, end)
 * from being taken; locks_lock held. */
static struct lock_rec *find_conflict(const struct vnode *vn, enum flock_kind kind, uintptr_t owner,
                                      enum flock_type type, int64_t start, int64_t end)
{
	struct list *pos;
	list_for_each(pos, &all_locks)
	{
		struct lock_rec *l = list_entry(pos, struct lock_rec, node);
		if (!same_file(l, vn) || !same_space(l->kind, kind) || !overlaps(l, start, end))
			continue;
		if (l->kind == kind && l->owner == owner)
			continue;
		if (l->type == FLOCK_WRITE || type == FLOCK_WRITE)
			return l;
	}
	return NULL;
}

/* Would the caller (owner), by sleeping for a lock of blocker, close a
 * cycle of POSIX waiters?  locks_lock held. */
static bool would_deadlock(uintptr_t owner, uintptr_t blocker)
{
	for (int depth = 0; depth < DEADLOCK_DEPTH; depth++) {
		struct lock_waiter *next = NULL;
		struct list *pos;
		list_for_each(pos, &posix_waiters)
		{
			struct lock_waiter *w = list_entry(pos, struct lock_waiter, node);
			if (w->owner == blocker) {
				next = w;
				break;
			}
		}
		if (!next)
			return false;
		if (next->blocker == owner)
			return true;
		blocker = next->blocker;
	}
	return false;
}

/* Gives owner exactly (type, start, end) of the file in place of whatever
 * it held there, merging with its own adjacent or overlapping locks of
 * the same type; spare holds two records, those used are set to NULL,
 * records dropped go to freed.  locks_lock held. */
static void apply_range(const struct vnode *vn, enum flock_kind kind, uintptr_t owner,
                        const struct flock_range *r, struct lock_rec *spare[2], struct list *freed)
{
	int64_t s = r->start, e = r->end;
	struct list *pos, *tmp;
	list_for_each_safe(pos, tmp, &all_locks)
	{
		struct lock_rec *l = list_entry(pos, struct lock_rec, node);
		if (!same_file(l, vn) || l->kind != kind || l->owner != owner)
			continue;
		if (l->type == r->type) {
			bool apart = (l->end != FLOCK_EOF && l->end + 1 < s) ||
			             (e != FLOCK_EOF && e + 1 < l->start);
			if (apart)
				continue;
			s = MIN(s, l->start);
			e = MAX(e, l->end);
			rec_drop(l, freed);
			continue;
		}
		if (!overlaps(l, s, e))
			continue;
		if (l->start < s && l->end > e) {
			struct lock_rec *far = spare[1];
			spare[1] = NULL;
			*far = *l;
			far->start = e + 1;
			rec_add(far);
			l->end = s - 1;
		} else if (l->start < s) {
			l->end = s - 1;
		} else if (l->end > e) {
			l->start = e + 1;
		} else {
			rec_drop(l, freed);
		}
	}
	if (r->type == FLOCK_UNLOCK)
		return;
	struct lock_rec *n = spare[0];
	spare[0] = NULL;
	*n = (struct lock_rec){.sb = vn->sb,
	                       .ino = vn->ino,
	                       .kind = kind,
	                       .owner = owner,
	                       .pid = task_tgid(current()),
	                       .type = r->type,
	                       .start = s,
	                       .end = e};
	rec_add(n);
}

int vfs_lock_test(struct kobj *o, enum flock_kind kind, struct flock_range *r)
{
	struct vnode *vn = lock_vnode(o);
	if (!vn || !is_record(kind))
		return -EINVAL;
	spin_lock(&locks_lock);
	struct lock_rec *c = find_conflict(vn, kind, owner_of(o, kind), r->type, r->start, r->end);
	if (c) {
		r->type = c->type;
		r->start = c->start;
		r->end = c->end;
		r->pid = c->kind == FLOCK_POSIX ? c->pid : -1;
	} else {
		r->type = FLOCK_UNLOCK;
	}
	spin_unlock(&locks_lock);
	return 0;
}

/* Sleeps once for the lock c of another owner to change; locks_lock held.
 * POSIX waiters are visible to deadlock detection meanwhile. */
static int wait_for(enum flock_kind kind, uintptr_t owner, const struct lock_rec *c)
{
	if (kind != FLOCK_POSIX || c->kind != FLOCK_POSIX)
		return wq_sleep(&locks_wq, &locks_lock);
	if (would_deadlock(owner, c->owner))
		return -EDEADLK;
	struct lock_waiter w = {.owner = owner, .blocker = c->owner};
	list_push_back(&posix_waiters, &w.node);
	int r = wq_sleep(&locks_wq, &locks_lock);
	list_remove(&w.node);
	return r;
}

int vfs_lock_set(struct kobj *o, enum flock_kind kind, const struct flock_range *r, bool wait)
{
	struct vnode *vn = lock_vnode(o);
	if (!vn || !is_record(kind) || r->start < 0 || r->end < r->start)
		return -EINVAL;
	struct lock_rec *spare[2] = {kmalloc(sizeof(struct lock_rec)),
	                             kmalloc(sizeof(struct lock_rec))};
	struct list freed = LIST_INIT(freed);
	uintptr_t owner = owner_of(o, kind);
	int ret = -ENOLCK;
	if (!spare[0] || !spare[1])
		goto out;
	if (r->type != FLOCK_UNLOCK && __atomic_load_n(&nr_locks, __ATOMIC_RELAXED) >= MAX_LOCKS)
		goto out;
	spin_lock(&locks_lock);
	for (;;) {
		struct lock_rec *c =
		    r->type == FLOCK_UNLOCK
		        ? NULL
		        : find_conflict(vn, kind, owner, r->type, r->start, r->end);
		if (!c) {
			apply_range(vn, kind, owner, r, spare, &freed);
			wq_wake_all(&locks_wq);
			ret = 0;
			break;
		}
		ret = wait ? wait_for(kind, owner, c) : -EAGAIN;
		if (ret < 0)
			break;
	}
	spin_unlock(&locks_lock);
out:
	kfree(spare[0]);
	kfree(spare[1]);
	free_list(&freed);
	return ret;
}

/* o's own flock lock; locks_lock held. */
static struct lock_rec *own_whole(const struct vnode *vn, struct kobj *o)
{
	struct list *pos;
	list_for_each(pos, &all_locks)
	{
		struct lock_rec *l = list_entry(pos, struct lock_rec, node);
		if (same_file(l, vn) && l->kind == FLOCK_WHOLE && l->owner == (uintptr_t)o)
			return l;
	}
	return NULL;
}

int vfs_flock(struct kobj *o, enum flock_type t, bool wait)
{
	struct vnode *vn = lock_vnode(o);
	if (!vn)
		return -EINVAL;
	struct lock_rec *n = t == FLOCK_UNLOCK ? NULL : kmalloc(sizeof(*n));
	struct list freed = LIST_INIT(freed);
	int ret = 0;
	if (t != FLOCK_UNLOCK &&
	    (!n || __atomic_load_n(&nr_locks, __ATOMIC_RELAXED) >= MAX_LOCKS)) {
		kfree(n);
		return -ENOLCK;
	}
	spin_lock(&locks_lock);
	struct lock_rec *old = own_whole(vn, o);
	if (old && old->type == t)
		goto unlock;
	if (old) {
		rec_drop(old, &freed);
		wq_wake_all(&locks_wq);
	}
	while (t != FLOCK_UNLOCK) {
		struct lock_rec *c = find_conflict(vn, FLOCK_WHOLE, (uintptr_t)o, t, 0, FLOCK_EOF);
		if (!c) {
			*n = (struct lock_rec){.sb = vn->sb,
			                       .ino = vn->ino,
			                       .kind = FLOCK_WHOLE,
			                       .owner = (uintptr_t)o,
			                       .pid = task_tgid(current()),
			                       .type = t,
			                       .start = 0,
			                       .end = FLOCK_EOF};
			rec_add(n);
			n = NULL;
			break;
		}
		ret = wait ? wq_sleep(&locks_wq, &locks_lock) : -EAGAIN;
		if (ret < 0)
			break;
	}
unlock:
	spin_unlock(&locks_lock);
	kfree(n);
	free_list(&freed);
	return ret;
}

/* Drops the locks that match; locks_lock not held. */
static void drop_matching(const struct vnode *vn, uintptr_t owner, bool posix)
{
	struct list freed = LIST_INIT(freed);
	struct list *pos, *tmp;
	bool any = false;
	spin_lock(&locks_lock);
	list_for_each_safe(pos, tmp, &all_locks)
	{
		struct lock_rec *l = list_entry(pos, struct lock_rec, node);
		if (l->owner != owner || (l->kind == FLOCK_POSIX) != posix)
			continue;
		if (vn && !same_file(l, vn))
			continue;
		rec_drop(l, &freed);
		any = true;
	}
	if (any)
		wq_wake_all(&locks_wq);
	spin_unlock(&locks_lock);
	free_list(&freed);
}

void vfs_lock_close(struct kobj *o)
{
	struct vnode *vn = lock_vnode(o);
	if (vn && __atomic_load_n(&nr_locks, __ATOMIC_RELAXED) > 0)
		drop_matching(vn, posix_owner(), true);
}

void vfs_lock_release_file(struct kobj *o)
{
	if (__atomic_load_n(&nr_locks, __ATOMIC_RELAXED) > 0)
		drop_matching(NULL, (uintptr_t)o, false);
}
