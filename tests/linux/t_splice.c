/*
 * splice, tee and vmsplice as Linux does them: file -> pipe and pipe ->
 * file with and without offset pointers (the file offset moves only
 * without one), pipe -> pipe, tee leaving the data in its input,
 * vmsplice both ways, SPLICE_F_NONBLOCK (EAGAIN on an empty or full pipe
 * whatever the descriptor's own mode), and the errors: EINVAL (no pipe,
 * same pipe, bad flags, O_APPEND output), ESPIPE (an offset for a pipe),
 * EBADF (closed, wrong direction).  Then sendfile and copy_file_range
 * edge cases: count 0, offset pointers, EINVAL/EBADF kinds, reading
 * past the end, overlapping ranges in one file.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ltest.h"

static void put_file(const char *name, const char *data)
{
	int fd = open(name, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, data, strlen(data)), (long)strlen(data));
	close(fd);
}

static void drain(int fd, char *buf, size_t n)
{
	memset(buf, 0, n);
	long r = read(fd, buf, n - 1);
	CHECK(r >= 0);
}

static void test_file_pipe(void)
{
	int p[2];
	char buf[64];
	put_file("src", "0123456789");
	int fd = open("src", O_RDONLY);
	CHECK_EQ(pipe(p), 0);

	/* file -> pipe at the file offset, which moves */
	CHECK_EQ(splice(fd, NULL, p[1], NULL, 4, 0), 4);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 4);
	drain(p[0], buf, sizeof(buf));
	CHECK_STR(buf, "0123");
	/* at an offset pointer: the file offset stays */
	loff_t off = 6;
	CHECK_EQ(splice(fd, &off, p[1], NULL, 100, 0), 4);
	CHECK_EQ(off, 10);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 4);
	drain(p[0], buf, sizeof(buf));
	CHECK_STR(buf, "6789");
	off = 10; /* at end of file */
	CHECK_EQ(splice(fd, &off, p[1], NULL, 100, 0), 0);
	CHECK_EQ(splice(fd, NULL, p[1], NULL, 0, 0), 0);

	/* pipe -> file */
	int out = open("dst", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK_EQ(write(p[1], "abcdef", 6), 6);
	CHECK_EQ(splice(p[0], NULL, out, NULL, 3, 0), 3);
	CHECK_EQ(lseek(out, 0, SEEK_CUR), 3);
	off = 10;
	CHECK_EQ(splice(p[0], NULL, out, &off, 10, 0), 3);
	CHECK_EQ(off, 13);
	CHECK_EQ(lseek(out, 0, SEEK_CUR), 3);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(pread(out, buf, sizeof(buf), 0), 13);
	CHECK(memcmp(buf, "abc\0\0\0\0\0\0\0def", 13) == 0);

	/* SPLICE_F_NONBLOCK on an empty pipe of a blocking descriptor */
	CHECK_ERR(splice(p[0], NULL, out, NULL, 10, SPLICE_F_NONBLOCK), EAGAIN);

	/* errors */
	CHECK_ERR(splice(fd, NULL, out, NULL, 10, 0), EINVAL);    /* no pipe */
	CHECK_ERR(splice(p[0], NULL, p[1], NULL, 10, 0), EINVAL); /* same pipe */
	CHECK_ERR(splice(fd, NULL, p[1], NULL, 10, 0x10), EINVAL);
	off = 0;
	CHECK_ERR(splice(fd, NULL, p[1], &off, 10, 0), ESPIPE);
	CHECK_ERR(splice(p[0], &off, out, NULL, 10, 0), ESPIPE);
	CHECK_ERR(splice(-1, NULL, p[1], NULL, 10, 0), EBADF);
	CHECK_ERR(splice(fd, NULL, -1, NULL, 10, 0), EBADF);
	CHECK_ERR(splice(p[1], NULL, out, NULL, 10, 0), EBADF); /* write end */
	CHECK_ERR(splice(fd, NULL, p[0], NULL, 10, 0), EBADF);  /* read end */
	int app = open("dst", O_WRONLY | O_APPEND);
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_ERR(splice(p[0], NULL, app, NULL, 1, 0), EINVAL);
	close(app);
	int wo = open("dst", O_WRONLY);
	CHECK_ERR(splice(wo, NULL, p[1], NULL, 1, 0), EBADF); /* not readable */
	close(wo);
	off = -1;
	CHECK_ERR(splice(fd, &off, p[1], NULL, 1, 0), EINVAL);
	close(fd);
	close(out);
	close(p[0]);
	close(p[1]);
}

