/*
 * Linux ioctl on block devices and the loop driver (dev/loop.h): the BLK*
 * size and block-size requests on any disk's /dev node, the LOOP_*
 * requests on /dev/loopN and the LOOP_CTL_* ones on /dev/loop-control.
 * Layouts and numbers are Linux's uapi <linux/loop.h> and <linux/fs.h>.
 */
#include <scarlet/abi.h>

#include "abi/linux/lblock.h"
#include "abi/linux/linux.h"
#include "core/kernel.h"
#include "dev/blkdev.h"
#include "dev/loop.h"
#include "fs/bcache.h"
#include "fs/vfs.h"
#include "obj/kobj.h"

#define LINUX_LOOP_SET_FD         0x4C00
#define LINUX_LOOP_CLR_FD         0x4C01
#define LINUX_LOOP_SET_STATUS     0x4C02
#define LINUX_LOOP_GET_STATUS     0x4C03
#define LINUX_LOOP_SET_STATUS64   0x4C04
#define LINUX_LOOP_GET_STATUS64   0x4C05
#define LINUX_LOOP_CHANGE_FD      0x4C06
#define LINUX_LOOP_SET_CAPACITY   0x4C07
#define LINUX_LOOP_SET_DIRECT_IO  0x4C08
#define LINUX_LOOP_SET_BLOCK_SIZE 0x4C09
#define LINUX_LOOP_CONFIGURE      0x4C0A
#define LINUX_LOOP_CTL_ADD        0x4C80
#define LINUX_LOOP_CTL_REMOVE     0x4C81
#define LINUX_LOOP_CTL_GET_FREE   0x4C82

#define LINUX_BLKROGET     0x125E
#define LINUX_BLKGETSIZE   0x1260
#define LINUX_BLKFLSBUF    0x1261
#define LINUX_BLKSSZGET    0x1268
#define LINUX_BLKBSZGET    0x80081270
#define LINUX_BLKGETSIZE64 0x80081272
#define LINUX_BLKPBSZGET   0x127B

/* lo_flags */
#define LO_FLAGS_READ_ONLY 1
#define LO_FLAGS_AUTOCLEAR 4
#define LO_FLAGS_PARTSCAN  8
#define LO_FLAGS_DIRECT_IO 16

#define LO_NAME_SIZE 64
#define LO_KEY_SIZE  32

struct linux_loop_info {
	int32_t lo_number;
	uint32_t lo_device; /* __kernel_old_dev_t */
	uint64_t lo_inode;
	uint32_t lo_rdevice;
	int32_t lo_offset;
	int32_t lo_encrypt_type;
	int32_t lo_encrypt_key_size;
	int32_t lo_flags;
	char lo_name[LO_NAME_SIZE];
	uint8_t lo_encrypt_key[LO_KEY_SIZE];
	uint64_t lo_init[2];
	char reserved[4];
};
_Static_assert(sizeof(struct linux_loop_info) == 160, "struct loop_info");

struct linux_loop_info64 {
	uint64_t lo_device;
	uint64_t lo_inode;
	uint64_t lo_rdevice;
	uint64_t lo_offset;
	uint64_t lo_sizelimit;
	uint32_t lo_number;
	uint32_t lo_encrypt_type;
	uint32_t lo_encrypt_key_size;
	uint32_t lo_flags;
	uint8_t lo_file_name[LO_NAME_SIZE];
	uint8_t lo_crypt_name[LO_NAME_SIZE];
	uint8_t lo_encrypt_key[LO_KEY_SIZE];
	uint64_t lo_init[2];
};
_Static_assert(sizeof(struct linux_loop_info64) == 232, "struct loop_info64");

struct linux_loop_config {
	uint32_t fd;
	uint32_t block_size;
	struct linux_loop_info64 info;
	uint64_t reserved[8];
};
_Static_assert(sizeof(struct linux_loop_config) == 304, "struct loop_config");

static const struct {
	uint32_t linux_flag;
	unsigned flag;
} flag_map[] = {
    {LO_FLAGS_READ_ONLY, LOOPF_READ_ONLY},
    {LO_FLAGS_AUTOCLEAR, LOOPF_AUTOCLEAR},
    {LO_FLAGS_PARTSCAN, LOOPF_PARTSCAN},
    {LO_FLAGS_DIRECT_IO, LOOPF_DIRECT_IO},
};

/* Linux flags the kernel does not know become a bit it refuses (EINVAL
 * where Linux refuses them, ignored where Linux ignores them). */
#define LOOPF_UNKNOWN 0x80000000u

static unsigned flags_from_linux(uint32_t lf)
{
	unsigned f = 0;
	for (size_t i = 0; i < ARRAY_SIZE(flag_map); i++) {
		if (lf & flag_map[i].linux_flag) {
			f |= flag_map[i].flag;
			lf &= ~flag_map[i].linux_flag;
		}
	}
	return lf ? f | LOOPF_UNKNOWN : f;
}

