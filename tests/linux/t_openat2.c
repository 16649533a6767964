/*
 * openat2 (437) as Linux does it: struct open_how size checks (EINVAL
 * below version 0, E2BIG for non-zero bytes past what the kernel knows),
 * flag, mode and resolve checks, and the RESOLVE_* walk restrictions:
 * NO_SYMLINKS, NO_MAGICLINKS (/proc/self/fd/N), BENEATH (EXDEV for
 * absolute paths, ".." above dirfd and absolute symlinks), IN_ROOT
 * (dirfd is "/"), NO_XDEV (mounts) and CACHED (EAGAIN here).  qemu-user
 * 7.2 lacks openat2: there the checks are skipped out loud unless
 * --beyond-qemu, which Scarlet's test_linux.py and tools/linux-vm.sh use.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ltest.h"

static int beyond_qemu;

static long o2(int dfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve)
{
	struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
	return syscall(SYS_openat2, dfd, path, &how, sizeof(how));
}

static ino_t ino_of_fd(long fd)
{
	struct stat st;
	return fstat((int)fd, &st) == 0 ? st.st_ino : 0;
}

static ino_t ino_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* Checks that fd is open on path, and closes it. */
#define CHECK_OPENS(fd, path)                                                                      \
	do {                                                                                       \
		long fd_ = (fd);                                                                   \
		CHECK(fd_ >= 0);                                                                   \
		CHECK_EQ(ino_of_fd(fd_), ino_of(path));                                            \
		if (fd_ >= 0)                                                                      \
			close((int)fd_);                                                           \
	} while (0)

static void test_struct(void)
{
	struct {
		struct open_how how;
		char pad[32];
	} big;
	memset(&big, 0, sizeof(big));
	big.how.flags = O_RDONLY;
	/* size: below version 0, zero padding, non-zero padding, too big */
	CHECK_ERR(syscall(SYS_openat2, AT_FDCWD, "f", &big, 16), EINVAL);
	CHECK_ERR(syscall(SYS_openat2, AT_FDCWD, "f", &big, 0), EINVAL);
	CHECK_OPENS(syscall(SYS_openat2, AT_FDCWD, "f", &big, sizeof(big)), "f");
	big.pad[31] = 1;
	CHECK_ERR(syscall(SYS_openat2, AT_FDCWD, "f", &big, sizeof(big)), E2BIG);
	CHECK_OPENS(syscall(SYS_openat2, AT_FDCWD, "f", &big, sizeof(big.how)), "f");
	char *page = calloc(1, 8192);
	CHECK_ERR(syscall(SYS_openat2, AT_FDCWD, "f", page, 4097), E2BIG);
	free(page);
	CHECK_ERR(syscall(SYS_openat2, AT_FDCWD, "f", (void *)8, 24), EFAULT);

	/* flags, mode, resolve */
	CHECK_ERR(o2(AT_FDCWD, "f", 1ull << 32, 0, 0), EINVAL);
	CHECK_ERR(o2(AT_FDCWD, "f", 0x4, 0, 0), EINVAL); /* not an open flag */
	CHECK_ERR(o2(AT_FDCWD, "f", O_RDONLY, 0644, 0), EINVAL);
	CHECK_ERR(o2(AT_FDCWD, "n", O_CREAT | O_WRONLY, 010644, 0), EINVAL);
	CHECK_ERR(o2(AT_FDCWD, "f", O_PATH | O_RDWR, 0, 0), EINVAL);
	CHECK_ERR(o2(AT_FDCWD, "f", O_PATH | O_APPEND, 0, 0), EINVAL);
	CHECK_OPENS(o2(AT_FDCWD, "f", O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, 0), "f");
	CHECK_ERR(o2(AT_FDCWD, "d", O_CREAT | O_DIRECTORY, 0644, 0), EINVAL);
	CHECK_ERR(o2(AT_FDCWD, "f", O_RDONLY, 0, 0x40), EINVAL);
	CHECK_ERR(o2(AT_FDCWD, "f", O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT), EINVAL);
	CHECK_ERR(o2(AT_FDCWD, "", O_RDONLY, 0, 0), ENOENT);
	CHECK_ERR(o2(AT_FDCWD, "n", O_CREAT | O_WRONLY, 0644, RESOLVE_CACHED), EAGAIN);
	CHECK_ERR(o2(AT_FDCWD, "f", O_TRUNC | O_WRONLY, 0, RESOLVE_CACHED), EAGAIN);

	/* creation with a mode, as openat */
	long fd = o2(AT_FDCWD, "n", O_CREAT | O_EXCL | O_WRONLY, 0640, 0);
	CHECK(fd >= 0);
	struct stat st;
	CHECK_EQ(fstat((int)fd, &st), 0);
	CHECK_EQ(st.st_mode & 0777, 0640 & ~umask(022));
	close((int)fd);
	CHECK_ERR(o2(AT_FDCWD, "n", O_CREAT | O_EXCL | O_WRONLY, 0640, 0), EEXIST);
	CHECK_EQ(unlink("n"), 0);
}

