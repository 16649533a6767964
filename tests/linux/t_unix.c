/*
 * AF_UNIX sockets: socket/socketpair arguments and errors, stream,
 * datagram and seqpacket sockets, path, abstract and automatic names,
 * blocking and non-blocking I/O and the MSG_* flags, shutdown and
 * hang-ups with SIGPIPE/EPIPE, poll/epoll/select readiness, socket
 * options, descriptor passing (SCM_RIGHTS) and credentials
 * (SCM_CREDENTIALS, SO_PEERCRED), glibc's getpwnam (whose nscd probe
 * opens a socket), and a socket as a native program's stdin and stdout.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

static volatile int sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static int revents(int fd, short events)
{
	struct pollfd p = {.fd = fd, .events = events};
	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

static socklen_t path_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

/* An abstract name: a NUL, then name (not terminated). */
static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

static int sockopt(int fd, int opt)
{
	int v = -12345;
	socklen_t len = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, opt, &v, &len) < 0)
		return -1;
	return v;
}

static int wait_status(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void test_socket_args(void)
{
	CHECK_ERR(socket(46, SOCK_STREAM, 0), EAFNOSUPPORT);
	CHECK_ERR(socket(-1, SOCK_STREAM, 0), EAFNOSUPPORT);
	CHECK_ERR(socketpair(46, SOCK_STREAM, 0, (int[2]){0}), EAFNOSUPPORT);
	CHECK_ERR(socket(AF_UNIX, SOCK_STREAM, 2), EPROTONOSUPPORT);
	CHECK_ERR(socket(AF_UNIX, SOCK_RDM, 0), ESOCKTNOSUPPORT);
	CHECK_ERR(socket(AF_UNIX, 11, 0), EINVAL);
	int fd = socket(AF_UNIX, SOCK_STREAM, PF_UNIX);
	CHECK(fd >= 0);
	close(fd);
	/* SOCK_RAW is a datagram socket in AF_UNIX */
	fd = socket(AF_UNIX, SOCK_RAW, 0);
	CHECK(fd >= 0);
	CHECK_EQ(sockopt(fd, SO_TYPE), SOCK_DGRAM);
	close(fd);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	CHECK(fd >= 0);
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(sockopt(fd, SO_TYPE), SOCK_SEQPACKET);
	CHECK_EQ(sockopt(fd, SO_DOMAIN), AF_UNIX);
	CHECK_EQ(sockopt(fd, SO_ACCEPTCONN), 0);
	CHECK_EQ(sockopt(fd, SO_ERROR), 0);
	CHECK_EQ(sockopt(fd, SO_PASSCRED), 0);
	CHECK(sockopt(fd, SO_SNDBUF) > 0);
	CHECK(sockopt(fd, SO_RCVBUF) > 0);
	struct stat st;
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(S_ISSOCK(st.st_mode));
	close(fd);
	/* not a socket, not a descriptor */
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_ERR(listen(p[0], 1), ENOTSOCK);
	CHECK_ERR(send(p[1], "x", 1, 0), ENOTSOCK);
	CHECK_ERR(getsockopt(p[0], SOL_SOCKET, SO_TYPE, &(int){0}, &(socklen_t){4}), ENOTSOCK);
	CHECK_ERR(shutdown(p[0], SHUT_RD), ENOTSOCK);
	close(p[0]);
	close(p[1]);
	CHECK_ERR(listen(999, 1), EBADF);
	CHECK_ERR(accept(-1, NULL, NULL), EBADF);
}

static void test_options(void)
{
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	int v = 65536;
	CHECK_EQ(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), 0);
	CHECK_EQ(sockopt(sv[0], SO_SNDBUF), 2 * 65536);
	CHECK_EQ(setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)), 0);
	CHECK_EQ(sockopt(sv[0], SO_RCVBUF), 2 * 65536);
	v = 1;
	CHECK_EQ(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), 0);
	CHECK_EQ(sockopt(sv[0], SO_SNDBUF), 4608); /* Linux's minimum */
	CHECK_ERR(setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &v, 2), EINVAL);
	CHECK_EQ(setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &v, sizeof(v)), 0);
	CHECK_EQ(sockopt(sv[0], SO_PASSCRED), 1);
	CHECK_ERR(setsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, sizeof(v)), ENOPROTOOPT);
	CHECK_ERR(setsockopt(sv[0], SOL_SOCKET, 9999, &v, sizeof(v)), ENOPROTOOPT);
	/* a short buffer gets a truncated value */
	char c = 0x55;
	socklen_t len = 1;
	CHECK_EQ(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &c, &len), 0);
	CHECK_EQ(len, 1);
	CHECK_EQ(c, SOCK_STREAM);
	struct ucred cr;
	len = sizeof(cr);
	CHECK_EQ(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &len), 0);
	CHECK_EQ(len, sizeof(cr));
	CHECK_EQ(cr.pid, getpid());
	CHECK_EQ(cr.uid, geteuid());
	CHECK_EQ(cr.gid, getegid());
	close(sv[0]);
	close(sv[1]);
}

