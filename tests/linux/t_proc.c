/*
 * Processes as Linux has them: fork, vfork, clone's tid words,
 * posix_spawn, execve and its errors, wait4 and waitid, process groups
 * and sessions, resource limits, CPU affinity.
 *
 * The program re-executes itself (found through /proc/self/exe, argv[0],
 * or argv[0] under /scarlet when started from a native shell) with a
 * first argument naming a child mode.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

extern char **environ;
static char self[4096];
static int memory_shared_by_vfork = -1;
static int can_exec = -1;

/* access(X_OK) through stat, which every kernel here has */
static int executable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

static void find_self(const char *argv0)
{
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		return;
	}
	if (executable(argv0)) {
		snprintf(self, sizeof(self), "%s", argv0);
		return;
	}
	snprintf(self, sizeof(self), "/scarlet%s", argv0);
}

/* Child modes, run as "t_proc MODE ARGS...". */
static int child_main(int argc, char **argv)
{
	const char *mode = argv[1];
	if (!strcmp(mode, "exit") && argc > 2)
		return atoi(argv[2]);
	if (!strcmp(mode, "argc")) /* exits with its argument count, mod 256 */
		return argc & 0xff;
	if (!strcmp(mode, "env")) { /* exits 0 when LTEST_ENV=hello */
		const char *e = getenv("LTEST_ENV");
		return e && !strcmp(e, "hello") && argc == 2 ? 0 : 1;
	}
	if (!strcmp(mode, "notify") && argc > 3) { /* says it exec'd, waits for EOF */
		int wfd = atoi(argv[2]), rfd = atoi(argv[3]);
		char c = 'x';
		if (write(wfd, &c, 1) != 1)
			return 2;
		close(wfd);
		while (read(rfd, &c, 1) > 0)
			;
		return 0;
	}
	return 99;
}

static int wait_status(pid_t pid)
{
	int st = -1;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static void test_fork_wait4(void)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0)
		_exit(getppid() == parent ? 42 : 1);
	CHECK(pid > 0);
	int st;
	struct rusage ru;
	memset(&ru, 0xff, sizeof(ru));
	CHECK_EQ(wait4(pid, &st, 0, &ru), pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 42);
	CHECK(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	CHECK(ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000);
	CHECK_ERR(wait4(-1, &st, 0, NULL), ECHILD);
	CHECK_ERR(wait4(-1, &st, 0x4000, NULL), EINVAL);

	/* a bad status pointer: EFAULT */
	pid = fork();
	if (pid == 0)
		_exit(3);
	int *volatile bad = (int *)1;
	CHECK_ERR(wait4(pid, bad, 0, NULL), EFAULT);
	CHECK_ERR(wait4(pid, &st, 0, NULL), ECHILD); /* reaped all the same */
}

/* WNOHANG on a running child, then its exit through a pipe's EOF. */
static void test_wnohang(void)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 3 : 4);
	}
	close(p[0]);
	int st = 0;
	CHECK_EQ(waitpid(pid, &st, WNOHANG), 0);
	close(p[1]);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
}

static void probe_vfork(void)
{
	volatile int shared = 0;
	pid_t pid = vfork();
	if (pid == 0) {
		shared = 1;
		_exit(0);
	}
	wait_status(pid);
	memory_shared_by_vfork = shared;
}

/* qemu-user hands exec of a riscv64 file to the host kernel, which runs
 * it only when binfmt_misc knows the format. */
static void probe_exec(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *av[] = {self, "exit", "0", NULL};
		execve(self, av, environ);
		_exit(100 + errno);
	}
	int st = wait_status(pid);
	can_exec = st == 0;
	if (!can_exec && st != (100 + ENOEXEC) << 8)
		CHECK_EQ(st, 0);
}

#define NEED_EXEC()                                                                                \
	do {                                                                                       \
		if (!can_exec) {                                                                   \
			SKIP("cannot exec riscv64 programs here (no binfmt_misc for qemu-user)");  \
			return;                                                                    \
		}                                                                                  \
	} while (0)

