/*
 * Timer objects (see timerfd.h).  Expirations are counted from the clock
 * whenever the state is looked at (read, poll, get), so a periodic timer
 * nobody reads costs nothing; the kernel timer only wakes the waiters at
 * the first expiry after a setting or a read.
 */
#include "obj/timerfd.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "core/time.h"
#include "mm/kmalloc.h"
#include "obj/anon.h"
#include "obj/kobj.h"
#include "obj/poll.h"
#include "proc/ktimer.h"
#include "proc/wait.h"

struct timerfd {
	struct kobj obj;
	struct spinlock lock;
	struct waitqueue wq;
	struct ktimer timer;
	enum timerfd_clock clock;
	uint64_t next;     /* monotonic time of the next expiry; 0 = disarmed */
	uint64_t interval; /* 0 = one-shot */
	uint64_t ticks;    /* expirations not yet read */
	uint64_t ino;
};

static const struct kobj_ops timerfd_ops;

static struct timerfd *to_timerfd(struct kobj *o)
{
	return container_of(o, struct timerfd, obj);
}

bool timerfd_is(struct kobj *o)
{
	return o->ops == &timerfd_ops;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

/* Counts the expirations up to now; lock held. */
static void advance(struct timerfd *tf, uint64_t now)
{
	if (!tf->next || now < tf->next)
		return;
	if (!tf->interval) {
		tf->ticks++;
		tf->next = 0;
		return;
	}
	uint64_t n = (now - tf->next) / tf->interval + 1;
	tf->ticks += n;
	tf->next = add_sat(tf->next, n * tf->interval);
}

/* The kernel timer: wake the waiters.  As on Linux, a periodic timer is
 * armed again only by a read, so pollers see one wake-up (one edge) per
 * read, whatever the number of expirations in between. */
static void timerfd_fire(struct ktimer *kt)
{
	struct timerfd *tf = container_of(kt, struct timerfd, timer);
	spin_lock(&tf->lock);
	wq_wake_all(&tf->wq);
	spin_unlock(&tf->lock);
}

static ssize_t timerfd_read(struct kobj *o, struct iobuf *io)
{
	struct timerfd *tf = to_timerfd(o);
	if (io->len < sizeof(uint64_t))
		return -EINVAL;
	spin_lock(&tf->lock);
	for (;;) {
		advance(tf, time_monotonic_ns());
		if (tf->ticks)
			break;
		int r = (o->flags & O_NONBLOCK) ? -EAGAIN : wq_sleep(&tf->wq, &tf->lock);
		if (r < 0) {
			spin_unlock(&tf->lock);
			return r;
		}
	}
	uint64_t v = tf->ticks;
	tf->ticks = 0;
	if (tf->next)
		ktimer_arm(&tf->timer, tf->next);
	spin_unlock(&tf->lock);
	int r = iobuf_put(io, &v, sizeof(v));
	return r < 0 ? r : (ssize_t)sizeof(v);
}

static unsigned timerfd_poll(struct kobj *o, struct poll_table *pt)
{
	struct timerfd *tf = to_timerfd(o);
	poll_wait(pt, o, &tf->wq);
	spin_lock(&tf->lock);
	advance(tf, time_monotonic_ns());
	unsigned mask = tf->ticks ? POLLIN | POLLRDNORM : 0;
	spin_unlock(&tf->lock);
	return mask;
}

/* lock held. */
static void get_locked(struct timerfd *tf, uint64_t now, struct timerfd_spec *cur)
{
	advance(tf, now);
	cur->value_ns = tf->next ? tf->next - now : 0;
	cur->interval_ns = tf->interval;
}

void timerfd_get(struct kobj *o, struct timerfd_spec *cur)
{
	struct timerfd *tf = to_timerfd(o);
	spin_lock(&tf->lock);
	get_locked(tf, time_monotonic_ns(), cur);
	spin_unlock(&tf->lock);
}

/* The monotonic deadline of a setting made at monotonic time now. */
static uint64_t deadline_of(struct timerfd *tf, bool absolute, uint64_t value, uint64_t now)
{
	if (!absolute)
		return add_sat(now, value);
	int64_t clock_now = tf->clock == TIMERFD_REALTIME ? time_realtime_ns() : (int64_t)now;
	if ((int64_t)value <= clock_now)
		return now ? now : 1; /* already due */
	return add_sat(now, value - (uint64_t)clock_now);
}

void timerfd_set(struct kobj *o, bool absolute, const struct timerfd_spec *set,
                 struct timerfd_spec *old)
{
	struct timerfd *tf = to_timerfd(o);
	spin_lock(&tf->lock);
	uint64_t now = time_monotonic_ns();
	if (old)
		get_locked(tf, now, old);
	tf->ticks = 0;
	tf->interval = set->interval_ns;
	tf->next = set->value_ns ? deadline_of(tf, absolute, set->value_ns, now) : 0;
	if (tf->next)
		ktimer_arm(&tf->timer, tf->next);
	else
		ktimer_cancel(&tf->timer);
	/* a timer set in the past is due now: pollers must look again */
	wq_wake_all(&tf->wq);
	spin_unlock(&tf->lock);
}

static int timerfd_stat(struct kobj *o, struct vattr *va)
{
	anon_stat(va, to_timerfd(o)->ino);
	return 0;
}

static void timerfd_release(struct kobj *o)
{
	struct timerfd *tf = to_timerfd(o);
	ktimer_cancel_sync(&tf->timer);
	kfree(tf);
}

static const struct kobj_ops timerfd_ops = {
    .type = "timerfd",
    .read = timerfd_read,
    .seek = anon_seek,
    .stat = timerfd_stat,
    .poll = timerfd_poll,
    .release = timerfd_release,
};

int timerfd_create(enum timerfd_clock clock, unsigned status, struct kobj **out)
{
	struct timerfd *tf = kzalloc(sizeof(*tf));
	if (!tf)
		return -ENOMEM;
	spin_init(&tf->lock, "timerfd");
	wq_init(&tf->wq, "timerfd");
	ktimer_init(&tf->timer, timerfd_fire);
	tf->clock = clock;
	tf->ino = anon_ino_next();
	kobj_init(&tf->obj, &timerfd_ops, KOBJ_READ | KOBJ_WRITE | (status & O_NONBLOCK));
	*out = &tf->obj;
	return 0;
}
