/*
 * signalfd: reading blocked signals as records (kill, sigqueue, SIGCHLD),
 * several per read, non-blocking and blocking reads, poll and epoll,
 * changing the set, flags and errors.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

static sigset_t set_of(int a, int b)
{
	sigset_t s;
	sigemptyset(&s);
	if (a)
		sigaddset(&s, a);
	if (b)
		sigaddset(&s, b);
	return s;
}

static int pollin(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	int r = poll(&p, 1, ms);
	return r < 0 ? -1 : p.revents;
}

static void test_read_records(void)
{
	sigset_t s = set_of(SIGUSR1, SIGUSR2);
	int fd = signalfd(-1, &s, SFD_NONBLOCK | SFD_CLOEXEC);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	struct signalfd_siginfo si[2];
	CHECK_ERR(read(fd, si, sizeof(si)), EAGAIN);
	CHECK_EQ(pollin(fd, 0), 0);

	CHECK_EQ(kill(getpid(), SIGUSR1), 0);
	CHECK_EQ(pollin(fd, 0), POLLIN);
	sigset_t pending;
	sigpending(&pending);
	CHECK(sigismember(&pending, SIGUSR1));
	memset(si, 0xff, sizeof(si));
	CHECK_EQ(read(fd, si, sizeof(si)), (long)sizeof(si[0]));
	CHECK_EQ(si[0].ssi_signo, SIGUSR1);
	CHECK_EQ(si[0].ssi_code, SI_USER);
	CHECK_EQ(si[0].ssi_pid, getpid());
	CHECK_EQ(si[0].ssi_uid, getuid());
	CHECK_EQ(si[0].ssi_errno, 0);
	sigpending(&pending);
	CHECK(!sigismember(&pending, SIGUSR1));
	CHECK_EQ(pollin(fd, 0), 0);

	/* two pending: both in one read, lowest number first */
	union sigval v = {.sival_int = 4242};
	CHECK_EQ(sigqueue(getpid(), SIGUSR2, v), 0);
	CHECK_EQ(kill(getpid(), SIGUSR1), 0);
	CHECK_EQ(read(fd, si, sizeof(si)), (long)sizeof(si));
	CHECK_EQ(si[0].ssi_signo, SIGUSR1);
	CHECK_EQ(si[1].ssi_signo, SIGUSR2);
	CHECK_EQ(si[1].ssi_code, SI_QUEUE);
	CHECK_EQ(si[1].ssi_int, 4242);
	CHECK_EQ(si[1].ssi_pid, getpid());

	char small[64];
	CHECK_ERR(read(fd, small, sizeof(small)), EINVAL);

	/* a signal outside the set stays pending */
	sigset_t only2 = set_of(SIGUSR2, 0);
	CHECK_EQ(signalfd(fd, &only2, 0), fd);
	CHECK_EQ(kill(getpid(), SIGUSR1), 0);
	CHECK_ERR(read(fd, si, sizeof(si)), EAGAIN);
	sigpending(&pending);
	CHECK(sigismember(&pending, SIGUSR1));
	sigset_t only1 = set_of(SIGUSR1, 0);
	CHECK_EQ(signalfd(fd, &only1, 0), fd);
	CHECK_EQ(read(fd, si, sizeof(si)), (long)sizeof(si[0]));
	CHECK_EQ(si[0].ssi_signo, SIGUSR1);

	char link[64] = {0}, path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (readlink(path, link, sizeof(link) - 1) > 0)
		CHECK_STR(link, "anon_inode:[signalfd]");
	else
		SKIP("no /proc/self/fd");
	close(fd);
}

/* A blocking read sleeps until another process sends a signal; SIGCHLD
 * says which child exited and how. */
static void test_blocking_and_sigchld(void)
{
	sigset_t s = set_of(SIGUSR1, SIGCHLD);
	int fd = signalfd(-1, &s, 0);
	CHECK(fd >= 0);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		kill(parent, SIGUSR1);
		_exit(7);
	}
	struct signalfd_siginfo si;
	CHECK_EQ(read(fd, &si, sizeof(si)), (long)sizeof(si));
	CHECK_EQ(si.ssi_signo, SIGUSR1);
	CHECK_EQ(si.ssi_pid, pid);
	CHECK_EQ(read(fd, &si, sizeof(si)), (long)sizeof(si));
	CHECK_EQ(si.ssi_signo, SIGCHLD);
	CHECK_EQ(si.ssi_code, CLD_EXITED);
	CHECK_EQ(si.ssi_pid, pid);
	CHECK_EQ(si.ssi_status, 7);
	int st = 0;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	close(fd);
}

static void test_epoll(void)
{
	sigset_t s = set_of(SIGUSR2, 0);
	int fd = signalfd(-1, &s, SFD_NONBLOCK);
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 5};
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0);
	struct epoll_event out = {0};
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 0);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		kill(parent, SIGUSR2);
		_exit(0);
	}
	CHECK_EQ(epoll_wait(ep, &out, 1, 5000), 1);
	CHECK_EQ(out.data.u64, 5);
	struct signalfd_siginfo si;
	CHECK_EQ(read(fd, &si, sizeof(si)), (long)sizeof(si));
	CHECK_EQ(si.ssi_signo, SIGUSR2);
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 0);
	waitpid(pid, NULL, 0);
	close(ep);
	close(fd);
}

static void test_errors(void)
{
	sigset_t s = set_of(SIGUSR1, 0);
	CHECK_ERR(syscall(SYS_signalfd4, -1, &s, 8, O_APPEND), EINVAL);
	CHECK_ERR(syscall(SYS_signalfd4, -1, (void *)8, 8, 0), EFAULT);
	CHECK_ERR(signalfd(999, &s, 0), EBADF);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_ERR(signalfd(p[0], &s, 0), EINVAL);
	close(p[0]);
	close(p[1]);
	/* SIGKILL and SIGSTOP in the set are ignored, not an error */
	sigset_t k = set_of(SIGKILL, SIGSTOP);
	int fd = signalfd(-1, &k, SFD_NONBLOCK);
	CHECK(fd >= 0);
	struct signalfd_siginfo si;
	CHECK_ERR(read(fd, &si, sizeof(si)), EAGAIN);
	char c = 0;
	CHECK_ERR(write(fd, &c, 1), EINVAL);
	close(fd);
}

int main(void)
{
	sigset_t all = set_of(SIGUSR1, SIGUSR2);
	sigaddset(&all, SIGCHLD);
	sigprocmask(SIG_BLOCK, &all, NULL);
	test_read_records();
	test_blocking_and_sigchld();
	test_epoll();
	test_errors();
	return ltest_done("signalfd");
}
