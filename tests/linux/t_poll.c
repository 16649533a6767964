/*
 * Waiting on descriptors as Linux does it: poll/ppoll and select/pselect6
 * on pipes, /dev/null, regular files and directories; closed and negative
 * descriptors; timeouts and the time left written back; argument errors.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

static long elapsed_ms(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

/* A pipe; a failure is a failed check and the caller gives up. */
static int make_pipe(int p[2], int flags)
{
	int ok = pipe2(p, flags) == 0;
	CHECK(ok);
	return ok;
}

static void test_dev_null_and_files(void)
{
	int null = open("/dev/null", O_RDWR);
	CHECK(null >= 0);
	struct pollfd p = {.fd = null, .events = POLLIN | POLLOUT};
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK_EQ(p.revents, POLLIN | POLLOUT);
	/* only what was asked for */
	p.events = POLLOUT;
	CHECK_EQ(poll(&p, 1, -1), 1);
	CHECK_EQ(p.revents, POLLOUT);
	p.events = POLLPRI;
	CHECK_EQ(poll(&p, 1, 0), 0);
	CHECK_EQ(p.revents, 0);
	close(null);

	int f = open("pollfile", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(f >= 0);
	p = (struct pollfd){.fd = f, .events = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM};
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK_EQ(p.revents, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
	close(f);
	unlink("pollfile");

	int d = open(".", O_RDONLY | O_DIRECTORY);
	CHECK(d >= 0);
	p = (struct pollfd){.fd = d, .events = POLLIN};
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK_EQ(p.revents, POLLIN);
	close(d);

	int z = open("/dev/zero", O_RDONLY), r = open("/dev/urandom", O_RDONLY);
	CHECK(z >= 0 && r >= 0);
	struct pollfd two[2] = {{.fd = z, .events = POLLIN}, {.fd = r, .events = POLLIN}};
	CHECK_EQ(poll(two, 2, 0), 2);
	CHECK_EQ(two[0].revents, POLLIN);
	CHECK_EQ(two[1].revents, POLLIN);
	close(z);
	close(r);
}

static void test_closed_and_negative_fds(void)
{
	int null = open("/dev/null", O_RDONLY);
	int closed = open("/dev/null", O_RDONLY);
	CHECK(closed >= 0);
	close(closed);
	struct pollfd p[3] = {
	    {.fd = -1, .events = POLLIN, .revents = 0x7fff},
	    {.fd = closed, .events = POLLIN},
	    {.fd = null, .events = POLLIN},
	};
	CHECK_EQ(poll(p, 3, 0), 2);
	CHECK_EQ(p[0].revents, 0); /* ignored, revents cleared */
	CHECK_EQ(p[1].revents, POLLNVAL);
	CHECK_EQ(p[2].revents, POLLIN);
	/* POLLNVAL comes even when no event is asked for */
	p[1].events = 0;
	CHECK_EQ(poll(&p[1], 1, 0), 1);
	CHECK_EQ(p[1].revents, POLLNVAL);

	/* select refuses a closed descriptor in any set */
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(closed, &rs);
	struct timeval tv = {0, 0};
	CHECK_ERR(select(closed + 1, &rs, NULL, NULL, &tv), EBADF);
	FD_ZERO(&rs);
	FD_SET(closed, &rs);
	CHECK_ERR(select(closed + 1, NULL, NULL, &rs, &tv), EBADF);
	close(null);
}

static void test_timeouts(void)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(poll(NULL, 0, 100), 0);
	long ms = elapsed_ms(&t0);
	CHECK(ms >= 95 && ms < 2000);

	/* negative descriptors only: a plain sleep */
	struct pollfd p = {.fd = -5, .events = POLLIN};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(poll(&p, 1, 50), 0);
	ms = elapsed_ms(&t0);
	CHECK(ms >= 45 && ms < 2000);

	/* ppoll writes the time left back: nothing left after a timeout */
	struct timespec ts = {0, 30000000};
	CHECK_EQ(syscall(SYS_ppoll, &p, 1, &ts, NULL, 8), 0);
	CHECK_EQ(ts.tv_sec, 0);
	CHECK_EQ(ts.tv_nsec, 0);
	/* ... and most of it when something is ready at once */
	int null = open("/dev/null", O_RDONLY);
	struct pollfd q = {.fd = null, .events = POLLIN};
	ts = (struct timespec){5, 0};
	CHECK_EQ(syscall(SYS_ppoll, &q, 1, &ts, NULL, 8), 1);
	CHECK(ts.tv_sec == 4 || (ts.tv_sec == 5 && ts.tv_nsec == 0));

	/* pselect6 the same */
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(null, &rs);
	ts = (struct timespec){5, 0};
	CHECK_EQ(syscall(SYS_pselect6, null + 1, &rs, NULL, NULL, &ts, NULL), 1);
	CHECK(FD_ISSET(null, &rs));
	CHECK(ts.tv_sec == 4 || (ts.tv_sec == 5 && ts.tv_nsec == 0));
	ts = (struct timespec){0, 40000000};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, NULL), 0);
	CHECK(elapsed_ms(&t0) >= 35);
	CHECK_EQ(ts.tv_sec, 0);
	CHECK_EQ(ts.tv_nsec, 0);

	/* select() through glibc reports the time left in the timeval */
	struct timeval tv = {0, 20000};
	CHECK_EQ(select(0, NULL, NULL, NULL, &tv), 0);
	CHECK_EQ(tv.tv_sec, 0);
	CHECK_EQ(tv.tv_usec, 0);
	close(null);
}

