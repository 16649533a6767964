/*
 * sysfs: a minimal, read-only view of the machine in the layout of
 * Linux's /sys, registered as "sysfs" and mounted on /sys in the
 * environments that ask for it (abi_module.has_sysfs).  It holds what
 * programs and libraries read to learn the machine: today the CPU list
 * under /sys/devices/system/cpu (glibc's get_nprocs, sysconf
 * (_SC_NPROCESSORS_ONLN/CONF), stress-ng).  See docs/architecture.md.
 */
#ifndef FS_SYSFS_H
#define FS_SYSFS_H

#include "fs/vfs.h"

extern const struct fs_type sysfs_type;

#endif
