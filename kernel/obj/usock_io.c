/*
 * Local sockets: sending and receiving (see usock_impl.h for the
 * locking).  A sender is charged what it has queued and not yet read
 * (its wmem) and blocks while that reaches its send buffer size, as on
 * Linux (charged what the messages really take of the heap); a stream
 * send is cut into messages of at most STREAM_CHUNK bytes.  Datagrams and records are received
 * whole or truncated; a stream read runs over message boundaries, except that passed objects arrive
 * with the first byte of the data they were sent with, and a read stops after them.
 */
#include <scarlet/abi.h>

#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "obj/poll.h"
#include "obj/usock_impl.h"
#include "proc/task.h"

/* a stream message with its header is one 64 KiB block */
#define STREAM_CHUNK   (65536 - sizeof(struct umsg))
#define DGRAM_HEADROOM 32 /* a datagram may be at most sndbuf - this */

/* Copies n bytes from the vectors into dst, advancing them; no lock. */
static int gather(struct iobuf *iov, int niov, char *dst, size_t n)
{
	for (int i = 0; i < niov && n; i++) {
		size_t k = MIN(n, iov[i].len);
		if (k && iobuf_get(&iov[i], dst, k) < 0)
			return -EFAULT;
		dst += k;
		n -= k;
	}
	return 0;
}

/* Copies up to n bytes of src into the vectors; returns what was copied
 * (short only on a fault, the faulting piece left out); no lock. */
static size_t scatter(struct iobuf *iov, int niov, const char *src, size_t n)
{
	size_t done = 0;
	for (int i = 0; i < niov && done < n; i++) {
		size_t k = MIN(n - done, iov[i].len);
		if (k && iobuf_put(&iov[i], src + done, k) < 0)
			break;
		done += k;
	}
	return done;
}

static size_t iov_total(const struct iobuf *iov, int niov)
{
	size_t t = 0;
	for (int i = 0; i < niov; i++)
		t += iov[i].len;
	return t;
}

/* A message of len bytes filled from the vectors, with m's passed
 * objects and credentials moved into it when first. */
static int umsg_make(struct usock_msg *m, size_t len, bool first, struct umsg **out)
{
	struct umsg *u = kzalloc(sizeof(*u) + len);
	if (!u)
		return -ENOMEM;
	if (gather(m->iov, m->niov, u->data, len) < 0) {
		kfree(u);
		return -EFAULT;
	}
	u->len = len;
	u->truesize = kmalloc_size(sizeof(*u) + len);
	u->cred = m->cred;
	if (first) {
		u->rights = m->rights;
		u->nrights = m->nrights;
		m->rights = NULL;
		m->nrights = 0;
	}
	*out = u;
	return 0;
}

static void drop_rights(struct usock_msg *m)
{
	for (int i = 0; i < m->nrights; i++)
		kobj_put(m->rights[i]);
	kfree(m->rights);
	m->rights = NULL;
	m->nrights = 0;
}

/* Waits for room to send (our wmem under sndbuf); lock held.  0 or
 * -EAGAIN/-EINTR; -EPIPE when we may no longer send. */
