/*
 * Socket options of AF_UNIX sockets beyond t_unix's: the receive and send
 * timeouts (old and new timeval forms) and what they bound (recv, send,
 * accept, connect), buffer sizes past the bounds, SO_LINGER,
 * SO_REUSEADDR, SO_KEEPALIVE, the low-water marks, SO_PEEK_OFF and the
 * options that only answer.  Times are multiples of 20 ms, which Linux
 * keeps exactly at 100, 250 and 1000 clock ticks a second (it rounds a
 * timeout up to a tick).
 *
 * --beyond-qemu: also the 64-bit-time forms of the timeouts and
 * SO_PEEK_OFF, which qemu-user does not know (ENOPROTOOPT); Linux's answers there are
 * proven with tools/linux-vm.sh.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

/* riscv64's numbers (asm-generic/socket.h): the 64-bit-time forms, and
 * the old ones glibc's SO_RCVTIMEO names on a 64-bit target. */
#define RCVTIMEO_OLD 20
#define SNDTIMEO_OLD 21
#define RCVTIMEO_NEW 66
#define SNDTIMEO_NEW 67

static int beyond_qemu;

static int opt_int(int fd, int opt)
{
	int v = -12345;
	socklen_t len = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, opt, &v, &len) < 0)
		return -99999;
	return v;
}

static int set_int(int fd, int opt, int v)
{
	return setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v));
}

static int set_tv(int fd, int opt, long sec, long usec)
{
	struct timeval tv = {sec, usec};
	return setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv));
}

