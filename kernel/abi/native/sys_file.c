/*
 * Native system calls on handles: open, read, write, seek, stat, readdir,
 * duplication, pipes, handle flags, device control.
 */
#include <scarlet/abi.h>

#include "abi/native/native.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "obj/handle.h"
#include "obj/pipe.h"
#include "proc/task.h"

static struct handle_table *handles(void)
{
	return current()->handles;
}

SYSCALL_DEFINE(open)
{
	UNUSED_ARGS();
	char *path;
	long r = native_get_path(a0, &path);
	if (r < 0)
		return r;
	struct kobj *o;
	r = vfs_open(current()->fs, path, (int)a1, (uint32_t)a2, &o);
	kfree(path);
	if (r < 0)
		return r;
	r = handle_install(handles(), o, (a1 & O_CLOEXEC) ? HANDLE_CLOEXEC : 0, 0);
	if (r < 0)
		kobj_put(o);
	return r;
}

SYSCALL_DEFINE(close)
{
	UNUSED_ARGS();
	return handle_close(handles(), (int)a0);
}

SYSCALL_DEFINE(read)
{
	UNUSED_ARGS();
	struct kobj *o = handle_get(handles(), (int)a0);
	if (!o)
		return -EBADF;
	struct iobuf io = iobuf_user((void *)a1, a2);
	long r = kobj_read(o, &io);
	kobj_put(o);
	return r;
}

SYSCALL_DEFINE(write)
{
	UNUSED_ARGS();
	struct kobj *o = handle_get(handles(), (int)a0);
	if (!o)
		return -EBADF;
	struct iobuf io = iobuf_user((void *)a1, a2);
	long r = kobj_write(o, &io);
	kobj_put(o);
	return r;
}

SYSCALL_DEFINE(seek)
{
	UNUSED_ARGS();
	struct kobj *o = handle_get(handles(), (int)a0);
	if (!o)
		return -EBADF;
	long r = a2 > SEEK_END ? -EINVAL : kobj_seek(o, (int64_t)a1, (int)a2);
	kobj_put(o);
	return r;
}

void native_stat_from_vattr(struct sc_stat *st, const struct vattr *va)
{
	memset(st, 0, sizeof(*st));
	st->dev = va->dev;
	st->ino = va->ino;
	st->mode = va->mode;
	st->nlink = va->nlink;
	st->uid = va->uid;
	st->gid = va->gid;
	st->rdev = va->rdev;
	st->size = (int64_t)va->size;
	st->blocks = va->blocks;
	st->atime_ns = va->atime_ns;
	st->mtime_ns = va->mtime_ns;
	st->ctime_ns = va->ctime_ns;
}

SYSCALL_DEFINE(fstat)
{
	UNUSED_ARGS();
	struct kobj *o = handle_get(handles(), (int)a0);
	if (!o)
		return -EBADF;
	struct vattr va;
	long r = kobj_stat(o, &va);
	kobj_put(o);
	if (r < 0)
		return r;
	struct sc_stat st;
	native_stat_from_vattr(&st, &va);
	return copy_to_user((void *)a1, &st, sizeof(st));
}

struct dirent_buf {
	char *buf;
	size_t size, used;
};

static int fill_dirent(void *ctx, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	struct dirent_buf *d = ctx;
	size_t reclen = ALIGN_UP(offsetof(struct sc_dirent, name) + len + 1, 8);
	if (d->used + reclen > d->size)
		return 1;
	struct sc_dirent *e = (struct sc_dirent *)(d->buf + d->used);
	memset(e, 0, reclen);
	e->ino = ino;
	e->reclen = (uint16_t)reclen;
	e->type = (uint8_t)dtype;
	memcpy(e->name, name, len);
	d->used += reclen;
	return 0;
}

