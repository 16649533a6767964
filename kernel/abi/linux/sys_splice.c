/*
 * splice, tee and vmsplice: data moved through a pipe by the kernel.
 * There are no page references to hand over here, so each call copies
 * through a kernel buffer (at most SPLICE_CHUNK bytes a call, which Linux
 * also allows: a splice may move less than asked).  SPLICE_F_NONBLOCK
 * makes the pipe side non-blocking for this call; SPLICE_F_MOVE, MORE and
 * GIFT are hints and are accepted.  Argument checks in Linux's order.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "mm/kmalloc.h"
#include "obj/pipe.h"
#include "proc/task.h"

#define SPLICE_F_NONBLOCK 0x2
#define SPLICE_F_ALL      0xf
#define SPLICE_CHUNK      65536
#define IOV_MAX           1024

static bool readable(struct kobj *o)
{
	return o->flags & KOBJ_READ;
}

static bool writable(struct kobj *o)
{
	return o->flags & KOBJ_WRITE;
}

static long get_off(uint64_t uoff, int64_t *off)
{
	if (copy_from_user(off, (void *)uoff, sizeof(*off)) < 0)
		return -EFAULT;
	return *off < 0 ? -EINVAL : 0;
}

static long put_off(uint64_t uoff, int64_t off)
{
	return copy_to_user((void *)uoff, &off, sizeof(off)) < 0 ? -EFAULT : 0;
}

/* How much the pipe `out` takes now: EAGAIN when full and nonblock. */
static long room_for(struct kobj *out, uint64_t len, bool nonblock)
{
	long room = pipe_room(out);
	if (room == 0 && (nonblock || (out->flags & O_NONBLOCK)))
		return -EAGAIN;
	uint64_t n = MIN(len, (uint64_t)SPLICE_CHUNK);
	return (long)(room > 0 ? MIN(n, (uint64_t)room) : n);
}

/* pipe -> pipe, or tee's copy (peek: the data stays in `in`) */
static long pipe_to_pipe(struct kobj *in, struct kobj *out, uint64_t len, bool nonblock, bool peek,
                         char *buf)
{
	long n = room_for(out, len, nonblock);
	if (n <= 0)
		return n;
	struct iobuf io = iobuf_kernel(buf, (size_t)n);
	long r = pipe_read_nb(in, &io, nonblock, peek);
	if (r <= 0)
		return r;
	struct iobuf wio = iobuf_kernel(buf, (size_t)r);
	return pipe_write_nb(out, &wio, nonblock);
}

/* pipe -> file, at *off (advanced) or the file's own offset */
static long pipe_to_file(struct kobj *in, struct kobj *out, uint64_t uoff, uint64_t len,
                         bool nonblock, char *buf)
{
	int64_t off = -1;
	long r;
	if (uoff) {
		if (!out->ops->pwrite)
			return -EINVAL;
		if ((r = get_off(uoff, &off)) < 0)
			return r;
	}
	if (out->flags & O_APPEND)
		return -EINVAL;
	struct iobuf io = iobuf_kernel(buf, MIN(len, (uint64_t)SPLICE_CHUNK));
	r = pipe_read_nb(in, &io, nonblock, false);
	if (r <= 0)
		return r;
	struct iobuf wio = iobuf_kernel(buf, (size_t)r);
	r = off < 0 ? kobj_write(out, &wio) : kobj_pwrite(out, &wio, (uint64_t)off);
	if (r > 0 && uoff && put_off(uoff, off + r) < 0)
		return -EFAULT;
	return r;
}

/* file -> pipe: read at *off (advanced) or at the file's offset, which
 * moves by what the pipe took */
static long file_to_pipe(struct kobj *in, uint64_t uoff, struct kobj *out, uint64_t len,
                         bool nonblock, char *buf)
{
	int64_t off;
	long r;
	if (uoff) {
		if (!in->ops->pread)
			return -EINVAL;
		if ((r = get_off(uoff, &off)) < 0)
			return r;
	}
	long n = room_for(out, len, nonblock);
	if (n <= 0)
		return n;
	struct iobuf io = iobuf_kernel(buf, (size_t)n);
	if (uoff)
		r = kobj_pread(in, &io, (uint64_t)off);
	else if (in->ops->pread && (off = kobj_seek(in, 0, SEEK_CUR)) >= 0)
		r = kobj_pread(in, &io, (uint64_t)off);
	else {
		off = -1; /* a device or terminal: read and move on */
		r = kobj_read(in, &io);
	}
	if (r <= 0)
		return r;
	struct iobuf wio = iobuf_kernel(buf, (size_t)r);
	r = pipe_write_nb(out, &wio, nonblock);
	if (r <= 0)
		return r;
	if (uoff)
		return put_off(uoff, off + r) < 0 ? -EFAULT : r;
	if (off >= 0)
		kobj_seek(in, off + r, SEEK_SET);
	return r;
}