static uint32_t flags_to_linux(unsigned f)
{
	uint32_t lf = 0;
	for (size_t i = 0; i < ARRAY_SIZE(flag_map); i++) {
		if (f & flag_map[i].flag)
			lf |= flag_map[i].linux_flag;
	}
	return lf;
}

/* Linux's huge_encode_dev (new_encode_dev) of the kernel's dev_t. */
static uint64_t huge_dev(uint64_t kdev)
{
	uint64_t ma = MAJOR(kdev), mi = MINOR(kdev);
	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffull) << 12);
}

static void status_from_info64(const struct linux_loop_info64 *in, struct loop_status *st)
{
	memset(st, 0, sizeof(*st));
	st->offset = in->lo_offset;
	st->sizelimit = in->lo_sizelimit;
	st->flags = flags_from_linux(in->lo_flags);
	memcpy(st->file_name, in->lo_file_name, LO_NAME_SIZE);
	memcpy(st->crypt_name, in->lo_crypt_name, LO_NAME_SIZE);
}

static void status_to_info64(const struct loop_status *st, struct linux_loop_info64 *out)
{
	memset(out, 0, sizeof(*out));
	out->lo_device = huge_dev(st->backing_dev);
	out->lo_inode = st->backing_ino;
	out->lo_rdevice = huge_dev(st->backing_rdev);
	out->lo_offset = st->offset;
	out->lo_sizelimit = st->sizelimit;
	out->lo_number = st->number;
	out->lo_flags = flags_to_linux(st->flags);
	memcpy(out->lo_file_name, st->file_name, LO_NAME_SIZE);
	memcpy(out->lo_crypt_name, st->crypt_name, LO_NAME_SIZE);
}

/* The old structure: EOVERFLOW when a value does not fit (Linux's
 * loop_info64_to_old). */
static long status_to_old(const struct loop_status *st, struct linux_loop_info *out)
{
	struct linux_loop_info64 i64;

	status_to_info64(st, &i64);
	memset(out, 0, sizeof(*out));
	out->lo_number = (int32_t)i64.lo_number;
	out->lo_device = (uint32_t)i64.lo_device;
	out->lo_inode = i64.lo_inode;
	out->lo_rdevice = (uint32_t)i64.lo_rdevice;
	out->lo_offset = (int32_t)i64.lo_offset;
	out->lo_flags = (int32_t)i64.lo_flags;
	memcpy(out->lo_name, i64.lo_file_name, LO_NAME_SIZE);
	if (out->lo_device != i64.lo_device || out->lo_rdevice != i64.lo_rdevice ||
	    (uint64_t)(int64_t)out->lo_offset != i64.lo_offset)
		return -EOVERFLOW;
	return 0;
}

static void status_from_old(const struct linux_loop_info *in, struct loop_status *st)
{
	memset(st, 0, sizeof(*st));
	st->offset = (uint64_t)(int64_t)in->lo_offset;
	st->flags = flags_from_linux((uint32_t)in->lo_flags);
	memcpy(st->file_name, in->lo_name, LO_NAME_SIZE);
}

/* Binds lo to the file open as fd (LOOP_SET_FD, LOOP_CONFIGURE). */
static long bind_fd(struct loopdev *lo, struct kobj *via, uint32_t fd, const struct loop_status *st,
                    uint32_t block_size)
{
	struct kobj *b = linux_fd_get((int)fd);
	long r;

	if (!b)
		return -EBADF;
	r = loop_bind(lo, via, b, st, block_size);
	kobj_put(b);
	return r;
}

static long configure(struct loopdev *lo, struct kobj *via, uint64_t arg)
{
	struct linux_loop_config cfg;
	struct loop_status st;

	if (copy_from_user(&cfg, (const void *)arg, sizeof(cfg)) < 0)
		return -EFAULT;
	status_from_info64(&cfg.info, &st);
	return bind_fd(lo, via, cfg.fd, &st, cfg.block_size);
}

static long get_status64(struct loopdev *lo, uint64_t arg)
{
	struct loop_status st;
	struct linux_loop_info64 out;
	long r;

	if (!arg)
		return -EINVAL;
	r = loop_get_status(lo, &st);
	if (r < 0)
		return r;
	status_to_info64(&st, &out);
	return copy_to_user((void *)arg, &out, sizeof(out)) < 0 ? -EFAULT : 0;
}

static long get_status_old(struct loopdev *lo, uint64_t arg)
{
	struct loop_status st;
	struct linux_loop_info out;
	long r;

	if (!arg)
		return -EINVAL;
	r = loop_get_status(lo, &st);
	if (r == 0)
		r = status_to_old(&st, &out);
	if (r < 0)
		return r;
	return copy_to_user((void *)arg, &out, sizeof(out)) < 0 ? -EFAULT : 0;
}

static long set_status64(struct loopdev *lo, uint64_t arg)
{
	struct linux_loop_info64 in;
	struct loop_status st;

	if (copy_from_user(&in, (const void *)arg, sizeof(in)) < 0)
		return -EFAULT;
	status_from_info64(&in, &st);
	return loop_set_status(lo, &st);
}

