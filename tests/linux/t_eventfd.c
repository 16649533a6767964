/*
 * eventfd: the counter, semaphore mode, non-blocking and blocking reads
 * and writes, the overflow bound, poll, flags and errors.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

static int readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT};
	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

static void test_counter(void)
{
	int fd = eventfd(3, EFD_NONBLOCK);
	CHECK(fd >= 0);
	uint64_t v = 0;
	CHECK_EQ(readable(fd), POLLIN | POLLOUT);
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 3);
	CHECK_EQ(readable(fd), POLLOUT);
	CHECK_ERR(read(fd, &v, sizeof(v)), EAGAIN);
	v = 5;
	CHECK_EQ(write(fd, &v, sizeof(v)), 8);
	v = 7;
	CHECK_EQ(write(fd, &v, sizeof(v)), 8);
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 12);
	/* short buffers and the forbidden value */
	char small[4];
	CHECK_ERR(read(fd, small, sizeof(small)), EINVAL);
	CHECK_ERR(write(fd, small, sizeof(small)), EINVAL);
	v = UINT64_MAX;
	CHECK_ERR(write(fd, &v, sizeof(v)), EINVAL);
	/* a larger read buffer takes 8 bytes */
	uint64_t big[2] = {0, 99};
	v = 1;
	CHECK_EQ(write(fd, &v, sizeof(v)), 8);
	CHECK_EQ(read(fd, big, sizeof(big)), 8);
	CHECK_EQ(big[0], 1);
	CHECK_EQ(big[1], 99);
	/* at most 2^64 - 2: then writes would block */
	v = UINT64_MAX - 1;
	CHECK_EQ(write(fd, &v, sizeof(v)), 8);
	CHECK_EQ(readable(fd), POLLIN);
	v = 1;
	CHECK_ERR(write(fd, &v, sizeof(v)), EAGAIN);
	v = 0;
	CHECK_EQ(write(fd, &v, sizeof(v)), 8); /* adding 0 always fits */
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, UINT64_MAX - 1);
	close(fd);
}

static void test_semaphore(void)
{
	int fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	CHECK(fd >= 0);
	uint64_t v = 0;
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 1);
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 1);
	CHECK_ERR(read(fd, &v, sizeof(v)), EAGAIN);
	close(fd);
}

/* A blocked read wakes when another process writes. */
static void test_blocking_read(void)
{
	int fd = eventfd(0, 0);
	CHECK(fd >= 0);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		uint64_t v = 42;
		_exit(write(fd, &v, sizeof(v)) == 8 ? 0 : 1);
	}
	uint64_t v = 0;
	struct pollfd p = {.fd = fd, .events = POLLIN};
	CHECK_EQ(poll(&p, 1, 5000), 1);
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 42);
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK_EQ(st, 0);

	pid = fork();
	if (pid == 0) {
		usleep(50000);
		uint64_t w = 9;
		_exit(write(fd, &w, sizeof(w)) == 8 ? 0 : 1);
	}
	CHECK_EQ(read(fd, &v, sizeof(v)), 8); /* sleeps until the child writes */
	CHECK_EQ(v, 9);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK_EQ(st, 0);
	close(fd);
}

static void test_flags_and_errors(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	struct stat st;
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_mode & 0777, 0600);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0); /* Linux: a seek that does nothing */
	char link[64] = {0};
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (readlink(path, link, sizeof(link) - 1) > 0)
		CHECK_STR(link, "anon_inode:[eventfd]");
	else
		SKIP("no /proc/self/fd");
	close(fd);
	CHECK_ERR(eventfd(0, 0x4242), EINVAL);
}

int main(void)
{
	test_counter();
	test_semaphore();
	test_blocking_read();
	test_flags_and_errors();
	return ltest_done("eventfd");
}
