/*
 * epoll: create flags, epoll_ctl's errors, level- and edge-triggered and
 * one-shot items, hang-ups and errors, maxevents, timeouts, wake-ups from
 * another process, a closed descriptor leaving the set, nested
 * instances, signals; and pipes with O_NONBLOCK.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = {.events = events, .data.u64 = data};
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

/* One zero-timeout wait: the count, with the first event in *ev. */
static int wait0(int ep, struct epoll_event *ev)
{
	struct epoll_event evs[8];
	int n = epoll_wait(ep, evs, 8, 0);
	if (n > 0 && ev)
		*ev = evs[0];
	return n;
}

static void test_create_and_ctl_errors(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	CHECK(ep >= 0);
	CHECK_EQ(fcntl(ep, F_GETFD), FD_CLOEXEC);
	CHECK_ERR(epoll_create1(0x1234), EINVAL);
	CHECK_ERR(epoll_create(0), EINVAL);
	int ep2 = epoll_create(1);
	CHECK(ep2 >= 0);
	CHECK_EQ(fcntl(ep2, F_GETFD), 0);

	int p[2];
	CHECK_EQ(pipe(p), 0);
	struct epoll_event ev = {.events = EPOLLIN};
	CHECK_ERR(epoll_ctl(999, EPOLL_CTL_ADD, p[0], &ev), EBADF);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev), EBADF);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
	CHECK_ERR(epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &ev), EINVAL);
	CHECK_ERR(epoll_ctl(ep, 99, p[0], &ev), EINVAL);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], (void *)8), EFAULT);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), ENOENT);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), 0);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), 0);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), EINVAL);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &ev), EINVAL);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev), EINVAL);
	ev.events = EPOLLOUT | EPOLLEXCLUSIVE;
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev), 0);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev), EINVAL);
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), 0);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);

	/* regular files and /dev/null cannot be polled: EPERM */
	int f = open("epoll-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(f >= 0);
	ev.events = EPOLLIN;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, f, &ev), EPERM);
	close(f);
	unlink("epoll-file");
	int null = open("/dev/null", O_RDWR);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, null, &ev), EPERM);
	close(null);

	/* loops between instances */
	CHECK_EQ(add(ep2, ep, EPOLLIN, 0), 0);
	CHECK_ERR(add(ep, ep2, EPOLLIN, 0), ELOOP);

	/* bad wait arguments; an epoll has no read */
	struct epoll_event out[1];
	CHECK_ERR(epoll_wait(ep, out, 0, 0), EINVAL);
	volatile int negative = -1;
	CHECK_ERR(epoll_wait(ep, out, negative, 0), EINVAL);
	CHECK_ERR(epoll_wait(p[0], out, 1, 0), EINVAL);
	CHECK_ERR(epoll_wait(999, out, 1, 0), EBADF);
	char c;
	CHECK_ERR(read(ep, &c, 1), EINVAL);
	close(p[0]);
	close(p[1]);
	close(ep);
	close(ep2);
}

static void test_level_edge_oneshot(void)
{
	int ep = epoll_create1(0);
	int lt[2], et[2], os[2];
	CHECK_EQ(pipe(lt), 0);
	CHECK_EQ(pipe(et), 0);
	CHECK_EQ(pipe(os), 0);
	CHECK_EQ(add(ep, lt[0], EPOLLIN, 1), 0);
	CHECK_EQ(add(ep, et[0], EPOLLIN | EPOLLET, 2), 0);
	CHECK_EQ(add(ep, os[0], EPOLLIN | EPOLLONESHOT, 3), 0);
	struct epoll_event ev = {0};
	CHECK_EQ(wait0(ep, &ev), 0);

	/* level-triggered: reported while data remains */
	CHECK_EQ(write(lt[1], "ab", 2), 2);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLIN);
	CHECK_EQ(ev.data.u64, 1);
	CHECK_EQ(wait0(ep, &ev), 1);
	char buf[8];
	CHECK_EQ(read(lt[0], buf, sizeof(buf)), 2);
	CHECK_EQ(wait0(ep, &ev), 0);

	/* edge-triggered: once per new write */
	CHECK_EQ(write(et[1], "x", 1), 1);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.data.u64, 2);
	CHECK_EQ(wait0(ep, &ev), 0);
	CHECK_EQ(write(et[1], "y", 1), 1);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.data.u64, 2);
	CHECK_EQ(read(et[0], buf, sizeof(buf)), 2);
	CHECK_EQ(wait0(ep, &ev), 0);

	/* one-shot: once, then silent until re-armed by MOD */
	CHECK_EQ(write(os[1], "z", 1), 1);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.data.u64, 3);
	CHECK_EQ(wait0(ep, &ev), 0);
	CHECK_EQ(write(os[1], "z", 1), 1);
	CHECK_EQ(wait0(ep, &ev), 0);
	struct epoll_event mod = {.events = EPOLLIN | EPOLLONESHOT, .data.u64 = 33};
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_MOD, os[0], &mod), 0);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.data.u64, 33);
	CHECK_EQ(wait0(ep, &ev), 0);

	/* MOD to other events: no longer readable interest */
	CHECK_EQ(write(lt[1], "q", 1), 1);
	mod.events = EPOLLOUT;
	mod.data.u64 = 11;
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_MOD, lt[0], &mod), 0);
	CHECK_EQ(wait0(ep, &ev), 0);
	for (int i = 0; i < 2; i++) {
		close(lt[i]);
		close(et[i]);
		close(os[i]);
	}
	close(ep);
}

