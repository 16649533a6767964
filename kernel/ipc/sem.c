/*
 * System V semaphore sets (see sem.h).  One lock, the table's, guards
 * every set, its waiters and the undo records, and is the lock sleepers
 * release in wq_sleep.  A sleeper holds a reference to its set, so a set
 * removed meanwhile stays readable until the last sleeper has seen it go.
 *
 * Wake-ups are broadcast: every change that may let an operation proceed
 * wakes all sleepers of the set, and each tries its whole list again.
 * GETNCNT/GETZCNT count sleepers by the operation they wait on, as Linux
 * does since 4.1.
 */
#include "ipc/sem.h"

#include "ipc/ipc_ns.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "core/list.h"
#include "mm/kmalloc.h"
#include "proc/task.h"
#include "proc/thread_group.h"
#include "proc/wait.h"

struct sem {
	int val;
	int pid;
};

struct sem_set {
	struct ipc_perm_k perm; /* first: the table holds &perm */
	int nsems;
	int64_t otime, ctime;
	bool removed;
	int refs;            /* sleepers; the table's own counts as one */
	struct ipc_ns *ns;   /* outlives the set: its users are in it */
	struct waitqueue wq; /* sleepers in sem_op */
	struct list waiters; /* struct sem_waiter, for GETNCNT/GETZCNT */
	struct list undos;   /* struct sem_undo.set_node */
	struct sem sems[];
};

struct sem_waiter {
	struct list node;
	int semnum;
	bool zero; /* waits for zero, else for an increase */
};

/* One process's adjustments for one set. */
struct sem_undo {
	struct list set_node;  /* in set->undos */
	struct list proc_node; /* in undo_procs' list */
	struct sem_set *set;
	pid_t tgid;
	int adj[];
};

/* Guards every set of every IPC namespace and the undo records (which
 * a process may hold for sets of several namespaces); the namespaces'
 * own sem_lock is left unused. */
static struct spinlock sem_lock = SPINLOCK_INIT("sem");
/* Every undo record of every process (few processes use SEM_UNDO). */
static struct list undo_list = LIST_INIT(undo_list);

static struct sem_set *set_of(struct ipc_perm_k *p)
{
	return (struct sem_set *)p;
}

static int current_pid(void)
{
	return task_tgid(current());
}

/* ------------------------------------------------------------ semget */

static int get_existing(struct ipc_perm_k *p, int nsems, int flags)
{
	if ((flags & IPC_FLAG_CREAT) && (flags & IPC_FLAG_EXCL))
		return -EEXIST;
	if (nsems > set_of(p)->nsems)
		return -EINVAL;
	int r = ipc_perm_check(p, flags);
	return r < 0 ? r : p->id;
}

static struct sem_set *set_new(int32_t key, int nsems, int flags)
{
	struct sem_set *s = kzalloc(sizeof(*s) + (size_t)nsems * sizeof(struct sem));
	if (!s)
		return NULL;
	ipc_perm_init(&s->perm, key, flags);
	s->nsems = nsems;
	s->ctime = ipc_now();
	s->refs = 1;
	s->ns = ipc_ns_current();
	wq_init(&s->wq, "semset");
	list_init(&s->waiters);
	list_init(&s->undos);
	return s;
}

/* Inserts s unless its key was taken meanwhile: id, -EAGAIN, -ENOSPC. */
static int insert_new(struct sem_set *s)
{
	struct ipc_ns *ns = s->ns;
	int r;
	spin_lock(&sem_lock);
	if (ipc_ids_find_key(&ns->sem_ids, s->perm.key))
		r = -EAGAIN;
	else if (ns->sem_used + s->nsems > SEM_MNS)
		r = -ENOSPC;
	else if ((r = ipc_ids_insert(&ns->sem_ids, &s->perm)) == 0) {
		ns->sem_used += s->nsems;
		r = s->perm.id;
	}
	spin_unlock(&sem_lock);
	return r;
}

