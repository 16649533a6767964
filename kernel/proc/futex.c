/*
 * Futexes (see futex.h): hashed buckets of waiters, each bucket under a
 * spinlock.  A waiter lives on its sleeping task's stack; a waker unlinks
 * it and marks it woken under the bucket lock, so the sleeper can tell a
 * wake-up from a signal or a timeout.  Requeue moves waiters to another
 * key (and maybe another bucket) without waking them; a waiter finds its
 * current bucket through w->bucket, which changes only under both locks.
 *
 * Lock order: bucket (lower address first when two), then mm->lock
 * (vm_word_locked), then a task's lock (sched_wake).
 */
#include "proc/futex.h"

#include "arch/riscv64/memlayout.h"
#include "arch/riscv64/timer.h"
#include "core/kernel.h"
#include "core/might_sleep.h"
#include "fs/vfs.h"
#include "mm/vm.h"
#include "mm/vm_word.h"
#include "proc/sched.h"
#include "proc/task.h"

enum key_kind { KEY_PRIVATE, KEY_SHARED_MM, KEY_VNODE };

struct futex_key {
	const void *object; /* the mm, or the vnode (referenced) */
	uint64_t offset;    /* the address, or the byte offset in the vnode */
	enum key_kind kind;
};

struct futex_bucket {
	struct spinlock lock;
	struct list waiters; /* set up on first use (next == NULL before) */
};

struct futex_waiter {
	struct list node;
	struct futex_key key;
	uint32_t bitset;
	struct task *task;
	struct futex_bucket *bucket; /* where it is queued */
	bool woken;
};

#define FUTEX_BUCKETS     256
#define FUTEX_FAULT_TRIES 4
#define FUTEX_SPURIOUS    1 /* internal: woken by nobody, wait again */

static struct futex_bucket buckets[FUTEX_BUCKETS] = {
    [0 ... FUTEX_BUCKETS - 1] = {.lock = SPINLOCK_INIT("futex")},
};

/* ---------------------------------------------------------------- keys */

static int key_get(uint64_t uaddr, unsigned flags, struct futex_key *k)
{
	struct mm *mm = current()->mm;
	if (uaddr & 3)
		return -EINVAL;
	if (!mm || uaddr >= USER_TOP)
		return -EFAULT;
	*k = (struct futex_key){.object = mm, .offset = uaddr, .kind = KEY_PRIVATE};
	if (!(flags & FUTEX_F_SHARED))
		return 0;
	struct vnode *vn;
	uint64_t off;
	int r = vm_word_home(mm, uaddr, &vn, &off);
	if (r < 0)
		return r;
	if (vn)
		*k = (struct futex_key){.object = vn, .offset = off, .kind = KEY_VNODE};
	else
		k->kind = KEY_SHARED_MM;
	return 0;
}

/* May sleep (the last reference to a vnode). */
static void key_put(struct futex_key *k)
{
	if (k->kind == KEY_VNODE)
		vnode_put((struct vnode *)k->object);
	k->kind = KEY_PRIVATE;
}

static bool key_equal(const struct futex_key *a, const struct futex_key *b)
{
	return a->object == b->object && a->offset == b->offset && a->kind == b->kind;
}

static struct futex_bucket *bucket_of(const struct futex_key *k)
{
	uint64_t h = (uint64_t)(uintptr_t)k->object ^ (k->offset * 0x9e3779b97f4a7c15ull) ^ k->kind;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 29;
	return &buckets[h % FUTEX_BUCKETS];
}

/* ---------------------------------------------------------------- buckets */

static void bucket_lock(struct futex_bucket *b)
{
	spin_lock(&b->lock);
	if (!b->waiters.next)
		list_init(&b->waiters);
}

static void buckets_lock(struct futex_bucket *a, struct futex_bucket *b)
{
	if (a == b) {
		bucket_lock(a);
	} else if (a < b) {
		bucket_lock(a);
		bucket_lock(b);
	} else {
		bucket_lock(b);
		bucket_lock(a);
	}
}

static void buckets_unlock(struct futex_bucket *a, struct futex_bucket *b)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
}

