/*
 * devfs: the filesystem mounted on /dev, registered as "devfs".  It is one
 * flat directory of device nodes shared by every devfs mount; the nodes
 * carry a device number, and opening one goes through chrdev_open.
 */
#ifndef FS_DEVFS_H
#define FS_DEVFS_H

#include "fs/vfs.h"

extern const struct fs_type devfs_type;

/* Adds a node (mode: S_IFCHR or S_IFBLK plus permissions) to every devfs
 * mount.  EEXIST if the name is taken, ENOSPC when the table is full,
 * EINVAL for a bad name. */
int devfs_add(const char *name, uint32_t mode, uint64_t rdev);
/* Takes the node away; ENOENT if there is none. */
int devfs_remove(const char *name);
/* The name of the first node of type (S_IFCHR/S_IFBLK) with device number
 * rdev, copied into buf[n]; ENOENT if there is none, ERANGE if it does
 * not fit. */
int devfs_name_of(uint32_t type, uint64_t rdev, char *buf, size_t n);

#endif
