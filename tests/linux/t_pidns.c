/*
 * PID namespaces (pid_namespaces(7)): unshare(CLONE_NEWPID) puts the
 * caller's next children in a new namespace whose first task is its pid 1;
 * getpid, getppid (0 for a parent outside), fork's and wait's answers,
 * kill, process groups and /proc all use the caller's numbers; the init's
 * protection from signals, orphans going to it, its end killing the
 * namespace and forbidding new tasks there; setns to a descendant only;
 * /proc/PID/status NS* lines, /proc/PID/ns/pid{,_for_children}, and a
 * procfs mounted in the namespace showing just its processes.
 *
 * Every case runs in a child of the runner, so the runner stays where it
 * was.  A process's exit status is its number of failed checks (capped).
 *
 * --beyond-qemu: also clone(CLONE_NEWPID) and clone3, which qemu-user
 * refuses (it passes unshare through, which is how the host run proves the
 * rest).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

static int beyond_qemu;

static int done_status(void)
{
	fflush(stdout);
	return ltest_failed > 100 ? 100 : ltest_failed;
}

/* Forks; the child runs fn(arg) and exits with its failure count. */
static pid_t spawn(void (*fn)(long), long arg)
{
	pid_t pid = fork();
	if (pid == 0) {
		ltest_passed = ltest_failed = 0;
		fn(arg);
		_exit(done_status());
	}
	CHECK(pid > 0);
	return pid;
}

