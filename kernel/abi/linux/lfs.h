/*
 * Shared by the Linux file-system calls (sys_fs.c, sys_fd.c, sys_dir.c,
 * sys_stat.c, sys_attr.c, sys_mount.c, sys_io.c): the *at path argument
 * resolved against its dirfd, and the flag values those calls take.
 */
#ifndef ABI_LINUX_LFS_H
#define ABI_LINUX_LFS_H

#include <stdbool.h>
#include <stdint.h>

#include "fs/vfs.h"
#include "obj/kobj.h"

#define LINUX_AT_REMOVEDIR      0x200
#define LINUX_AT_EACCESS        0x200
#define LINUX_AT_SYMLINK_FOLLOW 0x400
#define LINUX_AT_NO_AUTOMOUNT   0x800
#define LINUX_AT_STATX_SYNC     0x6000 /* AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC */

/* A path argument of an *at call and where it is walked from. */
struct linux_at {
	struct fs_struct *fs; /* the task's fs_struct, or &view */
	struct fs_struct view;
	bool has_view;
	char *path;       /* kernel copy */
	struct kobj *obj; /* with an empty path (AT_EMPTY_PATH): dirfd's object */
	bool empty;       /* the path given was "" */
};

/*
 * Copies upath and picks what it is walked from: absolute paths and
 * AT_FDCWD use the task's fs_struct; other relative paths start at the
 * directory open on dirfd (EBADF if dirfd is not open, ENOTDIR if it is
 * not a directory).  An empty path is ENOENT unless empty_ok
 * (AT_EMPTY_PATH): then at->obj is dirfd's object (EBADF if none), or,
 * for AT_FDCWD, the path becomes ".".  EFAULT, ENAMETOOLONG.
 */
long linux_at_begin(struct linux_at *at, uint64_t dirfd, uint64_t upath, bool empty_ok);
/* linux_at_begin for openat2: with walk restrictions (WALK_RES_*), the
 * path is always walked from a view of dirfd's directory (or the cwd). */
long linux_at_begin_resolve(struct linux_at *at, uint64_t dirfd, uint64_t upath, unsigned resolve);
void linux_at_end(struct linux_at *at);
/* The target as a referenced path: the object's own (EBADF if it is not
 * a file) or the path walked, following a final symlink if follow. */
long linux_at_path(struct linux_at *at, bool follow, struct path *out);

/* openat's and openat2's O_TMPFILE flag checks (EINVAL), and the open
 * itself, O_TMPFILE (vfs_open_tmpfile) or not. */
long linux_check_tmpfile(int flags);
long linux_open(struct fs_struct *fs, const char *path, int flags, uint32_t mode,
                struct kobj **out);

/* A descriptor's object only if it may be used for I/O: O_PATH
 * descriptors only name a file, and give EBADF here. */
struct kobj *linux_fd_get_io(int fd);

#endif
