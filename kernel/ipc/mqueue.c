/*
 * POSIX message queues (see mqueue.h).  One spinlock guards the names and
 * every queue; sleepers release it in wq_sleep.  A queue is referenced
 * by its name (until unlinked) and by each open description; messages
 * are kept highest priority first, arrival order within a priority.
 */
#include "ipc/mqueue.h"

#include "ipc/ipc_ns.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "core/time.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "obj/anon.h"
#include "obj/kobj.h"
#include "obj/poll.h"
#include "proc/cred.h"
#include "proc/signal.h"
#include "proc/task.h"
#include "proc/thread_group.h"
#include "proc/wait.h"

#define SI_MESGQ (-3) /* Linux's si_code of a queue's notification */

struct mqd;

struct mqueue {
	struct list link;  /* in its namespace's mq_queues while named */
	struct ipc_ns *ns; /* held: counts the queue */
	char name[MQ_NAME_MAX + 1];
	bool named;
	int refs; /* the name and each open description */
	uint32_t uid, gid, mode;
	long maxmsg, msgsize, curmsgs;
	uint64_t qsize; /* bytes of the messages queued */
	struct list msgs;
	struct waitqueue wq; /* senders and receivers */
	int receivers;       /* asleep waiting for a message */
	pid_t notify_pid;    /* registered process, 0: none */
	struct mq_notify_k notify;
	struct mqd *notify_via; /* the description it registered through */
	uint64_t ino;
	int64_t ctime_ns;
};

struct mqd {
	struct kobj obj;
	struct mqueue *q;
	uint64_t pos; /* of reads of the status line */
};

/* Guards the names of every IPC namespace and every queue. */
static struct spinlock mq_lock = SPINLOCK_INIT("mqueue");

static struct mqd *to_mqd(struct kobj *o)
{
	return container_of(o, struct mqd, obj);
}

struct mq_msg *mq_msg_new(size_t len)
{
	struct mq_msg *m = kmalloc(sizeof(*m) + len);
	if (m)
		m->len = len;
	return m;
}

void mq_msg_free(struct mq_msg *m)
{
	kfree(m);
}

/* Drops a reference; returns the queue to free (after the lock) or NULL.
 * mq_lock held. */
static struct mqueue *queue_put(struct mqueue *q)
{
	return --q->refs == 0 ? q : NULL;
}

static void queue_free(struct mqueue *q)
{
	if (!q)
		return;
	__atomic_sub_fetch(&q->ns->mq_count, 1, __ATOMIC_RELAXED);
	ipc_ns_release(q->ns);
	while (!list_empty(&q->msgs)) {
		struct mq_msg *m = list_first_entry(&q->msgs, struct mq_msg, node);
		list_remove(&m->node);
		mq_msg_free(m);
	}
	kfree(q);
}

/* ------------------------------------------------------------ the object */

/* Linux's status line of a queue; mq_lock held. */
static int status_line(struct mqueue *q, char *buf, size_t len)
{
	bool sig = q->notify_pid && q->notify.kind == MQ_NOTIFY_SIGNAL;
	return fmt_snprintf(buf, len, "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
	                    (unsigned long)q->qsize, q->notify_pid ? (int)q->notify.kind : 0,
	                    sig ? q->notify.signo : 0, q->notify_pid);
}

static ssize_t mqd_read(struct kobj *o, struct iobuf *io)
{
	struct mqd *d = to_mqd(o);
	char buf[96];
	spin_lock(&mq_lock);
	int n = status_line(d->q, buf, sizeof(buf));
	uint64_t pos = d->pos;
	spin_unlock(&mq_lock);
	if (pos >= (uint64_t)n)
		return 0;
	size_t len = MIN(io->len, (size_t)n - pos);
	int r = iobuf_put(io, buf + pos, len);
	if (r < 0)
		return r;
	d->pos = pos + len;
	return (ssize_t)len;
}

static unsigned mqd_poll(struct kobj *o, struct poll_table *pt)
{
	struct mqueue *q = to_mqd(o)->q;
	unsigned mask = 0;
	poll_wait(pt, o, &q->wq);
	spin_lock(&mq_lock);
	if (q->curmsgs)
		mask |= POLLIN | POLLRDNORM;
	if (q->curmsgs < q->maxmsg)
		mask |= POLLOUT | POLLWRNORM;
	spin_unlock(&mq_lock);
	return mask;
}

