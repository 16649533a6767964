/*
 * Priorities and scheduling policies: getpriority/setpriority (PRIO_
 * PROCESS, PGRP, USER; clamping; EACCES, EPERM, ESRCH, EINVAL), nice,
 * sched_setscheduler/getscheduler/setparam/getparam for SCHED_OTHER,
 * BATCH, IDLE, FIFO and RR (ranges, EINVAL, EPERM, EFAULT, ESRCH,
 * SCHED_RESET_ON_FORK), sched_get_priority_min/max, sched_rr_get_interval,
 * /proc/self/stat's fields, and the order the scheduler honours: on one
 * CPU a SCHED_FIFO task runs before SCHED_OTHER ones and is not
 * preempted by an equal one until it yields.
 *
 * The real-time parts need privilege (root: Scarlet, Debian's kernel in
 * tools/linux-vm.sh); an unprivileged run (qemu-user on the host) skips
 * them and checks the refusals instead.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

static int wait_exit(pid_t pid)
{
	int st = -1;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

/* A pid that no process has: a child's, once reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	wait_exit(pid);
	return pid;
}

/* Field n (1-based) of /proc/self/stat. */
static long stat_field(int n)
{
	char buf[1024];
	int fd = open("/proc/self/stat", O_RDONLY);
	if (fd < 0)
		return -9999;
	ssize_t r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return -9999;
	buf[r] = 0;
	char *p = strrchr(buf, ')');
	if (!p)
		return -9999;
	p += 2; /* field 3 */
	for (int i = 3; i < n; i++) {
		p = strchr(p, ' ');
		if (!p)
			return -9999;
		p++;
	}
	return strtol(p, NULL, 10);
}

/* qemu-user makes up /proc/self/stat, with 0 for most fields (the
 * resident set size among them). */
static int stat_made_up(void)
{
	if (stat_field(24) != 0) /* the resident set */
		return 0;
	SKIP("/proc/self/stat is qemu-user's");
	return 1;
}

/* Becomes an unprivileged user (when root) in a child. */
static void drop_privileges(void)
{
	if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
		_exit(90);
}

static void test_ranges(void)
{
	CHECK_EQ(sched_get_priority_min(SCHED_OTHER), 0);
	CHECK_EQ(sched_get_priority_max(SCHED_OTHER), 0);
	CHECK_EQ(sched_get_priority_min(SCHED_BATCH), 0);
	CHECK_EQ(sched_get_priority_max(SCHED_IDLE), 0);
	CHECK_EQ(sched_get_priority_min(SCHED_FIFO), 1);
	CHECK_EQ(sched_get_priority_max(SCHED_FIFO), 99);
	CHECK_EQ(sched_get_priority_min(SCHED_RR), 1);
	CHECK_EQ(sched_get_priority_max(SCHED_RR), 99);
	CHECK_EQ(sched_get_priority_max(6), 0); /* SCHED_DEADLINE */
	CHECK_ERR(sched_get_priority_max(4), EINVAL);
	CHECK_ERR(sched_get_priority_min(-1), EINVAL);
	CHECK_ERR(sched_get_priority_max(100), EINVAL);
}