static void test_stream_pair(void)
{
	int sv[2];
	char buf[64];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_EQ(revents(sv[0], POLLIN | POLLOUT), POLLOUT);
	CHECK_EQ(write(sv[0], "hello", 5), 5);
	CHECK_EQ(send(sv[0], " world", 6, 0), 6);
	CHECK_EQ(revents(sv[1], POLLIN | POLLOUT), POLLIN | POLLOUT);
	int n = -1;
	CHECK_EQ(ioctl(sv[1], FIONREAD, &n), 0);
	CHECK_EQ(n, 11);
	/* a peek leaves the data; a stream read runs over send boundaries */
	CHECK_EQ(recv(sv[1], buf, 3, MSG_PEEK), 3);
	CHECK_EQ(memcmp(buf, "hel", 3), 0);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), MSG_PEEK), 11);
	CHECK_EQ(read(sv[1], buf, 2), 2);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 9);
	CHECK_EQ(memcmp(buf, "llo world", 9), 0);
	CHECK_ERR(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	CHECK_EQ(revents(sv[1], POLLIN | POLLOUT), POLLOUT);
	/* stream sockets take no address once connected */
	struct sockaddr_un a;
	CHECK_ERR(sendto(sv[0], "x", 1, 0, (struct sockaddr *)&a, abstract_addr(&a, "nowhere")),
	          EISCONN);
	/* connect resolves the name first */
	CHECK_ERR(connect(sv[0], (struct sockaddr *)&a, abstract_addr(&a, "nowhere")),
	          ECONNREFUSED);
	CHECK_ERR(recv(sv[0], buf, 1, MSG_OOB), EINVAL); /* no urgent byte is waiting */
	/* an unnamed pair */
	socklen_t len = sizeof(a);
	CHECK_EQ(getsockname(sv[0], (struct sockaddr *)&a, &len), 0);
	CHECK_EQ(len, sizeof(sa_family_t));
	CHECK_EQ(a.sun_family, AF_UNIX);
	len = sizeof(a);
	CHECK_EQ(getpeername(sv[0], (struct sockaddr *)&a, &len), 0);
	CHECK_EQ(len, sizeof(sa_family_t));
	CHECK_ERR(listen(sv[0], 1), EINVAL);

	/* shutdown: the peer reads what is left, then end of file */
	CHECK_EQ(write(sv[0], "bye", 3), 3);
	CHECK_EQ(shutdown(sv[0], SHUT_WR), 0);
	CHECK_EQ(revents(sv[1], POLLIN | POLLRDHUP | POLLOUT), POLLIN | POLLRDHUP | POLLOUT);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 3);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 0);
	CHECK_ERR(shutdown(sv[0], 3), EINVAL);
	/* writing after our own shutdown: EPIPE and SIGPIPE, or no signal */
	signal(SIGPIPE, on_sigpipe);
	sigpipes = 0;
	CHECK_ERR(write(sv[0], "x", 1), EPIPE);
	CHECK_EQ(sigpipes, 1);
	CHECK_ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	CHECK_EQ(sigpipes, 1);
	/* the other way still works */
	CHECK_EQ(write(sv[1], "ok", 2), 2);
	CHECK_EQ(read(sv[0], buf, sizeof(buf)), 2);
	/* the peer's close: a hang-up, end of file, EPIPE */
	close(sv[1]);
	CHECK_EQ(revents(sv[0], POLLIN | POLLOUT | POLLRDHUP),
	         POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
	CHECK_EQ(read(sv[0], buf, sizeof(buf)), 0);
	CHECK_ERR(send(sv[0], "x", 1, 0), EPIPE);
	CHECK_EQ(sigpipes, 2);
	signal(SIGPIPE, SIG_DFL);
	close(sv[0]);

	/* closing with unread data resets the peer */
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_EQ(write(sv[0], "lost", 4), 4);
	close(sv[1]);
	CHECK_EQ(revents(sv[0], POLLIN | POLLOUT) & (POLLERR | POLLHUP), POLLERR | POLLHUP);
	CHECK_ERR(read(sv[0], buf, sizeof(buf)), ECONNRESET);
	CHECK_EQ(read(sv[0], buf, sizeof(buf)), 0);
	close(sv[0]);
}

/* Non-blocking: fill the buffer until EAGAIN, then drain it. */
static void test_nonblocking_fill(void)
{
	int sv[2];
	static char chunk[4096];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	long sent = 0;
	int r;
	for (int i = 0; i < 10000; i++) {
		r = (int)write(sv[0], chunk, sizeof(chunk));
		if (r < 0)
			break;
		sent += r;
	}
	CHECK_ERR(write(sv[0], chunk, sizeof(chunk)), EAGAIN);
	CHECK(sent > 0 && sent < 10000L * 4096);
	CHECK_EQ(revents(sv[0], POLLOUT), 0);
	long got = 0;
	while ((r = (int)read(sv[1], chunk, sizeof(chunk))) > 0)
		got += r;
	CHECK_EQ(got, sent);
	CHECK_EQ(revents(sv[0], POLLOUT), POLLOUT);
	close(sv[0]);
	close(sv[1]);
}

