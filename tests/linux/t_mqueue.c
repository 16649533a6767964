/*
 * POSIX message queues: names and open flags, attributes and their
 * limits, priority order, EMSGSIZE/EAGAIN/ETIMEDOUT, blocking both ways,
 * mq_notify with a signal (one process, one shot), mq_getsetattr, the
 * descriptor (close-on-exec, poll, its status line), unlink while open,
 * permissions.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

/* --beyond-qemu: also the checks qemu-user gets wrong (Scarlet and
 * Debian's Linux in tools/linux-vm.sh run them). */
static int beyond_qemu;

static char names[8][64];

/* A name of our own: tests of other programs may run alongside. */
static const char *qname(int n)
{
	snprintf(names[n], sizeof(names[n]), "/t_mqueue_%d_%d", (int)getpid(), n);
	return names[n];
}

static mqd_t open_attr(const char *name, int oflag, long maxmsg, long msgsize)
{
	struct mq_attr a = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};
	return mq_open(name, oflag, 0600, &a);
}

static int child_status(pid_t pid)
{
	int st;
	pid_t r;
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		; /* the notification's handler may run meanwhile */
	if (r != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Waits (without asserting any timing) until pid sleeps: blocked in the
 * call under test. */
static void wait_sleeping(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 2000; i++) {
		FILE *f = fopen(path, "r");
		char *paren = NULL;
		if (f) {
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);
			buf[n] = 0;
			fclose(f);
			paren = strrchr(buf, ')');
		}
		if (paren && paren[1] == ' ' && paren[2] == 'S')
			return;
		usleep(5000);
	}
	printf("  pid %d never slept\n", (int)pid);
}

static void test_open(void)
{
	CHECK_ERR(mq_open("noslash", O_RDWR | O_CREAT, 0600, NULL), EINVAL);
	CHECK_ERR(mq_open("/", O_RDWR | O_CREAT, 0600, NULL), ENOENT);
	CHECK_ERR(mq_open("/a/b", O_RDWR | O_CREAT, 0600, NULL), EACCES);
	char longname[300] = "/";
	memset(longname + 1, 'x', 256);
	CHECK_ERR(mq_open(longname, O_RDWR | O_CREAT, 0600, NULL), ENAMETOOLONG);
	const char *name = qname(0);
	CHECK_ERR(mq_open(name, O_RDWR), ENOENT);
	CHECK_ERR(mq_open(name, O_ACCMODE), ENOENT);
	CHECK_ERR(mq_unlink(name), ENOENT);
	CHECK_ERR(open_attr(name, O_RDWR | O_CREAT, 0, 16), EINVAL);
	CHECK_ERR(open_attr(name, O_RDWR | O_CREAT, 4, 0), EINVAL);
	CHECK_ERR(open_attr(name, O_RDWR | O_CREAT, -1, 16), EINVAL);
	CHECK_ERR(mq_open(name, O_RDWR | O_CREAT, 0600, (struct mq_attr *)8), EFAULT);
	mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0640, NULL);
	CHECK(q >= 0);
	CHECK_EQ(fcntl(q, F_GETFD), FD_CLOEXEC);
	CHECK_ERR(mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL), EEXIST);
	/* the defaults, and attributes are ignored when it exists */
	struct mq_attr a;
	memset(&a, 0xff, sizeof(a));
	CHECK_EQ(mq_getattr(q, &a), 0);
	CHECK_EQ(a.mq_maxmsg, 10);
	CHECK_EQ(a.mq_msgsize, 8192);
	CHECK_EQ(a.mq_curmsgs, 0);
	CHECK_EQ(a.mq_flags, 0);
	if (beyond_qemu) /* qemu-user turns access mode 3 into O_RDONLY */
		CHECK_ERR(mq_open(name, O_ACCMODE), EINVAL);
	mqd_t q2 = open_attr(name, O_RDONLY | O_CREAT | O_NONBLOCK, 2, 16);
	CHECK(q2 >= 0);
	CHECK_EQ(mq_getattr(q2, &a), 0);
	CHECK(a.mq_maxmsg == 10 && a.mq_flags == O_NONBLOCK);
	struct stat st;
	CHECK_EQ(fstat(q, &st), 0);
	CHECK_EQ(st.st_mode & 0777, 0640 & ~(unsigned)umask(umask(0)));
	CHECK_EQ(st.st_uid, geteuid());
	CHECK_EQ(mq_close(q2), 0);
	CHECK_EQ(mq_close(q), 0);
	CHECK_EQ(mq_unlink(name), 0);
	CHECK_ERR(mq_unlink(name), ENOENT);
	CHECK_ERR(mq_unlink("/"), ENOENT);
}

