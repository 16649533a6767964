/*
 * Host shim for the VFS unit tests: the kernel services the filesystem
 * code calls (heap, locks, kernel objects, user copies, console, clocks)
 * built on the C library.  Locks are no-ops: the tests are single
 * threaded.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/kernel.h"
#include "core/time.h"
#include "fs/lock.h"
#include "fs/vfs.h"
#include "fs/vfs_impl.h"
#include "fs/procfs/procfs.h"
#include "fs/sysfs/sysfs.h"
#include "mm/kmalloc.h"
#include "mm/reclaim.h"
#include "mm/pcache.h"
#include "obj/kobj.h"
#include "obj/pipe.h"
#include "proc/cred.h"
#include "proc/mutex.h"

static size_t heap_in_use;

void *kmalloc(size_t size)
{
	return malloc(size ? size : 1);
}

void *kzalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void *kmalloc_cache(size_t size)
{
	return malloc(size ? size : 1);
}

void kfree(void *p)
{
	free(p);
}

size_t kmalloc_bytes_in_use(void)
{
	return heap_in_use;
}

void spin_init(struct spinlock *lk, const char *name)
{
	lk->locked = 0;
	lk->name = name;
}

void spin_lock(struct spinlock *lk)
{
	lk->locked++;
}

void spin_unlock(struct spinlock *lk)
{
	lk->locked--;
}

bool spin_holding(struct spinlock *lk)
{
	return lk->locked != 0;
}

bool spin_trylock(struct spinlock *lk)
{
	if (lk->locked)
		return false;
	lk->locked++;
	return true;
}

void irq_push_off(void)
{
}

void irq_pop_off(void)
{
}

void mutex_init(struct mutex *m, const char *name)
{
	spin_init(&m->lk, name);
	m->locked = false;
}

/* Catches recursive locking, which would deadlock in the kernel. */
void mutex_lock(struct mutex *m)
{
	if (m->locked)
		panic("mutex %s locked twice", m->lk.name);
	m->locked = true;
}

void mutex_unlock(struct mutex *m)
{
	m->locked = false;
}

bool mutex_holding(struct mutex *m)
{
	return m->locked;
}

void kobj_init(struct kobj *o, const struct kobj_ops *ops, unsigned flags)
{
	o->ops = ops;
	o->refcount = 1;
	o->flags = flags;
}

struct kobj *kobj_get(struct kobj *o)
{
	o->refcount++;
	return o;
}

void kobj_put(struct kobj *o)
{
	if (o && --o->refcount == 0 && o->ops->release)
		o->ops->release(o);
}

ssize_t kobj_read(struct kobj *o, struct iobuf *io)
{
	if (!(o->flags & KOBJ_READ))
		return -EBADF;
	return o->ops->read ? o->ops->read(o, io) : -EINVAL;
}

ssize_t kobj_write(struct kobj *o, struct iobuf *io)
{
	if (!(o->flags & KOBJ_WRITE))
		return -EBADF;
	return o->ops->write ? o->ops->write(o, io) : -EINVAL;
}

int64_t kobj_seek(struct kobj *o, int64_t off, int whence)
{
	return o->ops->seek ? o->ops->seek(o, off, whence) : -ESPIPE;
}

int kobj_stat(struct kobj *o, struct vattr *va)
{
	return o->ops->stat ? o->ops->stat(o, va) : -EINVAL;
}

int kobj_ioctl(struct kobj *o, unsigned cmd, uintptr_t arg)
{
	return o->ops->ioctl ? o->ops->ioctl(o, cmd, arg) : -ENOTTY;
}

int kobj_truncate(struct kobj *o, uint64_t size)
{
	return o->ops->truncate ? o->ops->truncate(o, size) : -EINVAL;
}

ssize_t kobj_pread(struct kobj *o, struct iobuf *io, uint64_t off)
{
	if (!(o->flags & KOBJ_READ))
		return -EBADF;
	return o->ops->pread ? o->ops->pread(o, io, off) : -ESPIPE;
}

ssize_t kobj_pwrite(struct kobj *o, struct iobuf *io, uint64_t off)
{
	if (!(o->flags & KOBJ_WRITE))
		return -EBADF;
	return o->ops->pwrite ? o->ops->pwrite(o, io, off) : -ESPIPE;
}