int sem_get(int32_t key, int nsems, int flags)
{
	struct ipc_ns *ns = ipc_ns_current();
	if (nsems < 0 || nsems > SEM_MSL)
		return -EINVAL;
	int r = ipc_ids_prepare(&ns->sem_ids);
	if (r < 0)
		return r;
	for (;;) {
		if (key != IPC_PRIVATE_KEY) {
			spin_lock(&sem_lock);
			struct ipc_perm_k *p = ipc_ids_find_key(&ns->sem_ids, key);
			r = p                          ? get_existing(p, nsems, flags)
			    : (flags & IPC_FLAG_CREAT) ? 0
			                               : -ENOENT;
			spin_unlock(&sem_lock);
			if (p || r < 0)
				return r;
		}
		if (nsems == 0)
			return -EINVAL;
		struct sem_set *s = set_new(key, nsems, flags);
		if (!s)
			return -ENOMEM;
		r = insert_new(s);
		if (r >= 0)
			return r;
		kfree(s);
		if (r != -EAGAIN)
			return r;
	}
}

/* ------------------------------------------------------------ removal */

static void set_put(struct sem_set *s)
{
	if (--s->refs == 0)
		kfree(s);
}

static void undo_free(struct sem_undo *u)
{
	list_remove(&u->set_node);
	list_remove(&u->proc_node);
	kfree(u);
}

/* Takes s out of the table and wakes its sleepers (-EIDRM); lock held. */
static void set_destroy(struct sem_set *s)
{
	struct ipc_ns *ns = s->ns;
	ipc_ids_remove(&ns->sem_ids, &s->perm);
	ns->sem_used -= s->nsems;
	s->removed = true;
	while (!list_empty(&s->undos))
		undo_free(list_first_entry(&s->undos, struct sem_undo, set_node));
	wq_wake_all(&s->wq);
	set_put(s);
}

int sem_remove(int id)
{
	struct ipc_ns *ns = ipc_ns_current();
	spin_lock(&sem_lock);
	struct ipc_perm_k *p = ipc_ids_find_id(&ns->sem_ids, id);
	int r = !p ? -EINVAL : !ipc_is_owner(p) ? -EPERM : 0;
	if (r == 0)
		set_destroy(set_of(p));
	spin_unlock(&sem_lock);
	return r;
}

void sem_ns_end(struct ipc_ns *ns)
{
	spin_lock(&sem_lock);
	for (int i = 0, max = ipc_ids_max_idx(&ns->sem_ids); i <= max; i++) {
		struct ipc_perm_k *p = ipc_ids_at(&ns->sem_ids, i);
		if (p)
			set_destroy(set_of(p));
	}
	spin_unlock(&sem_lock);
}

/* ------------------------------------------------------------ semop */

/* The undo record of the running process for s, or NULL; lock held. */
static struct sem_undo *undo_find(struct sem_set *s, pid_t tgid)
{
	struct list *pos;
	list_for_each(pos, &s->undos)
	{
		struct sem_undo *u = list_entry(pos, struct sem_undo, set_node);
		if (u->tgid == tgid)
			return u;
	}
	return NULL;
}

/* Undoes sops[0..n) on s (the ones applied before one failed). */
static void rollback(struct sem_set *s, const struct sem_buf *sops, int n)
{
	while (n-- > 0)
		s->sems[sops[n].num].val -= sops[n].op;
}

/* Applies every operation or none: 0, -ERANGE, or 1 with *block the
 * operation that cannot proceed yet.  Lock held. */
static int try_ops(struct sem_set *s, const struct sem_buf *sops, int nsops, struct sem_undo *u,
                   int *block)
{
	for (int i = 0; i < nsops; i++) {
		struct sem *sem = &s->sems[sops[i].num];
		int op = sops[i].op, nv = sem->val + op;
		if ((op == 0 && sem->val != 0) || nv < 0) {
			rollback(s, sops, i);
			*block = i;
			return 1;
		}
		if (nv > SEM_VMX) {
			rollback(s, sops, i);
			return -ERANGE;
		}
		if ((sops[i].flags & SEM_F_UNDO) && u) {
			int adj = u->adj[sops[i].num] - op;
			if (adj < -SEM_AEM - 1 || adj > SEM_AEM) {
				rollback(s, sops, i);
				return -ERANGE;
			}
		}
		sem->val = nv;
	}
	int pid = current_pid();
	for (int i = 0; i < nsops; i++) {
		if ((sops[i].flags & SEM_F_UNDO) && u)
			u->adj[sops[i].num] -= sops[i].op;
		s->sems[sops[i].num].pid = pid;
	}
	return 0;
}

