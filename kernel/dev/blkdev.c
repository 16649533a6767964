/*
 * The registry of block devices (see blkdev.h).
 */
#include "dev/blkdev.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "fs/devfs.h"
#include "proc/mutex.h"

static struct spinlock blk_lock = SPINLOCK_INIT("blkdev");
static struct list disks = LIST_INIT(disks);
static unsigned next_minor;

static struct blkdev *find_locked(const char *name)
{
	struct list *pos;
	list_for_each(pos, &disks)
	{
		struct blkdev *d = list_entry(pos, struct blkdev, node);
		if (strcmp(d->name, name) == 0)
			return d;
	}
	return NULL;
}

int blkdev_register(struct blkdev *d)
{
	spin_lock(&blk_lock);
	if (find_locked(d->name)) {
		spin_unlock(&blk_lock);
		return -EEXIST;
	}
	if (d->rdev == 0)
		d->rdev = MKDEV(BLKDEV_MAJOR, next_minor++);
	list_push_back(&disks, &d->node);
	spin_unlock(&blk_lock);
	int r = devfs_add(d->name, S_IFBLK | 0660, d->rdev);
	if (d->nsectors)
		printk("blk: %s: %lu sectors (%lu MiB)%s\n", d->name, d->nsectors,
		       d->nsectors * SECTOR_SIZE >> 20, d->readonly ? ", read-only" : "");
	return r < 0 ? r : 0;
}

int blkdev_hide(struct blkdev *d, bool hidden)
{
	spin_lock(&blk_lock);
	bool was = d->hidden;
	d->hidden = hidden;
	spin_unlock(&blk_lock);
	if (was == hidden)
		return 0;
	return hidden ? devfs_remove(d->name) : devfs_add(d->name, S_IFBLK | 0660, d->rdev);
}

int blkdev_open(struct blkdev *d, int oflags)
{
	return d->ops->open ? d->ops->open(d, oflags) : 0;
}

void blkdev_close(struct blkdev *d)
{
	if (d->ops->release)
		d->ops->release(d);
}

struct blkdev *blkdev_find(const char *name)
{
	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	spin_lock(&blk_lock);
	struct blkdev *d = find_locked(name);
	if (d && d->hidden)
		d = NULL;
	spin_unlock(&blk_lock);
	return d;
}

int blkdev_open_rdev(uint64_t rdev, int oflags, struct kobj **out)
{
	struct blkdev *d = NULL;
	struct list *pos;

	spin_lock(&blk_lock);
	list_for_each(pos, &disks)
	{
		struct blkdev *e = list_entry(pos, struct blkdev, node);
		if (e->rdev == rdev && !e->hidden) {
			d = e;
			break;
		}
	}
	spin_unlock(&blk_lock);
	return d ? blkdev_open_file(d, oflags, out) : -ENXIO;
}

void blkdev_for_each(void (*fn)(struct blkdev *d, void *ctx), void *ctx)
{
	struct list *pos;
	spin_lock(&blk_lock);
	list_for_each(pos, &disks)
	{
		struct blkdev *d = list_entry(pos, struct blkdev, node);
		if (d->hidden)
			continue;
		spin_unlock(&blk_lock);
		fn(d, ctx); /* disks are never removed, so the list stays valid */
		spin_lock(&blk_lock);
	}
	spin_unlock(&blk_lock);
}