static void test_symlinks(int dfd)
{
	CHECK_OPENS(o2(dfd, "lf", O_RDONLY, 0, 0), "f");
	CHECK_ERR(o2(dfd, "lf", O_RDONLY, 0, RESOLVE_NO_SYMLINKS), ELOOP);
	CHECK_ERR(o2(dfd, "ld/g", O_RDONLY, 0, RESOLVE_NO_SYMLINKS), ELOOP);
	CHECK_OPENS(o2(dfd, "d/g", O_RDONLY, 0, RESOLVE_NO_SYMLINKS), "d/g");
	/* the link itself is not followed: allowed */
	long fd = o2(dfd, "lf", O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_SYMLINKS);
	CHECK(fd >= 0);
	close((int)fd);
	CHECK_ERR(o2(dfd, "lf", O_RDONLY | O_NOFOLLOW, 0, 0), ELOOP);
	/* plain symlinks are not magic */
	CHECK_OPENS(o2(dfd, "lf", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS), "f");

	int ffd = open("f", O_RDONLY);
	char magic[64];
	snprintf(magic, sizeof(magic), "/proc/self/fd/%d", ffd);
	if (access(magic, F_OK) != 0) {
		SKIP("no /proc/self/fd");
	} else {
		CHECK_OPENS(o2(AT_FDCWD, magic, O_RDONLY, 0, 0), "f");
		CHECK_ERR(o2(AT_FDCWD, magic, O_RDONLY, 0, RESOLVE_NO_MAGICLINKS), ELOOP);
		/* /proc/self itself is an ordinary symlink */
		fd =
		    o2(AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY, 0, RESOLVE_NO_MAGICLINKS);
		CHECK(fd >= 0);
		close((int)fd);
		fd = o2(AT_FDCWD, magic, O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_MAGICLINKS);
		CHECK(fd >= 0);
		close((int)fd);
	}
	close(ffd);
}

