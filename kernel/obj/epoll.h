/*
 * Event polling instances (Linux's epoll): a set of watched objects, each
 * with the events of interest and a 64-bit cookie, and a ready list fed
 * by the objects' wait queues.  A wait reports ready items, level- or
 * edge-triggered, optionally one-shot.
 *
 * An item is keyed by (descriptor number, object), as on Linux, and holds
 * no reference to its object: when the object's last reference goes,
 * kobj_put calls epoll_object_release, which removes every item watching
 * it.  An epoll instance is itself pollable (readable when an item is
 * ready) and can be watched by another one, without loops.
 *
 * Event bits are the POLL* values of obj/poll.h plus the flags below
 * (Linux's values).
 */
#ifndef OBJ_EPOLL_H
#define OBJ_EPOLL_H

#include <stdbool.h>
#include <stdint.h>

struct kobj;

#define EPOLL_EXCLUSIVE (1u << 28)
#define EPOLL_WAKEUP    (1u << 29)
#define EPOLL_ONESHOT   (1u << 30)
#define EPOLL_ET        (1u << 31)

enum epoll_op { EPOLL_OP_ADD = 1, EPOLL_OP_DEL = 2, EPOLL_OP_MOD = 3 };

struct epoll_report {
	uint32_t events;
	uint64_t data;
};

/* A new, empty instance.  ENOMEM. */
int epoll_create(struct kobj **out);
/* True when o is an epoll instance. */
bool epoll_is(struct kobj *o);
/*
 * Adds, changes or removes the item (fd, target) of ep.  Errors: EINVAL
 * (ep not an epoll, target is ep, bad op, EPOLL_EXCLUSIVE with MOD or
 * on an epoll target), EPERM (target cannot be polled), EEXIST (ADD
 * twice), ENOENT (MOD/DEL of no item), ELOOP (a loop or a chain of more
 * than 5 instances), ENOMEM.
 */
int epoll_control(struct kobj *ep, enum epoll_op op, int fd, struct kobj *target, uint32_t events,
                  uint64_t data);
/*
 * Waits for ready items and reports at most max of them into out.
 * deadline: monotonic ns, 0 = forever; zero = do not wait.  Returns the
 * number reported (0 at the deadline), -EINTR, -EINVAL (not an epoll).
 */
int epoll_wait(struct kobj *ep, struct epoll_report *out, int max, uint64_t deadline, bool zero);

/* For kobj_put: o is going away; removes every item watching it. */
void epoll_object_release(struct kobj *o);

#endif