static void test_send_receive(void)
{
	const char *name = qname(1);
	mqd_t q = open_attr(name, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 4, 16);
	CHECK(q >= 0);
	char buf[16];
	unsigned prio = 99;
	CHECK_ERR(mq_receive(q, buf, sizeof(buf), &prio), EAGAIN);
	CHECK_EQ(mq_send(q, "a", 2, 1), 0);
	CHECK_EQ(mq_send(q, "b", 2, 5), 0);
	CHECK_EQ(mq_send(q, "c", 2, 1), 0);
	CHECK_EQ(mq_send(q, "d", 2, 5), 0);
	CHECK_ERR(mq_send(q, "e", 2, 9), EAGAIN);
	struct mq_attr a;
	CHECK_EQ(mq_getattr(q, &a), 0);
	CHECK_EQ(a.mq_curmsgs, 4);
	/* highest priority first, arrival order within one */
	const char *want[] = {"b", "d", "a", "c"};
	unsigned want_prio[] = {5, 5, 1, 1};
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(mq_receive(q, buf, sizeof(buf), &prio), 2);
		CHECK_STR(buf, want[i]);
		CHECK_EQ(prio, want_prio[i]);
	}
	/* sizes and priorities */
	char big[17] = "0123456789abcdef";
	CHECK_ERR(mq_send(q, big, 17, 0), EMSGSIZE);
	CHECK_EQ(mq_send(q, big, 16, 0), 0);
	CHECK_ERR(mq_receive(q, buf, 15, NULL), EMSGSIZE);
	CHECK_EQ(mq_receive(q, buf, 16, NULL), 16);
	CHECK_EQ(mq_send(q, "", 0, 0), 0);
	CHECK_EQ(mq_receive(q, buf, sizeof(buf), NULL), 0);
	CHECK_ERR(mq_send(q, "x", 1, 32768), EINVAL);
	CHECK_EQ(mq_send(q, "x", 1, 32767), 0);
	CHECK_EQ(mq_receive(q, buf, sizeof(buf), &prio), 1);
	CHECK_EQ(prio, 32767);
	CHECK_ERR(mq_send(q, (char *)8, 1, 0), EFAULT);
	/* descriptors of the wrong kind or mode */
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_ERR(mq_send(p[1], "x", 1, 0), EBADF);
	CHECK_ERR(mq_receive(p[0], buf, sizeof(buf), NULL), EBADF);
	CHECK_ERR(mq_send(-1, "x", 1, 0), EBADF);
	close(p[0]);
	close(p[1]);
	mqd_t ro = mq_open(name, O_RDONLY), wo = mq_open(name, O_WRONLY);
	CHECK(ro >= 0 && wo >= 0);
	CHECK_ERR(mq_send(ro, "x", 1, 0), EBADF);
	CHECK_ERR(mq_receive(wo, buf, sizeof(buf), NULL), EBADF);
	mq_close(ro);
	mq_close(wo);
	/* timeouts: absolute, on CLOCK_REALTIME */
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	struct mq_attr blocking = {.mq_flags = 0}, old;
	CHECK_EQ(mq_setattr(q, &blocking, &old), 0);
	CHECK_EQ(old.mq_flags, O_NONBLOCK);
	CHECK_ERR(mq_timedreceive(q, buf, sizeof(buf), NULL, &ts), ETIMEDOUT);
	struct timespec past = {1, 0};
	CHECK_ERR(mq_timedreceive(q, buf, sizeof(buf), NULL, &past), ETIMEDOUT);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(mq_send(q, "f", 1, 0), 0);
	CHECK_ERR(mq_timedsend(q, "f", 1, 0, &past), ETIMEDOUT);
	struct timespec bad = {0, 1000000000};
	CHECK_ERR(mq_timedsend(q, "f", 1, 0, &bad), EINVAL);
	CHECK_ERR(mq_timedreceive(q, buf, sizeof(buf), NULL, &bad), EINVAL);
	/* a past timeout does not matter when nothing has to wait */
	CHECK_EQ(mq_timedreceive(q, buf, sizeof(buf), NULL, &past), 1);
	/* mq_setattr changes only O_NONBLOCK */
	struct mq_attr other = {.mq_flags = O_NONBLOCK | O_APPEND};
	CHECK_ERR(mq_setattr(q, &other, NULL), EINVAL);
	other.mq_flags = O_NONBLOCK;
	other.mq_maxmsg = 100;
	CHECK_EQ(mq_setattr(q, &other, &old), 0);
	CHECK_EQ(old.mq_flags, 0);
	CHECK_EQ(old.mq_curmsgs, 3);
	CHECK_EQ(mq_getattr(q, &a), 0);
	CHECK(a.mq_flags == O_NONBLOCK && a.mq_maxmsg == 4);
	CHECK_EQ(fcntl(q, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	CHECK_EQ(mq_close(q), 0);
	CHECK_EQ(mq_unlink(name), 0);
}

static void test_blocking(void)
{
	const char *name = qname(2);
	mqd_t q = open_attr(name, O_RDWR | O_CREAT | O_EXCL, 1, 8);
	CHECK(q >= 0);
	char buf[8];
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		unsigned prio;
		ssize_t n = mq_receive(q, buf, sizeof(buf), &prio);
		_exit(n == 3 && strcmp(buf, "hi") == 0 && prio == 7 ? 0 : 1);
	}
	wait_sleeping(c);
	CHECK_EQ(mq_send(q, "hi", 3, 7), 0);
	CHECK_EQ(child_status(c), 0);
	/* a sender waits for room */
	CHECK_EQ(mq_send(q, "one", 4, 0), 0);
	fflush(stdout);
	c = fork();
	if (c == 0)
		_exit(mq_send(q, "two", 4, 0) == 0 ? 0 : 1);
	wait_sleeping(c);
	CHECK_EQ(mq_receive(q, buf, sizeof(buf), NULL), 4);
	CHECK_STR(buf, "one");
	CHECK_EQ(child_status(c), 0);
	CHECK_EQ(mq_receive(q, buf, sizeof(buf), NULL), 4);
	CHECK_STR(buf, "two");
	/* unlinked while open: still usable, the name is free again */
	CHECK_EQ(mq_unlink(name), 0);
	CHECK_EQ(mq_send(q, "z", 2, 0), 0);
	mqd_t again = open_attr(name, O_RDWR | O_CREAT | O_EXCL, 1, 8);
	CHECK(again >= 0);
	struct mq_attr a;
	CHECK_EQ(mq_getattr(again, &a), 0);
	CHECK_EQ(a.mq_curmsgs, 0);
	CHECK_EQ(mq_receive(q, buf, sizeof(buf), NULL), 2);
	mq_close(again);
	mq_close(q);
	CHECK_EQ(mq_unlink(name), 0);
}

