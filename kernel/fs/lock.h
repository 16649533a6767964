/*
 * Advisory file locks, kept by the VFS for every filesystem: byte-range
 * record locks (POSIX, owned by a process; and open-file-description
 * locks, owned by an open file) and whole-file locks (flock, owned by an
 * open file).  Record locks of both kinds share one lock space, flock
 * locks have their own, as on Linux.  ABIs translate their calls into
 * these; ranges are inclusive and FLOCK_EOF as end means "to the end of
 * the file, however far it grows".
 *
 * The locks of a file are found by the file's identity (superblock and
 * inode number), not by vnode, since a filesystem may hand out several
 * vnodes for one file.
 */
#ifndef FS_LOCK_H
#define FS_LOCK_H

#include "core/types.h"

struct kobj;

#define FLOCK_EOF INT64_MAX

enum flock_type { FLOCK_READ, FLOCK_WRITE, FLOCK_UNLOCK };

/* Who owns a lock.  POSIX locks belong to a process (owner: its process
 * id), released when it closes any descriptor of the file and when it
 * ends.  OFD and flock locks belong to the open file (owner: the kobj),
 * released when its last reference goes. */
enum flock_kind { FLOCK_POSIX, FLOCK_OFD, FLOCK_WHOLE };

struct flock_range {
	enum flock_type type;
	int64_t start, end; /* inclusive, end FLOCK_EOF: unbounded */
	pid_t pid;          /* of a conflicting lock (vfs_lock_test): -1 for an OFD lock */
};

/* Record locks (FLOCK_POSIX, FLOCK_OFD) of the file o.  Test: if a lock
 * of another owner conflicts with *r, *r becomes that lock, else its type
 * becomes FLOCK_UNLOCK.  Set: takes (or with FLOCK_UNLOCK drops) the range
 * for the caller, splitting and merging its own locks; a conflict gives
 * -EAGAIN, or with wait sleeps until there is none (-EINTR on a signal,
 * -EDEADLK when, for POSIX locks, the owner of the conflicting lock
 * waits, directly or not, for the caller).  EINVAL for an object that is
 * not a file; ENOLCK without memory, or for a new lock past 65536 locks
 * in the system. */
int vfs_lock_test(struct kobj *o, enum flock_kind kind, struct flock_range *r);
int vfs_lock_set(struct kobj *o, enum flock_kind kind, const struct flock_range *r, bool wait);

/* flock(2): a whole-file lock of type t for the open file o (converting
 * one it holds, not atomically, as Linux), or its release; -EAGAIN on a
 * conflict without wait, else as vfs_lock_set. */
int vfs_flock(struct kobj *o, enum flock_type t, bool wait);

/* The caller's process closed a descriptor of o: its POSIX locks on the
 * file go (called for every close, see kobj_ops.flush). */
void vfs_lock_close(struct kobj *o);
/* The last reference to the open file o went: its OFD and flock locks go. */
void vfs_lock_release_file(struct kobj *o);

void vfs_lock_init(void);

#endif
