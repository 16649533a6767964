/*
 * Descriptors and I/O as Linux does them: dup, dup3, fcntl, pipe2,
 * close_range, getdents64 (entries, types, resumable offsets, rewind),
 * positional and vector I/O, sendfile, copy_file_range, access modes and
 * O_APPEND.  Runs in a scratch directory (the cwd).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ltest.h"

struct dirent64_raw {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static long raw_getdents64(int fd, void *buf, size_t n)
{
	return syscall(SYS_getdents64, fd, buf, n);
}

static int make_file(const char *name, const char *data)
{
	int fd = open(name, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd >= 0 && data)
		CHECK_EQ(write(fd, data, strlen(data)), (long)strlen(data));
	return fd;
}

static void test_dup(void)
{
	int fd = make_file("dup.txt", "abcdef");
	CHECK(fd >= 0);
	int d = dup(fd);
	CHECK(d > fd);
	CHECK_EQ(lseek(fd, 2, SEEK_SET), 2);
	CHECK_EQ(lseek(d, 0, SEEK_CUR), 2); /* one open file description */
	CHECK_ERR(dup(-1), EBADF);
	CHECK_ERR(dup(4000), EBADF);

	CHECK_ERR(dup3(fd, fd, 0), EINVAL);
	CHECK_ERR(dup3(fd, 40, 0x1234), EINVAL);
	CHECK_ERR(dup3(-1, 40, 0), EBADF);
	CHECK_EQ(dup3(fd, 40, O_CLOEXEC), 40);
	CHECK_EQ(fcntl(40, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(dup3(d, 40, 0), 40); /* replaces, without close-on-exec */
	CHECK_EQ(fcntl(40, F_GETFD), 0);
	CHECK_EQ(dup2(fd, fd), fd); /* glibc checks fd validity itself */
	CHECK_EQ(close(40), 0);
	CHECK_ERR(close(40), EBADF);
	close(d);
	close(fd);
}

static void test_fcntl(void)
{
	int fd = make_file("fcntl.txt", "0123456789");
	CHECK_EQ(fcntl(fd, F_DUPFD, 20) >= 20, 1);
	int c = fcntl(fd, F_DUPFD_CLOEXEC, 30);
	CHECK(c >= 30);
	CHECK_EQ(fcntl(c, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(c, F_SETFD, 0), 0);
	CHECK_EQ(fcntl(c, F_GETFD), 0);
	CHECK_ERR(fcntl(fd, F_DUPFD, 1 << 30), EINVAL);
	CHECK_ERR(fcntl(-5, F_GETFD), EBADF);
	CHECK_ERR(fcntl(fd, 0x7777), EINVAL);

	int fl = fcntl(fd, F_GETFL);
	CHECK_EQ(fl & O_ACCMODE, O_RDWR);
	CHECK_EQ(fl & (O_APPEND | O_NONBLOCK), 0);
	CHECK_EQ(fcntl(fd, F_SETFL, fl | O_APPEND), 0);
	CHECK_EQ(fcntl(c, F_GETFL) & O_APPEND, O_APPEND); /* shared by duplicates */
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(write(fd, "X", 1), 1);
	char buf[16] = {0};
	CHECK_EQ(pread(fd, buf, sizeof(buf), 0), 11);
	CHECK_STR(buf, "0123456789X");
	/* F_SETFL cannot change the access mode */
	CHECK_EQ(fcntl(fd, F_SETFL, O_RDONLY), 0);
	CHECK_EQ(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND), O_RDWR);
	close(c);
	close(fd);

	int ro = open("fcntl.txt", O_RDONLY);
	CHECK_EQ(fcntl(ro, F_GETFL) & O_ACCMODE, O_RDONLY);
	close(ro);
}

static void test_pipe2(void)
{
	int p[2];
	char c;
	CHECK_EQ(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
	CHECK_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	CHECK_ERR(read(p[0], &c, 1), EAGAIN);
	CHECK_EQ(write(p[1], "z", 1), 1);
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'z');
	CHECK_ERR(write(p[0], "z", 1), EBADF);
	CHECK_ERR(read(p[1], &c, 1), EBADF);
	CHECK_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERR(pread(p[0], &c, 1, 0), ESPIPE);
	CHECK_ERR(pwrite(p[1], "z", 1, 0), ESPIPE);
	/* blocking again once O_NONBLOCK is cleared, seen through F_GETFL */
	CHECK_EQ(fcntl(p[0], F_SETFL, 0), 0);
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0);
	close(p[0]);
	close(p[1]);

	CHECK_EQ(pipe2(p, 0), 0);
	CHECK_EQ(fcntl(p[0], F_GETFD), 0);
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0);
	close(p[0]);
	close(p[1]);
	CHECK_ERR(pipe2(p, O_TRUNC), EINVAL);
	int *volatile bad = (int *)8; /* hidden from the compiler's checks */
	CHECK_ERR(pipe2(bad, 0), EFAULT);
}

