/*
 * Event polling instances (see epoll.h).
 *
 * Each item puts a callback entry (a hook) on every wait queue its
 * object's poll operation names.  A wake-up of any of them puts the item
 * on the ready list; a wait then asks the object (kobj_poll, no table)
 * what is really ready, reports it, and keeps a level-triggered item on
 * the list for the next wait.
 *
 * Locks, outermost first:
 *  - epoll_global (mutex): item lists of the objects, adding, removing;
 *  - ep->mtx (mutex): ep's items and every scan of its ready list (so an
 *    item and its object stay alive while a scan polls it without a
 *    spinlock; a nested instance's mtx comes after its parent's);
 *  - the objects' own locks and wait queue locks (a hook runs under one);
 *  - ep->lock (spinlock): the ready list and the items' event masks.
 */
#include "obj/epoll.h"

#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "obj/anon.h"
#include "obj/kobj.h"
#include "obj/poll.h"
#include "proc/mutex.h"
#include "proc/task.h"

#define EP_FLAG_BITS  (EPOLL_EXCLUSIVE | EPOLL_WAKEUP | EPOLL_ONESHOT | EPOLL_ET)
#define EP_EVENT_BITS (~(uint32_t)EP_FLAG_BITS)
/* What EPOLL_EXCLUSIVE may come with (Linux's EPOLLEXCLUSIVE_OK_BITS). */
#define EP_EXCLUSIVE_OK                                                                            \
	(POLLIN | POLLRDNORM | POLLRDBAND | POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR |          \
	 POLLHUP | EPOLL_WAKEUP | EPOLL_ET | EPOLL_EXCLUSIVE)
#define EP_HOOKS_MAX 4
/* Longest chain of instances below the one being added to (Linux's). */
#define EP_NEST_MAX 4

struct epitem;

struct ep_hook {
	struct wq_entry wait;
	struct waitqueue *wq;
	struct epitem *item;
};

struct epoll {
	struct kobj obj;
	struct mutex mtx;
	struct spinlock lock;
	struct list items;        /* of epitem.ep_node */
	struct list ready;        /* of epitem.ready_node */
	struct waitqueue wq;      /* epoll_wait sleepers */
	struct waitqueue poll_wq; /* pollers of the instance itself */
	uint64_t ino;
};

struct epitem {
	struct list ep_node;    /* ep->items */
	struct list obj_node;   /* obj->epoll_items */
	struct list ready_node; /* ep->ready, or a scan's batch */
	bool on_ready;          /* ready_node is on some list (ep->lock) */
	bool woken;             /* woken while its scan ran (ep->lock) */
	struct epoll *ep;
	struct kobj *obj;
	int fd;
	uint32_t events; /* interest and flags; 0 events = disabled one-shot */
	uint64_t data;
	struct poll_table pt;
	int nhooks;
	bool hook_error;
	struct ep_hook hooks[EP_HOOKS_MAX];
};

static struct mutex epoll_global = {
    .lk = SPINLOCK_INIT("epoll"),
    .wq = {.lock = SPINLOCK_INIT("epoll"), .waiters = LIST_INIT(epoll_global.wq.waiters)},
    .locked = false,
    .owner = NULL,
};

static const struct kobj_ops epoll_ops;

static struct epoll *to_epoll(struct kobj *o)
{
	return container_of(o, struct epoll, obj);
}

bool epoll_is(struct kobj *o)
{
	return o->ops == &epoll_ops;
}

/* ---------------------------------------------------------- ready list */

/* ep->lock held. */
static void ep_make_ready(struct epoll *ep, struct epitem *it)
{
	if (it->on_ready) {
		it->woken = true;
	} else {
		list_push_back(&ep->ready, &it->ready_node);
		it->on_ready = true;
	}
	wq_wake_all(&ep->wq);
	wq_wake_all(&ep->poll_wq);
}

/* A hook's wake-up: runs under the object's wait queue lock, maybe in an
 * interrupt handler. */
static void ep_hook_woken(struct wq_entry *we)
{
	struct epitem *it = container_of(we, struct ep_hook, wait)->item;
	struct epoll *ep = it->ep;
	spin_lock(&ep->lock);
	if (it->events & EP_EVENT_BITS)
		ep_make_ready(ep, it);
	spin_unlock(&ep->lock);
}

static void ep_queue_hook(struct poll_table *pt, struct kobj *o, struct waitqueue *wq)
{
	struct epitem *it = container_of(pt, struct epitem, pt);
	(void)o;
	if (it->nhooks == EP_HOOKS_MAX) {
		it->hook_error = true;
		return;
	}
	struct ep_hook *h = &it->hooks[it->nhooks++];
	h->wq = wq;
	h->item = it;
	wq_add_callback(wq, &h->wait, ep_hook_woken);
}

/*
 * Reports the ready items (ep->mtx held) into out, at most max; with out
 * NULL only tells whether one is ready (1 or 0), consuming nothing.  The
 * ready list moves to a private batch, so the objects are polled without
 * ep->lock; an item stays ready when level-triggered, not reached, or
 * woken again meanwhile (a hook only sets `woken` while it is in the
 * batch).
 */
