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

#define PIPE_ORDER 4 /* a new pipe's buffer: 64 KiB, as Linux */

struct pipe {
	struct spinlock lock;
	char *buf;
	size_t size; /* of buf: PAGE_SIZE << order */
	unsigned order;
	size_t head; /* next byte to read */
	size_t count;
	int readers, writers;
	bool reading, writing; /* a reader, a writer copies with the lock dropped */
	int turn_waiters;      /* tasks sleeping on turn */
	struct waitqueue can_read, can_write;
	struct waitqueue turn; /* for reading and writing to clear */
	uint64_t ino;
	/* FIFOs: the file they belong to, on the fifos list under fifo_lock;
	 * users counts the ends and the opens in progress.  The counters
	 * count the opens of each side ever made, so that an open waiting
	 * for the other side sees one that came and went. */
	bool named;
	struct list fifo_node;
	const void *key;
	uint64_t key_ino;
	int users;
	unsigned r_counter, w_counter;
	struct waitqueue opened;
};

struct pipe_end {
	struct kobj obj;
	struct pipe *pipe;
	unsigned w_seen;  /* w_counter when opened (a reader's POLLHUP) */
	struct path file; /* a FIFO's file (its stat; keeps the mount busy) */
};

static struct spinlock fifo_lock = SPINLOCK_INIT("fifos");
static struct list fifos = LIST_INIT(fifos);

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
		size_t chunk = MIN(n - done, p->size - pos);
		if (iobuf_put(io, p->buf + pos, chunk) < 0)
			break;
		pos = (pos + chunk) % p->size;
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
		size_t chunk = MIN(n - done, p->size - pos);
		if (iobuf_get(io, p->buf + pos, chunk) < 0)
			break;
		pos = (pos + chunk) % p->size;
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

ssize_t pipe_read_nb(struct kobj *o, struct iobuf *io, bool nonblock, bool peek)
{
	struct pipe *p = end_pipe(o);
	if (io->len == 0)
		return 0;
	spin_lock(&p->lock);
	int r = wait_readable(p, nonblock || (o->flags & O_NONBLOCK));
	if (r <= 0) {
		spin_unlock(&p->lock);
		return r;
	}
	size_t n = MIN(io->len, p->count);
	size_t got = ring_copy(p, ring_to_io, p->head, n, io, &p->reading);
	if (!peek) {
		p->head = (p->head + got) % p->size;
		p->count -= got;
		if (got > 0)
			wq_wake_all(&p->can_write);
	}
	spin_unlock(&p->lock);
	return got > 0 ? (ssize_t)got : -EFAULT;
}

static ssize_t pipe_read(struct kobj *o, struct iobuf *io)
{
	return pipe_read_nb(o, io, false, false);
}

/* Waits until the caller may copy `left` bytes into the ring (all of them
 * when left <= PIPE_BUF: small writes go in whole or not at all); lock
 * held.  Returns the room there is, -EPIPE with no reader left, or
 * -EAGAIN/-EINTR. */
