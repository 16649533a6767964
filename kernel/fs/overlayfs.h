/*
 * overlay: a filesystem merging one writable upper directory over one or
 * more read-only lower directories, registered as "overlay".
 *
 * Mount data "lowerdir=/a:/b,upperdir=/u" (paths in the caller's
 * namespace, /a on top of /b); without upperdir the overlay is
 * read-only.  See overlayfs.c for the on-disk conventions (whiteouts,
 * opaque directories).
 */
#ifndef FS_OVERLAYFS_H
#define FS_OVERLAYFS_H

#include "fs/vfs.h"

extern const struct fs_type overlay_type;

/*
 * For kernel code building environments: an overlay superblock over
 * directories already resolved (upper may be NULL for a read-only
 * overlay; lowers[0] is the top lower layer, n >= 1).  The paths are
 * referenced anew.  Attach the result with vfs_mount_sb.
 */
int overlay_mount_paths(const struct path *upper, const struct path *lowers, int n,
                        struct superblock **out);

#endif
