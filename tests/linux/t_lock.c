/*
 * File locks: fcntl record locks (ranges, splitting and merging, what
 * F_GETLK reports, release on any close and at exit, F_SETLKW waiting,
 * EDEADLK, EINTR), OFD locks and flock, with their errors.
 *
 * Usage: t_lock [DIR] (the files go to DIR, the current directory by
 * default).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

static char path[512];

static struct flock range(short type, short whence, off_t start, off_t len)
{
	struct flock fl = {.l_type = type, .l_whence = whence, .l_start = start, .l_len = len};
	return fl;
}

static int setlk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = range(type, SEEK_SET, start, len);
	return fcntl(fd, cmd, &fl);
}

/* F_GETLK of (type, start, len) as seen by a child process on its own
 * descriptor of the file (so the caller's locks are other's locks). */
static struct flock getlk_other(short type, off_t start, off_t len)
{
	int p[2];
	struct flock fl = range(-1, SEEK_SET, 0, 0);
	if (pipe(p) < 0)
		return fl;
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(path, O_RDWR);
		struct flock q = range(type, SEEK_SET, start, len);
		if (fd < 0 || fcntl(fd, F_GETLK, &q) < 0)
			q.l_type = -2;
		write(p[1], &q, sizeof(q));
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &fl, sizeof(fl)) != sizeof(fl))
		fl.l_type = -3;
	close(p[0]);
	waitpid(pid, NULL, 0);
	return fl;
}

/* The type another process sees for (start, len) as a write lock. */
static int other_sees(off_t start, off_t len)
{
	return getlk_other(F_WRLCK, start, len).l_type;
}

