/*
 * Virtual file system: vnodes, filesystem types, mounts and path walk.
 *
 * A vnode is one file of one filesystem, reference counted.  A position in
 * the tree is a `struct path`: a vnode plus the mount it was reached
 * through, because the same filesystem may be mounted in several places
 * and mount namespaces differ per task.  Tasks reach the tree through a
 * `struct fs_struct` (root, cwd, mount namespace, umask), which path walk
 * takes explicitly.
 *
 * Every function returns 0 / a positive count or -ERRNO.
 */
#ifndef FS_VFS_H
#define FS_VFS_H

#include "core/list.h"
#include "core/spinlock.h"
#include "core/types.h"
#include "core/uaccess.h"
#include "proc/mutex.h"

/* open(2) flag beyond the native ones (Linux's value, as all O_* are):
 * a handle that only names a file, see vfs_open. */
#ifndef O_PATH
#define O_PATH 0x200000
#endif

#define NAME_MAX           255
#define PATH_MAX           4096
#define SYMLINK_MAX_FOLLOW 40

struct vnode;
struct superblock;
struct kobj;
struct fs_struct;
struct path;
struct vfs_statfs;

/* Attributes of a vnode (the kernel's own stat). */
struct vattr {
	uint64_t dev;
	uint64_t ino;
	uint32_t mode; /* S_IF* type | permission bits */
	uint32_t nlink;
	uint32_t uid;
	uint32_t gid;
	uint64_t rdev;
	uint64_t size;
	uint64_t blocks; /* 512-byte units */
	int64_t atime_ns;
	int64_t mtime_ns;
	int64_t ctime_ns;
};

/* vattr fields set by vnode_ops.setattr */
#define VATTR_MODE  0x1
#define VATTR_UID   0x2
#define VATTR_GID   0x4
#define VATTR_ATIME 0x8
#define VATTR_MTIME 0x10
/* with VATTR_ATIME/MTIME: a time was given explicitly (utimensat), which
 * only the owner may do; without it, "now" also needs write permission.
 * Filesystems ignore it. */
#define VATTR_TIMES_SET 0x20

/* Called by readdir for each entry; returns non-zero to stop (for example
 * when the caller's buffer is full: that entry is then not consumed).
 * Before each call, readdir's *cookie already says where to resume at that
 * entry (file_readdir_pos relies on it to report per-entry offsets). */
typedef int (*vfs_filldir_fn)(void *ctx, const char *name, size_t len, uint64_t ino,
                              unsigned dtype);

/*
 * Operations of a vnode.  Names are (name, len) pairs, not terminated, and
 * never "." or ".." (path walk handles those), with one exception: path
 * walk asks lookup for ".." to find a directory's parent (a filesystem's
 * root answers itself; a removed directory answers ENOENT).  Operations that return a
 * vnode return it referenced.  A missing operation makes the VFS return
 * EPERM (namespace ops), EINVAL or ENOTDIR as appropriate.  Each
 * filesystem does its own locking.
 */