/* Locks the bucket w is queued in now (a requeue may move it). */
static struct futex_bucket *waiter_bucket_lock(struct futex_waiter *w)
{
	for (;;) {
		struct futex_bucket *b = __atomic_load_n(&w->bucket, __ATOMIC_ACQUIRE);
		bucket_lock(b);
		if (b == w->bucket)
			return b;
		spin_unlock(&b->lock);
	}
}

/* Bucket lock held; w's task may run (and w vanish) once the lock goes. */
static void wake_waiter(struct futex_waiter *w)
{
	struct task *t = w->task;
	list_remove(&w->node);
	w->woken = true;
	sched_wake(t);
}

/* Wakes up to nr (at least one) waiters of k whose bitset meets bitset. */
static int wake_locked(struct futex_bucket *b, const struct futex_key *k, int nr, uint32_t bitset)
{
	struct list *pos, *tmp;
	int n = 0;
	list_for_each_safe(pos, tmp, &b->waiters)
	{
		struct futex_waiter *w = list_entry(pos, struct futex_waiter, node);
		if (!key_equal(&w->key, k) || !(w->bitset & bitset))
			continue;
		wake_waiter(w);
		if (++n >= nr)
			break;
	}
	return n;
}

/* ---------------------------------------------------------------- user words */

static int read_word(uint32_t *word, void *ctx)
{
	*(uint32_t *)ctx = __atomic_load_n(word, __ATOMIC_SEQ_CST);
	return 0;
}

/* Runs fn on the word with the buckets a and b locked on success (0 or
 * fn's result >= 0); faults the page in between tries.  On error nothing
 * is locked. */
static int word_op_locked(struct futex_bucket *a, struct futex_bucket *b, uint64_t uaddr,
                          bool write, int (*fn)(uint32_t *word, void *ctx), void *ctx)
{
	struct mm *mm = current()->mm;
	for (int tries = 0; tries < FUTEX_FAULT_TRIES; tries++) {
		buckets_lock(a, b);
		int r = vm_word_locked(mm, uaddr, write, fn, ctx);
		if (r >= 0)
			return r;
		buckets_unlock(a, b);
		if (r != -EAGAIN)
			return r;
		if (vm_word_fault(mm, uaddr, write) < 0)
			return -EFAULT;
	}
	return -EFAULT;
}

/* ---------------------------------------------------------------- wait */

/* Queues w when the word still holds val: 0 with w's bucket locked, else
 * -EAGAIN or -EFAULT with nothing locked. */
static int queue_if_equal(struct futex_waiter *w, uint64_t uaddr, uint32_t val)
{
	struct futex_bucket *b = bucket_of(&w->key);
	uint32_t cur;
	int r = word_op_locked(b, b, uaddr, false, read_word, &cur);
	if (r < 0)
		return r;
	if (cur != val) {
		spin_unlock(&b->lock);
		return -EAGAIN;
	}
	w->bucket = b;
	w->woken = false;
	list_push_back(&b->waiters, &w->node);
	return 0;
}

/* w is queued and its bucket locked: sleeps until woken, a signal or the
 * deadline.  0, -EINTR, -ETIMEDOUT or FUTEX_SPURIOUS; w is off the queue. */
static int sleep_queued(struct futex_waiter *w, uint64_t deadline)
{
	struct task *t = current();
	bool interrupted = false, expired = false;
	might_sleep_holding("futex_wait (with its bucket lock)", 1);
	spin_lock(&t->lock);
	spin_unlock(&w->bucket->lock);
	if (signal_pending(t)) {
		interrupted = true;
	} else if (deadline && timer_now_ns() >= deadline) {
		expired = true;
	} else {
		t->state = TASK_SLEEPING;
		t->sleep_interruptible = true;
		if (deadline)
			sleep_timer_add(t, deadline);
		sched_switch();
		t->sleep_interruptible = false;
	}
	spin_unlock(&t->lock);
	if (deadline && !expired)
		sleep_timer_remove(t);

	struct futex_bucket *b = waiter_bucket_lock(w);
	bool woken = w->woken;
	if (!woken)
		list_remove(&w->node);
	spin_unlock(&b->lock);
	if (woken)
		return 0;
	if (interrupted || signal_pending(t))
		return -EINTR;
	if (expired || (deadline && timer_now_ns() >= deadline))
		return -ETIMEDOUT;
	return FUTEX_SPURIOUS;
}