static void test_nice(void)
{
	int base = getpriority(PRIO_PROCESS, 0);
	CHECK(base >= -20 && base <= 14);
	if (!stat_made_up())
		CHECK_EQ(stat_field(19), base);
	CHECK_EQ(setpriority(PRIO_PROCESS, 0, base + 3), 0);
	CHECK_EQ(getpriority(PRIO_PROCESS, 0), base + 3);
	CHECK_EQ(getpriority(PRIO_PROCESS, getpid()), base + 3);
	if (!stat_made_up()) {
		CHECK_EQ(stat_field(19), base + 3);
		CHECK_EQ(stat_field(18), 20 + base + 3);
	}
	CHECK_EQ(syscall(SYS_getpriority, PRIO_PROCESS, 0), 20 - (base + 3)); /* the raw value */
	pid_t pid = fork();                                                   /* inherited */
	if (pid == 0)
		_exit(getpriority(PRIO_PROCESS, 0) == base + 3 ? 0 : 1);
	CHECK_EQ(wait_exit(pid), 0);
	errno = 0;
	CHECK_EQ(nice(1), base + 4);
	CHECK_EQ(setpriority(PRIO_PROCESS, 0, 100), 0); /* clamped */
	CHECK_EQ(getpriority(PRIO_PROCESS, 0), 19);
	CHECK_ERR(setpriority(5, 0, 0), EINVAL);
	CHECK_ERR(getpriority(5, 0), EINVAL);
	pid_t gone = dead_pid();
	CHECK_ERR(getpriority(PRIO_PROCESS, gone), ESRCH);
	CHECK_ERR(setpriority(PRIO_PROCESS, gone, 0), ESRCH);
	CHECK_ERR(getpriority(PRIO_USER, 54321), ESRCH);
	CHECK_ERR(getpriority(PRIO_PGRP, gone), ESRCH);
	int u = getpriority(PRIO_USER, 0);
	CHECK(u >= -20 && u <= 19);

	/* lowering the nice value takes privilege or RLIMIT_NICE room */
	if (geteuid() == 0) {
		CHECK_EQ(setpriority(PRIO_PROCESS, 0, base), 0);
		CHECK_EQ(getpriority(PRIO_PROCESS, 0), base);
		CHECK_EQ(setpriority(PRIO_PROCESS, 0, -5), 0);
		CHECK_EQ(getpriority(PRIO_PROCESS, 0), -5);
		CHECK_EQ(setpriority(PRIO_PROCESS, 0, base), 0);
	}
	pid = fork();
	if (pid == 0) {
		if (geteuid() == 0) {
			struct rlimit rl = {30, 30}; /* nice down to -10 */
			setrlimit(RLIMIT_NICE, &rl); /* (not in every container) */
		}
		drop_privileges();
		if (setpriority(PRIO_PROCESS, 1, 19) != -1 || errno != EPERM)
			_exit(81);
		if (setpriority(PRIO_PROCESS, 0, 19) != 0)
			_exit(82);
		struct rlimit rl;
		getrlimit(RLIMIT_NICE, &rl);
		int floor = 20 - (int)rl.rlim_cur; /* the lowest allowed */
		if (floor > 19) {
			if (setpriority(PRIO_PROCESS, 0, 10) != -1 || errno != EACCES)
				_exit(83);
			_exit(0);
		}
		if (setpriority(PRIO_PROCESS, 0, floor) != 0)
			_exit(84);
		if (setpriority(PRIO_PROCESS, 0, floor - 1) != -1 || errno != EACCES)
			_exit(85);
		_exit(0);
	}
	CHECK_EQ(wait_exit(pid), 0);

	/* PRIO_PGRP: every process of the group */
	int p[2];
	CHECK_EQ(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		setpgid(0, 0);
		_exit(read(p[0], &c, 1) == 0 ? 0 : 1);
	}
	close(p[0]);
	setpgid(pid, pid);
	CHECK_EQ(setpriority(PRIO_PGRP, pid, 7), 0);
	CHECK_EQ(getpriority(PRIO_PROCESS, pid), 7);
	CHECK_EQ(getpriority(PRIO_PGRP, pid), 7);
	close(p[1]);
	CHECK_EQ(wait_exit(pid), 0);
	CHECK_EQ(setpriority(PRIO_PROCESS, 0, 19), 0);
}

static void test_fair_policies(void)
{
	struct sched_param sp = {0};
	CHECK_EQ(sched_getscheduler(0), SCHED_OTHER);
	CHECK_EQ(sched_getparam(0, &sp), 0);
	CHECK_EQ(sp.sched_priority, 0);
	CHECK_EQ(sched_setscheduler(0, SCHED_BATCH, &sp), 0);
	CHECK_EQ(sched_getscheduler(0), SCHED_BATCH);
	if (!stat_made_up())
		CHECK_EQ(stat_field(41), SCHED_BATCH);
	CHECK_EQ(sched_setscheduler(0, SCHED_OTHER, &sp), 0);
	CHECK_EQ(sched_getscheduler(getpid()), SCHED_OTHER);
	struct timespec ts = {-1, -1};
	CHECK_EQ(sched_rr_get_interval(0, &ts), 0);
	CHECK(ts.tv_sec == 0 && ts.tv_nsec >= 0);

	sp.sched_priority = 1;
	CHECK_ERR(sched_setscheduler(0, SCHED_OTHER, &sp), EINVAL);
	CHECK_ERR(sched_setparam(0, &sp), EINVAL); /* SCHED_OTHER takes 0 only */
	sp.sched_priority = 0;
	CHECK_ERR(sched_setscheduler(0, SCHED_FIFO, &sp), EINVAL);
	sp.sched_priority = 100;
	CHECK_ERR(sched_setscheduler(0, SCHED_RR, &sp), EINVAL);
	sp.sched_priority = 0;
	CHECK_ERR(sched_setscheduler(0, 4, &sp), EINVAL);
	CHECK_ERR(sched_setscheduler(0, -1, &sp), EINVAL);
	CHECK_ERR(sched_setscheduler(-1, SCHED_OTHER, &sp), EINVAL);
	CHECK_ERR(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, (void *)8), EFAULT);
	CHECK_ERR(syscall(SYS_sched_getparam, 0, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_sched_getparam, 0, (void *)8), EFAULT);
	CHECK_ERR(sched_getscheduler(-1), EINVAL);
	pid_t gone = dead_pid();
	CHECK_ERR(sched_getscheduler(gone), ESRCH);
	CHECK_ERR(sched_getparam(gone, &sp), ESRCH);
	CHECK_ERR(sched_setscheduler(gone, SCHED_OTHER, &sp), ESRCH);
	CHECK_ERR(sched_rr_get_interval(gone, &ts), ESRCH);
	CHECK_ERR(sched_rr_get_interval(-1, &ts), EINVAL);

	/* SCHED_IDLE, and the way back needs nice room: in a child */
	pid_t pid = fork();
	if (pid == 0) {
		if (sched_setscheduler(0, SCHED_IDLE, &sp) != 0)
			_exit(1);
		_exit(sched_getscheduler(0) == SCHED_IDLE ? 0 : 2);
	}
	CHECK_EQ(wait_exit(pid), 0);

	/* unprivileged: no real-time policy without RLIMIT_RTPRIO */
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = {0, 0};
		setrlimit(RLIMIT_RTPRIO, &rl);
		drop_privileges();
		struct sched_param p1 = {1};
		if (sched_setscheduler(0, SCHED_FIFO, &p1) != -1 || errno != EPERM)
			_exit(1);
		if (sched_setscheduler(1, SCHED_OTHER, &sp) != -1 || errno != EPERM)
			_exit(2);
		_exit(0);
	}
	CHECK_EQ(wait_exit(pid), 0);
}

