/*
 * What user programs see of xv6's file system: directory entries, as
 * read() returns them from a directory, and the file-size limit.
 */
#ifndef XV6_FS_H
#define XV6_FS_H

#include "types.h"

#define BSIZE     1024 /* block size */
#define NDIRECT   12
#define NINDIRECT (BSIZE / sizeof(uint))
#define MAXFILE   (NDIRECT + NINDIRECT) /* blocks in the largest file */
#define DIRSIZ    14                    /* longest name; longer ones are cut */

struct dirent {
	ushort inum; /* 0: free slot */
	char name[DIRSIZ];
};

#endif