int futex_wait(uint64_t uaddr, unsigned flags, uint32_t val, uint32_t bitset, uint64_t deadline_ns)
{
	might_sleep();
	if (!bitset)
		return -EINVAL;
	struct futex_waiter w = {.bitset = bitset, .task = current()};
	int r;
	do {
		r = key_get(uaddr, flags, &w.key);
		if (r < 0)
			return r;
		r = queue_if_equal(&w, uaddr, val);
		if (r == 0)
			r = sleep_queued(&w, deadline_ns);
		key_put(&w.key); /* a requeue may have changed it: the reference went along */
	} while (r == FUTEX_SPURIOUS);
	return r;
}

/* ---------------------------------------------------------------- wake, requeue */

int futex_wake(uint64_t uaddr, unsigned flags, int nr, uint32_t bitset)
{
	if (!bitset)
		return -EINVAL;
	struct futex_key k;
	int r = key_get(uaddr, flags, &k);
	if (r < 0)
		return r;
	struct futex_bucket *b = bucket_of(&k);
	bucket_lock(b);
	int n = wake_locked(b, &k, nr, bitset);
	spin_unlock(&b->lock);
	key_put(&k);
	return n;
}

/* Moves w (a waiter of from, in bucket a) to key to in bucket b.  The
 * caller holds a reference on from's vnode, so the waiter's own can be
 * dropped here without it being the last. */
static void requeue_waiter(struct futex_waiter *w, struct futex_bucket *a, struct futex_bucket *b,
                           const struct futex_key *to)
{
	if (to->kind == KEY_VNODE)
		vnode_get((struct vnode *)to->object);
	if (w->key.kind == KEY_VNODE)
		vnode_put((struct vnode *)w->key.object);
	w->key = *to;
	if (a != b) {
		list_remove(&w->node);
		list_push_back(&b->waiters, &w->node);
		__atomic_store_n(&w->bucket, b, __ATOMIC_RELEASE);
	}
}

/* Linux's loop: wakes the first nr_wake waiters, moves the next
 * nr_requeue; returns how many were woken or moved. */
static int requeue_locked(struct futex_bucket *a, const struct futex_key *from,
                          struct futex_bucket *b, const struct futex_key *to, int nr_wake,
                          int nr_requeue)
{
	struct list *pos, *tmp;
	int count = 0;
	list_for_each_safe(pos, tmp, &a->waiters)
	{
		if (count - nr_wake >= nr_requeue)
			break;
		struct futex_waiter *w = list_entry(pos, struct futex_waiter, node);
		if (!key_equal(&w->key, from))
			continue;
		if (++count <= nr_wake)
			wake_waiter(w);
		else
			requeue_waiter(w, a, b, to);
	}
	return count;
}

static int two_keys(uint64_t uaddr, uint64_t uaddr2, unsigned flags, struct futex_key *k1,
                    struct futex_key *k2)
{
	int r = key_get(uaddr, flags, k1);
	if (r < 0)
		return r;
	r = key_get(uaddr2, flags, k2);
	if (r < 0)
		key_put(k1);
	return r;
}

int futex_requeue(uint64_t uaddr, uint64_t uaddr2, unsigned flags, int nr_wake, int nr_requeue,
                  const uint32_t *cmpval)
{
	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	struct futex_key k1, k2;
	int r = two_keys(uaddr, uaddr2, flags, &k1, &k2);
	if (r < 0)
		return r;
	struct futex_bucket *a = bucket_of(&k1), *b = bucket_of(&k2);
	if (cmpval) {
		uint32_t cur;
		r = word_op_locked(a, b, uaddr, false, read_word, &cur);
		if (r == 0 && cur != *cmpval) {
			buckets_unlock(a, b);
			r = -EAGAIN;
		}
	} else {
		buckets_lock(a, b);
	}
	if (r == 0) {
		r = requeue_locked(a, &k1, b, &k2, nr_wake, nr_requeue);
		buckets_unlock(a, b);
	}
	key_put(&k1);
	key_put(&k2);
	return r;
}