static void test_vfork(void)
{
	volatile int progress = 0;
	pid_t pid = vfork();
	if (pid == 0) {
		for (int i = 0; i < 50; i++)
			sched_yield();
		progress = 2; /* the parent cannot have run meanwhile */
		_exit(9);
	}
	CHECK(pid > 0);
	if (memory_shared_by_vfork)
		CHECK_EQ(progress, 2);
	else
		SKIP("vfork does not share memory here (qemu-user runs it as fork)");
	CHECK_EQ(wait_status(pid), 9 << 8);
	NEED_EXEC();

	/* vfork then exec: the parent resumes once the child has exec'd */
	pid = vfork();
	if (pid == 0) {
		char *av[] = {self, "exit", "11", NULL};
		execve(self, av, environ);
		_exit(127);
	}
	CHECK_EQ(wait_status(pid), 11 << 8);
}

static int clone_child(void *arg)
{
	volatile pid_t *seen = arg;
	seen[0] = (pid_t)syscall(SYS_gettid);
	_exit(5);
}

/* glibc's fork() passes CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID; here the
 * words are ours to look at, in a vfork-style child sharing memory. */
static void test_clone_tids(void)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	volatile pid_t seen[1] = {0};
	volatile pid_t ptid = 0, ctid = -1;
	int flags = CLONE_VM | CLONE_VFORK | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID |
	            CLONE_CHILD_CLEARTID | SIGCHLD;
	pid_t pid =
	    clone(clone_child, stack + sizeof(stack), flags, (void *)seen, &ptid, NULL, &ctid);
	if (pid < 0 && errno == EINVAL && memory_shared_by_vfork == 0) {
		SKIP("clone(CLONE_VM|CLONE_VFORK) refused here (qemu-user)");
		return;
	}
	CHECK(pid > 0);
	if (memory_shared_by_vfork) {
		CHECK_EQ(ptid, pid);
		CHECK_EQ(seen[0], pid);
		CHECK_EQ(ctid, 0); /* cleared when the child left the shared memory */
	}
	CHECK_EQ(wait_status(pid), 5 << 8);

	/* thread flags are not for processes */
	CHECK_ERR(syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0), EINVAL);
	CHECK_EQ(syscall(SYS_set_tid_address, (void *)&ctid), getpid());
}

/* A child made by clone(CLONE_VM|CLONE_VFORK|SIGCHLD) with no stack of
 * its own (stack 0), as Go's os/exec does: it runs on the parent's stack
 * while the parent waits, so it touches no stack: it stores a mark and
 * exits at once.  Returns the child's pid, or -errno. */
static volatile long vfork_mark;

static long clone_vfork_same_stack(long mark, long status)
{
	register long a0 __asm__("a0") = CLONE_VM | CLONE_VFORK | SIGCHLD;
	register long a1 __asm__("a1") = 0, a2 __asm__("a2") = 0;
	register long a3 __asm__("a3") = 0, a4 __asm__("a4") = 0;
	register long a7 __asm__("a7") = SYS_clone;
	__asm__ volatile("ecall\n"
	                 "bnez a0, 1f\n"
	                 "sd %[mark], 0(%[where])\n"
	                 "mv a0, %[status]\n"
	                 "li a7, %[exit]\n"
	                 "ecall\n"
	                 "1:\n"
	                 : "+r"(a0), "+r"(a7)
	                 : "r"(a1), "r"(a2), "r"(a3), "r"(a4), [mark] "r"(mark),
	                   [where] "r"(&vfork_mark), [status] "r"(status), [exit] "i"(SYS_exit)
	                 : "memory");
	return a0;
}

static void test_clone_vfork_without_stack(void)
{
	long pid = clone_vfork_same_stack(42, 6);
	if (pid == -EINVAL && memory_shared_by_vfork == 0) {
		SKIP("clone(CLONE_VM|CLONE_VFORK) refused here (qemu-user)");
		return;
	}
	CHECK(pid > 0);
	if (pid <= 0)
		return;
	if (memory_shared_by_vfork) /* the parent went on only after the child's exit */
		CHECK_EQ(vfork_mark, 42);
	CHECK_EQ(wait_status((pid_t)pid), 6 << 8);
}

static void test_spawn(void)
{
	pid_t pid;
	NEED_EXEC();
	char *av[] = {self, "exit", "7", NULL};
	CHECK_EQ(posix_spawn(&pid, self, NULL, NULL, av, environ), 0);
	CHECK_EQ(wait_status(pid), 7 << 8);
	char *bad[] = {"/no/such/program", NULL};
	int r = posix_spawn(&pid, "/no/such/program", NULL, NULL, bad, environ);
	if (memory_shared_by_vfork) {
		CHECK_EQ(r, ENOENT);
	} else {
		SKIP("posix_spawn cannot report exec errors here (vfork is a fork)");
		if (r == 0)
			wait_status(pid);
	}
}