static void test_close_range(void)
{
	int base = open(".", O_RDONLY | O_DIRECTORY);
	CHECK(base >= 0);
	CHECK_EQ(dup2(base, 50), 50);
	CHECK_EQ(dup2(base, 51), 51);
	CHECK_EQ(dup2(base, 52), 52);
	CHECK_EQ(syscall(SYS_close_range, 50, 51, 0), 0);
	CHECK_ERR(fcntl(50, F_GETFD), EBADF);
	CHECK_ERR(fcntl(51, F_GETFD), EBADF);
	CHECK_EQ(fcntl(52, F_GETFD), 0);
	CHECK_EQ(syscall(SYS_close_range, 52, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */), 0);
	CHECK_EQ(fcntl(52, F_GETFD), FD_CLOEXEC);
	CHECK_ERR(syscall(SYS_close_range, 9, 3, 0), EINVAL);
	CHECK_ERR(syscall(SYS_close_range, 52, 52, 0x100), EINVAL);
	CHECK_EQ(syscall(SYS_close_range, 52, ~0U, 0), 0);
	CHECK_ERR(fcntl(52, F_GETFD), EBADF);
	CHECK_EQ(fcntl(base, F_GETFD), 0);
	close(base);
}

/* Reads the whole directory with a buffer of bufsize bytes; returns the
 * number of entries and checks each name is known and seen once. */
static int read_all(int fd, size_t bufsize, int *seen, int nfiles, int64_t *off5, char *name6)
{
	char *buf = malloc(bufsize);
	int count = 0;
	long n;
	while ((n = raw_getdents64(fd, buf, bufsize)) > 0) {
		for (long pos = 0; pos < n;) {
			struct dirent64_raw *e = (struct dirent64_raw *)(buf + pos);
			if (count == 4 && off5)
				*off5 = e->d_off;
			if (count == 5 && name6)
				strcpy(name6, e->d_name);
			count++;
			int idx;
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				CHECK_EQ(e->d_type, DT_DIR);
			else if (strcmp(e->d_name, "sub") == 0)
				CHECK_EQ(e->d_type, DT_DIR);
			else if (strcmp(e->d_name, "link") == 0)
				CHECK_EQ(e->d_type, DT_LNK);
			else if (sscanf(e->d_name, "file-with-a-longish-name-%d", &idx) == 1 &&
			         idx >= 0 && idx < nfiles) {
				CHECK_EQ(e->d_type, DT_REG);
				seen[idx]++;
			} else {
				CHECK(!"unexpected name");
			}
			CHECK(e->d_ino != 0);
			CHECK_EQ(e->d_reclen % 8, 0);
			pos += e->d_reclen;
		}
	}
	CHECK_EQ(n, 0);
	free(buf);
	return count;
}