struct vnode_ops {
	int (*lookup)(struct vnode *dir, const char *name, size_t len, struct vnode **out);
	int (*create)(struct vnode *dir, const char *name, size_t len, uint32_t mode,
	              struct vnode **out);
	int (*mkdir)(struct vnode *dir, const char *name, size_t len, uint32_t mode,
	             struct vnode **out);
	int (*mknod)(struct vnode *dir, const char *name, size_t len, uint32_t mode, uint64_t rdev,
	             struct vnode **out);
	int (*symlink)(struct vnode *dir, const char *name, size_t len, const char *target,
	               struct vnode **out);
	int (*link)(struct vnode *dir, const char *name, size_t len, struct vnode *target);
	int (*unlink)(struct vnode *dir, const char *name, size_t len);
	int (*rmdir)(struct vnode *dir, const char *name, size_t len);
	/* Replaces an existing target as POSIX rename does. */
	int (*rename)(struct vnode *olddir, const char *oldname, size_t oldlen,
	              struct vnode *newdir, const char *newname, size_t newlen);
	/* Optional: swaps two existing entries atomically (RENAME_EXCHANGE),
	 * directories' ".." and their parents' link counts included; the VFS
	 * has checked types, permissions and loops.  Missing: EINVAL. */
	int (*exchange)(struct vnode *olddir, const char *oldname, size_t oldlen,
	                struct vnode *newdir, const char *newname, size_t newlen);
	/* Fills buf (kernel memory) with the target, not terminated;
	 * returns its length. */
	int (*readlink)(struct vnode *vn, char *buf, size_t n);
	/* Optional, for a symlink whose target is no path (Linux's "magic"
	 * links: /proc/PID/ns/KIND): following link reaches *out, a path with
	 * its references.  Only as the last component (ENOTDIR otherwise). */
	int (*follow)(const struct path *link, struct path *out);
	ssize_t (*read)(struct vnode *vn, struct iobuf *io, uint64_t off);
	ssize_t (*write)(struct vnode *vn, struct iobuf *io, uint64_t off);
	int (*truncate)(struct vnode *vn, uint64_t size);
	int (*getattr)(struct vnode *vn, struct vattr *va);
	int (*setattr)(struct vnode *vn, const struct vattr *va, unsigned mask);
	/* *cookie is 0 at the start and opaque afterwards; returns 0 at the
	 * end of the directory or when fill asked to stop. */
	int (*readdir)(struct vnode *dir, uint64_t *cookie, vfs_filldir_fn fill, void *ctx);
	/* Optional: extended attributes (fs/xattr.c checks names, namespaces
	 * and permissions first).  Names are whole ("user.x"), NUL-terminated,
	 * in user., trusted. or security.; buffers are kernel memory.
	 * getxattr: the value's length, copied to buf when size allows (ERANGE
	 * if not; size 0 only asks); ENODATA.  setxattr: flags XATTR_CREATE
	 * (EEXIST if present) / XATTR_REPLACE (ENODATA if absent); ENOSPC, or
	 * ERANGE for a value the filesystem can never hold.  listxattr: every
	 * name with its NUL, as getxattr for size.  removexattr: ENODATA.
	 * Missing: EOPNOTSUPP (listxattr: an empty list). */
	int (*getxattr)(struct vnode *vn, const char *name, void *buf, size_t size);
	int (*setxattr)(struct vnode *vn, const char *name, const void *value, size_t size,
	                int flags);
	int (*listxattr)(struct vnode *vn, char *buf, size_t size);
	int (*removexattr)(struct vnode *vn, const char *name);
	/* Last reference dropped: free in-memory state (and the file itself
	 * if it has no links left).  vnode_put frees the vnode afterwards. */
	void (*release)(struct vnode *vn);
	/* Optional: an area mapping the vnode was made (mmap, fork, a split;
	 * opened) or removed, by the running task (System V shared memory
	 * keeps its attach and detach times so).  Called under mm->lock: must
	 * not sleep. */
	void (*map_event)(struct vnode *vn, bool opened);
	/* Set for symlinks that stand for an object rather than a path
	 * (procfs's fd/N, exe, cwd, root: Linux's "magic links"), which
	 * WALK_RES_NO_MAGICLINKS and scoped walks refuse to follow. */
	bool magic_link;
};

struct vnode {
	int refcount; /* atomic; vnode_put calls ops->release at zero */
	uint32_t mode;
	uint64_t ino;
	struct superblock *sb;
	const struct vnode_ops *ops;
	void *priv;            /* filesystem's own data */
	struct pcache *pcache; /* pages of its mappings (mm/pcache.h), or NULL */
	/* An O_TMPFILE file (vfs_open_tmpfile) that link may give a first
	 * name although it has no link; cleared by that link. */
	bool linkable;
};