/* Waits for pid, which must have passed all its checks. */
static void reap_ok(pid_t pid)
{
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		printf("  child %d ended with status %#x\n", (int)pid, st);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void in_child(void (*fn)(long), long arg)
{
	reap_ok(spawn(fn, arg));
}

static unsigned long ns_inode(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

static void read_file(const char *path, char *buf, size_t n)
{
	buf[0] = 0;
	int fd = open(path, O_RDONLY);
	ssize_t r = fd >= 0 ? read(fd, buf, n - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[r > 0 ? r : 0] = 0;
}

/* The line of the status file at path that starts with key (without it). */
static void status_line_of(const char *path, const char *key, char *out, size_t n)
{
	char buf[4096];
	read_file(path, buf, sizeof(buf));
	out[0] = 0;
	char *p = strstr(buf, key);
	if (!p)
		return;
	p += strlen(key);
	size_t len = strcspn(p, "\n");
	if (len >= n)
		len = n - 1;
	memcpy(out, p, len);
	out[len] = 0;
}

/* The same in /proc/PID/status. */
static void status_line(pid_t pid, const char *key, char *out, size_t n)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	status_line_of(path, key, out, n);
}

/* Two ends of a pipe in one spawn argument. */
#define PIPE_ARG(r, w) (((long)(r) << 16) | (long)(w))
#define PIPE_R(arg)    ((int)((arg) >> 16))
#define PIPE_W(arg)    ((int)((arg)&0xffff))

/* A task that a signal will end reports its failure count first. */
static void send_failures(int fd)
{
	char n = (char)done_status();
	CHECK_EQ(write(fd, &n, 1), 1);
}

static void expect_no_failures(int fd)
{
	char n = -1;
	CHECK_EQ(read(fd, &n, 1), 1);
	CHECK_EQ(n, 0);
}

/* ---------------------------------------------------------------- cases */

static void child_numbers(long go_fd)
{
	CHECK_EQ(getpid(), 1);
	CHECK_EQ(syscall(SYS_gettid), 1);
	CHECK_EQ(getppid(), 0); /* the parent is outside the namespace */
	CHECK_EQ(setsid(), 1);
	CHECK_EQ(getsid(0), 1);
	CHECK_EQ(getpgid(0), 1);
	CHECK_EQ(getpgrp(), 1);
	CHECK_EQ(getpgid(1), 1);
	CHECK_ERR(getpgid(12345), ESRCH);
	CHECK_ERR(kill(12345, 0), ESRCH);
	CHECK_EQ(kill(1, 0), 0);
	struct rlimit rl;
	CHECK_EQ(prlimit(1, RLIMIT_NOFILE, NULL, &rl), 0);
	cpu_set_t set;
	CHECK_EQ(sched_getaffinity(1, sizeof(set), &set), 0);
	CHECK_EQ(syscall(SYS_tgkill, 1, 1, 0), 0);
	CHECK_EQ(syscall(SYS_tkill, 1, 0), 0);
	int pfd = (int)syscall(SYS_pidfd_open, 1, 0);
	CHECK(pfd >= 0);
	if (pfd >= 0)
		close(pfd);
	/* children of the init see it as their parent (their numbers are not
	 * checked: under qemu-user a thread of its own takes one) */
	pid_t c = fork();
	if (c == 0)
		_exit(getppid() == 1 && getpid() > 1 ? 0 : 1);
	CHECK(c > 1);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	CHECK_EQ(waitid(P_PID, c, &si, WEXITED), 0);
	CHECK_EQ(si.si_pid, c);
	CHECK_EQ(si.si_status, 0);
	if (beyond_qemu) /* an init makes no siblings */
		CHECK_ERR(syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0), EINVAL);
	char b;
	CHECK_EQ(read((int)go_fd, &b, 1), 1); /* alive until the parent has looked */
}

/* unshare: the caller stays, its children go; pid_for_children. */
static void unshare_basics(long unused)
{
	(void)unused;
	char link[64], kids[64];
	pid_t me = getpid();
	unsigned long outer = ns_inode("/proc/self/ns/pid");
	CHECK(outer != 0);
	CHECK_EQ(ns_inode("/proc/self/ns/pid_for_children"), outer);
	CHECK_EQ(unshare(CLONE_NEWPID), 0);
	CHECK_EQ(getpid(), me); /* the caller is not moved */
	CHECK_EQ(ns_inode("/proc/self/ns/pid"), outer);
	/* no task in the new namespace yet: the link is not there */
	CHECK_ERR(readlink("/proc/self/ns/pid_for_children", kids, sizeof(kids)), ENOENT);
	CHECK_ERR(unshare(CLONE_NEWPID), EINVAL); /* children already go elsewhere */

	int go[2];
	CHECK_EQ(pipe(go), 0);
	pid_t c = spawn(child_numbers, go[0]);
	CHECK(c > 1 && c != me);
	unsigned long inner = ns_inode("/proc/self/ns/pid_for_children");
	CHECK(inner != 0 && inner != outer);
	ssize_t n = readlink("/proc/self/ns/pid_for_children", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	snprintf(kids, sizeof(kids), "pid:[%lu]", inner);
	CHECK_STR(link, kids);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)c);
	CHECK_EQ(ns_inode(path), inner);
	/* the child's numbers in both namespaces, from outside */
	char line[128], want[128];
	status_line(c, "NSpid:", line, sizeof(line));
	snprintf(want, sizeof(want), "\t%d\t1", (int)c);
	CHECK_STR(line, want);
	status_line(c, "NStgid:", line, sizeof(line));
	CHECK_STR(line, want);
	CHECK_ERR(unshare(CLONE_NEWPID), EINVAL);
	CHECK_EQ(write(go[1], "g", 1), 1);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	CHECK_EQ(waitid(P_PID, c, &si, WEXITED | WNOWAIT), 0);
	CHECK_EQ(si.si_pid, c); /* the waiter's number for it */
	reap_ok(c);
}

static volatile sig_atomic_t got_sig, got_pid;

static void on_usr1(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	got_sig = sig;
	got_pid = si->si_pid;
}

static void wait_for_signal(void)
{
	for (int i = 0; i < 500 && !got_sig; i++)
		usleep(10000);
}

/* The init of a namespace: signals from inside reach it only when it
 * handles them; si_pid is the sender's number in it. */
static void init_signals(long fd)
{
	CHECK_EQ(getpid(), 1);
	/* no handler: ignored, even SIGKILL, even from itself.  (qemu-user
	 * catches every catchable signal itself, so the host run cannot show
	 * the others.) */
	CHECK_EQ(kill(1, SIGKILL), 0);
	CHECK_EQ(kill(1, SIGSTOP), 0);
	if (beyond_qemu) {
		CHECK_EQ(kill(1, SIGTERM), 0);
		CHECK_EQ(raise(SIGUSR2), 0);
	}
	usleep(20000);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	got_sig = 0;
	pid_t c = fork();
	if (c == 0) {
		kill(1, SIGUSR1);
		_exit(0);
	}
	CHECK(c > 1);
	wait_for_signal();
	CHECK_EQ(got_sig, SIGUSR1);
	CHECK_EQ(got_pid, c);
	reap_ok(c);
	/* tell the parent we are ready for its signals, then wait for them */
	got_sig = 0;
	got_pid = -1;
	char b = 'r';
	CHECK_EQ(write((int)fd, &b, 1), 1);
	wait_for_signal();
	CHECK_EQ(got_sig, SIGUSR1);
	CHECK_EQ(got_pid, 0); /* a sender outside the namespace */
	send_failures((int)fd);
	for (;;)
		pause(); /* until the parent's SIGKILL */
}

