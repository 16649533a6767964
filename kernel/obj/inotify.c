/*
 * inotify instances (see inotify.h).  Events arrive from fs/notify.c
 * under its lock (fsnotify_lock), which also guards each instance's list
 * of watches; the queue has a spinlock of its own, and an event is
 * allocated before that is taken.  read copies events out one at a time
 * with the spinlock dropped, taking each off the queue only once it is
 * in user memory.
 */
#include "obj/inotify.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "fs/notify.h"
#include "mm/kmalloc.h"
#include "obj/anon.h"
#include "obj/kobj.h"
#include "obj/poll.h"
#include "proc/wait.h"

#define EVENT_HDR 16 /* struct inotify_event without the name */

struct inotify {
	struct kobj obj;
	struct spinlock lock; /* the queue */
	struct waitqueue wq;
	struct list events;
	size_t nevents, bytes;
	struct mutex read_lock; /* one reader at a time */
	/* under fsnotify_lock */
	struct list watches;
	int nwatches, next_wd;
	uint64_t ino;
};

struct iwatch {
	struct fsnotify_mark mark;
	struct list node; /* in inotify.watches */
	struct inotify *in;
	int wd;
	uint32_t flags; /* INOTIFY_ONESHOT... */
};

struct ievent {
	struct list node;
	int32_t wd;
	uint32_t mask, cookie;
	uint32_t len; /* of name, padded */
	char name[];
};

static const struct kobj_ops inotify_ops;

static struct inotify *to_in(struct kobj *o)
{
	return container_of(o, struct inotify, obj);
}

bool inotify_is(struct kobj *o)
{
	return o && o->ops == &inotify_ops;
}

static size_t event_size(const struct ievent *e)
{
	return EVENT_HDR + e->len;
}

static bool same_event(const struct ievent *a, const struct ievent *b)
{
	return a->wd == b->wd && a->mask == b->mask && a->cookie == b->cookie && a->len == b->len &&
	       memcmp(a->name, b->name, a->len) == 0;
}

/* Queues an event (a copy of the one before it is dropped, as Linux
 * merges them; past the limit, one overflow event). */
static void queue(struct inotify *in, int wd, uint32_t mask, uint32_t cookie, const char *name,
                  size_t len)
{
	uint32_t padded = len ? (uint32_t)((len + 1 + EVENT_HDR - 1) / EVENT_HDR * EVENT_HDR) : 0;
	struct ievent *e = kzalloc(sizeof(*e) + padded), *last;

	spin_lock(&in->lock);
	last = list_empty(&in->events) ? NULL : list_entry(in->events.prev, struct ievent, node);
	if (in->nevents >= INOTIFY_MAX_EVENTS || !e) {
		bool over = last && last->mask == INOTIFY_Q_OVERFLOW;
		spin_unlock(&in->lock);
		kfree(e);
		if (over)
			return; /* lost, as Linux's */
		e = kzalloc(sizeof(*e));
		if (!e)
			return;
		e->wd = -1;
		e->mask = INOTIFY_Q_OVERFLOW;
		spin_lock(&in->lock);
	} else {
		e->wd = wd;
		e->mask = mask;
		e->cookie = cookie;
		e->len = padded;
		memcpy(e->name, name, len);
		if (last && same_event(last, e)) {
			spin_unlock(&in->lock);
			kfree(e);
			return;
		}
	}
	list_push_back(&in->events, &e->node);
	in->nevents++;
	in->bytes += event_size(e);
	wq_wake_all(&in->wq);
	spin_unlock(&in->lock);
}

static bool watch_event(struct fsnotify_mark *m, uint32_t mask, uint32_t cookie, const char *name,
                        size_t len)
{
	struct iwatch *w = container_of(m, struct iwatch, mark);

	/* only the bits asked for, plus IN_ISDIR and IN_UNMOUNT */
	mask &= w->mark.mask | FSN_ISDIR | FSN_UNMOUNT;
	queue(w->in, w->wd, mask, cookie, name, len);
	return (w->flags & INOTIFY_ONESHOT) != 0;
}

/* The mark is off the list (file gone, unmount, one-shot, removal). */
static void watch_gone(struct fsnotify_mark *m)
{
	struct iwatch *w = container_of(m, struct iwatch, mark);

	queue(w->in, w->wd, INOTIFY_IGNORED, 0, NULL, 0);
	list_remove(&w->node);
	w->in->nwatches--;
	kfree(w);
}

static const struct fsnotify_ops watch_ops = {
    .event = watch_event,
    .gone = watch_gone,
};

