/*
 * Handle tables (see handle.h).
 */
#include "obj/handle.h"

#include "core/kernel.h"
#include "abi/abi.h"
#include "mm/kmalloc.h"

struct handle_table *handle_table_create(void)
{
	struct handle_table *ht = kzalloc(sizeof(*ht));
	if (!ht)
		return NULL;
	ht->refcount = 1;
	spin_init(&ht->lock, "handles");
	return ht;
}

struct handle_table *handle_table_clone(struct handle_table *ht)
{
	struct handle_table *n = handle_table_create();
	if (!n)
		return NULL;
	spin_lock(&ht->lock);
	for (int i = 0; i < HANDLE_MAX; i++) {
		if (ht->slots[i].obj) {
			n->slots[i].obj = kobj_get(ht->slots[i].obj);
			n->slots[i].flags = ht->slots[i].flags;
		}
	}
	spin_unlock(&ht->lock);
	return n;
}

struct handle_table *handle_table_get(struct handle_table *ht)
{
	__atomic_add_fetch(&ht->refcount, 1, __ATOMIC_RELAXED);
	return ht;
}

static void table_put(struct handle_table *ht, bool closing)
{
	if (__atomic_sub_fetch(&ht->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (int i = 0; i < HANDLE_MAX; i++) {
		if (closing)
			kobj_flush(ht->slots[i].obj);
		kobj_put(ht->slots[i].obj);
	}
	kfree(ht);
}

void handle_table_put(struct handle_table *ht)
{
	table_put(ht, false);
}

void handle_table_put_exit(struct handle_table *ht)
{
	table_put(ht, true);
}

void handle_table_exec(struct handle_table *ht)
{
	for (int i = 0; i < HANDLE_MAX; i++) {
		if (ht->slots[i].obj && (ht->slots[i].flags & HANDLE_CLOEXEC))
			handle_close(ht, i);
	}
}

int handle_install(struct handle_table *ht, struct kobj *obj, unsigned flags, int min)
{
	if (min < 0 || min >= HANDLE_MAX)
		return -EINVAL;
	spin_lock(&ht->lock);
	for (int i = min; i < HANDLE_MAX; i++) {
		if (!ht->slots[i].obj) {
			ht->slots[i].obj = obj;
			ht->slots[i].flags = flags;
			spin_unlock(&ht->lock);
			return i;
		}
	}
	spin_unlock(&ht->lock);
	return -EMFILE;
}

struct kobj *handle_get(struct handle_table *ht, int h)
{
	if (h < 0 || h >= HANDLE_MAX)
		return NULL;
	spin_lock(&ht->lock);
	struct kobj *o = ht->slots[h].obj;
	if (o)
		kobj_get(o);
	spin_unlock(&ht->lock);
	return o;
}

int handle_close(struct handle_table *ht, int h)
{
	if (h < 0 || h >= HANDLE_MAX)
		return -EBADF;
	spin_lock(&ht->lock);
	struct kobj *o = ht->slots[h].obj;
	ht->slots[h].obj = NULL;
	ht->slots[h].flags = 0;
	spin_unlock(&ht->lock);
	if (!o)
		return -EBADF;
	kobj_flush(o); /* outside the lock, as release: may sleep */
	kobj_put(o);
	return 0;
}

int handle_dup2(struct handle_table *ht, int h, int newh, unsigned flags)
{
	if (h < 0 || h >= HANDLE_MAX || newh < 0 || newh >= HANDLE_MAX)
		return -EBADF;
	spin_lock(&ht->lock);
	struct kobj *o = ht->slots[h].obj;
	if (!o) {
		spin_unlock(&ht->lock);
		return -EBADF;
	}
	struct kobj *old = ht->slots[newh].obj;
	if (h != newh) {
		ht->slots[newh].obj = kobj_get(o);
		ht->slots[newh].flags = flags;
	} else {
		old = NULL;
	}
	spin_unlock(&ht->lock);
	kobj_flush(old);
	kobj_put(old);
	return newh;
}

void handle_close_range(struct handle_table *ht, int first, int last, bool cloexec_only)
{
	for (int h = MAX(first, 0); h <= MIN(last, HANDLE_MAX - 1); h++) {
		if (!cloexec_only) {
			handle_close(ht, h);
			continue;
		}
		spin_lock(&ht->lock);
		if (ht->slots[h].obj)
			ht->slots[h].flags |= HANDLE_CLOEXEC;
		spin_unlock(&ht->lock);
	}
}

int handle_get_flags(struct handle_table *ht, int h)
{
	if (h < 0 || h >= HANDLE_MAX)
		return -EBADF;
	spin_lock(&ht->lock);
	int r = ht->slots[h].obj ? (int)ht->slots[h].flags : -EBADF;
	spin_unlock(&ht->lock);
	return r;
}

int handle_set_flags(struct handle_table *ht, int h, unsigned flags)
{
	if (h < 0 || h >= HANDLE_MAX)
		return -EBADF;
	spin_lock(&ht->lock);
	int r = -EBADF;
	if (ht->slots[h].obj) {
		ht->slots[h].flags = flags;
		r = 0;
	}
	spin_unlock(&ht->lock);
	return r;
}

int handle_export_identity(struct handle_table *ht, struct fd_carry *out, int max)
{
	int n = 0;
	for (int h = 0; h < HANDLE_MAX && n < max; h++) {
		int flags = handle_get_flags(ht, h);
		if (flags < 0 || (flags & HANDLE_CLOEXEC))
			continue;
		struct kobj *o = handle_get(ht, h);
		if (o)
			out[n++] = (struct fd_carry){.fd = h, .obj = o};
	}
	return n;
}

int handle_import_identity(struct handle_table *ht, struct fd_carry *in, int n)
{
	int r = 0;
	for (int i = 0; i < n; i++) {
		/* fds are distinct and the table empty: fd n lands on handle n */
		bool fits = in[i].fd >= 0 && in[i].fd < HANDLE_MAX;
		int h = r == 0 && fits ? handle_install(ht, in[i].obj, 0, in[i].fd) : -EBADF;
		if (h < 0) {
			kobj_put(in[i].obj);
			if (r == 0 && fits)
				r = h;
		}
	}
	return r;
}