static long splice_objs(struct kobj *in, uint64_t uoff_in, struct kobj *out, uint64_t uoff_out,
                        uint64_t len, bool nonblock)
{
	if (!readable(in) || !writable(out))
		return -EBADF;
	bool ipipe = pipe_is(in), opipe = pipe_is(out);
	if (!ipipe && !opipe)
		return -EINVAL;
	if ((ipipe && uoff_in) || (opipe && uoff_out))
		return -ESPIPE;
	if (ipipe && opipe && pipe_same(in, out))
		return -EINVAL;
	char *buf = kmalloc(SPLICE_CHUNK);
	if (!buf)
		return -ENOMEM;
	long r;
	if (ipipe && opipe)
		r = pipe_to_pipe(in, out, len, nonblock, false, buf);
	else if (ipipe)
		r = pipe_to_file(in, out, uoff_out, len, nonblock, buf);
	else
		r = file_to_pipe(in, uoff_in, out, len, nonblock, buf);
	kfree(buf);
	return r;
}

LINUX_SYSCALL(splice)
{
	LINUX_UNUSED();
	uint64_t len = a4, flags = a5;
	if (len == 0)
		return 0;
	if (flags & ~(uint64_t)SPLICE_F_ALL)
		return -EINVAL;
	struct kobj *in = linux_fd_get_io((int)a0), *out = linux_fd_get_io((int)a2);
	long r =
	    (in && out) ? splice_objs(in, a1, out, a3, len, flags & SPLICE_F_NONBLOCK) : -EBADF;
	kobj_put(in);
	kobj_put(out);
	return r;
}

LINUX_SYSCALL(tee)
{
	LINUX_UNUSED();
	uint64_t len = a2, flags = a3;
	if (flags & ~(uint64_t)SPLICE_F_ALL)
		return -EINVAL;
	if (len == 0)
		return 0;
	struct kobj *in = linux_fd_get_io((int)a0), *out = linux_fd_get_io((int)a1);
	long r = (in && out) ? 0 : -EBADF;
	if (r == 0 && (!readable(in) || !writable(out)))
		r = -EBADF;
	if (r == 0 && (!pipe_is(in) || !pipe_is(out) || pipe_same(in, out)))
		r = -EINVAL;
	char *buf = r == 0 ? kmalloc(SPLICE_CHUNK) : NULL;
	if (r == 0 && !buf)
		r = -ENOMEM;
	if (r == 0)
		r = pipe_to_pipe(in, out, len, flags & SPLICE_F_NONBLOCK, true, buf);
	kfree(buf);
	kobj_put(in);
	kobj_put(out);
	return r;
}

/* The user's vectors into the pipe (its write end) or out of it (its read
 * end), as writev/readv would. */
LINUX_SYSCALL(vmsplice)
{
	LINUX_UNUSED();
	uint64_t uiov = a1, cnt = a2, flags = a3;
	if (flags & ~(uint64_t)SPLICE_F_ALL)
		return -EINVAL;
	struct kobj *o = linux_fd_get_io((int)a0);
	if (!o)
		return -EBADF;
	bool write = writable(o), nonblock = flags & SPLICE_F_NONBLOCK;
	long total = 0, r = 0;
	if (!pipe_is(o) || (!write && !readable(o)))
		r = -EBADF; /* a FIFO open O_RDWR is written to, as on Linux */
	else if (cnt > IOV_MAX)
		r = -EINVAL;
	for (uint64_t i = 0; r == 0 && i < cnt; i++) {
		struct linux_iovec v;
		if (copy_from_user(&v, (void *)(uiov + i * sizeof(v)), sizeof(v)) < 0) {
			r = -EFAULT;
			break;
		}
		if ((int64_t)v.len < 0) {
			r = -EINVAL;
			break;
		}
		if (v.len == 0)
			continue;
		struct iobuf io = iobuf_user((void *)v.base, v.len);
		/* reading, wait for the first bytes only */
		r = write ? pipe_write_nb(o, &io, nonblock)
		          : pipe_read_nb(o, &io, nonblock || total > 0, false);
		if (r == -EAGAIN && total > 0)
			r = 0;
		if (r <= 0)
			break;
		total += r;
		if ((uint64_t)r < v.len)
			break;
		r = 0;
	}
	kobj_put(o);
	return total > 0 ? total : r;
}
