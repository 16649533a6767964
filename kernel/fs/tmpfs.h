/*
 * tmpfs: a filesystem in kernel memory, registered as "tmpfs".  Mount
 * data is ignored; the root directory has mode 0755.
 */
#ifndef FS_TMPFS_H
#define FS_TMPFS_H

#include "fs/vfs.h"

extern const struct fs_type tmpfs_type;

#endif