/* Blocking reads and writes against a child; a large transfer. */
static void test_blocking(void)
{
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	enum { TOTAL = 1 << 20 };
	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		static unsigned char out[TOTAL];
		for (int i = 0; i < TOTAL; i++)
			out[i] = (unsigned char)(i * 7 + i / 251);
		usleep(50000); /* the parent blocks in the meantime */
		if (write(sv[1], out, 10) != 10)
			_exit(1);
		usleep(50000);
		if (write(sv[1], out + 10, TOTAL - 10) != TOTAL - 10)
			_exit(2);
		char c;
		if (read(sv[1], &c, 1) != 1 || c != 'k')
			_exit(3);
		_exit(0);
	}
	close(sv[1]);
	static unsigned char in[TOTAL];
	/* MSG_WAITALL waits for the whole 20 bytes over two writes */
	CHECK_EQ(recv(sv[0], in, 20, MSG_WAITALL), 20);
	long got = 20;
	while (got < TOTAL) {
		ssize_t r = read(sv[0], in + got, TOTAL - got);
		if (r <= 0)
			break;
		got += r;
	}
	CHECK_EQ(got, TOTAL);
	int bad = 0;
	for (int i = 0; i < TOTAL; i++)
		bad += in[i] != (unsigned char)(i * 7 + i / 251);
	CHECK_EQ(bad, 0);
	CHECK_EQ(write(sv[0], "k", 1), 1);
	CHECK_EQ(wait_status(pid), 0);
	CHECK_EQ(read(sv[0], in, 1), 0);
	close(sv[0]);
}

static void test_stream_path(void)
{
	struct sockaddr_un a, b;
	socklen_t alen = path_addr(&a, "sock1"), len;
	char buf[64];
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(listen(l, 5), EINVAL); /* not bound */
	CHECK_ERR(accept(l, NULL, NULL), EINVAL);
	CHECK_ERR(recv(l, buf, 1, 0), EINVAL);
	CHECK_ERR(send(l, "x", 1, MSG_NOSIGNAL), ENOTCONN);
	CHECK_ERR(bind(l, (struct sockaddr *)&a, 1), EINVAL);
	a.sun_family = AF_INET;
	CHECK_ERR(bind(l, (struct sockaddr *)&a, alen), EINVAL);
	a.sun_family = AF_UNIX;
	CHECK_EQ(bind(l, (struct sockaddr *)&a, alen), 0);
	CHECK_ERR(bind(l, (struct sockaddr *)&a, alen), EADDRINUSE); /* the name is taken */
	CHECK_ERR(bind(l, (struct sockaddr *)&b, path_addr(&b, "sock2")), EINVAL); /* named */
	CHECK_ERR(access("sock2", F_OK), ENOENT);
	struct stat st;
	CHECK_EQ(stat("sock1", &st), 0);
	CHECK(S_ISSOCK(st.st_mode));
	int other = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(bind(other, (struct sockaddr *)&a, alen), EADDRINUSE);
	/* nothing listens yet */
	CHECK_ERR(connect(other, (struct sockaddr *)&a, alen), ECONNREFUSED);
	CHECK_EQ(listen(l, 5), 0);
	CHECK_EQ(sockopt(l, SO_ACCEPTCONN), 1);
	CHECK_EQ(revents(l, POLLIN | POLLOUT), 0);
	len = sizeof(b);
	CHECK_EQ(getsockname(l, (struct sockaddr *)&b, &len), 0);
	CHECK_EQ(len, alen);
	CHECK_STR(b.sun_path, "sock1");
	CHECK_ERR(getpeername(l, (struct sockaddr *)&b, &(socklen_t){sizeof(b)}), ENOTCONN);
	CHECK_ERR(accept4(l, NULL, NULL, SOCK_NONBLOCK | 0x1), EINVAL);
	fcntl(l, F_SETFL, O_NONBLOCK);
	CHECK_ERR(accept(l, NULL, NULL), EAGAIN);
	fcntl(l, F_SETFL, 0);

	/* connect, accept */
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_EQ(revents(c, POLLIN | POLLOUT), POLLOUT | POLLHUP); /* not connected */
	CHECK_EQ(connect(c, (struct sockaddr *)&a, alen), 0);
	CHECK_ERR(connect(c, (struct sockaddr *)&a, alen), EISCONN);
	CHECK_EQ(revents(l, POLLIN), POLLIN);
	len = sizeof(b);
	memset(&b, 0x55, sizeof(b));
	int s = accept4(l, (struct sockaddr *)&b, &len, SOCK_CLOEXEC);
	CHECK(s >= 0);
	CHECK_EQ(len, sizeof(sa_family_t)); /* the client is unnamed */
	CHECK_EQ(fcntl(s, F_GETFD), FD_CLOEXEC);
	len = sizeof(b);
	CHECK_EQ(getsockname(s, (struct sockaddr *)&b, &len), 0);
	CHECK_STR(b.sun_path, "sock1");
	len = sizeof(b);
	CHECK_EQ(getpeername(c, (struct sockaddr *)&b, &len), 0);
	CHECK_EQ(len, alen);
	CHECK_STR(b.sun_path, "sock1");
	struct ucred cr;
	len = sizeof(cr);
	CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &len), 0);
	CHECK_EQ(cr.pid, getpid());
	len = sizeof(cr);
	CHECK_EQ(getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &len), 0);
	CHECK_EQ(cr.pid, getpid());
	CHECK_EQ(write(c, "ping", 4), 4);
	CHECK_EQ(read(s, buf, sizeof(buf)), 4);
	CHECK_EQ(write(s, "pong", 4), 4);
	CHECK_EQ(read(c, buf, sizeof(buf)), 4);
	CHECK_EQ(memcmp(buf, "pong", 4), 0);
	close(c);
	close(s);

	/* a blocking accept woken by a child's connect */
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		int cc = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(cc, (struct sockaddr *)&a, alen) < 0)
			_exit(1);
		if (write(cc, "child", 5) != 5)
			_exit(2);
		_exit(0);
	}
	s = accept(l, NULL, NULL);
	CHECK(s >= 0);
	CHECK_EQ(read(s, buf, 5), 5);
	CHECK_EQ(wait_status(pid), 0);
	len = sizeof(cr);
	CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &len), 0);
	CHECK_EQ(cr.pid, pid);
	CHECK_EQ(read(s, buf, 5), 0);
	close(s);

	/* a connection never accepted is reset when the listener closes */
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_EQ(connect(c, (struct sockaddr *)&a, alen), 0);
	close(l);
	CHECK_ERR(read(c, buf, 1), ECONNRESET);
	close(c);
	/* the name stays in the filesystem, refusing connections */
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(connect(c, (struct sockaddr *)&a, alen), ECONNREFUSED);
	CHECK_ERR(bind(other, (struct sockaddr *)&a, alen), EADDRINUSE);
	CHECK_EQ(unlink("sock1"), 0);
	CHECK_ERR(connect(c, (struct sockaddr *)&a, alen), ENOENT);
	/* a regular file is no socket */
	int f = open("plain", O_CREAT | O_WRONLY, 0644);
	close(f);
	CHECK_ERR(connect(c, (struct sockaddr *)&a, path_addr(&a, "plain")), ECONNREFUSED);
	CHECK_ERR(bind(c, (struct sockaddr *)&a, path_addr(&a, "nodir/sock")), ENOENT);
	unlink("plain");
	/* a datagram socket's name is the wrong type */
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_EQ(bind(d, (struct sockaddr *)&a, path_addr(&a, "dsock")), 0);
	CHECK_ERR(connect(c, (struct sockaddr *)&a, path_addr(&a, "dsock")), EPROTOTYPE);
	CHECK_ERR(listen(d, 1), EOPNOTSUPP);
	CHECK_ERR(accept(d, NULL, NULL), EOPNOTSUPP);
	close(d);
	unlink("dsock");
	close(c);
	close(other);
	/* a name left behind when its socket closes (for the filesystem
	 * checks of test_unix.py) */
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_EQ(bind(c, (struct sockaddr *)&a, path_addr(&a, "left.sock")), 0);
	close(c);
	CHECK_EQ(lstat("left.sock", &st), 0);
	CHECK(S_ISSOCK(st.st_mode));
}

