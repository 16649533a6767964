/*
 * Unpacking the boot archive (cpio "newc" format, as made by
 * `cpio -o -H newc`) into a filesystem tree.
 */
#ifndef FS_INITRAMFS_H
#define FS_INITRAMFS_H

#include "fs/vfs.h"

/*
 * Creates the archive's directories, regular files, symlinks, device
 * nodes and hard links under fs's root, with their modes, owners and
 * modification times.  The whole archive is checked first: a malformed
 * one (bad magic or hex, truncated, sizes past the end, no trailer) gives
 * EINVAL and creates nothing.  Filesystem errors are returned as they are.
 */
int initramfs_unpack(struct fs_struct *fs, const void *cpio, size_t len);

#endif