static int wait_room(struct usock *s, bool nonblock, uint64_t deadline)
{
	while (s->wmem >= s->sndbuf) {
		if (s->shut & USOCK_SHUT_WR)
			return -EPIPE;
		if (nonblock)
			return -EAGAIN;
		int r = usock_wait(&s->wwait, deadline);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Links u into t's queue, charging s; lock held. */
static void enqueue(struct usock *s, struct usock *t, struct umsg *u)
{
	usock_ref(s);
	u->sender = s;
	s->wmem += u->truesize;
	list_push_back(&t->queue, &u->node);
	usock_rights_queued(u->rights, u->nrights);
	t->qbytes += u->len;
	t->qlen++;
	wq_wake_all(&t->rwait);
}

static ssize_t send_stream(struct usock *s, struct usock_msg *m, bool nonblock)
{
	size_t total = iov_total(m->iov, m->niov), done = 0;
	ssize_t r = 0;
	spin_lock(&usock_lock);
	uint64_t deadline = usock_deadline(s, true);
	spin_unlock(&usock_lock);
	do {
		spin_lock(&usock_lock);
		size_t chunk = MIN(total - done, MIN((size_t)STREAM_CHUNK, s->sndbuf / 2 - 64));
		spin_unlock(&usock_lock);
		struct umsg *u;
		r = umsg_make(m, chunk, done == 0, &u);
		if (r < 0)
			break;
		spin_lock(&usock_lock);
		r = wait_room(s, nonblock, deadline);
		if (r == 0 && s->state != US_CONNECTED)
			r = -ENOTCONN;
		else if (r == 0 && ((s->shut & USOCK_SHUT_WR) || !s->peer || s->peer->dead ||
		                    (s->peer->shut & USOCK_SHUT_RD)))
			r = -EPIPE;
		if (r == 0 && (chunk || u->nrights)) {
			enqueue(s, s->peer, u);
			u = NULL;
		}
		spin_unlock(&usock_lock);
		if (u)
			umsg_free(u);
		if (r < 0)
			break;
		done += chunk;
	} while (done < total);
	if (r == -EPIPE && !(m->flags & USOCK_NOSIGNAL))
		signal_send(current(), SIGPIPE);
	return done ? (ssize_t)done : r;
}

/* The destination of a datagram or record, referenced. */
static int datagram_target(struct usock *s, struct fs_struct *fs, struct usock_msg *m,
                           struct usock **out)
{
	if (m->has_addr && m->addr.len && !usock_connection_based(s))
		return usock_lookup(fs, &m->addr, out);
	int r = 0;
	spin_lock(&usock_lock);
	if (usock_connection_based(s) && s->state != US_CONNECTED)
		r = -ENOTCONN;
	else if (!s->peer)
		r = -ENOTCONN;
	else
		usock_ref(*out = s->peer);
	spin_unlock(&usock_lock);
	return r;
}

/* May s's datagram go into t's queue now?  Lock held.  0, 1 to wait for
 * room, or -ERRNO. */
static int datagram_check(struct usock *s, struct usock *t)
{
	if (s->shut & USOCK_SHUT_WR)
		return -EPIPE;
	if (t->dead) {
		if (usock_connection_based(s))
			return -EPIPE;
		return -ECONNREFUSED;
	}
	if (t->type != s->type)
		return -EPROTOTYPE;
	if (!usock_connection_based(s) && t->peer && t->peer != s)
		return -EPERM;
	if (t->shut & USOCK_SHUT_RD)
		return -EPIPE;
	return s->wmem >= s->sndbuf ? 1 : 0;
}

static ssize_t send_datagram(struct usock *s, struct fs_struct *fs, struct usock_msg *m,
                             bool nonblock)
{
	size_t len = iov_total(m->iov, m->niov);
	spin_lock(&usock_lock);
	bool too_big = len + DGRAM_HEADROOM > s->sndbuf;
	spin_unlock(&usock_lock);
	if (too_big)
		return -EMSGSIZE;
	struct usock *t;
	int r = datagram_target(s, fs, m, &t);
	if (r < 0)
		return r;
	struct umsg *u = NULL;
	r = umsg_make(m, len, true, &u);
	if (r == 0 && !usock_connection_based(s)) {
		u->from = kmalloc(sizeof(*u->from));
		if (!u->from)
			r = -ENOMEM;
	}
	if (r < 0) {
		if (u)
			umsg_free(u);
		usock_unref(t);
		return r;
	}
	spin_lock(&usock_lock);
	uint64_t deadline = usock_deadline(s, true);
	while ((r = datagram_check(s, t)) == 1) {
		if (nonblock) {
			r = -EAGAIN;
			break;
		}
		r = usock_wait(&s->wwait, deadline);
		if (r < 0)
			break;
	}
	if (r == -ECONNREFUSED && s->peer == t) {
		s->peer = NULL; /* as Linux: the dead peer is forgotten */
		usock_unref(t);
	}
	if (r == 0) {
		if (u->from) {
			if (s->passcred && !s->addr.len)
				usock_autobind_locked(s);
			*u->from = s->addr;
		}
		enqueue(s, t, u);
		u = NULL;
	}
	spin_unlock(&usock_lock);
	usock_unref(t);
	if (u)
		umsg_free(u);
	return r < 0 ? r : (ssize_t)len;
}

ssize_t usock_send(struct kobj *o, struct fs_struct *fs, struct usock_msg *m)
{
	struct usock *s = to_usock(o);
	bool nonblock = (o->flags & O_NONBLOCK) || (m->flags & USOCK_DONTWAIT);
	if (!m->has_cred)
		m->cred = usock_cred_current(false);
	ssize_t r;
	if (s->type == USOCK_STREAM) {
		if (m->has_addr && m->addr.len) {
			spin_lock(&usock_lock);
			r = s->state == US_CONNECTED ? -EISCONN : -EOPNOTSUPP;
			spin_unlock(&usock_lock);
		} else {
			r = send_stream(s, m, nonblock);
		}
	} else {
		r = send_datagram(s, fs, m, nonblock);
	}
	drop_rights(m); /* those not sent */
	return r;
}

/* ------------------------------------------------------------ receiving */

/* Waits until s has a message and the reading turn is free; lock held.
 * Returns 1 with a message at the head (the turn not yet taken), 0 at
 * end of data, or -ERRNO. */
static int wait_message(struct usock *s, bool nonblock, uint64_t deadline)
{
	for (;;) {
		int r;
		if (s->reading) {
			r = wq_sleep(&s->turn, &usock_lock);
		} else if (!list_empty(&s->queue)) {
			return 1;
		} else if (s->err) {
			r = s->err;
			s->err = 0;
			return r;
		} else if (s->shut & USOCK_SHUT_RD) {
			return 0;
		} else if (nonblock) {
			return -EAGAIN;
		} else {
			r = usock_wait(&s->rwait, deadline);
		}
		if (r < 0)
			return r;
	}
}

/* Moves the peek offset (SO_PEEK_OFF, when in use) on by n bytes peeked,
 * or back by n bytes taken; lock held. */
static void peek_off_move(struct usock *s, bool peek, size_t n)
{
	int *off = &s->opts.peek_off;
	if (*off < 0)
		return;
	if (peek)
		*off = (int)MIN((size_t)*off + n, (size_t)INT32_MAX);
	else
		*off = (size_t)*off > n ? *off - (int)n : 0;
}

/* Waits for a datagram past the peek offset *skip (lock held, the turn
 * free); on 1, *out is the one to read and *skip the offset within it.
 * Without an offset, the first. */
static int wait_datagram(struct usock *s, bool peek, bool nonblock, uint64_t deadline,
                         struct umsg **out, size_t *skip)
{
	for (;;) {
		int r = wait_message(s, nonblock, deadline);
		if (r <= 0)
			return r;
		size_t off = peek && s->opts.peek_off > 0 ? (size_t)s->opts.peek_off : 0;
		struct list *pos;
		list_for_each(pos, &s->queue)
		{
			struct umsg *u = list_entry(pos, struct umsg, node);
			if (!off || off < u->len) {
				*out = u;
				*skip = off;
				return 1;
			}
			off -= u->len;
		}
		/* every datagram is before the offset: wait for another */
		if (nonblock)
			return -EAGAIN;
		r = usock_wait(&s->rwait, deadline);
		if (r < 0)
			return r;
	}
}

static void end_turn(struct usock *s)
{
	s->reading = false;
	wq_wake_all(&s->turn);
}

/* Hands u's passed objects (and credentials) to the receiver: moved, or
 * with new references when peeking; lock held. */
static int take_rights(struct umsg *u, struct usock_msg *m, bool peek)
{
	m->cred = u->cred;
	m->has_cred = true;
	if (!u->nrights)
		return 0;
	struct kobj **r = u->rights;
	if (peek) {
		r = kmalloc(sizeof(*r) * (size_t)u->nrights);
		if (!r)
			return -ENOMEM;
		for (int i = 0; i < u->nrights; i++)
			r[i] = kobj_get(u->rights[i]);
	} else {
		usock_rights_unqueued(u->rights, u->nrights);
		u->rights = NULL;
	}
	m->rights = r;
	m->nrights = u->nrights;
	if (!peek)
		u->nrights = 0;
	return 0;
}

static ssize_t recv_datagram(struct usock *s, struct usock_msg *m, bool nonblock)
{
	size_t want = iov_total(m->iov, m->niov);
	bool peek = m->flags & USOCK_PEEK;
	spin_lock(&usock_lock);
	struct umsg *u;
	size_t skip;
	int r = wait_datagram(s, peek, nonblock, usock_deadline(s, false), &u, &skip);
	if (r <= 0) {
		spin_unlock(&usock_lock);
		return r;
	}
	size_t ulen = u->len - skip;
	s->reading = true;
	spin_unlock(&usock_lock);
	size_t n = MIN(want, ulen);
	size_t got = scatter(m->iov, m->niov, u->data + skip, n);
	spin_lock(&usock_lock);
	end_turn(s);
	if (got < n) {
		spin_unlock(&usock_lock);
		return -EFAULT;
	}
	if (u->from) {
		m->addr = *u->from;
		m->has_addr = true;
	}
	r = take_rights(u, m, peek);
	if (r == 0 && !peek) {
		umsg_unlink(u);
		s->qbytes -= u->len;
		s->qlen--;
	}
	if (r == 0)
		peek_off_move(s, peek, peek ? n : u->len);
	spin_unlock(&usock_lock);
	if (r < 0)
		return r;
	if (n < ulen)
		m->out |= USOCK_OUT_TRUNC;
	ssize_t ret = (m->flags & USOCK_TRUNC) ? (ssize_t)ulen : (ssize_t)n;
	if (!peek)
		umsg_free(u);
	return ret;
}

static ssize_t recv_stream(struct usock *s, struct usock_msg *m, bool nonblock)
{
	size_t want = iov_total(m->iov, m->niov), copied = 0;
	size_t target = (m->flags & USOCK_WAITALL) ? want : 1;
	bool peek = m->flags & USOCK_PEEK;
	struct list done = LIST_INIT(done);
	ssize_t r = 0;
	if (want == 0)
		return 0;
	spin_lock(&usock_lock);
	uint64_t deadline = usock_deadline(s, false);
	if (!(m->flags & USOCK_WAITALL))
		target = MIN((size_t)s->opts.rcvlowat, want);
	/* peeking: bytes to pass over first (SO_PEEK_OFF) */
	size_t skip0 = peek && s->opts.peek_off > 0 ? (size_t)s->opts.peek_off : 0, skip = skip0;
	struct umsg *u = NULL; /* peeking: the last message looked at */
	while (copied < want) {
		struct list *next;
		if (peek && u) {
			next = u->node.next;
			if (next == &s->queue || s->reading)
				break; /* peeking on never waits */
		} else {
			if (copied >= target && list_empty(&s->queue))
				break;
			r = wait_message(s, nonblock, deadline);
			if (r <= 0)
				break;
			next = s->queue.next;
		}
		u = list_entry(next, struct umsg, node);
		if (skip && skip >= u->len - u->off) {
			skip -= u->len - u->off;
			if (u->node.next != &s->queue)
				continue;
			/* all there is lies before the peek offset */
			if (s->shut & USOCK_SHUT_RD) {
				r = 0;
				break;
			}
			r = nonblock ? -EAGAIN : usock_wait(&s->rwait, deadline);
			if (r < 0)
				break;
			skip = skip0;
			u = NULL;
			continue;
		}
		if (copied && u->nrights)
			break; /* its objects come with its first byte */
		s->reading = true;
		spin_unlock(&usock_lock);
		size_t n = MIN(want - copied, u->len - u->off - skip);
		size_t got = scatter(m->iov, m->niov, u->data + u->off + skip, n);
		spin_lock(&usock_lock);
		end_turn(s);
		skip = 0;
		peek_off_move(s, peek, got);
		if (got == 0 && n) {
			r = -EFAULT;
			break;
		}
		copied += got;
		bool had_rights = u->nrights;
		r = take_rights(u, m, peek);
		if (r < 0)
			break;
		if (!peek) {
			u->off += got;
			s->qbytes -= got;
			if (u->off == u->len) {
				umsg_unlink(u);
				s->qlen--;
				list_push_back(&done, &u->node);
			}
		}
		if (got < n || had_rights)
			break;
	}
	spin_unlock(&usock_lock);
	while (!list_empty(&done)) {
		struct umsg *d = list_first_entry(&done, struct umsg, node);
		list_remove(&d->node);
		umsg_free(d);
	}
	return copied ? (ssize_t)copied : r;
}

ssize_t usock_recv(struct kobj *o, struct usock_msg *m)
{
	struct usock *s = to_usock(o);
	bool nonblock = (o->flags & O_NONBLOCK) || (m->flags & USOCK_DONTWAIT);
	m->rights = NULL;
	m->nrights = 0;
	m->has_addr = false;
	m->addr.len = 0;
	m->has_cred = false;
	m->out = 0;
	if (usock_connection_based(s)) {
		spin_lock(&usock_lock);
		enum usock_state st = s->state;
		spin_unlock(&usock_lock);
		if (st != US_CONNECTED)
			return s->type == USOCK_STREAM ? -EINVAL : -ENOTCONN;
	}
	if (s->type == USOCK_STREAM)
		return recv_stream(s, m, nonblock);
	return recv_datagram(s, m, nonblock);
}

/* ------------------------------------------------------------ as a kobj */

ssize_t usock_obj_read(struct kobj *o, struct iobuf *io)
{
	struct usock_msg m = {.iov = io, .niov = 1};
	ssize_t r = usock_recv(o, &m);
	drop_rights(&m);
	return r;
}

ssize_t usock_obj_write(struct kobj *o, struct iobuf *io)
{
	struct usock_msg m = {.iov = io, .niov = 1};
	return usock_send(o, NULL, &m);
}

/* As Linux's unix_poll and unix_dgram_poll. */
unsigned usock_obj_poll(struct kobj *o, struct poll_table *pt)
{
	struct usock *s = to_usock(o);
	unsigned mask = 0;
	poll_wait(pt, o, &s->rwait);
	poll_wait(pt, o, &s->wwait);
	spin_lock(&usock_lock);
	if (s->err)
		mask |= POLLERR;
	if (s->shut == (USOCK_SHUT_RD | USOCK_SHUT_WR))
		mask |= POLLHUP;
	if (s->shut & USOCK_SHUT_RD)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (!list_empty(&s->queue))
		mask |= POLLIN | POLLRDNORM;
	if (usock_connection_based(s) && s->state == US_UNCONNECTED)
		mask |= POLLHUP;
	if (s->state != US_LISTENING && s->wmem * 4 <= s->sndbuf)
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	spin_unlock(&usock_lock);
	return mask;
}

long usock_obj_nread(struct kobj *o)
{
	struct usock *s = to_usock(o);
	long n = 0;
	spin_lock(&usock_lock);
	if (s->state == US_LISTENING)
		n = -EINVAL;
	else if (s->type == USOCK_DGRAM && !list_empty(&s->queue))
		n = (long)list_first_entry(&s->queue, struct umsg, node)->len;
	else
		n = (long)s->qbytes;
	spin_unlock(&usock_lock);
	return n;
}