struct fs_type {
	const char *name; /* "tmpfs", "devfs", "ext2"... */
	/* source: device path or "none"; flags: MS_*.  *out comes back with
	 * refcount 0 and sb->flags, sb->dev and sb->root set; the VFS counts
	 * the mounts using it. */
	int (*mount)(const char *source, unsigned flags, const void *data, struct superblock **out);
	/* Flushes and frees; called once the last mount is gone. */
	void (*unmount)(struct superblock *sb);
	int (*sync)(struct superblock *sb);
	/* Optional: the last sync before the machine stops; leaves the
	 * filesystem marked clean (as unmount would). */
	int (*shutdown)(struct superblock *sb);
	/* Optional, used instead of mount when set: for filesystems whose
	 * options name paths in the caller's namespace (overlay). */
	int (*mount_fs)(struct fs_struct *fs, const char *source, unsigned flags, const void *data,
	                struct superblock **out);
	/* Optional: fills the sizes and the type of st (see vfs_statfs);
	 * without it statfs(2) fails with ENOSYS. */
	int (*statfs)(struct superblock *sb, struct vfs_statfs *st);
	/* Unnamed files (O_TMPFILE) are possible: a file created and unlinked
	 * lives while open, and link accepts vnode.linkable ones. */
	bool tmpfile;
};

struct superblock {
	const struct fs_type *type;
	struct vnode *root;
	unsigned flags; /* MS_RDONLY */
	uint64_t dev;   /* device number reported in vattr.dev */
	int refcount;   /* mounts using it */
	void *priv;
};

/* A filesystem attached somewhere in a namespace. */
struct mount {
	struct list node; /* in mnt_ns.mounts */
	struct superblock *sb;
	struct vnode *root;       /* root of what is mounted here */
	struct mount *parent;     /* NULL for the namespace root */
	struct vnode *mountpoint; /* in parent */
	unsigned flags;           /* MS_RDONLY: read-only view */
	unsigned attrs;           /* MNT_A_*: per-mount attributes besides read-only */
	bool unbindable;          /* MS_UNBINDABLE: no bind mount of it (mount_prop.c) */
	int id;                   /* what /proc/PID/mountinfo numbers it with */
	/* Propagation (mount_prop.c), under mount_lock: mounts with the same
	 * nonzero group are peers (shared); a mount whose master is G
	 * receives the mount events of group G without sending its own. */
	unsigned group;
	unsigned master;
	/* The namespace whose list holds it (NULL once out of every list);
	 * changed under mount_lock and that namespace's lock. */
	struct mnt_ns *ns;
	char source[64];
	int refcount; /* atomic: the namespace's list, paths, child mounts */
};

/* A mount namespace: the set of mounts a group of tasks sees. */
struct mnt_ns {
	int refcount;
	struct mutex lock;
	struct list mounts;
	struct mount *root;
	uint32_t inum;   /* the number /proc/PID/ns/mnt shows (ns_new_inum) */
	struct list all; /* in the list of every namespace (mount_lock) */
	/* A detached mount tree (mount_api.c): what an fsmount or
	 * open_tree clone descriptor holds until it is attached somewhere;
	 * receives no propagation. */
	bool anon;
};

/* struct mount.attrs */
#define MNT_A_NOSUID      0x1
#define MNT_A_NODEV       0x2
#define MNT_A_NOEXEC      0x4
#define MNT_A_NOATIME     0x8
#define MNT_A_STRICTATIME 0x10
#define MNT_A_NODIRATIME  0x20
#define MNT_A_NOSYMFOLLOW 0x40
#define MNT_A_ATIME       (MNT_A_NOATIME | MNT_A_STRICTATIME) /* neither: relatime */
#define MNT_A_RDONLY      0x80 /* only in vfs_mount_setattr: mount.flags' MS_RDONLY */

struct path {
	struct mount *mnt;
	struct vnode *vn;
};

/* What a task (or group of threads) walks paths from. */
struct fs_struct {
	int refcount;
	struct spinlock lock;
	struct path root;
	struct path cwd;
	struct mnt_ns *ns;
	uint32_t umask;
	unsigned resolve; /* WALK_RES_* restrictions: only in a view, 0 in a task's own */
};

/* vnodes */
struct vnode *vnode_alloc(struct superblock *sb, const struct vnode_ops *ops, uint32_t mode,
                          uint64_t ino);
struct vnode *vnode_get(struct vnode *vn);
void vnode_put(struct vnode *vn);
/* Frees a vnode nothing references any more, when its filesystem is
 * unmounted with its nodes: the vnode's page cache goes with it (its
 * dirty pages written back first). */
