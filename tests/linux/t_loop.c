/*
 * Loop devices: /dev/loop-control (GET_FREE, ADD, REMOVE) and the
 * requests on /dev/loopN: SET_FD, CONFIGURE, CLR_FD, SET/GET_STATUS64,
 * the old SET/GET_STATUS, CHANGE_FD, SET_CAPACITY, SET_BLOCK_SIZE,
 * SET_DIRECT_IO, and the BLK* size requests; data through the device at
 * offsets and size limits, read-only bindings, detaching at the last
 * close (autoclear), loop devices backed by loop devices.  Needs root.
 *
 * On the host (tools/host-linux-tests.sh, as root, qemu-user passing the
 * ioctls through) it uses whatever free devices Linux hands out, and
 * detaches what it binds; proven against Linux 6.18.  Without
 * /dev/loop-control (a host with no loop driver) it says so and checks
 * nothing more.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ltest.h"

#define MiB (1024 * 1024)

static int ctl = -1;

/* Byte i of a file made by make_image. */
static unsigned char pattern(uint64_t i)
{
	return (unsigned char)((i * 7 + i / 4096) & 0xff);
}

static int make_image(const char *name, uint64_t size)
{
	static unsigned char buf[65536];
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	for (uint64_t off = 0; off < size; off += sizeof(buf)) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = pattern(off + i);
		CHECK_EQ(pwrite(fd, buf, sizeof(buf), (off_t)off), (long)sizeof(buf));
	}
	return fd;
}

static void loop_path(int n, char *buf, size_t len)
{
	snprintf(buf, len, "/dev/loop%d", n);
}

/* A free device, opened with flags; *n gets its number. */
static int open_free(int *n, int flags)
{
	char path[32];
	*n = ioctl(ctl, LOOP_CTL_GET_FREE);
	CHECK(*n >= 0);
	loop_path(*n, path, sizeof(path));
	int fd = open(path, flags);
	CHECK(fd >= 0);
	return fd;
}

static int reopen(int n, int flags)
{
	char path[32];
	loop_path(n, path, sizeof(path));
	return open(path, flags);
}

static uint64_t size64(int fd)
{
	uint64_t size = 0;
	CHECK_EQ(ioctl(fd, BLKGETSIZE64, &size), 0);
	return size;
}

static int sector_size(int fd)
{
	int size = 0;
	CHECK_EQ(ioctl(fd, BLKSSZGET, &size), 0);
	return size;
}