/* The timeout as microseconds, -1 on failure. */
static long long get_tv(int fd, int opt)
{
	struct timeval tv = {-7, -7};
	socklen_t len = sizeof(tv);
	if (getsockopt(fd, SOL_SOCKET, opt, &tv, &len) < 0 || len != sizeof(tv))
		return -1;
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

static void test_timeout_values(void)
{
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_EQ(get_tv(sv[0], RCVTIMEO_OLD), 0);
	CHECK_EQ(get_tv(sv[0], SNDTIMEO_OLD), 0);
	CHECK_EQ(set_tv(sv[0], RCVTIMEO_OLD, 1, 260000), 0);
	CHECK_EQ(get_tv(sv[0], RCVTIMEO_OLD), 1260000);
	CHECK_EQ(set_tv(sv[0], SNDTIMEO_OLD, 0, 40000), 0);
	CHECK_EQ(get_tv(sv[0], SNDTIMEO_OLD), 40000);
	CHECK_EQ(get_tv(sv[0], RCVTIMEO_OLD), 1260000);
	if (beyond_qemu) {
		CHECK_EQ(get_tv(sv[0], RCVTIMEO_NEW), 1260000);
		CHECK_EQ(set_tv(sv[0], SNDTIMEO_NEW, 2, 20000), 0);
		CHECK_EQ(get_tv(sv[0], SNDTIMEO_OLD), 2020000);
		CHECK_EQ(get_tv(sv[0], SNDTIMEO_NEW), 2020000);
		CHECK_ERR(set_tv(sv[0], SNDTIMEO_NEW, 0, -1), EDOM);
	}
	/* microseconds out of range; too short a value */
	CHECK_ERR(set_tv(sv[0], RCVTIMEO_OLD, 0, 1000000), EDOM);
	CHECK_ERR(set_tv(sv[0], SNDTIMEO_OLD, 0, -1), EDOM);
	struct timeval tv = {1, 0};
	CHECK_ERR(setsockopt(sv[0], SOL_SOCKET, RCVTIMEO_OLD, &tv, 8), EINVAL);
	/* a short buffer gets the first bytes */
	long sec = -1;
	socklen_t len = sizeof(sec);
	CHECK_EQ(getsockopt(sv[0], SOL_SOCKET, RCVTIMEO_OLD, &sec, &len), 0);
	CHECK_EQ(len, sizeof(sec));
	CHECK_EQ(sec, 1);
	/* zero: wait forever again */
	CHECK_EQ(set_tv(sv[0], RCVTIMEO_OLD, 0, 0), 0);
	CHECK_EQ(get_tv(sv[0], RCVTIMEO_OLD), 0);
	/* a negative time does not wait at all (and reads back as zero) */
	CHECK_EQ(set_tv(sv[0], RCVTIMEO_OLD, -5, 0), 0);
	CHECK_EQ(get_tv(sv[0], RCVTIMEO_OLD), 0);
	char c;
	CHECK_ERR(recv(sv[0], &c, 1, 0), EAGAIN);
	close(sv[0]);
	close(sv[1]);
}

static void test_timeouts_bound_waits(void)
{
	char buf[4096];
	int sv[2];
	/* recv on a stream and a datagram socket */
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_EQ(set_tv(sv[0], RCVTIMEO_OLD, 0, 40000), 0);
	CHECK_ERR(recv(sv[0], buf, 1, 0), EAGAIN);
	CHECK_ERR(read(sv[0], buf, 1), EAGAIN);
	/* MSG_WAITALL: what came before the timeout */
	CHECK_EQ(write(sv[1], "ab", 2), 2);
	CHECK_EQ(recv(sv[0], buf, 10, MSG_WAITALL), 2);
	/* send on a full stream */
	CHECK_EQ(set_int(sv[1], SO_SNDBUF, 4096), 0);
	while (send(sv[1], buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	CHECK_EQ(set_tv(sv[1], SNDTIMEO_OLD, 0, 40000), 0);
	CHECK_ERR(send(sv[1], buf, sizeof(buf), 0), EAGAIN);
	CHECK_ERR(write(sv[1], buf, sizeof(buf)), EAGAIN);
	close(sv[0]);
	close(sv[1]);
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	CHECK_EQ(set_tv(sv[0], beyond_qemu ? RCVTIMEO_NEW : RCVTIMEO_OLD, 0, 40000), 0);
	CHECK_ERR(recv(sv[0], buf, 1, 0), EAGAIN);
	CHECK_EQ(set_int(sv[1], SO_SNDBUF, 4096), 0);
	while (send(sv[1], buf, 100, MSG_DONTWAIT) > 0)
		;
	CHECK_EQ(set_tv(sv[1], beyond_qemu ? SNDTIMEO_NEW : SNDTIMEO_OLD, 0, 40000), 0);
	CHECK_ERR(send(sv[1], buf, 100, 0), EAGAIN);
	close(sv[0]);
	close(sv[1]);
	/* accept, and connect to a full backlog */
	struct sockaddr_un a;
	socklen_t alen = abstract_addr(&a, "t_sockopt.listen");
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_EQ(bind(l, (struct sockaddr *)&a, alen), 0);
	CHECK_EQ(listen(l, 0), 0);
	CHECK_EQ(set_tv(l, RCVTIMEO_OLD, 0, 40000), 0);
	CHECK_ERR(accept(l, NULL, NULL), EAGAIN);
	int c1 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_EQ(connect(c1, (struct sockaddr *)&a, alen), 0);
	int c2 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_EQ(set_tv(c2, SNDTIMEO_OLD, 0, 40000), 0);
	/* a backlog of 0 holds one connection */
	CHECK_ERR(connect(c2, (struct sockaddr *)&a, alen), EAGAIN);
	int fd = accept4(l, NULL, NULL, 0);
	CHECK(fd >= 0);
	close(fd);
	close(c1);
	close(c2);
	close(l);
}

static volatile int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* A wait with a timeout is never restarted, even under SA_RESTART: the
 * handler's signal ends it with EINTR (a wait without one would be
 * restarted). */
static void test_timeout_interrupted(void)
{
	struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
	int sv[2];
	char c;
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_EQ(set_tv(sv[0], RCVTIMEO_OLD, 30, 0), 0);
	struct itimerval it = {{0, 0}, {0, 100000}};
	CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
	CHECK_ERR(recv(sv[0], &c, 1, 0), EINTR);
	CHECK_EQ(alarms, 1);
	/* and a send */
	CHECK_EQ(set_int(sv[1], SO_SNDBUF, 4096), 0);
	static char buf[4096];
	while (send(sv[1], buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	CHECK_EQ(set_tv(sv[1], SNDTIMEO_OLD, 30, 0), 0);
	CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
	CHECK_ERR(write(sv[1], buf, sizeof(buf)), EINTR);
	CHECK_EQ(alarms, 2);
	signal(SIGALRM, SIG_DFL);
	close(sv[0]);
	close(sv[1]);
}

static void test_buffers(void)
{
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	/* past the maximum (or negative, taken unsigned): twice the maximum */
	CHECK_EQ(set_int(sv[0], SO_SNDBUF, INT_MAX), 0);
	int max2 = opt_int(sv[0], SO_SNDBUF);
	CHECK(max2 > 0 && max2 % 2 == 0);
	CHECK_EQ(set_int(sv[0], SO_SNDBUF, 1000), 0);
	CHECK_EQ(opt_int(sv[0], SO_SNDBUF), 2000 < 4608 ? 4608 : 2000);
	CHECK_EQ(set_int(sv[0], SO_SNDBUF, -1), 0);
	CHECK_EQ(opt_int(sv[0], SO_SNDBUF), max2);
	CHECK_EQ(set_int(sv[0], SO_RCVBUF, INT_MAX), 0);
	int rmax2 = opt_int(sv[0], SO_RCVBUF);
	CHECK_EQ(set_int(sv[0], SO_RCVBUF, -1), 0);
	CHECK_EQ(opt_int(sv[0], SO_RCVBUF), rmax2);
	CHECK_EQ(set_int(sv[0], SO_RCVBUF, 0), 0);
	CHECK_EQ(opt_int(sv[0], SO_RCVBUF), 2304);
	/* the FORCE forms: past the maximum for the administrator */
	if (geteuid() == 0) {
		CHECK_EQ(set_int(sv[0], SO_SNDBUFFORCE, max2), 0);
		CHECK_EQ(opt_int(sv[0], SO_SNDBUF), 2 * max2);
		CHECK_EQ(set_int(sv[0], SO_RCVBUFFORCE, -1), 0);
		CHECK_EQ(opt_int(sv[0], SO_RCVBUF), 2304);
	} else {
		CHECK_ERR(set_int(sv[0], SO_SNDBUFFORCE, 1), EPERM);
	}
	/* a datagram larger than the send buffer */
	CHECK_EQ(set_int(sv[0], SO_SNDBUF, 4096), 0);
	static char big[9000];
	CHECK_ERR(send(sv[0], big, sizeof(big), 0), EMSGSIZE);
	close(sv[0]);
	close(sv[1]);
}

static void test_flags_and_answers(void)
{
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	struct linger lg = {7, 7};
	socklen_t len = sizeof(lg);
	CHECK_EQ(getsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, &len), 0);
	CHECK_EQ(len, sizeof(lg));
	CHECK_EQ(lg.l_onoff, 0);
	CHECK_EQ(lg.l_linger, 0);
	lg = (struct linger){1, 5};
	CHECK_EQ(setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	lg = (struct linger){7, 7};
	CHECK_EQ(getsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, &len), 0);
	CHECK_EQ(lg.l_onoff, 1);
	CHECK_EQ(lg.l_linger, 5);
	CHECK_ERR(setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, 4), EINVAL);
	/* turned off, the time stays */
	lg = (struct linger){0, 9};
	CHECK_EQ(setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	CHECK_EQ(getsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, &len), 0);
	CHECK_EQ(lg.l_onoff, 0);
	CHECK_EQ(lg.l_linger, 5);
	CHECK_EQ(opt_int(sv[0], SO_REUSEADDR), 0);
	CHECK_EQ(set_int(sv[0], SO_REUSEADDR, 5), 0);
	CHECK_EQ(opt_int(sv[0], SO_REUSEADDR), 1);
	CHECK_EQ(opt_int(sv[0], SO_KEEPALIVE), 0);
	CHECK_EQ(set_int(sv[0], SO_KEEPALIVE, 1), 0);
	CHECK_EQ(opt_int(sv[0], SO_KEEPALIVE), 1);
	CHECK_EQ(set_int(sv[0], SO_KEEPALIVE, 0), 0);
	CHECK_EQ(opt_int(sv[0], SO_KEEPALIVE), 0);
	/* low-water marks: the send one is fixed at 1 */
	CHECK_EQ(opt_int(sv[0], SO_SNDLOWAT), 1);
	CHECK_ERR(set_int(sv[0], SO_SNDLOWAT, 4), ENOPROTOOPT);
	CHECK_EQ(opt_int(sv[0], SO_RCVLOWAT), 1);
	CHECK_EQ(set_int(sv[0], SO_RCVLOWAT, 0), 0);
	CHECK_EQ(opt_int(sv[0], SO_RCVLOWAT), 1);
	CHECK_EQ(set_int(sv[0], SO_RCVLOWAT, -3), 0);
	CHECK_EQ(opt_int(sv[0], SO_RCVLOWAT), INT_MAX);
	CHECK_EQ(set_int(sv[0], SO_RCVLOWAT, 5), 0);
	CHECK_EQ(opt_int(sv[0], SO_RCVLOWAT), 5);
	/* answers only */
	CHECK_EQ(opt_int(sv[0], SO_DOMAIN), AF_UNIX);
	CHECK_EQ(opt_int(sv[0], SO_PROTOCOL), 0);
	CHECK_EQ(opt_int(sv[0], SO_ACCEPTCONN), 0);
	CHECK_EQ(opt_int(sv[0], SO_ERROR), 0);
	CHECK_ERR(set_int(sv[0], SO_ACCEPTCONN, 1), ENOPROTOOPT);
	CHECK_ERR(set_int(sv[0], SO_DOMAIN, 1), ENOPROTOOPT);
	int v;
	len = sizeof(v);
	CHECK_ERR(getsockopt(sv[0], SOL_SOCKET, 9999, &v, &len), ENOPROTOOPT);
	len = sizeof(v);
	CHECK_ERR(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, (socklen_t *)8), EFAULT);
	len = (socklen_t)-1;
	CHECK_ERR(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &len), EINVAL);
	close(sv[0]);
	close(sv[1]);
}

