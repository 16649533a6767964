/*
 * xv6 descriptor system calls: open, read, write, close, dup, pipe,
 * fstat.
 *
 * xv6 semantics kept: read() of a directory returns packed struct dirent
 * records (continuing where the last read stopped); a write to a regular
 * file that starts past its end, or would grow it past MAXFILE blocks,
 * fails, and one that stops short (bad buffer, full disk) returns -1
 * (with what was written kept); a write to a pipe without readers fails
 * without SIGPIPE; fstat describes files, directories and devices only.
 */
#include <scarlet/abi.h>

#include "abi/xv6/xv6.h"
#include "arch/riscv64/memlayout.h"
#include "core/kernel.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "obj/pipe.h"
#include "proc/task.h"

/* Created files are executable: xv6 runs any file, it has no mode bits. */
#define XV6_CREATE_MODE 0777

static int open_path(const struct xv6_path *p, int flags, struct kobj **o)
{
	struct fs_struct *fs = current()->fs;
	int r = vfs_open(fs, p->cut, flags, XV6_CREATE_MODE, o);
	const char *retry = (flags & O_CREAT) ? NULL : xv6_path_retry(p, r);
	return retry ? vfs_open(fs, retry, flags, XV6_CREATE_MODE, o) : r;
}

XV6_SYSCALL(open)
{
	(void)a2;
	struct xv6_path p;
	int r = xv6_path_get(a0, &p);
	if (r < 0)
		return r;
	struct kobj *o;
	r = open_path(&p, xv6_open_flags((int)a1), &o);
	if (r < 0)
		return r;
	r = xv6_fd_install(o);
	if (r < 0)
		kobj_put(o);
	return r;
}

XV6_SYSCALL(close)
{
	(void)a1, (void)a2;
	return xv6_fd_close((int)a0);
}

XV6_SYSCALL(dup)
{
	(void)a1, (void)a2;
	struct kobj *o = xv6_fd_get((int)a0);
	if (!o)
		return -EBADF;
	int r = xv6_fd_install(o);
	if (r < 0)
		kobj_put(o);
	return r;
}

XV6_SYSCALL(pipe)
{
	(void)a1, (void)a2;
	struct kobj *ends[2];
	int r = pipe_create(ends, 0);
	if (r < 0)
		return r;
	int fds[2];
	fds[0] = xv6_fd_install(ends[0]);
	if (fds[0] < 0) {
		kobj_put(ends[0]);
		kobj_put(ends[1]);
		return fds[0];
	}
	fds[1] = xv6_fd_install(ends[1]);
	if (fds[1] < 0) {
		kobj_put(ends[1]);
		xv6_fd_close(fds[0]);
		return fds[1];
	}
	if (copy_to_user((void *)a0, fds, sizeof(fds)) < 0) {
		xv6_fd_close(fds[0]);
		xv6_fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

/* Packs directory entries into whole struct xv6_dirent records. */
struct dir_fill {
	struct xv6_dirent *buf;
	size_t max, used;
};

static int fill_one(void *ctx, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	(void)dtype;
	struct dir_fill *d = ctx;
	if (d->used == d->max)
		return 1; /* full: this entry stays for the next read */
	xv6_dirent_fill(&d->buf[d->used++], name, len, ino);
	return 0;
}

static long read_dir(struct kobj *o, uint64_t ubuf, size_t n)
{
	struct dir_fill d = {.max = MIN(n, (size_t)PAGE_SIZE) / sizeof(struct xv6_dirent)};
	if (d.max == 0)
		return -EINVAL;
	d.buf = kmalloc(d.max * sizeof(struct xv6_dirent));
	if (!d.buf)
		return -ENOMEM;
	long r = file_readdir(o, fill_one, &d);
	if (r == 0) {
		size_t bytes = d.used * sizeof(struct xv6_dirent);
		r = copy_to_user((void *)ubuf, d.buf, bytes) < 0 ? -EFAULT : (long)bytes;
	}
	kfree(d.buf);
	return r;
}

XV6_SYSCALL(read)
{
	int n = (int)a2;
	struct kobj *o = xv6_fd_get((int)a0);
	if (!o)
		return -EBADF;
	long r;
	if (n < 0) {
		r = -EINVAL;
	} else if (file_is_dir(o)) {
		r = read_dir(o, a1, (size_t)n);
	} else {
		struct iobuf io = iobuf_user((void *)a1, (size_t)n);
		r = kobj_read(o, &io);
	}
	kobj_put(o);
	return r;
}

/* True for regular files: xv6's inode writes, with their own rules. */
static bool is_regular(struct kobj *o)
{
	struct vnode *vn = file_vnode(o);
	return vn && S_ISREG(vn->mode);
}

/* xv6's inode write limits: no write starting past the end of the file,
 * none growing it beyond MAXFILE blocks.  The offset is read before the
 * size: another writer of the same open file only moves both forward. */
static int check_file_write(struct kobj *o, size_t n)
{
	struct vattr va;
	int64_t off = kobj_seek(o, 0, SEEK_CUR);
	if (off < 0 || kobj_stat(o, &va) < 0)
		return 0;
	if ((uint64_t)off > va.size || (uint64_t)off + n > XV6_MAXBYTES)
		return -EFBIG;
	return 0;
}

/* xv6 has no SIGPIPE: a write to a pipe without readers just fails. */
static void drop_sigpipe(void)
{
	struct task *t = current();
	spin_lock(&t->lock);
	t->sig_pending &= ~(1ULL << (SIGPIPE - 1));
	spin_unlock(&t->lock);
}

XV6_SYSCALL(write)
{
	int n = (int)a2;
	struct kobj *o = xv6_fd_get((int)a0);
	if (!o)
		return -EBADF;
	bool file = is_regular(o);
	long r = n < 0 ? -EINVAL : file ? check_file_write(o, (size_t)n) : 0;
	if (r == 0) {
		struct iobuf io = iobuf_user((void *)a1, (size_t)n);
		r = kobj_write(o, &io);
		if (!file && (r == -EPIPE || (r >= 0 && r < n)))
			drop_sigpipe();
		if (file && r >= 0 && r < n)
			r = -EIO; /* xv6: a file write is all or -1 */
	}
	kobj_put(o);
	return r;
}

XV6_SYSCALL(fstat)
{
	(void)a2;
	struct kobj *o = xv6_fd_get((int)a0);
	if (!o)
		return -EBADF;
	struct vattr va;
	struct xv6_stat st;
	int r = kobj_stat(o, &va);
	kobj_put(o);
	if (r < 0)
		return r;
	if (xv6_stat_from_vattr(&st, &va) < 0)
		return -EINVAL;
	return copy_to_user((void *)a1, &st, sizeof(st));
}
