/*
 * FIFOs (mkfifo, mknod S_IFIFO): the open rules (a reader waits for a
 * writer and the other way round, O_RDWR never waits, O_NONBLOCK), data
 * through them, what stat and poll say, EINTR in a waiting open; and the
 * buffer size of pipes and FIFOs (F_GETPIPE_SZ/F_SETPIPE_SZ).
 *
 * Usage: t_fifo [DIR] (the FIFOs go to DIR, the current directory by
 * default).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

static char fifo[512], fifo2[512];

static short revents(int fd, short events)
{
	struct pollfd p = {.fd = fd, .events = events};
	return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

static void test_make(void)
{
	CHECK_EQ(mkfifo(fifo, 0640), 0);
	struct stat st;
	CHECK_EQ(stat(fifo, &st), 0);
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_EQ(st.st_mode & 07777, 0640 & ~022 & 0640);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(st.st_blocks, 0);
	CHECK_ERR(mkfifo(fifo, 0640), EEXIST);
	CHECK_EQ(mknod(fifo2, S_IFIFO | 0600, 0), 0);
	CHECK_EQ(lstat(fifo2, &st), 0);
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_EQ(st.st_rdev, 0);
}

static void test_nonblocking(void)
{
	/* a reader opens alone with O_NONBLOCK and sees end of file */
	int r = open(fifo, O_RDONLY | O_NONBLOCK);
	CHECK(r >= 0);
	char buf[16];
	CHECK_EQ(read(r, buf, sizeof(buf)), 0);
	CHECK_EQ(revents(r, POLLIN), 0); /* no writer has come yet: no POLLHUP */
	int w = open(fifo, O_WRONLY | O_NONBLOCK);
	CHECK(w >= 0);
	CHECK_ERR(read(r, buf, sizeof(buf)), EAGAIN);
	CHECK_EQ(revents(w, POLLOUT), POLLOUT);
	CHECK_EQ(write(w, "abc", 3), 3);
	CHECK_EQ(revents(r, POLLIN), POLLIN);
	CHECK_EQ(read(r, buf, sizeof(buf)), 3);
	CHECK_EQ(memcmp(buf, "abc", 3), 0);
	struct stat st, fst;
	CHECK_EQ(fstat(r, &fst), 0);
	CHECK_EQ(stat(fifo, &st), 0);
	CHECK(S_ISFIFO(fst.st_mode));
	CHECK_EQ(fst.st_ino, st.st_ino);
	CHECK_EQ(fst.st_dev, st.st_dev);
	CHECK_ERR(lseek(r, 0, SEEK_SET), ESPIPE);
	CHECK_EQ(fcntl(r, F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_EQ(fcntl(w, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_WRONLY | O_NONBLOCK);
	CHECK_EQ(close(w), 0);
	CHECK_EQ(revents(r, POLLIN), POLLHUP);
	CHECK_EQ(read(r, buf, sizeof(buf)), 0);
	/* the last writer gone, a reader left: a new writer's data comes */
	w = open(fifo, O_WRONLY | O_NONBLOCK);
	CHECK_EQ(write(w, "d", 1), 1);
	CHECK_EQ(read(r, buf, sizeof(buf)), 1);
	CHECK_EQ(close(r), 0);
	CHECK_ERR(write(w, "e", 1), EPIPE);
	close(w);
	/* a writer without reader */
	CHECK_ERR(open(fifo, O_WRONLY | O_NONBLOCK), ENXIO);
	/* O_RDWR never waits; data goes with the last close */
	int rw = open(fifo, O_RDWR);
	CHECK(rw >= 0);
	CHECK_EQ(write(rw, "xyz", 3), 3);
	CHECK_EQ(read(rw, buf, 2), 2);
	CHECK_EQ(revents(rw, POLLIN | POLLOUT), POLLIN | POLLOUT);
	CHECK_EQ(close(rw), 0);
	rw = open(fifo, O_RDWR | O_NONBLOCK);
	CHECK_ERR(read(rw, buf, sizeof(buf)), EAGAIN);
	/* an open FIFO outlives its name */
	r = open(fifo2, O_RDONLY | O_NONBLOCK);
	w = open(fifo2, O_WRONLY);
	CHECK(r >= 0 && w >= 0);
	CHECK_EQ(unlink(fifo2), 0);
	CHECK_EQ(write(w, "q", 1), 1);
	CHECK_EQ(read(r, buf, 1), 1);
	close(r);
	close(w);
	close(rw);
}

/* A child opens the FIFO with flags, then writes or reads one message. */
static pid_t child_open(int flags)
{
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(fifo, flags);
		char buf[8] = {0};
		if (fd < 0)
			_exit(2);
		if ((flags & O_ACCMODE) == O_WRONLY)
			_exit(write(fd, "hello", 5) == 5 ? 0 : 3);
		_exit(read(fd, buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0 ? 0 : 4);
	}
	return pid;
}

static int child_status(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void sigalrm(int sig)
{
	(void)sig;
}

static void test_blocking(void)
{
	/* a writer waits for a reader... */
	pid_t pid = child_open(O_WRONLY);
	usleep(50000);
	int r = open(fifo, O_RDONLY);
	CHECK(r >= 0);
	char buf[8];
	CHECK_EQ(read(r, buf, sizeof(buf)), 5);
	CHECK_EQ(memcmp(buf, "hello", 5), 0);
	CHECK_EQ(child_status(pid), 0);
	close(r);
	/* ...and a reader for a writer */
	pid = child_open(O_RDONLY);
	usleep(50000);
	int w = open(fifo, O_WRONLY);
	CHECK(w >= 0);
	CHECK_EQ(write(w, "hello", 5), 5);
	CHECK_EQ(child_status(pid), 0);
	close(w);
	/* a signal cuts a waiting open short */
	struct sigaction sa = {.sa_handler = sigalrm};
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {.it_value = {.tv_usec = 100000}};
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERR(open(fifo, O_RDONLY), EINTR);
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERR(open(fifo, O_WRONLY), EINTR);
	/* the interrupted opens left nothing behind */
	CHECK_ERR(open(fifo, O_WRONLY | O_NONBLOCK), ENXIO);
}

/* CAP_SYS_RESOURCE, which lets root pass pipe-max-size: in CapEff of
 * /proc/self/status where there is one (Scarlet's root has every
 * capability and shows none). */
static int has_sys_resource(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int found = -1;
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "CapEff:", 7) == 0)
			found = (int)((strtoull(line + 7, NULL, 16) >> 24) & 1);
	}
	if (f)
		fclose(f);
	return found < 0 ? getuid() == 0 : found;
}

