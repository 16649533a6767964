/*
 * Calls that name another process: pidfd_open, poll on a pidfd (readable
 * once the process has ended), pidfd_send_signal, waitid(P_PIDFD) (and
 * EAGAIN for a non-blocking pidfd), pidfd_getfd, kcmp,
 * process_vm_readv/writev (partial transfers, EFAULT, ESRCH, EPERM,
 * EINVAL) and personality.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/kcmp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static int pidfd_open(pid_t pid, unsigned flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static int pidfd_send_signal(int fd, int sig, siginfo_t *info, unsigned flags)
{
	return (int)syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}

static int pidfd_getfd(int fd, int target, unsigned flags)
{
	return (int)syscall(SYS_pidfd_getfd, fd, target, flags);
}

static long kcmp(pid_t a, pid_t b, int type, unsigned long i1, unsigned long i2)
{
	return syscall(SYS_kcmp, a, b, type, i1, i2);
}

static int wait_exit(pid_t pid)
{
	int st = -1;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

static pid_t dead_pid(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	wait_exit(pid);
	return pid;
}

/* A child that waits for its pipe's end (the returned write end). */
static pid_t waiting_child(int *release)
{
	int p[2];
	if (pipe(p) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 7 : 8);
	}
	close(p[0]);
	*release = p[1];
	return pid;
}

static int readable(int fd, int timeout_ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int n = poll(&pfd, 1, timeout_ms);
	return n == 1 && (pfd.revents & POLLIN);
}

static void test_open_poll_wait(void)
{
	int rel;
	pid_t pid = waiting_child(&rel);
	int fd = pidfd_open(pid, 0);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_ERR(pidfd_open(pid, 1), EINVAL);
	CHECK_ERR(pidfd_open(-1, 0), EINVAL);
	CHECK_ERR(pidfd_open(0, 0), EINVAL);
	CHECK_ERR(pidfd_open(dead_pid(), 0), ESRCH);
	CHECK_EQ(readable(fd, 0), 0);
	CHECK_EQ(pidfd_send_signal(fd, 0, NULL, 0), 0);

	/* a non-blocking pidfd does not wait */
	int nb = pidfd_open(pid, PIDFD_NONBLOCK);
	CHECK(nb >= 0);
	siginfo_t si;
	CHECK_ERR(waitid(P_PIDFD, nb, &si, WEXITED), EAGAIN);
	memset(&si, 0xff, sizeof(si));
	CHECK_EQ(waitid(P_PIDFD, fd, &si, WEXITED | WNOHANG), 0);
	CHECK_EQ(si.si_pid, 0);
	CHECK_ERR(waitid(P_PIDFD, rel, &si, WEXITED), EBADF);
	CHECK_ERR(waitid(P_PIDFD, 999, &si, WEXITED), EBADF);
	CHECK_ERR(waitid(P_PIDFD, -1, &si, WEXITED), EINVAL);

	close(rel); /* the child ends: readable before and after the wait */
	CHECK_EQ(readable(fd, 20000), 1);
	memset(&si, 0, sizeof(si));
	CHECK_EQ(waitid(P_PIDFD, fd, &si, WEXITED), 0);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_code, CLD_EXITED);
	CHECK_EQ(si.si_status, 7);
	CHECK_EQ(readable(fd, 0), 1);
	CHECK_ERR(pidfd_send_signal(fd, 0, NULL, 0), ESRCH);
	CHECK_ERR(waitid(P_PIDFD, fd, &si, WEXITED), ECHILD);
	close(nb);
	close(fd);

	/* not a child: the pidfd polls, but waitid says ECHILD */
	fd = pidfd_open(getppid(), 0);
	CHECK(fd >= 0);
	CHECK_ERR(waitid(P_PIDFD, fd, &si, WEXITED | WNOHANG), ECHILD);
	close(fd);
}

static void *idle_thread(void *arg)
{
	*(volatile pid_t *)arg = (pid_t)syscall(SYS_gettid);
	pause();
	return NULL;
}

static void test_thread_is_not_a_process(void)
{
	volatile pid_t tid = 0;
	pthread_t th;
	CHECK_EQ(pthread_create(&th, NULL, idle_thread, (void *)&tid), 0);
	while (!tid)
		sched_yield();
	errno = 0; /* EINVAL up to 6.12, ENOENT since pidfs */
	CHECK(pidfd_open(tid, 0) == -1 && (errno == EINVAL || errno == ENOENT));
	/* a thread shares the process's descriptor table and address space */
	long r = kcmp(getpid(), tid, KCMP_FILES, 0, 0);
	if (r == -1 && errno == ENOSYS)
		SKIP("kcmp (qemu-user)");
	else
		CHECK_EQ(r, 0);
	pthread_cancel(th);
	pthread_join(th, NULL);
}

