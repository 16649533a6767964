/*
 * recvmmsg and sendmmsg on AF_UNIX sockets: counts and msg_len, partial
 * success, the cap of UIO_MAXIOV messages on sendmmsg, MSG_WAITFORONE,
 * recvmmsg's timeout (checked after each datagram, the time left written
 * back) and the error of a later receive kept for the next call.
 *
 * --beyond-qemu: also what qemu-user does itself rather than pass to
 * the kernel (it ignores recvmmsg's timeout, keeps no pending error and
 * does not stop a batch at a short send); Linux's answers there are
 * proven with tools/linux-vm.sh.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

static int beyond_qemu;

/* n one-vector headers over bufs[i] of size each. */
static void set_vec(struct mmsghdr *v, struct iovec *iov, char (*bufs)[16], int n)
{
	memset(v, 0, sizeof(*v) * (size_t)n);
	for (int i = 0; i < n; i++) {
		iov[i] = (struct iovec){bufs[i], sizeof(bufs[i])};
		v[i].msg_hdr.msg_iov = &iov[i];
		v[i].msg_hdr.msg_iovlen = 1;
		v[i].msg_len = 77;
	}
}

static void send3(int fd)
{
	CHECK_EQ(send(fd, "a", 1, 0), 1);
	CHECK_EQ(send(fd, "bb", 2, 0), 2);
	CHECK_EQ(send(fd, "ccc", 3, 0), 3);
}

static void test_send_and_receive(void)
{
	int sv[2];
	char bufs[8][16];
	struct iovec iov[8];
	struct mmsghdr v[8];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	/* sendmmsg: each message's length in its msg_len */
	set_vec(v, iov, bufs, 3);
	for (int i = 0; i < 3; i++) {
		memset(bufs[i], 'x' + i, sizeof(bufs[i]));
		iov[i].iov_len = (size_t)i + 4;
	}
	CHECK_EQ(sendmmsg(sv[0], v, 3, 0), 3);
	CHECK_EQ(v[0].msg_len, 4);
	CHECK_EQ(v[1].msg_len, 5);
	CHECK_EQ(v[2].msg_len, 6);
	/* recvmmsg takes what is there (non-blocking) */
	set_vec(v, iov, bufs, 8);
	CHECK_EQ(recvmmsg(sv[1], v, 8, MSG_DONTWAIT, NULL), 3);
	CHECK_EQ(v[0].msg_len, 4);
	CHECK_EQ(v[1].msg_len, 5);
	CHECK_EQ(v[2].msg_len, 6);
	CHECK_EQ(v[3].msg_len, 77);
	CHECK_EQ(bufs[1][0], 'y');
	CHECK_ERR(recvmmsg(sv[1], v, 8, MSG_DONTWAIT, NULL), EAGAIN);
	/* a truncated datagram: MSG_TRUNC in its header's flags */
	CHECK_EQ(send(sv[0], "0123456789abcdefXYZ", 19, 0), 19);
	set_vec(v, iov, bufs, 1);
	CHECK_EQ(recvmmsg(sv[1], v, 1, 0, NULL), 1);
	CHECK_EQ(v[0].msg_len, 16);
	CHECK(v[0].msg_hdr.msg_flags & MSG_TRUNC);
	/* MSG_WAITFORONE: waits for the first, then takes what is there */
	send3(sv[0]);
	set_vec(v, iov, bufs, 8);
	CHECK_EQ(recvmmsg(sv[1], v, 8, MSG_WAITFORONE, NULL), 3);
	CHECK_EQ(v[2].msg_len, 3);
	/* vlen 0, and bad descriptors */
	CHECK_EQ(sendmmsg(sv[0], v, 0, 0), 0);
	CHECK_ERR(sendmmsg(-1, v, 1, 0), EBADF);
	CHECK_ERR(recvmmsg(-1, v, 1, 0, NULL), EBADF);
	int fd = open("/", O_RDONLY);
	CHECK_ERR(sendmmsg(fd, v, 1, 0), ENOTSOCK);
	CHECK_ERR(recvmmsg(fd, v, 1, 0, NULL), ENOTSOCK);
	close(fd);
	/* an error before anything was sent is returned; after, the count */
	set_vec(v, iov, bufs, 2);
	v[0].msg_hdr.msg_iov = (struct iovec *)8;
	CHECK_ERR(sendmmsg(sv[0], v, 2, 0), EFAULT);
	set_vec(v, iov, bufs, 2);
	v[1].msg_hdr.msg_iov = (struct iovec *)8;
	CHECK_EQ(sendmmsg(sv[0], v, 2, 0), 1);
	CHECK_EQ(v[1].msg_len, 77);
	set_vec(v, iov, bufs, 8);
	CHECK_EQ(recvmmsg(sv[1], v, 8, MSG_DONTWAIT, NULL), 1);
	close(sv[0]);
	close(sv[1]);
}