static void test_pipe_pipe(void)
{
	int a[2], b[2], c[2];
	char buf[64];
	CHECK_EQ(pipe(a), 0);
	CHECK_EQ(pipe(b), 0);
	CHECK_EQ(pipe(c), 0);
	CHECK_EQ(write(a[1], "hello world", 11), 11);
	CHECK_EQ(splice(a[0], NULL, b[1], NULL, 5, 0), 5);
	drain(b[0], buf, sizeof(buf));
	CHECK_STR(buf, "hello");

	/* tee: copies, the input keeps its data */
	CHECK_EQ(tee(a[0], b[1], 100, 0), 6);
	CHECK_EQ(tee(a[0], c[1], 3, 0), 3);
	drain(b[0], buf, sizeof(buf));
	CHECK_STR(buf, " world");
	drain(c[0], buf, sizeof(buf));
	CHECK_STR(buf, " wo");
	drain(a[0], buf, sizeof(buf));
	CHECK_STR(buf, " world");
	CHECK_ERR(tee(a[0], b[1], 10, SPLICE_F_NONBLOCK), EAGAIN);
	CHECK_ERR(splice(a[0], NULL, b[1], NULL, 10, SPLICE_F_NONBLOCK), EAGAIN);
	CHECK_EQ(tee(a[0], b[1], 0, 0), 0);
	CHECK_ERR(tee(a[0], a[1], 10, 0), EINVAL);
	CHECK_ERR(tee(a[0], b[1], 10, 0x10), EINVAL);
	int fd = open("src", O_RDONLY);
	CHECK_ERR(tee(fd, b[1], 10, 0), EINVAL);
	CHECK_ERR(tee(a[0], fd, 10, 0), EBADF);
	CHECK_ERR(tee(a[1], b[1], 10, 0), EBADF);
	CHECK_ERR(tee(-1, b[1], 10, 0), EBADF);
	close(fd);

	/* a full output pipe with SPLICE_F_NONBLOCK */
	int sz = fcntl(b[1], F_GETPIPE_SZ);
	char *fill = calloc(1, (size_t)sz);
	CHECK_EQ(fcntl(b[1], F_SETFL, O_NONBLOCK), 0);
	CHECK_EQ(write(b[1], fill, (size_t)sz), sz);
	CHECK_EQ(fcntl(b[1], F_SETFL, 0), 0);
	CHECK_EQ(write(a[1], "z", 1), 1);
	CHECK_ERR(splice(a[0], NULL, b[1], NULL, 1, SPLICE_F_NONBLOCK), EAGAIN);
	CHECK_ERR(tee(a[0], b[1], 1, SPLICE_F_NONBLOCK), EAGAIN);
	free(fill);

	/* end of file: no writer left */
	close(c[1]);
	CHECK_EQ(splice(c[0], NULL, a[1], NULL, 10, 0), 0);
	CHECK_EQ(tee(c[0], a[1], 10, 0), 0);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	close(c[0]);
}

