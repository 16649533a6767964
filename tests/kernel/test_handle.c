/*
 * Handle tables and kernel object reference counting (obj/handle.h,
 * obj/kobj.h), with dummy objects whose release counts calls.
 */
#include "core/kernel.h"
#include "core/ktest.h"
#include "mm/kmalloc.h"
#include "obj/handle.h"

static int releases;

static void dummy_release(struct kobj *o)
{
	(void)o;
	releases++;
}

static const struct kobj_ops dummy_ops = {
    .type = "dummy",
    .release = dummy_release,
};

#define NDUMMY 4

static struct kobj dummies[NDUMMY];

static void dummies_init(void)
{
	releases = 0;
	for (int i = 0; i < NDUMMY; i++)
		kobj_init(&dummies[i], &dummy_ops, KOBJ_READ | KOBJ_WRITE);
}

KTEST(kobj_refcount)
{
	dummies_init();
	struct kobj *o = &dummies[0];
	KT_CHECK(o->refcount == 1);
	KT_CHECK(kobj_get(o) == o);
	KT_CHECK(o->refcount == 2);
	kobj_put(o);
	KT_CHECK(releases == 0);
	kobj_put(o);
	KT_CHECK(releases == 1);
	kobj_put(NULL); /* accepted */
	KT_CHECK(releases == 1);
}

KTEST(kobj_missing_capabilities)
{
	char buf[4];
	struct iobuf io = iobuf_kernel(buf, sizeof(buf));
	struct vattr *va = NULL;
	dummies_init();
	struct kobj *o = &dummies[0];
	KT_CHECK(kobj_read(o, &io) == -EINVAL);
	KT_CHECK(kobj_write(o, &io) == -EINVAL);
	KT_CHECK(kobj_seek(o, 0, 0) == -ESPIPE);
	KT_CHECK(kobj_ioctl(o, 1, 0) == -ENOTTY);
	KT_CHECK(kobj_truncate(o, 0) == -EINVAL);
	KT_CHECK(kobj_stat(o, va) == -EINVAL);
	/* access mode is checked first */
	o->flags = KOBJ_READ;
	KT_CHECK(kobj_write(o, &io) == -EBADF);
	KT_CHECK(kobj_truncate(o, 0) == -EBADF);
	o->flags = KOBJ_WRITE;
	KT_CHECK(kobj_read(o, &io) == -EBADF);
	kobj_put(o);
	KT_CHECK(releases == 1);
}

KTEST(handle_install_get_close)
{
	size_t heap = kmalloc_bytes_in_use();
	dummies_init();
	struct handle_table *ht = handle_table_create();
	KT_CHECK(ht != NULL);
	if (!ht)
		return;
	KT_CHECK(handle_install(ht, &dummies[0], 0, 0) == 0);
	KT_CHECK(handle_install(ht, &dummies[1], HANDLE_CLOEXEC, 0) == 1);
	KT_CHECK(handle_install(ht, &dummies[2], 0, 10) == 10);
	KT_CHECK(handle_install(ht, &dummies[3], 0, 0) == 2);
	KT_CHECK(handle_get_flags(ht, 1) == HANDLE_CLOEXEC);
	KT_CHECK(handle_get_flags(ht, 0) == 0);
	KT_CHECK(handle_get_flags(ht, 5) == -EBADF);
	KT_CHECK(handle_get_flags(ht, -1) == -EBADF);
	KT_CHECK(handle_get_flags(ht, HANDLE_MAX) == -EBADF);
	KT_CHECK(handle_install(ht, &dummies[0], 0, -1) == -EINVAL);
	KT_CHECK(handle_install(ht, &dummies[0], 0, HANDLE_MAX) == -EINVAL);

	struct kobj *o = handle_get(ht, 10);
	KT_CHECK(o == &dummies[2]);
	KT_CHECK(dummies[2].refcount == 2);
	kobj_put(o);
	KT_CHECK(handle_get(ht, 3) == NULL);
	KT_CHECK(handle_get(ht, -1) == NULL);
	KT_CHECK(handle_get(ht, HANDLE_MAX) == NULL);

	KT_CHECK(handle_close(ht, 10) == 0);
	KT_CHECK(releases == 1);
	KT_CHECK(handle_close(ht, 10) == -EBADF);
	KT_CHECK(handle_close(ht, -3) == -EBADF);
	KT_CHECK(handle_close(ht, HANDLE_MAX) == -EBADF);
	KT_CHECK(handle_get(ht, 10) == NULL);
	/* the lowest free handle is reused */
	kobj_init(&dummies[2], &dummy_ops, KOBJ_READ);
	KT_CHECK(handle_install(ht, &dummies[2], 0, 0) == 3);
	KT_CHECK(handle_close(ht, 0) == 0);
	KT_CHECK(releases == 2);
	kobj_init(&dummies[0], &dummy_ops, KOBJ_READ);
	KT_CHECK(handle_install(ht, &dummies[0], 0, 0) == 0);

	KT_CHECK(handle_set_flags(ht, 0, HANDLE_CLOEXEC) == 0);
	KT_CHECK(handle_get_flags(ht, 0) == HANDLE_CLOEXEC);
	KT_CHECK(handle_set_flags(ht, 7, HANDLE_CLOEXEC) == -EBADF);

	/* dropping the table drops every object */
	handle_table_put(ht);
	KT_CHECK(releases == 6);
	KT_CHECK(kmalloc_bytes_in_use() == heap);
}

