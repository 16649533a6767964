/*
 * User buffers the kernel must fault in while it copies: every case takes
 * its buffer from a part of a file mapping that nothing has touched yet,
 * so the kernel's copy is what reads the page from the file (and, on a
 * freshly mounted disk, waits for the disk).  Pipes both ways, wait4 and
 * waitid results, epoll_wait's array, futex words, eventfd, timerfd and
 * signalfd reads, file reads and writes whose buffer maps another file
 * (or the same one) of the same file system, and bad pointers (EFAULT).
 *
 *   t_usermem            makes its files in the current directory
 *   t_usermem FILE [CASE...]
 *                        uses FILE (and FILE's directory) as they are:
 *                        FILE holds pattern() for FILE_SIZE bytes, and
 *                        FILE.other and FILE.self hold it for OTHER_SIZE
 *                        bytes; nothing may have read them since the
 *                        disk was mounted (tests/integration/test_usermem.py
 *                        makes them on the host).  CASEs name the cases
 *                        to run (see main), all by default.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

#define PAGE       4096
#define REGION     (256 * 1024) /* each case has its own, far from the others */
#define NREGIONS   12
#define FILE_SIZE  (NREGIONS * REGION)
#define OTHER_SIZE (64 * 1024)

enum {
	R_PIPE_WRITE,
	R_PIPE_WRITE_SMALL,
	R_PIPE_READ,
	R_WAIT4,
	R_WAITID,
	R_EPOLL,
	R_FUTEX,
	R_EVENTS,
	R_FILE_READ,
	R_FILE_WRITE,
	R_PIPE_WRITERS,
	R_SPARE,
};

/* Byte i of every file: differs from page to page and within a page. */
static unsigned char pattern(uint64_t i)
{
	return (unsigned char)((i >> 12) * 31 + (i & 4095) * 7 + 1);
}

static int matches(const unsigned char *p, uint64_t off, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != pattern(off + i))
			return 0;
	return 1;
}

static const char *path, *other_path, *self_path;
static int fd;
static unsigned char *shared_map, *private_map; /* all of path */

/* An address nothing is mapped at (hidden from the compiler's checks). */
static void *bad_pointer(void)
{
	volatile uintptr_t a = 16;
	return (void *)a;
}

static int make_file(const char *name, size_t size)
{
	int f = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (f < 0)
		return -1;
	static unsigned char buf[PAGE];
	for (size_t off = 0; off < size; off += PAGE) {
		for (size_t i = 0; i < PAGE; i++)
			buf[i] = pattern(off + i);
		if (write(f, buf, PAGE) != PAGE)
			return -1;
	}
	fsync(f);
	return close(f);
}

static unsigned char *region(unsigned char *map, int r)
{
	return map + (size_t)r * REGION;
}

static uint64_t region_off(int r)
{
	return (uint64_t)r * REGION;
}

/* ------------------------------------------------------------ pipes */

static void test_pipe_write_from_mapping(void)
{
	int p[2];
	CHECK(pipe(p) == 0);
	/* 64 KiB, all of the pipe, from 16 untouched pages of a shared mapping */
	size_t n = 64 * 1024;
	static unsigned char back[64 * 1024];
	CHECK_EQ(write(p[1], region(shared_map, R_PIPE_WRITE), n), n);
	CHECK_EQ(read(p[0], back, n), n);
	CHECK(matches(back, region_off(R_PIPE_WRITE), n));
	/* PIPE_BUF bytes (one atomic write) straddling two untouched pages of
	 * a private mapping */
	unsigned char *src = region(private_map, R_PIPE_WRITE_SMALL) + PAGE / 2;
	CHECK_EQ(write(p[1], src, PAGE), PAGE);
	CHECK_EQ(read(p[0], back, sizeof(back)), PAGE);
	CHECK(matches(back, region_off(R_PIPE_WRITE_SMALL) + PAGE / 2, PAGE));
	close(p[0]);
	close(p[1]);
}

