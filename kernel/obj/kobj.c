/*
 * Kernel object reference counting and capability-checked wrappers.
 */
#include "obj/kobj.h"

#include "core/kernel.h"
#include "obj/epoll.h"
#include "obj/poll.h"

void kobj_init(struct kobj *o, const struct kobj_ops *ops, unsigned flags)
{
	o->ops = ops;
	o->refcount = 1;
	o->flags = flags;
	list_init(&o->epoll_items);
}

struct kobj *kobj_get(struct kobj *o)
{
	__atomic_add_fetch(&o->refcount, 1, __ATOMIC_RELAXED);
	return o;
}

void kobj_put(struct kobj *o)
{
	if (!o)
		return;
	if (__atomic_sub_fetch(&o->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	/* Nobody can add an item now; one may still be going away. */
	if (!list_empty(&o->epoll_items))
		epoll_object_release(o);
	if (o->ops->release)
		o->ops->release(o);
}

ssize_t kobj_read(struct kobj *o, struct iobuf *io)
{
	if (!(o->flags & KOBJ_READ))
		return -EBADF;
	if (!o->ops->read)
		return -EINVAL;
	return o->ops->read(o, io);
}

ssize_t kobj_write(struct kobj *o, struct iobuf *io)
{
	if (!(o->flags & KOBJ_WRITE))
		return -EBADF;
	if (!o->ops->write)
		return -EINVAL;
	return o->ops->write(o, io);
}

int64_t kobj_seek(struct kobj *o, int64_t off, int whence)
{
	if (!o->ops->seek)
		return -ESPIPE;
	return o->ops->seek(o, off, whence);
}

int kobj_stat(struct kobj *o, struct vattr *va)
{
	if (!o->ops->stat)
		return -EINVAL;
	return o->ops->stat(o, va);
}

int kobj_ioctl(struct kobj *o, unsigned cmd, uintptr_t arg)
{
	if (!o->ops->ioctl)
		return -ENOTTY;
	return o->ops->ioctl(o, cmd, arg);
}

int kobj_truncate(struct kobj *o, uint64_t size)
{
	if (!(o->flags & KOBJ_WRITE))
		return -EBADF;
	if (!o->ops->truncate)
		return -EINVAL;
	return o->ops->truncate(o, size);
}

ssize_t kobj_pread(struct kobj *o, struct iobuf *io, uint64_t off)
{
	if (!(o->flags & KOBJ_READ))
		return -EBADF;
	if (!o->ops->pread)
		return -ESPIPE;
	return o->ops->pread(o, io, off);
}

ssize_t kobj_pwrite(struct kobj *o, struct iobuf *io, uint64_t off)
{
	if (!(o->flags & KOBJ_WRITE))
		return -EBADF;
	if (!o->ops->pwrite)
		return -ESPIPE;
	return o->ops->pwrite(o, io, off);
}

unsigned kobj_poll(struct kobj *o, struct poll_table *pt)
{
	if (!o->ops->poll)
		return POLL_ALWAYS_READY;
	return o->ops->poll(o, pt);
}

long kobj_nread(struct kobj *o)
{
	if (!o->ops->nread)
		return -ENOTTY;
	return o->ops->nread(o);
}

void kobj_flush(struct kobj *o)
{
	if (o && o->ops->flush)
		o->ops->flush(o);
}
