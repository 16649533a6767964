/*
 * Signal descriptors (see signalfd.h).  Every signal sent wakes one
 * global queue (signal_sent_wq); pollers and blocked readers wait there
 * and look at their own pending set again.
 */
#include "obj/signalfd.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "obj/anon.h"
#include "obj/kobj.h"
#include "obj/poll.h"
#include "proc/signal.h"
#include "proc/task.h"

#define SIGNALFD_RECORD_MAX 256

struct signalfd {
	struct kobj obj;
	uint64_t set; /* atomic */
	const struct signalfd_format *fmt;
	uint64_t ino;
};

static const struct kobj_ops signalfd_ops;

static struct signalfd *to_signalfd(struct kobj *o)
{
	return container_of(o, struct signalfd, obj);
}

bool signalfd_is(struct kobj *o)
{
	return o->ops == &signalfd_ops;
}

static uint64_t set_of(struct signalfd *s)
{
	return __atomic_load_n(&s->set, __ATOMIC_RELAXED);
}

static unsigned signalfd_poll(struct kobj *o, struct poll_table *pt)
{
	struct signalfd *s = to_signalfd(o);
	poll_wait(pt, o, &signal_sent_wq);
	return signal_pending_in(current(), set_of(s)) ? POLLIN | POLLRDNORM : 0;
}

/* Waits until one of s's signals is pending for the current task. */
static int wait_for_signal(struct signalfd *s)
{
	struct poll_waiter w;
	int r = 0;
	poll_waiter_init(&w);
	for (;;) {
		unsigned ready = signalfd_poll(&s->obj, poll_waiter_table(&w));
		poll_waiter_registered(&w);
		if (ready)
			break;
		r = w.error ? w.error : poll_waiter_sleep(&w, 0);
		if (r < 0)
			break;
	}
	poll_waiter_destroy(&w);
	return r;
}

static ssize_t signalfd_read(struct kobj *o, struct iobuf *io)
{
	struct signalfd *s = to_signalfd(o);
	size_t size = s->fmt->record_size, done = 0;
	char rec[SIGNALFD_RECORD_MAX];
	if (io->len < size)
		return -EINVAL;
	while (io->len >= size) { /* iobuf_put consumes io->len */
		struct ksiginfo info;
		if (!signal_dequeue(current(), set_of(s), &info)) {
			if (done)
				break;
			int r = (o->flags & O_NONBLOCK) ? -EAGAIN : wait_for_signal(s);
			if (r < 0)
				return r;
			continue;
		}
		memset(rec, 0, size);
		s->fmt->encode(&info, rec);
		int r = iobuf_put(io, rec, size);
		if (r < 0)
			return done ? (ssize_t)done : r;
		done += size;
	}
	return (ssize_t)done;
}

static int signalfd_stat(struct kobj *o, struct vattr *va)
{
	anon_stat(va, to_signalfd(o)->ino);
	return 0;
}

static void signalfd_release(struct kobj *o)
{
	kfree(to_signalfd(o));
}

static const struct kobj_ops signalfd_ops = {
    .type = "signalfd",
    .read = signalfd_read,
    .seek = anon_seek,
    .stat = signalfd_stat,
    .poll = signalfd_poll,
    .release = signalfd_release,
};

void signalfd_set_mask(struct kobj *o, uint64_t set)
{
	__atomic_store_n(&to_signalfd(o)->set, set & ~SIG_UNBLOCKABLE, __ATOMIC_RELAXED);
}

int signalfd_create(uint64_t set, unsigned status, const struct signalfd_format *fmt,
                    struct kobj **out)
{
	if (fmt->record_size > SIGNALFD_RECORD_MAX)
		return -EINVAL;
	struct signalfd *s = kzalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->fmt = fmt;
	s->ino = anon_ino_next();
	kobj_init(&s->obj, &signalfd_ops, KOBJ_READ | KOBJ_WRITE | (status & O_NONBLOCK));
	signalfd_set_mask(&s->obj, set);
	*out = &s->obj;
	return 0;
}
