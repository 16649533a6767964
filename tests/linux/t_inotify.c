/*
 * inotify: events on a watched directory (create, open, modify, close,
 * moves with their cookie, delete) and on a watched file (access, attrib,
 * move-self, delete-self then IN_IGNORED), watch flags (ONESHOT,
 * MASK_ADD, MASK_CREATE, ONLYDIR, DONT_FOLLOW, EXCL_UNLINK), removal,
 * the event layout and name padding, EINVAL for a short buffer,
 * FIONREAD, poll and epoll, a blocking read, the queue overflow.  Runs in
 * argv[1] (default: the current directory).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

static char dir[512];

static const char *at(const char *name)
{
	static char buf[4][600];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

struct ev {
	int wd;
	uint32_t mask, cookie;
	char name[64];
};

/* Reads every queued event (non-blocking descriptor) into evs. */
static int drain(int fd, struct ev *evs, int max)
{
	static char buf[65536] __attribute__((aligned(8)));
	int n = 0;
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));
		if (r <= 0)
			break;
		for (char *p = buf; p < buf + r;) {
			struct inotify_event *e = (struct inotify_event *)p;
			if (n < max) {
				evs[n].wd = e->wd;
				evs[n].mask = e->mask;
				evs[n].cookie = e->cookie;
				snprintf(evs[n].name, sizeof(evs[n].name), "%s",
				         e->len ? e->name : "");
			}
			n++;
			p += sizeof(*e) + e->len;
		}
	}
	return n;
}

#define CHECK_EV(e, w, m, nm)                                                                      \
	do {                                                                                       \
		CHECK_EQ((e).wd, (w));                                                             \
		CHECK_EQ((e).mask, (m));                                                           \
		CHECK_STR((e).name, (nm));                                                         \
	} while (0)

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, text, strlen(text)), (long)strlen(text));
	close(fd);
}

static void test_init(void)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	CHECK(fd >= 0);
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
	char buf[64];
	CHECK_ERR(read(fd, buf, sizeof(buf)), EAGAIN);
	CHECK_ERR(inotify_init1(IN_NONBLOCK | 1), EINVAL);
	int fd2 = inotify_init1(0);
	CHECK(fd2 >= 0);
	CHECK(!(fcntl(fd2, F_GETFD) & FD_CLOEXEC));
	CHECK(!(fcntl(fd2, F_GETFL) & O_NONBLOCK));
	close(fd2);
	/* argument errors */
	CHECK_ERR(inotify_add_watch(fd, dir, 0), EINVAL);
	CHECK_ERR(inotify_add_watch(-1, dir, IN_OPEN), EBADF);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_ERR(inotify_add_watch(p[0], dir, IN_OPEN), EINVAL);
	CHECK_ERR(inotify_rm_watch(p[0], 1), EINVAL);
	close(p[0]);
	close(p[1]);
	CHECK_ERR(inotify_add_watch(fd, at("in-missing"), IN_OPEN), ENOENT);
	CHECK_ERR(inotify_add_watch(fd, dir, IN_OPEN | IN_MASK_ADD | IN_MASK_CREATE), EINVAL);
	CHECK_ERR(inotify_rm_watch(fd, 12345), EINVAL);
	write_file(at("in-file"), "x");
	CHECK_ERR(inotify_add_watch(fd, at("in-file"), IN_OPEN | IN_ONLYDIR), ENOTDIR);
	CHECK_EQ(unlink(at("in-file")), 0);
	close(fd);
}