static void test_pipe_read_into_mapping(void)
{
	int p[2];
	CHECK(pipe(p) == 0);
	static unsigned char data[10000];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 13 + 5);
	CHECK_EQ(write(p[1], data, sizeof(data)), sizeof(data));
	/* into three untouched pages of a private (copy-on-write) mapping */
	unsigned char *dst = region(private_map, R_PIPE_READ) + 100;
	CHECK_EQ(read(p[0], dst, sizeof(data)), sizeof(data));
	CHECK(memcmp(dst, data, sizeof(data)) == 0);
	/* the rest of those pages is the file's */
	CHECK(matches(dst - 100, region_off(R_PIPE_READ), 100));
	CHECK(matches(dst + sizeof(data), region_off(R_PIPE_READ) + 100 + sizeof(data),
	              3 * PAGE - 100 - sizeof(data)));
	/* the file itself did not change */
	CHECK(matches(region(shared_map, R_PIPE_READ), region_off(R_PIPE_READ), 3 * PAGE));
	close(p[0]);
	close(p[1]);
}

/* Writers whose pages are all missing copy with the pipe's lock dropped,
 * one at a time: each PIPE_BUF record must still arrive whole. */
static void test_pipe_concurrent_writers(void)
{
	enum { WRITERS = 4, RECORDS = REGION / PAGE / WRITERS };
	int p[2];
	CHECK(pipe(p) == 0);
	for (int w = 0; w < WRITERS; w++) {
		if (fork() == 0) {
			close(p[0]);
			unsigned char *base = region(private_map, R_PIPE_WRITERS);
			for (int r = 0; r < RECORDS; r++)
				if (write(p[1], base + (size_t)(w * RECORDS + r) * PAGE, PAGE) !=
				    PAGE)
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	static unsigned char rec[PAGE];
	static char seen[WRITERS * RECORDS];
	int whole = 0, got = 0;
	ssize_t n;
	while ((n = read(p[0], rec, PAGE)) == PAGE) {
		got++;
		/* which page of the region this record is, from its first byte's
		 * page term: pattern() differs from page to page */
		for (int k = 0; k < WRITERS * RECORDS; k++) {
			uint64_t off = region_off(R_PIPE_WRITERS) + (uint64_t)k * PAGE;
			if (!seen[k] && matches(rec, off, PAGE)) {
				seen[k] = 1;
				whole++;
				break;
			}
		}
	}
	CHECK_EQ(n, 0);
	CHECK_EQ(got, WRITERS * RECORDS);
	CHECK_EQ(whole, WRITERS * RECORDS);
	for (int w = 0; w < WRITERS; w++) {
		int st = -1;
		CHECK(wait(&st) > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	close(p[0]);
}

static void test_pipe_bad_pointers(void)
{
	int p[2];
	CHECK(pipe(p) == 0);
	CHECK_ERR(write(p[1], bad_pointer(), 10), EFAULT);
	CHECK_ERR(write(p[1], (char *)bad_pointer() - 4112, 10), EFAULT);
	CHECK_EQ(write(p[1], "abcdef", 6), 6);
	/* a failed read leaves the data in the pipe */
	CHECK_ERR(read(p[0], bad_pointer(), 6), EFAULT);
	char buf[8] = {0};
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 6);
	CHECK(memcmp(buf, "abcdef", 6) == 0);
	/* a read-only page cannot be read into */
	CHECK_EQ(write(p[1], "xyz", 3), 3);
	CHECK_ERR(read(p[0], region(shared_map, R_SPARE), 3), EFAULT);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 3);
	close(p[0]);
	close(p[1]);
}

/* ------------------------------------------------------------ wait */

static pid_t child_exiting(int status)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(status);
	return pid;
}

static void test_wait_into_mapping(void)
{
	unsigned char *base = region(private_map, R_WAIT4);
	int *status = (int *)(base + 8);
	/* a struct rusage straddling the next two untouched pages */
	struct rusage *ru = (struct rusage *)(base + 2 * PAGE - 64);
	pid_t pid = child_exiting(42);
	CHECK(pid > 0);
	CHECK_EQ(wait4(pid, status, 0, ru), pid);
	CHECK(WIFEXITED(*status) && WEXITSTATUS(*status) == 42);
	CHECK(ru->ru_utime.tv_sec >= 0 && ru->ru_utime.tv_usec < 1000000);
	CHECK(matches(base, region_off(R_WAIT4), 8));

	/* waitid's siginfo straddling two untouched pages */
	siginfo_t *si = (siginfo_t *)(region(private_map, R_WAITID) + PAGE - 40);
	pid = child_exiting(7);
	CHECK(pid > 0);
	CHECK_EQ(waitid(P_PID, pid, si, WEXITED), 0);
	CHECK_EQ(si->si_pid, pid);
	CHECK_EQ(si->si_status, 7);
	CHECK_EQ(si->si_code, CLD_EXITED);

	/* a bad status pointer: EFAULT, and (as on Linux) the child is reaped */
	pid = child_exiting(1);
	CHECK(pid > 0);
	siginfo_t ready;
	memset(&ready, 0, sizeof(ready));
	CHECK_EQ(waitid(P_PID, pid, &ready, WEXITED | WNOWAIT), 0);
	CHECK_ERR(wait4(pid, (int *)bad_pointer(), 0, NULL), EFAULT);
	CHECK_ERR(wait4(pid, NULL, WNOHANG, NULL), ECHILD);
}

/* ------------------------------------------------------------ epoll, futex, fds */

static void test_epoll_into_mapping(void)
{
	int ep = epoll_create1(0), ev = eventfd(1, 0);
	CHECK(ep >= 0 && ev >= 0);
	struct epoll_event e = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ULL};
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, ev, &e) == 0);
	/* the array starts 4 bytes before an untouched page */
	struct epoll_event *out =
	    (struct epoll_event *)(region(private_map, R_EPOLL) + 2 * PAGE - 4);
	CHECK_EQ(epoll_wait(ep, out, 4, 1000), 1);
	CHECK_EQ(out[0].events, EPOLLIN);
	CHECK(out[0].data.u64 == 0x1122334455667788ULL);
	CHECK_ERR(epoll_wait(ep, (struct epoll_event *)bad_pointer(), 4, 1000), EFAULT);
	close(ev);
	close(ep);
}

