#ifndef _FCNTL_H
#define _FCNTL_H
#include <scarlet/abi.h>
#include <sys/types.h>
int open(const char *path, int flags, ...); /* mode_t mode when O_CREAT */
int creat(const char *path, mode_t mode);
/* fcntl subset mapped onto SYS_hctl */
#define F_GETFD    HCTL_GETFD
#define F_SETFD    HCTL_SETFD
#define F_GETFL    HCTL_GETFL
#define F_SETFL    HCTL_SETFL
#define FD_CLOEXEC HFD_CLOEXEC
int fcntl(int h, int cmd, ...);
#endif