static int mqd_stat(struct kobj *o, struct vattr *va)
{
	struct mqueue *q = to_mqd(o)->q;
	anon_stat(va, q->ino);
	spin_lock(&mq_lock);
	va->mode = S_IFREG | q->mode;
	va->uid = q->uid;
	va->gid = q->gid;
	va->size = q->qsize;
	va->atime_ns = va->mtime_ns = va->ctime_ns = q->ctime_ns;
	spin_unlock(&mq_lock);
	return 0;
}

static void mqd_release(struct kobj *o)
{
	struct mqd *d = to_mqd(o);
	spin_lock(&mq_lock);
	if (d->q->notify_via == d)
		d->q->notify_pid = 0, d->q->notify_via = NULL;
	struct mqueue *dead = queue_put(d->q);
	spin_unlock(&mq_lock);
	queue_free(dead);
	kfree(d);
}

static const struct kobj_ops mqd_ops = {
    .type = "mqueue",
    .read = mqd_read,
    .seek = anon_seek,
    .stat = mqd_stat,
    .poll = mqd_poll,
    .release = mqd_release,
};

bool mq_is(struct kobj *o)
{
	return o->ops == &mqd_ops;
}

size_t mq_msgsize(struct kobj *o)
{
	return (size_t)to_mqd(o)->q->msgsize; /* fixed at creation */
}

/* ------------------------------------------------------------ names */

static int name_check(const char *name)
{
	size_t len = strlen(name);
	if (len == 0)
		return -ENOENT;
	if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EACCES;
	return len > MQ_NAME_MAX ? -ENAMETOOLONG : 0;
}

/* mq_lock held */
static struct mqueue *find_name(const char *name)
{
	struct list *pos;
	list_for_each(pos, &ipc_ns_current()->mq_queues)
	{
		struct mqueue *q = list_entry(pos, struct mqueue, link);
		if (strcmp(q->name, name) == 0)
			return q;
	}
	return NULL;
}

/* The file permission check of an open: 0 or -EACCES. */
static int may_open(struct mqueue *q, int flags)
{
	const struct cred *c = cred_current();
	unsigned want = ((flags & MQ_O_READ) ? 4 : 0) | ((flags & MQ_O_WRITE) ? 2 : 0);
	unsigned have = c->fsuid == q->uid         ? q->mode >> 6
	                : cred_in_group(c, q->gid) ? q->mode >> 3
	                                           : q->mode;
	return (want & ~have & 7) && !cred_capable(c, CAP_DAC_OVERRIDE) ? -EACCES : 0;
}

static int attr_check(const struct mq_attr_k *attr)
{
	bool admin = cred_capable(cred_current(), CAP_SYS_RESOURCE);
	if (attr->maxmsg <= 0 || attr->msgsize <= 0)
		return -EINVAL;
	if (attr->maxmsg > (admin ? MQ_MAXMSG_HARD : MQ_MAXMSG_DFL) ||
	    attr->msgsize > (admin ? MQ_MSGSIZE_HARD : MQ_MSGSIZE_DFL))
		return -EINVAL;
	return 0;
}

static struct mqueue *queue_new(const char *name, uint32_t mode, const struct mq_attr_k *attr)
{
	struct mqueue *q = kzalloc(sizeof(*q));
	if (!q)
		return NULL;
	strcpy(q->name, name);
	const struct cred *c = cred_current();
	q->uid = c->fsuid;
	q->gid = c->fsgid;
	q->mode = mode & ~current()->fs->umask & 0777;
	q->maxmsg = attr ? attr->maxmsg : MQ_MAXMSG_DFL;
	q->msgsize = attr ? attr->msgsize : MQ_MSGSIZE_DFL;
	list_init(&q->msgs);
	wq_init(&q->wq, "mqueue");
	q->ino = anon_ino_next();
	q->ctime_ns = time_realtime_ns();
	return q;
}

/* Finds or creates the queue, with a reference for the caller; mq_lock
 * held.  *spare is a new queue to use (taken: set to NULL); -EAGAIN when
 * one is needed and *spare is NULL. */