static long futex(void *word, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, word, op, val, ts, NULL, 0);
}

static void test_futex_in_mapping(void)
{
	unsigned char *base = region(shared_map, R_FUTEX);
	uint32_t word;
	/* the kernel reads the word from an untouched page */
	memcpy(&word,
	       (unsigned char[4]){pattern(region_off(R_FUTEX)), pattern(region_off(R_FUTEX) + 1),
	                          pattern(region_off(R_FUTEX) + 2),
	                          pattern(region_off(R_FUTEX) + 3)},
	       4);
	CHECK_ERR(futex(base, FUTEX_WAIT, word + 1, NULL), EAGAIN);
	/* the right value sleeps until the timeout */
	unsigned char *b2 = base + PAGE;
	uint64_t o2 = region_off(R_FUTEX) + PAGE;
	uint32_t w2 = (uint32_t)pattern(o2) | (uint32_t)pattern(o2 + 1) << 8 |
	              (uint32_t)pattern(o2 + 2) << 16 | (uint32_t)pattern(o2 + 3) << 24;
	struct timespec ts = {0, 10 * 1000 * 1000};
	CHECK_ERR(futex(b2, FUTEX_WAIT, w2, &ts), ETIMEDOUT);
	CHECK_EQ(futex(base + 2 * PAGE, FUTEX_WAKE, 1, NULL), 0);
	CHECK_ERR(futex(bad_pointer(), FUTEX_WAIT, 0, NULL), EFAULT);
}

static void test_fd_reads_into_mapping(void)
{
	unsigned char *base = region(private_map, R_EVENTS);
	/* eventfd: 8 bytes straddling two untouched pages */
	int ev = eventfd(5, 0);
	CHECK(ev >= 0);
	uint64_t *v = (uint64_t *)(base + PAGE - 4);
	CHECK_EQ(read(ev, v, 8), 8);
	CHECK_EQ(*v, 5);
	close(ev);
	/* timerfd: its expiry count */
	int tf = timerfd_create(CLOCK_MONOTONIC, 0);
	CHECK(tf >= 0);
	struct itimerspec its = {.it_value = {0, 1000 * 1000}};
	CHECK(timerfd_settime(tf, 0, &its, NULL) == 0);
	uint64_t *t = (uint64_t *)(base + 3 * PAGE - 4);
	CHECK_EQ(read(tf, t, 8), 8);
	CHECK_EQ(*t, 1);
	close(tf);
	/* signalfd: a record straddling two more untouched pages */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	int sf = signalfd(-1, &set, 0);
	CHECK(sf >= 0);
	CHECK(raise(SIGUSR1) == 0);
	struct signalfd_siginfo *rec = (struct signalfd_siginfo *)(base + 5 * PAGE - 64);
	CHECK_EQ(read(sf, rec, sizeof(*rec)), sizeof(*rec));
	CHECK_EQ(rec->ssi_signo, SIGUSR1);
	close(sf);
	CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
}

