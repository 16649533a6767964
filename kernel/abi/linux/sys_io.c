/*
 * Linux I/O on descriptors (fd = handle number): read and write, their
 * vector and positional forms, seek, and the in-kernel copies sendfile
 * and copy_file_range.
 */
#include <scarlet/abi.h>

#include "abi/linux/lfs.h"
#include "abi/linux/linux.h"
#include "mm/kmalloc.h"
#include "obj/handle.h"
#include "proc/task.h"

#define IOV_MAX       1024
#define RW_MAX        0x7ffff000L /* Linux's cap on one transfer */
#define COPY_CHUNK    65536
#define LINUX_OFF_MAX INT64_MAX

struct kobj *linux_fd_get(int fd)
{
	return handle_get(current()->handles, fd);
}

struct kobj *linux_fd_get_io(int fd)
{
	struct kobj *o = linux_fd_get(fd);

	if (o && (o->flags & O_PATH)) {
		kobj_put(o);
		return NULL;
	}
	return o;
}

/* One transfer: at the object's offset (off < 0) or at off. */
static long transfer(struct kobj *o, struct iobuf *io, int64_t off, bool write)
{
	if (off < 0)
		return write ? kobj_write(o, io) : kobj_read(o, io);
	return write ? kobj_pwrite(o, io, (uint64_t)off) : kobj_pread(o, io, (uint64_t)off);
}

static long rw(int fd, uint64_t buf, uint64_t n, int64_t off, bool write)
{
	struct kobj *o = linux_fd_get(fd);
	if (!o)
		return -EBADF;
	struct iobuf io = iobuf_user((void *)buf, MIN(n, (uint64_t)RW_MAX));
	long r = transfer(o, &io, off, write);
	kobj_put(o);
	return r;
}

LINUX_SYSCALL(read)
{
	LINUX_UNUSED();
	return rw((int)a0, a1, a2, -1, false);
}

LINUX_SYSCALL(write)
{
	LINUX_UNUSED();
	return rw((int)a0, a1, a2, -1, true);
}

LINUX_SYSCALL(pread64)
{
	LINUX_UNUSED();
	return (int64_t)a3 < 0 ? -EINVAL : rw((int)a0, a1, a2, (int64_t)a3, false);
}

LINUX_SYSCALL(pwrite64)
{
	LINUX_UNUSED();
	return (int64_t)a3 < 0 ? -EINVAL : rw((int)a0, a1, a2, (int64_t)a3, true);
}

/* readv/writev and their positional forms: one transfer per vector
 * element, stopping at the first short one. */
static long rw_vector(int fd, uint64_t uiov, uint64_t cnt, int64_t off, bool write)
{
	if (cnt > IOV_MAX)
		return -EINVAL;
	struct kobj *o = linux_fd_get(fd);
	if (!o)
		return -EBADF;
	long total = 0, r = 0;
	for (uint64_t i = 0; i < cnt; i++) {
		struct linux_iovec v;
		if (copy_from_user(&v, (void *)(uiov + i * sizeof(v)), sizeof(v)) < 0) {
			r = -EFAULT;
			break;
		}
		if ((int64_t)v.len < 0) {
			r = -EINVAL;
			break;
		}
		struct iobuf io = iobuf_user((void *)v.base, v.len);
		r = transfer(o, &io, off < 0 ? off : off + total, write);
		if (r < 0)
			break;
		total += r;
		if ((uint64_t)r < v.len)
			break;
	}
	kobj_put(o);
	return total > 0 ? total : r;
}

LINUX_SYSCALL(readv)
{
	LINUX_UNUSED();
	return rw_vector((int)a0, a1, a2, -1, false);
}

LINUX_SYSCALL(writev)
{
	LINUX_UNUSED();
	return rw_vector((int)a0, a1, a2, -1, true);
}

/* preadv(fd, iov, cnt, pos_l, pos_h): riscv64 passes the whole offset in
 * pos_l. */
LINUX_SYSCALL(preadv)
{
	LINUX_UNUSED();
	return (int64_t)a3 < 0 ? -EINVAL : rw_vector((int)a0, a1, a2, (int64_t)a3, false);
}

LINUX_SYSCALL(pwritev)
{
	LINUX_UNUSED();
	return (int64_t)a3 < 0 ? -EINVAL : rw_vector((int)a0, a1, a2, (int64_t)a3, true);
}