void vnode_discard(struct vnode *vn);
void path_get(struct path *p);
void path_put(struct path *p);

/* filesystem types */
int vfs_register_fs(const struct fs_type *type);
const struct fs_type *vfs_find_fs(const char *name);
/* The i-th registered type (registration order), or NULL past the end. */
const struct fs_type *vfs_fs_type_at(int i);

/* namespaces and fs_struct */
struct mnt_ns *mnt_ns_create(struct superblock *root_sb);
struct mnt_ns *mnt_ns_get(struct mnt_ns *ns);
void mnt_ns_put(struct mnt_ns *ns);
struct fs_struct *fs_struct_create(struct mnt_ns *ns);
struct fs_struct *fs_struct_clone(struct fs_struct *fs); /* new copy */
struct fs_struct *fs_struct_get(struct fs_struct *fs);
void fs_struct_put(struct fs_struct *fs);
/* Gives fs a private deep copy of its mount namespace (same filesystems,
 * new mounts), root and cwd moved to the copies; later mounts in either
 * namespace are invisible in the other.  The caller makes sure fs itself
 * is not shared with tasks that should keep the old namespace. */
int mnt_ns_clone(struct fs_struct *fs);
/* Gives fs a new namespace whose only mount is root_sb at "/", with root
 * and cwd there (the old namespace is left to its other users); ENOMEM.
 * fs must not be shared. */
int mnt_ns_fresh(struct fs_struct *fs, struct superblock *root_sb);
/* Moves fs (not shared) into ns (a reference is taken), root and cwd at
 * its root, as Linux's setns does. */
void mnt_ns_install(struct fs_struct *fs, struct mnt_ns *ns);
/* fs's namespace, with a reference. */
struct mnt_ns *fs_get_ns(struct fs_struct *fs);
/* A fresh namespace inode number, shared by every kind of namespace
 * (Linux numbers them from one sequence after its initial ones). */
uint32_t ns_new_inum(void);

/* path walk flags */
#define WALK_FOLLOW 0x1 /* follow a symlink in the last component */
#define WALK_DIR    0x2 /* last component must be a directory */

/* Restrictions on every walk from a view (fs_view_resolve; openat2's
 * RESOLVE_* flags).  Symlinks refused give ELOOP, escapes EXDEV. */
#define WALK_RES_NO_SYMLINKS   0x1 /* follow no symlink at all */
#define WALK_RES_NO_MAGICLINKS 0x2 /* follow no magic link (vnode_ops.magic_link) */
#define WALK_RES_BENEATH       0x4 /* stay under the view's cwd: no absolute path or ".." above it */
#define WALK_RES_IN_ROOT       0x8  /* the view's cwd is also its root ("/" and ".." stop there) */
#define WALK_RES_NO_XDEV       0x10 /* never leave the mount the walk starts in */

/*
 * Resolves path (absolute from fs->root, else from fs->cwd), crossing
 * mounts, handling "." and "..", never climbing above fs->root, following
 * symlinks (ELOOP after SYMLINK_MAX_FOLLOW).  The result is referenced.
 * Errors: ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG.
 */
int vfs_walk(struct fs_struct *fs, const char *path, unsigned flags, struct path *out);
/* Resolves all but the last component; *name and *len point into path at the
 * last component ("." if path is "/").  Trailing slashes are kept out of
 * the name but reported via *trailing_slash. */
int vfs_walk_parent(struct fs_struct *fs, const char *path, struct path *parent, const char **name,
                    size_t *len, bool *trailing_slash);

/* Operations by path, as the system calls need them. */
int vfs_open(struct fs_struct *fs, const char *path, int oflags, uint32_t mode, struct kobj **out);
/* Opens a program for exec: a regular file (else EACCES) the task may
 * execute (fs/permission.h), without needing read permission. */
int vfs_open_exec(struct fs_struct *fs, const char *path, struct kobj **out);
/* O_TMPFILE: opens a new regular file without a name in the directory
 * path names (ENOENT, ENOTDIR; ENOTSUP (EOPNOTSUPP) where the filesystem has no
 * fs_type.tmpfile).  Without O_EXCL, link may give it a name later.
 * oflags must allow writing (the caller checks). */