/* Does the device at dev_off hold the image's bytes from img_off? */
static int holds(int fd, off_t dev_off, uint64_t img_off, size_t len)
{
	unsigned char buf[4096];
	if (len > sizeof(buf) || pread(fd, buf, len, dev_off) != (ssize_t)len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (buf[i] != pattern(img_off + i))
			return 0;
	return 1;
}

static void test_unbound(int lfd)
{
	struct loop_info64 i64;
	struct loop_info old;

	CHECK_ERR(ioctl(lfd, LOOP_GET_STATUS64, &i64), ENXIO);
	CHECK_ERR(ioctl(lfd, LOOP_GET_STATUS, &old), ENXIO);
	CHECK_ERR(ioctl(lfd, LOOP_CLR_FD, 0), ENXIO);
	CHECK_ERR(ioctl(lfd, LOOP_SET_CAPACITY, 0), ENXIO);
	CHECK_ERR(ioctl(lfd, LOOP_SET_BLOCK_SIZE, 4096), ENXIO);
	CHECK_EQ(size64(lfd), 0);
}

static void test_bad_backing(int lfd)
{
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	int pfd[2];

	CHECK_ERR(ioctl(lfd, LOOP_SET_FD, -1), EBADF);
	CHECK_ERR(ioctl(lfd, LOOP_SET_FD, 9999), EBADF);
	CHECK_ERR(ioctl(lfd, LOOP_SET_FD, dfd), EINVAL);
	CHECK_EQ(pipe(pfd), 0);
	CHECK_ERR(ioctl(lfd, LOOP_SET_FD, pfd[0]), EINVAL);
	/* itself: Linux 6.18 says EBADF */
	CHECK_ERR(ioctl(lfd, LOOP_SET_FD, lfd), EBADF);
	close(dfd);
	close(pfd[0]);
	close(pfd[1]);
}

/* The first line of /sys/block/loopN/WHAT, or "" (errno set) when it
 * cannot be read. */
static const char *sys_read(int n, const char *what)
{
	static char buf[4][512];
	static int k;
	char path[64];
	char *b = buf[k = (k + 1) % 4];

	snprintf(path, sizeof(path), "/sys/block/loop%d/%s", n, what);
	b[0] = '\0';
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return b;
	ssize_t len = read(fd, b, sizeof(buf[0]) - 1);
	b[len > 0 ? len : 0] = '\0';
	close(fd);
	return b;
}

static const char *num(long long v)
{
	static char buf[4][32];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%lld\n", v);
	return buf[k];
}

/* Bound with SET_FD: status, sizes, data both ways. */
static void test_bound(int lfd, int n, int ifd)
{
	struct loop_info64 i64;
	struct stat st;
	unsigned long sectors = 0;
	int ro = -1;
	unsigned char buf[512];

	CHECK_EQ(ioctl(lfd, LOOP_SET_FD, ifd), 0);
	CHECK_ERR(ioctl(lfd, LOOP_SET_FD, ifd), EBUSY);
	memset(&i64, 0xff, sizeof(i64));
	CHECK_EQ(ioctl(lfd, LOOP_GET_STATUS64, &i64), 0);
	CHECK_EQ(fstat(ifd, &st), 0);
	CHECK_EQ(i64.lo_number, n);
	CHECK_EQ(i64.lo_inode, st.st_ino);
	CHECK_EQ(i64.lo_device, st.st_dev);
	CHECK_EQ(i64.lo_rdevice, 0);
	CHECK_EQ(i64.lo_offset, 0);
	CHECK_EQ(i64.lo_sizelimit, 0);
	CHECK_EQ(i64.lo_flags & (LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR), 0);
	CHECK_EQ(i64.lo_file_name[0], 0);
	CHECK_EQ(size64(lfd), MiB);
	CHECK_EQ(ioctl(lfd, BLKGETSIZE, &sectors), 0);
	CHECK_EQ(sectors, MiB / 512);
	CHECK_EQ(sector_size(lfd), 512);
	CHECK_EQ(ioctl(lfd, BLKPBSZGET, &ro), 0);
	CHECK_EQ(ro, 512);
	size_t bsz = 0;
	CHECK_EQ(ioctl(lfd, BLKBSZGET, &bsz), 0);
	CHECK_EQ(bsz, 4096);
	CHECK_EQ(ioctl(lfd, BLKROGET, &ro), 0);
	CHECK_EQ(ro, 0);
	CHECK(holds(lfd, 4096, 4096, 4096));
	CHECK(holds(lfd, 1000, 1000, 100));
	/* sysfs */
	char cwd[400], want[512];
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(want, sizeof(want), "%s/loop.img\n", cwd);
	CHECK_STR(sys_read(n, "loop/backing_file"), want);
	snprintf(want, sizeof(want), "7:%d\n", n);
	CHECK_STR(sys_read(n, "dev"), want);
	CHECK_STR(sys_read(n, "size"), num(MiB / 512));
	CHECK_STR(sys_read(n, "ro"), "0\n");
	CHECK_STR(sys_read(n, "loop/offset"), "0\n");
	CHECK_STR(sys_read(n, "loop/sizelimit"), "0\n");
	CHECK_STR(sys_read(n, "loop/autoclear"), "0\n");
	/* the device writes into the file */
	memset(buf, 0xa5, sizeof(buf));
	CHECK_EQ(pwrite(lfd, buf, sizeof(buf), 8192), 512);
	CHECK_EQ(fsync(lfd), 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(pread(ifd, buf, sizeof(buf), 8192), 512);
	CHECK(buf[0] == 0xa5 && buf[511] == 0xa5);
	/* and reads what the file holds (a part not read through it yet) */
	memset(buf, 0x5a, sizeof(buf));
	CHECK_EQ(pwrite(ifd, buf, sizeof(buf), 600 * 1024), 512);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(pread(lfd, buf, sizeof(buf), 600 * 1024), 512);
	CHECK(buf[0] == 0x5a && buf[511] == 0x5a);
	/* the end of the device */
	CHECK_EQ(pread(lfd, buf, sizeof(buf), MiB), 0);
	CHECK_EQ(pread(lfd, buf, sizeof(buf), MiB - 256), 256);
}

static void test_status(int lfd, int n, int ifd)
{
	struct loop_info64 i64;
	struct loop_info old;

	memset(&i64, 0, sizeof(i64));
	i64.lo_offset = 4096;
	i64.lo_sizelimit = 65536;
	i64.lo_flags = LO_FLAGS_AUTOCLEAR | LO_FLAGS_READ_ONLY; /* READ_ONLY: ignored */
	strcpy((char *)i64.lo_file_name, "image-name");
	CHECK_EQ(ioctl(lfd, LOOP_SET_STATUS64, &i64), 0);
	memset(&i64, 0, sizeof(i64));
	CHECK_EQ(ioctl(lfd, LOOP_GET_STATUS64, &i64), 0);
	CHECK_EQ(i64.lo_offset, 4096);
	CHECK_EQ(i64.lo_sizelimit, 65536);
	CHECK_EQ(i64.lo_flags & (LO_FLAGS_AUTOCLEAR | LO_FLAGS_READ_ONLY), LO_FLAGS_AUTOCLEAR);
	CHECK_STR((char *)i64.lo_file_name, "image-name");
	CHECK_EQ(size64(lfd), 65536);
	CHECK_STR(sys_read(n, "loop/offset"), "4096\n");
	CHECK_STR(sys_read(n, "loop/sizelimit"), "65536\n");
	CHECK_STR(sys_read(n, "loop/autoclear"), "1\n");
	CHECK_STR(sys_read(n, "size"), num(65536 / 512));
	CHECK(holds(lfd, 0, 4096, 4096));
	CHECK(holds(lfd, 65536 - 4096, 65536, 4096));
	/* AUTOCLEAR can be cleared; no size limit: the rest of the file */
	i64.lo_flags = 0;
	i64.lo_sizelimit = 0;
	CHECK_EQ(ioctl(lfd, LOOP_SET_STATUS64, &i64), 0);
	CHECK_EQ(ioctl(lfd, LOOP_GET_STATUS64, &i64), 0);
	CHECK_EQ(i64.lo_flags & LO_FLAGS_AUTOCLEAR, 0);
	CHECK_EQ(size64(lfd), MiB - 4096);
	i64.lo_offset = UINT64_MAX;
	CHECK_ERR(ioctl(lfd, LOOP_SET_STATUS64, &i64), EOVERFLOW);

	/* the old structure: no sizelimit field, so setting clears it */
	memset(&old, 0xff, sizeof(old));
	CHECK_EQ(ioctl(lfd, LOOP_GET_STATUS, &old), 0);
	CHECK_EQ(old.lo_number, n);
	CHECK_EQ(old.lo_offset, 4096);
	CHECK_STR(old.lo_name, "image-name");
	i64.lo_offset = 0;
	i64.lo_sizelimit = 8192;
	CHECK_EQ(ioctl(lfd, LOOP_SET_STATUS64, &i64), 0);
	memset(&old, 0, sizeof(old));
	old.lo_offset = 512;
	strcpy(old.lo_name, "old-name");
	CHECK_EQ(ioctl(lfd, LOOP_SET_STATUS, &old), 0);
	CHECK_EQ(ioctl(lfd, LOOP_GET_STATUS64, &i64), 0);
	CHECK_EQ(i64.lo_offset, 512);
	CHECK_EQ(i64.lo_sizelimit, 0);
	CHECK_STR((char *)i64.lo_file_name, "old-name");
	CHECK_EQ(size64(lfd), MiB - 512);
	CHECK(holds(lfd, 0, 512, 4096));

	/* capacity follows the file only when asked */
	i64.lo_offset = 0;
	CHECK_EQ(ioctl(lfd, LOOP_SET_STATUS64, &i64), 0);
	CHECK_EQ(ftruncate(ifd, 2 * MiB), 0);
	CHECK_EQ(size64(lfd), MiB);
	CHECK_EQ(ioctl(lfd, LOOP_SET_CAPACITY, 0), 0);
	CHECK_EQ(size64(lfd), 2 * MiB);
	CHECK_EQ(ftruncate(ifd, MiB), 0);
	CHECK_EQ(ioctl(lfd, LOOP_SET_CAPACITY, 0), 0);
	CHECK_EQ(size64(lfd), MiB);

	/* logical block size */
	CHECK_ERR(ioctl(lfd, LOOP_SET_BLOCK_SIZE, 1000), EINVAL);
	CHECK_ERR(ioctl(lfd, LOOP_SET_BLOCK_SIZE, 256), EINVAL);
	CHECK_EQ(ioctl(lfd, LOOP_SET_BLOCK_SIZE, 4096), 0);
	CHECK_EQ(sector_size(lfd), 4096);
	CHECK_EQ(ioctl(lfd, LOOP_SET_BLOCK_SIZE, 512), 0);
	CHECK_EQ(sector_size(lfd), 512);
	CHECK_EQ(ioctl(lfd, LOOP_SET_DIRECT_IO, 0), 0);
	/* CHANGE_FD is for read-only devices only */
	CHECK_ERR(ioctl(lfd, LOOP_CHANGE_FD, ifd), EINVAL);
}

/* CLR_FD by the only opener: the device runs down and goes at close. */
static void test_clear(int lfd, int n)
{
	struct loop_info64 i64;

	CHECK_EQ(ioctl(lfd, LOOP_CLR_FD, 0), 0);
	CHECK_ERR(ioctl(lfd, LOOP_GET_STATUS64, &i64), ENXIO);
	CHECK_ERR(ioctl(lfd, LOOP_CLR_FD, 0), ENXIO);
	close(lfd);
	lfd = reopen(n, O_RDWR);
	CHECK(lfd >= 0);
	CHECK_ERR(ioctl(lfd, LOOP_GET_STATUS64, &i64), ENXIO);
	close(lfd);
	/* unbound: no loop/ in sysfs */
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/sys/block/loop%d/loop", n);
	CHECK_ERR(stat(path, &st), ENOENT);
	CHECK_STR(sys_read(n, "size"), "0\n");
}

/* CLR_FD while someone else has it open: autoclear, detached at the last
 * close; the backing file may be closed by its opener meanwhile. */
static void test_clear_shared(void)
{
	struct loop_info64 i64;
	int n, ifd = make_image("shared.img", MiB);
	int a = open_free(&n, O_RDWR);
	int b = reopen(n, O_RDONLY);

	CHECK(b >= 0);
	CHECK_EQ(ioctl(a, LOOP_SET_FD, ifd), 0);
	close(ifd);
	unlink("shared.img");
	CHECK(holds(b, 0, 0, 4096));
	CHECK_EQ(ioctl(a, LOOP_CLR_FD, 0), 0);
	CHECK_EQ(ioctl(b, LOOP_GET_STATUS64, &i64), 0);
	CHECK(i64.lo_flags & LO_FLAGS_AUTOCLEAR);
	close(a);
	CHECK_EQ(ioctl(b, LOOP_GET_STATUS64, &i64), 0);
	CHECK(holds(b, 8192, 8192, 4096));
	close(b);
	b = reopen(n, O_RDONLY);
	CHECK(b >= 0);
	CHECK_ERR(ioctl(b, LOOP_GET_STATUS64, &i64), ENXIO);
	close(b);
}

/* A read-only backing file makes a read-only device; CHANGE_FD swaps it
 * for a file of the same size only. */
static void test_read_only(void)
{
	struct loop_info64 i64;
	int n, ro = 0;
	int wfd = make_image("ro.img", MiB);
	int same = make_image("ro-same.img", MiB);
	int other = make_image("ro-other.img", 2 * MiB);
	int rfd = open("ro.img", O_RDONLY);
	int lfd = open_free(&n, O_RDWR);
	char c = 'x';

	CHECK_EQ(ioctl(lfd, LOOP_SET_FD, rfd), 0);
	CHECK_EQ(ioctl(lfd, LOOP_GET_STATUS64, &i64), 0);
	CHECK(i64.lo_flags & LO_FLAGS_READ_ONLY);
	CHECK_EQ(ioctl(lfd, BLKROGET, &ro), 0);
	CHECK_EQ(ro, 1);
	CHECK_STR(sys_read(n, "ro"), "1\n");
	CHECK_ERR(pwrite(lfd, &c, 1, 0), EPERM);
	CHECK(holds(lfd, 0, 0, 4096));
	/* opening it for writing works; writing does not */
	int wdev = reopen(n, O_WRONLY);
	CHECK(wdev >= 0);
	CHECK_ERR(write(wdev, &c, 1), EPERM);
	close(wdev);
	CHECK_ERR(ioctl(lfd, LOOP_CHANGE_FD, other), EINVAL);
	CHECK_EQ(ioctl(lfd, LOOP_CHANGE_FD, same), 0);
	CHECK_EQ(ioctl(lfd, LOOP_GET_STATUS64, &i64), 0);
	struct stat st;
	CHECK_EQ(fstat(same, &st), 0);
	CHECK_EQ(i64.lo_inode, st.st_ino);
	CHECK_EQ(ioctl(lfd, LOOP_CLR_FD, 0), 0);
	close(lfd);
	close(wfd);
	close(same);
	close(other);
	close(rfd);
	unlink("ro.img");
	unlink("ro-same.img");
	unlink("ro-other.img");
}

/* LOOP_CONFIGURE: everything at once; autoclear detaches at close. */
static void test_configure(void)
{
	struct loop_config cfg;
	struct loop_info64 i64;
	int n, ro = 0;
	int ifd = make_image("cfg.img", MiB);
	int lfd = open_free(&n, O_RDWR);

	memset(&cfg, 0, sizeof(cfg));
	cfg.fd = (uint32_t)ifd;
	cfg.info.lo_flags = 0x1000;
	CHECK_ERR(ioctl(lfd, LOOP_CONFIGURE, &cfg), EINVAL);
	cfg.info.lo_flags = 0;
	cfg.block_size = 1000;
	CHECK_ERR(ioctl(lfd, LOOP_CONFIGURE, &cfg), EINVAL);
	cfg.fd = (uint32_t)-1;
	CHECK_ERR(ioctl(lfd, LOOP_CONFIGURE, &cfg), EBADF);
	cfg.fd = (uint32_t)ifd;
	cfg.block_size = 4096;
	cfg.info.lo_offset = 65536;
	cfg.info.lo_sizelimit = 131072;
	cfg.info.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR;
	strcpy((char *)cfg.info.lo_file_name, "cfg.img");
	CHECK_EQ(ioctl(lfd, LOOP_CONFIGURE, &cfg), 0);
	CHECK_ERR(ioctl(lfd, LOOP_CONFIGURE, &cfg), EBUSY);
	CHECK_EQ(ioctl(lfd, LOOP_GET_STATUS64, &i64), 0);
	CHECK_EQ(i64.lo_offset, 65536);
	CHECK_EQ(i64.lo_sizelimit, 131072);
	CHECK_EQ(i64.lo_flags & (LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR),
	         LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR);
	CHECK_STR((char *)i64.lo_file_name, "cfg.img");
	CHECK_EQ(sector_size(lfd), 4096);
	CHECK_EQ(size64(lfd), 131072);
	CHECK_EQ(ioctl(lfd, BLKROGET, &ro), 0);
	CHECK_EQ(ro, 1);
	CHECK(holds(lfd, 4096, 65536 + 4096, 4096));
	close(lfd);
	lfd = reopen(n, O_RDONLY);
	CHECK(lfd >= 0);
	CHECK_ERR(ioctl(lfd, LOOP_GET_STATUS64, &i64), ENXIO);
	close(lfd);
	close(ifd);
	unlink("cfg.img");
}

/* A loop device over a loop device; one that is not bound, or that would
 * lead back to itself, is refused. */
static void test_stacked(void)
{
	int na, nb;
	int ifd = make_image("stack.img", MiB);
	int a = open_free(&na, O_RDWR);
	int b;

	CHECK_EQ(ioctl(a, LOOP_SET_FD, ifd), 0);
	b = open_free(&nb, O_RDWR);
	CHECK(na != nb);
	int c = reopen(nb, O_RDWR); /* b's own node, unbound */
	CHECK_ERR(ioctl(a, LOOP_SET_FD, c), EBUSY);
	CHECK_EQ(ioctl(b, LOOP_SET_FD, a), 0);
	CHECK_EQ(size64(b), MiB);
	CHECK(holds(b, 12288, 12288, 4096));
	CHECK_EQ(ioctl(b, LOOP_CLR_FD, 0), 0);
	close(b);
	close(c);
	/* an unbound loop device as backing */
	b = open_free(&nb, O_RDWR);
	CHECK_EQ(ioctl(a, LOOP_CLR_FD, 0), 0);
	close(a);
	a = reopen(na, O_RDWR);
	CHECK_ERR(ioctl(b, LOOP_SET_FD, a), EINVAL);
	close(a);
	close(b);
	close(ifd);
	unlink("stack.img");
}

/* The control device: ADD, REMOVE, errors. */
static void test_control(void)
{
	struct stat st;
	char path[32];
	int n, ifd = make_image("ctl.img", MiB);
	int lfd = open_free(&n, O_RDWR);

	CHECK_ERR(ioctl(ctl, LOOP_CTL_ADD, n), EEXIST);
	CHECK_ERR(ioctl(ctl, LOOP_CTL_REMOVE, n), EBUSY); /* open */
	CHECK_EQ(ioctl(lfd, LOOP_SET_FD, ifd), 0);
	CHECK_ERR(ioctl(ctl, LOOP_CTL_REMOVE, n), EBUSY); /* bound */
	CHECK_EQ(ioctl(lfd, LOOP_CLR_FD, 0), 0);
	close(lfd);
	CHECK_ERR(ioctl(ctl, LOOP_CTL_REMOVE, -1), EINVAL);

	int m = ioctl(ctl, LOOP_CTL_ADD, -1);
	CHECK(m >= 0);
	loop_path(m, path, sizeof(path));
	CHECK_EQ(stat(path, &st), 0);
	CHECK(S_ISBLK(st.st_mode));
	CHECK_EQ(major(st.st_rdev), 7);
	CHECK_EQ(minor(st.st_rdev), m);
	CHECK_EQ(ioctl(ctl, LOOP_CTL_REMOVE, m), 0);
	CHECK_ERR(stat(path, &st), ENOENT);
	CHECK_ERR(ioctl(ctl, LOOP_CTL_REMOVE, m), ENODEV);
	CHECK_ERR(ioctl(ctl, 0x4C8F, 0), ENOSYS);
	close(ifd);
	unlink("ctl.img");
}

#define SCAN_MAX 1024

/* GET_FREE hands out unbound devices, adding one when all are bound; the
 * added ones are removed again. */
static void test_get_free_adds(void)
{
	static char existed[SCAN_MAX];
	static int fds[SCAN_MAX], nums[SCAN_MAX];
	struct stat st;
	char path[32];
	int nbound = 0, added = -1;
	int ifd = make_image("free.img", MiB);

	for (int i = 0; i < SCAN_MAX; i++) {
		loop_path(i, path, sizeof(path));
		existed[i] = stat(path, &st) == 0;
	}
	while (added < 0 && nbound < SCAN_MAX) {
		int n, lfd = open_free(&n, O_RDWR);
		if (lfd < 0 || n >= SCAN_MAX)
			break;
		CHECK_EQ(ioctl(lfd, LOOP_SET_FD, ifd), 0);
		fds[nbound] = lfd;
		nums[nbound++] = n;
		if (!existed[n])
			added = n;
	}
	CHECK(added >= 0);
	if (added >= 0) {
		loop_path(added, path, sizeof(path));
		CHECK_EQ(stat(path, &st), 0);
		CHECK(S_ISBLK(st.st_mode));
	}
	for (int i = 0; i < nbound; i++) {
		CHECK_EQ(ioctl(fds[i], LOOP_CLR_FD, 0), 0);
		close(fds[i]);
		if (!existed[nums[i]])
			CHECK_EQ(ioctl(ctl, LOOP_CTL_REMOVE, nums[i]), 0);
	}
	close(ifd);
	unlink("free.img");
}

int main(void)
{
	struct stat st;
	int n;

	if (geteuid() != 0) {
		SKIP("loop devices need root");
		return ltest_done("t_loop");
	}
	ctl = open("/dev/loop-control", O_RDWR);
	if (ctl < 0 && errno == ENOENT) {
		SKIP("no /dev/loop-control: no loop driver here");
		return ltest_done("t_loop");
	}
	CHECK(ctl >= 0);
	CHECK_EQ(fstat(ctl, &st), 0);
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(major(st.st_rdev), 10);
	CHECK_EQ(minor(st.st_rdev), 237);

	int lfd = open_free(&n, O_RDWR);
	CHECK_EQ(fstat(lfd, &st), 0);
	CHECK(S_ISBLK(st.st_mode));
	CHECK_EQ(major(st.st_rdev), 7);
	CHECK_EQ(minor(st.st_rdev), n);
	test_unbound(lfd);
	test_bad_backing(lfd);
	int ifd = make_image("loop.img", MiB);
	test_bound(lfd, n, ifd);
	test_status(lfd, n, ifd);
	test_clear(lfd, n);
	close(ifd);
	unlink("loop.img");

	test_clear_shared();
	test_read_only();
	test_configure();
	test_stacked();
	test_control();
	test_get_free_adds();
	close(ctl);
	return ltest_done("t_loop");
}
