/*
 * System V message queues (see msg.h).  As for semaphores, the table's
 * spinlock guards every queue and is the lock sleepers release; a sleeper
 * holds a reference to its queue so that a removal is seen, and wake-ups
 * are broadcast: senders and receivers of a queue share its wait queue
 * and look again after every change.
 */
#include "ipc/msg.h"

#include "ipc/ipc_ns.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "proc/cred.h"
#include "proc/task.h"
#include "proc/thread_group.h"
#include "proc/wait.h"

struct msg_queue {
	struct ipc_perm_k perm; /* first: the table holds &perm */
	int64_t stime, rtime, ctime;
	uint64_t cbytes, qnum, qbytes;
	int lspid, lrpid;
	bool removed;
	int refs;          /* sleepers; the table's own counts as one */
	struct ipc_ns *ns; /* outlives the queue: its users are in it */
	struct waitqueue wq;
	struct list msgs; /* struct kmsg, oldest first */
};

static struct msg_queue *queue_of(struct ipc_perm_k *p)
{
	return (struct msg_queue *)p;
}

static int current_pid(void)
{
	return task_tgid(current());
}

struct kmsg *msg_new(int64_t type, size_t len)
{
	struct kmsg *m = kmalloc(sizeof(*m) + len);
	if (m) {
		m->type = type;
		m->len = len;
	}
	return m;
}

void msg_free(struct kmsg *m)
{
	kfree(m);
}

/* ------------------------------------------------------------ msgget */

static int get_existing(struct ipc_perm_k *p, int flags)
{
	if ((flags & IPC_FLAG_CREAT) && (flags & IPC_FLAG_EXCL))
		return -EEXIST;
	int r = ipc_perm_check(p, flags);
	return r < 0 ? r : p->id;
}

static struct msg_queue *queue_new(int32_t key, int flags)
{
	struct msg_queue *q = kzalloc(sizeof(*q));
	if (!q)
		return NULL;
	ipc_perm_init(&q->perm, key, flags);
	q->ctime = ipc_now();
	q->qbytes = MSG_MNB;
	q->refs = 1;
	q->ns = ipc_ns_current();
	wq_init(&q->wq, "msgq");
	list_init(&q->msgs);
	return q;
}

int msg_get(int32_t key, int flags)
{
	struct ipc_ns *ns = ipc_ns_current();
	int r = ipc_ids_prepare(&ns->msg_ids);
	if (r < 0)
		return r;
	for (;;) {
		if (key != IPC_PRIVATE_KEY) {
			spin_lock(&ns->msg_ids.lock);
			struct ipc_perm_k *p = ipc_ids_find_key(&ns->msg_ids, key);
			r = p ? get_existing(p, flags) : (flags & IPC_FLAG_CREAT) ? 0 : -ENOENT;
			spin_unlock(&ns->msg_ids.lock);
			if (p || r < 0)
				return r;
		}
		struct msg_queue *q = queue_new(key, flags);
		if (!q)
			return -ENOMEM;
		spin_lock(&ns->msg_ids.lock);
		if (ipc_ids_find_key(&ns->msg_ids, key))
			r = -EAGAIN; /* created meanwhile: look again */
		else if ((r = ipc_ids_insert(&ns->msg_ids, &q->perm)) == 0)
			r = q->perm.id;
		spin_unlock(&ns->msg_ids.lock);
		if (r >= 0)
			return r;
		kfree(q);
		if (r != -EAGAIN)
			return r;
	}
}

/* ------------------------------------------------------------ removal */

static void queue_put(struct msg_queue *q)
{
	if (--q->refs == 0)
		kfree(q);
}

static void unlink_msg(struct msg_queue *q, struct kmsg *m)
{
	struct ipc_ns *ns = q->ns;
	list_remove(&m->node);
	q->qnum--;
	q->cbytes -= m->len;
	ns->msg_msgs--;
	ns->msg_bytes -= m->len;
}

/* Takes q out of its table, its messages onto doomed, and wakes its
 * sleepers (-EIDRM); lock held. */
static void queue_destroy(struct msg_queue *q, struct list *doomed)
{
	ipc_ids_remove(&q->ns->msg_ids, &q->perm);
	q->removed = true;
	while (!list_empty(&q->msgs)) {
		struct kmsg *m = list_first_entry(&q->msgs, struct kmsg, node);
		unlink_msg(q, m);
		list_push_back(doomed, &m->node);
	}
	wq_wake_all(&q->wq);
	queue_put(q);
}