static int ep_scan(struct epoll *ep, struct epoll_report *out, int max)
{
	struct list batch;
	int n = 0;
	list_init(&batch);
	spin_lock(&ep->lock);
	while (!list_empty(&ep->ready)) {
		struct list *node = ep->ready.next;
		list_remove(node);
		list_push_back(&batch, node);
		list_entry(node, struct epitem, ready_node)->woken = false;
	}
	spin_unlock(&ep->lock);
	while (!list_empty(&batch) && !(out ? n == max : n > 0)) {
		struct epitem *it = list_first_entry(&batch, struct epitem, ready_node);
		list_remove(&it->ready_node);
		uint32_t want = it->events;
		uint32_t got = kobj_poll(it->obj, NULL) & want & EP_EVENT_BITS;
		bool keep = false;
		if (got && !out) {
			n = 1;
			keep = true;
		} else if (got) {
			out[n].events = got;
			out[n++].data = it->data;
			keep = !(want & (EPOLL_ET | EPOLL_ONESHOT));
		}
		spin_lock(&ep->lock);
		if (got && out && (want & EPOLL_ONESHOT))
			it->events &= EP_FLAG_BITS;
		if (keep || it->woken)
			list_push_back(&ep->ready, &it->ready_node);
		else
			it->on_ready = false;
		it->woken = false;
		spin_unlock(&ep->lock);
	}
	/* Items not reached go first next time, as on Linux. */
	spin_lock(&ep->lock);
	while (!list_empty(&batch)) {
		struct list *last = batch.prev;
		list_remove(last);
		list_push_front(&ep->ready, last);
	}
	/* Another waiter may have found the list empty while it was ours. */
	if (out && !list_empty(&ep->ready))
		wq_wake_all(&ep->wq);
	spin_unlock(&ep->lock);
	return n;
}

/* ---------------------------------------------------------- items */

static struct epitem *ep_find(struct epoll *ep, int fd, struct kobj *obj)
{
	struct list *pos;
	list_for_each(pos, &ep->items)
	{
		struct epitem *it = list_entry(pos, struct epitem, ep_node);
		if (it->fd == fd && it->obj == obj)
			return it;
	}
	return NULL;
}

/* Unhooks and frees it; epoll_global held, and ep->mtx unless ep is
 * being freed. */
static void ep_remove(struct epoll *ep, struct epitem *it)
{
	for (int i = 0; i < it->nhooks; i++)
		wq_remove(it->hooks[i].wq, &it->hooks[i].wait);
	list_remove(&it->obj_node);
	list_remove(&it->ep_node);
	spin_lock(&ep->lock);
	if (it->on_ready)
		list_remove(&it->ready_node);
	spin_unlock(&ep->lock);
	kfree(it);
}

