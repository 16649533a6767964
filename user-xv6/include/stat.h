/*
 * struct stat as xv6's fstat fills it (24 bytes) and the file types.
 */
#ifndef XV6_STAT_H
#define XV6_STAT_H

#include "types.h"

#define T_DIR    1 /* directory */
#define T_FILE   2 /* regular file */
#define T_DEVICE 3 /* device (the console) */

struct stat {
	int dev;     /* device number of the file system */
	uint ino;    /* inode number */
	short type;  /* T_DIR, T_FILE or T_DEVICE */
	short nlink; /* number of links */
	uint64 size; /* size in bytes */
};

#endif
