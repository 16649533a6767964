/* errno for native programs: set by the syscall wrappers on failure. */
#ifndef _ERRNO_H
#define _ERRNO_H
#include <scarlet/errno.h>
extern int errno;
#endif