static void test_ranges(void)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(setlk(fd, F_SETLK, F_WRLCK, 0, 10), 0);
	struct flock fl = getlk_other(F_WRLCK, 5, 10);
	CHECK_EQ(fl.l_type, F_WRLCK);
	CHECK_EQ(fl.l_whence, SEEK_SET);
	CHECK_EQ(fl.l_start, 0);
	CHECK_EQ(fl.l_len, 10);
	CHECK_EQ(fl.l_pid, getpid());
	CHECK_EQ(other_sees(10, 5), F_UNLCK);
	/* no conflict: only l_type changes */
	fl = getlk_other(F_RDLCK, 10, 7);
	CHECK_EQ(fl.l_type, F_UNLCK);
	CHECK_EQ(fl.l_start, 10);
	CHECK_EQ(fl.l_len, 7);
	/* the owner's own locks never conflict with it */
	fl = range(F_WRLCK, SEEK_SET, 0, 0);
	CHECK_EQ(fcntl(fd, F_GETLK, &fl), 0);
	CHECK_EQ(fl.l_type, F_UNLCK);

	/* unlocking the middle splits a lock */
	CHECK_EQ(setlk(fd, F_SETLK, F_WRLCK, 0, 100), 0);
	CHECK_EQ(setlk(fd, F_SETLK, F_UNLCK, 40, 20), 0);
	CHECK_EQ(other_sees(40, 20), F_UNLCK);
	fl = getlk_other(F_WRLCK, 30, 20);
	CHECK_EQ(fl.l_start, 0);
	CHECK_EQ(fl.l_len, 40);
	fl = getlk_other(F_WRLCK, 50, 20);
	CHECK_EQ(fl.l_start, 60);
	CHECK_EQ(fl.l_len, 40);
	/* a read lock inside a write lock: three locks, read ones shared */
	CHECK_EQ(setlk(fd, F_SETLK, F_UNLCK, 0, 0), 0);
	CHECK_EQ(setlk(fd, F_SETLK, F_WRLCK, 0, 30), 0);
	CHECK_EQ(setlk(fd, F_SETLK, F_RDLCK, 10, 10), 0);
	CHECK_EQ(getlk_other(F_RDLCK, 10, 10).l_type, F_UNLCK);
	fl = getlk_other(F_WRLCK, 12, 2);
	CHECK_EQ(fl.l_type, F_RDLCK);
	CHECK_EQ(fl.l_start, 10);
	CHECK_EQ(fl.l_len, 10);
	fl = getlk_other(F_RDLCK, 15, 10);
	CHECK_EQ(fl.l_type, F_WRLCK);
	CHECK_EQ(fl.l_start, 20);
	CHECK_EQ(fl.l_len, 10);
	/* adjacent locks of one type merge */
	CHECK_EQ(setlk(fd, F_SETLK, F_UNLCK, 0, 0), 0);
	CHECK_EQ(setlk(fd, F_SETLK, F_RDLCK, 0, 10), 0);
	CHECK_EQ(setlk(fd, F_SETLK, F_RDLCK, 10, 10), 0);
	CHECK_EQ(setlk(fd, F_SETLK, F_RDLCK, 30, 5), 0);
	fl = getlk_other(F_WRLCK, 5, 10);
	CHECK_EQ(fl.l_start, 0);
	CHECK_EQ(fl.l_len, 20);
	CHECK_EQ(setlk(fd, F_SETLK, F_RDLCK, 15, 20), 0);
	fl = getlk_other(F_WRLCK, 0, 1);
	CHECK_EQ(fl.l_start, 0);
	CHECK_EQ(fl.l_len, 35);
	CHECK_EQ(setlk(fd, F_SETLK, F_UNLCK, 0, 0), 0);
	CHECK_EQ(other_sees(0, 0), F_UNLCK);

	/* l_len 0 reaches past any end of file; negative lengths go back */
	CHECK_EQ(setlk(fd, F_SETLK, F_WRLCK, 100, 0), 0);
	fl = getlk_other(F_RDLCK, 1 << 30, 1);
	CHECK_EQ(fl.l_type, F_WRLCK);
	CHECK_EQ(fl.l_start, 100);
	CHECK_EQ(fl.l_len, 0);
	CHECK_EQ(setlk(fd, F_SETLK, F_UNLCK, 0, 0), 0);
	CHECK_EQ(setlk(fd, F_SETLK, F_WRLCK, 10, -5), 0);
	fl = getlk_other(F_WRLCK, 0, 100);
	CHECK_EQ(fl.l_start, 5);
	CHECK_EQ(fl.l_len, 5);
	CHECK_EQ(setlk(fd, F_SETLK, F_UNLCK, 0, 0), 0);
	/* SEEK_CUR and SEEK_END count from the offset and the size */
	CHECK_EQ(write(fd, "0123456789", 10), 10);
	CHECK_EQ(lseek(fd, 3, SEEK_SET), 3);
	fl = range(F_WRLCK, SEEK_CUR, 2, 4);
	CHECK_EQ(fcntl(fd, F_SETLK, &fl), 0);
	fl = getlk_other(F_WRLCK, 0, 0);
	CHECK_EQ(fl.l_start, 5);
	CHECK_EQ(fl.l_len, 4);
	fl = range(F_WRLCK, SEEK_END, -1, 1);
	CHECK_EQ(fcntl(fd, F_SETLK, &fl), 0);
	fl = getlk_other(F_WRLCK, 9, 0);
	CHECK_EQ(fl.l_start, 5); /* [9, 10) merged with [5, 9) */
	CHECK_EQ(fl.l_len, 5);
	/* many small locks, then one over them all */
	CHECK_EQ(setlk(fd, F_SETLK, F_UNLCK, 0, 0), 0);
	int ok = 1;
	for (int i = 0; i < 500; i++)
		ok &= setlk(fd, F_SETLK, F_WRLCK, 2 * i, 1) == 0;
	CHECK(ok);
	CHECK_EQ(other_sees(501, 1), F_UNLCK);
	fl = getlk_other(F_RDLCK, 500, 2);
	CHECK_EQ(fl.l_start, 500);
	CHECK_EQ(fl.l_len, 1);
	CHECK_EQ(setlk(fd, F_SETLK, F_RDLCK, 0, 1000), 0);
	fl = getlk_other(F_WRLCK, 999, 1);
	CHECK_EQ(fl.l_type, F_RDLCK);
	CHECK_EQ(fl.l_start, 0);
	CHECK_EQ(fl.l_len, 1000);
	close(fd);
	CHECK_EQ(other_sees(0, 0), F_UNLCK);
}

