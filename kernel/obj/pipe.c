/*
 * Pipes (see pipe.h).  Data moves between the ring and the caller's
 * buffer in contiguous chunks, never byte by byte.
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
	struct waitqueue can_read, can_write;
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

/* Copies up to n bytes from the ring into io; lock held. */
static int ring_to_io(struct pipe *p, struct iobuf *io, size_t n)
{
	while (n > 0) {
		size_t chunk = MIN(n, PIPE_SIZE - p->head);
		int r = iobuf_put(io, p->buf + p->head, chunk);
		if (r < 0)
			return r;
		p->head = (p->head + chunk) % PIPE_SIZE;
		p->count -= chunk;
		n -= chunk;
	}
	return 0;
}

static int io_to_ring(struct pipe *p, struct iobuf *io, size_t n)
{
	while (n > 0) {
		size_t tail = (p->head + p->count) % PIPE_SIZE;
		size_t chunk = MIN(n, PIPE_SIZE - tail);
		int r = iobuf_get(io, p->buf + tail, chunk);
		if (r < 0)
			return r;
		p->count += chunk;
		n -= chunk;
	}
	return 0;
}

static ssize_t pipe_read(struct kobj *o, struct iobuf *io)
{
	struct pipe *p = end_pipe(o);
	size_t want = io->len;
	if (want == 0)
		return 0;
	spin_lock(&p->lock);
	while (p->count == 0 && p->writers > 0) {
		int r = (o->flags & O_NONBLOCK) ? -EAGAIN : wq_sleep(&p->can_read, &p->lock);
		if (r < 0) {
			spin_unlock(&p->lock);
			return r;
		}
	}
	size_t n = MIN(want, p->count);
	int r = ring_to_io(p, io, n);
	if (p->count < PIPE_SIZE)
		wq_wake_all(&p->can_write);
	spin_unlock(&p->lock);
	return r < 0 ? r : (ssize_t)n;
}

static ssize_t pipe_write(struct kobj *o, struct iobuf *io)
{
	struct pipe *p = end_pipe(o);
	size_t total = io->len, done = 0;
	spin_lock(&p->lock);
	while (done < total) {
		if (p->readers == 0) {
			spin_unlock(&p->lock);
			signal_send(current(), SIGPIPE);
			return done ? (ssize_t)done : -EPIPE;
		}
		size_t room = PIPE_SIZE - p->count;
		size_t left = total - done;
		/* small writes go in whole or not at all */
		if (room == 0 || (left <= PIPE_BUF && room < left)) {
			int r =
			    (o->flags & O_NONBLOCK) ? -EAGAIN : wq_sleep(&p->can_write, &p->lock);
			if (r < 0) {
				spin_unlock(&p->lock);
				return done ? (ssize_t)done : r;
			}
			continue;
		}
		size_t n = MIN(room, left);
		int r = io_to_ring(p, io, n);
		wq_wake_all(&p->can_read);
		if (r < 0) {
			spin_unlock(&p->lock);
			return done ? (ssize_t)done : r;
		}
		done += n;
	}
	spin_unlock(&p->lock);
	return (ssize_t)done;
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