static void test_abstract_and_autobind(void)
{
	struct sockaddr_un a, b;
	char name[64];
	snprintf(name, sizeof(name), "scarlet-t_unix-%d", getpid());
	socklen_t alen = abstract_addr(&a, name), len;
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_EQ(bind(l, (struct sockaddr *)&a, alen), 0);
	int l2 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(bind(l2, (struct sockaddr *)&a, alen), EADDRINUSE);
	/* one byte shorter is another name */
	CHECK_EQ(bind(l2, (struct sockaddr *)&a, alen - 1), 0);
	close(l2);
	len = sizeof(b);
	CHECK_EQ(getsockname(l, (struct sockaddr *)&b, &len), 0);
	CHECK_EQ(len, alen);
	CHECK_EQ(memcmp(&a, &b, alen), 0);
	CHECK_EQ(listen(l, 1), 0);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_EQ(connect(c, (struct sockaddr *)&a, alen), 0);
	int s = accept(l, NULL, NULL);
	CHECK(s >= 0);
	CHECK_EQ(send(c, "abs", 3, 0), 3);
	char buf[8];
	CHECK_EQ(recv(s, buf, sizeof(buf), 0), 3);
	close(s);
	close(c);
	close(l);
	/* the name is free again once its socket is closed */
	l = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_EQ(bind(l, (struct sockaddr *)&a, alen), 0);
	close(l);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(connect(c, (struct sockaddr *)&a, alen), ECONNREFUSED);
	/* autobind: an abstract name of five hex digits */
	sa_family_t fam = AF_UNIX;
	CHECK_EQ(bind(c, (struct sockaddr *)&fam, sizeof(fam)), 0);
	len = sizeof(b);
	CHECK_EQ(getsockname(c, (struct sockaddr *)&b, &len), 0);
	CHECK_EQ(len, offsetof(struct sockaddr_un, sun_path) + 6);
	CHECK_EQ(b.sun_path[0], 0);
	CHECK(strspn(b.sun_path + 1, "0123456789abcdef") >= 5);
	close(c);
}