static void test_errors(void)
{
	int fd = open(path, O_RDWR);
	int rd = open(path, O_RDONLY), wr = open(path, O_WRONLY);
	CHECK(fd >= 0 && rd >= 0 && wr >= 0);
	CHECK_ERR(setlk(rd, F_SETLK, F_WRLCK, 0, 1), EBADF);
	CHECK_ERR(setlk(wr, F_SETLK, F_RDLCK, 0, 1), EBADF);
	CHECK_EQ(setlk(rd, F_SETLK, F_RDLCK, 0, 1), 0);
	CHECK_EQ(setlk(wr, F_SETLK, F_WRLCK, 0, 1), 0); /* one owner: converts */
	CHECK_EQ(setlk(rd, F_SETLK, F_UNLCK, 0, 1), 0); /* any descriptor unlocks */
	CHECK_ERR(setlk(fd, F_SETLK, 7, 0, 1), EINVAL);
	struct flock fl = range(F_WRLCK, 9, 0, 1);
	CHECK_ERR(fcntl(fd, F_SETLK, &fl), EINVAL);
	CHECK_ERR(setlk(fd, F_SETLK, F_WRLCK, -1, 1), EINVAL);
	CHECK_ERR(setlk(fd, F_SETLK, F_WRLCK, 2, -3), EINVAL);
	CHECK_ERR(setlk(fd, F_SETLK, F_WRLCK, INT64_MAX, 2), EOVERFLOW);
	fl = range(F_UNLCK, SEEK_SET, 0, 1);
	CHECK_ERR(fcntl(fd, F_GETLK, &fl), EINVAL);
	CHECK_ERR(fcntl(fd, F_SETLK, (struct flock *)8), EFAULT);
	CHECK_ERR(setlk(-1, F_SETLK, F_WRLCK, 0, 1), EBADF);
	int op = open(path, O_PATH);
	CHECK(op >= 0);
	CHECK_ERR(setlk(op, F_SETLK, F_RDLCK, 0, 1), EBADF);
	CHECK_ERR(flock(op, LOCK_SH), EBADF);
	close(op);
	close(fd);
	close(rd);
	close(wr);
}

