/*
 * More file calls: fallocate (modes 0, KEEP_SIZE, PUNCH_HOLE, ZERO_RANGE
 * and errors), posix_fadvise, preadv2/pwritev2 (offset -1, RWF_* flags),
 * RLIMIT_FSIZE (SIGXFSZ, EFBIG, short writes), dup3 on equal descriptors,
 * renameat2 (RENAME_NOREPLACE, RENAME_EXCHANGE) and copy_file_range.
 *
 * Usage: t_file2 [DIR] (the files go to DIR, the current directory by
 * default).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

#ifndef RWF_APPEND
#define RWF_APPEND 0x10
#endif

static char dir[400];

static const char *at(const char *name)
{
	static char bufs[4][512];
	static int next;
	char *b = bufs[next++ % 4];
	snprintf(b, 512, "%s/%s", dir, name);
	return b;
}

static off_t size_of(int fd)
{
	struct stat st;
	return fstat(fd, &st) < 0 ? -1 : st.st_size;
}

/* Are bytes [off, off+n) of fd all c? */
static int all_bytes(int fd, off_t off, size_t n, char c)
{
	char buf[4096];
	while (n > 0) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);
		if (pread(fd, buf, k, off) != (ssize_t)k)
			return 0;
		for (size_t i = 0; i < k; i++)
			if (buf[i] != c)
				return 0;
		off += k;
		n -= k;
	}
	return 1;
}

static void fill(int fd, off_t off, size_t n, char c)
{
	char buf[4096];
	memset(buf, c, sizeof(buf));
	while (n > 0) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);
		if (pwrite(fd, buf, k, off) != (ssize_t)k)
			return;
		off += k;
		n -= k;
	}
}

static void test_fallocate(void)
{
	int fd = open(at("falloc"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(fallocate(fd, 0, 0, 10000), 0);
	CHECK_EQ(size_of(fd), 10000);
	CHECK(all_bytes(fd, 0, 10000, 0));
	CHECK_EQ(fallocate(fd, 0, 100, 50), 0); /* inside: no change */
	CHECK_EQ(size_of(fd), 10000);
	CHECK_EQ(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 50000), 0);
	CHECK_EQ(size_of(fd), 10000);
	/* a punched hole reads as zeros; the size stays */
	fill(fd, 0, 10000, 'a');
	CHECK_EQ(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 4096), 0);
	CHECK(all_bytes(fd, 0, 4096, 'a'));
	CHECK(all_bytes(fd, 4096, 4096, 0));
	CHECK(all_bytes(fd, 8192, 10000 - 8192, 'a'));
	CHECK_EQ(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 9000, 100000), 0);
	CHECK_EQ(size_of(fd), 10000);
	CHECK(all_bytes(fd, 8192, 9000 - 8192, 'a'));
	CHECK(all_bytes(fd, 9000, 1000, 0));
	/* ZERO_RANGE: where the filesystem has it (not Linux's tmpfs) */
	fill(fd, 0, 10000, 'b');
	int r = fallocate(fd, FALLOC_FL_ZERO_RANGE, 5000, 10000);
	if (r == 0) {
		CHECK_EQ(size_of(fd), 15000);
		CHECK(all_bytes(fd, 0, 5000, 'b'));
		CHECK(all_bytes(fd, 5000, 10000, 0));
		CHECK_EQ(fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 0, 100000), 0);
		CHECK_EQ(size_of(fd), 15000);
		CHECK(all_bytes(fd, 0, 15000, 0));
	} else {
		CHECK_EQ(errno, EOPNOTSUPP);
	}
	/* errors, in Linux's order */
	CHECK_ERR(fallocate(fd, 0, -1, 10), EINVAL);
	CHECK_ERR(fallocate(fd, 0, 0, 0), EINVAL);
	CHECK_ERR(fallocate(fd, 0, 0, -1), EINVAL);
	CHECK_ERR(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10), EOPNOTSUPP);
	CHECK_ERR(
	    fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 0, 10),
	    EOPNOTSUPP);
	CHECK_ERR(fallocate(fd, 0x10000, 0, 10), EOPNOTSUPP);
	/* two operations at once: EOPNOTSUPP since Linux 6.13, EINVAL before */
	errno = 0;
	r = fallocate(fd, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096);
	CHECK(r == -1 && (errno == EOPNOTSUPP || errno == EINVAL));
	errno = 0;
	r = fallocate(fd, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE, 0, 4096);
	CHECK(r == -1 && (errno == EOPNOTSUPP || errno == EINVAL));
	CHECK_ERR(fallocate(fd, FALLOC_FL_NO_HIDE_STALE, 0, 10), EOPNOTSUPP);
	CHECK_ERR(fallocate(fd, 0, INT64_MAX - 10, 100), EFBIG);
	CHECK_ERR(fallocate(-1, 0, 0, 10), EBADF);
	int ro = open(at("falloc"), O_RDONLY);
	CHECK_ERR(fallocate(ro, 0, 0, 10), EBADF);
	close(ro);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_ERR(fallocate(p[1], 0, 0, 10), ESPIPE);
	CHECK_ERR(fallocate(p[0], 0, 0, 10), EBADF);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK_ERR(fallocate(dfd, 0, 0, 10), EBADF);
	int null = open("/dev/null", O_WRONLY);
	CHECK_ERR(fallocate(null, 0, 0, 10), ENODEV);

	/* posix_fadvise returns the error number itself */
	CHECK_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_NORMAL), 0);
	CHECK_EQ(posix_fadvise(fd, 100, 1000, POSIX_FADV_SEQUENTIAL), 0);
	CHECK_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM), 0);
	CHECK_EQ(posix_fadvise(fd, 0, 4096, POSIX_FADV_WILLNEED), 0);
	CHECK_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
	CHECK_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_NOREUSE), 0);
	CHECK_EQ(posix_fadvise(dfd, 0, 0, POSIX_FADV_NORMAL), 0);
	CHECK_EQ(posix_fadvise(fd, 0, 0, 99), EINVAL);
	CHECK_EQ(posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL), EINVAL);
	CHECK_EQ(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE);
	CHECK_EQ(posix_fadvise(-1, 0, 0, POSIX_FADV_NORMAL), EBADF);
	close(p[0]);
	close(p[1]);
	close(dfd);
	close(null);
	close(fd);
	unlink(at("falloc"));
}