static void test_dgram(void)
{
	struct sockaddr_un a, b, from;
	socklen_t alen = path_addr(&a, "d1"), blen = path_addr(&b, "d2"), len;
	char buf[64];
	int s1 = socket(AF_UNIX, SOCK_DGRAM, 0), s2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	int s3 = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	CHECK_EQ(bind(s1, (struct sockaddr *)&a, alen), 0);
	CHECK_EQ(bind(s2, (struct sockaddr *)&b, blen), 0);
	CHECK_ERR(send(s1, "x", 1, 0), ENOTCONN);
	CHECK_ERR(write(s3, "x", 1), ENOTCONN);
	CHECK_ERR(getpeername(s1, (struct sockaddr *)&from, &(socklen_t){sizeof(from)}), ENOTCONN);
	CHECK_EQ(revents(s1, POLLIN | POLLOUT), POLLOUT); /* no hang-up unconnected */
	CHECK_EQ(sendto(s1, "one", 3, 0, (struct sockaddr *)&b, blen), 3);
	CHECK_EQ(sendto(s1, "two!", 4, 0, (struct sockaddr *)&b, blen), 4);
	CHECK_EQ(sendto(s3, "", 0, 0, (struct sockaddr *)&b, blen), 0); /* unnamed, empty */
	int n = -1;
	CHECK_EQ(ioctl(s2, FIONREAD, &n), 0);
	CHECK_EQ(n, 3); /* the next datagram's size */
	len = sizeof(from);
	CHECK_EQ(recvfrom(s2, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len), 3);
	CHECK_EQ(len, alen);
	CHECK_STR(from.sun_path, "d1");
	/* truncation: the rest of the datagram is lost; MSG_TRUNC gives its size */
	CHECK_EQ(recv(s2, buf, 2, MSG_PEEK | MSG_TRUNC), 4);
	CHECK_EQ(recv(s2, buf, 2, 0), 2);
	len = sizeof(from);
	CHECK_EQ(recvfrom(s2, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len), 0);
	CHECK_EQ(len, 0); /* an unnamed sender */
	CHECK_ERR(recv(s2, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	/* recvmsg reports the truncation */
	CHECK_EQ(sendto(s1, "abcdef", 6, 0, (struct sockaddr *)&b, blen), 6);
	struct iovec iov[2] = {{buf, 2}, {buf + 10, 2}};
	struct msghdr mh = {.msg_iov = iov, .msg_iovlen = 2};
	CHECK_EQ(recvmsg(s2, &mh, 0), 4);
	CHECK_EQ(mh.msg_flags, MSG_TRUNC);
	CHECK_EQ(memcmp(buf, "ab", 2), 0);
	CHECK_EQ(memcmp(buf + 10, "cd", 2), 0);
	/* connected: the default destination, and the only sender accepted */
	CHECK_EQ(connect(s2, (struct sockaddr *)&a, alen), 0);
	CHECK_EQ(send(s2, "back", 4, 0), 4);
	CHECK_EQ(recv(s1, buf, sizeof(buf), 0), 4);
	CHECK_ERR(sendto(s3, "x", 1, 0, (struct sockaddr *)&b, blen), EPERM);
	len = sizeof(from);
	CHECK_EQ(getpeername(s2, (struct sockaddr *)&from, &len), 0);
	CHECK_STR(from.sun_path, "d1");
	/* AF_UNSPEC disconnects */
	struct sockaddr unspec = {.sa_family = AF_UNSPEC};
	CHECK_EQ(connect(s2, &unspec, sizeof(unspec)), 0);
	CHECK_EQ(sendto(s3, "x", 1, 0, (struct sockaddr *)&b, blen), 1);
	CHECK_EQ(recv(s2, buf, sizeof(buf), 0), 1);
	/* addresses that are no socket of this type */
	CHECK_ERR(sendto(s1, "x", 1, 0, (struct sockaddr *)&a, path_addr(&a, "missing")), ENOENT);
	struct sockaddr_un ab;
	CHECK_ERR(sendto(s1, "x", 1, 0, (struct sockaddr *)&ab, abstract_addr(&ab, "t_unix-none")),
	          ECONNREFUSED);
	int st = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_EQ(bind(st, (struct sockaddr *)&a, path_addr(&a, "stream")), 0);
	CHECK_EQ(listen(st, 1), 0);
	CHECK_ERR(sendto(s1, "x", 1, 0, (struct sockaddr *)&a, path_addr(&a, "stream")),
	          EPROTOTYPE);
	CHECK_ERR(sendto(s1, "x", 1, 0, (struct sockaddr *)&a, 200), EINVAL);
	close(st);
	/* too big for the send buffer */
	static char big[300000];
	CHECK_ERR(sendto(s1, big, sizeof(big), 0, (struct sockaddr *)&b, blen), EMSGSIZE);
	close(s1);
	close(s2);
	close(s3);
	unlink("d1");
	unlink("d2");
	unlink("stream");

	/* a pair: the peer's close refuses further datagrams */
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	CHECK_EQ(write(sv[0], "12345", 5), 5);
	CHECK_EQ(write(sv[0], "67", 2), 2);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 5); /* one datagram per read */
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 2);
	close(sv[1]);
	CHECK_ERR(write(sv[0], "x", 1), ECONNREFUSED);
	close(sv[0]);
}