/* POSIX locks go when the process closes any descriptor of the file. */
static void test_close_releases(void)
{
	int fd = open(path, O_RDWR);
	CHECK_EQ(setlk(fd, F_SETLK, F_WRLCK, 0, 10), 0);
	int dup_fd = dup(fd);
	CHECK_EQ(close(dup_fd), 0);
	CHECK_EQ(other_sees(0, 10), F_UNLCK);
	CHECK_EQ(setlk(fd, F_SETLK, F_WRLCK, 0, 10), 0);
	int other = open(path, O_RDONLY);
	CHECK_EQ(close(other), 0);
	CHECK_EQ(other_sees(0, 10), F_UNLCK);
	/* closing an O_PATH descriptor does not */
	CHECK_EQ(setlk(fd, F_SETLK, F_WRLCK, 0, 10), 0);
	other = open(path, O_PATH);
	CHECK_EQ(close(other), 0);
	CHECK_EQ(other_sees(0, 10), F_WRLCK);
	/* dup2 onto a descriptor of the file closes it too */
	CHECK_EQ(setlk(fd, F_SETLK, F_WRLCK, 0, 10), 0);
	other = open(path, O_RDONLY);
	int null = open("/dev/null", O_RDONLY);
	CHECK_EQ(dup2(null, other), other);
	CHECK_EQ(other_sees(0, 10), F_UNLCK);
	close(null);
	close(other);
	/* a child's locks are its own: fork does not pass them on */
	CHECK_EQ(setlk(fd, F_SETLK, F_WRLCK, 0, 10), 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(setlk(fd, F_SETLK, F_WRLCK, 0, 1) == -1 && errno == EAGAIN ? 0 : 1);
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_EQ(other_sees(0, 10), F_WRLCK);
	close(fd);
}

/* A child takes a lock, says so on a pipe, waits for the parent's word
 * (or its end), then ends: its locks go with it. */
static pid_t child_holding(short type, off_t start, off_t len, int *ready, int *release)
{
	int up[2], down[2];
	if (pipe(up) < 0 || pipe(down) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(down[1]);
		int fd = open(path, O_RDWR);
		char c = setlk(fd, F_SETLK, type, start, len) == 0 ? 'y' : 'n';
		write(up[1], &c, 1);
		read(down[0], &c, 1);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	*ready = up[0];
	*release = down[1];
	return pid;
}

static void sigalrm(int sig)
{
	(void)sig;
}

static void test_wait(void)
{
	int fd = open(path, O_RDWR);
	int ready = -1, release = -1;
	char c = 0;
	pid_t pid = child_holding(F_WRLCK, 0, 10, &ready, &release);
	CHECK_EQ(read(ready, &c, 1), 1);
	CHECK_EQ(c, 'y');
	CHECK_ERR(setlk(fd, F_SETLK, F_RDLCK, 5, 1), EAGAIN);
	CHECK_EQ(setlk(fd, F_SETLK, F_RDLCK, 10, 1), 0);
	/* a signal cuts F_SETLKW short (no SA_RESTART) */
	struct sigaction sa = {.sa_handler = sigalrm};
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {.it_value = {.tv_usec = 100000}};
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERR(setlk(fd, F_SETLKW, F_WRLCK, 0, 1), EINTR);
	/* the child's end releases its locks: F_SETLKW gets them */
	close(release);
	CHECK_EQ(setlk(fd, F_SETLKW, F_WRLCK, 0, 10), 0);
	waitpid(pid, NULL, 0);
	close(ready);
	close(fd);
	CHECK_EQ(other_sees(0, 0), F_UNLCK);
}

/* Two processes each hold a byte and wait for the other's: whichever
 * asks second would close the cycle and gets EDEADLK. */
static void test_deadlock(void)
{
	int fd = open(path, O_RDWR);
	CHECK_EQ(setlk(fd, F_SETLK, F_WRLCK, 0, 1), 0);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	pid_t pid = fork();
	if (pid == 0) {
		int cfd = open(path, O_RDWR);
		int ok = setlk(cfd, F_SETLK, F_WRLCK, 1, 1) == 0;
		write(p[1], "x", 1);
		int r = setlk(cfd, F_SETLKW, F_WRLCK, 0, 1);
		_exit(!ok ? 3 : r == 0 ? 0 : errno == EDEADLK ? 2 : 4);
	}
	char c;
	CHECK_EQ(read(p[0], &c, 1), 1);
	usleep(50000); /* either order gives one EDEADLK; this one is likelier */
	int r = setlk(fd, F_SETLKW, F_WRLCK, 1, 1);
	int mine = r == 0 ? 0 : errno == EDEADLK ? 2 : 4;
	if (mine == 2)
		setlk(fd, F_SETLK, F_UNLCK, 0, 1); /* lets the child go on */
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st));
	int theirs = WEXITSTATUS(st);
	CHECK((mine == 0 && theirs == 2) || (mine == 2 && theirs == 0));
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void test_ofd(void)
{
	int a = open(path, O_RDWR), b = open(path, O_RDWR);
	CHECK(a >= 0 && b >= 0);
	CHECK_EQ(setlk(a, F_OFD_SETLK, F_WRLCK, 0, 10), 0);
	/* another open file of the same process conflicts */
	CHECK_ERR(setlk(b, F_OFD_SETLK, F_RDLCK, 5, 1), EAGAIN);
	CHECK_ERR(setlk(b, F_SETLK, F_RDLCK, 5, 1), EAGAIN);
	struct flock fl = range(F_RDLCK, SEEK_SET, 0, 0);
	CHECK_EQ(fcntl(b, F_OFD_GETLK, &fl), 0);
	CHECK_EQ(fl.l_type, F_WRLCK);
	CHECK_EQ(fl.l_start, 0);
	CHECK_EQ(fl.l_len, 10);
	CHECK_EQ(fl.l_pid, -1);
	fl = range(F_RDLCK, SEEK_SET, 0, 0);
	CHECK_EQ(fcntl(b, F_GETLK, &fl), 0);
	CHECK_EQ(fl.l_type, F_WRLCK);
	CHECK_EQ(fl.l_pid, -1);
	fl = range(F_RDLCK, SEEK_SET, 0, 0);
	CHECK_EQ(fcntl(a, F_OFD_GETLK, &fl), 0);
	CHECK_EQ(fl.l_type, F_UNLCK);
	/* l_pid must be 0 */
	fl = range(F_RDLCK, SEEK_SET, 20, 1);
	fl.l_pid = 1;
	CHECK_ERR(fcntl(a, F_OFD_SETLK, &fl), EINVAL);
	CHECK_ERR(fcntl(a, F_OFD_GETLK, &fl), EINVAL);
	/* closing another descriptor of the description keeps the lock */
	int d = dup(a);
	CHECK_EQ(close(d), 0);
	CHECK_ERR(setlk(b, F_OFD_SETLK, F_RDLCK, 5, 1), EAGAIN);
	/* the process's POSIX locks are another owner, closing b no matter */
	CHECK_EQ(setlk(b, F_SETLK, F_RDLCK, 20, 1), 0);
	CHECK_ERR(setlk(a, F_OFD_SETLK, F_WRLCK, 20, 1), EAGAIN);
	CHECK_EQ(close(b), 0);
	CHECK_EQ(setlk(a, F_OFD_SETLK, F_WRLCK, 20, 1), 0);
	/* a forked child shares the description and so the lock */
	pid_t pid = fork();
	if (pid == 0)
		_exit(setlk(a, F_OFD_SETLK, F_WRLCK, 0, 5) == 0 ? 0 : 1);
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_EQ(other_sees(0, 1), F_WRLCK);
	/* the last close of the description releases it */
	CHECK_EQ(close(a), 0);
	CHECK_EQ(other_sees(0, 0), F_UNLCK);
	/* F_OFD_SETLKW waits for an OFD lock of the same process */
	a = open(path, O_RDWR);
	b = open(path, O_RDWR);
	CHECK_EQ(setlk(a, F_OFD_SETLK, F_WRLCK, 0, 1), 0);
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		close(a);
		_exit(0);
	}
	close(a); /* the child now holds the last reference */
	CHECK_EQ(setlk(b, F_OFD_SETLKW, F_WRLCK, 0, 1), 0);
	waitpid(pid, NULL, 0);
	close(b);
}