static void test_hangup_and_error(void)
{
	int ep = epoll_create1(0);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(add(ep, p[1], EPOLLOUT, 1), 0);
	struct epoll_event ev = {0};
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLOUT);
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL), 0);
	/* reader gone: the write end is in error, asked for or not */
	int q[2];
	CHECK_EQ(pipe(q), 0);
	CHECK_EQ(add(ep, q[1], EPOLLIN, 2), 0);
	close(q[0]);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLERR);
	CHECK_EQ(ev.data.u64, 2);
	close(q[1]);
	/* writer gone: hang-up on the read end */
	CHECK_EQ(add(ep, p[0], EPOLLIN, 3), 0);
	CHECK_EQ(write(p[1], "a", 1), 1);
	close(p[1]);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLIN | EPOLLHUP);
	char c;
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLHUP);
	close(p[0]);
	close(ep);
}

static void test_maxevents(void)
{
	int ep = epoll_create1(0);
	int p[3][2];
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(pipe(p[i]), 0);
		CHECK_EQ(add(ep, p[i][0], EPOLLIN, (uint64_t)i), 0);
		CHECK_EQ(write(p[i][1], "x", 1), 1);
	}
	struct epoll_event evs[3];
	CHECK_EQ(epoll_wait(ep, evs, 2, 0), 2);
	int seen = (1 << evs[0].data.u64) | (1 << evs[1].data.u64);
	/* the one left out comes first next time */
	CHECK_EQ(epoll_wait(ep, evs, 1, 0), 1);
	seen |= 1 << evs[0].data.u64;
	CHECK_EQ(seen, 7);
	CHECK_EQ(epoll_wait(ep, evs, 3, 0), 3);
	for (int i = 0; i < 3; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	close(ep);
}

static void test_timeout_and_wakeup(void)
{
	int ep = epoll_create1(0);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(add(ep, p[0], EPOLLIN, 5), 0);
	struct epoll_event ev;
	long t0 = now_ms();
	CHECK_EQ(epoll_wait(ep, &ev, 1, 100), 0);
	long dt = now_ms() - t0;
	CHECK(dt >= 95 && dt < 2000);
	struct timespec ts = {0, 50 * 1000000};
	t0 = now_ms();
	long r = syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, NULL, 8);
	if (r < 0 && errno == ENOSYS) {
		SKIP("no epoll_pwait2 (qemu-user does not have it)");
	} else {
		CHECK_EQ(r, 0);
		dt = now_ms() - t0;
		CHECK(dt >= 45 && dt < 2000);
		ts.tv_nsec = -1;
		CHECK_ERR(syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, NULL, 8), EINVAL);
	}

	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		_exit(write(p[1], "w", 1) == 1 ? 0 : 1);
	}
	t0 = now_ms();
	CHECK_EQ(epoll_wait(ep, &ev, 1, 5000), 1);
	CHECK_EQ(ev.data.u64, 5);
	CHECK(now_ms() - t0 < 4000);
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK_EQ(st, 0);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/* An item lives as long as its open file: gone when the last descriptor
 * is closed, kept (with its old number) while a duplicate remains. */