static volatile sig_atomic_t got_signo, got_code, got_pid, got_value;

static void on_notify(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_signo = sig;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_value = si->si_value.sival_int;
}

static void test_notify(void)
{
	const char *name = qname(3);
	mqd_t q = open_attr(name, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 4, 8);
	CHECK(q >= 0);
	struct sigaction sa = {.sa_sigaction = on_notify, .sa_flags = SA_SIGINFO};
	sigaction(SIGUSR1, &sa, NULL);
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
	ev.sigev_value.sival_int = 42;
	if (mq_notify(q, &ev) != 0 && errno == ENOSYS && !beyond_qemu) {
		SKIP("mq_notify: ENOSYS (qemu-user does not pass it through)");
		mq_close(q);
		mq_unlink(name);
		return;
	}
	/* another process: EBUSY */
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(mq_notify(q, &ev) == -1 && errno == EBUSY ? 0 : 1);
	CHECK_EQ(child_status(c), 0);
	CHECK_ERR(mq_notify(q, &ev), EBUSY);
	char buf[64];
	CHECK_EQ(read(q, buf, sizeof(buf)) > 0, 1);
	CHECK(strncmp(buf, "QSIZE:0 ", 8) == 0);
	CHECK(strstr(buf, "NOTIFY:0 ") && strstr(buf, "SIGNO:10 "));
	/* a message on the empty queue: the signal, from the sender */
	c = fork();
	if (c == 0)
		_exit(mq_send(q, "m", 2, 0) == 0 ? 0 : 1);
	CHECK_EQ(child_status(c), 0);
	for (int i = 0; i < 2000 && !got_signo; i++)
		usleep(1000);
	CHECK_EQ(got_signo, SIGUSR1);
	CHECK_EQ(got_code, SI_MESGQ);
	CHECK_EQ(got_pid, c);
	CHECK_EQ(got_value, 42);
	/* one shot: the registration is gone */
	got_signo = 0;
	CHECK_EQ(mq_receive(q, buf, sizeof(buf), NULL), 2);
	CHECK_EQ(mq_send(q, "m", 2, 0), 0);
	usleep(20000);
	CHECK_EQ(got_signo, 0);
	/* not told when the queue was not empty */
	CHECK_EQ(mq_notify(q, &ev), 0);
	CHECK_EQ(mq_send(q, "n", 2, 0), 0);
	usleep(20000);
	CHECK_EQ(got_signo, 0);
	/* NULL removes the registration; then another may register */
	CHECK_EQ(mq_notify(q, NULL), 0);
	CHECK_EQ(mq_notify(q, NULL), 0);
	c = fork();
	if (c == 0)
		_exit(mq_notify(q, &ev) == 0 ? 0 : 1);
	CHECK_EQ(child_status(c), 0);
	/* its exit closed its descriptor, which ended its registration */
	CHECK_EQ(mq_notify(q, &ev), 0);
	CHECK_EQ(mq_notify(q, NULL), 0);
	ev.sigev_notify = 99;
	CHECK_ERR(mq_notify(q, &ev), EINVAL);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = 100;
	CHECK_ERR(mq_notify(q, &ev), EINVAL);
	CHECK_ERR(mq_notify(-1, NULL), EBADF);
	/* poll */
	struct pollfd pfd = {.fd = q, .events = POLLIN | POLLOUT};
	CHECK_EQ(poll(&pfd, 1, 0), 1);
	CHECK_EQ(pfd.revents, POLLIN | POLLOUT);
	signal(SIGUSR1, SIG_DFL);
	mq_close(q);
	CHECK_EQ(mq_unlink(name), 0);
}

