#ifndef _DIRENT_H
#define _DIRENT_H
#include <scarlet/abi.h>
#include <sys/types.h>
struct dirent {
	ino_t d_ino;
	unsigned char d_type; /* DT_* */
	char d_name[256];
};
typedef struct DIR DIR;
DIR *opendir(const char *path);
struct dirent *readdir(DIR *d);
int closedir(DIR *d);
#endif