#define LINUX_RWF_HIPRI     0x01
#define LINUX_RWF_DSYNC     0x02
#define LINUX_RWF_SYNC      0x04
#define LINUX_RWF_NOWAIT    0x08
#define LINUX_RWF_APPEND    0x10
#define LINUX_RWF_NOAPPEND  0x20
#define LINUX_RWF_ATOMIC    0x40
#define LINUX_RWF_DONTCACHE 0x80
#define LINUX_RWF_KNOWN     0xff

/* preadv2/pwritev2 flags: HIPRI is a polling hint, DSYNC/SYNC sync the
 * file after a write, APPEND writes at the end of the file.  NOWAIT gives
 * EOPNOTSUPP, as Linux's tmpfs and ext2 do (its pipes take it: logged
 * there).  ATOMIC and DONTCACHE, which no filesystem here offers, and
 * unknown flags give EOPNOTSUPP as on Linux. */
static long rwf_check(struct kobj *o, uint64_t flags, bool write)
{
	if (flags & ~(uint64_t)LINUX_RWF_KNOWN)
		return -ENOTSUP;
	if (flags & (LINUX_RWF_ATOMIC | LINUX_RWF_DONTCACHE))
		return -ENOTSUP;
	if (flags & LINUX_RWF_NOWAIT) {
		if (!file_vnode(o))
			abi_log_missing("linux: pid %d: RWF_NOWAIT on a %s is not implemented\n",
			                current()->pid, o->ops->type);
		return -ENOTSUP;
	}
	if (write && (flags & LINUX_RWF_NOAPPEND) && (o->flags & O_APPEND)) {
		abi_log_missing(
		    "linux: pid %d: RWF_NOAPPEND on an O_APPEND file is not implemented\n",
		    current()->pid);
		return -ENOTSUP;
	}
	return 0;
}

/* RWF_APPEND: the write goes to the end of the file; a write at the
 * current offset (-1) leaves the offset there. */
static long append_offset(struct kobj *o, int64_t *off)
{
	struct vattr va;
	if (!file_vnode(o))
		return 0;
	if (*off == -1)
		return kobj_seek(o, 0, SEEK_END) < 0 ? -ESPIPE : 0;
	long r = kobj_stat(o, &va);
	if (r == 0)
		*off = (int64_t)va.size;
	return r;
}

static long rw_vector2(int fd, uint64_t uiov, uint64_t cnt, int64_t off, uint64_t flags, bool write)
{
	if (off < -1)
		return -EINVAL;
	struct kobj *o = linux_fd_get(fd);
	if (!o)
		return -EBADF;
	long r = rwf_check(o, flags, write);
	if (r == 0 && off != -1 && !o->ops->pread)
		r = -ESPIPE;
	if (r == 0 && write && (flags & LINUX_RWF_APPEND))
		r = append_offset(o, &off);
	if (r == 0)
		r = rw_vector(fd, uiov, cnt, off, write);
	if (r > 0 && write && (flags & (LINUX_RWF_DSYNC | LINUX_RWF_SYNC)) && file_vnode(o)) {
		long s = file_fsync(o);
		r = s < 0 ? s : r;
	}
	kobj_put(o);
	return r;
}

/* preadv2(fd, iov, cnt, pos_l, pos_h, flags): offset -1 is the file's
 * own offset, which then advances. */
LINUX_SYSCALL(preadv2)
{
	LINUX_UNUSED();
	return rw_vector2((int)a0, a1, a2, (int64_t)a3, a5, false);
}

LINUX_SYSCALL(pwritev2)
{
	LINUX_UNUSED();
	return rw_vector2((int)a0, a1, a2, (int64_t)a3, a5, true);
}

LINUX_SYSCALL(lseek)
{
	LINUX_UNUSED();
	struct kobj *o = linux_fd_get_io((int)a0);
	if (!o)
		return -EBADF;
	long r = a2 > SEEK_END ? -EINVAL : kobj_seek(o, (int64_t)a1, (int)a2);
	kobj_put(o);
	return r;
}

/* Copies up to n bytes from in (read at *off, which advances) to out
 * (written at its own offset, or at *out_off when not NULL) through a
 * kernel buffer.  Returns the bytes copied, or an error if none were. */
static long copy_between(struct kobj *in, int64_t *off, struct kobj *out, int64_t *out_off,
                         uint64_t n)
{
	char *buf = kmalloc(COPY_CHUNK);
	long total = 0, r = 0;

	if (!buf)
		return -ENOMEM;
	n = MIN(n, (uint64_t)RW_MAX);
	while ((uint64_t)total < n) {
		struct iobuf io = iobuf_kernel(buf, MIN(n - total, (uint64_t)COPY_CHUNK));
		r = kobj_pread(in, &io, (uint64_t)*off);
		if (r <= 0)
			break;
		struct iobuf wio = iobuf_kernel(buf, (size_t)r);
		long w = transfer(out, &wio, out_off ? *out_off : -1, true);
		if (w > 0) {
			*off += w;
			total += w;
			if (out_off)
				*out_off += w;
		}
		if (w < r) {
			r = w;
			break;
		}
	}
	kfree(buf);
	return total > 0 ? total : r;
}

