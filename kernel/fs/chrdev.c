/*
 * Character device table: a driver registers an open function for its
 * major number; opening a device node of any filesystem calls it with
 * the minor number.
 */
#include "fs/vfs_impl.h"

#define CHRDEV_MAJORS 256

struct chrdev {
	const char *name;
	chrdev_open_fn open;
};

static struct spinlock chrdev_lock = SPINLOCK_INIT("chrdev");
static struct chrdev chrdevs[CHRDEV_MAJORS];

/* EINVAL for a bad major or no open function, EBUSY if taken. */
int chrdev_register(unsigned major, const char *name, chrdev_open_fn open)
{
	int err = 0;

	if (major >= CHRDEV_MAJORS || !open)
		return -EINVAL;
	spin_lock(&chrdev_lock);
	if (chrdevs[major].open) {
		err = -EBUSY;
	} else {
		chrdevs[major].name = name;
		chrdevs[major].open = open;
	}
	spin_unlock(&chrdev_lock);
	return err;
}

/* ENXIO when no driver has the major number. */
int chrdev_open(uint64_t rdev, int oflags, struct kobj **out)
{
	unsigned major = MAJOR(rdev);
	chrdev_open_fn open = NULL;

	if (major >= CHRDEV_MAJORS)
		return -ENXIO;
	spin_lock(&chrdev_lock);
	open = chrdevs[major].open;
	spin_unlock(&chrdev_lock);
	if (!open)
		return -ENXIO;
	return open(MINOR(rdev), oflags, out);
}
