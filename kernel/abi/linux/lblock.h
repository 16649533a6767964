/*
 * Linux ioctl requests on block devices, loop devices and the loop
 * control device (lblock.c).
 */
#ifndef ABI_LINUX_LBLOCK_H
#define ABI_LINUX_LBLOCK_H

#include <stdint.h>

struct kobj;

#define ENOIOCTLCMD 515 /* not a request of this kind (never seen by users) */

/* The answer to request cmd on o, or -ENOIOCTLCMD when o is not a disk
 * or cmd is not one of these requests. */
long linux_block_ioctl(struct kobj *o, uint64_t cmd, uint64_t arg);

#endif
