/*
 * Memory calls as Linux does them: anonymous and file mappings (private
 * and shared), their coherence with read and write, copy-on-write,
 * SIGBUS past the end of a file, mprotect, munmap and mprotect splitting
 * mappings, mremap, madvise, msync, mincore, the mlock family and brk.
 *
 * Skips probe what qemu-user (the host runner) gets wrong, never a
 * missing call.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

#define PG        4096L
#define FILE_SIZE (2 * PG + 100) /* two whole pages and a bit */

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 7 + 3);
}

/* A file of FILE_SIZE pattern bytes; returns an O_RDWR descriptor. */
static int make_file(const char *name)
{
	static unsigned char buf[FILE_SIZE];
	for (long i = 0; i < FILE_SIZE; i++)
		buf[i] = pattern(i);
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, buf, FILE_SIZE), FILE_SIZE);
	return fd;
}

/* The byte at off through read(), not through any mapping. */
static int byte_at(int fd, long off)
{
	unsigned char c = 0;
	if (lseek(fd, off, SEEK_SET) != off || read(fd, &c, 1) != 1)
		return -1;
	return c;
}

static long write_at(int fd, const char *s, long off)
{
	if (lseek(fd, off, SEEK_SET) != off)
		return -1;
	return write(fd, s, strlen(s));
}

/* Runs fn(arg) in a child and returns its wait status; -1 (a failed
 * check) when fork or waitpid fails. */
static int in_child(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	int status = 0;
	pid_t waited = waitpid(pid, &status, 0);
	CHECK_EQ(waited, pid);
	return waited == pid ? status : -1;
}