static void test_beneath(int dfd)
{
	uint64_t b = RESOLVE_BENEATH;
	CHECK_OPENS(o2(dfd, "f", O_RDONLY, 0, b), "f");
	CHECK_OPENS(o2(dfd, "d/../f", O_RDONLY, 0, b), "f");
	CHECK_OPENS(o2(dfd, "ld/g", O_RDONLY, 0, b), "d/g"); /* relative link inside */
	CHECK_OPENS(o2(dfd, ".", O_RDONLY, 0, b), ".");
	CHECK_ERR(o2(dfd, "..", O_RDONLY, 0, b), EXDEV);
	CHECK_ERR(o2(dfd, "d/../../x", O_RDONLY, 0, b), EXDEV);
	CHECK_ERR(o2(dfd, "/etc", O_RDONLY, 0, b), EXDEV);
	CHECK_ERR(o2(dfd, "labs", O_RDONLY, 0, b), EXDEV);  /* absolute target */
	CHECK_ERR(o2(dfd, "lup/f", O_RDONLY, 0, b), EXDEV); /* ".." target */
	CHECK_ERR(o2(AT_FDCWD, "..", O_RDONLY, 0, b), EXDEV);
	CHECK_OPENS(o2(AT_FDCWD, "d/g", O_RDONLY, 0, b), "d/g");
	/* from a subdirectory: its own ".." escapes */
	int sub = open("d", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(o2(sub, "../f", O_RDONLY, 0, b), EXDEV);
	CHECK_ERR(o2(sub, "lback", O_RDONLY, 0, b), EXDEV);
	CHECK_OPENS(o2(sub, "lback", O_RDONLY, 0, 0), "f");
	/* creating beneath */
	long fd = o2(sub, "new", O_CREAT | O_WRONLY, 0600, b);
	CHECK(fd >= 0);
	close((int)fd);
	CHECK_EQ(unlink("d/new"), 0);
	CHECK_ERR(o2(sub, "../new", O_CREAT | O_WRONLY, 0600, b), EXDEV);
	CHECK_ERR(access("new", F_OK), ENOENT);
	/* dirfd must be a directory; ENOTDIR even for a path that would escape */
	int ffd = open("f", O_RDONLY);
	CHECK_ERR(o2(ffd, "x", O_RDONLY, 0, b), ENOTDIR);
	CHECK_ERR(o2(-1, "x", O_RDONLY, 0, b), EBADF);
	close(ffd);
	close(sub);
}

static void test_in_root(int dfd)
{
	uint64_t r = RESOLVE_IN_ROOT;
	int sub = open("d", O_RDONLY | O_DIRECTORY);
	/* "/", ".." and absolute symlinks stay inside d */
	CHECK_OPENS(o2(sub, "g", O_RDONLY, 0, r), "d/g");
	CHECK_OPENS(o2(sub, "/g", O_RDONLY, 0, r), "d/g");
	CHECK_OPENS(o2(sub, "../../g", O_RDONLY, 0, r), "d/g");
	CHECK_OPENS(o2(sub, "lroot", O_RDONLY, 0, r), "d/g"); /* -> /g */
	CHECK_ERR(o2(sub, "lback", O_RDONLY, 0, r), ENOENT);  /* ../f is d/f */
	CHECK_OPENS(o2(sub, "lback", O_RDONLY, 0, 0), "f");
	CHECK_OPENS(o2(dfd, "labs", O_RDONLY, 0, 0), "/");
	CHECK_OPENS(o2(dfd, "labs", O_RDONLY, 0, r), ".");
	close(sub);
}

static void test_no_xdev(void)
{
	uint64_t x = RESOLVE_NO_XDEV;
	struct stat root, proc;
	if (stat("/", &root) != 0 || stat("/proc", &proc) != 0 || root.st_dev == proc.st_dev) {
		SKIP("/proc is not a mount of its own");
		return;
	}
	int rfd = open("/", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(o2(rfd, "proc/self", O_RDONLY, 0, x), EXDEV);
	CHECK_ERR(o2(AT_FDCWD, "/proc/self", O_RDONLY, 0, x), EXDEV);
	CHECK_ERR(o2(rfd, "proc", O_RDONLY, 0, x), EXDEV);
	CHECK_OPENS(o2(rfd, "proc", O_RDONLY, 0, 0), "/proc");
	int pfd = open("/proc", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(o2(pfd, "..", O_RDONLY, 0, x), EXDEV);
	CHECK_OPENS(o2(pfd, "..", O_RDONLY, 0, 0), "/");
	CHECK_OPENS(o2(pfd, ".", O_RDONLY, 0, x), "/proc");
	close(pfd);
	close(rfd);
}

int main(int argc, char **argv)
{
	beyond_qemu = argc > 1 && strcmp(argv[1], "--beyond-qemu") == 0;
	CHECK_EQ(mkdir("d", 0755), 0);
	int fd = open("f", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	close(fd);
	fd = open("d/g", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	close(fd);
	CHECK_EQ(symlink("f", "lf"), 0);
	CHECK_EQ(symlink("d", "ld"), 0);
	CHECK_EQ(symlink("/", "labs"), 0);
	CHECK_EQ(symlink("..", "lup"), 0);
	CHECK_EQ(symlink("../f", "d/lback"), 0);
	CHECK_EQ(symlink("/g", "d/lroot"), 0);
	errno = 0;
	if (o2(AT_FDCWD, "f", O_RDONLY, 0, 0) < 0 && errno == ENOSYS && !beyond_qemu) {
		SKIP("no openat2 here (qemu-user 7.2): run with --beyond-qemu on Linux");
		return ltest_done("openat2");
	}
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	test_struct();
	test_symlinks(dfd);
	test_beneath(dfd);
	test_in_root(dfd);
	test_no_xdev();
	close(dfd);
	return ltest_done("openat2");
}