static pid_t run_exec(char *const *av, char *const *env)
{
	pid_t pid = fork();
	if (pid == 0) {
		execve(self, av, env);
		_exit(100 + errno);
	}
	return pid;
}

static void make_file(const char *name, int mode, const char *text)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, mode);
	CHECK(fd >= 0);
	if (fd >= 0) {
		CHECK_EQ(write(fd, text, strlen(text)), (long)strlen(text));
		close(fd);
	}
}

static void test_execve(void)
{
	char *av[] = {self, "env", NULL};
	char *env[] = {"LTEST_ENV=hello", NULL};
	if (can_exec)
		CHECK_EQ(wait_status(run_exec(av, env)), 0);

	char *noargs[] = {NULL};
	CHECK_ERR(execve("/no/such/file", noargs, environ), ENOENT);
	make_file("plain.txt", 0644, "not a program\n");
	CHECK_ERR(execve("plain.txt", noargs, environ), EACCES);
	make_file("garbage", 0755, "\x01\x02\x03 garbage that is no executable\n");
	CHECK_ERR(execve("./garbage", noargs, environ), ENOEXEC);
	char **volatile bad_argv = (char **)1; /* hidden from the compiler's checks */
	char *volatile bad_path = (char *)1;
	CHECK_ERR(execve(self, bad_argv, environ), EFAULT);
	CHECK_ERR(execve(bad_path, noargs, environ), EFAULT);
	size_t big = 200 * 1024;
	char *huge = malloc(big + 1);
	if (huge) {
		memset(huge, 'a', big);
		huge[big] = 0;
		char *hav[] = {self, huge, NULL};
		CHECK_ERR(execve(self, hav, environ), E2BIG);
		free(huge);
	}
	/* after all these failures we are still ourselves */
	CHECK_EQ(getpid(), getpid());
	unlink("plain.txt");
	unlink("garbage");
}

/* A native and an xv6 program, from Linux (only where they exist). */
static void test_exec_other_abis(void)
{
	const char *progs[] = {"/scarlet/system/scarlet/bin/true",
	                       "/scarlet/system/xv6-riscv64/true"};
	for (unsigned i = 0; i < 2; i++) {
		if (!executable(progs[i])) {
			/* the host has no Scarlet tree; on Scarlet this skip
			 * fails test_linux.py */
			SKIP("no Scarlet tree at /scarlet");
			continue;
		}
		pid_t pid = fork();
		if (pid == 0) {
			char *av[] = {(char *)progs[i], NULL};
			execve(progs[i], av, environ);
			_exit(127);
		}
		CHECK_EQ(wait_status(pid), 0);
	}
}

static void test_waitid(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(6);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	CHECK_EQ(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), 0);
	CHECK_EQ(si.si_signo, SIGCHLD);
	CHECK_EQ(si.si_code, CLD_EXITED);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_status, 6);
	memset(&si, 0, sizeof(si)); /* WNOWAIT left it there */
	CHECK_EQ(waitid(P_ALL, 0, &si, WEXITED), 0);
	CHECK_EQ(si.si_pid, pid);
	CHECK_ERR(waitid(P_ALL, 0, &si, WEXITED), ECHILD);
	CHECK_ERR(waitid(P_ALL, 0, &si, WNOHANG), EINVAL);
	CHECK_ERR(waitid(P_PID, 0, &si, WEXITED), EINVAL);
	CHECK_ERR(waitid(7, 0, &si, WEXITED), EINVAL);

	/* killed child, found through its group */
	pid = fork();
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		setpgid(0, 0);
		for (;;)
			sigsuspend(&none);
	}
	setpgid(pid, pid);
	memset(&si, 0xff, sizeof(si));
	CHECK_EQ(waitid(P_PGID, pid, &si, WEXITED | WNOHANG), 0);
	CHECK_EQ(si.si_pid, 0);
	CHECK_EQ(kill(pid, SIGKILL), 0);
	CHECK_EQ(waitid(P_PGID, pid, &si, WEXITED), 0);
	CHECK_EQ(si.si_code, CLD_KILLED);
	CHECK_EQ(si.si_status, SIGKILL);
	CHECK_EQ(si.si_pid, pid);
}