static void free_msgs(struct list *doomed)
{
	while (!list_empty(doomed)) {
		struct kmsg *m = list_first_entry(doomed, struct kmsg, node);
		list_remove(&m->node);
		msg_free(m);
	}
}

int msg_remove(int id)
{
	struct ipc_ns *ns = ipc_ns_current();
	struct list doomed = LIST_INIT(doomed);
	spin_lock(&ns->msg_ids.lock);
	struct ipc_perm_k *p = ipc_ids_find_id(&ns->msg_ids, id);
	int r = !p ? -EINVAL : !ipc_is_owner(p) ? -EPERM : 0;
	if (r == 0)
		queue_destroy(queue_of(p), &doomed);
	spin_unlock(&ns->msg_ids.lock);
	free_msgs(&doomed);
	return r;
}

void msg_ns_end(struct ipc_ns *ns)
{
	struct list doomed = LIST_INIT(doomed);
	spin_lock(&ns->msg_ids.lock);
	for (int i = 0, max = ipc_ids_max_idx(&ns->msg_ids); i <= max; i++) {
		struct ipc_perm_k *p = ipc_ids_at(&ns->msg_ids, i);
		if (p)
			queue_destroy(queue_of(p), &doomed);
	}
	spin_unlock(&ns->msg_ids.lock);
	free_msgs(&doomed);
}

/* ------------------------------------------------------------ send, receive */

/* One sleep on q's queue; lock held.  Returns -EIDRM when q went, else
 * what the sleep returned. */
static int queue_sleep(struct msg_queue *q)
{
	struct ipc_ns *ns = q->ns;
	q->refs++;
	int r = wq_sleep(&q->wq, &ns->msg_ids.lock);
	bool removed = q->removed;
	queue_put(q);
	return removed ? -EIDRM : r;
}

static struct msg_queue *lookup(int id, int access, int *err)
{
	struct ipc_ns *ns = ipc_ns_current();
	struct ipc_perm_k *p = ipc_ids_find_id(&ns->msg_ids, id);
	*err = !p ? -EINVAL : ipc_perm_check(p, access);
	return *err < 0 ? NULL : queue_of(p);
}

int msg_send(int id, struct kmsg *m, int flags)
{
	struct ipc_ns *ns = ipc_ns_current();
	int r;
	spin_lock(&ns->msg_ids.lock);
	struct msg_queue *q = lookup(id, 0222, &r);
	while (q) {
		if (q->cbytes + m->len <= q->qbytes && q->qnum + 1 <= q->qbytes) {
			list_push_back(&q->msgs, &m->node);
			q->qnum++;
			q->cbytes += m->len;
			ns->msg_msgs++;
			ns->msg_bytes += m->len;
			q->stime = ipc_now();
			q->lspid = current_pid();
			wq_wake_all(&q->wq);
			r = 0;
			break;
		}
		if (flags & IPC_FLAG_NOWAIT) {
			r = -EAGAIN;
			break;
		}
		if ((r = queue_sleep(q)) < 0)
			break;
		if (ipc_perm_check(&q->perm, 0222) < 0) {
			r = -EACCES; /* IPC_SET took the right away meanwhile */
			break;
		}
	}
	spin_unlock(&ns->msg_ids.lock);
	return r;
}

static bool matches(const struct kmsg *m, enum msg_search mode, int64_t type)
{
	switch (mode) {
	case MSG_SEARCH_EQUAL:
		return m->type == type;
	case MSG_SEARCH_NOTEQUAL:
		return m->type != type;
	case MSG_SEARCH_LESSEQUAL:
		return m->type <= type;
	default:
		return true;
	}
}

/* The message the search wants, or NULL; lock held. */
static struct kmsg *find_msg(struct msg_queue *q, enum msg_search mode, int64_t type)
{
	struct kmsg *found = NULL;
	int64_t count = 0;
	struct list *pos;
	list_for_each(pos, &q->msgs)
	{
		struct kmsg *m = list_entry(pos, struct kmsg, node);
		if (mode == MSG_SEARCH_NUMBER) {
			if (count++ == type)
				return m;
		} else if (mode == MSG_SEARCH_LESSEQUAL) {
			if (m->type <= type && (!found || m->type < found->type))
				found = m;
		} else if (matches(m, mode, type)) {
			return m;
		}
	}
	return found;
}

/* Takes m off q for the receiver (or copies it with MSG_F_COPY): 0,
 * -E2BIG, -ENOMEM; lock held. */
