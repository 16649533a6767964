/*
 * inotify instances: a queue of file events fed by watches on files
 * (fs/notify.h marks).  The layout of what read returns and the flag
 * values are Linux's (struct inotify_event: wd, mask, cookie, len, then
 * the name padded with NULs to a multiple of 16 bytes), which is also
 * what any other ABI would get.
 */
#ifndef OBJ_INOTIFY_H
#define OBJ_INOTIFY_H

#include <stdint.h>

#include "fs/vfs.h"

struct kobj;

/* Flags of a watch beyond the FSN_* events (Linux's values). */
#define INOTIFY_EXCL_UNLINK 0x04000000
#define INOTIFY_MASK_CREATE 0x10000000
#define INOTIFY_MASK_ADD    0x20000000
#define INOTIFY_ONESHOT     0x80000000
/* Event bits only inotify makes. */
#define INOTIFY_Q_OVERFLOW 0x00004000
#define INOTIFY_IGNORED    0x00008000

/* At most this many events wait in a queue (Linux's default
 * max_queued_events); then one INOTIFY_Q_OVERFLOW event ends it. */
#define INOTIFY_MAX_EVENTS 16384
/* Watches per instance (Linux: max_user_watches per user). */
#define INOTIFY_MAX_WATCHES 8192

/* A new instance; status is 0 or O_NONBLOCK.  ENOMEM. */
int inotify_create(unsigned status, struct kobj **out);
/* Watches vn (the caller checked read permission) for mask (FSN_* events
 * plus INOTIFY_* flags); returns the watch descriptor, the same one for
 * a file already watched (its mask replaced, or extended with
 * MASK_ADD; EEXIST with MASK_CREATE).  EINVAL if o is not an instance,
 * ENOSPC past INOTIFY_MAX_WATCHES. */
int inotify_add(struct kobj *o, struct vnode *vn, uint32_t mask);
/* Removes watch wd (an INOTIFY_IGNORED event follows); EINVAL. */
int inotify_remove(struct kobj *o, int wd);
/* Is o an instance? */
bool inotify_is(struct kobj *o);

#endif