static void test_rw2(void)
{
	/* qemu-user has no preadv2 (glibc then emulates flags 0 only): this
	 * part is checked against Linux by tools/linux-vm.sh */
	if (syscall(SYS_preadv2, -1, NULL, 0, 0, 0, 0) == -1 && errno == ENOSYS) {
		SKIP("no preadv2 system call (qemu-user)");
		return;
	}
	int fd = open(at("rw2"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	char a[4] = "abcd", b[4] = "efgh", in[8];
	struct iovec iov[2] = {{a, 4}, {b, 4}};
	/* offset -1: the file's own, which advances */
	CHECK_EQ(pwritev2(fd, iov, 2, -1, 0), 8);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 8);
	CHECK_EQ(pwritev2(fd, iov, 1, 2, RWF_HIPRI), 4);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 8);
	struct iovec rio = {in, 8};
	CHECK_EQ(preadv2(fd, &rio, 1, 0, 0), 8);
	CHECK_EQ(memcmp(in, "ababcdgh", 8), 0);
	CHECK_EQ(lseek(fd, 4, SEEK_SET), 4);
	rio.iov_len = 2;
	CHECK_EQ(preadv2(fd, &rio, 1, -1, RWF_HIPRI), 2);
	CHECK_EQ(memcmp(in, "cd", 2), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 6);
	/* RWF_NOWAIT: not on tmpfs or ext2 files (ext4 has it) */
	CHECK_ERR(preadv2(fd, &rio, 1, -1, RWF_NOWAIT), EOPNOTSUPP);
	/* sync flags; RWF_APPEND writes at the end whatever the offset */
	CHECK_EQ(pwritev2(fd, iov, 1, 0, RWF_DSYNC), 4);
	CHECK_EQ(pwritev2(fd, iov, 1, 0, RWF_SYNC), 4);
	CHECK_EQ(pwritev2(fd, &iov[1], 1, 0, RWF_APPEND), 4);
	CHECK_EQ(size_of(fd), 12);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 6);
	CHECK_EQ(pwritev2(fd, &iov[0], 1, -1, RWF_APPEND), 4);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 16);
	rio.iov_len = 8;
	CHECK_EQ(preadv2(fd, &rio, 1, 8, 0), 8);
	CHECK_EQ(memcmp(in, "efghabcd", 8), 0);
	/* errors */
	CHECK_ERR(preadv2(fd, &rio, 1, -2, 0), EINVAL);
	CHECK_ERR(preadv2(fd, &rio, 1, 0, 0x40000000), EOPNOTSUPP);
	CHECK_ERR(pwritev2(fd, iov, 1, 0, 0x40000000), EOPNOTSUPP);
	CHECK_ERR(preadv2(-1, &rio, 1, 0, 0), EBADF);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_ERR(pwritev2(p[1], iov, 1, 0, 0), ESPIPE);
	CHECK_EQ(pwritev2(p[1], iov, 1, -1, 0), 4);
	CHECK_EQ(preadv2(p[0], &rio, 1, -1, 0), 4);
	close(p[0]);
	close(p[1]);
	close(fd);
	unlink(at("rw2"));
}