static void test_seqpacket(void)
{
	int sv[2];
	char buf[64];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	CHECK_EQ(write(sv[0], "first", 5), 5);
	CHECK_EQ(write(sv[0], "second", 6), 6);
	CHECK_EQ(write(sv[0], "", 0), 0);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 5);
	CHECK_EQ(recv(sv[1], buf, 3, MSG_TRUNC), 6); /* the record's size, the rest dropped */
	CHECK_EQ(memcmp(buf, "sec", 3), 0);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), 0); /* the empty record */
	CHECK_ERR(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	CHECK_EQ(write(sv[0], "abcdef", 6), 6);
	struct iovec iov = {buf, 4};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	CHECK_EQ(recvmsg(sv[1], &mh, 0), 4);
	CHECK(mh.msg_flags & MSG_TRUNC);
	/* a hang-up: end of file for the reader */
	close(sv[0]);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 0);
	CHECK(revents(sv[1], POLLIN) & POLLHUP);
	close(sv[1]);

	/* listen and accept, over an abstract name */
	struct sockaddr_un a;
	char name[64];
	snprintf(name, sizeof(name), "t_unix-seq-%d", getpid());
	socklen_t alen = abstract_addr(&a, name);
	int l = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_EQ(bind(l, (struct sockaddr *)&a, alen), 0);
	CHECK_EQ(listen(l, 2), 0);
	int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_ERR(send(c, "x", 1, 0), ENOTCONN);
	CHECK_ERR(recv(c, buf, 1, 0), ENOTCONN);
	CHECK_EQ(connect(c, (struct sockaddr *)&a, alen), 0);
	int s = accept(l, NULL, NULL);
	CHECK(s >= 0);
	CHECK_EQ(send(c, "rec1", 4, 0), 4);
	CHECK_EQ(send(c, "rec22", 5, 0), 5);
	CHECK_EQ(recv(s, buf, sizeof(buf), 0), 4);
	CHECK_EQ(recv(s, buf, sizeof(buf), 0), 5);
	close(s);
	close(c);
	close(l);
}

/* Sends fds over sock with SCM_RIGHTS. */
static ssize_t send_fds(int sock, const int *fds, int n, const char *data)
{
	char ctl[CMSG_SPACE(sizeof(int) * 8)];
	memset(ctl, 0, sizeof(ctl));
	struct iovec iov = {(void *)data, strlen(data)};
	struct msghdr mh = {.msg_iov = &iov,
	                    .msg_iovlen = 1,
	                    .msg_control = ctl,
	                    .msg_controllen = CMSG_SPACE(sizeof(int) * n)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
	return sendmsg(sock, &mh, 0);
}

/* Receives up to max fds; returns how many (-1 on error), *flags the
 * message flags. */
static int recv_fds(int sock, int *fds, int max, size_t ctlspace, int rflags, int *flags)
{
	char data[64];
	char ctl[512];
	struct iovec iov = {data, sizeof(data)};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = ctlspace};
	if (recvmsg(sock, &mh, rflags) < 0)
		return -1;
	*flags = mh.msg_flags;
	int n = 0;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		int k = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (int i = 0; i < k && n < max; i++)
			memcpy(&fds[n++], CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
	}
	return n;
}

static void test_scm_rights(void)
{
	int sv[2], p[2], fds[4], flags = 0;
	char buf[16];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_EQ(pipe(p), 0);
	int f = open("rights", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK_EQ(write(f, "file", 4), 4);
	/* a pipe end and a file, with their data */
	int send_set[2] = {p[1], f};
	CHECK_EQ(send_fds(sv[0], send_set, 2, "R"), 1);
	close(p[1]);
	close(f);
	CHECK_EQ(recv_fds(sv[1], fds, 4, 512, MSG_CMSG_CLOEXEC, &flags), 2);
	CHECK_EQ(flags, MSG_CMSG_CLOEXEC); /* recvmsg hands it back */
	CHECK_EQ(fcntl(fds[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ(write(fds[0], "via", 3), 3);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 3);
	CHECK_EQ(lseek(fds[1], 0, SEEK_CUR), 4); /* the same open file */
	CHECK_EQ(pread(fds[1], buf, 4, 0), 4);
	CHECK_EQ(memcmp(buf, "file", 4), 0);
	close(fds[0]);
	close(fds[1]);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0); /* every write end closed */
	close(p[0]);
	unlink("rights");

	/* control room for one descriptor of two, then for none: the others
	 * are closed, with MSG_CTRUNC.  qemu-user receives into a larger
	 * buffer of its own and keeps what does not fit open (the same
	 * program built for the host passes on Linux itself). */
	if (access("/scarlet", F_OK) != 0) {
		SKIP("qemu-user does not truncate control data as Linux does");
	} else {
		CHECK_EQ(pipe(p), 0);
		int two[2] = {p[0], p[1]};
		CHECK_EQ(send_fds(sv[0], two, 2, "T"), 1);
		CHECK_EQ(recv_fds(sv[1], fds, 4, CMSG_LEN(sizeof(int)), 0, &flags), 1);
		CHECK(flags & MSG_CTRUNC);
		CHECK_EQ(fcntl(fds[0], F_GETFD), 0);
		close(fds[0]);
		/* the descriptor that did not fit was closed: p[1] is the last writer */
		close(p[1]);
		CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);
		close(p[0]);
		/* no control room at all */
		CHECK_EQ(pipe(p), 0);
		CHECK_EQ(send_fds(sv[0], &p[1], 1, "N"), 1);
		close(p[1]);
		CHECK_EQ(recv_fds(sv[1], fds, 4, 0, 0, &flags), 0);
		CHECK(flags & MSG_CTRUNC);
		CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);
		close(p[0]);
	}

	/* bad descriptors and too many */
	int bad = 1000;
	CHECK_ERR(send_fds(sv[0], &bad, 1, "B"), EBADF);
	/* in flight when the receiving socket closes: dropped */
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(send_fds(sv[0], &p[1], 1, "D"), 1);
	close(p[1]);
	close(sv[1]);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);
	close(p[0]);
	close(sv[0]);

	/* a cycle: a socket sent over its own pair with a pipe's write end,
	 * then every descriptor closed; the next close of any socket
	 * collects it, closing the pipe (Linux does so in the background) */
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_EQ(pipe(p), 0);
	int cyc[2] = {sv[1], p[1]};
	CHECK_EQ(send_fds(sv[0], cyc, 2, "C"), 1);
	close(sv[0]);
	close(sv[1]);
	close(p[1]);
	close(socket(AF_UNIX, SOCK_DGRAM, 0));
	struct pollfd pf = {.fd = p[0], .events = POLLIN};
	CHECK_EQ(poll(&pf, 1, 5000), 1);
	CHECK_EQ(pf.revents, POLLHUP);
	close(p[0]);

	/* a datagram with a socket in it, then the data sent on it */
	int d[2], inner[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, d), 0);
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, inner), 0);
	CHECK_EQ(send_fds(d[0], &inner[1], 1, "S"), 1);
	close(inner[1]);
	CHECK_EQ(recv_fds(d[1], fds, 4, 512, MSG_PEEK, &flags), 1); /* a peek gets its own copy */
	close(fds[0]);
	CHECK_EQ(recv_fds(d[1], fds, 4, 512, 0, &flags), 1);
	CHECK_EQ(write(inner[0], "inner", 5), 5);
	CHECK_EQ(read(fds[0], buf, sizeof(buf)), 5);
	close(fds[0]);
	CHECK_EQ(read(inner[0], buf, sizeof(buf)), 0);
	close(inner[0]);
	close(d[0]);
	close(d[1]);
}