static void test_realtime(void)
{
	if (geteuid() != 0) {
		SKIP("real-time policies need root");
		return;
	}
	struct sched_param sp = {10};
	struct timespec ts;
	CHECK_EQ(sched_setscheduler(0, SCHED_FIFO, &sp), 0);
	CHECK_EQ(sched_getscheduler(0), SCHED_FIFO);
	sp.sched_priority = 0;
	CHECK_EQ(sched_getparam(0, &sp), 0);
	CHECK_EQ(sp.sched_priority, 10);
	if (!stat_made_up()) {
		CHECK_EQ(stat_field(40), 10);
		CHECK_EQ(stat_field(41), SCHED_FIFO);
		CHECK_EQ(stat_field(18), -11);
	}
	CHECK_EQ(sched_rr_get_interval(0, &ts), 0);
	CHECK(ts.tv_sec == 0 && ts.tv_nsec == 0);
	sp.sched_priority = 30;
	CHECK_EQ(sched_setparam(0, &sp), 0);
	CHECK_EQ(sched_getscheduler(0), SCHED_FIFO);
	sp.sched_priority = 20;
	CHECK_EQ(sched_setscheduler(0, SCHED_RR, &sp), 0);
	CHECK_EQ(sched_getscheduler(0), SCHED_RR);
	CHECK_EQ(sched_rr_get_interval(0, &ts), 0);
	CHECK(ts.tv_sec == 0 && ts.tv_nsec > 0);
	pid_t pid = fork(); /* inherited */
	if (pid == 0) {
		struct sched_param q;
		_exit(sched_getscheduler(0) == SCHED_RR && sched_getparam(0, &q) == 0 &&
		              q.sched_priority == 20
		          ? 0
		          : 1);
	}
	CHECK_EQ(wait_exit(pid), 0);
	CHECK_EQ(sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp), 0);
	CHECK_EQ(sched_getscheduler(0), SCHED_FIFO | SCHED_RESET_ON_FORK);
	pid = fork(); /* reset: SCHED_OTHER, flag cleared */
	if (pid == 0)
		_exit(sched_getscheduler(0) == SCHED_OTHER ? 0 : 1);
	CHECK_EQ(wait_exit(pid), 0);
	sp.sched_priority = 0;
	CHECK_EQ(sched_setscheduler(0, SCHED_OTHER, &sp), 0);
	CHECK_EQ(sched_getscheduler(0), SCHED_OTHER);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Busy for ms milliseconds without a system call that could block. */
static void spin_ms(double ms)
{
	double end = now_ms() + ms;
	while (now_ms() < end)
		;
}

/* On one CPU: a SCHED_FIFO parent keeps it from a SCHED_OTHER child (and
 * from a SCHED_FIFO child of its own priority) until it blocks or yields.
 * Spins well under Linux's real-time throttle (950 ms a second). */
static void test_order(void)
{
	if (geteuid() != 0) {
		SKIP("real-time policies need root");
		return;
	}
	if (stat_field(24) == 0) { /* as stat_made_up() */
		SKIP("the host's CPUs and real-time limits are not ours (qemu-user)");
		return;
	}
	volatile int *ran =
	    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(ran != MAP_FAILED);
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	CHECK_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
	struct sched_param sp = {10};
	for (int same = 0; same < 2; same++) {
		*ran = 0;
		int policy = same ? SCHED_FIFO : SCHED_FIFO | SCHED_RESET_ON_FORK;
		CHECK_EQ(sched_setscheduler(0, policy, &sp), 0);
		pid_t pid = fork(); /* stays on CPU 0 */
		if (pid == 0) {
			*ran = 1;
			_exit(0);
		}
		spin_ms(100);
		CHECK_EQ(*ran, 0);
		if (same) { /* yielding lets the equal child run to its end */
			sched_yield();
			CHECK_EQ(*ran, 1);
		}
		CHECK_EQ(wait_exit(pid), 0);
		CHECK_EQ(*ran, 1);
	}
	sp.sched_priority = 0;
	CHECK_EQ(sched_setscheduler(0, SCHED_OTHER, &sp), 0);
	CPU_ZERO(&one);
	for (int i = 0; i < CPU_SETSIZE; i++)
		CPU_SET(i, &one);
	CHECK_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
}

int main(void)
{
	test_ranges();
	test_realtime();
	test_order();
	test_fair_policies();
	test_nice();
	return ltest_done("sched");
}