static void test_rcvlowat(void)
{
	/* a stream read waits for SO_RCVLOWAT bytes (MSG_WAITALL for all);
	 * MSG_DONTWAIT takes what is there */
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_EQ(set_int(sv[0], SO_RCVLOWAT, 5), 0);
	pid_t pid = fork();
	if (pid == 0) {
		if (write(sv[1], "abc", 3) != 3)
			_exit(1);
		usleep(100000);
		if (write(sv[1], "defg", 4) != 4)
			_exit(2);
		_exit(0);
	}
	char buf[16];
	CHECK_EQ(recv(sv[0], buf, sizeof(buf), 0), 7);
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK_EQ(st, 0);
	CHECK_EQ(write(sv[1], "xy", 2), 2);
	CHECK_EQ(recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT), 2);
	/* the mark is cut to the buffer */
	CHECK_EQ(write(sv[1], "xyz", 3), 3);
	CHECK_EQ(recv(sv[0], buf, 3, 0), 3);
	close(sv[0]);
	close(sv[1]);
}

static void test_peek_off(void)
{
	int sv[2];
	char buf[16];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_EQ(opt_int(sv[0], SO_PEEK_OFF), -1);
	CHECK_EQ(set_int(sv[0], SO_PEEK_OFF, 2), 0);
	CHECK_EQ(opt_int(sv[0], SO_PEEK_OFF), 2);
	CHECK_EQ(write(sv[1], "abc", 3), 3);
	CHECK_EQ(write(sv[1], "def", 3), 3);
	/* peeks go on from the offset, which they move */
	CHECK_EQ(recv(sv[0], buf, 3, MSG_PEEK), 3);
	CHECK_EQ(memcmp(buf, "cde", 3), 0);
	CHECK_EQ(opt_int(sv[0], SO_PEEK_OFF), 5);
	CHECK_EQ(recv(sv[0], buf, sizeof(buf), MSG_PEEK), 1);
	CHECK_EQ(buf[0], 'f');
	CHECK_EQ(opt_int(sv[0], SO_PEEK_OFF), 6);
	CHECK_ERR(recv(sv[0], buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT), EAGAIN);
	/* a read takes from the start and moves the offset back */
	CHECK_EQ(read(sv[0], buf, 4), 4);
	CHECK_EQ(memcmp(buf, "abcd", 4), 0);
	CHECK_EQ(opt_int(sv[0], SO_PEEK_OFF), 2);
	CHECK_ERR(recv(sv[0], buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT), EAGAIN);
	CHECK_EQ(set_int(sv[0], SO_PEEK_OFF, 1), 0);
	CHECK_EQ(recv(sv[0], buf, sizeof(buf), MSG_PEEK), 1);
	CHECK_EQ(buf[0], 'f');
	close(sv[0]);
	close(sv[1]);
}