static void test_groups_sessions(void)
{
	CHECK_EQ(getpgid(0), getpgrp());
	CHECK_EQ(getsid(0), getsid(getpid()));
	CHECK_ERR(getpgid(999999), ESRCH);
	CHECK_ERR(getsid(999999), ESRCH);
	CHECK_ERR(setpgid(0, -1), EINVAL);
	CHECK_ERR(setpgid(1, 1), ESRCH); /* not our child */

	pid_t pid = fork();
	if (pid == 0) {
		int ok = setsid() == getpid() && getsid(0) == getpid() && getpgid(0) == getpid();
		ok = ok && setsid() == -1 && errno == EPERM;
		ok = ok && setpgid(0, 0) == -1 && errno == EPERM; /* session leader */
		_exit(ok ? 0 : 1);
	}
	CHECK_EQ(wait_status(pid), 0);

	pid = fork();
	if (pid == 0) {
		int ok = setpgid(0, 0) == 0 && getpgid(0) == getpid();
		ok = ok && setpgid(0, 999999) == -1 && errno == EPERM; /* no such group */
		ok = ok && setsid() == -1 && errno == EPERM;           /* a group leader */
		_exit(ok ? 0 : 1);
	}
	CHECK_EQ(wait_status(pid), 0);

	/* once the child has exec'd, its parent may not move it */
	NEED_EXEC();
	int up[2], down[2];
	CHECK_EQ(pipe(up), 0);
	CHECK_EQ(pipe(down), 0);
	char wfd[16], rfd[16];
	snprintf(wfd, sizeof(wfd), "%d", up[1]);
	snprintf(rfd, sizeof(rfd), "%d", down[0]);
	pid = fork();
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		char *av[] = {self, "notify", wfd, rfd, NULL};
		execve(self, av, environ);
		_exit(127);
	}
	close(up[1]);
	close(down[0]);
	char c;
	CHECK_EQ(read(up[0], &c, 1), 1);
	CHECK_ERR(setpgid(pid, pid), EACCES);
	close(down[1]);
	close(up[0]);
	CHECK_EQ(wait_status(pid), 0);
}

/* CAP_SYS_RESOURCE in the effective set; a kernel without capabilities
 * (capget is ENOSYS) treats everyone as root. */
static int may_raise_limits(void)
{
	struct {
		uint32_t version;
		int pid;
	} hdr = {0x20080522, 0};
	struct {
		uint32_t effective, permitted, inheritable;
	} data[2];
	if (syscall(SYS_capget, &hdr, data) < 0)
		return errno == ENOSYS;
	return (data[0].effective >> 24) & 1;
}

/* A group whose only member is a zombie still exists until the zombie is
 * reaped: a shell's pipeline keeps its group (and the terminal) after its
 * first process has exited. */
static void test_group_held_by_zombie(void)
{
	pid_t leader = fork();
	if (leader == 0) {
		setpgid(0, 0);
		_exit(0);
	}
	setpgid(leader, leader);
	siginfo_t si;
	/* wait until it is a zombie, without reaping it */
	CHECK_EQ(waitid(P_PID, (id_t)leader, &si, WEXITED | WNOWAIT), 0);
	pid_t joiner = fork();
	if (joiner == 0)
		_exit(setpgid(0, leader) == 0 && getpgid(0) == leader ? 0 : 1);
	CHECK_EQ(wait_status(joiner), 0);
	CHECK_EQ(wait_status(leader), 0);
	/* reaped: the group is gone */
	joiner = fork();
	if (joiner == 0)
		_exit(setpgid(0, leader) == -1 && errno == EPERM ? 0 : 1);
	CHECK_EQ(wait_status(joiner), 0);
}

