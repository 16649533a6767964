/*
 * Waiting for kernel objects to become ready.
 *
 * An object's poll operation reports which events are ready now and
 * hands each wait queue that announces changes to poll_wait().  What
 * poll_wait() does is up to the poll table the caller passed: the
 * one-shot waiter below queues a callback entry that wakes the polling
 * task (ppoll, select); an epoll instance can pass a table of its own
 * whose entries stay queued and mark items ready.  With a NULL table
 * the object only reports its state.
 *
 * Event values are the usual ones (Linux's, which POSIX leaves open).
 * POLLERR, POLLHUP and POLLNVAL are reported whether asked for or not.
 */
#ifndef OBJ_POLL_H
#define OBJ_POLL_H

#include <stdbool.h>
#include <stdint.h>

#include "obj/kobj.h"
#include "proc/wait.h"

#define POLLIN     0x0001
#define POLLPRI    0x0002
#define POLLOUT    0x0004
#define POLLERR    0x0008
#define POLLHUP    0x0010
#define POLLNVAL   0x0020
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200
#define POLLRDHUP  0x2000

/* Objects without a poll operation (files, directories, null...). */
#define POLL_ALWAYS_READY (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM)
/* Events reported even when not requested. */
#define POLL_ALWAYS_REPORTED (POLLERR | POLLHUP | POLLNVAL)

struct poll_table;
typedef void (*poll_queue_fn)(struct poll_table *pt, struct kobj *o, struct waitqueue *wq);

struct poll_table {
	poll_queue_fn queue; /* NULL: report only */
};

/* Called by poll operations for each wait queue of o that matters. */
static inline void poll_wait(struct poll_table *pt, struct kobj *o, struct waitqueue *wq)
{
	if (pt && pt->queue)
		pt->queue(pt, o, wq);
}

/*
 * The one-shot waiter: one task polling a set of objects until one of
 * them is ready, a timeout or a signal.  Usage:
 *
 *	poll_waiter_init(&w);
 *	for (;;) {
 *		mask = kobj_poll(o, poll_waiter_table(&w)) for each object;
 *		poll_waiter_registered(&w);   (later scans only report)
 *		if (something ready || ...) break;
 *		r = poll_waiter_sleep(&w, deadline);
 *	}
 *	poll_waiter_destroy(&w);
 *
 * Entries hold a reference to their object until destroy.
 */
struct poll_entry;
struct poll_block;

struct poll_waiter {
	struct poll_table pt;
	struct spinlock lock; /* guards triggered */
	struct waitqueue wq;  /* the polling task sleeps here */
	bool triggered;       /* a queue was woken since the last sleep */
	int error;            /* -ENOMEM when an entry could not be made */
	struct poll_block *blocks;
};

void poll_waiter_init(struct poll_waiter *w);
/* The table to pass to kobj_poll: registers while registering is on. */
struct poll_table *poll_waiter_table(struct poll_waiter *w);
/* Ends registration: later scans only report (the entries stay). */
void poll_waiter_registered(struct poll_waiter *w);
/* Sleeps until a registered queue is woken, monotonic time deadline_ns
 * passes (0: no deadline) or a signal comes.  Returns 0, -ETIMEDOUT or
 * -EINTR. */
int poll_waiter_sleep(struct poll_waiter *w, uint64_t deadline_ns);
/* Takes every entry off its queue and drops the object references. */
void poll_waiter_destroy(struct poll_waiter *w);

#endif