static ssize_t wait_writable(struct pipe *p, size_t left, bool nonblock)
{
	for (;;) {
		int r;
		size_t room = p->size - p->count;
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
	return pipe_write_nb(o, io, false);
}

ssize_t pipe_write_nb(struct kobj *o, struct iobuf *io, bool nonblock)
{
	struct pipe *p = end_pipe(o);
	size_t total = io->len, done = 0;
	ssize_t r = 0;
	nonblock = nonblock || (o->flags & O_NONBLOCK);
	spin_lock(&p->lock);
	while (done < total) {
		r = wait_writable(p, total - done, nonblock);
		if (r < 0)
			break;
		size_t n = MIN((size_t)r, total - done);
		size_t pos = (p->head + p->count) % p->size;
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
	struct pipe_end *e = container_of(o, struct pipe_end, obj);
	struct pipe *p = e->pipe;
	if (e->file.vn)
		return vfs_path_getattr(&e->file, va);
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
 * left (for a FIFO, once a writer has come since it opened); a write end
 * is writable when PIPE_BUF bytes fit (a small write would not block), in
 * error with no reader left.  A FIFO opened for both is both. */
static unsigned pipe_poll(struct kobj *o, struct poll_table *pt)
{
	struct pipe_end *e = container_of(o, struct pipe_end, obj);
	struct pipe *p = e->pipe;
	unsigned mask = 0;
	if (o->flags & KOBJ_READ)
		poll_wait(pt, o, &p->can_read);
	if (o->flags & KOBJ_WRITE)
		poll_wait(pt, o, &p->can_write);
	spin_lock(&p->lock);
	if (o->flags & KOBJ_READ) {
		if (p->count > 0)
			mask |= POLLIN | POLLRDNORM;
		if (p->writers == 0 && (!p->named || p->w_counter != e->w_seen))
			mask |= POLLHUP;
	}
	if (o->flags & KOBJ_WRITE) {
		if (p->size - p->count >= PIPE_BUF)
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

static void pipe_free(struct pipe *p)
{
	page_free(p->buf, p->order);
	kfree(p);
}

/* Drops a FIFO's user; the last takes it off the list and frees it (its
 * data goes with it, as on Linux). */
static void fifo_put(struct pipe *p)
{
	spin_lock(&fifo_lock);
	spin_lock(&p->lock);
	bool last = --p->users == 0;
	spin_unlock(&p->lock);
	if (last)
		list_remove(&p->fifo_node);
	spin_unlock(&fifo_lock);
	if (last)
		pipe_free(p);
}

static void pipe_release(struct kobj *o)
{
	struct pipe_end *e = container_of(o, struct pipe_end, obj);
	struct pipe *p = e->pipe;
	spin_lock(&p->lock);
	if (o->flags & KOBJ_WRITE)
		p->writers--;
	if (o->flags & KOBJ_READ)
		p->readers--;
	bool last = p->readers == 0 && p->writers == 0;
	wq_wake_all(&p->can_read);
	wq_wake_all(&p->can_write);
	spin_unlock(&p->lock);
	if (e->file.vn)
		path_put(&e->file);
	kfree(e);
	if (p->named)
		fifo_put(p);
	else if (last)
		pipe_free(p);
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

/* A pipe with no ends yet. */
static struct pipe *pipe_new(void)
{
	static uint64_t next_ino = 1;
	struct pipe *p = kzalloc(sizeof(*p));
	char *buf = page_alloc(PIPE_ORDER);
	if (!p || !buf) {
		kfree(p);
		if (buf)
			page_free(buf, PIPE_ORDER);
		return NULL;
	}
	spin_init(&p->lock, "pipe");
	wq_init(&p->can_read, "pipe-read");
	wq_init(&p->can_write, "pipe-write");
	wq_init(&p->turn, "pipe-turn");
	wq_init(&p->opened, "fifo-open");
	p->buf = buf;
	p->order = PIPE_ORDER;
	p->size = PAGE_SIZE << PIPE_ORDER;
	p->ino = __atomic_fetch_add(&next_ino, 1, __ATOMIC_RELAXED);
	return p;
}

static struct pipe_end *end_new(struct pipe *p, unsigned flags)
{
	struct pipe_end *e = kzalloc(sizeof(*e));
	if (e) {
		kobj_init(&e->obj, &pipe_ops, flags);
		e->pipe = p;
	}
	return e;
}

int pipe_create(struct kobj *ends[2], unsigned flags)
{
	struct pipe *p = pipe_new();
	unsigned status = flags & O_NONBLOCK;
	struct pipe_end *r = p ? end_new(p, KOBJ_READ | status) : NULL;
	struct pipe_end *w = r ? end_new(p, KOBJ_WRITE | status) : NULL;
	if (!w) {
		kfree(r);
		if (p)
			pipe_free(p);
		return -ENOMEM;
	}
	p->readers = p->writers = 1;
	ends[0] = &r->obj;
	ends[1] = &w->obj;
	return 0;
}

/* The FIFO of (key, ino) with one more user, made if there is none;
 * NULL without memory. */
static struct pipe *fifo_get(const void *key, uint64_t ino)
{
	struct pipe *fresh = NULL;
	for (;;) {
		struct list *pos;
		spin_lock(&fifo_lock);
		list_for_each(pos, &fifos)
		{
			struct pipe *p = list_entry(pos, struct pipe, fifo_node);
			if (p->key == key && p->key_ino == ino) {
				spin_lock(&p->lock);
				p->users++;
				spin_unlock(&p->lock);
				spin_unlock(&fifo_lock);
				if (fresh)
					pipe_free(fresh);
				return p;
			}
		}
		if (fresh) {
			fresh->named = true;
			fresh->key = key;
			fresh->key_ino = ino;
			fresh->users = 1;
			list_push_back(&fifos, &fresh->fifo_node);
			spin_unlock(&fifo_lock);
			return fresh;
		}
		spin_unlock(&fifo_lock);
		fresh = pipe_new();
		if (!fresh)
			return NULL;
	}
}

/* Waits until *counter moves from seen (an open of the other side);
 * p->lock held.  0 or -EINTR. */
static int wait_other_side(struct pipe *p, unsigned *counter, unsigned seen)
{
	while (__atomic_load_n(counter, __ATOMIC_RELAXED) == seen) {
		int r = wq_sleep(&p->opened, &p->lock);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Counts an end of access acc in; p->lock held. */
static void join(struct pipe *p, unsigned acc)
{
	if (acc & KOBJ_READ) {
		p->readers++;
		p->r_counter++;
	}
	if (acc & KOBJ_WRITE) {
		p->writers++;
		p->w_counter++;
	}
	wq_wake_all(&p->opened);
}

/* Undoes join after a failed wait; p->lock held. */
static void leave(struct pipe *p, unsigned acc)
{
	if (acc & KOBJ_READ)
		p->readers--;
	if (acc & KOBJ_WRITE)
		p->writers--;
	wq_wake_all(&p->can_read);
	wq_wake_all(&p->can_write);
}

int pipe_open_fifo(const struct path *file, int oflags, struct kobj **out)
{
	int accmode = oflags & O_ACCMODE;
	unsigned acc = accmode == O_RDONLY   ? KOBJ_READ
	               : accmode == O_WRONLY ? KOBJ_WRITE
	                                     : KOBJ_READ | KOBJ_WRITE;
	bool nonblock = oflags & O_NONBLOCK;
	struct pipe *p = fifo_get(file->vn->sb, file->vn->ino);
	struct pipe_end *e = p ? end_new(p, acc | (oflags & (O_NONBLOCK | O_APPEND))) : NULL;
	int r = 0;
	if (!e) {
		if (p)
			fifo_put(p);
		return -ENOMEM;
	}
	spin_lock(&p->lock);
	if (acc == KOBJ_WRITE && nonblock && p->readers == 0) {
		r = -ENXIO;
	} else {
		join(p, acc);
		e->w_seen = p->w_counter;
		/* alone on its side, an open waits for the other (not O_RDWR) */
		if (acc == KOBJ_READ && !nonblock && p->writers == 0)
			r = wait_other_side(p, &p->w_counter, p->w_counter);
		else if (acc == KOBJ_WRITE && p->readers == 0)
			r = wait_other_side(p, &p->r_counter, p->r_counter);
		if (r < 0)
			leave(p, acc);
	}
	spin_unlock(&p->lock);
	if (r < 0) {
		kfree(e);
		fifo_put(p);
		return r;
	}
	e->file = *file;
	path_get(&e->file);
	*out = &e->obj;
	return 0;
}

static bool is_pipe(struct kobj *o)
{
	return o->ops == &pipe_ops;
}

bool pipe_is(struct kobj *o)
{
	return is_pipe(o);
}

bool pipe_same(struct kobj *a, struct kobj *b)
{
	return end_pipe(a) == end_pipe(b);
}

long pipe_room(struct kobj *o)
{
	struct pipe *p = end_pipe(o);
	spin_lock(&p->lock);
	long room = (long)(p->size - p->count);
	spin_unlock(&p->lock);
	return room;
}

long pipe_get_size(struct kobj *o)
{
	if (!is_pipe(o))
		return -EBADF;
	return (long)end_pipe(o)->size;
}

long pipe_set_size(struct kobj *o, uint64_t want, bool privileged)
{
	if (!is_pipe(o))
		return -EBADF;
	if (want > (1ul << 31))
		return -EINVAL;
	unsigned order = 0;
	while ((PAGE_SIZE << order) < want)
		order++;
	size_t size = PAGE_SIZE << order;
	struct pipe *p = end_pipe(o);
	if (size > PIPE_MAX_SIZE && size > p->size && !privileged)
		return -EPERM;
	if (order > PAGE_MAX_ORDER)
		return -ENOMEM;
	char *buf = page_alloc(order);
	if (!buf)
		return -ENOMEM;
	long r = (long)size;
	spin_lock(&p->lock);
	while (r >= 0 && (p->reading || p->writing))
		r = wait_turn(p);
	if (r >= 0 && p->count > size)
		r = -EBUSY;
	if (r >= 0) {
		/* the content moves to the start of the new buffer */
		size_t first = MIN(p->count, p->size - p->head);
		memcpy(buf, p->buf + p->head, first);
		memcpy(buf + first, p->buf, p->count - first);
		char *old = p->buf;
		unsigned old_order = p->order;
		p->buf = buf;
		p->order = order;
		p->size = size;
		p->head = 0;
		buf = old;
		order = old_order;
		wq_wake_all(&p->can_write);
	}
	spin_unlock(&p->lock);
	page_free(buf, order);
	return r;
}