/* ------------------------------------------------------------ files */

/* The buffer maps a file of the same file system: the copy faults in a
 * page of that file while the read or write is under way. */
static void test_file_io_with_mapped_buffer(void)
{
	int other = open(other_path, O_RDONLY);
	CHECK(other >= 0);
	unsigned char *dst = region(private_map, R_FILE_READ) + 300;
	CHECK_EQ(read(other, dst, 3 * PAGE), 3 * PAGE);
	CHECK(matches(dst, 0, 3 * PAGE));
	CHECK(matches(dst - 300, region_off(R_FILE_READ), 300));
	close(other);

	char out_path[4200];
	snprintf(out_path, sizeof(out_path), "%s.out", path);
	int out = open(out_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(out >= 0);
	unsigned char *src = region(shared_map, R_FILE_WRITE) + 500;
	CHECK_EQ(write(out, src, 3 * PAGE), 3 * PAGE);
	static unsigned char back[3 * PAGE];
	CHECK_EQ(pread(out, back, sizeof(back), 0), sizeof(back));
	CHECK(matches(back, region_off(R_FILE_WRITE) + 500, sizeof(back)));
	CHECK_ERR(write(out, bad_pointer(), 10), EFAULT);
	CHECK_ERR(pread(out, bad_pointer(), 10, 0), EFAULT);
	close(out);
	unlink(out_path);

	/* a file read into a mapping of that same file, nothing cached yet */
	int self = open(self_path, O_RDONLY);
	CHECK(self >= 0);
	unsigned char *m = mmap(NULL, OTHER_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, self, 0);
	CHECK(m != MAP_FAILED);
	if (m != MAP_FAILED) {
		CHECK_EQ(read(self, m + 2 * PAGE + 10, 2 * PAGE), 2 * PAGE);
		CHECK(matches(m + 2 * PAGE + 10, 0, 2 * PAGE));
		CHECK(matches(m, 0, 2 * PAGE + 10));
		munmap(m, OTHER_SIZE);
	}
	close(self);
}

int main(int argc, char **argv)
{
	static char other[4200], self[4200];
	path = argc > 1 ? argv[1] : "usermem.bin";
	snprintf(other, sizeof(other), "%s.other", path);
	snprintf(self, sizeof(self), "%s.self", path);
	other_path = other;
	self_path = self;
	if (argc <= 1) {
		CHECK(make_file(path, FILE_SIZE) == 0);
		CHECK(make_file(other_path, OTHER_SIZE) == 0);
		CHECK(make_file(self_path, OTHER_SIZE) == 0);
	}
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	shared_map = mmap(NULL, FILE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	private_map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(shared_map != MAP_FAILED && private_map != MAP_FAILED);
	if (fd < 0 || shared_map == MAP_FAILED || private_map == MAP_FAILED)
		return ltest_done("t_usermem");
	static const struct {
		const char *name;
		void (*fn)(void);
	} cases[] = {
	    {"pipe_write", test_pipe_write_from_mapping},
	    {"pipe_read", test_pipe_read_into_mapping},
	    {"pipe_writers", test_pipe_concurrent_writers},
	    {"pipe_efault", test_pipe_bad_pointers},
	    {"wait", test_wait_into_mapping},
	    {"epoll", test_epoll_into_mapping},
	    {"futex", test_futex_in_mapping},
	    {"fd_reads", test_fd_reads_into_mapping},
	    {"file_io", test_file_io_with_mapped_buffer},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int run = argc <= 2;
		for (int a = 2; a < argc; a++)
			run |= strcmp(argv[a], cases[i].name) == 0;
		if (run)
			cases[i].fn();
	}
	if (argc <= 1) {
		unlink(path);
		unlink(other_path);
		unlink(self_path);
	}
	return ltest_done("t_usermem");
}