static void test_send_signal(void)
{
	int rel;
	pid_t pid = waiting_child(&rel);
	int fd = pidfd_open(pid, 0);
	CHECK(fd >= 0);
	CHECK_ERR(pidfd_send_signal(fd, SIGTERM, NULL, 8), EINVAL); /* unknown scope */
	CHECK_ERR(pidfd_send_signal(fd, SIGTERM, NULL, 3), EINVAL); /* two scopes */
	CHECK_EQ(pidfd_send_signal(fd, 0, NULL, 2), 0);             /* the process (6.9) */
	CHECK_ERR(pidfd_send_signal(rel, SIGTERM, NULL, 0), EBADF);
	CHECK_ERR(pidfd_send_signal(999, SIGTERM, NULL, 0), EBADF);
	CHECK_ERR(pidfd_send_signal(fd, 65, NULL, 0), EINVAL);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	CHECK_ERR(pidfd_send_signal(fd, SIGTERM, &si, 0), EINVAL); /* signo differs */
	si.si_signo = SIGTERM;
	si.si_code = SI_USER;
	CHECK_ERR(pidfd_send_signal(fd, SIGTERM, &si, 0), EPERM); /* a kill() origin */
	CHECK_EQ(pidfd_send_signal(fd, SIGTERM, NULL, 0), 0);
	memset(&si, 0, sizeof(si));
	CHECK_EQ(waitid(P_PIDFD, fd, &si, WEXITED), 0);
	CHECK_EQ(si.si_code, CLD_KILLED);
	CHECK_EQ(si.si_status, SIGTERM);
	close(rel);
	close(fd);

	/* to oneself, with a queued siginfo */
	fd = pidfd_open(getpid(), 0);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR2;
	si.si_code = SI_QUEUE;
	si.si_value.sival_int = 42;
	CHECK_EQ(pidfd_send_signal(fd, SIGUSR2, &si, 0), 0);
	siginfo_t got;
	struct timespec ts = {5, 0};
	CHECK_EQ(sigtimedwait(&set, &got, &ts), SIGUSR2);
	CHECK_EQ(got.si_code, SI_QUEUE);
	CHECK_EQ(got.si_value.sival_int, 42);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	close(fd);
}

static void test_getfd(void)
{
	int ready[2], rel;
	CHECK_EQ(pipe(ready), 0);
	rel = -1;
	int p[2];
	CHECK_EQ(pipe(p), 0);
	pid_t pid = fork();
	if (pid == 0) {
		int q[2];
		char c;
		close(p[1]);
		if (pipe(q) != 0 || write(q[1], "getfd", 5) != 5 || dup2(q[0], 60) != 60)
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(2);
		_exit(read(p[0], &c, 1) == 0 ? 0 : 3);
	}
	close(p[0]);
	rel = p[1];
	char c;
	CHECK_EQ(read(ready[0], &c, 1), 1);
	int fd = pidfd_open(pid, 0);
	CHECK(fd >= 0);
	int g = pidfd_getfd(fd, 60, 0);
	CHECK(g >= 0);
	CHECK_EQ(fcntl(g, F_GETFD), FD_CLOEXEC);
	char buf[8] = {0};
	CHECK_EQ(read(g, buf, 5), 5);
	CHECK_STR(buf, "getfd");
	long r = kcmp(getpid(), pid, KCMP_FILE, g, 60);
	if (r == -1 && errno == ENOSYS)
		SKIP("kcmp (qemu-user)");
	else
		CHECK_EQ(r, 0);
	CHECK_ERR(pidfd_getfd(fd, 61, 0), EBADF);
	CHECK_ERR(pidfd_getfd(fd, 60, 1), EINVAL);
	CHECK_ERR(pidfd_getfd(rel, 60, 0), EBADF);
	close(rel);
	CHECK_EQ(wait_exit(pid), 0);
	CHECK_ERR(pidfd_getfd(fd, 60, 0), ESRCH);
	close(g);
	close(fd);
	close(ready[0]);
	close(ready[1]);
}

static void test_kcmp(void)
{
	pid_t me = getpid();
	if (kcmp(me, me, KCMP_VM, 0, 0) == -1 && errno == ENOSYS) {
		SKIP("kcmp (qemu-user)");
		return;
	}
	CHECK_EQ(kcmp(me, me, KCMP_VM, 0, 0), 0);
	CHECK_EQ(kcmp(me, me, KCMP_FS, 0, 0), 0);
	int a = open("/proc/self/exe", O_RDONLY), b = dup(a), c = open("/proc/self/exe", O_RDONLY);
	CHECK_EQ(kcmp(me, me, KCMP_FILE, a, b), 0);
	long r = kcmp(me, me, KCMP_FILE, a, c);
	CHECK(r == 1 || r == 2);
	CHECK_EQ(kcmp(me, me, KCMP_FILE, c, a), 3 - r); /* the other order */
	CHECK_ERR(kcmp(me, me, KCMP_FILE, a, 999), EBADF);
	CHECK_ERR(kcmp(me, me, 99, 0, 0), EINVAL);
	CHECK_ERR(kcmp(me, dead_pid(), KCMP_VM, 0, 0), ESRCH);
	int rel;
	pid_t pid = waiting_child(&rel);
	CHECK(kcmp(me, pid, KCMP_VM, 0, 0) > 0);
	CHECK(kcmp(me, pid, KCMP_FILES, 0, 0) > 0);
	CHECK(kcmp(me, pid, KCMP_SIGHAND, 0, 0) > 0);
	CHECK_EQ(kcmp(me, pid, KCMP_FILE, a, a), 0); /* inherited: the same file */
	close(rel);
	CHECK_EQ(wait_exit(pid), 7);
	close(a);
	close(b);
	close(c);
}