static void init_protection(long unused)
{
	(void)unused;
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(unshare(CLONE_NEWPID), 0);
	pid_t c = spawn(init_signals, p[1]);
	char b = 0;
	CHECK_EQ(read(p[0], &b, 1), 1);
	/* from the parent namespace: unhandled signals are dropped too... */
	if (beyond_qemu)
		CHECK_EQ(kill(c, SIGTERM), 0);
	CHECK_EQ(kill(c, SIGUSR1), 0);
	expect_no_failures(p[0]);
	/* ...but SIGKILL works */
	CHECK_EQ(kill(c, SIGKILL), 0);
	int st = 0;
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* the namespace's init is gone: no more tasks there */
	errno = 0;
	pid_t d = fork();
	if (d == 0)
		_exit(0);
	CHECK_EQ(d, -1);
	CHECK_EQ(errno, ENOMEM);
}

/* The init forks A; A forks B and exits: B is the init's child now.
 * Then the init exits, and the namespace's other tasks die with it. */
static void orphan_b(long fds)
{
	/* wait until A is gone and we have been reparented */
	for (int i = 0; i < 500 && getppid() != 1; i++)
		usleep(10000);
	CHECK_EQ(getppid(), 1);
	send_failures(PIPE_W(fds));
	pid_t me = getpid();
	CHECK_EQ(write(PIPE_W(fds), &me, sizeof(me)), sizeof(me));
	for (;;)
		pause(); /* until the init's end kills us */
}

static void orphan_a(long pipe_w)
{
	spawn(orphan_b, pipe_w);
	_exit(done_status());
}

static void orphan_init(long fds)
{
	CHECK_EQ(getpid(), 1);
	pid_t a = spawn(orphan_a, fds);
	reap_ok(a);
	/* B is ours now; we end when the parent says, and B with us */
	char b;
	CHECK_EQ(read(PIPE_R(fds), &b, 1), 1);
	CHECK_EQ(waitpid(-1, NULL, WNOHANG), 0); /* B is our child and alive */
}

static int count_children_alive(pid_t *pids, int n)
{
	int alive = 0;
	for (int i = 0; i < n; i++)
		alive += pids[i] > 0 && kill(pids[i], 0) == 0;
	return alive;
}

static void init_exit(long unused)
{
	(void)unused;
	int up[2], down[2];
	CHECK_EQ(pipe(up), 0);
	CHECK_EQ(pipe(down), 0);
	CHECK_EQ(unshare(CLONE_NEWPID), 0);
	pid_t c = spawn(orphan_init, PIPE_ARG(down[0], up[1]));
	expect_no_failures(up[0]); /* B's, once reparented */
	pid_t b_inner = 0, b_outer = 0;
	CHECK_EQ(read(up[0], &b_inner, sizeof(b_inner)), sizeof(b_inner));
	/* B's pid as we see it: the one whose NSpid ends in b_inner */
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		pid_t pid = atoi(e->d_name);
		char line[64];
		if (pid <= 0)
			continue;
		status_line(pid, "NSpid:", line, sizeof(line));
		char want[64];
		snprintf(want, sizeof(want), "\t%d\t%d", pid, (int)b_inner);
		if (strcmp(line, want) == 0)
			b_outer = pid;
	}
	if (d)
		closedir(d);
	CHECK(b_outer > 0);
	char ppid[32];
	status_line(b_outer, "PPid:", ppid, sizeof(ppid));
	char want[32];
	snprintf(want, sizeof(want), "\t%d", (int)c);
	CHECK_STR(ppid, want); /* its parent is the init */
	CHECK_EQ(write(down[1], "g", 1), 1);
	reap_ok(c);
	/* the init's end took B with it (the init reaped it first) */
	CHECK_EQ(count_children_alive(&b_outer, 1), 0);
}