static void test_peek_off_dgram(void)
{
	int sv[2];
	char buf[16];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	CHECK_EQ(set_int(sv[0], SO_PEEK_OFF, 0), 0);
	CHECK_EQ(send(sv[1], "abcd", 4, 0), 4);
	CHECK_EQ(send(sv[1], "ef", 2, 0), 2);
	/* a peek of part of a datagram: the next peek goes on inside it */
	CHECK_EQ(recv(sv[0], buf, 3, MSG_PEEK), 3);
	CHECK_EQ(opt_int(sv[0], SO_PEEK_OFF), 3);
	CHECK_EQ(recv(sv[0], buf, sizeof(buf), MSG_PEEK), 1);
	CHECK_EQ(buf[0], 'd');
	/* past the first datagram: the second */
	CHECK_EQ(recv(sv[0], buf, sizeof(buf), MSG_PEEK), 2);
	CHECK_EQ(memcmp(buf, "ef", 2), 0);
	CHECK_EQ(opt_int(sv[0], SO_PEEK_OFF), 6);
	/* a receive takes the whole first datagram off the offset */
	CHECK_EQ(recv(sv[0], buf, sizeof(buf), 0), 4);
	CHECK_EQ(opt_int(sv[0], SO_PEEK_OFF), 2);
	CHECK_EQ(set_int(sv[0], SO_PEEK_OFF, -1), 0);
	CHECK_EQ(recv(sv[0], buf, sizeof(buf), MSG_PEEK), 2);
	CHECK_EQ(opt_int(sv[0], SO_PEEK_OFF), -1);
	close(sv[0]);
	close(sv[1]);
}

int main(int argc, char **argv)
{
	beyond_qemu = argc > 1 && strcmp(argv[1], "--beyond-qemu") == 0;
	signal(SIGPIPE, SIG_IGN);
	test_timeout_values();
	test_timeouts_bound_waits();
	test_timeout_interrupted();
	test_buffers();
	test_flags_and_answers();
	test_rcvlowat();
	if (beyond_qemu) { /* qemu-user does not pass SO_PEEK_OFF on */
		test_peek_off();
		test_peek_off_dgram();
	}
	return ltest_done("t_sockopt");
}
