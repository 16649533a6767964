/*
 * Inside the loop driver (loop.c, loop_ctl.c): the device structure and
 * the device table.
 */
#ifndef DEV_LOOP_IMPL_H
#define DEV_LOOP_IMPL_H

#include "dev/blkdev.h"
#include "dev/loop.h"
#include "proc/mutex.h"

enum loop_state { LOOP_UNBOUND, LOOP_BOUND, LOOP_RUNDOWN };

struct loopdev {
	struct blkdev blk;
	unsigned number;
	/* under loop_cfg_lock */
	enum loop_state state;
	int openers; /* open /dev files and mounts */
	bool removed;
	uint64_t sizelimit;
	unsigned flags; /* LOOPF_* */
	uint32_t block_size;
	char file_name[LOOP_NAME_BYTES];
	char crypt_name[LOOP_NAME_BYTES];
	/* written under both locks; I/O reads them under io_lock */
	struct spinlock io_lock;
	struct kobj *backing;
	uint64_t offset;
};

extern struct mutex loop_cfg_lock;
extern struct loopdev *loop_devs[LOOP_MAX];

/* Makes device n exist (again); with loop_cfg_lock held. */
int loop_add_locked(unsigned n);
/* Registers /dev/loop-control's character device and node. */
void loop_ctl_init(void);

#endif