static int child_permissions(const char *name)
{
	int fail = 0;
	if (setuid(65534) != 0)
		return 100;
	errno = 0;
	fail |= !(mq_open(name, O_RDONLY) == -1 && errno == EACCES);
	errno = 0;
	fail |= !(mq_unlink(name) == -1 && errno == EACCES) << 1;
	/* the limits of an unprivileged creator */
	char own[80];
	snprintf(own, sizeof(own), "%s_own", name);
	errno = 0;
	fail |= !(open_attr(own, O_RDWR | O_CREAT, 11, 16) == -1 && errno == EINVAL) << 2;
	errno = 0;
	fail |= !(open_attr(own, O_RDWR | O_CREAT, 2, 8193) == -1 && errno == EINVAL) << 3;
	mqd_t q = open_attr(own, O_RDWR | O_CREAT | O_EXCL, 10, 8192);
	fail |= (q < 0) << 4;
	fail |= (mq_unlink(own) != 0) << 5;
	mq_close(q);
	/* at most 256 queues in all (queues_max) for the unprivileged */
	int n = 0;
	for (; n < 300; n++) {
		snprintf(own, sizeof(own), "%s_%d", name, n);
		mqd_t one = open_attr(own, O_RDWR | O_CREAT | O_EXCL, 1, 1);
		if (one < 0)
			break;
		mq_close(one); /* the name keeps it */
	}
	fail |= !(n < 256 && errno == ENOSPC) << 6;
	while (n-- > 0) {
		snprintf(own, sizeof(own), "%s_%d", name, n);
		fail |= (mq_unlink(own) != 0) << 7;
	}
	return fail;
}

static void test_permissions(void)
{
	if (getuid() != 0) {
		SKIP("checks as another user need root");
		return;
	}
	const char *name = qname(4);
	mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	CHECK(q >= 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(child_permissions(name));
	CHECK_EQ(child_status(c), 0);
	mq_close(q);
	CHECK_EQ(mq_unlink(name), 0);
}

static long proc_number(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* The limits programs read (Linux's defaults). */
static void test_proc_limits(void)
{
	CHECK_EQ(proc_number("/proc/sys/fs/mqueue/queues_max"), 256);
	CHECK_EQ(proc_number("/proc/sys/fs/mqueue/msg_max"), 10);
	CHECK_EQ(proc_number("/proc/sys/fs/mqueue/msgsize_max"), 8192);
	CHECK_EQ(proc_number("/proc/sys/fs/mqueue/msg_default"), 10);
	CHECK_EQ(proc_number("/proc/sys/fs/mqueue/msgsize_default"), 8192);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	beyond_qemu = argc > 1 && strcmp(argv[1], "--beyond-qemu") == 0;
	test_open();
	test_send_receive();
	test_blocking();
	test_notify();
	test_permissions();
	test_proc_limits();
	return ltest_done("mqueue");
}
