/*
 * Pipes (see pipe.h).  Data moves between the ring and the caller's
 * buffer in contiguous chunks, never byte by byte.
 *
 * The copy to or from the caller's buffer may fault a user page in, which
 * can sleep (a file mapping's page read from disk), so it never faults
 * under the spinlock.  When every page it touches is present, the copy is
 * made under the lock in nofault mode (core/uaccess.h), as cheap as ever.
 * Otherwise it is made with the lock dropped: one reader and one writer at
 * a time may do that (the reading and writing flags; others wait for their
 * turn), a reader copying out [head, head+n) of what is in the ring, a
 * writer into free space past head+count, and neither region moves until
 * the copier takes the lock again and commits what it copied.  A reader
 * and a writer may thus copy at the same time, on different bytes.
 */
#include "obj/pipe.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "obj/poll.h"
#include "proc/task.h"
#include "proc/wait.h"

#define PIPE_ORDER 4
#define PIPE_SIZE  (PAGE_SIZE << PIPE_ORDER)

struct pipe {
	struct spinlock lock;
	char *buf;
	size_t head; /* next byte to read */
	size_t count;
	int readers, writers;
	bool reading, writing; /* a reader, a writer copies with the lock dropped */
	int turn_waiters;      /* tasks sleeping on turn */
	struct waitqueue can_read, can_write;
	struct waitqueue turn; /* for reading and writing to clear */
	uint64_t ino;
};

struct pipe_end {
	struct kobj obj;
	struct pipe *pipe;
};

static struct pipe *end_pipe(struct kobj *o)
{
	return container_of(o, struct pipe_end, obj)->pipe;
}

/* Copies n bytes of the ring from pos into io, without the lock (the
 * caller has the reading turn).  Returns the bytes copied: less than n
 * only when io faulted, the whole of a piece that faulted being left
 * out. */
static size_t ring_to_io(struct pipe *p, size_t pos, size_t n, struct iobuf *io)
{
	size_t done = 0;
	while (done < n) {
		size_t chunk = MIN(n - done, PIPE_SIZE - pos);
		if (iobuf_put(io, p->buf + pos, chunk) < 0)
			break;
		pos = (pos + chunk) % PIPE_SIZE;
		done += chunk;
	}
	return done;
}

/* Copies n bytes of io into the ring's free space at pos, without the
 * lock (the caller has the writing turn); returns them as ring_to_io. */
static size_t io_to_ring(struct pipe *p, size_t pos, size_t n, struct iobuf *io)
{
	size_t done = 0;
	while (done < n) {
		size_t chunk = MIN(n - done, PIPE_SIZE - pos);
		if (iobuf_get(io, p->buf + pos, chunk) < 0)
			break;
		pos = (pos + chunk) % PIPE_SIZE;
		done += chunk;
	}
	return done;
}

/* Sleeps until the copier ahead of us is done; lock held. */
static int wait_turn(struct pipe *p)
{
	p->turn_waiters++;
	int r = wq_sleep(&p->turn, &p->lock);
	p->turn_waiters--;
	return r;
}

/* Ends a copy: the next copier may start; lock held. */
static void end_turn(struct pipe *p, bool *flag)
{
	*flag = false;
	if (p->turn_waiters)
		wq_wake_all(&p->turn);
}

typedef size_t (*ring_copy_fn)(struct pipe *p, size_t pos, size_t n, struct iobuf *io);

/* Moves n bytes between the ring at pos and io with fn; lock held on
 * entry and on return, no other copier of the caller's kind (*turn
 * clear).  Under the lock if io's pages are all there, else with the lock
 * dropped and *turn set meanwhile.  Returns the bytes moved (see
 * ring_to_io). */
static size_t ring_copy(struct pipe *p, ring_copy_fn fn, size_t pos, size_t n, struct iobuf *io,
                        bool *turn)
{
	struct iobuf saved = *io;
	io->nofault = true;
	size_t got = fn(p, pos, n, io);
	io->nofault = saved.nofault;
	io->faulted = saved.faulted;
	if (got == n)
		return n;
	*io = saved; /* what the try moved is moved again */
	*turn = true;
	spin_unlock(&p->lock);
	got = fn(p, pos, n, io);
	spin_lock(&p->lock);
	end_turn(p, turn);
	return got;
}

/* Waits until the caller may copy out of the ring; lock held.  Returns 1,
 * 0 at end of file, or -EAGAIN/-EINTR. */
static int wait_readable(struct pipe *p, bool nonblock)
{
	for (;;) {
		int r;
		if (p->reading) {
			r = wait_turn(p);
		} else if (p->count > 0) {
			return 1;
		} else if (p->writers == 0) {
			return 0;
		} else if (nonblock) {
			return -EAGAIN;
		} else {
			r = wq_sleep(&p->can_read, &p->lock);
		}
		if (r < 0)
			return r;
	}
}

static ssize_t pipe_read(struct kobj *o, struct iobuf *io)
{
	struct pipe *p = end_pipe(o);
	if (io->len == 0)
		return 0;
	spin_lock(&p->lock);
	int r = wait_readable(p, o->flags & O_NONBLOCK);
	if (r <= 0) {
		spin_unlock(&p->lock);
		return r;
	}
	size_t n = MIN(io->len, p->count);
	size_t got = ring_copy(p, ring_to_io, p->head, n, io, &p->reading);
	p->head = (p->head + got) % PIPE_SIZE;
	p->count -= got;
	if (got > 0)
		wq_wake_all(&p->can_write);
	spin_unlock(&p->lock);
	return got > 0 ? (ssize_t)got : -EFAULT;
}