static void test_argument_errors(void)
{
	struct pollfd p = {.fd = 0, .events = POLLIN};
	struct timespec bad_ns = {0, 1000000000}, neg = {-1, 0};
	CHECK_ERR(syscall(SYS_ppoll, &p, 1, &bad_ns, NULL, 8), EINVAL);
	CHECK_ERR(syscall(SYS_ppoll, &p, 1, &neg, NULL, 8), EINVAL);
	CHECK_ERR(syscall(SYS_pselect6, 1, NULL, NULL, NULL, &bad_ns, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_pselect6, -1, NULL, NULL, NULL, NULL, NULL), EINVAL);

	void *volatile bad = (void *)8; /* hidden from the compiler's checks */
	CHECK_ERR(poll(bad, 1, 0), EFAULT);
	CHECK_ERR(syscall(SYS_ppoll, &p, 1, bad, NULL, 8), EFAULT);
	CHECK_ERR(syscall(SYS_pselect6, 1, bad, NULL, NULL, NULL, NULL), EFAULT);
	/* a sigmask of the wrong size */
	sigset_t m;
	sigemptyset(&m);
	struct timespec zero = {0, 0};
	CHECK_ERR(syscall(SYS_ppoll, &p, 1, &zero, &m, 4), EINVAL);

	/* more descriptors than RLIMIT_NOFILE allows */
	struct rlimit rl;
	CHECK_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
	struct pollfd *many =
	    rl.rlim_cur < (1u << 22) ? calloc(rl.rlim_cur + 1, sizeof(*many)) : NULL;
	if (many) {
		for (rlim_t i = 0; i <= rl.rlim_cur; i++)
			many[i].fd = -1;
		CHECK_ERR(poll(many, rl.rlim_cur + 1, 0), EINVAL);
		CHECK_EQ(poll(many, rl.rlim_cur, 0), 0);
		free(many);
	} else {
		/* a soft limit in the millions (some hosts' containers) is
		 * too big an array to build */
		SKIP("RLIMIT_NOFILE too large to exceed");
	}
}

