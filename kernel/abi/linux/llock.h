/*
 * fcntl's lock commands (sys_lock.c), for sys_fd.c's fcntl.
 */
#ifndef ABI_LINUX_LLOCK_H
#define ABI_LINUX_LLOCK_H

#include "obj/kobj.h"

#define LINUX_F_GETLK      5
#define LINUX_F_SETLK      6
#define LINUX_F_SETLKW     7
#define LINUX_F_OFD_GETLK  36
#define LINUX_F_OFD_SETLK  37
#define LINUX_F_OFD_SETLKW 38

/* One of the commands above on the object of a descriptor. */
long linux_fcntl_lock(struct kobj *o, unsigned cmd, uint64_t arg);

#endif
