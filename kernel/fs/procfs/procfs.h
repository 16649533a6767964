/*
 * procfs: the process information filesystem, registered as "proc" and
 * mounted on /proc in every environment.  It is synthetic and read-only;
 * its files use the formats of Linux's /proc, since that is what tools
 * parse (ps, top, free, df, uptime, glibc).  See docs/procfs.md.
 */
#ifndef FS_PROCFS_H
#define FS_PROCFS_H

#include "fs/vfs.h"

extern const struct fs_type procfs_type;

#endif
