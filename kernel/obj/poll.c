/*
 * The one-shot poll waiter (see poll.h).  Each wait queue an object
 * names gets a callback entry; the callback marks the waiter triggered
 * and wakes the task sleeping on the waiter's own queue.  A wake-up that
 * comes between a scan and the sleep is kept in `triggered`, so it is
 * never lost.
 */
#include "obj/poll.h"

#include "core/kernel.h"
#include "mm/kmalloc.h"

struct poll_entry {
	struct wq_entry wait;
	struct poll_waiter *waiter;
	struct waitqueue *wq;
	struct kobj *obj;
};

#define POLL_BLOCK_ENTRIES 28

struct poll_block {
	struct poll_block *next;
	int used;
	struct poll_entry entries[POLL_BLOCK_ENTRIES];
};

/* Runs under wq's lock, possibly in an interrupt handler. */
static void poll_entry_woken(struct wq_entry *we)
{
	struct poll_waiter *w = container_of(we, struct poll_entry, wait)->waiter;
	spin_lock(&w->lock);
	w->triggered = true;
	wq_wake_all(&w->wq);
	spin_unlock(&w->lock);
}

static struct poll_entry *new_entry(struct poll_waiter *w)
{
	struct poll_block *b = w->blocks;
	if (!b || b->used == POLL_BLOCK_ENTRIES) {
		b = kmalloc(sizeof(*b));
		if (!b)
			return NULL;
		b->used = 0;
		b->next = w->blocks;
		w->blocks = b;
	}
	return &b->entries[b->used++];
}

static void queue_entry(struct poll_table *pt, struct kobj *o, struct waitqueue *wq)
{
	struct poll_waiter *w = container_of(pt, struct poll_waiter, pt);
	struct poll_entry *e = new_entry(w);
	if (!e) {
		w->error = -ENOMEM;
		return;
	}
	e->waiter = w;
	e->wq = wq;
	e->obj = kobj_get(o);
	wq_add_callback(wq, &e->wait, poll_entry_woken);
}

void poll_waiter_init(struct poll_waiter *w)
{
	w->pt.queue = queue_entry;
	spin_init(&w->lock, "poll");
	wq_init(&w->wq, "poll-wait");
	w->triggered = false;
	w->error = 0;
	w->blocks = NULL;
}

struct poll_table *poll_waiter_table(struct poll_waiter *w)
{
	return &w->pt;
}

void poll_waiter_registered(struct poll_waiter *w)
{
	w->pt.queue = NULL;
}

int poll_waiter_sleep(struct poll_waiter *w, uint64_t deadline_ns)
{
	int r = 0;
	spin_lock(&w->lock);
	while (!w->triggered && r == 0)
		r = deadline_ns ? wq_sleep_until(&w->wq, &w->lock, deadline_ns)
		                : wq_sleep(&w->wq, &w->lock);
	if (w->triggered)
		r = 0;
	w->triggered = false;
	spin_unlock(&w->lock);
	return r;
}

void poll_waiter_destroy(struct poll_waiter *w)
{
	struct poll_block *b = w->blocks;
	while (b) {
		struct poll_block *next = b->next;
		for (int i = 0; i < b->used; i++) {
			struct poll_entry *e = &b->entries[i];
			wq_remove(e->wq, &e->wait);
			kobj_put(e->obj);
		}
		kfree(b);
		b = next;
	}
	w->blocks = NULL;
}