KTEST(handle_emfile)
{
	dummies_init();
	struct handle_table *ht = handle_table_create();
	KT_CHECK(ht != NULL);
	if (!ht)
		return;
	int last = -1;
	bool in_order = true;
	for (int i = 0; i < HANDLE_MAX; i++) {
		int h = handle_install(ht, kobj_get(&dummies[0]), 0, 0);
		if (h != i)
			in_order = false;
		last = h;
	}
	KT_CHECK(in_order);
	KT_CHECK(last == HANDLE_MAX - 1);
	KT_CHECK(dummies[0].refcount == HANDLE_MAX + 1);
	/* full: the caller keeps its reference */
	KT_CHECK(handle_install(ht, &dummies[1], 0, 0) == -EMFILE);
	KT_CHECK(handle_install(ht, &dummies[1], 0, HANDLE_MAX - 1) == -EMFILE);
	KT_CHECK(dummies[1].refcount == 1);
	KT_CHECK(handle_close(ht, 77) == 0);
	KT_CHECK(handle_install(ht, &dummies[1], 0, 100) == -EMFILE);
	KT_CHECK(handle_install(ht, &dummies[1], 0, 0) == 77);
	handle_table_put(ht);
	KT_CHECK(dummies[0].refcount == 1);
	KT_CHECK(releases == 1); /* dummies[1] */
	kobj_put(&dummies[0]);
	KT_CHECK(releases == 2);
}

KTEST(handle_dup2)
{
	dummies_init();
	struct handle_table *ht = handle_table_create();
	KT_CHECK(ht != NULL);
	if (!ht)
		return;
	KT_CHECK(handle_install(ht, &dummies[0], HANDLE_CLOEXEC, 0) == 0);
	KT_CHECK(handle_install(ht, &dummies[1], 0, 0) == 1);

	/* to a free slot */
	KT_CHECK(handle_dup2(ht, 0, 5, 0) == 5);
	KT_CHECK(handle_get_flags(ht, 5) == 0);
	KT_CHECK(handle_get_flags(ht, 0) == HANDLE_CLOEXEC);
	KT_CHECK(dummies[0].refcount == 2);
	struct kobj *o = handle_get(ht, 5);
	KT_CHECK(o == &dummies[0]);
	kobj_put(o);

	/* over an open handle: the old object is closed */
	KT_CHECK(handle_dup2(ht, 0, 1, HANDLE_CLOEXEC) == 1);
	KT_CHECK(releases == 1);
	KT_CHECK(dummies[1].refcount == 0);
	KT_CHECK(dummies[0].refcount == 3);
	KT_CHECK(handle_get_flags(ht, 1) == HANDLE_CLOEXEC);

	/* onto itself: nothing changes */
	KT_CHECK(handle_dup2(ht, 0, 0, 0) == 0);
	KT_CHECK(dummies[0].refcount == 3);
	KT_CHECK(releases == 1);

	/* bad handles */
	KT_CHECK(handle_dup2(ht, 9, 3, 0) == -EBADF);
	KT_CHECK(handle_dup2(ht, 0, HANDLE_MAX, 0) == -EBADF);
	KT_CHECK(handle_dup2(ht, -1, 3, 0) == -EBADF);
	KT_CHECK(handle_dup2(ht, 0, -1, 0) == -EBADF);
	KT_CHECK(handle_get(ht, 3) == NULL);

	/* the object lives while any handle refers to it */
	KT_CHECK(handle_close(ht, 0) == 0);
	KT_CHECK(handle_close(ht, 5) == 0);
	KT_CHECK(releases == 1);
	KT_CHECK(handle_close(ht, 1) == 0);
	KT_CHECK(releases == 2);
	handle_table_put(ht);
	KT_CHECK(releases == 2);
}