static long set_status_old(struct loopdev *lo, uint64_t arg)
{
	struct linux_loop_info in;
	struct loop_status st;

	if (copy_from_user(&in, (const void *)arg, sizeof(in)) < 0)
		return -EFAULT;
	status_from_old(&in, &st);
	return loop_set_status(lo, &st);
}

static long change_fd(struct loopdev *lo, uint64_t fd)
{
	struct kobj *b = linux_fd_get((int)fd);
	long r;

	if (!b)
		return -EBADF;
	r = loop_change_backing(lo, b);
	kobj_put(b);
	return r;
}

static long loop_ioctl(struct loopdev *lo, struct kobj *via, uint64_t cmd, uint64_t arg)
{
	switch (cmd) {
	case LINUX_LOOP_SET_FD:
		return bind_fd(lo, via, (uint32_t)arg, NULL, 0);
	case LINUX_LOOP_CONFIGURE:
		return configure(lo, via, arg);
	case LINUX_LOOP_CLR_FD:
		return loop_unbind(lo);
	case LINUX_LOOP_SET_STATUS64:
		return set_status64(lo, arg);
	case LINUX_LOOP_GET_STATUS64:
		return get_status64(lo, arg);
	case LINUX_LOOP_SET_STATUS:
		return set_status_old(lo, arg);
	case LINUX_LOOP_GET_STATUS:
		return get_status_old(lo, arg);
	case LINUX_LOOP_CHANGE_FD:
		return change_fd(lo, arg);
	case LINUX_LOOP_SET_CAPACITY:
		return loop_refresh_capacity(lo);
	case LINUX_LOOP_SET_DIRECT_IO:
		return loop_set_direct_io(lo, arg != 0);
	case LINUX_LOOP_SET_BLOCK_SIZE:
		return arg > UINT32_MAX ? -EINVAL : loop_set_block_size(lo, (uint32_t)arg);
	}
	return -ENOIOCTLCMD;
}

static long ctl_ioctl(uint64_t cmd, uint64_t arg)
{
	/* Linux takes the argument as an int */
	int n = (int)arg;

	switch (cmd) {
	case LINUX_LOOP_CTL_GET_FREE:
		return loop_ctl_get_free();
	case LINUX_LOOP_CTL_ADD:
		return loop_ctl_add(n);
	case LINUX_LOOP_CTL_REMOVE:
		return loop_ctl_remove(n);
	}
	return -ENOSYS; /* as Linux's loop-control */
}

static long put_val(uint64_t uptr, const void *v, size_t n)
{
	return copy_to_user((void *)uptr, v, n) < 0 ? -EFAULT : 0;
}

/* The block size Linux gives a disk's page cache (set_init_blocksize):
 * from the logical block size up to a page while it divides the size. */
static uint64_t soft_block_size(struct blkdev *d, struct loopdev *lo)
{
	uint64_t bsize = lo ? loop_block_size(lo) : SECTOR_SIZE;
	uint64_t size = d->nsectors * SECTOR_SIZE;

	while (bsize < 4096 && !(size & bsize))
		bsize <<= 1;
	return bsize;
}

/* The size and block-size requests every disk answers. */
static long disk_ioctl(struct blkdev *d, struct loopdev *lo, uint64_t cmd, uint64_t arg)
{
	int ival;
	uint64_t u64;

	switch (cmd) {
	case LINUX_BLKROGET:
		ival = d->readonly;
		return put_val(arg, &ival, sizeof(ival));
	case LINUX_BLKGETSIZE:
		u64 = d->nsectors;
		return put_val(arg, &u64, sizeof(u64));
	case LINUX_BLKGETSIZE64:
		u64 = d->nsectors * SECTOR_SIZE;
		return put_val(arg, &u64, sizeof(u64));
	case LINUX_BLKSSZGET:
	case LINUX_BLKPBSZGET:
		ival = lo ? (int)loop_block_size(lo) : SECTOR_SIZE;
		return put_val(arg, &ival, sizeof(ival));
	case LINUX_BLKBSZGET:
		u64 = soft_block_size(d, lo);
		return put_val(arg, &u64, sizeof(u64));
	case LINUX_BLKFLSBUF:
		bcache_drop(d); /* writes back, then forgets the unused blocks */
		return 0;
	}
	return -ENOIOCTLCMD;
}

long linux_block_ioctl(struct kobj *o, uint64_t cmd, uint64_t arg)
{
	struct blkdev *d;
	struct loopdev *lo;
	long r = -ENOIOCTLCMD;

	if (loop_is_control(o))
		return ctl_ioctl(cmd, arg);
	d = blkdev_of(o);
	if (!d)
		return -ENOIOCTLCMD;
	lo = loop_of(o);
	if (lo)
		r = loop_ioctl(lo, o, cmd, arg);
	if (r == -ENOIOCTLCMD)
		r = disk_ioctl(d, lo, cmd, arg);
	return r;
}
