/*
 * Helpers shared by the files of the VFS core (kernel/fs); not for
 * filesystems or other subsystems, which use fs/vfs.h.
 */
#ifndef FS_VFS_IMPL_H
#define FS_VFS_IMPL_H

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "fs/vfs.h"

/* Two vnodes are the same file when they share superblock and inode
 * number, even if a filesystem hands out several vnodes for one file. */
static inline bool vnode_same(const struct vnode *a, const struct vnode *b)
{
	return a == b || (a->sb == b->sb && a->ino == b->ino);
}

static inline bool path_same(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && vnode_same(a->vn, b->vn);
}

static inline bool name_is_dot(const char *name, size_t len)
{
	return len == 1 && name[0] == '.';
}

static inline bool name_is_dotdot(const char *name, size_t len)
{
	return len == 2 && name[0] == '.' && name[1] == '.';
}

/* vnode.c */
int vnode_getattr(struct vnode *vn, struct vattr *va);
/* ops->truncate, keeping the page cache in step; EINVAL without the op. */
int vnode_truncate(struct vnode *vn, uint64_t size);

/* fsize.c: RLIMIT_FSIZE.  A write of *len bytes at off: -EFBIG (and
 * SIGXFSZ) if off is at or past the limit, else *len cut to end there.  A
 * size change: -EFBIG (and SIGXFSZ) if it grows the file past the limit. */
int fsize_write_check(uint64_t off, size_t *len);
int fsize_grow_check(uint64_t old_size, uint64_t new_size);

/* mount.c */
/* A mount of root (in sb) on (parent, mountpoint), both referenced
 * anew (parent NULL for a namespace root); refcount 1 for the list. */
struct mount *mount_new(struct superblock *sb, struct vnode *root, struct mount *parent,
                        struct vnode *mountpoint, unsigned flags, const char *source);
void mount_get(struct mount *m);
void mount_put(struct mount *m);
/* The mount stacked last on (mnt, vn), referenced, or NULL. */
struct mount *mount_covering(struct mnt_ns *ns, struct mount *mnt, struct vnode *vn);
bool path_readonly(const struct path *p);
void mount_init(void);
/* Serializes propagation and mount moves across namespaces; protects
 * mount.group, .master, .ns and the list of namespaces.  Taken before any
 * mnt_ns.lock, never while walking a path. */
extern struct mutex mount_lock;
extern struct list all_namespaces; /* every mnt_ns, by mnt_ns.all */
/* Puts ns (refcount 1, mounts listed) on all_namespaces. */
void mnt_ns_register(struct mnt_ns *ns);

/* propagate.c (mount_lock held for all) */
unsigned mount_new_group(void);
/* Adds m (parent and mount point set) to ns; under a shared parent it
 * becomes shared and is copied under every mount that receives from the
 * parent.  ENOMEM (m is listed anyway). */
int mount_attach_locked(struct mnt_ns *ns, struct mount *m);
/* Takes m out of its namespace, with its unused propagated copies;
 * they go on dropped, whose references mount_drop_list drops (after
 * mount_lock is released). */
void mount_detach_locked(struct mount *m, struct list *dropped);
void mount_drop_list(struct list *l);
/* mount_attach_locked for top, then for each mount of below (parents
 * first), which it empties. */
void mount_attach_tree_locked(struct mnt_ns *ns, struct mount *top, struct list *below);
/* Group group lost a member whose master was master: if no mount is in
 * it any more, its slaves receive from master instead. */
void mount_group_left(unsigned group, unsigned master);
/* Linux's MS_SHARED, MS_SLAVE, MS_PRIVATE, MS_UNBINDABLE on m alone. */
void mount_set_prop_locked(struct mount *m, enum mount_prop prop);

/* walk.c */
/* dir's own lookup, checking that dir is a directory. */
int vnode_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out);
/* Is anc vn itself or one of its ancestors, following ".." lookups inside
 * one filesystem? */
bool vnode_is_ancestor(struct vnode *anc, struct vnode *vn);
/* One component from dir: ".", ".." (confined to fs->root, climbing out of
 * mounts) or a name (crossing into mounts).  *out is referenced. */
int walk_lookup(struct fs_struct *fs, const struct path *dir, const char *name, size_t len,
                struct path *out);
/* vfs_walk that also gives the directory the final component was found
 * in (*dir, referenced; vn NULL when the path ended in "/", "." or "..")
 * and that component's name (name: NAME_MAX + 1 bytes), symlinks
 * resolved: what names the file for /proc/PID/fd. */
int vfs_walk_last(struct fs_struct *fs, const char *path, unsigned flags, struct path *out,
                  struct path *dir, char *name);
/* Absolute path of p as seen from fs->root, NUL-terminated; returns its
 * length.  ENOENT if p is not reachable from the root, ERANGE if n is too
 * small. */
int vfs_path_string(struct fs_struct *fs, const struct path *p, char *buf, size_t n);

/* ns.c */
/* A copy takes m's propagation (peer of a shared mount, slave of the
 * same master) and attributes, as Linux's copies do. */
void mount_copy_prop(struct mount *copy, const struct mount *m);
/* Copies the mounts of ns below (src_mnt, src_root) onto dst, recursively
 * (unbindable ones left out), onto out; ns->lock held. */
int mount_copy_below(struct mnt_ns *ns, struct mount *src_mnt, struct vnode *src_root,
                     struct mount *dst, unsigned ro, struct list *out);
/* Is p at or below root, following ".." and mountpoints? */
bool path_is_under(const struct path *p, const struct path *root);

/* file.c */
int file_open(const struct path *p, int oflags, struct kobj **out);
/* Reports mask (FSN_*, fs/notify.h) for the file open as o, to its
 * directory too when the name it was opened by is known. */
void file_notify(struct kobj *o, uint32_t mask);

/* The per-mount options after rw/ro, as ",nosuid,nodev" (mount.c). */
void mount_attr_string(const struct mount *m, char *out, size_t n);

#endif