int vfs_open_tmpfile(struct fs_struct *fs, const char *path, int oflags, uint32_t mode,
                     struct kobj **out);
/* The same with a final symlink refused (ELOOP), and for the file a path
 * already names (an open file's: execveat with AT_EMPTY_PATH). */
int vfs_open_exec_nofollow(struct fs_struct *fs, const char *path, struct kobj **out);
int vfs_path_open_exec(const struct path *p, struct kobj **out);
int vfs_stat(struct fs_struct *fs, const char *path, bool follow, struct vattr *va);
int vfs_mkdir(struct fs_struct *fs, const char *path, uint32_t mode);
int vfs_mknod(struct fs_struct *fs, const char *path, uint32_t mode, uint64_t rdev);
int vfs_unlink(struct fs_struct *fs, const char *path);
int vfs_rmdir(struct fs_struct *fs, const char *path);
int vfs_rename(struct fs_struct *fs, const char *oldpath, const char *newpath);
/* rename with each path in its own fs_struct (views for renameat) and
 * flags: VFS_RENAME_NOREPLACE gives EEXIST when newpath exists (checked
 * before the filesystem's rename, not atomically with it); other flags
 * EINVAL. */
#define VFS_RENAME_NOREPLACE 0x1
/* VFS_RENAME_EXCHANGE swaps two existing files (either may be a
 * directory), where the filesystem can (vnode_ops.exchange), else
 * EINVAL. */
#define VFS_RENAME_EXCHANGE 0x2
int vfs_rename2(struct fs_struct *oldfs, const char *oldpath, struct fs_struct *newfs,
                const char *newpath, unsigned flags);
int vfs_link(struct fs_struct *fs, const char *oldpath, const char *newpath);
/* link(2) of an already resolved file (linkat with AT_SYMLINK_FOLLOW or
 * AT_EMPTY_PATH): EPERM for a directory, EXDEV across mounts. */
int vfs_link_path(struct fs_struct *fs, const struct path *old, const char *newpath);
int vfs_symlink(struct fs_struct *fs, const char *target, const char *linkpath);
int vfs_readlink(struct fs_struct *fs, const char *path, char *buf, size_t n);
/* readlink of a resolved path (an O_PATH descriptor of a symlink): EINVAL
 * if it is not a symlink. */
int vfs_path_readlink(const struct path *p, char *buf, size_t n);
/* chmod/chown/utimes: the VATTR_* fields in mask.  EROFS, EPERM if the
 * filesystem cannot. */
int vfs_setattr(struct fs_struct *fs, const char *path, bool follow, const struct vattr *va,
                unsigned mask);
/* truncate(2): EISDIR, EINVAL for non-regular files, EROFS. */
int vfs_truncate(struct fs_struct *fs, const char *path, uint64_t size);
int vfs_chdir(struct fs_struct *fs, const char *path);
/* fchdir(2): ENOTDIR unless p is a directory. */
int vfs_chdir_path(struct fs_struct *fs, const struct path *p);
/* Writes the absolute path of the cwd, as seen from fs->root, with its
 * NUL; returns the length without the NUL.  ERANGE if n is too small,
 * ENOENT if the cwd was removed. */
int vfs_getcwd(struct fs_struct *fs, char *buf, size_t n);
/* flags: MS_RDONLY; MS_BIND (vfs_bind_path, fstype and data ignored);
 * MS_REMOUNT (vfs_remount). */
int vfs_mount(struct fs_struct *fs, const char *source, const char *target, const char *fstype,
              unsigned flags, const void *data);
int vfs_umount(struct fs_struct *fs, const char *target);
/* Attaches an existing superblock (with refcount 0, as fs_type.mount
 * returns it, or already mounted elsewhere) at target. */
int vfs_mount_sb(struct fs_struct *fs, struct superblock *sb, const char *target, unsigned flags,
                 const char *source);
/* Bind mount: src (a directory or any other file, resolved in src_ns)
 * becomes visible at target in fs's namespace; target must be a directory
 * for a directory and a non-directory for anything else (ENOTDIR/EISDIR).
 * MS_RDONLY makes this view read-only (so does a read-only source mount);
 * MS_REC copies the mounts below src too.  source names it in the mount
 * list.  vfs_bind_path resolves source in fs itself. */