static void test_sendmmsg_cap(void)
{
	/* zero-length stream sends queue nothing, so 2000 all succeed, but
	 * one call sends at most UIO_MAXIOV (1024) */
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	struct mmsghdr *v = calloc(2000, sizeof(*v));
	for (int i = 0; i < 2000; i++)
		v[i].msg_len = 77;
	CHECK_EQ(sendmmsg(sv[0], v, 2000, MSG_DONTWAIT), 1024);
	CHECK_EQ(v[1023].msg_len, 0);
	CHECK_EQ(v[1024].msg_len, 77);
	free(v);
	close(sv[0]);
	close(sv[1]);
}

static void test_short_send(void)
{
	/* a stream message sent in part ends the batch */
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	int v = 4096;
	CHECK_EQ(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), 0);
	static char big[2][100000];
	struct iovec iov[2] = {{big[0], sizeof(big[0])}, {big[1], sizeof(big[1])}};
	struct mmsghdr m[2];
	memset(m, 0, sizeof(m));
	for (int i = 0; i < 2; i++) {
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
		m[i].msg_len = 77;
	}
	CHECK_EQ(sendmmsg(sv[0], m, 2, 0), 1);
	CHECK(m[0].msg_len > 0 && m[0].msg_len < sizeof(big[0]));
	CHECK_EQ(m[1].msg_len, 77);
	close(sv[0]);
	close(sv[1]);
}

static void test_timeout(void)
{
	int sv[2];
	char bufs[8][16];
	struct iovec iov[8];
	struct mmsghdr v[8];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	struct timespec ts = {0, -1};
	CHECK_ERR(recvmmsg(sv[1], v, 1, 0, &ts), EINVAL);
	ts = (struct timespec){-1, 0};
	CHECK_ERR(recvmmsg(sv[1], v, 1, 0, &ts), EINVAL);
	CHECK_ERR(recvmmsg(sv[1], v, 1, 0, (struct timespec *)8), EFAULT);
	/* a zero timeout ends the call after the first datagram */
	send3(sv[0]);
	set_vec(v, iov, bufs, 8);
	ts = (struct timespec){0, 0};
	CHECK_EQ(recvmmsg(sv[1], v, 8, 0, &ts), 1);
	CHECK_EQ(ts.tv_sec, 0);
	CHECK_EQ(ts.tv_nsec, 0);
	/* a long one: what is left of it is written back */
	ts = (struct timespec){100, 0};
	CHECK_EQ(recvmmsg(sv[1], v, 8, MSG_DONTWAIT, &ts), 2);
	CHECK(ts.tv_sec >= 90 && ts.tv_sec <= 100);
	/* nothing received: the time is left alone */
	ts = (struct timespec){100, 5};
	CHECK_ERR(recvmmsg(sv[1], v, 8, MSG_DONTWAIT, &ts), EAGAIN);
	CHECK_EQ(ts.tv_sec, 100);
	CHECK_EQ(ts.tv_nsec, 5);
	close(sv[0]);
	close(sv[1]);
}

static void test_later_error(void)
{
	/* the second receive faults: the first is returned, the fault comes
	 * with the next call, the datagram left waits */
	int sv[2];
	char bufs[8][16];
	struct iovec iov[8];
	struct mmsghdr v[8];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	send3(sv[0]);
	set_vec(v, iov, bufs, 3);
	v[1].msg_hdr.msg_iov = (struct iovec *)8;
	CHECK_EQ(recvmmsg(sv[1], v, 3, MSG_DONTWAIT, NULL), 1);
	set_vec(v, iov, bufs, 8);
	CHECK_ERR(recvmmsg(sv[1], v, 8, MSG_DONTWAIT, NULL), EFAULT);
	CHECK_EQ(recvmmsg(sv[1], v, 8, MSG_DONTWAIT, NULL), 2);
	CHECK_EQ(v[0].msg_len, 2);
	/* or SO_ERROR takes it */
	send3(sv[0]);
	set_vec(v, iov, bufs, 3);
	v[1].msg_hdr.msg_iov = (struct iovec *)8;
	CHECK_EQ(recvmmsg(sv[1], v, 3, MSG_DONTWAIT, NULL), 1);
	int err = -1;
	socklen_t len = sizeof(err);
	CHECK_EQ(getsockopt(sv[1], SOL_SOCKET, SO_ERROR, &err, &len), 0);
	CHECK_EQ(err, EFAULT);
	set_vec(v, iov, bufs, 8);
	CHECK_EQ(recvmmsg(sv[1], v, 8, MSG_DONTWAIT, NULL), 2);
	/* EAGAIN after some is not kept */
	send3(sv[0]);
	CHECK_EQ(recvmmsg(sv[1], v, 8, MSG_DONTWAIT, NULL), 3);
	CHECK_ERR(recvmmsg(sv[1], v, 8, MSG_DONTWAIT, NULL), EAGAIN);
	close(sv[0]);
	close(sv[1]);
}

int main(int argc, char **argv)
{
	beyond_qemu = argc > 1 && strcmp(argv[1], "--beyond-qemu") == 0;
	test_send_and_receive();
	test_sendmmsg_cap();
	if (beyond_qemu) {
		test_short_send();
		test_timeout();
		test_later_error();
	}
	return ltest_done("t_mmsg");
}