/* Finds the set for semop and checks what Linux checks before trying:
 * NULL with *err set on failure.  Lock held. */
static struct sem_set *op_lookup(int id, const struct sem_buf *sops, int nsops, int *err)
{
	struct ipc_ns *ns = ipc_ns_current();
	struct ipc_perm_k *p = ipc_ids_find_id(&ns->sem_ids, id);
	if (!p) {
		*err = -EINVAL;
		return NULL;
	}
	struct sem_set *s = set_of(p);
	bool alter = false;
	for (int i = 0; i < nsops; i++) {
		if (sops[i].num >= s->nsems) {
			*err = -EFBIG;
			return NULL;
		}
		alter |= sops[i].op != 0;
	}
	*err = ipc_perm_check(p, alter ? 0222 : 0444);
	return *err < 0 ? NULL : s;
}

static bool wants_undo(const struct sem_buf *sops, int nsops)
{
	for (int i = 0; i < nsops; i++)
		if (sops[i].flags & SEM_F_UNDO)
			return true;
	return false;
}

/* Makes sure the running process has an undo record for set id (taking
 * and releasing the lock): 0 or -ENOMEM / the lookup's error. */
static int undo_prepare(int id, const struct sem_buf *sops, int nsops)
{
	pid_t tgid = current_pid();
	struct sem_undo *spare = NULL;
	for (;;) {
		int err;
		spin_lock(&sem_lock);
		struct sem_set *s = op_lookup(id, sops, nsops, &err);
		if (s && !undo_find(s, tgid) && spare && spare->set == s) {
			list_push_back(&s->undos, &spare->set_node);
			list_push_back(&undo_list, &spare->proc_node);
			spare = NULL;
		}
		bool done = !s || undo_find(s, tgid);
		int n = s ? s->nsems : 0;
		spin_unlock(&sem_lock);
		if (done) {
			kfree(spare);
			return s ? 0 : err;
		}
		kfree(spare);
		if (!(spare = kzalloc(sizeof(*spare) + (size_t)n * sizeof(int))))
			return -ENOMEM;
		spare->set = s;
		spare->tgid = tgid;
	}
}

/* One sleep of sem_op on s for operation b; lock held.  Returns -EIDRM
 * when s was removed meanwhile (s may be gone then), else what the sleep
 * returned. */
static int op_sleep(struct sem_set *s, const struct sem_buf *b, uint64_t deadline_ns)
{
	struct sem_waiter w = {.semnum = b->num, .zero = b->op == 0};
	list_push_back(&s->waiters, &w.node);
	s->refs++;
	int r = deadline_ns ? wq_sleep_until(&s->wq, &sem_lock, deadline_ns)
	                    : wq_sleep(&s->wq, &sem_lock);
	list_remove(&w.node);
	bool removed = s->removed;
	set_put(s);
	return removed ? -EIDRM : r;
}

int sem_op(int id, const struct sem_buf *sops, int nsops, uint64_t deadline_ns)
{
	int err = 0;
	if (wants_undo(sops, nsops) && (err = undo_prepare(id, sops, nsops)) < 0)
		return err;
	spin_lock(&sem_lock);
	struct sem_set *s = op_lookup(id, sops, nsops, &err);
	bool last_try = false;
	while (s) {
		int block;
		struct sem_undo *u = undo_find(s, current_pid());
		int r = try_ops(s, sops, nsops, u, &block);
		if (r <= 0) {
			if (r == 0) {
				s->otime = ipc_now();
				wq_wake_all(&s->wq);
			}
			err = r;
			break;
		}
		if (last_try || (sops[block].flags & SEM_F_NOWAIT)) {
			err = -EAGAIN;
			break;
		}
		r = op_sleep(s, &sops[block], deadline_ns);
		if (r == -EIDRM || r == -EINTR) {
			err = r;
			break;
		}
		last_try = r == -ETIMEDOUT; /* it may have become possible meanwhile */
	}
	spin_unlock(&sem_lock);
	return err;
}