static void test_closed_descriptor(void)
{
	int ep = epoll_create1(0);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(add(ep, p[0], EPOLLIN, 7), 0);
	int d = dup(p[0]);
	close(p[0]);
	CHECK_EQ(write(p[1], "a", 1), 1);
	struct epoll_event ev = {0};
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.data.u64, 7);
	close(d);
	CHECK_EQ(wait0(ep, &ev), 0);
	/* the epoll's item did not keep the read end alive */
	CHECK_ERR(write(p[1], "b", 1), EPIPE);
	close(p[1]);
	close(ep);
}

static void test_nested_and_polled(void)
{
	int inner = epoll_create1(0), outer = epoll_create1(0);
	int e = eventfd(0, EFD_NONBLOCK);
	CHECK_EQ(add(inner, e, EPOLLIN | EPOLLET, 1), 0);
	CHECK_EQ(add(outer, inner, EPOLLIN, 2), 0);
	struct pollfd pf = {.fd = inner, .events = POLLIN};
	CHECK_EQ(poll(&pf, 1, 0), 0);
	struct epoll_event ev = {0};
	CHECK_EQ(wait0(outer, &ev), 0);
	uint64_t one = 1;
	CHECK_EQ(write(e, &one, 8), 8);
	CHECK_EQ(poll(&pf, 1, 0), 1);
	CHECK_EQ(pf.revents, POLLIN);
	CHECK_EQ(wait0(outer, &ev), 1);
	CHECK_EQ(ev.data.u64, 2);
	CHECK_EQ(wait0(inner, &ev), 1);
	CHECK_EQ(ev.data.u64, 1);
	/* edge consumed: the inner one is no longer readable */
	CHECK_EQ(poll(&pf, 1, 0), 0);
	CHECK_EQ(wait0(outer, &ev), 0);
	/* each eventfd write is a new edge */
	CHECK_EQ(write(e, &one, 8), 8);
	CHECK_EQ(wait0(inner, &ev), 1);
	close(e);
	close(inner);
	close(outer);
}

static volatile int got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* epoll_wait is never restarted, SA_RESTART or not; epoll_pwait's mask
 * lets a blocked signal in for the wait only. */
static void test_signals(void)
{
	int ep = epoll_create1(0);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(add(ep, p[0], EPOLLIN, 0), 0);
	struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t block, old, empty;
	sigemptyset(&block);
	sigemptyset(&empty);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	struct epoll_event ev;
	got_usr1 = 0;
	CHECK_ERR(epoll_pwait(ep, &ev, 1, 5000, &empty), EINTR);
	CHECK_EQ(got_usr1, 1);
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	CHECK(sigismember(&now, SIGUSR1));
	waitpid(pid, NULL, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK_ERR(epoll_pwait(ep, &ev, 1, 0, (sigset_t *)8), EFAULT);
	close(p[0]);
	close(p[1]);
	close(ep);
	signal(SIGUSR1, SIG_DFL);
}

/* Pipes with O_NONBLOCK: EAGAIN instead of sleeping, partial big writes,
 * the flag shared by every descriptor of the open pipe. */
static void test_nonblocking_pipes(void)
{
	int p[2];
	CHECK_EQ(pipe2(p, O_NONBLOCK), 0);
	char c;
	CHECK_ERR(read(p[0], &c, 1), EAGAIN);
	static char big[65536 + 8192];
	CHECK_EQ(write(p[1], big, sizeof(big)), 65536);
	CHECK_ERR(write(p[1], big, 1), EAGAIN);
	CHECK_ERR(write(p[1], big, sizeof(big)), EAGAIN);
	CHECK_EQ(read(p[0], big, sizeof(big)), 65536);
	CHECK_ERR(read(p[0], big, 1), EAGAIN);
	/* end of file, not EAGAIN, once the writer is gone */
	int d = dup(p[1]);
	close(p[1]);
	CHECK_ERR(read(p[0], &c, 1), EAGAIN);
	close(d);
	CHECK_EQ(read(p[0], &c, 1), 0);
	close(p[0]);

	/* the flag belongs to the open pipe, so a dup sees it */
	CHECK_EQ(pipe(p), 0);
	d = dup(p[0]);
	CHECK_EQ(fcntl(d, F_SETFL, O_NONBLOCK), 0);
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	CHECK_ERR(read(p[0], &c, 1), EAGAIN);
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_NONBLOCK ? 0 : 1, 0);
	close(d);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_create_and_ctl_errors();
	test_level_edge_oneshot();
	test_hangup_and_error();
	test_maxevents();
	test_timeout_and_wakeup();
	test_closed_descriptor();
	test_nested_and_polled();
	test_signals();
	test_nonblocking_pipes();
	return ltest_done("epoll");
}