static void test_scm_credentials(void)
{
	int sv[2], on = 1;
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	CHECK_EQ(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)), 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(write(sv[0], "c", 1) == 1 ? 0 : 1);
	CHECK_EQ(wait_status(pid), 0);
	char data[4], ctl[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = {data, sizeof(data)};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)};
	CHECK_EQ(recvmsg(sv[1], &mh, 0), 1);
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	CHECK(cm != NULL);
	if (cm) {
		CHECK_EQ(cm->cmsg_type, SCM_CREDENTIALS);
		CHECK_EQ(cm->cmsg_len, CMSG_LEN(sizeof(struct ucred)));
		struct ucred uc;
		memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
		CHECK_EQ(uc.pid, pid);
		CHECK_EQ(uc.uid, getuid());
		CHECK_EQ(uc.gid, getgid());
	}
	/* explicit credentials, our own */
	struct ucred mine = {getpid(), getuid(), getgid()};
	char sctl[CMSG_SPACE(sizeof(mine))];
	memset(sctl, 0, sizeof(sctl));
	struct iovec siov = {"e", 1};
	struct msghdr smh = {
	    .msg_iov = &siov, .msg_iovlen = 1, .msg_control = sctl, .msg_controllen = sizeof(sctl)};
	cm = CMSG_FIRSTHDR(&smh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(mine));
	memcpy(CMSG_DATA(cm), &mine, sizeof(mine));
	CHECK_EQ(sendmsg(sv[0], &smh, 0), 1);
	mh.msg_controllen = sizeof(ctl);
	CHECK_EQ(recvmsg(sv[1], &mh, 0), 1);
	cm = CMSG_FIRSTHDR(&mh);
	CHECK(cm && cm->cmsg_type == SCM_CREDENTIALS);
	if (cm) {
		struct ucred uc;
		memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
		CHECK_EQ(uc.pid, getpid());
	}
	/* a malformed control message */
	cm = CMSG_FIRSTHDR(&smh);
	cm->cmsg_len = CMSG_LEN(4);
	CHECK_ERR(sendmsg(sv[0], &smh, 0), EINVAL);
	cm->cmsg_len = CMSG_LEN(sizeof(mine));
	cm->cmsg_type = 77;
	CHECK_ERR(sendmsg(sv[0], &smh, 0), EINVAL);
	close(sv[0]);
	close(sv[1]);
}

static void test_epoll_select(void)
{
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = sv[1]};
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev), 0);
	struct epoll_event out[2];
	CHECK_EQ(epoll_wait(ep, out, 2, 0), 0);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000);
		_exit(write(sv[0], "e", 1) == 1 ? 0 : 1);
	}
	CHECK_EQ(epoll_wait(ep, out, 2, 5000), 1); /* woken by the child's write */
	CHECK_EQ(out[0].events, EPOLLIN);
	CHECK_EQ(wait_status(pid), 0);
	char c;
	CHECK_EQ(read(sv[1], &c, 1), 1);
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(sv[1], &rd);
	struct timeval tv = {0, 0};
	CHECK_EQ(select(sv[1] + 1, &rd, NULL, NULL, &tv), 0);
	CHECK_EQ(shutdown(sv[0], SHUT_WR), 0);
	CHECK_EQ(epoll_wait(ep, out, 2, 1000), 1);
	CHECK_EQ(out[0].events, EPOLLIN | EPOLLRDHUP);
	FD_SET(sv[1], &rd);
	CHECK_EQ(select(sv[1] + 1, &rd, NULL, NULL, &tv), 1);
	close(sv[0]);
	CHECK_EQ(epoll_wait(ep, out, 2, 1000), 1);
	CHECK_EQ(out[0].events, EPOLLIN | EPOLLRDHUP | EPOLLHUP);
	close(ep);
	close(sv[1]);
}

