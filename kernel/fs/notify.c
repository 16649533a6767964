/*
 * File change notification (see notify.h): the list of marks and the
 * hooks the VFS calls.  Marks are few (a handful of watches per
 * program), so one list searched whole is enough; nmarks lets every hook
 * return at once while nobody watches anything.
 */
#include "fs/notify.h"

#include "fs/vfs_impl.h"

static struct mutex notify_lock = {
    .lk = SPINLOCK_INIT("fsnotify"),
    .wq = {.lock = SPINLOCK_INIT("fsnotify"), .waiters = LIST_INIT(notify_lock.wq.waiters)},
    .locked = false,
    .owner = NULL,
};
static struct list marks = LIST_INIT(marks);
static int nmarks; /* atomic reads outside the lock */
static uint32_t next_cookie;

void fsnotify_lock(void)
{
	mutex_lock(&notify_lock);
}

void fsnotify_unlock(void)
{
	mutex_unlock(&notify_lock);
}

static bool watching(void)
{
	return __atomic_load_n(&nmarks, __ATOMIC_ACQUIRE) > 0;
}

bool fsnotify_active(void)
{
	return watching();
}

struct fsnotify_mark *fsnotify_find(void *owner, struct vnode *vn)
{
	struct list *pos;

	list_for_each(pos, &marks)
	{
		struct fsnotify_mark *m = list_entry(pos, struct fsnotify_mark, node);
		if (m->owner == owner && m->sb == vn->sb && m->ino == vn->ino)
			return m;
	}
	return NULL;
}

void fsnotify_add(struct fsnotify_mark *m, struct vnode *vn)
{
	m->sb = vn->sb;
	m->ino = vn->ino;
	list_push_back(&marks, &m->node);
	__atomic_add_fetch(&nmarks, 1, __ATOMIC_RELEASE);
}

void fsnotify_remove(struct fsnotify_mark *m)
{
	list_remove(&m->node);
	__atomic_sub_fetch(&nmarks, 1, __ATOMIC_RELEASE);
}

static uint32_t isdir(struct vnode *vn)
{
	return vn && S_ISDIR(vn->mode) ? FSN_ISDIR : 0;
}

uint32_t fsnotify_cookie(void)
{
	uint32_t c = __atomic_add_fetch(&next_cookie, 1, __ATOMIC_RELAXED);
	return c ? c : __atomic_add_fetch(&next_cookie, 1, __ATOMIC_RELAXED);
}

/* Delivers mask to the marks of (sb, ino); lock held.  With drop, the
 * marks then go (ops->gone). */
static void deliver(struct superblock *sb, uint64_t ino, uint32_t mask, uint32_t cookie,
                    const char *name, size_t len, bool drop)
{
	struct list *pos, *tmp;

	list_for_each_safe(pos, tmp, &marks)
	{
		struct fsnotify_mark *m = list_entry(pos, struct fsnotify_mark, node);
		if (m->sb != sb || (ino && m->ino != ino)) /* ino 0: every file of sb */
			continue;
		bool done = false;
		if ((m->mask | FSN_UNMOUNT) & mask & ~FSN_ISDIR)
			done = m->ops->event(m, mask, cookie, name, len);
		if (drop || done) {
			fsnotify_remove(m);
			m->ops->gone(m);
		}
	}
}

static void notify(struct vnode *vn, uint32_t mask, uint32_t cookie, const char *name, size_t len)
{
	mutex_lock(&notify_lock);
	deliver(vn->sb, vn->ino, mask, cookie, name, len, false);
	mutex_unlock(&notify_lock);
}

void fsnotify_file(struct vnode *vn, struct vnode *dir, const char *name, size_t len, uint32_t mask)
{
	if (!watching())
		return;
	notify(vn, mask | isdir(vn), 0, NULL, 0);
	if (dir && name)
		notify(dir, mask | isdir(vn), 0, name, len);
}

void fsnotify_create(struct vnode *dir, const char *name, size_t len, struct vnode *vn)
{
	if (watching())
		notify(dir, FSN_CREATE | isdir(vn), 0, name, len);
}

void fsnotify_delete(struct vnode *dir, const char *name, size_t len, struct vnode *vn)
{
	if (!watching())
		return;
	if (!S_ISDIR(vn->mode))
		notify(vn, FSN_ATTRIB, 0, NULL, 0); /* its link count */
	notify(dir, FSN_DELETE | isdir(vn), 0, name, len);
}

void fsnotify_move(struct vnode *od, const char *oname, size_t olen, struct vnode *nd,
                   const char *nname, size_t nlen, struct vnode *vn)
{
	uint32_t cookie;

	if (!watching())
		return;
	cookie = fsnotify_cookie();
	notify(od, FSN_MOVED_FROM | isdir(vn), cookie, oname, olen);
	notify(nd, FSN_MOVED_TO | isdir(vn), cookie, nname, nlen);
	notify(vn, FSN_MOVE_SELF | isdir(vn), 0, NULL, 0);
}

void fsnotify_released(struct vnode *vn)
{
	struct vattr va;

	if (!watching() || !vn->sb || !vn->ops || !vn->ops->getattr)
		return;
	/* a put from memory reclaim during an event's allocation: losing
	 * this event beats deadlocking on our own lock */
	if (mutex_holding(&notify_lock))
		return;
	if (vn->ops->getattr(vn, &va) < 0 || va.nlink > 0)
		return;
	mutex_lock(&notify_lock);
	deliver(vn->sb, vn->ino, FSN_DELETE_SELF | isdir(vn), 0, NULL, 0, true);
	mutex_unlock(&notify_lock);
}

void fsnotify_unmount(struct superblock *sb)
{
	if (!watching())
		return;
	mutex_lock(&notify_lock);
	deliver(sb, 0, FSN_UNMOUNT, 0, NULL, 0, true);
	mutex_unlock(&notify_lock);
}