static void test_rlimits(void)
{
	struct rlimit rl, rl2;
	CHECK_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
	CHECK(rl.rlim_cur <= rl.rlim_max && rl.rlim_cur >= 64);
	CHECK_EQ(getrlimit(RLIMIT_STACK, &rl2), 0);
	CHECK(rl2.rlim_cur >= 1024 * 1024);
	CHECK_ERR(getrlimit(999, &rl2), EINVAL);
	CHECK_ERR(prlimit(999999, RLIMIT_NOFILE, NULL, &rl2), ESRCH);

	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit r = {.rlim_cur = 32, .rlim_max = rl.rlim_max}, back;
		int ok = setrlimit(RLIMIT_NOFILE, &r) == 0;
		ok = ok && getrlimit(RLIMIT_NOFILE, &back) == 0 && back.rlim_cur == 32;
		r.rlim_cur = r.rlim_max + 1;
		ok = ok && setrlimit(RLIMIT_NOFILE, &r) == -1 && errno == EINVAL;
		/* a lower hard limit, then raising it: root only */
		r = (struct rlimit){.rlim_cur = 16, .rlim_max = 40};
		ok = ok && setrlimit(RLIMIT_NOFILE, &r) == 0;
		r.rlim_max = 48;
		int raised = setrlimit(RLIMIT_NOFILE, &r);
		ok = ok && (may_raise_limits() ? raised == 0 : raised == -1 && errno == EPERM);
		/* inherited by a child of ours */
		pid_t gc = fork();
		if (gc == 0) {
			struct rlimit g;
			_exit(getrlimit(RLIMIT_NOFILE, &g) == 0 && g.rlim_cur == 16 ? 0 : 1);
		}
		int st;
		ok = ok && waitpid(gc, &st, 0) == gc && st == 0;
		_exit(ok ? 0 : 1);
	}
	CHECK_EQ(wait_status(pid), 0);
	/* the child's change did not touch us; prlimit reads our own */
	CHECK_EQ(prlimit(getpid(), RLIMIT_NOFILE, NULL, &rl2), 0);
	CHECK_EQ(rl2.rlim_cur, rl.rlim_cur);
}

/* n arguments of len bytes each (after self and "argc"), exec'd. */
static int exec_many(int n, size_t len)
{
	char **av = calloc((size_t)n + 3, sizeof(char *));
	char *s = malloc(len + 1);
	if (!av || !s)
		return -1;
	memset(s, 'x', len);
	s[len] = 0;
	av[0] = self;
	av[1] = "argc";
	for (int i = 0; i < n; i++)
		av[i + 2] = s;
	int st = wait_status(run_exec(av, environ));
	free(av);
	free(s);
	return st;
}

/* Linux's ARG_MAX: strings and pointers up to a quarter of RLIMIT_STACK
 * (8 MiB here: 2 MiB), each string at most 128 KiB; E2BIG beyond (the
 * child reports errno + 100). */
static void test_arg_max(void)
{
	NEED_EXEC();
	struct rlimit rl;
	CHECK_EQ(getrlimit(RLIMIT_STACK, &rl), 0);
	if (rl.rlim_cur != 8 << 20) {
		SKIP("RLIMIT_STACK is not 8 MiB");
		return;
	}
	CHECK_EQ(exec_many(15, 100000), (17 & 0xff) << 8);   /* 1.5 MB of arguments */
	CHECK_EQ(exec_many(20000, 1), (20002 & 0xff) << 8);  /* many small ones */
	CHECK_EQ(exec_many(25, 100000), (100 + E2BIG) << 8); /* past 2 MiB */
	CHECK_EQ(exec_many(1, 131071), 3 << 8);              /* the longest string */
	CHECK_EQ(exec_many(1, 131072), (100 + E2BIG) << 8);
	pid_t pid = fork(); /* a smaller stack limit: a quarter of 1 MiB */
	if (pid == 0) {
		struct rlimit small = {1 << 20, rl.rlim_max};
		setrlimit(RLIMIT_STACK, &small);
		int st = exec_many(3, 100000);
		_exit(st == (100 + E2BIG) << 8 ? 0 : 1);
	}
	CHECK_EQ(wait_status(pid), 0);
}

static void test_sched(void)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CHECK_EQ(sched_getaffinity(0, sizeof(set), &set), 0);
	CHECK(CPU_COUNT(&set) >= 1);
	CHECK(sysconf(_SC_NPROCESSORS_ONLN) >= 1);
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 4, &set), EINVAL);
	CHECK_EQ(sched_yield(), 0);
	struct rusage ru;
	CHECK_EQ(getrusage(RUSAGE_SELF, &ru), 0);
	CHECK_EQ(getrusage(RUSAGE_CHILDREN, &ru), 0);
	CHECK_ERR(getrusage(5, &ru), EINVAL);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return child_main(argc, argv);
	find_self(argv[0]);
	probe_vfork();
	probe_exec();
	test_fork_wait4();
	test_wnohang();
	test_vfork();
	test_clone_tids();
	test_clone_vfork_without_stack();
	test_spawn();
	test_execve();
	test_arg_max();
	test_exec_other_abis();
	test_waitid();
	test_groups_sessions();
	test_group_held_by_zombie();
	test_rlimits();
	test_sched();
	return ltest_done("proc");
}
