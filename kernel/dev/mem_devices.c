/*
 * The memory character devices behind /dev/null, /dev/zero, /dev/random
 * and /dev/urandom.  Each open makes a small object carrying the access
 * mode; null reads end-of-file and swallows writes, zero reads zeros,
 * random and urandom read the kernel generator (neither blocks) and
 * swallow writes.
 */
#include <scarlet/abi.h>

#include "core/kernel.h"
#include "dev/mem_devices.h"
#include "dev/random.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "obj/kobj.h"

#define MEM_MAJOR     1
#define MINOR_NULL    3
#define MINOR_ZERO    5
#define MINOR_RANDOM  8
#define MINOR_URANDOM 9
#define CHUNK         256

struct memdev {
	struct kobj obj;
	unsigned minor;
};

static const char zeros[CHUNK];

static ssize_t null_read(struct kobj *o, struct iobuf *io)
{
	(void)o;
	(void)io;
	return 0;
}

static ssize_t swallow_write(struct kobj *o, struct iobuf *io)
{
	size_t n = io->len;

	(void)o;
	io->base += n;
	io->len = 0;
	return (ssize_t)n;
}

/* Fills io from gen(chunk) in CHUNK pieces. */
static ssize_t fill_read(struct iobuf *io, void (*gen)(char *buf, size_t n))
{
	char buf[CHUNK];
	size_t done = 0;

	while (io->len > 0) {
		size_t n = MIN(io->len, (size_t)CHUNK);
		gen(buf, n);
		if (iobuf_put(io, buf, n) < 0)
			return done ? (ssize_t)done : -EFAULT;
		done += n;
	}
	return (ssize_t)done;
}

static void gen_zero(char *buf, size_t n)
{
	memcpy(buf, zeros, n);
}

static void gen_random(char *buf, size_t n)
{
	random_get_bytes(buf, n);
}

static ssize_t zero_read(struct kobj *o, struct iobuf *io)
{
	(void)o;
	return fill_read(io, gen_zero);
}

static ssize_t random_read(struct kobj *o, struct iobuf *io)
{
	(void)o;
	return fill_read(io, gen_random);
}

static int mem_stat(struct kobj *o, struct vattr *va)
{
	struct memdev *d = container_of(o, struct memdev, obj);

	memset(va, 0, sizeof(*va));
	va->mode = S_IFCHR | 0666;
	va->nlink = 1;
	va->rdev = MKDEV(MEM_MAJOR, d->minor);
	return 0;
}

static int64_t mem_seek(struct kobj *o, int64_t off, int whence)
{
	(void)o;
	(void)off;
	(void)whence;
	return 0;
}

static void mem_release(struct kobj *o)
{
	kfree(container_of(o, struct memdev, obj));
}

static const struct kobj_ops null_ops = {
    .type = "null",
    .read = null_read,
    .write = swallow_write,
    .seek = mem_seek,
    .stat = mem_stat,
    .release = mem_release,
};

/* Mapping /dev/zero gives anonymous memory. */
static int zero_mmap(struct kobj *o, struct vnode **vn)
{
	(void)o;
	*vn = NULL;
	return 0;
}

static const struct kobj_ops zero_ops = {
    .type = "zero",
    .read = zero_read,
    .write = swallow_write,
    .seek = mem_seek,
    .stat = mem_stat,
    .mmap = zero_mmap,
    .release = mem_release,
};

static const struct kobj_ops random_ops = {
    .type = "random",
    .read = random_read,
    .write = swallow_write,
    .seek = mem_seek,
    .stat = mem_stat,
    .release = mem_release,
};

static int mem_open(unsigned minor, int oflags, struct kobj **out)
{
	const struct kobj_ops *ops;
	struct memdev *d;

	if (minor == MINOR_NULL)
		ops = &null_ops;
	else if (minor == MINOR_ZERO)
		ops = &zero_ops;
	else if (minor == MINOR_RANDOM || minor == MINOR_URANDOM)
		ops = &random_ops;
	else
		return -ENXIO;
	d = kzalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	kobj_init(&d->obj, ops, vfs_kobj_flags(oflags));
	d->minor = minor;
	*out = &d->obj;
	return 0;
}

void mem_devices_init(void)
{
	chrdev_register(MEM_MAJOR, "mem", mem_open);
}