/* ------------------------------------------------------------ semctl */

static struct sem_set *ctl_lookup(int id, int access, int *err)
{
	struct ipc_ns *ns = ipc_ns_current();
	struct ipc_perm_k *p = ipc_ids_find_id(&ns->sem_ids, id);
	*err = !p ? -EINVAL : access ? ipc_perm_check(p, access) : 0;
	return *err < 0 ? NULL : set_of(p);
}

int sem_stat(int id, bool by_index, bool check, struct sem_stat *out)
{
	struct ipc_ns *ns = ipc_ns_current();
	spin_lock(&sem_lock);
	struct ipc_perm_k *p =
	    by_index ? ipc_ids_at(&ns->sem_ids, id) : ipc_ids_find_id(&ns->sem_ids, id);
	int r = p ? (check ? ipc_perm_check(p, 0444) : 0) : -EINVAL;
	if (r == 0) {
		struct sem_set *s = set_of(p);
		*out = (struct sem_stat){*p, s->nsems, s->otime, s->ctime};
		r = by_index ? p->id : 0;
	}
	spin_unlock(&sem_lock);
	return r;
}

int sem_set_perm(int id, uint32_t uid, uint32_t gid, uint32_t mode)
{
	struct ipc_ns *ns = ipc_ns_current();
	spin_lock(&sem_lock);
	struct ipc_perm_k *p = ipc_ids_find_id(&ns->sem_ids, id);
	int r = !p ? -EINVAL : !ipc_is_owner(p) ? -EPERM : 0;
	if (r == 0)
		r = ipc_perm_set(p, uid, gid, mode);
	if (r == 0)
		set_of(p)->ctime = ipc_now();
	spin_unlock(&sem_lock);
	return r;
}

static int count_waiters(struct sem_set *s, int semnum, bool zero)
{
	int n = 0;
	struct list *pos;
	list_for_each(pos, &s->waiters)
	{
		struct sem_waiter *w = list_entry(pos, struct sem_waiter, node);
		n += w->semnum == semnum && w->zero == zero;
	}
	return n;
}

int sem_query(int id, int semnum, enum sem_query what)
{
	int r;
	spin_lock(&sem_lock);
	struct sem_set *s = ctl_lookup(id, 0444, &r);
	if (s && (semnum < 0 || semnum >= s->nsems))
		r = -EINVAL;
	else if (s && what == SEM_Q_VAL)
		r = s->sems[semnum].val;
	else if (s && what == SEM_Q_PID)
		r = s->sems[semnum].pid;
	else if (s)
		r = count_waiters(s, semnum, what == SEM_Q_ZCNT);
	spin_unlock(&sem_lock);
	return r;
}

/* SETVAL and SETALL forget every process's adjustments of what they set. */
static void clear_undo(struct sem_set *s, int semnum)
{
	struct list *pos;
	list_for_each(pos, &s->undos)
	{
		struct sem_undo *u = list_entry(pos, struct sem_undo, set_node);
		if (semnum >= 0)
			u->adj[semnum] = 0;
		else
			memset(u->adj, 0, (size_t)s->nsems * sizeof(int));
	}
}

int sem_setval(int id, int semnum, int val)
{
	if (val < 0 || val > SEM_VMX)
		return -ERANGE;
	int r;
	spin_lock(&sem_lock);
	struct sem_set *s = ctl_lookup(id, 0, &r);
	if (s && (semnum < 0 || semnum >= s->nsems))
		r = -EINVAL;
	else if (s)
		r = ipc_perm_check(&s->perm, 0222);
	if (s && r == 0) {
		s->sems[semnum] = (struct sem){val, current_pid()};
		clear_undo(s, semnum);
		s->ctime = ipc_now();
		wq_wake_all(&s->wq);
	}
	spin_unlock(&sem_lock);
	return r;
}