static bool killed_by(int status, int sig)
{
	return status >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

static void touch_read(void *p)
{
	(void)*(volatile char *)p;
}

static void touch_write(void *p)
{
	*(volatile char *)p = 1;
}

static void test_anonymous(void)
{
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(((uintptr_t)p) % PG, 0);
	CHECK_EQ(p[0] + p[3 * PG - 1], 0);
	memset(p, 0x5a, 3 * PG);
	CHECK_EQ(p[2 * PG + 17], 0x5a);
	CHECK_EQ(munmap(p, 3 * PG), 0);
	/* a length that is not a page multiple maps the whole last page */
	p = mmap(NULL, 10, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	p[PG - 1] = 1;
	CHECK_EQ(munmap(p, 10), 0);

	CHECK_ERR((long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR((long)mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR((long)mmap((void *)0x10000123, PG, PROT_READ,
	                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
	          EINVAL);
	CHECK_ERR(munmap(NULL, 0), EINVAL);
	CHECK_ERR(munmap((void *)0x10001, PG), EINVAL);
	/* flags that need nothing special here */
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
	         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK | MAP_GROWSDOWN, -1, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		p[PG] = 3;
		CHECK_EQ(p[PG], 3);
		munmap(p, 2 * PG);
	}
}

static void test_fixed(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	memset(p, 1, 4 * PG);
	/* MAP_FIXED replaces what was there with fresh zero pages */
	char *q = mmap(p + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	               -1, 0);
	CHECK(q == p + PG);
	CHECK_EQ(q[0], 0);
	CHECK_EQ(p[0], 1);
	CHECK_EQ(p[2 * PG], 1);
	/* a kernel that does not know MAP_FIXED_NOREPLACE takes it as a hint
	 * (mmap(2)); so does qemu-user 7.2 */
	q = mmap(p + 2 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
	         0);
	if (q != MAP_FAILED && q != p + 2 * PG) {
		SKIP("MAP_FIXED_NOREPLACE is taken as a hint: no EEXIST check");
		munmap(q, PG);
	} else {
		CHECK(q == MAP_FAILED && errno == EEXIST);
	}
	CHECK_EQ(p[2 * PG], 1);
	CHECK_EQ(munmap(p + 3 * PG, PG), 0);
	q = mmap(p + 3 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
	         0);
	CHECK(q == p + 3 * PG);
	munmap(p, 4 * PG);
}

static void test_file_private(void)
{
	int fd = make_file("private");
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	bool same = true;
	for (long i = 0; i < FILE_SIZE; i++)
		same = same && (unsigned char)p[i] == pattern(i);
	CHECK(same);
	/* the rest of the last page reads as zeros */
	CHECK_EQ(p[FILE_SIZE] + p[3 * PG - 1], 0);
	/* a private store is the mapping's own: not in the file, not in a
	 * second mapping */
	p[PG + 5] = 'X';
	CHECK_EQ(byte_at(fd, PG + 5), pattern(PG + 5));
	char *q = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, PG);
	CHECK(q != MAP_FAILED);
	CHECK_EQ((unsigned char)q[5], pattern(PG + 5));
	CHECK_EQ((unsigned char)q[0], pattern(PG));
	/* a write to the file shows in pages the mapping never wrote */
	CHECK_EQ(write_at(fd, "W", 7), 1);
	CHECK_EQ(p[7], 'W');
	CHECK_EQ(p[PG + 5], 'X');
	/* RELRO: read-only after the write, the data stays */
	CHECK_EQ(mprotect(p, PG, PROT_READ), 0);
	CHECK_EQ(p[7], 'W');
	munmap(q, 2 * PG);
	munmap(p, 3 * PG);
	close(fd);
}

static void test_file_shared(void)
{
	int fd = make_file("shared");
	char *p = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	CHECK_EQ((unsigned char)p[PG + 1], pattern(PG + 1));
	/* stores reach read() at once, and write() reaches the mapping */
	p[3] = 'S';
	p[2 * PG + 99] = 'T';
	CHECK_EQ(byte_at(fd, 3), 'S');
	CHECK_EQ(byte_at(fd, 2 * PG + 99), 'T');
	CHECK_EQ(write_at(fd, "w", PG), 1);
	CHECK_EQ(p[PG], 'w');
	/* a second shared mapping at another offset sees the same pages */
	char *q = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
	CHECK(q != MAP_FAILED);
	CHECK_EQ(q[0], 'w');
	q[1] = 'q';
	CHECK_EQ(p[PG + 1], 'q');
	CHECK_EQ(msync(p, 3 * PG, MS_SYNC), 0);
	CHECK_EQ(msync(p, PG, MS_ASYNC), 0);
	CHECK_EQ(msync(p, PG, MS_INVALIDATE), 0);
	munmap(q, PG);
	/* the mapping outlives the descriptor; munmap writes it back */
	close(fd);
	p[4] = 'C';
	CHECK_EQ(munmap(p, FILE_SIZE), 0);
	fd = open("shared", O_RDONLY);
	char buf[8];
	CHECK_EQ(read(fd, buf, 5), 5);
	CHECK_EQ(buf[3], 'S');
	CHECK_EQ(buf[4], 'C');
	CHECK_EQ(byte_at(fd, PG + 1), 'q');
	struct stat st;
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, FILE_SIZE); /* stores past the end never grow it */
	close(fd);
}

static void test_mmap_errors(void)
{
	int fd = make_file("errors");
	close(fd);
	int ro = open("errors", O_RDONLY), wo = open("errors", O_WRONLY);
	CHECK(ro >= 0 && wo >= 0);
	CHECK_ERR((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
	CHECK_ERR((long)mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	/* private copies may be written whatever the open mode */
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	CHECK(p != MAP_FAILED);
	p[0] = 1;
	munmap(p, PG);
	/* a read-only shared mapping cannot become writable */
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
	CHECK(p != MAP_FAILED);
	CHECK_ERR(mprotect(p, PG, PROT_READ | PROT_WRITE), EACCES);
	munmap(p, PG);
	CHECK_ERR((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, ro, 100), EINVAL);
	CHECK_ERR((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 1000, 0), EBADF);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED_VALIDATE, ro, 0);
	if (p == MAP_FAILED && errno == EINVAL) {
		/* before Linux 4.15, and qemu-user 7.2 */
		SKIP("MAP_SHARED_VALIDATE is unknown here");
	} else {
		CHECK(p != MAP_FAILED);
		CHECK_EQ((unsigned char)p[1], pattern(1));
		munmap(p, PG);
		CHECK_ERR((long)mmap(NULL, PG, PROT_READ, MAP_SHARED_VALIDATE | 0x40, ro, 0),
		          EOPNOTSUPP);
	}
	CHECK_ERR((long)mmap(NULL, PG, PROT_READ, 0, ro, 0), EINVAL);
	CHECK_ERR((long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE, ro, 0), EINVAL);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	CHECK(dir >= 0);
	CHECK_ERR((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, dir, 0), ENODEV);
	close(dir);
	int pfd[2] = {-1, -1};
	CHECK_EQ(pipe(pfd), 0);
	CHECK_ERR((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, pfd[0], 0), ENODEV);
	CHECK_ERR((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, pfd[1], 0), EACCES);
	close(pfd[0]);
	close(pfd[1]);
	close(ro);
	close(wo);
}

static void test_dev_zero(void)
{
	int fd = open("/dev/zero", O_RDWR);
	CHECK(fd >= 0);
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		CHECK_EQ(p[0] + p[2 * PG - 1], 0);
		p[PG] = 9;
		CHECK_EQ(p[PG], 9);
		munmap(p, 2 * PG);
	}
	close(fd);
}

static void child_store(void *arg)
{
	((volatile char *)arg)[0] = 'K';
}

static void test_fork_sharing(void)
{
	char *shared = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *private = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(shared != MAP_FAILED && private != MAP_FAILED);
	shared[0] = private[0] = 'P';
	int st = in_child(child_store, shared);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_EQ(shared[0], 'K');
	st = in_child(child_store, private);
	CHECK_EQ(private[0], 'P'); /* copy-on-write kept it */
	/* a child's stores through a shared file mapping, without msync,
	 * reach the file by its exit */
	int fd = make_file("forked");
	char *f = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(f != MAP_FAILED);
	st = in_child(child_store, f);
	CHECK_EQ(f[0], 'K');
	CHECK_EQ(byte_at(fd, 0), 'K');
	munmap(f, PG);
	close(fd);
	munmap(shared, PG);
	munmap(private, PG);
}

static void test_sigbus_past_eof(void)
{
	int fd = open("short", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_EQ(write(fd, "0123456789", 10), 10);
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(p[9], '9');
	CHECK_EQ(p[10] + p[PG - 1], 0); /* in the last page: zeros */
	/* the kernel reading a page past the end fails the call */
	CHECK_ERR(write(fd, p + PG, 1), EFAULT);
	CHECK(killed_by(in_child(touch_read, p + PG), SIGBUS));
	CHECK(killed_by(in_child(touch_write, p + 2 * PG + 5), SIGBUS));
	munmap(p, 3 * PG);
	close(fd);
}

static void test_mprotect_and_split(void)
{
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	memset(p, 'a', 3 * PG);
	CHECK_EQ(mprotect(p + PG, PG, PROT_READ), 0);
	p[0] = p[2 * PG] = 'b'; /* the neighbours stay writable */
	CHECK_EQ(p[PG], 'a');
	CHECK_ERR(mprotect(p + 1, PG, PROT_READ), EINVAL);
	CHECK_ERR(mprotect(p, PG, 0x100), EINVAL);
	CHECK(killed_by(in_child(touch_write, p + PG), SIGSEGV));
	CHECK_EQ(mprotect(p, PG, PROT_NONE), 0);
	CHECK(killed_by(in_child(touch_read, p), SIGSEGV));
	CHECK_EQ(mprotect(p, PG, PROT_READ | PROT_WRITE), 0);
	CHECK_EQ(p[0], 'b');
	/* a hole in the middle; the rest keeps its data */
	CHECK_EQ(munmap(p + PG, PG), 0);
	CHECK_EQ(p[0], 'b');
	CHECK_EQ(p[2 * PG + 1], 'a');
	CHECK_ERR(mprotect(p, 3 * PG, PROT_READ), ENOMEM);
	CHECK(killed_by(in_child(touch_read, p + PG), SIGSEGV));
	CHECK_EQ(munmap(p, 3 * PG), 0);
	CHECK_EQ(munmap(p, 3 * PG), 0); /* nothing mapped: still fine */
}

static void test_mremap(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	for (long i = 0; i < 4 * PG; i++)
		p[i] = (char)pattern(i);
	/* shrink in place */
	CHECK(mremap(p, 4 * PG, 2 * PG, 0) == p);
	unsigned char vec[4];
	CHECK_ERR(mincore(p + 2 * PG, PG, vec), ENOMEM);
	/* grow in place into the freed pages */
	CHECK(mremap(p, 2 * PG, 3 * PG, 0) == p);
	CHECK_EQ((unsigned char)p[PG + 3], pattern(PG + 3));
	CHECK_EQ(p[2 * PG + 3], 0);
	/* blocked above: ENOMEM unless it may move, then the data moves */
	char *block =
	    mmap(p + 3 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(block == p + 3 * PG);
	CHECK_ERR((long)mremap(p, 3 * PG, 5 * PG, 0), ENOMEM);
	char *m = mremap(p, 3 * PG, 5 * PG, MREMAP_MAYMOVE);
	CHECK(m != MAP_FAILED && m != p);
	bool same = true;
	for (long i = 0; i < 2 * PG; i++)
		same = same && (unsigned char)m[i] == pattern(i);
	CHECK(same);
	CHECK_EQ(m[5 * PG - 1], 0);
	CHECK_ERR(mincore(p, PG, vec), ENOMEM); /* the old place is gone */
	CHECK_ERR((long)mremap(p, PG, 2 * PG, MREMAP_MAYMOVE), EFAULT);
	/* to a chosen place */
	char *dst = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(dst != MAP_FAILED);
	char *f = mremap(m, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	CHECK(f == dst);
	CHECK_EQ((unsigned char)f[1], pattern(1));
	CHECK_EQ((unsigned char)m[PG + 1], pattern(PG + 1)); /* the rest stayed */
	CHECK_ERR((long)mremap(m + PG, PG, PG, MREMAP_FIXED, dst), EINVAL);
	CHECK_ERR((long)mremap(m + 1, PG, PG, 0), EINVAL);
	CHECK_ERR((long)mremap(m + PG, PG, 2 * PG, 0x80), EINVAL);
	munmap(f, 2 * PG);
	munmap(m, 5 * PG);
	munmap(block, PG);
	/* a file mapping moves with its offset */
	int fd = make_file("remap");
	char *fp = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(mmap(fp, PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, PG) == fp);
	char *blk = fp + PG; /* still anonymous: blocks growth in place */
	char *fm = mremap(fp, PG, 2 * PG, MREMAP_MAYMOVE);
	CHECK(fm != MAP_FAILED);
	CHECK_EQ((unsigned char)fm[PG + 50], pattern(2 * PG + 50));
	munmap(fm, 2 * PG);
	munmap(blk, PG);
	close(fd);
}

static void test_madvise(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 7, 2 * PG);
	CHECK_EQ(madvise(p, PG, MADV_DONTNEED), 0);
	CHECK_EQ(p[0] + p[PG - 1], 0);
	CHECK_EQ(p[PG], 7);
	CHECK_EQ(madvise(p, 2 * PG, MADV_FREE), 0);
	CHECK_EQ(madvise(p, 2 * PG, MADV_NORMAL), 0);
	CHECK_EQ(madvise(p, 2 * PG, MADV_RANDOM), 0);
	CHECK_EQ(madvise(p, 2 * PG, MADV_SEQUENTIAL), 0);
	CHECK_EQ(madvise(p, 2 * PG, MADV_WILLNEED), 0);
	CHECK_ERR(madvise(p + 1, PG, MADV_NORMAL), EINVAL);
	CHECK_EQ(madvise(p, 0, MADV_DONTNEED), 0);
	/* qemu-user 7.2 takes any advice on any range: probe it */
	bool validates = madvise(p, PG, 12345) != 0;
	if (validates) {
		CHECK_EQ(errno, EINVAL);
		munmap(p + PG, PG);
		CHECK_ERR(madvise(p, 2 * PG, MADV_NORMAL), ENOMEM);
	} else {
		SKIP("madvise takes unknown advice: no madvise error checks");
	}
	munmap(p, 2 * PG);

	int fd = make_file("advice");
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	p[0] = 'Z';
	CHECK_EQ(madvise(p, PG, MADV_DONTNEED), 0);
	CHECK_EQ((unsigned char)p[0], pattern(0)); /* back to the file */
	if (validates)
		CHECK_ERR(madvise(p, PG, MADV_FREE), EINVAL); /* anonymous only */
	munmap(p, PG);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	p[0] = 'Y';
	CHECK_EQ(madvise(p, PG, MADV_DONTNEED), 0);
	CHECK_EQ(p[0], 'Y'); /* shared data is the file's */
	munmap(p, PG);
	CHECK_EQ(byte_at(fd, 0), 'Y');
	close(fd);
}

static void test_msync_mincore_mlock(void)
{
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_ERR(msync(p, PG, MS_SYNC | MS_ASYNC), EINVAL);
	CHECK_ERR(msync(p, PG, 0x40), EINVAL);
	CHECK_ERR(msync(p + 1, PG, MS_SYNC), EINVAL);
	CHECK_EQ(msync(p, PG, MS_SYNC), 0);
	unsigned char vec[3] = {9, 9, 9};
	p[PG] = 1;
	CHECK_EQ(mincore(p, 3 * PG, vec), 0);
	CHECK_EQ(vec[0] & 1, 0);
	CHECK_EQ(vec[1] & 1, 1);
	CHECK_EQ(vec[2] & 1, 0);
	CHECK_ERR(mincore(p + 1, PG, vec), EINVAL);
	CHECK_ERR(mincore(p, PG, (unsigned char *)8), EFAULT);
	CHECK_EQ(mlock(p + 2 * PG + 5, 10), 0);
	CHECK_EQ(mincore(p, 3 * PG, vec), 0);
	CHECK_EQ(vec[2] & 1, 1); /* locked pages are resident */
	CHECK_EQ(munlock(p, 3 * PG), 0);
	if (mlock2(p, PG, MLOCK_ONFAULT) == 0) {
		CHECK_ERR(mlock2(p, PG, 0x10), EINVAL);
		CHECK_EQ(munlock(p, PG), 0);
	} else {
		/* qemu-user 7.2 has no mlock2; Scarlet must (test_linux.py
		 * fails on this skip there) */
		CHECK_EQ(errno, ENOSYS);
		SKIP("no mlock2 here (qemu-user 7.2)");
	}
	munmap(p + PG, PG);
	CHECK_ERR(msync(p, 3 * PG, MS_SYNC), ENOMEM);
	CHECK_ERR(mincore(p, 3 * PG, vec), ENOMEM);
	CHECK_ERR(mlock(p, 3 * PG), ENOMEM);
	CHECK_ERR(munlock(p, 3 * PG), ENOMEM);
	CHECK_ERR(mlockall(0), EINVAL);
	CHECK_ERR(mlockall(MCL_ONFAULT), EINVAL);
	CHECK_EQ(munlockall(), 0);
	munmap(p, 3 * PG);
	/* MAP_POPULATE (qemu-user does not pass it on: no mincore check) */
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
	         -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(p[PG], 0);
	munmap(p, 2 * PG);
}

static void test_brk(void)
{
	char *start = (char *)syscall(SYS_brk, 0);
	CHECK(start != NULL);
	char *top = (char *)syscall(SYS_brk, start + 3 * PG);
	CHECK(top == start + 3 * PG);
	memset(start, 'h', 3 * PG);
	/* shrink, then grow again: fresh zero pages */
	char *base = (char *)(((uintptr_t)start + PG - 1) & ~(uintptr_t)(PG - 1));
	CHECK((char *)syscall(SYS_brk, base) == base);
	CHECK((char *)syscall(SYS_brk, base + 2 * PG) == base + 2 * PG);
	CHECK_EQ(base[PG], 0);
	/* below the start of the heap: unchanged */
	CHECK((char *)syscall(SYS_brk, (char *)4096) == base + 2 * PG);
	CHECK((char *)syscall(SYS_brk, start) == start);
}

int main(void)
{
	test_anonymous();
	test_fixed();
	test_file_private();
	test_file_shared();
	test_mmap_errors();
	test_dev_zero();
	test_fork_sharing();
	test_sigbus_past_eof();
	test_mprotect_and_split();
	test_mremap();
	test_madvise();
	test_msync_mincore_mlock();
	test_brk();
	return ltest_done("mem");
}
