/*
 * Local sockets' insides, shared by usock.c (objects, names,
 * connections) and usock_io.c (sending and receiving).
 *
 * One spinlock, usock_lock, guards every socket's state, queues and the
 * table of names: a connection touches two or three sockets at once, and
 * a single lock has no order to get wrong.  Data never crosses user
 * memory under it: a sender fills a message with the lock dropped and
 * only links it in under the lock; a receiver holds the socket's reading
 * turn (one reader at a time) while it copies out with the lock dropped,
 * which keeps the message it copies from in place, since only readers
 * take messages off a queue.
 *
 * A socket's memory has its own count (refs), apart from the object's:
 * the object's release is close (the socket is dead, its peer sees the
 * hang-up), while peers, queued messages and waiting senders may still
 * point at the structure until they let go.
 */
#ifndef OBJ_USOCK_IMPL_H
#define OBJ_USOCK_IMPL_H

#include "core/list.h"
#include "core/spinlock.h"
#include "obj/usock.h"
#include "proc/wait.h"

struct vnode;

enum usock_state { US_UNCONNECTED, US_LISTENING, US_CONNECTED };

struct usock {
	struct kobj obj;
	int refs; /* atomic: memory references (the object holds one) */
	int type;
	enum usock_state state;
	bool dead;          /* closed */
	bool reading;       /* a reader copies with the lock dropped */
	bool passcred;      /* SO_PASSCRED */
	bool embryo;        /* made by a connect, not yet accepted */
	unsigned shut;      /* USOCK_SHUT_RD/WR: no more receiving/sending */
	int err;            /* pending error, -ERRNO or 0 */
	struct usock *peer; /* referenced */
	struct list queue;  /* struct umsg: data, or connections when listening */
	size_t qbytes;      /* data bytes queued */
	int qlen;           /* messages queued */
	size_t wmem;        /* what this socket sent that is not yet received */
	size_t sndbuf, rcvbuf;
	int backlog;
	struct usock_cred cred;     /* the owner's, at creation or listen */
	struct usock_cred peercred; /* the peer's, at connection */
	struct usock_opts opts;
	bool has_peercred;
	struct usock_addr addr;
	struct vnode *vn;       /* bound to a path: its socket inode (referenced) */
	struct list bound_node; /* in the table of names, when named */
	struct waitqueue rwait; /* data, connections, hang-ups */
	struct waitqueue wwait; /* room to send (our wmem went down), hang-ups */
	struct waitqueue turn;  /* the reading turn */
	uint64_t ino;
	/* Garbage collection (usock_gc.c): how many queued messages carry
	 * this socket's object, and the collector's marks. */
	int inflight;
	struct list gc_node; /* in the list of sockets in flight */
	bool gc_candidate;
	int gc_count;
};

/* A queued message (or, on a listening socket, a connection to accept). */
struct umsg {
	struct list node;
	struct usock *sender; /* referenced; charged truesize in its wmem */
	struct usock *conn;   /* connection: the new socket (object reference) */
	size_t truesize;
	size_t len, off; /* data bytes; off: already read (stream) */
	struct usock_cred cred;
	struct usock_addr *from; /* the sender's name (datagrams), or NULL */
	struct kobj **rights;
	int nrights;
	char data[];
};

extern struct spinlock usock_lock;

static inline struct usock *to_usock(struct kobj *o)
{
	return container_of(o, struct usock, obj);
}

static inline bool usock_connection_based(const struct usock *s)
{
	return s->type != USOCK_DGRAM;
}

/* When a wait with the socket's receive or send timeout ends (0:
 * never), for a call starting now; lock held. */
uint64_t usock_deadline(struct usock *s, bool send);
/* Sleeps on wq (lock held) until woken or deadline (0: none): 0, -EINTR,
 * or -EAGAIN when the time is up. */
int usock_wait(struct waitqueue *wq, uint64_t deadline);

void usock_ref(struct usock *s);
void usock_unref(struct usock *s);
/* The credentials of the running task: effective ids (peer credentials)
 * or real ones (message credentials). */
struct usock_cred usock_cred_current(bool effective);
/* Unlinks m from its queue and uncharges its sender; lock held.  The
 * caller frees it with umsg_free once the lock is dropped. */
void umsg_unlink(struct umsg *m);
/* Drops m's references (passed objects, sender, connection); no lock. */
void umsg_free(struct umsg *m);
/* Finds the socket named addr, referenced: ENOENT/ENOTDIR... for a path
 * that does not resolve, ECONNREFUSED when nothing listens there.  No
 * lock held (may walk the filesystem). */
int usock_lookup(struct fs_struct *fs, const struct usock_addr *addr, struct usock **out);
/* Names s with a fresh abstract name; lock held. */
int usock_autobind_locked(struct usock *s);

/* A queued message's passed objects are in flight (they count in the
 * sockets' inflight); lock held. */
void usock_rights_queued(struct kobj **rights, int n);
void usock_rights_unqueued(struct kobj **rights, int n);
/* Frees cycles of sockets that only messages in flight refer to (a
 * socket sent over itself, or two sent over each other, then closed);
 * no lock held.  Called on every close. */
void usock_gc(void);

ssize_t usock_obj_read(struct kobj *o, struct iobuf *io);
ssize_t usock_obj_write(struct kobj *o, struct iobuf *io);
unsigned usock_obj_poll(struct kobj *o, struct poll_table *pt);
long usock_obj_nread(struct kobj *o);

#endif