static int open_locked(const char *name, int flags, struct mqueue **spare, struct mqueue **out)
{
	struct ipc_ns *ns = ipc_ns_current();
	struct mqueue *q = find_name(name);
	if (q) {
		if ((flags & MQ_O_CREAT) && (flags & MQ_O_EXCL))
			return -EEXIST;
		if (flags & MQ_O_BADACC)
			return -EINVAL;
		int r = may_open(q, flags);
		if (r < 0)
			return r;
	} else if (!(flags & MQ_O_CREAT)) {
		return -ENOENT;
	} else if (!*spare) {
		return -EAGAIN;
	} else if (__atomic_load_n(&ns->mq_count, __ATOMIC_RELAXED) >= MQ_QUEUES_MAX &&
	           !cred_capable(cred_current(), CAP_SYS_RESOURCE)) {
		return -ENOSPC;
	} else {
		q = *spare;
		*spare = NULL;
		__atomic_add_fetch(&ns->mq_count, 1, __ATOMIC_RELAXED);
		q->ns = ns;
		ipc_ns_hold(ns);
		q->named = true;
		q->refs = 1;
		list_push_back(&ns->mq_queues, &q->link);
	}
	q->refs++;
	*out = q;
	return 0;
}

int mq_open(const char *name, int flags, uint32_t mode, const struct mq_attr_k *attr,
            struct kobj **out)
{
	int r = name_check(name);
	if (r < 0)
		return r;
	struct mqd *d = kzalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	struct mqueue *spare = NULL, *q = NULL;
	for (;;) {
		spin_lock(&mq_lock);
		r = open_locked(name, flags, &spare, &q);
		spin_unlock(&mq_lock);
		if (r != -EAGAIN)
			break;
		if (attr && (r = attr_check(attr)) < 0)
			break;
		if (!(spare = queue_new(name, mode, attr))) {
			r = -ENOMEM;
			break;
		}
	}
	kfree(spare);
	if (r < 0) {
		kfree(d);
		return r;
	}
	d->q = q;
	unsigned access =
	    ((flags & MQ_O_READ) ? KOBJ_READ : 0) | ((flags & MQ_O_WRITE) ? KOBJ_WRITE : 0);
	kobj_init(&d->obj, &mqd_ops, access | ((flags & MQ_O_NONBLOCK) ? O_NONBLOCK : 0));
	*out = &d->obj;
	return 0;
}

int mq_unlink(const char *name)
{
	int r = name_check(name);
	if (r < 0)
		return r;
	struct mqueue *dead = NULL;
	spin_lock(&mq_lock);
	struct mqueue *q = find_name(name);
	const struct cred *c = cred_current();
	/* only the owner (or root) unlinks: Linux says EACCES to others */
	r = !q ? -ENOENT : (c->fsuid != q->uid && !cred_capable(c, CAP_FOWNER)) ? -EACCES : 0;
	if (r == 0) {
		list_remove(&q->link);
		q->named = false;
		dead = queue_put(q);
	}
	spin_unlock(&mq_lock);
	queue_free(dead);
	return r;
}

void mq_ns_end(struct ipc_ns *ns)
{
	struct list dead = LIST_INIT(dead);
	spin_lock(&mq_lock);
	while (!list_empty(&ns->mq_queues)) {
		struct mqueue *q = list_first_entry(&ns->mq_queues, struct mqueue, link);
		list_remove(&q->link);
		q->named = false;
		if (queue_put(q))
			list_push_back(&dead, &q->link);
	}
	spin_unlock(&mq_lock);
	while (!list_empty(&dead)) {
		struct mqueue *q = list_first_entry(&dead, struct mqueue, link);
		list_remove(&q->link);
		queue_free(q);
	}
}

/* ------------------------------------------------------------ send, receive */

/* One sleep until deadline_ns (0: none); mq_lock held. */
static int queue_sleep(struct mqueue *q, uint64_t deadline_ns)
{
	if (!deadline_ns)
		return wq_sleep(&q->wq, &mq_lock);
	if (time_monotonic_ns() >= deadline_ns)
		return -ETIMEDOUT;
	return wq_sleep_until(&q->wq, &mq_lock, deadline_ns);
}

/* Inserts m after every message of its priority or higher; lock held. */
static void insert_msg(struct mqueue *q, struct mq_msg *m)
{
	struct list *pos;
	list_for_each(pos, &q->msgs)
	{
		if (list_entry(pos, struct mq_msg, node)->prio < m->prio)
			break;
	}
	list_insert_between(&m->node, pos->prev, pos);
	q->curmsgs++;
	q->qsize += m->len;
}

