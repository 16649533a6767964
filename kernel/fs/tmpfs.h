/*
 * tmpfs: a filesystem in kernel memory, registered as "tmpfs".  Mount
 * data takes Linux's tmpfs options (fs/tmpfs_opts.c): a size limit (half
 * of RAM by default), an inode limit, the root directory's mode (1777 by
 * default), uid and gid.
 */
#ifndef FS_TMPFS_H
#define FS_TMPFS_H

#include "fs/vfs.h"

extern const struct fs_type tmpfs_type;

struct tmpfs_opts {
	uint64_t max_blocks;     /* 4 KiB data blocks; 0: no limit */
	uint64_t max_inodes;     /* 0: no limit */
	uint32_t mode, uid, gid; /* of the root directory */
};

/* Parses mount data (NULL: the defaults) into o; 0 or -EINVAL. */
int tmpfs_parse_opts(const char *data, struct tmpfs_opts *o);

#endif