static long get_user_off(uint64_t uoff, int64_t *off)
{
	if (copy_from_user(off, (void *)uoff, sizeof(*off)) < 0)
		return -EFAULT;
	return *off < 0 ? -EINVAL : 0;
}

/* The input must be a file (positional reads); without an offset pointer
 * its own offset is used and advanced. */
static long sendfile_objs(struct kobj *out, struct kobj *in, uint64_t uoff, uint64_t n)
{
	int64_t off;
	long r;

	if (!(in->flags & KOBJ_READ) || !(out->flags & KOBJ_WRITE))
		return -EBADF;
	if (!in->ops->pread || file_is_dir(in) || (out->flags & O_APPEND))
		return -EINVAL; /* a directory too: Linux cannot splice from it */
	if (uoff)
		r = get_user_off(uoff, &off);
	else
		r = off = kobj_seek(in, 0, SEEK_CUR);
	if (r < 0)
		return r;
	r = copy_between(in, &off, out, NULL, n);
	if (r > 0 && uoff && copy_to_user((void *)uoff, &off, sizeof(off)) < 0)
		return -EFAULT;
	if (r > 0 && !uoff)
		kobj_seek(in, off, SEEK_SET);
	return r;
}

LINUX_SYSCALL(sendfile)
{
	LINUX_UNUSED();
	struct kobj *out = linux_fd_get_io((int)a0), *in = linux_fd_get_io((int)a1);
	long r = (out && in) ? sendfile_objs(out, in, a2, a3) : -EBADF;
	kobj_put(out);
	kobj_put(in);
	return r;
}

static bool same_file(struct kobj *a, struct kobj *b)
{
	struct vnode *x = file_vnode(a), *y = file_vnode(b);
	return x->sb == y->sb && x->ino == y->ino;
}

static bool ranges_overlap(int64_t a, int64_t b, uint64_t n)
{
	uint64_t len = MIN(n, (uint64_t)RW_MAX);
	return (uint64_t)a < (uint64_t)b + len && (uint64_t)b < (uint64_t)a + len;
}

/* copy_file_range between two regular files (EINVAL for overlapping
 * ranges of one file); flags must be 0. */
static long copy_range_objs(struct kobj *in, uint64_t uoff_in, struct kobj *out, uint64_t uoff_out,
                            uint64_t n)
{
	int64_t in_off, out_off;
	long r = 0;

	if (!(in->flags & KOBJ_READ) || !(out->flags & KOBJ_WRITE) || (out->flags & O_APPEND))
		return -EBADF;
	if (file_is_dir(in) || file_is_dir(out))
		return -EISDIR;
	if (!file_vnode(in) || !file_vnode(out) || !S_ISREG(file_vnode(in)->mode) ||
	    !S_ISREG(file_vnode(out)->mode))
		return -EINVAL;
	r = uoff_in ? get_user_off(uoff_in, &in_off) : (in_off = kobj_seek(in, 0, SEEK_CUR));
	if (r >= 0)
		r = uoff_out ? get_user_off(uoff_out, &out_off)
		             : (out_off = kobj_seek(out, 0, SEEK_CUR));
	if (r < 0)
		return r;
	if (same_file(in, out) && ranges_overlap(in_off, out_off, n))
		return -EINVAL;
	r = copy_between(in, &in_off, out, &out_off, n);
	if (r <= 0)
		return r;
	if ((uoff_in && copy_to_user((void *)uoff_in, &in_off, sizeof(in_off)) < 0) ||
	    (uoff_out && copy_to_user((void *)uoff_out, &out_off, sizeof(out_off)) < 0))
		return -EFAULT;
	if (!uoff_in)
		kobj_seek(in, in_off, SEEK_SET);
	if (!uoff_out)
		kobj_seek(out, out_off, SEEK_SET);
	return r;
}

LINUX_SYSCALL(copy_file_range)
{
	LINUX_UNUSED();
	if (a5 != 0)
		return -EINVAL;
	struct kobj *in = linux_fd_get_io((int)a0), *out = linux_fd_get_io((int)a2);
	long r = (in && out) ? copy_range_objs(in, a1, out, a3, a4) : -EBADF;
	kobj_put(in);
	kobj_put(out);
	return r;
}