KTEST(handle_exec_closes_cloexec)
{
	dummies_init();
	struct handle_table *ht = handle_table_create();
	KT_CHECK(ht != NULL);
	if (!ht)
		return;
	KT_CHECK(handle_install(ht, &dummies[0], 0, 0) == 0);
	KT_CHECK(handle_install(ht, &dummies[1], HANDLE_CLOEXEC, 0) == 1);
	KT_CHECK(handle_install(ht, &dummies[2], HANDLE_CLOEXEC, 200) == 200);
	KT_CHECK(handle_dup2(ht, 0, 3, HANDLE_CLOEXEC) == 3);
	handle_table_exec(ht);
	KT_CHECK(releases == 2);
	KT_CHECK(handle_get_flags(ht, 0) == 0);
	KT_CHECK(handle_get_flags(ht, 1) == -EBADF);
	KT_CHECK(handle_get_flags(ht, 3) == -EBADF);
	KT_CHECK(handle_get_flags(ht, 200) == -EBADF);
	KT_CHECK(dummies[0].refcount == 1);
	handle_table_put(ht);
	KT_CHECK(releases == 3);
}

KTEST(handle_table_clone_and_share)
{
	size_t heap = kmalloc_bytes_in_use();
	dummies_init();
	struct handle_table *ht = handle_table_create();
	KT_CHECK(ht != NULL);
	if (!ht)
		return;
	KT_CHECK(handle_install(ht, &dummies[0], 0, 0) == 0);
	KT_CHECK(handle_install(ht, &dummies[1], HANDLE_CLOEXEC, 4) == 4);

	struct handle_table *c = handle_table_clone(ht);
	KT_CHECK(c != NULL && c != ht);
	if (!c) {
		handle_table_put(ht);
		return;
	}
	KT_CHECK(c->refcount == 1);
	KT_CHECK(dummies[0].refcount == 2 && dummies[1].refcount == 2);
	KT_CHECK(handle_get_flags(c, 4) == HANDLE_CLOEXEC);
	KT_CHECK(handle_get_flags(c, 0) == 0);
	KT_CHECK(handle_get_flags(c, 1) == -EBADF);

	/* the tables are independent */
	KT_CHECK(handle_close(c, 0) == 0);
	KT_CHECK(releases == 0);
	KT_CHECK(handle_get_flags(ht, 0) == 0);
	KT_CHECK(handle_install(c, &dummies[2], 0, 0) == 0);
	struct kobj *o = handle_get(ht, 0);
	KT_CHECK(o == &dummies[0]);
	kobj_put(o);

	/* a shared table (threads) lives until its last reference */
	KT_CHECK(handle_table_get(ht) == ht);
	handle_table_put(ht);
	KT_CHECK(releases == 0);
	KT_CHECK(handle_get_flags(ht, 4) == HANDLE_CLOEXEC);

	handle_table_put(ht);
	KT_CHECK(releases == 1); /* dummies[0]; dummies[1] is still in c */
	KT_CHECK(dummies[1].refcount == 1);
	handle_table_put(c);
	KT_CHECK(releases == 3);
	KT_CHECK(kmalloc_bytes_in_use() == heap);
}