static char remote[8192];

static void test_process_vm(void)
{
	char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(two != MAP_FAILED);
	memset(two, 'p', 4096);
	munmap(two + 4096, 4096); /* a hole after the page, in the child too */
	int ready[2], p[2];
	CHECK_EQ(pipe(ready), 0);
	CHECK_EQ(pipe(p), 0);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		memset(remote, 'c', sizeof(remote));
		memset(two, 'q', 4096);
		if (write(ready[1], "r", 1) != 1)
			_exit(2);
		if (read(p[0], &c, 1) != 0)
			_exit(3);
		_exit(memcmp(remote + 100, "written", 7) == 0 ? 0 : 4);
	}
	close(p[0]);
	char c;
	CHECK_EQ(read(ready[0], &c, 1), 1);

	char buf[300];
	struct iovec l = {buf, sizeof(buf)}, r = {remote, 200};
	ssize_t n = process_vm_readv(pid, &l, 1, &r, 1, 0);
	if (n == -1 && errno == ENOSYS) {
		SKIP("process_vm_readv (qemu-user)");
		close(p[1]);
		wait_exit(pid);
		return;
	}
	CHECK_EQ(n, 200);
	CHECK(buf[0] == 'c' && buf[199] == 'c');
	/* two remote pieces into two local ones */
	char x[3], y[5];
	struct iovec l2[2] = {{x, 3}, {y, 5}}, r2[2] = {{remote, 4}, {two, 4}};
	CHECK_EQ(process_vm_readv(pid, l2, 2, r2, 2, 0), 8);
	CHECK(x[0] == 'c' && y[0] == 'c' && y[1] == 'q' && y[4] == 'q');
	/* partial: stops at the hole */
	struct iovec r3 = {two + 4096 - 100, 200};
	CHECK_EQ(process_vm_readv(pid, &l, 1, &r3, 1, 0), 100);
	struct iovec r4 = {two + 4096, 10};
	CHECK_ERR(process_vm_readv(pid, &l, 1, &r4, 1, 0), EFAULT);
	struct iovec lbad = {(void *)8, 10};
	CHECK_ERR(process_vm_readv(pid, &lbad, 1, &r, 1, 0), EFAULT);
	CHECK_ERR(process_vm_readv(pid, &l, 1, &r, 1, 1), EINVAL);
	CHECK_ERR(process_vm_readv(pid, &l, 1, &r, 1025, 0), EINVAL);
	CHECK_EQ(process_vm_readv(pid, &l, 0, &r, 1, 0), 0);
	CHECK_ERR(process_vm_readv(dead_pid(), &l, 1, &r, 1, 0), ESRCH);
	/* write */
	struct iovec lw = {"written", 7}, rw = {remote + 100, 7};
	CHECK_EQ(process_vm_writev(pid, &lw, 1, &rw, 1, 0), 7);
	close(p[1]);
	CHECK_EQ(wait_exit(pid), 0);

	/* another user's process: EPERM */
	if (geteuid() == 0) {
		pid = fork();
		if (pid == 0) {
			if (setgid(65534) != 0 || setuid(65534) != 0)
				_exit(1);
			struct iovec rr = {remote, 10};
			if (process_vm_readv(getppid(), &l, 1, &rr, 1, 0) != -1 || errno != EPERM)
				_exit(2);
			_exit(0);
		}
		CHECK_EQ(wait_exit(pid), 0);
	} else {
		SKIP("EPERM needs root to become another user");
	}
	munmap(two, 4096);
}

static void test_personality(void)
{
	int base = personality(0xffffffff);
	CHECK_EQ(base & 0xff, PER_LINUX);
	CHECK_EQ(personality(PER_LINUX | ADDR_NO_RANDOMIZE), base);
	CHECK_EQ(personality(0xffffffff), PER_LINUX | ADDR_NO_RANDOMIZE);
	pid_t pid = fork();
	if (pid == 0)
		_exit(personality(0xffffffff) == (PER_LINUX | ADDR_NO_RANDOMIZE) ? 0 : 1);
	CHECK_EQ(wait_exit(pid), 0);
	CHECK_EQ(personality(base), PER_LINUX | ADDR_NO_RANDOMIZE);
	CHECK_EQ(personality(0xffffffff), base);
}

int main(void)
{
	test_open_poll_wait();
	test_thread_is_not_a_process();
	test_send_signal();
	test_getfd();
	test_kcmp();
	test_process_vm();
	test_personality();
	return ltest_done("pidfd");
}