int vfs_bind(struct fs_struct *fs, struct mnt_ns *src_ns, const struct path *src,
             const char *target, const char *source, unsigned flags);
int vfs_bind_path(struct fs_struct *fs, const char *source, const char *target, unsigned flags);
/* chroot(2): path (a directory) becomes fs->root; a cwd outside it moves
 * to it. */
int vfs_chroot(struct fs_struct *fs, const char *path);
/* Changes the flags (MS_RDONLY) of the mount whose root target is;
 * EINVAL if target is not a mount point. */
int vfs_remount(struct fs_struct *fs, const char *target, unsigned flags);
/* type's own mount (mount_fs or mount): a superblock with refcount 0,
 * what vfs_mount attaches; for the new mount API's contexts. */
int vfs_type_mount(struct fs_struct *fs, const struct fs_type *type, const char *source,
                   unsigned flags, const void *data, struct superblock **sb);
/* Lines "source target fstype rw|ro\n" for each mount visible in ns,
 * NUL-terminated; returns the length.  ERANGE if n is too small.
 * vfs_umount fails with EBUSY while a file, cwd or root is inside. */
int vfs_list_mounts(struct fs_struct *fs, char *buf, size_t n);
/* The same in /proc/PID/mountinfo's format (mount_prop.c). */
int vfs_list_mountinfo(struct fs_struct *fs, char *buf, size_t n);
/* Mount propagation (Linux's MS_SHARED, MS_PRIVATE, MS_SLAVE,
 * MS_UNBINDABLE, with rec the mounts below too) of the mount whose root
 * target is: EINVAL when it is not a mount's root (mount_prop.c). */
enum mount_prop {
	MOUNT_PROP_NONE,
	MOUNT_PROP_SHARED,
	MOUNT_PROP_PRIVATE,
	MOUNT_PROP_SLAVE,
	MOUNT_PROP_UNBINDABLE
};
int vfs_set_propagation(struct fs_struct *fs, const char *target, enum mount_prop prop, bool rec);
/* The same on the mount p names (its root: else EINVAL). */
int vfs_path_set_propagation(const struct path *p, enum mount_prop prop, bool rec);
/* The new mount API (mount_api.c).  A detached tree is an anonymous
 * namespace (mnt_ns.anon) holding a mount tree with no parent; *root is
 * its root (referenced) and *tree the namespace (one reference, which
 * file_open_tree hands to a descriptor). */
int vfs_tree_new(struct superblock *sb, unsigned flags, unsigned attrs, const char *source,
                 struct path *root, struct mnt_ns **tree);
/* A detached copy of the mount at src (its subtree at src->vn), with the
 * mounts below when rec; EINVAL for an unbindable mount or one of
 * another namespace. */
int vfs_tree_clone(struct fs_struct *fs, const struct path *src, bool rec, struct path *root,
                   struct mnt_ns **tree);
/* Attaches the detached tree whose root from is at to, or moves the
 * attached mount from (its root) there: EINVAL (not a mount root, a
 * namespace root, another namespace, from's parent shared, directory vs
 * file), ELOOP (to inside from). */
int vfs_move_mount(struct fs_struct *fs, const struct path *from, const struct path *to);
/* Puts to in from's peer group (and under its master): EINVAL, EBUSY. */
int vfs_mount_set_group(struct fs_struct *fs, const struct path *from, const struct path *to);
/* Sets and clears MNT_A_* (MNT_A_RDONLY for read-only) on the mount at p
 * (its root, else EINVAL) and, with rec, those below; then prop. */
int vfs_mount_setattr(struct fs_struct *fs, const struct path *p, bool rec, unsigned set,
                      unsigned clr, enum mount_prop prop);

/* Flushes every mounted filesystem. */
int vfs_sync_all(void);
/* At poweroff: syncs every filesystem and marks those that can clean. */
int vfs_shutdown_all(void);

