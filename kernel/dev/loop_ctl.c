/*
 * /dev/loop-control (char 10:237): an open of it is an object whose only
 * use is the ABI's requests for loop_ctl_get_free, loop_ctl_add and
 * loop_ctl_remove (see loop.h).
 */
#include <scarlet/abi.h>

#include "core/kernel.h"
#include "dev/loop_impl.h"
#include "fs/bcache.h"
#include "fs/devfs.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "obj/kobj.h"

static void ctl_release(struct kobj *o)
{
	kfree(o);
}

static int ctl_stat(struct kobj *o, struct vattr *va)
{
	(void)o;
	memset(va, 0, sizeof(*va));
	va->mode = S_IFCHR | 0600;
	va->nlink = 1;
	va->rdev = MKDEV(LOOP_CTL_MAJOR, LOOP_CTL_MINOR);
	return 0;
}

static const struct kobj_ops ctl_ops = {
    .type = "loop-control",
    .stat = ctl_stat,
    .release = ctl_release,
};

bool loop_is_control(struct kobj *o)
{
	return o && o->ops == &ctl_ops;
}

static int ctl_open(unsigned minor, int oflags, struct kobj **out)
{
	struct kobj *o;

	if (minor != LOOP_CTL_MINOR)
		return -ENXIO;
	o = kzalloc(sizeof(*o));
	if (!o)
		return -ENOMEM;
	kobj_init(o, &ctl_ops, vfs_kobj_flags(oflags) & ~(unsigned)O_APPEND);
	*out = o;
	return 0;
}

static bool exists_locked(unsigned n)
{
	return loop_devs[n] && !loop_devs[n]->removed;
}

/* The first number no device has; -ENOSPC when all are taken. */
static int unused_locked(void)
{
	for (unsigned i = 0; i < LOOP_MAX; i++) {
		if (!exists_locked(i))
			return (int)i;
	}
	return -ENOSPC;
}

static int add_locked(int n)
{
	if (n < 0)
		n = unused_locked();
	if (n < 0)
		return n;
	int err = loop_add_locked((unsigned)n);
	return err < 0 ? err : n;
}

int loop_ctl_get_free(void)
{
	int n = -1;

	mutex_lock(&loop_cfg_lock);
	for (unsigned i = 0; i < LOOP_MAX && n < 0; i++) {
		if (exists_locked(i) && loop_devs[i]->state == LOOP_UNBOUND)
			n = (int)i;
	}
	if (n < 0)
		n = add_locked(-1);
	mutex_unlock(&loop_cfg_lock);
	return n;
}

int loop_ctl_add(int n)
{
	int r;

	if (n >= LOOP_MAX)
		return -EINVAL;
	mutex_lock(&loop_cfg_lock);
	if (n >= 0 && exists_locked((unsigned)n))
		r = -EEXIST;
	else
		r = add_locked(n);
	mutex_unlock(&loop_cfg_lock);
	return r;
}

int loop_ctl_remove(int n)
{
	struct loopdev *lo = NULL;
	int err = 0;

	if (n < 0)
		return -EINVAL;
	mutex_lock(&loop_cfg_lock);
	if (n >= LOOP_MAX || !exists_locked((unsigned)n))
		err = -ENODEV;
	else if (loop_devs[n]->state != LOOP_UNBOUND || loop_devs[n]->openers > 0)
		err = -EBUSY;
	if (err == 0) {
		lo = loop_devs[n];
		lo->removed = true;
		blkdev_hide(&lo->blk, true);
	}
	mutex_unlock(&loop_cfg_lock);
	if (lo)
		bcache_drop(&lo->blk);
	return err;
}

void loop_ctl_init(void)
{
	int err = chrdev_register(LOOP_CTL_MAJOR, "misc", ctl_open);
	if (err == 0)
		err = devfs_add("loop-control", S_IFCHR | 0600,
		                MKDEV(LOOP_CTL_MAJOR, LOOP_CTL_MINOR));
	if (err < 0)
		printk("loop: no /dev/loop-control (%d)\n", err);
}
