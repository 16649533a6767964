/*
 * Pipes (obj/pipe.h), only in cases that never block: there is no task
 * to put to sleep while the tests run.  Writing with no reader left sends
 * SIGPIPE to current(), so that case is not tested here either.
 */
#include <scarlet/abi.h>

#include "core/kernel.h"
#include "core/ktest.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "obj/pipe.h"

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

/* byte x of an endless test stream */
static unsigned char pattern(size_t x)
{
	return (unsigned char)(x * 31 + (x >> 8));
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = pattern(i + seed);
}

static bool check(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != pattern(i + seed))
			return false;
	}
	return true;
}

KTEST(pipe_basic_read_write)
{
	struct kobj *e[2];
	unsigned char out[300], in[300];
	KT_CHECK(pipe_create(e, 0) == 0);
	fill(out, sizeof(out), 1);
	KT_CHECK(kt_write(e[1], out, 100) == 100);
	KT_CHECK(kt_write(e[1], out + 100, 200) == 200);
	/* reads return what is there, in order, in pieces */
	KT_CHECK(kt_read(e[0], in, 40) == 40);
	KT_CHECK(kt_read(e[0], in + 40, 1000) == 260);
	KT_CHECK(check(in, 300, 1));
	/* zero-length transfers */
	KT_CHECK(kt_read(e[0], in, 0) == 0);
	KT_CHECK(kt_write(e[1], out, 0) == 0);
	/* the iobuf is consumed as data moves */
	struct iobuf io = iobuf_kernel(out, 10);
	KT_CHECK(kobj_write(e[1], &io) == 10);
	KT_CHECK(io.len == 0 && io.base == (char *)out + 10);
	io = iobuf_kernel(in, 64);
	KT_CHECK(kobj_read(e[0], &io) == 10);
	KT_CHECK(io.len == 54 && io.base == (char *)in + 10);
	kobj_put(e[0]);
	kobj_put(e[1]);
}

KTEST(pipe_wrong_end_and_caps)
{
	struct kobj *e[2];
	char c = 'x';
	KT_CHECK(pipe_create(e, 0) == 0);
	KT_CHECK(kt_write(e[0], &c, 1) == -EBADF);
	KT_CHECK(kt_read(e[1], &c, 1) == -EBADF);
	KT_CHECK(kobj_seek(e[0], 0, 0) == -ESPIPE);
	KT_CHECK(kobj_seek(e[1], 0, 0) == -ESPIPE);
	KT_CHECK(kobj_ioctl(e[0], 0, 0) == -ENOTTY);
	KT_CHECK(kobj_truncate(e[1], 0) == -EINVAL);
	KT_CHECK(strcmp(e[0]->ops->type, "pipe") == 0);
	KT_CHECK((e[0]->flags & (KOBJ_READ | KOBJ_WRITE)) == KOBJ_READ);
	KT_CHECK((e[1]->flags & (KOBJ_READ | KOBJ_WRITE)) == KOBJ_WRITE);
	kobj_put(e[0]);
	kobj_put(e[1]);
}

KTEST(pipe_stat)
{
	struct kobj *e[2], *f[2];
	struct vattr va, vb;
	KT_CHECK(pipe_create(e, 0) == 0);
	KT_CHECK(pipe_create(f, 0) == 0);
	KT_CHECK(kt_write(e[1], "hello", 5) == 5);
	KT_CHECK(kobj_stat(e[0], &va) == 0);
	KT_CHECK(S_ISFIFO(va.mode));
	KT_CHECK(va.size == 5);
	KT_CHECK(kobj_stat(e[1], &vb) == 0);
	KT_CHECK(S_ISFIFO(vb.mode));
	KT_CHECK(va.ino == vb.ino); /* both ends are one pipe */
	KT_CHECK(kobj_stat(f[0], &vb) == 0);
	KT_CHECK(va.ino != vb.ino);
	KT_CHECK(vb.size == 0);
	kobj_put(e[0]);
	kobj_put(e[1]);
	kobj_put(f[0]);
	kobj_put(f[1]);
}

