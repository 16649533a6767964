/*
 * Collecting cycles of local sockets (see usock_impl.h).  A socket whose
 * object is passed in a message sits in another (or its own) socket's
 * queue with a reference; if that queue's socket is itself only held by
 * messages in flight, nobody can ever receive them, and the references
 * keep each other alive.  Like Linux, the collector looks at the sockets
 * in flight, all under usock_lock:
 *
 *   - candidates: sockets every reference of which is a message in
 *     flight (object refcount == inflight): no descriptor, no system
 *     call in progress, no poll holds them, so only a receive from a
 *     queue could hand them out again, and that needs the lock;
 *   - each candidate's count starts at its inflight and loses one for
 *     every message in a candidate's queue that carries it;
 *   - a candidate with references left is reachable from outside, and so
 *     is everything in its queue, transitively;
 *   - the others are garbage: their queues are dropped, which puts the
 *     references and releases the cycle.
 *
 * A listening socket's queue holds connections; their own queues count
 * as part of the listener's contents.
 */
#include "core/kernel.h"
#include "obj/usock_impl.h"

/* Sockets with inflight > 0. */
static struct list inflight_list = LIST_INIT(inflight_list);
static bool gc_running;
/* A close came while the collector ran: it runs again before it stops,
 * so that the last close of a cycle is never missed. */
static bool gc_again;

static struct usock *as_usock(struct kobj *o)
{
	return usock_is(o) ? to_usock(o) : NULL;
}

void usock_rights_queued(struct kobj **rights, int n)
{
	for (int i = 0; i < n; i++) {
		struct usock *s = rights[i] ? as_usock(rights[i]) : NULL;
		if (s && s->inflight++ == 0)
			list_push_back(&inflight_list, &s->gc_node);
	}
}

void usock_rights_unqueued(struct kobj **rights, int n)
{
	for (int i = 0; i < n; i++) {
		struct usock *s = rights[i] ? as_usock(rights[i]) : NULL;
		if (s && --s->inflight == 0)
			list_remove(&s->gc_node);
	}
}

typedef void (*visit_fn)(struct usock *carried);

static void visit_queue(struct list *queue, visit_fn fn)
{
	struct list *it;
	list_for_each(it, queue)
	{
		struct umsg *m = list_entry(it, struct umsg, node);
		for (int i = 0; i < m->nrights; i++) {
			struct usock *c = as_usock(m->rights[i]);
			if (c && c->gc_candidate)
				fn(c);
		}
		if (m->conn)
			visit_queue(&m->conn->queue, fn);
	}
}

static void lose_one(struct usock *c)
{
	c->gc_count--;
}

static bool marked;

static void mark_reachable(struct usock *c)
{
	c->gc_candidate = false;
	marked = true;
}

/* One pass (gc_running set by the caller). */
static void collect(void)
{
	struct list garbage = LIST_INIT(garbage);
	struct list *it;
	spin_lock(&usock_lock);
	list_for_each(it, &inflight_list)
	{
		struct usock *s = list_entry(it, struct usock, gc_node);
		int refs = __atomic_load_n(&s->obj.refcount, __ATOMIC_ACQUIRE);
		s->gc_candidate = refs == s->inflight;
		s->gc_count = s->inflight;
	}
	list_for_each(it, &inflight_list)
	{
		struct usock *s = list_entry(it, struct usock, gc_node);
		if (s->gc_candidate)
			visit_queue(&s->queue, lose_one);
	}
	/* Reachable from outside: a candidate with references left; then
	 * what those carry, until nothing changes. */
	list_for_each(it, &inflight_list)
	{
		struct usock *s = list_entry(it, struct usock, gc_node);
		if (s->gc_candidate && s->gc_count > 0)
			s->gc_candidate = false;
	}
	do {
		marked = false;
		list_for_each(it, &inflight_list)
		{
			struct usock *s = list_entry(it, struct usock, gc_node);
			if (!s->gc_candidate)
				visit_queue(&s->queue, mark_reachable);
		}
	} while (marked);
	/* Garbage: empty each queue.  Unlinking takes sockets off the list
	 * being walked, so the walk starts over after each one. */
	for (bool again = true; again;) {
		again = false;
		list_for_each(it, &inflight_list)
		{
			struct usock *s = list_entry(it, struct usock, gc_node);
			if (!s->gc_candidate)
				continue;
			s->gc_candidate = false;
			while (!list_empty(&s->queue)) {
				struct umsg *m = list_first_entry(&s->queue, struct umsg, node);
				umsg_unlink(m);
				list_push_back(&garbage, &m->node);
			}
			s->qbytes = 0;
			s->qlen = 0;
			again = true;
			break;
		}
	}
	spin_unlock(&usock_lock);
	/* Dropping the messages releases the sockets of the cycle (whose own
	 * close finds the collector running and returns). */
	while (!list_empty(&garbage)) {
		struct umsg *m = list_first_entry(&garbage, struct umsg, node);
		list_remove(&m->node);
		umsg_free(m);
	}
}

void usock_gc(void)
{
	spin_lock(&usock_lock);
	if (gc_running) {
		gc_again = true;
		spin_unlock(&usock_lock);
		return;
	}
	gc_running = true;
	do {
		gc_again = false;
		if (list_empty(&inflight_list))
			break;
		spin_unlock(&usock_lock);
		collect();
		spin_lock(&usock_lock);
	} while (gc_again);
	gc_running = false;
	spin_unlock(&usock_lock);
}