/* *at calls: fills *view, an fs_struct sharing fs's root, namespace and
 * umask whose relative paths start at dir instead of the cwd; every vfs_*
 * call by path then works from dir.  ENOTDIR if dir is not a directory.
 * A view is for one call of one task: never shared, chdir'd or kept;
 * fs_view_end drops its references. */
/* fs's root or cwd, referenced. */
void fs_get_root(struct fs_struct *fs, struct path *out);
void fs_get_cwd(struct fs_struct *fs, struct path *out);
int fs_view_at(struct fs_struct *fs, const struct path *dir, struct fs_struct *view);
void fs_view_end(struct fs_struct *view);
/* fs_view_at with walk restrictions (WALK_RES_*): with WALK_RES_BENEATH
 * or WALK_RES_IN_ROOT the view's root is dir too. */
int fs_view_resolve(struct fs_struct *fs, const struct path *dir, unsigned resolve,
                    struct fs_struct *view);
/* umask(2): sets fs's mask (0777 bits) and returns the old one. */
uint32_t fs_umask_exchange(struct fs_struct *fs, uint32_t mask);

/* Operations on a resolved path (an open file's, or a walked one).
 * setattr: EROFS, EPERM if the filesystem cannot or the task may not
 * (fs/permission.h).  access: mode is VFS_*_OK bits (0 = exists), checked
 * against the mode bits with the task's fs ids (vfs_path_access) or, for
 * vfs_access, its real ids unless VFS_AT_EACCESS; root passes all but X
 * on a non-directory without any execute bit; W gives EROFS on a
 * read-only mount for files, directories and symlinks; EINVAL for other
 * bits. */
#define VFS_X_OK       1
#define VFS_W_OK       2
#define VFS_R_OK       4
#define VFS_AT_EACCESS 0x100
int vfs_path_setattr(const struct path *p, const struct vattr *va, unsigned mask);
/* stat of a resolved path. */
int vfs_path_getattr(const struct path *p, struct vattr *va);
int vfs_path_access(const struct path *p, int mode);
int vfs_access(struct fs_struct *fs, const char *path, bool follow, int mode);

/* Extended attributes (fs/xattr.c), with Linux's rules: namespaces
 * user.* (regular files and directories; the file's read or write
 * permission), trusted.* (admin only: EPERM to write, ENODATA to read and
 * left out of lists for others) and security.* (admin to write); another
 * prefix is EOPNOTSUPP, a bare prefix EINVAL.  EROFS for changes on a
 * read-only mount.  Values are kernel memory of at most XATTR_SIZE_MAX
 * bytes (the callers check); get and list return lengths as the vnode
 * operations do (size 0 asks, ERANGE when too small). */
#define XATTR_CREATE   0x1
#define XATTR_REPLACE  0x2
#define XATTR_NAME_MAX 255
#define XATTR_SIZE_MAX 65536
#define XATTR_LIST_MAX 65536
int vfs_path_getxattr(const struct path *p, const char *name, void *buf, size_t size);
int vfs_path_setxattr(const struct path *p, const char *name, const void *value, size_t size,
                      int flags);
int vfs_path_listxattr(const struct path *p, char *buf, size_t size);
int vfs_path_removexattr(const struct path *p, const char *name);

/* statfs(2).  type is the magic number Linux reports for that kind of
 * filesystem (their values are also what our filesystems report). */
#define VFS_ST_RDONLY         0x1
#define EXT2_SUPER_MAGIC      0xEF53
#define MSDOS_SUPER_MAGIC     0x4d44
#define TMPFS_MAGIC           0x01021994
#define OVERLAYFS_SUPER_MAGIC 0x794c7630
#define PROC_SUPER_MAGIC      0x9fa0
#define SYSFS_MAGIC           0x62656572
struct vfs_statfs {
	uint64_t type;
	uint64_t bsize;  /* preferred I/O size */
	uint64_t frsize; /* unit of the block counts (bsize when 0) */
	uint64_t blocks, bfree, bavail;
	uint64_t files, ffree;
	uint64_t fsid; /* the superblock's device number */
	uint64_t namelen;
	uint64_t flags; /* VFS_ST_RDONLY */
};
int vfs_path_statfs(const struct path *p, struct vfs_statfs *st);
int vfs_statfs(struct fs_struct *fs, const char *path, struct vfs_statfs *st);

