/*
 * FAT32 filesystem types for registration: "vfat" and its alias "fat32".
 * Mount with a block device as source ("/dev/vda" or "vda").
 */
#ifndef FS_FAT_FATFS_H
#define FS_FAT_FATFS_H

#include "fs/vfs.h"

extern const struct fs_type fat_type;
extern const struct fs_type fat32_type;

#endif