static void test_pipe_readiness(void)
{
	int p[2];
	if (!make_pipe(p, O_NONBLOCK))
		return;
	struct pollfd r = {.fd = p[0], .events = POLLIN}, w = {.fd = p[1], .events = POLLOUT};
	CHECK_EQ(poll(&r, 1, 0), 0);
	CHECK_EQ(r.revents, 0);
	CHECK_EQ(poll(&w, 1, 0), 1);
	CHECK_EQ(w.revents, POLLOUT);
	CHECK_EQ(write(p[1], "hi", 2), 2);
	CHECK_EQ(poll(&r, 1, 0), 1);
	CHECK_EQ(r.revents, POLLIN);
	int n = -1;
	CHECK_EQ(ioctl(p[0], FIONREAD, &n), 0);
	CHECK_EQ(n, 2);
	char page[4096] = {0};
	CHECK_EQ(read(p[0], page, 2), 2);

	/* full: not writable; one page read: writable again */
	while (write(p[1], page, sizeof(page)) > 0)
		;
	CHECK_EQ(errno, EAGAIN);
	CHECK_EQ(poll(&w, 1, 0), 0);
	CHECK_EQ(read(p[0], page, 100), 100);
	CHECK_EQ(poll(&w, 1, 0), 0);
	CHECK_EQ(read(p[0], page, sizeof(page)), (long)sizeof(page));
	CHECK_EQ(poll(&w, 1, 0), 1);

	/* select sees the same */
	fd_set rs, ws;
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(p[0], &rs);
	FD_SET(p[1], &ws);
	struct timeval tv = {0, 0};
	CHECK_EQ(select(p[1] + 1, &rs, &ws, NULL, &tv), 2);
	CHECK(FD_ISSET(p[0], &rs) && FD_ISSET(p[1], &ws));

	/* writer gone: data then hang-up; hang-up alone once drained */
	close(p[1]);
	r.events = POLLIN;
	CHECK_EQ(poll(&r, 1, 0), 1);
	CHECK_EQ(r.revents, POLLIN | POLLHUP);
	while (read(p[0], page, sizeof(page)) > 0)
		;
	r.events = 0;
	CHECK_EQ(poll(&r, 1, -1), 1); /* POLLHUP needs no asking */
	CHECK_EQ(r.revents, POLLHUP);
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	CHECK_EQ(select(p[0] + 1, &rs, NULL, NULL, NULL), 1); /* EOF is readable */
	close(p[0]);

	/* reader gone: the write end is in error */
	if (!make_pipe(p, 0))
		return;
	close(p[0]);
	w = (struct pollfd){.fd = p[1], .events = POLLOUT};
	CHECK_EQ(poll(&w, 1, 0), 1);
	CHECK_EQ(w.revents, POLLOUT | POLLERR);
	close(p[1]);
}

/* A sleeping poll wakes when another process writes. */
static void test_wakeup_from_another_process(void)
{
	int p[2];
	if (!make_pipe(p, 0))
		return;
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		usleep(100000);
		write(p[1], "x", 1);
		_exit(0);
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct pollfd r = {.fd = p[0], .events = POLLIN};
	CHECK_EQ(poll(&r, 1, 5000), 1);
	CHECK_EQ(r.revents, POLLIN);
	long ms = elapsed_ms(&t0);
	CHECK(ms >= 50 && ms < 4000);
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	close(p[0]);
	close(p[1]);
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* A signal that the mask passed to ppoll unblocks interrupts the wait. */
static void test_eintr_with_sigmask(void)
{
	struct sigaction sa = {.sa_handler = on_usr1};
	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	sigset_t block, old, open_mask;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	raise(SIGUSR1); /* pending while blocked */
	sigemptyset(&open_mask);
	struct timespec ts = {5, 0};
	CHECK_ERR(syscall(SYS_ppoll, NULL, 0, &ts, &open_mask, 8), EINTR);
	CHECK(got_usr1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
}

int main(void)
{
	test_dev_null_and_files();
	test_closed_and_negative_fds();
	test_timeouts();
	test_argument_errors();
	test_pipe_readiness();
	test_wakeup_from_another_process();
	test_eintr_with_sigmask();
	return ltest_done("poll");
}