static void test_vmsplice(void)
{
	int p[2];
	char x[4] = "abc", y[4] = "def", r1[3] = "", r2[8] = "";
	CHECK_EQ(pipe(p), 0);
	struct iovec v[3] = {{x, 3}, {NULL, 0}, {y, 3}};
	CHECK_EQ(vmsplice(p[1], v, 3, 0), 6);
	struct iovec rv[2] = {{r1, 2}, {r2, 8}};
	CHECK_EQ(vmsplice(p[0], rv, 2, 0), 6);
	CHECK(memcmp(r1, "ab", 2) == 0);
	CHECK(memcmp(r2, "cdef", 4) == 0);
	CHECK_ERR(vmsplice(p[0], rv, 2, SPLICE_F_NONBLOCK), EAGAIN);
	CHECK_ERR(vmsplice(p[1], v, 1, 0x10), EINVAL);
	CHECK_ERR(vmsplice(p[1], v, 1025, 0), EINVAL);
	CHECK_ERR(vmsplice(-1, v, 1, 0), EBADF);
	int fd = open("src", O_RDONLY);
	CHECK_ERR(vmsplice(fd, v, 1, 0), EBADF);
	close(fd);
	CHECK_EQ(vmsplice(p[1], v, 0, 0), 0);
	close(p[0]);
	close(p[1]);
}

static void test_sendfile(void)
{
	put_file("sf", "0123456789");
	int in = open("sf", O_RDONLY), out = open("sfo", O_CREAT | O_RDWR | O_TRUNC, 0644);
	off_t off = 2;
	CHECK_EQ(sendfile(out, in, &off, 0), 0);
	CHECK_EQ(off, 2);
	CHECK_EQ(sendfile(out, in, &off, 3), 3);
	CHECK_EQ(off, 5);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 0);
	CHECK_EQ(sendfile(out, in, NULL, 4), 4);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 4);
	off = 10;
	CHECK_EQ(sendfile(out, in, &off, 4), 0);
	off = -1;
	CHECK_ERR(sendfile(out, in, &off, 4), EINVAL);
	CHECK_ERR(sendfile(out, -1, NULL, 4), EBADF);
	CHECK_ERR(sendfile(-1, in, NULL, 4), EBADF);
	CHECK_ERR(sendfile(in, in, NULL, 4), EBADF); /* in is read-only */
	int wo = open("sf", O_WRONLY);
	CHECK_ERR(sendfile(out, wo, NULL, 4), EBADF);
	close(wo);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(write(p[1], "ab", 2), 2);
	CHECK_EQ(sendfile(p[1], in, NULL, 2), 2); /* to a pipe: fine */
	int app = open("sfo", O_WRONLY | O_APPEND);
	CHECK_ERR(sendfile(app, in, NULL, 2), EINVAL);
	close(app);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(sendfile(out, dir, NULL, 2), EINVAL);
	close(dir);
	close(p[0]);
	close(p[1]);

	/* copy_file_range */
	loff_t a = 0, b = 0;
	CHECK_EQ(copy_file_range(in, &a, out, &b, 0, 0), 0);
	CHECK_ERR(copy_file_range(in, &a, out, &b, 4, 1), EINVAL);
	int rw = open("sf", O_RDWR);
	a = 0;
	b = 2;
	CHECK_ERR(copy_file_range(rw, &a, rw, &b, 4, 0), EINVAL); /* overlap */
	b = 5;
	CHECK_EQ(copy_file_range(rw, &a, rw, &b, 4, 0), 4);
	CHECK_EQ(a, 4);
	CHECK_EQ(b, 9);
	a = INT64_MAX - 2; /* reading past the end: nothing */
	b = 0;
	CHECK_EQ(copy_file_range(in, &a, out, &b, 4, 0), 0);
	CHECK_EQ(b, 0);
	CHECK_ERR(copy_file_range(in, NULL, -1, NULL, 4, 0), EBADF);
	CHECK_ERR(copy_file_range(in, NULL, in, NULL, 4, 0), EBADF); /* in is read-only */
	CHECK_EQ(pipe(p), 0);
	CHECK_ERR(copy_file_range(in, NULL, p[1], NULL, 4, 0), EINVAL);
	close(p[0]);
	close(p[1]);
	close(rw);
	close(in);
	close(out);
}

int main(void)
{
	test_file_pipe();
	test_pipe_pipe();
	test_vmsplice();
	test_sendfile();
	return ltest_done("splice");
}