/* ---------------------------------------------------------------- wake_op */

struct op_ctx {
	const struct futex_op *op;
	uint32_t old;
};

static int apply_op(uint32_t *word, void *arg)
{
	struct op_ctx *c = arg;
	uint32_t a = c->op->oparg;
	switch (c->op->op) {
	case FUTEX_OP_K_SET:
		c->old = __atomic_exchange_n(word, a, __ATOMIC_SEQ_CST);
		return 0;
	case FUTEX_OP_K_ADD:
		c->old = __atomic_fetch_add(word, a, __ATOMIC_SEQ_CST);
		return 0;
	case FUTEX_OP_K_OR:
		c->old = __atomic_fetch_or(word, a, __ATOMIC_SEQ_CST);
		return 0;
	case FUTEX_OP_K_ANDN:
		c->old = __atomic_fetch_and(word, ~a, __ATOMIC_SEQ_CST);
		return 0;
	case FUTEX_OP_K_XOR:
		c->old = __atomic_fetch_xor(word, a, __ATOMIC_SEQ_CST);
		return 0;
	}
	return -ENOSYS;
}

/* 1 when old passes op's test, 0 when not, -ENOSYS for an unknown test. */
static int op_test(const struct futex_op *op, uint32_t old)
{
	int32_t v = (int32_t)old, arg = op->cmparg;
	switch (op->cmp) {
	case FUTEX_CMP_K_EQ:
		return v == arg;
	case FUTEX_CMP_K_NE:
		return v != arg;
	case FUTEX_CMP_K_LT:
		return v < arg;
	case FUTEX_CMP_K_LE:
		return v <= arg;
	case FUTEX_CMP_K_GT:
		return v > arg;
	case FUTEX_CMP_K_GE:
		return v >= arg;
	}
	return -ENOSYS;
}

int futex_wake_op(uint64_t uaddr, uint64_t uaddr2, unsigned flags, int nr_wake, int nr_wake2,
                  const struct futex_op *op)
{
	struct futex_key k1, k2;
	int r = two_keys(uaddr, uaddr2, flags, &k1, &k2);
	if (r < 0)
		return r;
	struct futex_bucket *a = bucket_of(&k1), *b = bucket_of(&k2);
	struct op_ctx c = {.op = op};
	r = word_op_locked(a, b, uaddr2, true, apply_op, &c);
	if (r == 0) {
		int pass = op_test(op, c.old);
		if (pass < 0) {
			r = pass;
		} else {
			r = wake_locked(a, &k1, nr_wake, FUTEX_BITSET_ANY);
			if (pass)
				r += wake_locked(b, &k2, nr_wake2, FUTEX_BITSET_ANY);
		}
		buckets_unlock(a, b);
	}
	key_put(&k1);
	key_put(&k2);
	return r;
}

/* ---------------------------------------------------------------- cmpxchg */

struct cmpxchg_ctx {
	uint32_t old, new, seen;
};

static int cmpxchg_word(uint32_t *word, void *arg)
{
	struct cmpxchg_ctx *c = arg;
	c->seen = c->old;
	bool ok = __atomic_compare_exchange_n(word, &c->seen, c->new, false, __ATOMIC_SEQ_CST,
	                                      __ATOMIC_SEQ_CST);
	return ok ? 0 : 1;
}

int futex_cmpxchg(uint64_t uaddr, uint32_t old, uint32_t new, uint32_t *seen)
{
	struct mm *mm = current()->mm;
	struct cmpxchg_ctx c = {.old = old, .new = new};
	if (!mm || (uaddr & 3))
		return -EFAULT;
	for (int tries = 0; tries < FUTEX_FAULT_TRIES; tries++) {
		int r = vm_word_locked(mm, uaddr, true, cmpxchg_word, &c);
		if (r >= 0) {
			*seen = c.seen;
			return r ? -EAGAIN : 0;
		}
		if (r != -EAGAIN || vm_word_fault(mm, uaddr, true) < 0)
			return -EFAULT;
	}
	return -EFAULT;
}
