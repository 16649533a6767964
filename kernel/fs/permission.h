/*
 * File permission checks: the mode bits, owner and group of a file
 * against the filesystem ids and groups of the running task
 * (proc/cred.h).  A task with fsuid 0 reads and writes anything, searches
 * any directory and executes a file with at least one execute bit.
 *
 * The VFS calls these from path walk (search on every directory), open,
 * create/remove/rename, setattr, truncate, access and exec, so they hold
 * on every filesystem; a filesystem only has to report its owners and
 * modes through getattr.  Read-only mounts (EROFS) are checked by the
 * callers, before these.
 */
#ifndef FS_PERMISSION_H
#define FS_PERMISSION_H

#include "fs/vfs.h"

#define MAY_EXEC  1
#define MAY_WRITE 2
#define MAY_READ  4

/* mask: MAY_* bits.  0 or -EACCES (or getattr's error). */
int vfs_permission(struct vnode *vn, int mask);
/* The same check on attributes already read. */
int vfs_permission_attr(const struct vattr *va, int mask);
/* Creating a name in dir: write and search on it (EACCES). */
int vfs_may_create(struct vnode *dir);
/* Removing (or renaming away) victim from dir: write and search on dir,
 * then the sticky bit: only the owner of victim or of dir may (EPERM). */
int vfs_may_delete(struct vnode *dir, struct vnode *victim);
/* chmod/chown/utimes rules on *va for the VATTR_* bits in *mask: EPERM
 * for a non-owner's chmod, chown and explicit times, a chown to another
 * user or a foreign group; EACCES for a "now" time without write
 * permission.  May clear S_ISGID (chmod by a non-member) and
 * S_ISUID/S_ISGID (chown of a non-directory) in va, adding VATTR_MODE. */
int vfs_setattr_permission(struct vnode *vn, struct vattr *va, unsigned *mask);
/* A file just created in dir gets the task's fsuid and fsgid, or dir's
 * group when dir is set-group-ID (and a new directory inherits that bit).
 * Filesystems without owners (FAT) keep theirs. */
void vfs_init_owner(struct vnode *dir, struct vnode *vn);

#endif
