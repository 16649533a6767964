/*
 * Poll readiness of pipe ends and objects without a poll operation, and
 * the poll waiter's wake-up path (obj/poll.h), in cases that never
 * sleep.
 */
#include <scarlet/abi.h>

#include "core/kernel.h"
#include "core/ktest.h"
#include "dev/mem_devices.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "obj/pipe.h"
#include "obj/poll.h"

#define RING (64 * 1024)

static ssize_t kt_write(struct kobj *o, const void *buf, size_t n)
{
	struct iobuf io = iobuf_kernel((void *)buf, n);
	return kobj_write(o, &io);
}

static ssize_t kt_read(struct kobj *o, void *buf, size_t n)
{
	struct iobuf io = iobuf_kernel(buf, n);
	return kobj_read(o, &io);
}

KTEST(poll_pipe_read_end)
{
	struct kobj *e[2];
	char buf[8];
	KT_CHECK(pipe_create(e, 0) == 0);
	KT_CHECK(kobj_poll(e[0], NULL) == 0);
	KT_CHECK(kobj_nread(e[0]) == 0);
	KT_CHECK(kt_write(e[1], "abc", 3) == 3);
	KT_CHECK(kobj_poll(e[0], NULL) == (POLLIN | POLLRDNORM));
	KT_CHECK(kobj_nread(e[0]) == 3);
	KT_CHECK(kobj_nread(e[1]) == 3);
	kobj_put(e[1]);
	/* data left and no writer: readable and hung up */
	KT_CHECK(kobj_poll(e[0], NULL) == (POLLIN | POLLRDNORM | POLLHUP));
	KT_CHECK(kt_read(e[0], buf, sizeof(buf)) == 3);
	KT_CHECK(kobj_poll(e[0], NULL) == POLLHUP);
	kobj_put(e[0]);
}

KTEST(poll_pipe_write_end)
{
	struct kobj *e[2];
	char *big = kzalloc(RING);
	KT_CHECK(big != NULL);
	if (!big)
		return;
	KT_CHECK(pipe_create(e, O_NONBLOCK) == 0);
	KT_CHECK(kobj_poll(e[1], NULL) == (POLLOUT | POLLWRNORM));
	/* writable while PIPE_BUF bytes fit */
	KT_CHECK(kt_write(e[1], big, RING - PIPE_BUF) == RING - PIPE_BUF);
	KT_CHECK(kobj_poll(e[1], NULL) == (POLLOUT | POLLWRNORM));
	KT_CHECK(kt_write(e[1], big, 1) == 1);
	KT_CHECK(kobj_poll(e[1], NULL) == 0);
	KT_CHECK(kt_read(e[0], big, 1) == 1);
	KT_CHECK(kobj_poll(e[1], NULL) == (POLLOUT | POLLWRNORM));
	/* no reader left: error */
	kobj_put(e[0]);
	KT_CHECK(kobj_poll(e[1], NULL) & POLLERR);
	kobj_put(e[1]);
	kfree(big);
}

KTEST(poll_always_ready_without_poll_op)
{
	struct kobj *o;
	KT_CHECK(chrdev_open(MKDEV(1, 3), O_RDWR, &o) == 0); /* /dev/null */
	KT_CHECK(kobj_poll(o, NULL) == POLL_ALWAYS_READY);
	KT_CHECK(kobj_nread(o) == -ENOTTY);
	kobj_put(o);
}

KTEST(poll_waiter_triggered_by_queue)
{
	struct kobj *e[2];
	struct poll_waiter w;
	KT_CHECK(pipe_create(e, 0) == 0);
	poll_waiter_init(&w);
	KT_CHECK(kobj_poll(e[0], poll_waiter_table(&w)) == 0);
	poll_waiter_registered(&w);
	KT_CHECK(w.error == 0 && !w.triggered);
	/* the entry holds the object: dropping our reference keeps it */
	int refs = e[0]->refcount;
	KT_CHECK(refs == 2);
	KT_CHECK(kt_write(e[1], "x", 1) == 1);
	KT_CHECK(w.triggered);
	/* no sleep when a wake-up already came */
	KT_CHECK(poll_waiter_sleep(&w, 0) == 0);
	KT_CHECK(!w.triggered);
	/* later scans do not register again */
	KT_CHECK(kobj_poll(e[0], poll_waiter_table(&w)) == (POLLIN | POLLRDNORM));
	KT_CHECK(e[0]->refcount == refs);
	poll_waiter_destroy(&w);
	KT_CHECK(e[0]->refcount == 1);
	/* after destroy no entry is left on the queue */
	KT_CHECK(kt_write(e[1], "y", 1) == 1);
	KT_CHECK(!w.triggered);
	kobj_put(e[0]);
	kobj_put(e[1]);
}