static void test_getdents(void)
{
	enum { N = 40 };
	int seen[N] = {0};
	char name[64];
	CHECK_EQ(mkdir("gd", 0755), 0);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "gd/file-with-a-longish-name-%d", i);
		close(make_file(name, NULL));
	}
	CHECK_EQ(mkdir("gd/sub", 0755), 0);
	CHECK_EQ(symlink("sub", "gd/link"), 0);

	int fd = open("gd", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	int64_t off5 = -1;
	char name6[256] = "";
	CHECK_EQ(read_all(fd, 200, seen, N, &off5, name6), N + 4);
	for (int i = 0; i < N; i++)
		CHECK_EQ(seen[i], 1);

	/* rewind, then read again with a large buffer */
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(read_all(fd, 32768, seen, N, NULL, NULL), N + 4);
	for (int i = 0; i < N; i++)
		CHECK_EQ(seen[i], 2);

	/* d_off of the 5th entry resumes at the 6th */
	CHECK(off5 > 0);
	CHECK_EQ(lseek(fd, off5, SEEK_SET), off5);
	char buf[512];
	long n = raw_getdents64(fd, buf, sizeof(buf));
	CHECK(n > 0);
	CHECK_STR(((struct dirent64_raw *)buf)->d_name, name6);

	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_ERR(raw_getdents64(fd, buf, 10), EINVAL);
	CHECK_ERR(raw_getdents64(fd, (void *)8, sizeof(buf)), EFAULT);
	CHECK_ERR(raw_getdents64(-1, buf, sizeof(buf)), EBADF);
	CHECK_ERR(read(fd, buf, sizeof(buf)), EISDIR);
	close(fd);

	fd = open("gd/file-with-a-longish-name-0", O_RDONLY);
	CHECK_ERR(raw_getdents64(fd, buf, sizeof(buf)), ENOTDIR);
	close(fd);

	/* an empty directory has "." and ".." only, then the end */
	fd = open("gd/sub", O_RDONLY | O_DIRECTORY);
	n = raw_getdents64(fd, buf, sizeof(buf));
	int entries = 0;
	for (long pos = 0; pos < n; pos += ((struct dirent64_raw *)(buf + pos))->d_reclen)
		entries++;
	CHECK_EQ(entries, 2);
	CHECK_EQ(raw_getdents64(fd, buf, sizeof(buf)), 0);
	close(fd);

	/* opendir/readdir from glibc on the same directory */
	DIR *dir = opendir("gd");
	int count = 0;
	while (readdir(dir))
		count++;
	CHECK_EQ(count, N + 4);
	closedir(dir);
}

static void test_positional(void)
{
	int fd = make_file("pos.txt", "hello world");
	char buf[32] = {0};
	CHECK_EQ(lseek(fd, 3, SEEK_SET), 3);
	CHECK_EQ(pread(fd, buf, 5, 6), 5);
	CHECK_STR(buf, "world");
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 3); /* unchanged */
	CHECK_EQ(pwrite(fd, "W", 1, 6), 1);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 3);
	CHECK_EQ(pwrite(fd, "!", 1, 20), 1); /* a hole up to 20 */
	struct stat st;
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 21);
	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(pread(fd, buf, sizeof(buf), 0), 21);
	CHECK(memcmp(buf, "hello World\0\0\0\0\0\0\0\0\0!", 21) == 0);
	CHECK_EQ(pread(fd, buf, 4, 100), 0);
	CHECK_ERR(pread(fd, buf, 4, -1), EINVAL);
	CHECK_ERR(pwrite(fd, buf, 4, -1), EINVAL);
	CHECK_ERR(pread(-1, buf, 4, 0), EBADF);

	/* vectors */
	struct iovec iov[2] = {{buf, 5}, {buf + 10, 6}};
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(preadv(fd, iov, 2, 0), 11);
	CHECK(memcmp(buf, "hello", 5) == 0 && memcmp(buf + 10, " World", 6) == 0);
	struct iovec wv[2] = {{"ab", 2}, {"cd", 2}};
	CHECK_EQ(pwritev(fd, wv, 2, 1), 4);
	CHECK_EQ(pread(fd, buf, 6, 0), 6);
	CHECK(memcmp(buf, "habcd ", 6) == 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 3);
	CHECK_EQ(writev(fd, wv, 2), 4); /* at offset 3 */
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 7);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(readv(fd, iov, 2), 11);
	CHECK(memcmp(buf, "habab", 5) == 0);
	volatile int minus_one = -1;
	CHECK_ERR(readv(fd, iov, minus_one), EINVAL);
	CHECK_ERR(preadv(fd, iov, 2, -2), EINVAL);

	/* O_APPEND: every write lands at the end, pwrite included (as Linux) */
	int ap = open("pos.txt", O_WRONLY | O_APPEND);
	CHECK_EQ(lseek(ap, 0, SEEK_SET), 0);
	CHECK_EQ(write(ap, "1", 1), 1);
	CHECK_EQ(pwrite(ap, "2", 1, 0), 1);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 23);
	CHECK_EQ(pread(fd, buf, 3, 20), 3);
	CHECK(memcmp(buf, "!12", 3) == 0);
	CHECK_ERR(read(ap, buf, 1), EBADF);
	close(ap);

	int ro = open("pos.txt", O_RDONLY);
	CHECK_ERR(write(ro, "x", 1), EBADF);
	CHECK_ERR(pwrite(ro, "x", 1, 0), EBADF);
	close(ro);
	close(fd);

	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(pread(dfd, buf, 1, 0), EISDIR);
	close(dfd);
}