static void test_directory(void)
{
	struct ev e[32];
	const char *d = at("in-dir");
	rmdir(d);
	CHECK_EQ(mkdir(d, 0755), 0);
	int fd = inotify_init1(IN_NONBLOCK);
	int wd =
	    inotify_add_watch(fd, d,
	                      IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_MODIFY |
	                          IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_EXCL_UNLINK);
	CHECK(wd > 0);
	char a[600], b[600], sub[600];
	snprintf(a, sizeof(a), "%s/a", d);
	snprintf(b, sizeof(b), "%s/b", d);
	snprintf(sub, sizeof(sub), "%s/sub", d);

	/* create, open, two writes (merged), close */
	int f = open(a, O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK(f >= 0);
	CHECK_EQ(write(f, "1", 1), 1);
	CHECK_EQ(write(f, "2", 1), 1);
	close(f);
	int n = drain(fd, e, 32);
	CHECK_EQ(n, 4);
	if (n == 4) {
		CHECK_EV(e[0], wd, IN_CREATE, "a");
		CHECK_EV(e[1], wd, IN_OPEN, "a");
		CHECK_EV(e[2], wd, IN_MODIFY, "a");
		CHECK_EV(e[3], wd, IN_CLOSE_WRITE, "a");
		CHECK_EQ(e[0].cookie, 0);
	}
	/* an existing file opened for reading */
	f = open(a, O_RDONLY);
	close(f);
	n = drain(fd, e, 32);
	CHECK_EQ(n, 2);
	if (n == 2) {
		CHECK_EV(e[0], wd, IN_OPEN, "a");
		CHECK_EV(e[1], wd, IN_CLOSE_NOWRITE, "a");
	}
	/* rename: a pair sharing a cookie */
	CHECK_EQ(rename(a, b), 0);
	n = drain(fd, e, 32);
	CHECK_EQ(n, 2);
	if (n == 2) {
		CHECK_EV(e[0], wd, IN_MOVED_FROM, "a");
		CHECK_EV(e[1], wd, IN_MOVED_TO, "b");
		CHECK(e[0].cookie != 0);
		CHECK_EQ(e[0].cookie, e[1].cookie);
	}
	/* a directory, then removals */
	CHECK_EQ(mkdir(sub, 0755), 0);
	CHECK_EQ(unlink(b), 0);
	CHECK_EQ(rmdir(sub), 0);
	n = drain(fd, e, 32);
	CHECK_EQ(n, 3);
	if (n == 3) {
		CHECK_EV(e[0], wd, IN_CREATE | IN_ISDIR, "sub");
		CHECK_EV(e[1], wd, IN_DELETE, "b");
		CHECK_EV(e[2], wd, IN_DELETE | IN_ISDIR, "sub");
	}
	/* the watched directory itself goes */
	int wd2 = inotify_add_watch(fd, d, IN_DELETE_SELF);
	CHECK_EQ(wd2, wd); /* the same watch, mask replaced */
	CHECK_EQ(rmdir(d), 0);
	n = drain(fd, e, 32);
	CHECK_EQ(n, 2);
	if (n == 2) {
		CHECK_EQ(e[0].wd, wd);
		CHECK_EQ(e[0].mask & ~IN_ISDIR, IN_DELETE_SELF);
		CHECK_EV(e[1], wd, IN_IGNORED, "");
	}
	CHECK_ERR(inotify_rm_watch(fd, wd), EINVAL); /* already gone */
	close(fd);
}

static void test_file(void)
{
	struct ev e[32];
	const char *f = at("in-self"), *g = at("in-self2");
	char buf[8];
	write_file(f, "data");
	int fd = inotify_init1(IN_NONBLOCK);
	int wd = inotify_add_watch(fd, f, IN_ALL_EVENTS);
	CHECK(wd > 0);
	int h = open(f, O_RDONLY);
	CHECK_EQ(read(h, buf, sizeof(buf)), 4);
	close(h);
	CHECK_EQ(chmod(f, 0600), 0);
	CHECK_EQ(rename(f, g), 0);
	CHECK_EQ(truncate(g, 1), 0);
	int n = drain(fd, e, 32);
	CHECK_EQ(n, 6);
	if (n == 6) {
		CHECK_EV(e[0], wd, IN_OPEN, "");
		CHECK_EV(e[1], wd, IN_ACCESS, "");
		CHECK_EV(e[2], wd, IN_CLOSE_NOWRITE, "");
		CHECK_EV(e[3], wd, IN_ATTRIB, "");
		CHECK_EV(e[4], wd, IN_MOVE_SELF, "");
		CHECK_EV(e[5], wd, IN_MODIFY, "");
	}
	CHECK_EQ(unlink(g), 0);
	n = drain(fd, e, 32);
	CHECK_EQ(n, 3);
	if (n == 3) {
		CHECK_EV(e[0], wd, IN_ATTRIB, ""); /* the link count */
		CHECK_EV(e[1], wd, IN_DELETE_SELF, "");
		CHECK_EV(e[2], wd, IN_IGNORED, "");
	}
	/* a file replaced by a rename is gone too */
	write_file(f, "old");
	write_file(g, "new");
	wd = inotify_add_watch(fd, f, IN_ALL_EVENTS);
	CHECK_EQ(rename(g, f), 0);
	n = drain(fd, e, 32);
	CHECK_EQ(n, 3);
	if (n == 3) {
		CHECK_EV(e[0], wd, IN_ATTRIB, "");
		CHECK_EV(e[1], wd, IN_DELETE_SELF, "");
		CHECK_EV(e[2], wd, IN_IGNORED, "");
	}
	CHECK_EQ(unlink(f), 0);
	CHECK_EQ(drain(fd, e, 32), 0);
	close(fd);
}

static void test_flags(void)
{
	struct ev e[32];
	const char *f = at("in-flags"), *l = at("in-flags-link");
	write_file(f, "x");
	int fd = inotify_init1(IN_NONBLOCK);
	/* one-shot: one event, then the watch is gone */
	int wd = inotify_add_watch(fd, f, IN_OPEN | IN_ONESHOT);
	close(open(f, O_RDONLY));
	close(open(f, O_RDONLY));
	int n = drain(fd, e, 32);
	CHECK_EQ(n, 2);
	if (n == 2) {
		CHECK_EV(e[0], wd, IN_OPEN, "");
		CHECK_EV(e[1], wd, IN_IGNORED, "");
	}
	CHECK_ERR(inotify_rm_watch(fd, wd), EINVAL);
	/* mask add, replace, create */
	wd = inotify_add_watch(fd, f, IN_OPEN);
	CHECK(wd > 0);
	CHECK_EQ(inotify_add_watch(fd, f, IN_CLOSE_NOWRITE | IN_MASK_ADD), wd);
	close(open(f, O_RDONLY));
	n = drain(fd, e, 32);
	CHECK_EQ(n, 2);
	if (n == 2) {
		CHECK_EV(e[0], wd, IN_OPEN, "");
		CHECK_EV(e[1], wd, IN_CLOSE_NOWRITE, "");
	}
	CHECK_EQ(inotify_add_watch(fd, f, IN_ATTRIB), wd);
	close(open(f, O_RDONLY));
	CHECK_EQ(drain(fd, e, 32), 0);
	CHECK_ERR(inotify_add_watch(fd, f, IN_OPEN | IN_MASK_CREATE), EEXIST);
	/* removal */
	CHECK_EQ(inotify_rm_watch(fd, wd), 0);
	n = drain(fd, e, 32);
	CHECK_EQ(n, 1);
	if (n == 1)
		CHECK_EV(e[0], wd, IN_IGNORED, "");
	chmod(f, 0644);
	CHECK_EQ(drain(fd, e, 32), 0);
	/* a new watch gets a new number; a symlink with IN_DONT_FOLLOW is
	 * watched itself */
	unlink(l);
	CHECK_EQ(symlink("in-flags", l), 0);
	int wd2 = inotify_add_watch(fd, l, IN_ATTRIB);
	CHECK(wd2 > 0 && wd2 != wd);
	int wd3 = inotify_add_watch(fd, l, IN_ATTRIB | IN_DONT_FOLLOW);
	CHECK(wd3 > 0 && wd3 != wd2);
	CHECK_EQ(chmod(f, 0600), 0);
	n = drain(fd, e, 32);
	CHECK_EQ(n, 1);
	if (n == 1)
		CHECK_EV(e[0], wd2, IN_ATTRIB, "");
	close(fd);
	unlink(l);
	unlink(f);
}

static void test_layout_and_readiness(void)
{
	const char *d = at("in-lay");
	char path[600];
	rmdir(d);
	CHECK_EQ(mkdir(d, 0755), 0);
	int fd = inotify_init1(IN_NONBLOCK);
	int wd = inotify_add_watch(fd, d, IN_CREATE);
	struct pollfd p = {.fd = fd, .events = POLLIN};
	CHECK_EQ(poll(&p, 1, 0), 0);
	int ep = epoll_create1(0);
	struct epoll_event ee = {.events = EPOLLIN, .data.u32 = 7}, got;
	CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ee), 0);
	CHECK_EQ(epoll_wait(ep, &got, 1, 0), 0);
	int fionread = -1;
	CHECK_EQ(ioctl(fd, FIONREAD, &fionread), 0);
	CHECK_EQ(fionread, 0);

	snprintf(path, sizeof(path), "%s/abc", d);
	close(open(path, O_CREAT | O_WRONLY, 0644));
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK_EQ(p.revents, POLLIN);
	CHECK_EQ(epoll_wait(ep, &got, 1, 0), 1);
	CHECK_EQ(got.data.u32, 7);
	CHECK_EQ(ioctl(fd, FIONREAD, &fionread), 0);
	CHECK_EQ(fionread, 32); /* 16 + "abc" padded to 16 */
	char small[20];
	CHECK_ERR(read(fd, small, sizeof(small)), EINVAL);
	char buf[256] __attribute__((aligned(8)));
	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(read(fd, buf, sizeof(buf)), 32);
	struct inotify_event *e = (struct inotify_event *)buf;
	CHECK_EQ(e->wd, wd);
	CHECK_EQ(e->mask, IN_CREATE);
	CHECK_EQ(e->len, 16);
	CHECK_STR(e->name, "abc");
	int zeros = 1;
	for (int i = 3; i < 16; i++)
		zeros &= e->name[i] == 0;
	CHECK(zeros);
	/* a 16-byte name takes 32 with its NUL */
	snprintf(path, sizeof(path), "%s/0123456789abcdef", d);
	close(open(path, O_CREAT | O_WRONLY, 0644));
	CHECK_EQ(read(fd, buf, sizeof(buf)), 48);
	CHECK_EQ(e->len, 32);
	CHECK_STR(e->name, "0123456789abcdef");
	CHECK_EQ(poll(&p, 1, 0), 0);
	/* several events in one read, as many as fit */
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/f%d", d, i);
		close(open(path, O_CREAT | O_WRONLY, 0644));
	}
	CHECK_EQ(read(fd, buf, 70), 64);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 32);
	/* a blocking read, woken by another process's change */
	int bfd = inotify_init1(0);
	CHECK(inotify_add_watch(bfd, d, IN_DELETE) > 0);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(100000);
		snprintf(path, sizeof(path), "%s/f0", d);
		_exit(unlink(path) == 0 ? 0 : 1);
	}
	CHECK_EQ(read(bfd, buf, sizeof(buf)), 32);
	CHECK_EQ(e->mask, IN_DELETE);
	CHECK_STR(e->name, "f0");
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	close(bfd);
	close(ep);
	close(fd);
	const char *names[] = {"abc", "0123456789abcdef", "f1", "f2"};
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", d, names[i]);
		unlink(path);
	}
	CHECK_EQ(rmdir(d), 0);
}