static int take_msg(struct msg_queue *q, struct kmsg *m, size_t bufsz, int flags, struct kmsg **out)
{
	if (bufsz < m->len && !(flags & MSG_F_NOERROR))
		return -E2BIG;
	if (flags & MSG_F_COPY) {
		struct kmsg *c = msg_new(m->type, m->len);
		if (!c)
			return -ENOMEM;
		memcpy(c->data, m->data, m->len);
		*out = c;
		return 0;
	}
	unlink_msg(q, m);
	q->rtime = ipc_now();
	q->lrpid = current_pid();
	wq_wake_all(&q->wq); /* room for senders */
	*out = m;
	return 0;
}

int msg_receive(int id, enum msg_search mode, int64_t type, size_t bufsz, int flags,
                struct kmsg **out)
{
	struct ipc_ns *ns = ipc_ns_current();
	int r;
	spin_lock(&ns->msg_ids.lock);
	struct msg_queue *q = lookup(id, 0444, &r);
	while (q) {
		struct kmsg *m = find_msg(q, mode, type);
		if (m) {
			r = take_msg(q, m, bufsz, flags, out);
			break;
		}
		if (flags & MSG_F_NOWAIT) {
			r = -ENOMSG;
			break;
		}
		if ((r = queue_sleep(q)) < 0)
			break;
		if ((r = ipc_perm_check(&q->perm, 0444)) < 0)
			break;
	}
	spin_unlock(&ns->msg_ids.lock);
	return r;
}

/* ------------------------------------------------------------ msgctl */

static void fill_stat(struct msg_queue *q, struct msg_stat *st)
{
	*st = (struct msg_stat){q->perm, q->stime,  q->rtime, q->ctime, q->cbytes,
	                        q->qnum, q->qbytes, q->lspid, q->lrpid};
}

int msg_stat(int id, bool by_index, bool check, struct msg_stat *out)
{
	struct ipc_ns *ns = ipc_ns_current();
	spin_lock(&ns->msg_ids.lock);
	struct ipc_perm_k *p =
	    by_index ? ipc_ids_at(&ns->msg_ids, id) : ipc_ids_find_id(&ns->msg_ids, id);
	int r = p ? (check ? ipc_perm_check(p, 0444) : 0) : -EINVAL;
	if (r == 0) {
		fill_stat(queue_of(p), out);
		r = by_index ? p->id : 0;
	}
	spin_unlock(&ns->msg_ids.lock);
	return r;
}

int msg_set(int id, uint32_t uid, uint32_t gid, uint32_t mode, uint64_t qbytes)
{
	struct ipc_ns *ns = ipc_ns_current();
	spin_lock(&ns->msg_ids.lock);
	struct ipc_perm_k *p = ipc_ids_find_id(&ns->msg_ids, id);
	int r = !p ? -EINVAL : !ipc_is_owner(p) ? -EPERM : 0;
	if (r == 0 && qbytes > MSG_MNB && !cred_capable(cred_current(), CAP_SYS_RESOURCE))
		r = -EPERM;
	if (r == 0)
		r = ipc_perm_set(p, uid, gid, mode);
	if (r == 0) {
		struct msg_queue *q = queue_of(p);
		q->qbytes = qbytes;
		q->ctime = ipc_now();
		wq_wake_all(&q->wq); /* a larger queue may take a sender's message */
	}
	spin_unlock(&ns->msg_ids.lock);
	return r;
}

int msg_usage(struct msg_usage *out)
{
	struct ipc_ns *ns = ipc_ns_current();
	spin_lock(&ns->msg_ids.lock);
	*out = (struct msg_usage){ns->msg_ids.in_use, ns->msg_msgs, ns->msg_bytes};
	int max = ipc_ids_max_idx(&ns->msg_ids);
	spin_unlock(&ns->msg_ids.lock);
	return max < 0 ? 0 : max;
}

void msg_for_each(void (*fn)(const struct msg_stat *st, void *ctx), void *ctx)
{
	struct ipc_ns *ns = ipc_ns_current();
	for (int idx = 0;; idx++) {
		struct msg_stat st;
		bool found = false;
		spin_lock(&ns->msg_ids.lock);
		for (int max = ipc_ids_max_idx(&ns->msg_ids); !found && idx <= max; idx++) {
			struct ipc_perm_k *p = ipc_ids_at(&ns->msg_ids, idx);
			if (p) {
				fill_stat(queue_of(p), &st);
				found = true;
			}
		}
		spin_unlock(&ns->msg_ids.lock);
		if (!found)
			return;
		idx--;
		fn(&st, ctx);
	}
}