static void test_sendfile(void)
{
	int in = make_file("sf_in.txt", "0123456789abcdef");
	int p[2];
	char buf[32] = {0};
	CHECK_EQ(pipe(p), 0);
	off_t off = 4;
	CHECK_EQ(lseek(in, 2, SEEK_SET), 2);
	CHECK_EQ(sendfile(p[1], in, &off, 6), 6);
	CHECK_EQ(off, 10);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 2); /* the file's own offset stays */
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 6);
	CHECK_STR(buf, "456789");

	/* without an offset: from the file's offset, which advances */
	CHECK_EQ(sendfile(p[1], in, NULL, 100), 14);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 16);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 14);
	CHECK_STR(buf, "23456789abcdef");
	CHECK_EQ(sendfile(p[1], in, NULL, 100), 0); /* at the end */

	/* file to file */
	int out = open("sf_out.txt", O_CREAT | O_TRUNC | O_WRONLY, 0644);
	off = 0;
	CHECK_EQ(sendfile(out, in, &off, 16), 16);
	close(out);
	int chk = open("sf_out.txt", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(read(chk, buf, sizeof(buf)), 16);
	CHECK_STR(buf, "0123456789abcdef");
	close(chk);

	int ap = open("sf_out.txt", O_WRONLY | O_APPEND);
	off = 0;
	CHECK_ERR(sendfile(ap, in, &off, 4), EINVAL);
	close(ap);
	int wo = open("sf_in.txt", O_WRONLY);
	CHECK_ERR(sendfile(p[1], wo, NULL, 4), EBADF);
	close(wo);
	CHECK_ERR(sendfile(p[1], -1, NULL, 4), EBADF);
	off = -1;
	CHECK_ERR(sendfile(p[1], in, &off, 4), EINVAL);
	close(p[0]);
	close(p[1]);

	/* copy_file_range between two files */
	int dst = open("cfr.txt", O_CREAT | O_TRUNC | O_RDWR, 0644);
	off_t ioff = 10, ooff = 0;
	CHECK_EQ(copy_file_range(in, &ioff, dst, &ooff, 6, 0), 6);
	CHECK_EQ(ioff, 16);
	CHECK_EQ(ooff, 6);
	CHECK_EQ(lseek(dst, 0, SEEK_CUR), 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(pread(dst, buf, sizeof(buf), 0), 6);
	CHECK_STR(buf, "abcdef");
	CHECK_ERR(copy_file_range(in, &ioff, dst, &ooff, 6, 1), EINVAL);
	ioff = 0;
	ooff = 4;
	CHECK_ERR(copy_file_range(dst, &ioff, dst, &ooff, 6, 0), EINVAL);
	ooff = 6;
	CHECK_EQ(copy_file_range(dst, &ioff, dst, &ooff, 6, 0), 6);
	CHECK_EQ(pread(dst, buf, 12, 0), 12);
	CHECK(memcmp(buf, "abcdefabcdef", 12) == 0);
	int pp[2];
	CHECK_EQ(pipe(pp), 0);
	CHECK_ERR(copy_file_range(pp[0], NULL, dst, NULL, 6, 0), EINVAL);
	close(pp[0]);
	close(pp[1]);
	close(dst);
	close(in);
}

int main(void)
{
	test_dup();
	test_fcntl();
	test_pipe2();
	test_close_range();
	test_getdents();
	test_positional();
	test_sendfile();
	return ltest_done("io");
}