/* A blocked reader is woken by a signal (EINTR) and by its peer's close. */
static void on_alarm(int sig)
{
	(void)sig;
}

static void test_interrupt(void)
{
	int sv[2];
	char c;
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	struct sigaction sa = {.sa_handler = on_alarm};
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	CHECK_ERR(read(sv[0], &c, 1), EINTR);
	alarm(0);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000);
		close(sv[1]);
		_exit(0);
	}
	close(sv[1]);
	CHECK_EQ(read(sv[0], &c, 1), 0);
	CHECK_EQ(wait_status(pid), 0);
	close(sv[0]);
}

/* Bad user pointers fail with EFAULT and lose nothing. */
static void test_efault(void)
{
	int sv[2];
	char buf[16];
	static void *volatile bad_ptr = (void *)16; /* opaque to the compiler */
	void *bad = bad_ptr;
	CHECK_ERR(socketpair(AF_UNIX, SOCK_STREAM, 0, bad), EFAULT);
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_ERR(send(sv[0], bad, 10, 0), EFAULT);
	CHECK_EQ(send(sv[0], "data", 4, 0), 4);
	CHECK_ERR(recv(sv[1], bad, 10, 0), EFAULT);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 4); /* still there */
	CHECK_ERR(sendmsg(sv[0], bad, 0), EFAULT);
	CHECK_ERR(recvmsg(sv[1], bad, MSG_DONTWAIT), EFAULT);
	struct msghdr mh = {.msg_iov = bad, .msg_iovlen = 1};
	CHECK_ERR(sendmsg(sv[0], &mh, 0), EFAULT);
	struct iovec iov = {buf, 1};
	mh = (struct msghdr){
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = bad, .msg_controllen = 64};
	CHECK_ERR(sendmsg(sv[0], &mh, 0), EFAULT);
	mh = (struct msghdr){.msg_iov = &iov, .msg_iovlen = 2000};
	CHECK_ERR(sendmsg(sv[0], &mh, 0), EMSGSIZE);
	CHECK_ERR(bind(sv[0], bad, sizeof(struct sockaddr_un)), EFAULT);
	CHECK_ERR(getsockname(sv[0], bad, bad), EFAULT);
	CHECK_ERR(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, buf, bad), EFAULT);
	CHECK_ERR(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, bad, 4), EFAULT);
	int d[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, d), 0);
	CHECK_EQ(send(d[0], "dgram", 5, 0), 5);
	CHECK_ERR(recv(d[1], bad, 5, 0), EFAULT);
	close(d[0]);
	close(d[1]);
	close(sv[0]);
	close(sv[1]);
}

/* glibc's getpwnam asks nscd over a socket first; that must fail the
 * way it does without nscd (ENOENT), never ENOSYS. */
static void test_getpwnam(void)
{
	errno = 0;
	struct passwd *pw = getpwnam("root");
	CHECK(errno != ENOSYS);
	if (pw)
		CHECK_EQ(pw->pw_uid, 0);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	struct sockaddr_un a;
	CHECK_ERR(connect(s, (struct sockaddr *)&a, path_addr(&a, "/var/run/nscd/no-such-socket")),
	          ENOENT);
	close(s);
}

/* A socket as a native program's stdin and stdout: Scarlet's cat. */
static void test_native_cat(void)
{
	const char *cat = "/scarlet/system/scarlet/bin/cat";
	if (access(cat, X_OK) != 0) {
		SKIP("no Scarlet tree at /scarlet");
		return;
	}
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(sv[1], 0);
		dup2(sv[1], 1);
		close(sv[0]);
		close(sv[1]);
		char *av[] = {(char *)cat, NULL};
		execv(cat, av);
		_exit(127);
	}
	close(sv[1]);
	CHECK_EQ(write(sv[0], "across ABIs\n", 12), 12);
	CHECK_EQ(shutdown(sv[0], SHUT_WR), 0);
	char buf[64];
	size_t got = 0;
	ssize_t r;
	while (got < sizeof(buf) && (r = read(sv[0], buf + got, sizeof(buf) - got)) > 0)
		got += (size_t)r;
	CHECK_EQ(got, 12);
	CHECK_EQ(memcmp(buf, "across ABIs\n", 12), 0);
	CHECK_EQ(wait_status(pid), 0);
	close(sv[0]);
}

int main(void)
{
	test_socket_args();
	test_options();
	test_stream_pair();
	test_nonblocking_fill();
	test_blocking();
	test_stream_path();
	test_abstract_and_autobind();
	test_dgram();
	test_seqpacket();
	test_scm_rights();
	test_scm_credentials();
	test_epoll_select();
	test_interrupt();
	test_efault();
	test_getpwnam();
	test_native_cat();
	return ltest_done("t_unix");
}