int iobuf_put(struct iobuf *io, const void *src, size_t n)
{
	if (n > io->len)
		return -EFAULT;
	memcpy(io->base, src, n);
	io->base += n;
	io->len -= n;
	return 0;
}

int iobuf_get(struct iobuf *io, void *dst, size_t n)
{
	if (n > io->len)
		return -EFAULT;
	memcpy(dst, io->base, n);
	io->base += n;
	io->len -= n;
	return 0;
}

/* Host buffers are always present: nothing to fault in. */
int iobuf_fault_in(struct iobuf *io, bool write)
{
	(void)io;
	(void)write;
	return 0;
}

int vprintk(const char *fmt, va_list ap)
{
	return vprintf(fmt, ap);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("panic: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	abort();
}

static int64_t fake_clock = 1700000000LL * 1000000000LL;

int64_t time_realtime_ns(void)
{
	return fake_clock += 1000;
}

uint64_t time_monotonic_ns(void)
{
	return (uint64_t)(fake_clock += 1000);
}

/* Pages for the block cache: 4 KiB-aligned heap blocks. */
void *page_alloc(unsigned order)
{
	return aligned_alloc(4096, (size_t)4096 << order);
}

void page_free(void *va, unsigned order)
{
	(void)order;
	free(va);
}

/* A pretend machine of 256 MiB, a quarter of it free, for tmpfs statfs. */
size_t page_total_count(void)
{
	return 65536;
}

size_t page_free_count(void)
{
	return 16384;
}

/* The block cache registers a shrinker; nothing reclaims here. */
void shrinker_register(struct shrinker *s)
{
	(void)s;
}

/* The page cache (mm/pcache.c) is not part of the host build: no vnode
 * gets one here, so only the sync hook is ever called. */
int pcache_sync_all(void)
{
	return 0;
}

ssize_t pcache_read(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	return vn->ops->read(vn, io, off);
}

ssize_t pcache_write(struct vnode *vn, struct iobuf *io, uint64_t off)
{
	return vn->ops->write(vn, io, off);
}

int pcache_truncate(struct vnode *vn, uint64_t size)
{
	return vn->ops->truncate(vn, size);
}

void pcache_destroy(struct vnode *vn)
{
	(void)vn;
}

int pcache_sync(struct vnode *vn)
{
	(void)vn;
	return 0;
}

/* procfs reads tasks and address spaces, which the host build has not:
 * fs_init registers this stand-in (and sysfs's), which cannot be
 * mounted. */
static int procfs_stub_mount(const char *source, unsigned flags, const void *data,
                             struct superblock **out)
{
	(void)source;
	(void)flags;
	(void)data;
	(void)out;
	return -ENODEV;
}

const struct fs_type procfs_type = {.name = "proc", .mount = procfs_stub_mount};
/* sysfs likewise reads the harts (cpus[]) */
const struct fs_type sysfs_type = {.name = "sysfs", .mount = procfs_stub_mount};

/* The host tests run as root (proc/cred_task.c in the kernel). */
static struct cred host_cred;

const struct cred *cred_current(void)
{
	return &host_cred;
}

struct cred *cred_current_mut(void)
{
	return &host_cred;
}

/* File locks, RLIMIT_FSIZE and FIFOs need tasks and wait queues
 * (fs/lock.c, fs/fsize.c, obj/pipe.c are not built here; the Linux test
 * programs t_lock, t_fifo and t_file2 cover them on Scarlet): no locks to
 * release, no limit, and a FIFO cannot be opened. */
void vfs_lock_init(void)
{
}

void vfs_lock_close(struct kobj *o)
{
	(void)o;
}

void vfs_lock_release_file(struct kobj *o)
{
	(void)o;
}

int fsize_write_check(uint64_t off, size_t *len)
{
	(void)off;
	(void)len;
	return 0;
}

int fsize_grow_check(uint64_t old_size, uint64_t new_size)
{
	(void)old_size;
	(void)new_size;
	return 0;
}

int pipe_open_fifo(const struct path *file, int oflags, struct kobj **out)
{
	(void)file;
	(void)oflags;
	(void)out;
	return -ENXIO;
}