/* Waits until the caller may copy `left` bytes into the ring (all of them
 * when left <= PIPE_BUF: small writes go in whole or not at all); lock
 * held.  Returns the room there is, -EPIPE with no reader left, or
 * -EAGAIN/-EINTR. */
static ssize_t wait_writable(struct pipe *p, size_t left, bool nonblock)
{
	for (;;) {
		int r;
		size_t room = PIPE_SIZE - p->count;
		if (p->readers == 0)
			return -EPIPE;
		if (p->writing)
			r = wait_turn(p);
		else if (room > 0 && (left > PIPE_BUF || room >= left))
			return (ssize_t)room;
		else if (nonblock)
			return -EAGAIN;
		else
			r = wq_sleep(&p->can_write, &p->lock);
		if (r < 0)
			return r;
	}
}

static ssize_t pipe_write(struct kobj *o, struct iobuf *io)
{
	struct pipe *p = end_pipe(o);
	size_t total = io->len, done = 0;
	ssize_t r = 0;
	spin_lock(&p->lock);
	while (done < total) {
		r = wait_writable(p, total - done, o->flags & O_NONBLOCK);
		if (r < 0)
			break;
		size_t n = MIN((size_t)r, total - done);
		size_t pos = (p->head + p->count) % PIPE_SIZE;
		size_t got = ring_copy(p, io_to_ring, pos, n, io, &p->writing);
		p->count += got;
		done += got;
		if (got > 0)
			wq_wake_all(&p->can_read);
		if (got < n) {
			r = -EFAULT;
			break;
		}
	}
	spin_unlock(&p->lock);
	if (r == -EPIPE)
		signal_send(current(), SIGPIPE);
	return done ? (ssize_t)done : r;
}

static int pipe_stat(struct kobj *o, struct vattr *va)
{
	struct pipe *p = end_pipe(o);
	memset(va, 0, sizeof(*va));
	va->mode = S_IFIFO | 0600;
	va->ino = p->ino;
	va->nlink = 1;
	spin_lock(&p->lock);
	va->size = p->count;
	spin_unlock(&p->lock);
	return 0;
}

/* As Linux: a read end is readable with data, hung up with no writer
 * left; a write end is writable when PIPE_BUF bytes fit (a small write
 * would not block), in error with no reader left. */
static unsigned pipe_poll(struct kobj *o, struct poll_table *pt)
{
	struct pipe *p = end_pipe(o);
	bool reader = o->flags & KOBJ_READ;
	unsigned mask = 0;
	poll_wait(pt, o, reader ? &p->can_read : &p->can_write);
	spin_lock(&p->lock);
	if (reader) {
		if (p->count > 0)
			mask |= POLLIN | POLLRDNORM;
		if (p->writers == 0)
			mask |= POLLHUP;
	} else {
		if (PIPE_SIZE - p->count >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (p->readers == 0)
			mask |= POLLERR;
	}
	spin_unlock(&p->lock);
	return mask;
}

static long pipe_nread(struct kobj *o)
{
	struct pipe *p = end_pipe(o);
	spin_lock(&p->lock);
	long n = (long)p->count;
	spin_unlock(&p->lock);
	return n;
}

static void pipe_release(struct kobj *o)
{
	struct pipe_end *e = container_of(o, struct pipe_end, obj);
	struct pipe *p = e->pipe;
	spin_lock(&p->lock);
	if (o->flags & KOBJ_WRITE)
		p->writers--;
	else
		p->readers--;
	bool last = p->readers == 0 && p->writers == 0;
	wq_wake_all(&p->can_read);
	wq_wake_all(&p->can_write);
	spin_unlock(&p->lock);
	kfree(e);
	if (last) {
		page_free(p->buf, PIPE_ORDER);
		kfree(p);
	}
}

static const struct kobj_ops pipe_ops = {
    .type = "pipe",
    .read = pipe_read,
    .write = pipe_write,
    .stat = pipe_stat,
    .poll = pipe_poll,
    .nread = pipe_nread,
    .release = pipe_release,
};

int pipe_create(struct kobj *ends[2], unsigned flags)
{
	static uint64_t next_ino = 1;
	struct pipe *p = kzalloc(sizeof(*p));
	struct pipe_end *r = kzalloc(sizeof(*r)), *w = kzalloc(sizeof(*w));
	char *buf = page_alloc(PIPE_ORDER);
	if (!p || !r || !w || !buf) {
		kfree(p);
		kfree(r);
		kfree(w);
		if (buf)
			page_free(buf, PIPE_ORDER);
		return -ENOMEM;
	}
	spin_init(&p->lock, "pipe");
	wq_init(&p->can_read, "pipe-read");
	wq_init(&p->can_write, "pipe-write");
	wq_init(&p->turn, "pipe-turn");
	p->buf = buf;
	p->readers = p->writers = 1;
	p->ino = __atomic_fetch_add(&next_ino, 1, __ATOMIC_RELAXED);
	unsigned status = flags & O_NONBLOCK;
	kobj_init(&r->obj, &pipe_ops, KOBJ_READ | status);
	kobj_init(&w->obj, &pipe_ops, KOBJ_WRITE | status);
	r->pipe = w->pipe = p;
	ends[0] = &r->obj;
	ends[1] = &w->obj;
	return 0;
}