/* Files: the kobj made by vfs_open for regular files and directories. */
bool file_is_dir(struct kobj *o);
/* Emits directory entries from the directory's current position onward,
 * advancing it; returns 0 when done or stopped by fill. */
int file_readdir(struct kobj *o, vfs_filldir_fn fill, void *ctx);
/* As file_readdir, but fill also gets each entry's position (where a
 * seek to it resumes), and *end the position after the last entry taken. */
typedef int (*vfs_filldir_pos_fn)(void *ctx, const char *name, size_t len, uint64_t ino,
                                  unsigned dtype, uint64_t pos);
int file_readdir_pos(struct kobj *o, vfs_filldir_pos_fn fill, void *ctx, uint64_t *end);
/* fsync(2): writes back the filesystem the file is on (for a disk's
 * /dev node: the disk's cached blocks, and flushes it); EINVAL for
 * other objects that are not files. */
int file_fsync(struct kobj *o);
/* fallocate(2) on a regular file opened for writing (the caller checks
 * the access mode and the kind of object): mode 0 grows the size to
 * off + len, FALLOC_KEEP_SIZE leaves it; PUNCH_HOLE (with KEEP_SIZE) and
 * ZERO_RANGE make the range read as zeros (ZERO_RANGE grows the size
 * unless KEEP_SIZE).  No block is reserved or freed: the sizes and the
 * data are Linux's, the space used is not.  EOPNOTSUPP when the
 * filesystem cannot write. */
#define FALLOC_KEEP_SIZE  0x1
#define FALLOC_PUNCH_HOLE 0x2
#define FALLOC_ZERO_RANGE 0x10
int file_fallocate(struct kobj *o, unsigned mode, uint64_t off, uint64_t len);
/* The vnode under a file object (not referenced), or NULL for other
 * objects. */
struct vnode *file_vnode(struct kobj *o);
/* The path of a file object, referenced (for fchdir and *at calls);
 * EBADF for other objects. */
int file_path(struct kobj *o, struct path *out);
/* An O_PATH descriptor object for p that owns tree (a detached mount
 * tree's namespace, whose reference it takes over, also on failure). */
int file_open_tree(const struct path *p, struct mnt_ns *tree, struct kobj **out);
/* How a non-directory file was named when opened: *base (referenced)
 * and a path relative to it, valid while o is; ENOENT when unknown (not
 * a file, or opened other than by path). */
int file_origin(struct kobj *o, struct path *base, const char **rel);
/* Records that name for o (vfs_open does it). */
void file_set_origin(struct kobj *o, const struct path *base, const char *rel);
/* KOBJ_READ/KOBJ_WRITE from O_ACCMODE, plus O_APPEND and O_NONBLOCK: the
 * kobj.flags every object opened by path should get.  With O_PATH, only
 * O_PATH: the object names a file but moves no data. */
unsigned vfs_kobj_flags(int oflags);

/* Character devices: major/minor numbers to objects (devfs and device
 * nodes on any filesystem open through this). */
#define MKDEV(ma, mi) (((uint64_t)(ma) << 20) | (mi))
#define MAJOR(d)      ((unsigned)((d) >> 20))
#define MINOR(d)      ((unsigned)((d)&0xfffff))
typedef int (*chrdev_open_fn)(unsigned minor, int oflags, struct kobj **out);
int chrdev_register(unsigned major, const char *name, chrdev_open_fn open);
int chrdev_open(uint64_t rdev, int oflags, struct kobj **out);

/* Current time for timestamps (realtime, ns). */
int64_t vfs_now_ns(void);
/* A fresh device number (major 0) for a superblock's vattr.dev. */
uint64_t vfs_anon_dev(void);

/* Boot: registers tmpfs and devfs (fs_init), then builds the first
 * namespace (fs_boot): a tmpfs root holding the initramfs (may be NULL),
 * devfs on /dev and a tmpfs on /tmp.  Returns init's fs_struct or NULL. */
void fs_init(void);
struct fs_struct *fs_boot(const void *initrd, size_t len);

#endif