static void test_overflow(void)
{
	int max = 16384;
	FILE *mf = fopen("/proc/sys/fs/inotify/max_queued_events", "r");
	if (mf) {
		if (fscanf(mf, "%d", &max) != 1)
			max = 16384;
		fclose(mf);
	}
	const char *f = at("in-over");
	write_file(f, "x");
	int fd = inotify_init1(IN_NONBLOCK);
	int wd = inotify_add_watch(fd, f, IN_OPEN | IN_CLOSE_NOWRITE);
	for (int i = 0; i < max / 2 + 10; i++)
		close(open(f, O_RDONLY));
	static struct ev e[4];
	int n = 0, last_mask = 0, last_wd = 0, overflows = 0;
	static char buf[65536] __attribute__((aligned(8)));
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));
		if (r <= 0)
			break;
		for (char *p = buf; p < buf + r;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			n++;
			last_mask = (int)ev->mask;
			last_wd = ev->wd;
			overflows += ev->mask == IN_Q_OVERFLOW;
			p += sizeof(*ev) + ev->len;
		}
	}
	(void)e;
	(void)wd;
	CHECK_EQ(n, max + 1);
	CHECK_EQ(last_mask, IN_Q_OVERFLOW);
	CHECK_EQ(last_wd, -1);
	CHECK_EQ(overflows, 1);
	/* room again: events queue after the overflow was read */
	close(open(f, O_RDONLY));
	CHECK_EQ(read(fd, buf, sizeof(buf)), 32);
	close(fd);
	unlink(f);
}

int main(int argc, char **argv)
{
	snprintf(dir, sizeof(dir), "%s", argc > 1 ? argv[1] : ".");
	test_init();
	test_directory();
	test_file();
	test_flags();
	test_layout_and_readiness();
	test_overflow();
	return ltest_done("inotify");
}