/* setns: into a descendant namespace (for children only), never up. */
static void setns_child(long fd)
{
	unsigned long before = ns_inode("/proc/self/ns/pid");
	CHECK_EQ(setns((int)fd, CLONE_NEWPID), 0);
	CHECK_EQ(ns_inode("/proc/self/ns/pid"), before); /* the caller stays */
	pid_t c = fork();
	if (c == 0)
		_exit(getpid() > 1 && getppid() == 0 ? 0 : 1);
	CHECK(c > 1);
	int st = -1;
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void setns_inside(long arg)
{
	int outer_fd = PIPE_W(arg);
	int own = open("/proc/self/ns/pid", O_RDONLY);
	CHECK(own >= 0);
	CHECK_ERR(setns(outer_fd, CLONE_NEWPID), EINVAL); /* an ancestor */
	CHECK_EQ(setns(own, CLONE_NEWPID), 0);            /* its own: fine */
	close(own);
	char b;
	CHECK_EQ(read(PIPE_R(arg), &b, 1), 1);
}

static void setns_cases(long unused)
{
	(void)unused;
	int outer = open("/proc/self/ns/pid", O_RDONLY);
	CHECK(outer >= 0);
	int go[2];
	CHECK_EQ(pipe(go), 0);
	CHECK_EQ(unshare(CLONE_NEWPID), 0);
	pid_t init = spawn(setns_inside, PIPE_ARG(go[0], outer));
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)init);
	int inner = open(path, O_RDONLY);
	CHECK(inner >= 0);
	unsigned long inum = ns_inode(path);
	/* back to our own namespace for children (allowed), then a child
	 * outside joins the new one for its children */
	CHECK_EQ(setns(outer, CLONE_NEWPID), 0);
	CHECK_EQ(ns_inode("/proc/self/ns/pid_for_children"), ns_inode("/proc/self/ns/pid"));
	in_child(setns_child, inner);
	CHECK_EQ(write(go[1], "g", 1), 1);
	reap_ok(init);
	CHECK(ns_inode(path) == 0);
	/* the descriptor still names the namespace */
	struct stat st;
	CHECK(fstat(inner, &st) == 0 && (unsigned long)st.st_ino == inum);
	close(inner);
	close(outer);
}

/* A procfs mounted inside shows the namespace's processes only. */
static void procfs_inside(long unused)
{
	(void)unused;
	CHECK_EQ(getpid(), 1);
	CHECK_EQ(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	CHECK_EQ(mount("proc", "/proc", "proc", 0, NULL), 0);
	char link[32];
	ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	CHECK_STR(link, "1");
	pid_t c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	CHECK(c > 1);
	int seen = 0, others = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		int pid = atoi(e->d_name);
		if (pid == 1 || pid == c)
			seen++;
		else if (pid > 0)
			others++;
	}
	if (d)
		closedir(d);
	CHECK_EQ(seen, 2);
	CHECK_EQ(others, 0);
	char line[64];
	char want[16];
	snprintf(want, sizeof(want), "\t%d", (int)c);
	status_line(c, "NSpid:", line, sizeof(line));
	CHECK_STR(line, want);
	status_line(c, "PPid:", line, sizeof(line));
	CHECK_STR(line, "\t1");
	status_line(1, "PPid:", line, sizeof(line));
	CHECK_STR(line, "\t0");
	CHECK_EQ(kill(c, SIGKILL), 0);
	CHECK_EQ(waitpid(c, NULL, 0), c);
}

static void procfs_case(long unused)
{
	(void)unused;
	CHECK_EQ(unshare(CLONE_NEWPID | CLONE_NEWNS), 0);
	in_child(procfs_inside, 0);
}

/* Nested namespaces: numbers in each level; kill(-1) stays inside. */
static void nested_inner(long unused)
{
	(void)unused;
	CHECK_EQ(getpid(), 1);
	CHECK_EQ(getppid(), 0);
	/* through the initial procfs: a number in each of three levels */
	char line[64];
	int outer = 0, mid = 0, inner = 0;
	status_line_of("/proc/self/status", "NSpid:", line, sizeof(line));
	CHECK_EQ(sscanf(line, "%d %d %d", &outer, &mid, &inner), 3);
	CHECK(outer > 1 && mid > 1);
	CHECK_EQ(inner, 1);
}