KTEST(pipe_nonblocking_full_and_empty)
{
	struct kobj *e[2];
	unsigned char *out = kmalloc(RING + PIPE_BUF), *in = kmalloc(RING + PIPE_BUF);
	KT_CHECK(out && in);
	if (!out || !in) {
		kfree(out);
		kfree(in);
		return;
	}
	KT_CHECK(pipe_create(e, O_NONBLOCK) == 0);
	KT_CHECK(e[0]->flags & O_NONBLOCK);
	KT_CHECK(e[1]->flags & O_NONBLOCK);
	fill(out, RING + PIPE_BUF, 7);
	KT_CHECK(kt_read(e[0], in, 1) == -EAGAIN);

	/* a large write fills the ring and stops there */
	KT_CHECK(kt_write(e[1], out, RING + 100) == RING);
	KT_CHECK(kt_write(e[1], out, 1) == -EAGAIN);
	KT_CHECK(kt_write(e[1], out, 2 * PIPE_BUF) == -EAGAIN);
	struct vattr va;
	KT_CHECK(kobj_stat(e[0], &va) == 0 && va.size == RING);

	/* make 100 bytes of room */
	KT_CHECK(kt_read(e[0], in, 100) == 100);
	KT_CHECK(check(in, 100, 7));
	/* a small write is atomic: all or nothing */
	KT_CHECK(kt_write(e[1], out + RING, 200) == -EAGAIN);
	/* a large one may be partial */
	KT_CHECK(kt_write(e[1], out + RING, PIPE_BUF + 1) == 100);
	KT_CHECK(kt_write(e[1], out, 1) == -EAGAIN);
	/* everything comes out in order, across the wrap-around */
	KT_CHECK(kt_read(e[0], in, RING + PIPE_BUF) == RING);
	KT_CHECK(check(in, RING, 7 + 100));
	KT_CHECK(kt_read(e[0], in, 1) == -EAGAIN);

	/* an exactly PIPE_BUF-sized write fits once there is room */
	KT_CHECK(kt_write(e[1], out, PIPE_BUF) == PIPE_BUF);
	KT_CHECK(kt_read(e[0], in, PIPE_BUF) == PIPE_BUF);
	KT_CHECK(check(in, PIPE_BUF, 7));

	kobj_put(e[0]);
	kobj_put(e[1]);
	kfree(out);
	kfree(in);
}

KTEST(pipe_wraparound)
{
	struct kobj *e[2];
	unsigned char *buf = kmalloc(RING);
	KT_CHECK(buf != NULL);
	if (!buf)
		return;
	KT_CHECK(pipe_create(e, O_NONBLOCK) == 0);
	/* move the ring head around several times with odd sizes */
	size_t sizes[] = {60000, 9000, 40000, 33333, 65536, 1, 4097};
	bool ok = true;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		fill(buf, sizes[i], (unsigned)i * 13);
		if (kt_write(e[1], buf, sizes[i]) != (ssize_t)sizes[i])
			ok = false;
		memset(buf, 0, sizes[i]);
		if (kt_read(e[0], buf, RING) != (ssize_t)sizes[i])
			ok = false;
		if (!check(buf, sizes[i], (unsigned)i * 13))
			ok = false;
	}
	KT_CHECK(ok);
	kobj_put(e[0]);
	kobj_put(e[1]);
	kfree(buf);
}

KTEST(pipe_eof_after_writers_close)
{
	struct kobj *e[2];
	char buf[16];
	KT_CHECK(pipe_create(e, 0) == 0);
	struct kobj *w2 = kobj_get(e[1]); /* a second reference to the write end */
	KT_CHECK(kt_write(e[1], "abc", 3) == 3);
	kobj_put(e[1]);
	KT_CHECK(kt_write(w2, "de", 2) == 2);
	kobj_put(w2);
	/* buffered data is still delivered, then end of file (no blocking) */
	KT_CHECK(kt_read(e[0], buf, sizeof(buf)) == 5);
	KT_CHECK(memcmp(buf, "abcde", 5) == 0);
	KT_CHECK(kt_read(e[0], buf, sizeof(buf)) == 0);
	KT_CHECK(kt_read(e[0], buf, sizeof(buf)) == 0);
	kobj_put(e[0]);
}

static void pipe_cycle(unsigned flags)
{
	struct kobj *e[2];
	char buf[8];
	if (pipe_create(e, flags) != 0)
		return;
	kt_write(e[1], "xyz", 3);
	kt_read(e[0], buf, sizeof(buf));
	kobj_put(e[1]);
	kobj_put(e[0]);
}

KTEST(pipe_release_frees)
{
	pipe_cycle(0); /* warm the heap's size classes */
	size_t pages = page_free_count(), heap = kmalloc_bytes_in_use();
	pipe_cycle(0);
	pipe_cycle(O_NONBLOCK);
	KT_CHECK(page_free_count() == pages);
	KT_CHECK(kmalloc_bytes_in_use() == heap);

	/* the ring lives until both ends are gone, in either order */
	struct kobj *e[2];
	KT_CHECK(pipe_create(e, 0) == 0);
	KT_CHECK(page_free_count() < pages);
	kobj_put(e[0]);
	KT_CHECK(page_free_count() < pages);
	kobj_put(e[1]);
	KT_CHECK(page_free_count() == pages);
	KT_CHECK(kmalloc_bytes_in_use() == heap);
	KT_CHECK(pipe_create(e, 0) == 0);
	kobj_put(e[1]);
	KT_CHECK(page_free_count() < pages);
	kobj_put(e[0]);
	KT_CHECK(page_free_count() == pages);
	KT_CHECK(kmalloc_bytes_in_use() == heap);
}
