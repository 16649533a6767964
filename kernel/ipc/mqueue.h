/*
 * POSIX message queues.  A queue has a name in one flat, system-wide
 * namespace (Linux's mqueue filesystem, which is not mounted here), an
 * owner and mode like a file, and holds up to maxmsg messages of at most
 * msgsize bytes, received highest priority first and in arrival order
 * within a priority.  Opening a queue gives an object (obj/kobj.h) that
 * the handle table holds like any descriptor: it is pollable, reads give
 * Linux's status line, and its O_NONBLOCK is the descriptor's.
 *
 * One process at a time may ask to be told (by a signal, or SIGEV_NONE)
 * when a message arrives on the empty queue; the registration ends with
 * that notification, with mq_notify(NULL), when the last reference to
 * the open description it was made through goes, or with its process.
 *
 * Messages cross user memory outside the queue's lock: the caller fills
 * mq_msg_new's message before mq_send and empties the one mq_receive
 * hands back.
 */
#ifndef IPC_MQUEUE_H
#define IPC_MQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/list.h"

struct kobj;

/* Linux's number; guarded, as another part may add it to errno.h */
#ifndef EMSGSIZE
#define EMSGSIZE 90
#endif

#define MQ_NAME_MAX     255
#define MQ_PRIO_MAX     32768
#define MQ_MAXMSG_DFL   10   /* and the unprivileged limit (msg_max) */
#define MQ_MSGSIZE_DFL  8192 /* and the unprivileged limit (msgsize_max) */
#define MQ_MAXMSG_HARD  65536
#define MQ_MSGSIZE_HARD (16 * 1024 * 1024)
#define MQ_QUEUES_MAX   256 /* queues in all (Linux's queues_max); euid 0 passes */

/* mq_open flags (the open(2) bits they mirror) */
#define MQ_O_READ     0x1
#define MQ_O_WRITE    0x2
#define MQ_O_CREAT    0x4
#define MQ_O_EXCL     0x8
#define MQ_O_NONBLOCK 0x10
#define MQ_O_BADACC   0x20 /* access mode 3: EINVAL for an existing queue */

struct mq_attr_k {
	long flags; /* MQ_O_NONBLOCK of the description */
	long maxmsg, msgsize, curmsgs;
};

/* numbered as POSIX's sigev_notify on Linux, which the status line shows */
enum mq_notify_kind { MQ_NOTIFY_SIGNAL = 0, MQ_NOTIFY_NONE = 1 };

struct mq_notify_k {
	enum mq_notify_kind kind;
	int signo; /* MQ_NOTIFY_SIGNAL; 0 sends nothing, as on Linux */
	uint64_t value;
};

struct mq_msg {
	struct list node;
	unsigned prio;
	size_t len;
	char data[];
};

/* Opens (or creates, with MQ_O_CREAT) the queue name (no '/', at most
 * MQ_NAME_MAX bytes); attr NULL takes the defaults.  -EACCES (name with
 * '/' or empty, or the mode denies the access), -ENAMETOOLONG, -ENOENT,
 * -EEXIST, -EINVAL (attr out of limits, MQ_O_BADACC), -ENOSPC (there are
 * MQ_QUEUES_MAX queues), -ENOMEM. */
int mq_open(const char *name, int flags, uint32_t mode, const struct mq_attr_k *attr,
            struct kobj **out);
/* Removes the name; the queue lives while it is open.  -ENOENT, -EACCES
 * (a bad name, or not the owner). */
int mq_unlink(const char *name);
bool mq_is(struct kobj *o);
/* The queue's message size limit (for the caller's buffer). */
size_t mq_msgsize(struct kobj *o);
struct mq_msg *mq_msg_new(size_t len);
void mq_msg_free(struct mq_msg *m);
/* Queues m (owned by the queue on success): -EBADF (not open for
 * writing), -EMSGSIZE, -EAGAIN (full and non-blocking), -ETIMEDOUT
 * (deadline, monotonic ns, 0: none), -EINTR. */
int mq_send(struct kobj *o, struct mq_msg *m, uint64_t deadline_ns);
/* Takes the first message for a buffer of len bytes: -EBADF, -EMSGSIZE
 * (len below msgsize), -EAGAIN, -ETIMEDOUT, -EINTR. */
int mq_receive(struct kobj *o, size_t len, uint64_t deadline_ns, struct mq_msg **out);
/* Registers the running process for notification (n NULL: removes its
 * registration): -EBUSY when another one is registered. */
int mq_notify(struct kobj *o, const struct mq_notify_k *n);
/* mq_getsetattr: *old (if given) before; the description's non-blocking
 * flag set from *nonblock when given. */
void mq_getsetattr(struct kobj *o, const bool *nonblock, struct mq_attr_k *old);

#endif
