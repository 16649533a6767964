/*
 * Filesystem contexts: the object behind Linux's fsopen/fsconfig/fsmount
 * (and fspick).  A context names a filesystem type, gathers its source,
 * read-only flag and options, creates (or, picked from a mount,
 * reconfigures) a superblock, and gives it out as a detached mount tree.
 * Errors are also kept as messages ("e TYPE: ...") that reading the
 * object returns one at a time.
 */
#ifndef FS_FS_CONTEXT_H
#define FS_FS_CONTEXT_H

#include <stdbool.h>

#include "fs/vfs.h"
#include "obj/kobj.h"

/* A context for a new superblock of fstype; ENODEV if there is no such
 * type. */
int fsctx_open(const char *fstype, struct kobj **out);
/* A context to reconfigure the superblock mounted at p (its mount's
 * root; else EINVAL). */
int fsctx_pick(const struct path *p, struct kobj **out);
bool fsctx_is(struct kobj *o);
/* A flag parameter ("ro", "rw", or one for the filesystem): EINVAL once
 * created; EBUSY after a failed create. */
int fsctx_set_flag(struct kobj *o, const char *key);
/* "source", or an option key=value for the filesystem. */
int fsctx_set_string(struct kobj *o, const char *key, const char *value);
/* Creates the superblock (fs: the caller's, for options naming paths);
 * EBUSY if done already, the filesystem's errors otherwise. */
int fsctx_create(struct kobj *o, struct fs_struct *fs, bool excl);
/* Applies ro/rw to a created or picked superblock. */
int fsctx_reconfigure(struct kobj *o);
/* The created superblock as a new detached tree (vfs_tree_new); EINVAL
 * before create, EBUSY once mounted. */
int fsctx_mount(struct kobj *o, unsigned mnt_flags, unsigned attrs, struct path *root,
                struct mnt_ns **tree);
/* Appends a message line ("e TYPE: ...") for read(). */
void fsctx_log(struct kobj *o, const char *msg);

#endif