static int ep_insert(struct epoll *ep, int fd, struct kobj *obj, uint32_t events, uint64_t data)
{
	struct epitem *it = kzalloc(sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->ep = ep;
	it->obj = obj;
	it->fd = fd;
	it->events = events;
	it->data = data;
	it->pt.queue = ep_queue_hook;
	list_init(&it->ready_node);
	list_push_back(&ep->items, &it->ep_node);
	list_push_back(&obj->epoll_items, &it->obj_node);
	uint32_t got = kobj_poll(obj, &it->pt) & events & EP_EVENT_BITS;
	if (it->hook_error) {
		printk("epoll: a %s object names more than %d wait queues\n", obj->ops->type,
		       EP_HOOKS_MAX);
		ep_remove(ep, it);
		return -ENOMEM;
	}
	if (got) {
		spin_lock(&ep->lock);
		ep_make_ready(ep, it);
		spin_unlock(&ep->lock);
	}
	return 0;
}

static void ep_modify(struct epoll *ep, struct epitem *it, uint32_t events, uint64_t data)
{
	spin_lock(&ep->lock);
	it->events = events;
	it->data = data;
	spin_unlock(&ep->lock);
	if (kobj_poll(it->obj, NULL) & events & EP_EVENT_BITS) {
		spin_lock(&ep->lock);
		ep_make_ready(ep, it);
		spin_unlock(&ep->lock);
	}
}

/* True when adding target (an epoll) under ep would close a loop or make
 * a chain deeper than EP_NEST_MAX; epoll_global held. */
static bool ep_would_loop(struct epoll *ep, struct epoll *target, int depth)
{
	if (target == ep || depth > EP_NEST_MAX)
		return true;
	struct list *pos;
	list_for_each(pos, &target->items)
	{
		struct epitem *it = list_entry(pos, struct epitem, ep_node);
		if (epoll_is(it->obj) && ep_would_loop(ep, to_epoll(it->obj), depth + 1))
			return true;
	}
	return false;
}

static int ep_check_events(enum epoll_op op, struct kobj *target, uint32_t events)
{
	if (op == EPOLL_OP_DEL || !(events & EPOLL_EXCLUSIVE))
		return 0;
	if (op == EPOLL_OP_MOD || epoll_is(target) || (events & ~(uint32_t)EP_EXCLUSIVE_OK))
		return -EINVAL;
	return 0;
}

static int ep_control_locked(struct epoll *ep, enum epoll_op op, int fd, struct kobj *target,
                             uint32_t events, uint64_t data)
{
	struct epitem *it = ep_find(ep, fd, target);
	switch (op) {
	case EPOLL_OP_ADD:
		if (it)
			return -EEXIST;
		if (epoll_is(target) && ep_would_loop(ep, to_epoll(target), 1))
			return -ELOOP;
		return ep_insert(ep, fd, target, events, data);
	case EPOLL_OP_MOD:
		if (!it)
			return -ENOENT;
		if (it->events & EPOLL_EXCLUSIVE)
			return -EINVAL;
		ep_modify(ep, it, events, data);
		return 0;
	case EPOLL_OP_DEL:
		if (!it)
			return -ENOENT;
		ep_remove(ep, it);
		return 0;
	}
	return -EINVAL;
}

int epoll_control(struct kobj *epo, enum epoll_op op, int fd, struct kobj *target, uint32_t events,
                  uint64_t data)
{
	/* Linux's order: EPERM before EINVAL */
	if (!target->ops->poll)
		return -EPERM;
	if (!epoll_is(epo) || target == epo)
		return -EINVAL;
	if (op != EPOLL_OP_ADD && op != EPOLL_OP_MOD && op != EPOLL_OP_DEL)
		return -EINVAL;
	int r = ep_check_events(op, target, events);
	if (r < 0)
		return r;
	/* As Linux: errors and hang-ups are always of interest. */
	events |= POLLERR | POLLHUP;
	struct epoll *ep = to_epoll(epo);
	mutex_lock(&epoll_global);
	mutex_lock(&ep->mtx);
	r = ep_control_locked(ep, op, fd, target, events, data);
	mutex_unlock(&ep->mtx);
	mutex_unlock(&epoll_global);
	return r;
}

void epoll_object_release(struct kobj *o)
{
	mutex_lock(&epoll_global);
	while (!list_empty(&o->epoll_items)) {
		struct epitem *it = list_first_entry(&o->epoll_items, struct epitem, obj_node);
		struct epoll *ep = it->ep;
		mutex_lock(&ep->mtx);
		ep_remove(ep, it);
		mutex_unlock(&ep->mtx);
	}
	mutex_unlock(&epoll_global);
}

/* ---------------------------------------------------------- waiting */

int epoll_wait(struct kobj *epo, struct epoll_report *out, int max, uint64_t deadline, bool zero)
{
	if (!epoll_is(epo))
		return -EINVAL;
	struct epoll *ep = to_epoll(epo);
	bool timed_out = false;
	for (;;) {
		mutex_lock(&ep->mtx);
		int n = ep_scan(ep, out, max);
		mutex_unlock(&ep->mtx);
		if (n > 0 || zero || timed_out)
			return n;
		if (signal_pending(current()))
			return -EINTR;
		int r = 0;
		spin_lock(&ep->lock);
		if (list_empty(&ep->ready))
			r = deadline ? wq_sleep_until(&ep->wq, &ep->lock, deadline)
			             : wq_sleep(&ep->wq, &ep->lock);
		spin_unlock(&ep->lock);
		if (r == -ETIMEDOUT)
			timed_out = true;
	}
}

/* ---------------------------------------------------------- the object */

static unsigned epoll_poll(struct kobj *o, struct poll_table *pt)
{
	struct epoll *ep = to_epoll(o);
	poll_wait(pt, o, &ep->poll_wq);
	mutex_lock(&ep->mtx);
	int ready = ep_scan(ep, NULL, 0);
	mutex_unlock(&ep->mtx);
	return ready ? POLLIN | POLLRDNORM : 0;
}

static int epoll_stat(struct kobj *o, struct vattr *va)
{
	anon_stat(va, to_epoll(o)->ino);
	return 0;
}

static void epoll_release(struct kobj *o)
{
	struct epoll *ep = to_epoll(o);
	mutex_lock(&epoll_global);
	while (!list_empty(&ep->items))
		ep_remove(ep, list_first_entry(&ep->items, struct epitem, ep_node));
	mutex_unlock(&epoll_global);
	kfree(ep);
}

static const struct kobj_ops epoll_ops = {
    .type = "eventpoll",
    .seek = anon_seek,
    .stat = epoll_stat,
    .poll = epoll_poll,
    .release = epoll_release,
};

int epoll_create(struct kobj **out)
{
	struct epoll *ep = kzalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	mutex_init(&ep->mtx, "epoll");
	spin_init(&ep->lock, "epoll");
	list_init(&ep->items);
	list_init(&ep->ready);
	wq_init(&ep->wq, "epoll-wait");
	wq_init(&ep->poll_wq, "epoll-poll");
	ep->ino = anon_ino_next();
	kobj_init(&ep->obj, &epoll_ops, KOBJ_READ | KOBJ_WRITE);
	*out = &ep->obj;
	return 0;
}
