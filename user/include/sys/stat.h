#ifndef _SYS_STAT_H
#define _SYS_STAT_H
#include <scarlet/abi.h>
#include <sys/types.h>
/* struct stat is the native struct sc_stat */
#define stat sc_stat
int stat(const char *path, struct stat *st);
int lstat(const char *path, struct stat *st);
int fstat(int h, struct stat *st);
int mkdir(const char *path, mode_t mode);
int chmod(const char *path, mode_t mode);
#endif
