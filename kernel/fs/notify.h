/*
 * File change notification (Linux's fsnotify, without any ABI in it): the
 * VFS reports what happens to files through the fsnotify_* hooks below,
 * and whoever watches a file (an inotify descriptor, obj/inotify.c) gets
 * the events of that file through a mark on it.
 *
 * A mark names a file by (superblock, inode number), so it outlives the
 * file's vnodes and holds no reference: the file may be released and
 * looked up again meanwhile.  A mark goes away when its owner removes it,
 * or when the file is gone (its last link and last reference dropped:
 * FSN_DELETE_SELF then ops->gone) or its filesystem is unmounted
 * (FSN_UNMOUNT then ops->gone).
 *
 * Events on a directory's entries go to the directory's marks with the
 * entry's name (create, delete, moves); events on a file (open, close,
 * modify, attrib, access) go to the file's marks and, with the name it
 * was opened by, to its directory's marks when the VFS knows them.
 *
 * Locking: one global mutex (fsnotify_lock) serializes the marks;
 * ops->event and ops->gone run under it and must not take it nor sleep
 * for long.  The hooks are called without any filesystem lock held.
 */
#ifndef FS_NOTIFY_H
#define FS_NOTIFY_H

#include "core/list.h"
#include "fs/vfs.h"

/* Event bits (Linux's inotify values). */
#define FSN_ACCESS        0x00000001
#define FSN_MODIFY        0x00000002
#define FSN_ATTRIB        0x00000004
#define FSN_CLOSE_WRITE   0x00000008
#define FSN_CLOSE_NOWRITE 0x00000010
#define FSN_OPEN          0x00000020
#define FSN_MOVED_FROM    0x00000040
#define FSN_MOVED_TO      0x00000080
#define FSN_CREATE        0x00000100
#define FSN_DELETE        0x00000200
#define FSN_DELETE_SELF   0x00000400
#define FSN_MOVE_SELF     0x00000800
#define FSN_UNMOUNT       0x00002000
#define FSN_ISDIR         0x40000000
#define FSN_ALL_EVENTS    0x00000fff

struct fsnotify_mark;

struct fsnotify_ops {
	/* An event for the mark's file: mask (FSN_*), the cookie pairing
	 * MOVED_FROM with MOVED_TO (else 0), and an entry's name (len 0 for
	 * the file itself).  Only bits in m->mask (plus FSN_ISDIR) are
	 * delivered.  Returns true to have the mark dropped at once (then
	 * ops->gone follows). */
	bool (*event)(struct fsnotify_mark *m, uint32_t mask, uint32_t cookie, const char *name,
	              size_t len);
	/* The VFS dropped the mark (file gone, unmount): it is no longer
	 * listed; the owner frees it. */
	void (*gone)(struct fsnotify_mark *m);
};

struct fsnotify_mark {
	struct list node; /* in the global list; fsnotify_lock */
	struct superblock *sb;
	uint64_t ino;
	uint32_t mask; /* FSN_* events wanted (FSN_DELETE_SELF/UNMOUNT always come) */
	const struct fsnotify_ops *ops;
	void *owner;
};

void fsnotify_lock(void);
void fsnotify_unlock(void);
/* With the lock held: the mark of owner on vn's file, or NULL; adding
 * and removing marks (m->sb/ino/mask/ops/owner filled by the caller). */
struct fsnotify_mark *fsnotify_find(void *owner, struct vnode *vn);
void fsnotify_add(struct fsnotify_mark *m, struct vnode *vn);
void fsnotify_remove(struct fsnotify_mark *m);

/* Is any file watched at all? */
bool fsnotify_active(void);

/* A fresh cookie for one rename's MOVED_FROM/MOVED_TO pair. */
uint32_t fsnotify_cookie(void);

/* Hooks called by the VFS. */
/* An event on vn itself and, when dir is given, on dir with name. */
void fsnotify_file(struct vnode *vn, struct vnode *dir, const char *name, size_t len,
                   uint32_t mask);
/* name was created in dir (vn: the new file, for FSN_ISDIR). */
void fsnotify_create(struct vnode *dir, const char *name, size_t len, struct vnode *vn);
/* name (vn) was removed from dir. */
void fsnotify_delete(struct vnode *dir, const char *name, size_t len, struct vnode *vn);
/* vn moved from (od, oname) to (nd, nname). */
void fsnotify_move(struct vnode *od, const char *oname, size_t olen, struct vnode *nd,
                   const char *nname, size_t nlen, struct vnode *vn);
/* vn's last reference is going (vnode_put): if it has no link left, its
 * marks get FSN_DELETE_SELF and go. */
void fsnotify_released(struct vnode *vn);
/* sb is being unmounted: its marks get FSN_UNMOUNT and go. */
void fsnotify_unmount(struct superblock *sb);

#endif