static volatile sig_atomic_t xfsz;

static void on_xfsz(int sig)
{
	(void)sig;
	xfsz++;
}

static void test_fsize(void)
{
	struct rlimit old, lim = {.rlim_cur = 10000, .rlim_max = RLIM_INFINITY};
	CHECK_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
	struct sigaction sa = {.sa_handler = on_xfsz};
	sigaction(SIGXFSZ, &sa, NULL);
	int fd = open(at("fsize"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_EQ(setrlimit(RLIMIT_FSIZE, &lim), 0);
	static char buf[8192];
	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(write(fd, buf, 8192), 8192);
	CHECK_EQ(write(fd, buf, 8192), 10000 - 8192); /* cut at the limit */
	CHECK_EQ(xfsz, 0);
	CHECK_ERR(write(fd, buf, 1), EFBIG);
	CHECK_EQ(xfsz, 1);
	CHECK_EQ(write(fd, buf, 0), 0);
	CHECK_ERR(pwrite(fd, buf, 10, 20000), EFBIG);
	CHECK_EQ(xfsz, 2);
	CHECK_EQ(pwrite(fd, buf, 10, 100), 10); /* inside: fine */
	CHECK_ERR(ftruncate(fd, 10001), EFBIG);
	CHECK_EQ(xfsz, 3);
	CHECK_ERR(truncate(at("fsize"), 20000), EFBIG);
	CHECK_EQ(xfsz, 4);
	CHECK_EQ(ftruncate(fd, 10000), 0);
	CHECK_EQ(ftruncate(fd, 5000), 0);
	CHECK_EQ(size_of(fd), 5000);
	CHECK_ERR(fallocate(fd, 0, 0, 20000), EFBIG);
	CHECK_EQ(xfsz, 5);
	CHECK_EQ(setrlimit(RLIMIT_FSIZE, &old), 0);
	CHECK_EQ(write(fd, buf, 100), 100);
	/* with the default action, SIGXFSZ ends the process */
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGXFSZ, SIG_DFL);
		setrlimit(RLIMIT_FSIZE, &lim);
		pwrite(fd, buf, 1, 20000);
		_exit(0);
	}
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGXFSZ);
	signal(SIGXFSZ, SIG_DFL);
	close(fd);
	unlink(at("fsize"));
}

static int read_file(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	int r = (int)read(fd, buf, n - 1);
	close(fd);
	buf[r < 0 ? 0 : r] = 0;
	return r;
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		write(fd, text, strlen(text));
		close(fd);
	}
}

