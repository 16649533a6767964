/*
 * Kernel objects: everything a task can hold a handle to (files, pipe
 * ends, the terminal, devices).  An object is reference counted and
 * carries a table of optional operations; a missing operation means the
 * object lacks that capability and the generic wrappers return the right
 * errno for it.
 */
#ifndef OBJ_KOBJ_H
#define OBJ_KOBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/list.h"
#include "core/types.h"

#include "core/uaccess.h"

struct kobj;
struct vattr;
struct vnode;
struct poll_table;

struct kobj_ops {
	const char *type; /* "file", "dir", "pipe", "tty", "null"... */
	/* Return bytes moved (0 = end of file), or -ERRNO. */
	ssize_t (*read)(struct kobj *o, struct iobuf *io);
	ssize_t (*write)(struct kobj *o, struct iobuf *io);
	/* Returns the new offset. */
	int64_t (*seek)(struct kobj *o, int64_t off, int whence);
	int (*stat)(struct kobj *o, struct vattr *va);
	int (*ioctl)(struct kobj *o, unsigned cmd, uintptr_t arg);
	int (*truncate)(struct kobj *o, uint64_t size);
	/* Optional: transfer at off without moving the object's offset. */
	ssize_t (*pread)(struct kobj *o, struct iobuf *io, uint64_t off);
	ssize_t (*pwrite)(struct kobj *o, struct iobuf *io, uint64_t off);
	/* What a memory mapping of the object maps: *vn (referenced) is the
	 * vnode whose pages back it, or NULL for zero-filled memory. */
	int (*mmap)(struct kobj *o, struct vnode **vn);
	/* Returns the POLL* events ready now (obj/poll.h), and hands every
	 * wait queue whose wake-ups may change them to poll_wait(pt, ...)
	 * before looking at the state.  Missing: always readable and
	 * writable, like a regular file. */
	unsigned (*poll)(struct kobj *o, struct poll_table *pt);
	/* Bytes a read could return now without blocking (FIONREAD). */
	long (*nread)(struct kobj *o);
	/* Optional: a task closed a handle to the object (each close, by the
	 * closing task, before the handle's reference is dropped; also for
	 * the handles still open when a process ends).  File locks owned by
	 * the process go here. */
	void (*flush)(struct kobj *o);
	/* Called once when the last reference goes; frees the object. */
	void (*release)(struct kobj *o);
};

/* kobj.flags: access mode and status flags */
#define KOBJ_READ  0x1
#define KOBJ_WRITE 0x2

struct kobj {
	const struct kobj_ops *ops;
	int refcount;            /* atomic */
	unsigned flags;          /* KOBJ_READ | KOBJ_WRITE, plus O_APPEND/O_NONBLOCK */
	struct list epoll_items; /* epoll items watching it (obj/epoll.c) */
};

void kobj_init(struct kobj *o, const struct kobj_ops *ops, unsigned flags);
struct kobj *kobj_get(struct kobj *o);
void kobj_put(struct kobj *o);

/* Generic wrappers: check access mode and capability, then call the op.
 * EBADF for the wrong access mode; ESPIPE/ENOTTY/EINVAL for a missing
 * seek/ioctl/truncate. */
ssize_t kobj_read(struct kobj *o, struct iobuf *io);
ssize_t kobj_write(struct kobj *o, struct iobuf *io);
int64_t kobj_seek(struct kobj *o, int64_t off, int whence);
int kobj_stat(struct kobj *o, struct vattr *va);
int kobj_ioctl(struct kobj *o, unsigned cmd, uintptr_t arg);
int kobj_truncate(struct kobj *o, uint64_t size);
/* Positional I/O: EBADF for the wrong access mode, ESPIPE when the object
 * has no positions (pipes, terminals). */
ssize_t kobj_pread(struct kobj *o, struct iobuf *io, uint64_t off);
ssize_t kobj_pwrite(struct kobj *o, struct iobuf *io, uint64_t off);
/* Ready events of o (see kobj_ops.poll); pt may be NULL (no waiting). */
unsigned kobj_poll(struct kobj *o, struct poll_table *pt);
/* Calls o's flush operation, if any; o may be NULL. */
void kobj_flush(struct kobj *o);
/* Bytes readable now, or -ENOTTY when o cannot tell. */
long kobj_nread(struct kobj *o);

#endif