static void test_flock(void)
{
	int a = open(path, O_RDWR), b = open(path, O_RDONLY);
	CHECK(a >= 0 && b >= 0);
	CHECK_EQ(flock(a, LOCK_EX), 0);
	CHECK_ERR(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	CHECK_ERR(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	/* flock and record locks do not see each other */
	CHECK_EQ(setlk(a, F_SETLK, F_RDLCK, 0, 0), 0);
	CHECK_EQ(other_sees(0, 0), F_RDLCK);
	CHECK_EQ(setlk(a, F_SETLK, F_UNLCK, 0, 0), 0);
	/* shared locks share; a read-only descriptor may take either */
	CHECK_EQ(flock(a, LOCK_SH), 0);
	CHECK_EQ(flock(b, LOCK_SH | LOCK_NB), 0);
	CHECK_ERR(flock(a, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	CHECK_EQ(flock(b, LOCK_UN), 0);
	CHECK_EQ(flock(a, LOCK_EX | LOCK_NB), 0);
	CHECK_EQ(flock(a, LOCK_EX | LOCK_NB), 0); /* already held */
	/* duplicates and forked children share the lock of the description */
	int d = dup(a);
	CHECK_EQ(flock(d, LOCK_EX | LOCK_NB), 0);
	CHECK_EQ(close(d), 0);
	CHECK_ERR(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	pid_t pid = fork();
	if (pid == 0) {
		int ok = flock(a, LOCK_EX | LOCK_NB) == 0;
		int other = open(path, O_RDONLY);
		ok = ok && flock(other, LOCK_SH | LOCK_NB) == -1 && errno == EWOULDBLOCK;
		_exit(ok ? 0 : 1);
	}
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_ERR(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	/* a blocked LOCK_SH waits for the holder to let go; signals cut it */
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		flock(a, LOCK_UN);
		_exit(0);
	}
	CHECK_EQ(flock(b, LOCK_SH), 0);
	waitpid(pid, NULL, 0);
	struct sigaction sa = {.sa_handler = sigalrm};
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {.it_value = {.tv_usec = 100000}};
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERR(flock(a, LOCK_EX), EINTR);
	/* the last close releases */
	CHECK_EQ(close(b), 0);
	CHECK_EQ(flock(a, LOCK_EX | LOCK_NB), 0);
	CHECK_ERR(flock(a, 0), EINVAL);
	CHECK_ERR(flock(a, LOCK_SH | LOCK_EX), EINVAL);
	CHECK_ERR(flock(-1, LOCK_SH), EBADF);
	close(a);
	b = open(path, O_RDONLY);
	CHECK_EQ(flock(b, LOCK_EX | LOCK_NB), 0);
	close(b);
}

int main(int argc, char **argv)
{
	snprintf(path, sizeof(path), "%s/lockfile", argc > 1 ? argv[1] : ".");
	test_ranges();
	test_errors();
	test_close_releases();
	test_wait();
	test_deadlock();
	test_ofd();
	test_flock();
	unlink(path);
	return ltest_done("t_lock");
}