static void test_names(void)
{
	int fd = open(at("d3"), O_RDWR | O_CREAT, 0644);
	CHECK_ERR(dup3(fd, fd, 0), EINVAL);
	CHECK_ERR(dup3(fd, fd, O_CLOEXEC), EINVAL);
	CHECK_ERR(dup3(fd, fd + 1, 0x40), EINVAL);
	CHECK_ERR(dup3(-1, -1, 0), EINVAL); /* equal comes first */
	CHECK_ERR(dup3(-1, 5, 0), EBADF);
	CHECK_ERR(dup3(fd, -1, 0), EBADF);
	close(fd);
	unlink(at("d3"));

	char buf[64];
	write_file(at("one"), "1");
	write_file(at("two"), "2");
	CHECK_ERR(renameat2(AT_FDCWD, at("one"), AT_FDCWD, at("two"), RENAME_NOREPLACE), EEXIST);
	CHECK_EQ(renameat2(AT_FDCWD, at("one"), AT_FDCWD, at("three"), RENAME_NOREPLACE), 0);
	CHECK_EQ(renameat2(AT_FDCWD, at("three"), AT_FDCWD, at("two"), RENAME_EXCHANGE), 0);
	CHECK_EQ(read_file(at("two"), buf, sizeof(buf)), 1);
	CHECK_STR(buf, "1");
	CHECK_EQ(read_file(at("three"), buf, sizeof(buf)), 1);
	CHECK_STR(buf, "2");
	/* a file and a directory trade places too */
	CHECK_EQ(mkdir(at("sub"), 0755), 0);
	write_file(at("sub/inner"), "in");
	CHECK_EQ(renameat2(AT_FDCWD, at("sub"), AT_FDCWD, at("two"), RENAME_EXCHANGE), 0);
	CHECK_EQ(read_file(at("two/inner"), buf, sizeof(buf)), 2);
	CHECK_EQ(read_file(at("sub"), buf, sizeof(buf)), 1);
	CHECK_STR(buf, "1");
	CHECK_ERR(renameat2(AT_FDCWD, at("sub"), AT_FDCWD, at("nothere"), RENAME_EXCHANGE), ENOENT);
	CHECK_ERR(
	    renameat2(AT_FDCWD, at("sub"), AT_FDCWD, at("two"), RENAME_EXCHANGE | RENAME_NOREPLACE),
	    EINVAL);
	CHECK_ERR(renameat2(AT_FDCWD, at("sub"), AT_FDCWD, at("two"), 0x80), EINVAL);
	/* a directory cannot go into itself */
	CHECK_ERR(renameat2(AT_FDCWD, at("two"), AT_FDCWD, at("two/inner"), RENAME_EXCHANGE),
	          EINVAL);
	/* across directories: a directory and a file trade parents */
	struct stat p1, p1after, top, moved;
	CHECK_EQ(mkdir(at("p1"), 0755), 0);
	CHECK_EQ(mkdir(at("p1/d"), 0755), 0);
	write_file(at("f"), "f");
	CHECK_EQ(stat(at("p1"), &p1), 0);
	CHECK_EQ(p1.st_nlink, 3);
	CHECK_EQ(renameat2(AT_FDCWD, at("p1/d"), AT_FDCWD, at("f"), RENAME_EXCHANGE), 0);
	CHECK_EQ(stat(at("p1"), &p1after), 0);
	CHECK_EQ(p1after.st_nlink, 2);
	CHECK_EQ(stat(at("f"), &moved), 0);
	CHECK(S_ISDIR(moved.st_mode));
	CHECK_EQ(stat(dir, &top), 0);
	CHECK_EQ(stat(at("f/.."), &moved), 0);
	CHECK_EQ(moved.st_ino, top.st_ino);
	CHECK_EQ(read_file(at("p1/d"), buf, sizeof(buf)), 1);
	CHECK_STR(buf, "f");
	/* and back, as two directories */
	CHECK_EQ(unlink(at("p1/d")), 0);
	CHECK_EQ(mkdir(at("p1/d"), 0755), 0);
	CHECK_EQ(renameat2(AT_FDCWD, at("p1/d"), AT_FDCWD, at("f"), RENAME_EXCHANGE), 0);
	CHECK_EQ(stat(at("p1/d/.."), &moved), 0);
	CHECK_EQ(moved.st_ino, p1.st_ino);
	CHECK_EQ(rmdir(at("p1/d")), 0);
	CHECK_EQ(rmdir(at("p1")), 0);
	CHECK_EQ(rmdir(at("f")), 0);
	unlink(at("two/inner"));
	rmdir(at("two"));
	unlink(at("sub"));
	unlink(at("three"));

	/* copy_file_range */
	write_file(at("src"), "0123456789");
	int in = open(at("src"), O_RDONLY), out = open(at("dst"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	loff_t off_in = 2, off_out = 1;
	CHECK_EQ(copy_file_range(in, &off_in, out, &off_out, 5, 0), 5);
	CHECK_EQ(off_in, 7);
	CHECK_EQ(off_out, 6);
	CHECK_EQ(pread(out, buf, 10, 0), 6);
	CHECK_EQ(memcmp(buf,
	                "\0"
	                "23456",
	                6),
	         0);
	CHECK_EQ(copy_file_range(in, NULL, out, NULL, 100, 0), 10);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 10);
	CHECK_EQ(copy_file_range(in, NULL, out, NULL, 100, 0), 0);
	CHECK_ERR(copy_file_range(in, NULL, out, NULL, 1, 1), EINVAL);
	CHECK_ERR(copy_file_range(out, NULL, in, NULL, 1, 0), EBADF);
	close(in);
	close(out);
	unlink(at("src"));
	unlink(at("dst"));
}

int main(int argc, char **argv)
{
	snprintf(dir, sizeof(dir), "%s", argc > 1 ? argv[1] : ".");
	test_fallocate();
	test_rw2();
	test_fsize();
	test_names();
	return ltest_done("t_file2");
}
