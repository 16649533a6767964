/*
 * ext2, read-write: the filesystem type to register (fs_init).  Mount
 * source: a block device ("vda" or "/dev/vda").  See ext2.h for the
 * implementation.
 */
#ifndef FS_EXT2_EXT2FS_H
#define FS_EXT2_EXT2FS_H

#include "fs/vfs.h"

extern const struct fs_type ext2_type;

#endif