int inotify_add(struct kobj *o, struct vnode *vn, uint32_t mask)
{
	struct inotify *in;
	struct fsnotify_mark *m;
	struct iwatch *w;
	uint32_t events = mask & FSN_ALL_EVENTS;
	int wd;

	if (!inotify_is(o))
		return -EINVAL;
	in = to_in(o);
	w = kzalloc(sizeof(*w)); /* before the lock; freed if not needed */
	fsnotify_lock();
	m = fsnotify_find(in, vn);
	if (m) {
		struct iwatch *old = container_of(m, struct iwatch, mark);
		if (mask & INOTIFY_MASK_CREATE)
			wd = -EEXIST;
		else {
			old->mark.mask =
			    (mask & INOTIFY_MASK_ADD) ? old->mark.mask | events : events;
			old->flags = mask & ~FSN_ALL_EVENTS;
			wd = old->wd;
		}
	} else if (!w)
		wd = -ENOMEM;
	else if (in->nwatches >= INOTIFY_MAX_WATCHES)
		wd = -ENOSPC;
	else {
		w->in = in;
		w->wd = wd = ++in->next_wd;
		w->flags = mask & ~FSN_ALL_EVENTS;
		w->mark.mask = events;
		w->mark.ops = &watch_ops;
		w->mark.owner = in;
		fsnotify_add(&w->mark, vn);
		list_push_back(&in->watches, &w->node);
		in->nwatches++;
		w = NULL;
	}
	fsnotify_unlock();
	kfree(w);
	return wd;
}

int inotify_remove(struct kobj *o, int wd)
{
	struct inotify *in;
	struct list *pos;
	int err = -EINVAL;

	if (!inotify_is(o))
		return -EINVAL;
	in = to_in(o);
	fsnotify_lock();
	list_for_each(pos, &in->watches)
	{
		struct iwatch *w = list_entry(pos, struct iwatch, node);
		if (w->wd == wd) {
			fsnotify_remove(&w->mark);
			watch_gone(&w->mark);
			err = 0;
			break;
		}
	}
	fsnotify_unlock();
	return err;
}

static ssize_t inotify_read(struct kobj *o, struct iobuf *io)
{
	struct inotify *in = to_in(o);
	size_t done = 0;
	int err = 0;

	mutex_lock(&in->read_lock);
	spin_lock(&in->lock);
	while (list_empty(&in->events)) {
		err = (o->flags & O_NONBLOCK) ? -EAGAIN : wq_sleep(&in->wq, &in->lock);
		if (err < 0)
			break;
	}
	while (err == 0 && !list_empty(&in->events)) {
		struct ievent *e = list_entry(in->events.next, struct ievent, node);
		size_t n = event_size(e);
		if (n > io->len) {
			err = done ? 0 : -EINVAL;
			break;
		}
		/* the only reader: e stays first while the lock is dropped */
		spin_unlock(&in->lock);
		err = iobuf_put(io, &e->wd, n);
		spin_lock(&in->lock);
		if (err < 0)
			break;
		list_remove(&e->node);
		in->nevents--;
		in->bytes -= n;
		kfree(e);
		done += n;
	}
	spin_unlock(&in->lock);
	mutex_unlock(&in->read_lock);
	if (err < 0 && !(err == -EFAULT && done))
		return err;
	return (ssize_t)done;
}

static unsigned inotify_poll(struct kobj *o, struct poll_table *pt)
{
	struct inotify *in = to_in(o);
	unsigned mask;

	poll_wait(pt, o, &in->wq);
	spin_lock(&in->lock);
	mask = list_empty(&in->events) ? 0 : POLLIN | POLLRDNORM;
	spin_unlock(&in->lock);
	return mask;
}

static long inotify_nread(struct kobj *o)
{
	struct inotify *in = to_in(o);
	long n;

	spin_lock(&in->lock);
	n = (long)in->bytes;
	spin_unlock(&in->lock);
	return n;
}

static int inotify_stat(struct kobj *o, struct vattr *va)
{
	anon_stat(va, to_in(o)->ino);
	return 0;
}

static void inotify_release(struct kobj *o)
{
	struct inotify *in = to_in(o);
	struct list *pos, *tmp;

	fsnotify_lock();
	list_for_each_safe(pos, tmp, &in->watches)
	{
		struct iwatch *w = list_entry(pos, struct iwatch, node);
		fsnotify_remove(&w->mark);
		list_remove(&w->node);
		kfree(w);
	}
	fsnotify_unlock();
	list_for_each_safe(pos, tmp, &in->events)
	{
		list_remove(pos);
		kfree(list_entry(pos, struct ievent, node));
	}
	kfree(in);
}

static const struct kobj_ops inotify_ops = {
    .type = "inotify",
    .read = inotify_read,
    .seek = anon_seek,
    .stat = inotify_stat,
    .poll = inotify_poll,
    .nread = inotify_nread,
    .release = inotify_release,
};

int inotify_create(unsigned status, struct kobj **out)
{
	struct inotify *in = kzalloc(sizeof(*in));

	if (!in)
		return -ENOMEM;
	spin_init(&in->lock, "inotify");
	wq_init(&in->wq, "inotify");
	mutex_init(&in->read_lock, "inotify read");
	list_init(&in->events);
	list_init(&in->watches);
	in->ino = anon_ino_next();
	kobj_init(&in->obj, &inotify_ops, KOBJ_READ | (status & O_NONBLOCK));
	*out = &in->obj;
	return 0;
}