int sem_nsems(int id, int access)
{
	int r;
	spin_lock(&sem_lock);
	struct sem_set *s = ctl_lookup(id, access, &r);
	if (s)
		r = s->nsems;
	spin_unlock(&sem_lock);
	return r;
}

int sem_getall(int id, uint16_t *vals, int n)
{
	int r;
	spin_lock(&sem_lock);
	struct sem_set *s = ctl_lookup(id, 0444, &r);
	if (s && s->nsems != n)
		r = -EIDRM;
	for (int i = 0; s && r == 0 && i < n; i++)
		vals[i] = (uint16_t)s->sems[i].val;
	spin_unlock(&sem_lock);
	return r;
}

int sem_setall(int id, const uint16_t *vals, int n)
{
	for (int i = 0; i < n; i++)
		if (vals[i] > SEM_VMX)
			return -ERANGE;
	int r;
	spin_lock(&sem_lock);
	struct sem_set *s = ctl_lookup(id, 0222, &r);
	if (r == -EINVAL || (s && s->nsems != n))
		r = -EIDRM; /* it existed when the caller asked its size */
	if (s && r == 0) {
		int pid = current_pid();
		for (int i = 0; i < n; i++)
			s->sems[i] = (struct sem){vals[i], pid};
		clear_undo(s, -1);
		s->ctime = ipc_now();
		wq_wake_all(&s->wq);
	}
	spin_unlock(&sem_lock);
	return r;
}

int sem_usage(struct sem_usage *out)
{
	struct ipc_ns *ns = ipc_ns_current();
	spin_lock(&sem_lock);
	*out = (struct sem_usage){ns->sem_ids.in_use, ns->sem_used};
	int max = ipc_ids_max_idx(&ns->sem_ids);
	spin_unlock(&sem_lock);
	return max < 0 ? 0 : max;
}

void sem_for_each(void (*fn)(const struct sem_stat *st, void *ctx), void *ctx)
{
	struct ipc_ns *ns = ipc_ns_current();
	for (int idx = 0;; idx++) {
		struct sem_stat st;
		bool found = false;
		spin_lock(&sem_lock);
		for (int max = ipc_ids_max_idx(&ns->sem_ids); !found && idx <= max; idx++) {
			struct ipc_perm_k *p = ipc_ids_at(&ns->sem_ids, idx);
			if (p) {
				struct sem_set *s = set_of(p);
				st = (struct sem_stat){*p, s->nsems, s->otime, s->ctime};
				found = true;
			}
		}
		spin_unlock(&sem_lock);
		if (!found)
			return;
		idx--;
		fn(&st, ctx);
	}
}

/* ------------------------------------------------------------ exit */

/* Applies u's adjustments, clamped as Linux does; lock held. */
static void undo_apply(struct sem_undo *u)
{
	struct sem_set *s = u->set;
	bool changed = false;
	for (int i = 0; i < s->nsems; i++) {
		if (!u->adj[i])
			continue;
		int v = s->sems[i].val + u->adj[i];
		s->sems[i].val = v < 0 ? 0 : v > SEM_VMX ? SEM_VMX : v;
		s->sems[i].pid = u->tgid;
		changed = true;
	}
	if (changed) {
		s->otime = ipc_now();
		wq_wake_all(&s->wq);
	}
}

void sem_process_end(pid_t tgid)
{
	if (list_empty(&undo_list)) /* a racy peek: nobody adds for tgid now */
		return;
	spin_lock(&sem_lock);
	struct list *pos, *tmp;
	list_for_each_safe(pos, tmp, &undo_list)
	{
		struct sem_undo *u = list_entry(pos, struct sem_undo, proc_node);
		if (u->tgid != tgid)
			continue;
		undo_apply(u);
		undo_free(u);
	}
	spin_unlock(&sem_lock);
}