SYSCALL_DEFINE(readdir)
{
	UNUSED_ARGS();
	struct kobj *o = handle_get(handles(), (int)a0);
	if (!o)
		return -EBADF;
	long r = a2 == 0 ? -EINVAL : -ENOTDIR;
	struct dirent_buf d = {.size = MIN(a2, (uint64_t)PAGE_SIZE), .used = 0};
	if (a2 && file_is_dir(o)) {
		d.buf = kmalloc(d.size);
		r = d.buf ? file_readdir(o, fill_dirent, &d) : -ENOMEM;
		if (r == 0 && d.used == 0 && a2 > 0 && a2 < 2 * (NAME_MAX + 16)) {
			/* nothing fitted: tell a too-small buffer from the end */
			r = -EINVAL;
		}
		if (r == 0)
			r = copy_to_user((void *)a1, d.buf, d.used) < 0 ? -EFAULT : (long)d.used;
		kfree(d.buf);
	}
	kobj_put(o);
	return r;
}

SYSCALL_DEFINE(dup)
{
	UNUSED_ARGS();
	struct kobj *o = handle_get(handles(), (int)a0);
	if (!o)
		return -EBADF;
	long r = handle_install(handles(), o, 0, 0);
	if (r < 0)
		kobj_put(o);
	return r;
}

SYSCALL_DEFINE(dup2)
{
	UNUSED_ARGS();
	return handle_dup2(handles(), (int)a0, (int)a1, 0);
}

SYSCALL_DEFINE(pipe)
{
	UNUSED_ARGS();
	struct kobj *ends[2];
	int h[2];
	long r = pipe_create(ends, 0);
	if (r < 0)
		return r;
	h[0] = handle_install(handles(), ends[0], 0, 0);
	if (h[0] < 0) {
		kobj_put(ends[0]);
		kobj_put(ends[1]);
		return h[0];
	}
	h[1] = handle_install(handles(), ends[1], 0, 0);
	if (h[1] < 0) {
		handle_close(handles(), h[0]);
		kobj_put(ends[1]);
		return h[1];
	}
	if (copy_to_user((void *)a0, h, sizeof(h)) < 0) {
		handle_close(handles(), h[0]);
		handle_close(handles(), h[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE(hctl)
{
	UNUSED_ARGS();
	int h = (int)a0;
	struct kobj *o = handle_get(handles(), h);
	if (!o)
		return -EBADF;
	long r;
	switch (a1) {
	case HCTL_GETFD:
		r = handle_get_flags(handles(), h) & HANDLE_CLOEXEC ? HFD_CLOEXEC : 0;
		break;
	case HCTL_SETFD:
		r = handle_set_flags(handles(), h, (a2 & HFD_CLOEXEC) ? HANDLE_CLOEXEC : 0);
		break;
	case HCTL_GETFL:
		r = (o->flags & (O_APPEND | O_NONBLOCK)) |
		    ((o->flags & KOBJ_READ) && (o->flags & KOBJ_WRITE) ? O_RDWR
		     : (o->flags & KOBJ_WRITE)                         ? O_WRONLY
		                                                       : O_RDONLY);
		break;
	case HCTL_SETFL:
		o->flags = (o->flags & ~(unsigned)(O_APPEND | O_NONBLOCK)) |
		           ((unsigned)a2 & (O_APPEND | O_NONBLOCK));
		r = 0;
		break;
	default:
		r = -EINVAL;
	}
	kobj_put(o);
	return r;
}

SYSCALL_DEFINE(ioctl)
{
	UNUSED_ARGS();
	struct kobj *o = handle_get(handles(), (int)a0);
	if (!o)
		return -EBADF;
	long r = kobj_ioctl(o, (unsigned)a1, (uintptr_t)a2);
	kobj_put(o);
	return r;
}

SYSCALL_DEFINE(ftruncate)
{
	UNUSED_ARGS();
	struct kobj *o = handle_get(handles(), (int)a0);
	if (!o)
		return -EBADF;
	long r = (int64_t)a1 < 0 ? -EINVAL : kobj_truncate(o, a1);
	kobj_put(o);
	return r;
}