/* Sends the notification taken off a queue (outside mq_lock). */
static void notify_send(pid_t pid, const struct mq_notify_k *n)
{
	if (n->kind != MQ_NOTIFY_SIGNAL || !n->signo)
		return;
	struct ksiginfo info = {.signo = n->signo,
	                        .code = SI_MESGQ,
	                        .kind = SIK_QUEUE,
	                        .pid = task_tgid(current()),
	                        .uid = cred_current()->uid,
	                        .value = n->value};
	spin_lock(&task_tree_lock);
	struct task *t = task_find(pid);
	if (t && __atomic_load_n(&t->tg->nr_live, __ATOMIC_ACQUIRE) > 0)
		signal_send_info(t, n->signo, &info);
	spin_unlock(&task_tree_lock);
}

int mq_send(struct kobj *o, struct mq_msg *m, uint64_t deadline_ns)
{
	if (!(o->flags & KOBJ_WRITE))
		return -EBADF;
	struct mqueue *q = to_mqd(o)->q;
	if (m->len > (size_t)q->msgsize)
		return -EMSGSIZE;
	int r = 0;
	pid_t notify_pid = 0;
	struct mq_notify_k n;
	spin_lock(&mq_lock);
	while (q->curmsgs >= q->maxmsg) {
		r = (o->flags & O_NONBLOCK) ? -EAGAIN : queue_sleep(q, deadline_ns);
		if (r < 0)
			break;
	}
	if (r == 0) {
		insert_msg(q, m);
		/* told only when no receiver takes the message at once */
		if (q->notify_pid && q->curmsgs == 1 && !q->receivers) {
			notify_pid = q->notify_pid;
			n = q->notify;
			q->notify_pid = 0;
			q->notify_via = NULL;
		}
		wq_wake_all(&q->wq);
	}
	spin_unlock(&mq_lock);
	if (notify_pid)
		notify_send(notify_pid, &n);
	return r;
}

int mq_receive(struct kobj *o, size_t len, uint64_t deadline_ns, struct mq_msg **out)
{
	if (!(o->flags & KOBJ_READ))
		return -EBADF;
	struct mqueue *q = to_mqd(o)->q;
	if (len < (size_t)q->msgsize)
		return -EMSGSIZE;
	int r = 0;
	spin_lock(&mq_lock);
	while (q->curmsgs == 0) {
		if (o->flags & O_NONBLOCK) {
			r = -EAGAIN;
			break;
		}
		q->receivers++;
		r = queue_sleep(q, deadline_ns);
		q->receivers--;
		if (r < 0)
			break;
	}
	if (r == 0) {
		struct mq_msg *m = list_first_entry(&q->msgs, struct mq_msg, node);
		list_remove(&m->node);
		q->curmsgs--;
		q->qsize -= m->len;
		*out = m;
		wq_wake_all(&q->wq);
	}
	spin_unlock(&mq_lock);
	return r;
}

/* ------------------------------------------------------------ notify, attributes */

/* Whether process pid still runs (Linux drops a registration when its
 * process closes the descriptor, which exit does); mq_lock held, which
 * nests outside task_tree_lock. */
static bool process_runs(pid_t pid)
{
	spin_lock(&task_tree_lock);
	struct task *t = task_find(pid);
	bool runs = t && __atomic_load_n(&t->tg->nr_live, __ATOMIC_ACQUIRE) > 0;
	spin_unlock(&task_tree_lock);
	return runs;
}

int mq_notify(struct kobj *o, const struct mq_notify_k *n)
{
	struct mqd *d = to_mqd(o);
	struct mqueue *q = d->q;
	pid_t self = task_tgid(current());
	int r = 0;
	spin_lock(&mq_lock);
	if (!n) {
		if (q->notify_pid == self)
			q->notify_pid = 0, q->notify_via = NULL;
	} else if (q->notify_pid && process_runs(q->notify_pid)) {
		r = -EBUSY;
	} else {
		q->notify_pid = self;
		q->notify = *n;
		q->notify_via = d;
	}
	spin_unlock(&mq_lock);
	return r;
}

void mq_getsetattr(struct kobj *o, const bool *nonblock, struct mq_attr_k *old)
{
	struct mqueue *q = to_mqd(o)->q;
	spin_lock(&mq_lock);
	if (old)
		*old = (struct mq_attr_k){(o->flags & O_NONBLOCK) ? MQ_O_NONBLOCK : 0, q->maxmsg,
		                          q->msgsize, q->curmsgs};
	if (nonblock) {
		unsigned f = __atomic_load_n(&o->flags, __ATOMIC_RELAXED);
		__atomic_store_n(&o->flags, *nonblock ? f | O_NONBLOCK : f & ~(unsigned)O_NONBLOCK,
		                 __ATOMIC_RELAXED);
	}
	spin_unlock(&mq_lock);
}
