/*
 * Local sockets (see usock.h and usock_impl.h): creation and close,
 * names, listening and connecting, options.  Sending and receiving are
 * in usock_io.c.
 */
#include "obj/usock.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "core/time.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "obj/anon.h"
#include "obj/poll.h"
#include "obj/usock_impl.h"
#include "proc/cred.h"
#include "proc/task.h"
#include "proc/thread_group.h"

#define USOCK_BUF_DEFAULT 212992 /* Linux's net.core.[rw]mem_default */
#define USOCK_BUF_MAX     212992 /* and [rw]mem_max */
#define USOCK_SNDBUF_MIN  4608
#define USOCK_RCVBUF_MIN  2304
#define USOCK_BACKLOG_MAX 4096

struct spinlock usock_lock = SPINLOCK_INIT("usock");
/* Every named socket (abstract or path), for lookups. */
static struct list bound = LIST_INIT(bound);

void usock_ref(struct usock *s)
{
	__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
}

void usock_unref(struct usock *s)
{
	if (__atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(s);
}

struct usock_cred usock_cred_current(bool effective)
{
	const struct cred *c = cred_current();
	struct usock_cred uc = {task_tgid(current()), c->uid, c->gid};
	if (effective) {
		uc.uid = c->euid;
		uc.gid = c->egid;
	}
	return uc;
}

void umsg_unlink(struct umsg *m)
{
	list_remove(&m->node);
	usock_rights_unqueued(m->rights, m->nrights);
	if (m->sender) {
		m->sender->wmem -= m->truesize;
		wq_wake_all(&m->sender->wwait);
	}
}

void umsg_free(struct umsg *m)
{
	for (int i = 0; i < m->nrights; i++)
		kobj_put(m->rights[i]);
	kfree(m->rights);
	kfree(m->from);
	if (m->conn)
		kobj_put(&m->conn->obj);
	if (m->sender)
		usock_unref(m->sender);
	kfree(m);
}

/* ------------------------------------------------------------ objects */

static int usock_stat(struct kobj *o, struct vattr *va)
{
	anon_stat(va, to_usock(o)->ino);
	va->mode = S_IFSOCK | 0777;
	return 0;
}

/* Close: the peer of a connection sees the hang-up (and a reset if we
 * leave data unread, or were never accepted), the name goes, and the
 * queued messages are dropped with the objects they carry. */
static void usock_release(struct kobj *o)
{
	struct usock *s = to_usock(o);
	struct list dropped = LIST_INIT(dropped);
	spin_lock(&usock_lock);
	s->dead = true;
	if (s->addr.len)
		list_remove(&s->bound_node);
	struct vnode *vn = s->vn;
	s->vn = NULL;
	struct usock *peer = s->peer;
	s->peer = NULL;
	if (peer && usock_connection_based(s)) {
		peer->shut = USOCK_SHUT_RD | USOCK_SHUT_WR;
		if (!list_empty(&s->queue) || s->embryo)
			peer->err = -ECONNRESET;
		wq_wake_all(&peer->rwait);
		wq_wake_all(&peer->wwait);
	}
	while (!list_empty(&s->queue)) {
		struct umsg *m = list_first_entry(&s->queue, struct umsg, node);
		umsg_unlink(m);
		list_push_back(&dropped, &m->node);
	}
	s->qbytes = 0;
	s->qlen = 0;
	wq_wake_all(&s->rwait);
	wq_wake_all(&s->wwait);
	wq_wake_all(&s->turn);
	spin_unlock(&usock_lock);
	while (!list_empty(&dropped)) {
		struct umsg *m = list_first_entry(&dropped, struct umsg, node);
		list_remove(&m->node);
		umsg_free(m);
	}
	if (vn)
		vnode_put(vn);
	if (peer)
		usock_unref(peer);
	usock_unref(s);
	usock_gc();
}

static const struct kobj_ops usock_ops = {
    .type = "socket",
    .read = usock_obj_read,
    .write = usock_obj_write,
    .stat = usock_stat,
    .poll = usock_obj_poll,
    .nread = usock_obj_nread,
    .release = usock_release,
};

bool usock_is(struct kobj *o)
{
	return o->ops == &usock_ops;
}

static struct usock *usock_new(int type, unsigned status)
{
	struct usock *s = kzalloc(sizeof(*s));
	if (!s)
		return NULL;
	s->refs = 1;
	s->type = type;
	s->sndbuf = s->rcvbuf = USOCK_BUF_DEFAULT;
	s->opts.rcvlowat = 1;
	s->opts.peek_off = -1;
	s->cred = usock_cred_current(true);
	s->ino = anon_ino_next();
	list_init(&s->queue);
	list_init(&s->bound_node);
	list_init(&s->gc_node);
	wq_init(&s->rwait, "usock-read");
	wq_init(&s->wwait, "usock-write");
	wq_init(&s->turn, "usock-turn");
	kobj_init(&s->obj, &usock_ops, KOBJ_READ | KOBJ_WRITE | (status & O_NONBLOCK));
	return s;
}

static bool type_valid(int type)
{
	return type == USOCK_STREAM || type == USOCK_DGRAM || type == USOCK_SEQPACKET;
}

int usock_create(int type, unsigned status, struct kobj **out)
{
	if (!type_valid(type))
		return -EINVAL;
	struct usock *s = usock_new(type, status);
	if (!s)
		return -ENOMEM;
	*out = &s->obj;
	return 0;
}

/* Makes a and b each other's peer; lock held or sockets private. */
static void join(struct usock *a, struct usock *b)
{
	usock_ref(b);
	a->peer = b;
	a->peercred = b->cred;
	a->has_peercred = true;
	usock_ref(a);
	b->peer = a;
	b->peercred = a->cred;
	b->has_peercred = true;
	if (usock_connection_based(a))
		a->state = b->state = US_CONNECTED;
}

int usock_pair(int type, unsigned status, struct kobj *out[2])
{
	if (!type_valid(type))
		return -EINVAL;
	struct usock *a = usock_new(type, status), *b = usock_new(type, status);
	if (!a || !b) {
		kfree(a);
		kfree(b);
		return -ENOMEM;
	}
	join(a, b);
	out[0] = &a->obj;
	out[1] = &b->obj;
	return 0;
}

/* ------------------------------------------------------------ names */

static bool is_abstract(const struct usock_addr *a)
{
	return a->len > 0 && a->name[0] == '\0';
}

/* The socket bound to this abstract name or socket inode; lock held. */
static struct usock *find_bound(const struct usock_addr *a, const struct vnode *vn)
{
	struct list *it;
	list_for_each(it, &bound)
	{
		struct usock *s = list_entry(it, struct usock, bound_node);
		if (vn) {
			if (s->vn && s->vn->sb == vn->sb && s->vn->ino == vn->ino)
				return s;
		} else if (is_abstract(&s->addr) && s->addr.len == a->len &&
		           memcmp(s->addr.name, a->name, a->len) == 0) {
			return s;
		}
	}
	return NULL;
}

int usock_autobind_locked(struct usock *s)
{
	static unsigned next;
	struct usock_addr a = {.len = 6};
	for (int tries = 0; tries < 0x100000; tries++) {
		unsigned n = next++ & 0xfffff;
		a.name[0] = '\0';
		for (int i = 0; i < 5; i++)
			a.name[1 + i] = "0123456789abcdef"[(n >> (4 * (4 - i))) & 0xf];
		if (!find_bound(&a, NULL)) {
			s->addr = a;
			list_push_back(&bound, &s->bound_node);
			return 0;
		}
	}
	return -ENOSPC;
}

/* As Linux: the inode first (EADDRINUSE when the name exists), then the
 * check that the socket has no name yet (EINVAL, the inode removed). */
static int bind_path(struct usock *s, struct fs_struct *fs, const struct usock_addr *addr)
{
	int r = vfs_mknod(fs, addr->name, S_IFSOCK | 0777, 0);
	if (r == -EEXIST)
		return -EADDRINUSE;
	if (r < 0)
		return r;
	struct path p;
	r = vfs_walk(fs, addr->name, 0, &p);
	if (r < 0)
		return r;
	struct vnode *vn = vnode_get(p.vn);
	path_put(&p);
	spin_lock(&usock_lock);
	if (s->addr.len != 0) {
		r = -EINVAL;
	} else {
		s->addr = *addr;
		s->vn = vn;
		vn = NULL;
		list_push_back(&bound, &s->bound_node);
	}
	spin_unlock(&usock_lock);
	if (vn) {
		vnode_put(vn);
		vfs_unlink(fs, addr->name);
	}
	return r;
}

int usock_bind(struct kobj *o, struct fs_struct *fs, const struct usock_addr *addr)
{
	struct usock *s = to_usock(o);
	if (addr->len && !is_abstract(addr))
		return bind_path(s, fs, addr);
	int r = 0;
	spin_lock(&usock_lock);
	if (s->addr.len)
		r = -EINVAL;
	else if (addr->len == 0)
		r = usock_autobind_locked(s);
	else if (find_bound(addr, NULL))
		r = -EADDRINUSE;
	else {
		s->addr = *addr;
		list_push_back(&bound, &s->bound_node);
	}
	spin_unlock(&usock_lock);
	return r;
}

int usock_lookup(struct fs_struct *fs, const struct usock_addr *addr, struct usock **out)
{
	struct vnode *vn = NULL;
	struct path p;
	if (!is_abstract(addr)) {
		int r = vfs_walk(fs, addr->name, WALK_FOLLOW, &p);
		if (r < 0)
			return r;
		vn = p.vn;
		if ((vn->mode & S_IFMT) != S_IFSOCK) {
			path_put(&p);
			return -ECONNREFUSED;
		}
	}
	spin_lock(&usock_lock);
	struct usock *s = find_bound(addr, vn);
	if (s)
		usock_ref(s);
	spin_unlock(&usock_lock);
	if (vn)
		path_put(&p);
	if (!s)
		return -ECONNREFUSED;
	*out = s;
	return 0;
}

int usock_name(struct kobj *o, bool peer, struct usock_addr *out)
{
	struct usock *s = to_usock(o);
	int r = 0;
	spin_lock(&usock_lock);
	if (peer) {
		if (s->peer && (usock_connection_based(s) ? s->state == US_CONNECTED : true))
			*out = s->peer->addr;
		else
			r = -ENOTCONN;
	} else {
		*out = s->addr;
	}
	spin_unlock(&usock_lock);
	return r;
}

/* ------------------------------------------------------------ connections */

int usock_listen(struct kobj *o, int backlog)
{
	struct usock *s = to_usock(o);
	if (!usock_connection_based(s))
		return -EOPNOTSUPP;
	int r = 0;
	spin_lock(&usock_lock);
	if (s->state == US_CONNECTED || !s->addr.len) {
		r = -EINVAL;
	} else {
		if (backlog < 0)
			backlog = 0;
		s->backlog = MIN(backlog, USOCK_BACKLOG_MAX);
		s->cred = usock_cred_current(true);
		if (s->state != US_LISTENING) {
			s->state = US_LISTENING;
			wq_wake_all(&s->wwait);
		}
	}
	spin_unlock(&usock_lock);
	return r;
}

int usock_accept(struct kobj *o, unsigned status, struct kobj **out)
{
	struct usock *s = to_usock(o);
	if (!usock_connection_based(s))
		return -EOPNOTSUPP;
	int r = 0;
	spin_lock(&usock_lock);
	uint64_t deadline = usock_deadline(s, false);
	for (;;) {
		if (s->state != US_LISTENING) {
			r = -EINVAL;
			break;
		}
		if (!list_empty(&s->queue))
			break;
		if (o->flags & O_NONBLOCK) {
			r = -EAGAIN;
			break;
		}
		r = usock_wait(&s->rwait, deadline);
		if (r < 0)
			break;
	}
	struct umsg *m = NULL;
	if (r == 0) {
		m = list_first_entry(&s->queue, struct umsg, node);
		umsg_unlink(m);
		s->qlen--;
		wq_wake_all(&s->wwait); /* room in the backlog for a connect */
	}
	spin_unlock(&usock_lock);
	if (!m)
		return r;
	struct usock *c = m->conn;
	m->conn = NULL;
	umsg_free(m);
	spin_lock(&usock_lock);
	c->embryo = false;
	spin_unlock(&usock_lock);
	c->obj.flags = (c->obj.flags & ~(unsigned)O_NONBLOCK) | (status & O_NONBLOCK);
	*out = &c->obj;
	return 0;
}

/* A datagram socket's connect: the default destination and the only
 * sender it receives from. */
static int connect_dgram(struct usock *s, struct fs_struct *fs, const struct usock_addr *addr)
{
	struct usock *t = NULL;
	if (addr) {
		int r = usock_lookup(fs, addr, &t);
		if (r < 0)
			return r;
	}
	int r = 0;
	struct usock *old = NULL;
	spin_lock(&usock_lock);
	if (t && t->type != s->type) {
		r = -EPROTOTYPE;
	} else if (t && t->dead) {
		r = -ECONNREFUSED;
	} else {
		old = s->peer;
		s->peer = t;
		s->has_peercred = t != NULL;
		if (t)
			s->peercred = t->cred;
		t = NULL;
		if (s->passcred && !s->addr.len)
			usock_autobind_locked(s);
	}
	spin_unlock(&usock_lock);
	if (old)
		usock_unref(old);
	if (t)
		usock_unref(t);
	return r;
}

/* Checks a stream connect may go on to listener t; lock held.  Returns 1
 * to wait for room in its backlog, 0 to go on, or -ERRNO. */
static int connect_check(struct usock *s, struct usock *t)
{
	if (s->state == US_CONNECTED)
		return -EISCONN;
	if (s->state == US_LISTENING)
		return -EINVAL;
	if (t->type != s->type)
		return -EPROTOTYPE;
	if (t->dead || t->state != US_LISTENING)
		return -ECONNREFUSED;
	if (t->qlen > t->backlog)
		return 1;
	return 0;
}

static int connect_stream(struct usock *s, struct fs_struct *fs, const struct usock_addr *addr)
{
	struct usock *t;
	int r = usock_lookup(fs, addr, &t);
	if (r < 0)
		return r;
	struct usock *c = usock_new(s->type, 0);
	struct umsg *m = kzalloc(sizeof(*m));
	if (!c || !m) {
		kfree(c);
		kfree(m);
		usock_unref(t);
		return -ENOMEM;
	}
	spin_lock(&usock_lock);
	uint64_t deadline = usock_deadline(s, true);
	while ((r = connect_check(s, t)) == 1) {
		if (s->obj.flags & O_NONBLOCK) {
			r = -EAGAIN;
			break;
		}
		r = usock_wait(&t->wwait, deadline);
		if (r < 0)
			break;
	}
	if (r == 0) {
		if (s->passcred && !s->addr.len)
			usock_autobind_locked(s);
		c->addr = t->addr;
		c->embryo = true;
		c->cred = t->cred;
		c->passcred = t->passcred;
		join(s, c);
		m->conn = c;
		list_push_back(&t->queue, &m->node);
		t->qlen++;
		wq_wake_all(&t->rwait);
		c = NULL;
		m = NULL;
	}
	spin_unlock(&usock_lock);
	usock_unref(t);
	if (c)
		kobj_put(&c->obj);
	kfree(m);
	return r;
}

int usock_connect(struct kobj *o, struct fs_struct *fs, const struct usock_addr *addr)
{
	struct usock *s = to_usock(o);
	if (!usock_connection_based(s))
		return connect_dgram(s, fs, addr);
	if (!addr)
		return -EINVAL;
	return connect_stream(s, fs, addr);
}

int usock_shutdown(struct kobj *o, unsigned how)
{
	struct usock *s = to_usock(o);
	spin_lock(&usock_lock);
	s->shut |= how;
	wq_wake_all(&s->rwait);
	wq_wake_all(&s->wwait);
	struct usock *p = s->peer;
	if (p && usock_connection_based(s)) {
		if (how & USOCK_SHUT_RD)
			p->shut |= USOCK_SHUT_WR;
		if (how & USOCK_SHUT_WR)
			p->shut |= USOCK_SHUT_RD;
		wq_wake_all(&p->rwait);
		wq_wake_all(&p->wwait);
	}
	spin_unlock(&usock_lock);
	return 0;
}

/* ------------------------------------------------------------ options */

void usock_info(struct kobj *o, struct usock_info *info)
{
	struct usock *s = to_usock(o);
	spin_lock(&usock_lock);
	info->type = s->type;
	info->listening = s->state == US_LISTENING;
	info->passcred = s->passcred;
	info->sndbuf = s->sndbuf;
	info->rcvbuf = s->rcvbuf;
	info->has_peercred = s->has_peercred;
	info->peercred = s->peercred;
	info->opts = s->opts;
	spin_unlock(&usock_lock);
}

int usock_take_error(struct kobj *o)
{
	struct usock *s = to_usock(o);
	spin_lock(&usock_lock);
	int e = s->err;
	s->err = 0;
	spin_unlock(&usock_lock);
	return e;
}

void usock_set_error(struct kobj *o, int err)
{
	struct usock *s = to_usock(o);
	spin_lock(&usock_lock);
	s->err = err;
	wq_wake_all(&s->rwait);
	spin_unlock(&usock_lock);
}

void usock_set_bufsize(struct kobj *o, bool send, size_t size, bool force)
{
	struct usock *s = to_usock(o);
	size_t v = MIN(size, force ? (size_t)INT32_MAX / 2 : (size_t)USOCK_BUF_MAX) * 2;
	spin_lock(&usock_lock);
	if (send) {
		s->sndbuf = MAX(v, (size_t)USOCK_SNDBUF_MIN);
		wq_wake_all(&s->wwait);
	} else {
		s->rcvbuf = MAX(v, (size_t)USOCK_RCVBUF_MIN);
	}
	spin_unlock(&usock_lock);
}

void usock_set_opts(struct kobj *o, const struct usock_opts *in, unsigned which)
{
	struct usock *s = to_usock(o);
	struct usock_opts *p = &s->opts;
	spin_lock(&usock_lock);
	if (which & USOCK_OPT_RCVTIMEO)
		p->rcvtimeo = in->rcvtimeo;
	if (which & USOCK_OPT_SNDTIMEO)
		p->sndtimeo = in->sndtimeo;
	if (which & USOCK_OPT_RCVLOWAT)
		p->rcvlowat = MAX(in->rcvlowat, 1);
	if (which & USOCK_OPT_PEEK_OFF)
		p->peek_off = in->peek_off;
	if (which & USOCK_OPT_LINGER) {
		p->linger = in->linger;
		if (in->linger)
			p->linger_secs = in->linger_secs;
	}
	if (which & USOCK_OPT_REUSEADDR)
		p->reuseaddr = in->reuseaddr;
	if (which & USOCK_OPT_KEEPALIVE)
		p->keepalive = in->keepalive;
	spin_unlock(&usock_lock);
}

uint64_t usock_deadline(struct usock *s, bool send)
{
	uint64_t t = send ? s->opts.sndtimeo : s->opts.rcvtimeo;
	if (!t)
		return 0;
	uint64_t now = time_monotonic_ns();
	return t >= UINT64_MAX - now ? UINT64_MAX : now + t;
}

int usock_wait(struct waitqueue *wq, uint64_t deadline)
{
	if (!deadline)
		return wq_sleep(wq, &usock_lock);
	int r = wq_sleep_until(wq, &usock_lock, deadline);
	return r == -ETIMEDOUT ? -EAGAIN : r;
}

void usock_set_passcred(struct kobj *o, bool on)
{
	struct usock *s = to_usock(o);
	spin_lock(&usock_lock);
	s->passcred = on;
	spin_unlock(&usock_lock);
}
