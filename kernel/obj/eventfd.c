/*
 * Event counters (see eventfd.h).  Reads and writes move exactly 8
 * bytes (a smaller buffer is EINVAL); the value crosses user memory only
 * with the lock dropped.
 */
#include "obj/eventfd.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "obj/anon.h"
#include "obj/kobj.h"
#include "obj/poll.h"
#include "proc/wait.h"

#define EVENTFD_MAX (UINT64_MAX - 1)

struct eventfd {
	struct kobj obj;
	struct spinlock lock;
	struct waitqueue wq; /* readers and writers both wait here */
	uint64_t count;
	bool semaphore;
	uint64_t ino;
};

static struct eventfd *to_eventfd(struct kobj *o)
{
	return container_of(o, struct eventfd, obj);
}

static ssize_t eventfd_read(struct kobj *o, struct iobuf *io)
{
	struct eventfd *e = to_eventfd(o);
	if (io->len < sizeof(uint64_t))
		return -EINVAL;
	spin_lock(&e->lock);
	while (e->count == 0) {
		int r = (o->flags & O_NONBLOCK) ? -EAGAIN : wq_sleep(&e->wq, &e->lock);
		if (r < 0) {
			spin_unlock(&e->lock);
			return r;
		}
	}
	uint64_t v = e->semaphore ? 1 : e->count;
	e->count -= v;
	wq_wake_all(&e->wq);
	spin_unlock(&e->lock);
	int r = iobuf_put(io, &v, sizeof(v));
	return r < 0 ? r : (ssize_t)sizeof(v);
}

static ssize_t eventfd_write(struct kobj *o, struct iobuf *io)
{
	struct eventfd *e = to_eventfd(o);
	uint64_t v;
	if (io->len < sizeof(v))
		return -EINVAL;
	int r = iobuf_get(io, &v, sizeof(v));
	if (r < 0)
		return r;
	if (v == UINT64_MAX)
		return -EINVAL;
	spin_lock(&e->lock);
	while (EVENTFD_MAX - e->count < v) {
		r = (o->flags & O_NONBLOCK) ? -EAGAIN : wq_sleep(&e->wq, &e->lock);
		if (r < 0) {
			spin_unlock(&e->lock);
			return r;
		}
	}
	e->count += v;
	if (v)
		wq_wake_all(&e->wq);
	spin_unlock(&e->lock);
	return sizeof(v);
}

static unsigned eventfd_poll(struct kobj *o, struct poll_table *pt)
{
	struct eventfd *e = to_eventfd(o);
	unsigned mask = 0;
	poll_wait(pt, o, &e->wq);
	spin_lock(&e->lock);
	if (e->count > 0)
		mask |= POLLIN | POLLRDNORM;
	if (e->count < EVENTFD_MAX)
		mask |= POLLOUT | POLLWRNORM;
	spin_unlock(&e->lock);
	return mask;
}

static int eventfd_stat(struct kobj *o, struct vattr *va)
{
	anon_stat(va, to_eventfd(o)->ino);
	return 0;
}

static void eventfd_release(struct kobj *o)
{
	kfree(to_eventfd(o));
}

static const struct kobj_ops eventfd_ops = {
    .type = "eventfd",
    .read = eventfd_read,
    .write = eventfd_write,
    .seek = anon_seek,
    .stat = eventfd_stat,
    .poll = eventfd_poll,
    .release = eventfd_release,
};

int eventfd_create(uint64_t initval, bool semaphore, unsigned status, struct kobj **out)
{
	struct eventfd *e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	spin_init(&e->lock, "eventfd");
	wq_init(&e->wq, "eventfd");
	e->count = initval;
	e->semaphore = semaphore;
	e->ino = anon_ino_next();
	kobj_init(&e->obj, &eventfd_ops, KOBJ_READ | KOBJ_WRITE | (status & O_NONBLOCK));
	*out = &e->obj;
	return 0;
}