static void nested_outer(long unused)
{
	(void)unused;
	CHECK_EQ(getpid(), 1);
	CHECK_EQ(unshare(CLONE_NEWPID), 0);
	pid_t c = spawn(nested_inner, 0);
	CHECK(c > 1);
	reap_ok(c);
}

static volatile sig_atomic_t usr1_count;

static void count_usr1(int sig)
{
	(void)sig;
	usr1_count++;
}

static void kill_all_target(long unused)
{
	(void)unused;
	for (int i = 0; i < 500 && !usr1_count; i++)
		usleep(10000);
	CHECK_EQ(usr1_count, 1);
}

static void kill_all_init(long unused)
{
	(void)unused;
	signal(SIGUSR1, count_usr1); /* inherited: SIGUSR1 would kill the target */
	pid_t t = spawn(kill_all_target, 0);
	usleep(50000);
	CHECK_EQ(kill(-1, SIGUSR1), 0); /* everyone here but the init itself */
	reap_ok(t);
}

static void kill_all(long unused)
{
	(void)unused;
	signal(SIGUSR1, count_usr1);
	usr1_count = 0;
	CHECK_EQ(unshare(CLONE_NEWPID), 0);
	in_child(kill_all_init, 0);
	usleep(50000);
	CHECK_EQ(usr1_count, 0); /* outside the namespace: not reached */
}

static void nested(long unused)
{
	(void)unused;
	CHECK_EQ(unshare(CLONE_NEWPID), 0);
	pid_t c = spawn(nested_outer, 0);
	reap_ok(c);
}

/* CLONE_NEWPID with CLONE_PARENT from a task that is no init: allowed,
 * the child is its caller's sibling. */
static void newpid_sibling(long unused)
{
	(void)unused;
	pid_t c = (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
	if (c == 0)
		_exit(getpid() == 1 && getppid() == 0 ? 0 : 1);
	CHECK(c > 1);
}

/* clone(CLONE_NEWPID) and clone3: qemu-user refuses namespace flags. */
static void clone_cases(long unused)
{
	(void)unused;
	pid_t me = getpid();
	pid_t c = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
	if (c == 0)
		_exit(getpid() == 1 && getppid() == 0 ? 0 : 1);
	CHECK(c > 1 && c != me);
	int st = -1;
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	struct clone_args ca;
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_NEWPID;
	ca.exit_signal = SIGCHLD;
	c = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (c == 0)
		_exit(getpid() == 1 ? 0 : 1);
	CHECK(c > 1);
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_ERR(
	    syscall(SYS_clone, CLONE_NEWPID | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, 0, 0, 0, 0),
	    EINVAL);
	reap_ok(spawn(newpid_sibling, 0));
	st = -1;
	CHECK(waitpid(-1, &st, 0) > 0); /* the sibling, ours */
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* after unshare, a new namespace for a child is EINVAL too */
	CHECK_EQ(unshare(CLONE_NEWPID), 0);
	CHECK_ERR(syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0), EINVAL);
}

static void unprivileged(long unused)
{
	(void)unused;
	CHECK_EQ(setresuid(1000, 1000, 1000), 0);
	CHECK_ERR(unshare(CLONE_NEWPID), EPERM);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		beyond_qemu |= strcmp(argv[i], "--beyond-qemu") == 0;
	setvbuf(stdout, NULL, _IONBF, 0);
	if (geteuid() != 0) {
		SKIP("not root: only the EPERM check runs");
		in_child(unprivileged, 0);
		return ltest_done("pidns");
	}
	printf("unshare\n");
	in_child(unshare_basics, 0);
	printf("init protection\n");
	in_child(init_protection, 0);
	printf("init exit\n");
	in_child(init_exit, 0);
	printf("setns\n");
	in_child(setns_cases, 0);
	printf("procfs\n");
	in_child(procfs_case, 0);
	printf("nested\n");
	in_child(nested, 0);
	in_child(kill_all, 0);
	in_child(unprivileged, 0);
	if (beyond_qemu)
		in_child(clone_cases, 0);
	else
		SKIP("clone(CLONE_NEWPID), clone3: qemu-user refuses namespace flags");
	return ltest_done("pidns");
}
