/*
 * /sys/block/loopN: a directory per loop device (Linux's are symlinks
 * into /sys/devices/virtual/block; here they are the directories), with
 * dev, size (512-byte sectors) and ro, and while it is bound loop/ with
 * backing_file (the file's path as the reader sees it, as procfs names
 * an open file), offset, sizelimit, autoclear, partscan and dio.  Only
 * loop devices are listed.
 */
#include "dev/blkdev.h"
#include "dev/loop.h"
#include "fs/procfs/procfs_impl.h"
#include "fs/sysfs/sysfs_impl.h"
#include "mm/kmalloc.h"
#include "obj/kobj.h"
#include "proc/task.h"

bool sys_block_exists(int n)
{
	return n >= 0 && loop_get((unsigned)n) != NULL;
}

bool sys_loop_bound(int n)
{
	struct loop_status st;
	struct loopdev *lo = n >= 0 ? loop_get((unsigned)n) : NULL;
	return lo && loop_get_status(lo, &st) == 0;
}

/* Device n; ENOENT once it is gone. */
static int device(int n, struct loopdev **out)
{
	*out = loop_get((unsigned)n);
	return *out ? 0 : -ENOENT;
}

int sys_gen_block_dev(int sub, struct textbuf *out)
{
	tb_printf(out, "%d:%d\n", LOOP_MAJOR, sub);
	return 0;
}

int sys_gen_block_size(int sub, struct textbuf *out)
{
	struct loopdev *lo;
	int err = device(sub, &lo);
	if (err == 0)
		tb_printf(out, "%lu\n", (unsigned long)loop_disk(lo)->nsectors);
	return err;
}

int sys_gen_block_ro(int sub, struct textbuf *out)
{
	struct loopdev *lo;
	int err = device(sub, &lo);
	if (err == 0)
		tb_printf(out, "%d\n", loop_disk(lo)->readonly ? 1 : 0);
	return err;
}

/* The status of bound device n; ENOENT when it is not. */
static int status(int n, struct loop_status *st)
{
	struct loopdev *lo;
	int err = device(n, &lo);
	if (err == 0 && loop_get_status(lo, st) < 0)
		err = -ENOENT;
	return err;
}

int sys_gen_loop_backing(int sub, struct textbuf *out)
{
	struct loopdev *lo;
	struct kobj *b;
	char *name;
	int err = device(sub, &lo);

	if (err < 0)
		return err;
	b = loop_backing(lo);
	if (!b)
		return -ENOENT;
	name = kmalloc(PATH_MAX);
	err = name ? proc_object_name(b, current()->fs, name, PATH_MAX) : -ENOMEM;
	if (err >= 0)
		tb_printf(out, "%s\n", name);
	kfree(name);
	kobj_put(b);
	return err < 0 ? err : 0;
}

int sys_gen_loop_offset(int sub, struct textbuf *out)
{
	struct loop_status st;
	int err = status(sub, &st);
	if (err == 0)
		tb_printf(out, "%lu\n", (unsigned long)st.offset);
	return err;
}

int sys_gen_loop_sizelimit(int sub, struct textbuf *out)
{
	struct loop_status st;
	int err = status(sub, &st);
	if (err == 0)
		tb_printf(out, "%lu\n", (unsigned long)st.sizelimit);
	return err;
}

static int flag(int sub, unsigned f, struct textbuf *out)
{
	struct loop_status st;
	int err = status(sub, &st);
	if (err == 0)
		tb_printf(out, "%d\n", (st.flags & f) ? 1 : 0);
	return err;
}

int sys_gen_loop_autoclear(int sub, struct textbuf *out)
{
	return flag(sub, LOOPF_AUTOCLEAR, out);
}

int sys_gen_loop_partscan(int sub, struct textbuf *out)
{
	return flag(sub, LOOPF_PARTSCAN, out);
}

int sys_gen_loop_dio(int sub, struct textbuf *out)
{
	return flag(sub, LOOPF_DIRECT_IO, out);
}
