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
#include "proc/wallclock.h"

struct timerfd {
	struct kobj obj;
	struct list rt_node; /* realtime_timerfds, for a REALTIME clock */
	struct spinlock lock;
	struct waitqueue wq;
	struct ktimer timer;
	enum timerfd_clock clock;
	uint64_t next;     /* monotonic time of the next expiry; 0 = disarmed */
	uint64_t interval; /* 0 = one-shot */
	uint64_t ticks;    /* expirations not yet read */
	uint64_t ino;
	bool abs_real;     /* set for an absolute wall-clock time */
	int64_t real_off;  /* the wall clock minus the monotonic one when set */
	bool might_cancel; /* TFD_TIMER_CANCEL_ON_SET */
	bool canceled;     /* the clock was set since: the next read says so */
};

/* Every REALTIME timerfd, for wall-clock changes. */
static struct spinlock realtime_lock = SPINLOCK_INIT("timerfd_realtime");
static struct list realtime_timerfds = LIST_INIT(realtime_timerfds);

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
		if (tf->canceled) { /* what expired meanwhile goes with it */
			advance(tf, time_monotonic_ns());
			tf->canceled = false;
			tf->ticks = 0;
			spin_unlock(&tf->lock);
			return -ECANCELED;
		}
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
	unsigned mask = tf->ticks || tf->canceled ? POLLIN | POLLRDNORM : 0;
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

void timerfd_set(struct kobj *o, bool absolute, bool cancel_on_set, const struct timerfd_spec *set,
                 struct timerfd_spec *old)
{
	struct timerfd *tf = to_timerfd(o);
	spin_lock(&tf->lock);
	uint64_t now = time_monotonic_ns();
	if (old)
		get_locked(tf, now, old);
	tf->ticks = 0;
	tf->abs_real = absolute && tf->clock == TIMERFD_REALTIME;
	tf->real_off = time_realtime_ns() - (int64_t)now;
	tf->might_cancel = tf->abs_real && cancel_on_set;
	tf->canceled = false;
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

/* The wall clock was set (under its lock): absolute settings move with
 * it, or are cancelled. */
static void clock_was_set(void)
{
	struct list *pos;
	spin_lock(&realtime_lock);
	list_for_each(pos, &realtime_timerfds)
	{
		struct timerfd *tf = list_entry(pos, struct timerfd, rt_node);
		spin_lock(&tf->lock);
		uint64_t now = time_monotonic_ns();
		int64_t off = time_realtime_ns() - (int64_t)now, d = off - tf->real_off;
		tf->real_off = off;
		if (tf->abs_real && tf->next && d) {
			advance(tf, now); /* what was due stays due */
			if (tf->next) {
				/* the clock went forward by d: the time comes d sooner */
				int64_t next = (int64_t)tf->next - d;
				tf->next = next > (int64_t)now ? (uint64_t)next : (now ? now : 1);
				ktimer_arm(&tf->timer, tf->next);
			}
			if (tf->might_cancel)
				tf->canceled = true;
			wq_wake_all(&tf->wq);
		}
		spin_unlock(&tf->lock);
	}
	spin_unlock(&realtime_lock);
}

static struct wallclock_notifier notifier = {.fn = clock_was_set};

static void timerfd_release(struct kobj *o)
{
	struct timerfd *tf = to_timerfd(o);
	if (tf->clock == TIMERFD_REALTIME) {
		spin_lock(&realtime_lock);
		list_remove(&tf->rt_node);
		spin_unlock(&realtime_lock);
	}
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
	if (clock == TIMERFD_REALTIME) {
		static int registered;
		if (!__atomic_exchange_n(&registered, 1, __ATOMIC_ACQ_REL))
			wallclock_notify(&notifier);
		spin_lock(&realtime_lock);
		list_push_back(&realtime_timerfds, &tf->rt_node);
		spin_unlock(&realtime_lock);
	}
	*out = &tf->obj;
	return 0;
}