static void test_pipe_size(void)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(fcntl(p[0], F_GETPIPE_SZ), 65536);
	CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, 5000), 8192);
	CHECK_EQ(fcntl(p[0], F_GETPIPE_SZ), 8192);
	CHECK_EQ(fcntl(p[0], F_SETPIPE_SZ, 0), 4096);
	CHECK_EQ(fcntl(p[0], F_SETPIPE_SZ, 4096), 4096);
	CHECK_ERR(fcntl(p[0], F_SETPIPE_SZ, (1ul << 31) + 1), EINVAL);
	/* a full small pipe takes no more */
	CHECK_EQ(fcntl(p[1], F_SETFL, O_NONBLOCK), 0);
	static char big[16384], back[16384];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 251);
	CHECK_EQ(write(p[1], big, 8192), 4096);
	CHECK_ERR(write(p[1], big, 1), EAGAIN);
	/* growing keeps the content, in order */
	CHECK_EQ(read(p[0], back, 1000), 1000);
	CHECK_EQ(fcntl(p[1], F_SETPIPE_SZ, 16384), 16384);
	CHECK_EQ(write(p[1], big + 4096, 8192), 8192);
	CHECK_EQ(read(p[0], back + 1000, sizeof(back) - 1000), 4096 - 1000 + 8192);
	CHECK_EQ(memcmp(back, big, 4096 + 8192), 0);
	/* shrinking below the content is refused */
	CHECK_EQ(write(p[1], big, 8192), 8192);
	CHECK_ERR(fcntl(p[0], F_SETPIPE_SZ, 4096), EBUSY);
	CHECK_EQ(fcntl(p[0], F_GETPIPE_SZ), 16384);
	/* root may pass /proc/sys/fs/pipe-max-size, others not */
	CHECK_EQ(getuid(), 0);
	if (has_sys_resource())
		CHECK_EQ(fcntl(p[0], F_SETPIPE_SZ, 2 * 1024 * 1024), 2 * 1024 * 1024);
	else
		SKIP("root without CAP_SYS_RESOURCE (a container) cannot pass pipe-max-size");
	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(65534) < 0)
			_exit(2);
		int q[2];
		if (pipe(q) < 0)
			_exit(3);
		if (fcntl(q[0], F_SETPIPE_SZ, 2 * 1024 * 1024) != -1 || errno != EPERM)
			_exit(4);
		_exit(fcntl(q[0], F_SETPIPE_SZ, 1024 * 1024) == 1024 * 1024 ? 0 : 5);
	}
	CHECK_EQ(child_status(pid), 0);
	close(p[0]);
	close(p[1]);
	/* not a pipe */
	int fd = open(".", O_RDONLY);
	CHECK_ERR(fcntl(fd, F_GETPIPE_SZ), EBADF);
	CHECK_ERR(fcntl(fd, F_SETPIPE_SZ, 4096), EBADF);
	close(fd);
	/* a FIFO's size belongs to its pipe: every open sees it */
	int a = open(fifo, O_RDWR), b = open(fifo, O_RDONLY | O_NONBLOCK);
	CHECK_EQ(fcntl(a, F_GETPIPE_SZ), 65536);
	CHECK_EQ(fcntl(a, F_SETPIPE_SZ, 8192), 8192);
	CHECK_EQ(fcntl(b, F_GETPIPE_SZ), 8192);
	close(a);
	close(b);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(fifo2, sizeof(fifo2), "%s/fifo2", dir);
	unlink(fifo);
	unlink(fifo2);
	umask(022);
	signal(SIGPIPE, SIG_IGN);
	test_make();
	test_nonblocking();
	test_blocking();
	test_pipe_size();
	unlink(fifo);
	return ltest_done("t_fifo");
}
