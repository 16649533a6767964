/*
 * prctl(2) and seccomp(2): the thread name (comm), the parent-death
 * signal (at the end of the parent process and of the parent thread),
 * child subreapers, dumpable, no_new_privs, keepcaps, the capability
 * bounding set, timer slack, seccomp's strict mode, and EINVAL for what
 * is unknown.
 *
 * The program re-executes itself (via /proc/self/exe) with a first
 * argument naming a child mode, to see what exec keeps and resets.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

extern char **environ;
static char self[4096];
static int can_exec;

/* qemu-user leaves some options to itself (EINVAL) and some calls out
 * (ENOSYS): said out loud, which fails the test on Scarlet. */
#define QEMU_USER_LACKS(expr, err, what)                                                           \
	(errno = 0, (expr) == -1 && errno == (err) ? (SKIP(what " (qemu-user)"), 1) : 0)

static void find_self(const char *argv0)
{
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0)
		self[n] = 0;
	else
		snprintf(self, sizeof(self), "%s", argv0);
}

/* Child modes: each exits with the value asked about. */
static int child_main(const char *mode, int argc, char **argv)
{
	if (!strcmp(mode, "comm")) { /* run as a script's interpreter: the name is the script's */
		char name[16] = {0};
		prctl(PR_GET_NAME, name);
		const char *script = strrchr(argv[argc - 1], '/');
		return strcmp(name, script ? script + 1 : argv[argc - 1]) == 0 ? 0 : 1;
	}
	if (!strcmp(mode, "dumpable"))
		return prctl(PR_GET_DUMPABLE);
	if (!strcmp(mode, "nnp"))
		return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	if (!strcmp(mode, "keepcaps"))
		return prctl(PR_GET_KEEPCAPS);
	if (!strcmp(mode, "pdeathsig")) {
		int sig = -1;
		prctl(PR_GET_PDEATHSIG, &sig);
		return sig;
	}
	return 99;
}

/* qemu-user hands exec of a riscv64 file to the host kernel, which runs
 * it only when binfmt_misc knows the format. */
static void probe_exec(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *av[] = {self, "none", NULL};
		execve(self, av, environ);
		_exit(100);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	can_exec = WIFEXITED(st) && WEXITSTATUS(st) == 99;
}

/* Runs self MODE in a child, after prep() in the child; its exit status,
 * or what is wanted when this environment cannot exec (said as a skip). */
static int exec_child(const char *mode, void (*prep)(void), int want)
{
	if (!can_exec) {
		SKIP("cannot exec riscv64 programs here (no binfmt_misc for qemu-user)");
		return want;
	}
	pid_t pid = fork();
	if (pid == 0) {
		if (prep)
			prep();
		char *av[] = {self, (char *)mode, NULL};
		execve(self, av, environ);
		_exit(100);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int wait_exit(pid_t pid)
{
	int st = -1;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

static void read_file(const char *path, char *buf, size_t n)
{
	buf[0] = 0;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	ssize_t r = read(fd, buf, n - 1);
	buf[r > 0 ? r : 0] = 0;
	close(fd);
}

static void test_name(void)
{
	char name[32], buf[256];
	memset(name, 'x', sizeof(name));
	CHECK_EQ(prctl(PR_SET_NAME, "t-prctl-name"), 0);
	CHECK_EQ(prctl(PR_GET_NAME, name), 0);
	CHECK_STR(name, "t-prctl-name");
	read_file("/proc/self/comm", buf, sizeof(buf));
	CHECK_STR(buf, "t-prctl-name\n");
	read_file("/proc/self/status", buf, sizeof(buf));
	CHECK(strncmp(buf, "Name:\tt-prctl-name\n", 19) == 0);

	/* a longer name is cut to 15 characters */
	CHECK_EQ(prctl(PR_SET_NAME, "0123456789abcdefghij"), 0);
	memset(name, 'x', sizeof(name));
	CHECK_EQ(prctl(PR_GET_NAME, name), 0);
	CHECK_STR(name, "0123456789abcde");
	CHECK_EQ(name[16], 'x'); /* 16 bytes written, no more */
	CHECK_ERR(prctl(PR_SET_NAME, (char *)8), EFAULT);
	CHECK_ERR(prctl(PR_GET_NAME, (char *)8), EFAULT);
	CHECK_EQ(prctl(PR_SET_NAME, "t_prctl"), 0);
}

static void set_pdeathsig_usr1(void)
{
	prctl(PR_SET_PDEATHSIG, SIGUSR1);
}

/* A "#!" script's process is named after the script (Linux's comm is
 * the executed file's name), not after its interpreter. */
static void test_script_name(void)
{
	if (!can_exec) {
		SKIP("cannot exec riscv64 programs here (no binfmt_misc for qemu-user)");
		return;
	}
	const char *script = "t-script-name";
	int fd = open(script, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	CHECK(fd >= 0);
	dprintf(fd, "#!%s comm\n", self);
	close(fd);
	pid_t pid = fork();
	if (pid == 0) {
		char *av[] = {"./t-script-name", NULL};
		execve("./t-script-name", av, environ);
		_exit(100);
	}
	CHECK_EQ(wait_exit(pid), 0);
	unlink(script);
}

static void test_pdeathsig_values(void)
{
	int sig = -1;
	CHECK_EQ(prctl(PR_GET_PDEATHSIG, &sig), 0);
	CHECK_EQ(sig, 0);
	CHECK_EQ(prctl(PR_SET_PDEATHSIG, SIGUSR1), 0);
	CHECK_EQ(prctl(PR_GET_PDEATHSIG, &sig), 0);
	CHECK_EQ(sig, SIGUSR1);
	CHECK_ERR(prctl(PR_SET_PDEATHSIG, 65), EINVAL);
	CHECK_ERR(prctl(PR_SET_PDEATHSIG, -1), EINVAL);
	CHECK_ERR(prctl(PR_GET_PDEATHSIG, (int *)8), EFAULT);
	pid_t pid = fork(); /* not inherited */
	if (pid == 0) {
		sig = -1;
		prctl(PR_GET_PDEATHSIG, &sig);
		_exit(sig);
	}
	CHECK_EQ(wait_exit(pid), 0);
	CHECK_EQ(exec_child("pdeathsig", set_pdeathsig_usr1, SIGUSR1),
	         SIGUSR1); /* kept across exec */
	CHECK_EQ(prctl(PR_SET_PDEATHSIG, 0), 0);
}

/* In a child about to lose its parent: the parent-death signal arrives
 * (blocked, taken by sigtimedwait) from the dead parent.  Exits 0 when it
 * came, and the new parent is want_ppid (0: any). */
static void orphan_waits(int sig, int ready_fd, pid_t dead, pid_t want_ppid)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (prctl(PR_SET_PDEATHSIG, sig) != 0)
		_exit(10);
	if (write(ready_fd, "r", 1) != 1)
		_exit(11);
	siginfo_t si;
	struct timespec ts = {20, 0};
	if (sigtimedwait(&set, &si, &ts) != sig)
		_exit(12);
	if (si.si_pid != dead || si.si_code != SI_USER)
		_exit(13);
	if (want_ppid && getppid() != want_ppid)
		_exit(14);
	_exit(0);
}

/* The middle process of three dies: its child gets the death signal and
 * goes to the subreaper above (this process), which collects it. */
static void test_pdeathsig_and_subreaper(void)
{
	int v = -1;
	if (QEMU_USER_LACKS(prctl(PR_GET_CHILD_SUBREAPER, &v), EINVAL, "PR_GET_CHILD_SUBREAPER"))
		return;
	CHECK_EQ(prctl(PR_GET_CHILD_SUBREAPER, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	CHECK_EQ(prctl(PR_GET_CHILD_SUBREAPER, &v), 0);
	CHECK_EQ(v, 1);
	pid_t pid = fork(); /* not inherited */
	if (pid == 0) {
		v = -1;
		prctl(PR_GET_CHILD_SUBREAPER, &v);
		_exit(v);
	}
	CHECK_EQ(wait_exit(pid), 0);

	int p[2];
	CHECK_EQ(pipe(p), 0);
	pid_t me = getpid();
	pid_t middle = fork();
	if (middle == 0) {
		pid_t mid = getpid();
		pid_t c = fork();
		if (c == 0)
			orphan_waits(SIGUSR1, p[1], mid, me);
		char r;
		_exit(read(p[0], &r, 1) == 1 ? 0 : 1); /* dies once c is ready */
	}
	close(p[1]);
	CHECK_EQ(wait_exit(middle), 0);
	int st = -1;
	pid_t orphan = waitpid(-1, &st, 0); /* adopted, so ours to collect */
	CHECK(orphan > 0 && orphan != middle);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
	close(p[0]);
	CHECK_EQ(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
}

static int thread_ready[2];
static pid_t thread_child;

static void *forking_thread(void *arg)
{
	(void)arg;
	pid_t parent = getpid();
	thread_child = fork();
	if (thread_child == 0)
		orphan_waits(SIGUSR2, thread_ready[1], parent, parent);
	char r;
	if (read(thread_ready[0], &r, 1) != 1)
		thread_child = -1;
	return NULL; /* this thread ends: its child gets the signal */
}

/* Linux sends the parent-death signal when the parent thread ends, even
 * if its process lives on. */
static void test_pdeathsig_thread(void)
{
	pthread_t th;
	CHECK_EQ(pipe(thread_ready), 0);
	CHECK_EQ(pthread_create(&th, NULL, forking_thread, NULL), 0);
	CHECK_EQ(pthread_join(th, NULL), 0);
	CHECK(thread_child > 0);
	CHECK_EQ(wait_exit(thread_child), 0);
	close(thread_ready[0]);
	close(thread_ready[1]);
}

static void set_dumpable_0(void)
{
	prctl(PR_SET_DUMPABLE, 0);
}

static void test_dumpable(void)
{
	CHECK_EQ(prctl(PR_GET_DUMPABLE), 1);
	CHECK_ERR(prctl(PR_SET_DUMPABLE, 2), EINVAL);
	CHECK_ERR(prctl(PR_SET_DUMPABLE, 3), EINVAL);
	CHECK_EQ(prctl(PR_SET_DUMPABLE, 0), 0);
	CHECK_EQ(prctl(PR_GET_DUMPABLE), 0);
	pid_t pid = fork(); /* inherited by fork */
	if (pid == 0)
		_exit(prctl(PR_GET_DUMPABLE));
	CHECK_EQ(wait_exit(pid), 0);
	CHECK_EQ(prctl(PR_SET_DUMPABLE, 1), 0);
	CHECK_EQ(prctl(PR_GET_DUMPABLE), 1);
	CHECK_EQ(exec_child("dumpable", set_dumpable_0, 1), 1); /* exec resets it */
}

static void set_nnp(void)
{
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static void set_keepcaps(void)
{
	prctl(PR_SET_KEEPCAPS, 1);
}

static void test_nnp_keepcaps(void)
{
	CHECK_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
	CHECK_ERR(prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0), EINVAL);
	CHECK_ERR(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), EINVAL);
	CHECK_ERR(prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), EINVAL);
	CHECK_EQ(exec_child("nnp", set_nnp, 1), 1); /* kept across fork and exec */

	CHECK_EQ(prctl(PR_GET_KEEPCAPS), 0);
	CHECK_ERR(prctl(PR_SET_KEEPCAPS, 2), EINVAL);
	CHECK_EQ(prctl(PR_SET_KEEPCAPS, 1), 0);
	CHECK_EQ(prctl(PR_GET_KEEPCAPS), 1);
	CHECK_EQ(prctl(PR_SET_KEEPCAPS, 0), 0);
	CHECK_EQ(exec_child("keepcaps", set_keepcaps, 0), 0); /* exec clears it */
}

static void test_misc(void)
{
	CHECK_EQ(prctl(PR_CAPBSET_READ, 0), 1); /* the bounding set is full */
	CHECK_ERR(prctl(PR_CAPBSET_READ, 1000), EINVAL);
	CHECK_EQ(prctl(PR_SET_TIMERSLACK, 100000), 0);
	CHECK_EQ(prctl(PR_GET_TIMERSLACK), 100000);
	CHECK_ERR(prctl(9999), EINVAL);
	CHECK_ERR(prctl(-1), EINVAL);
}

/* In strict mode write works, then getpid kills the thread with SIGKILL;
 * how is 0 for prctl, 1 for seccomp(2).  77 when refused (qemu-user). */
static int strict_child(int how, int fd)
{
	pid_t pid = fork();
	if (pid == 0) {
		long r = how ? syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL)
		             : prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT);
		if (r != 0)
			_exit(77);
		syscall(SYS_write, fd, "w", 1);
		syscall(SYS_getpid);
		syscall(SYS_write, fd, "!", 1); /* never */
		syscall(SYS_exit, 0);
	}
	return wait_exit(pid);
}

static void test_seccomp(void)
{
	if (QEMU_USER_LACKS(syscall(SYS_seccomp, 99, 0, NULL), ENOSYS, "seccomp(2)"))
		return;
	if (!QEMU_USER_LACKS(prctl(PR_GET_SECCOMP), EINVAL, "PR_GET_SECCOMP"))
		CHECK_EQ(prctl(PR_GET_SECCOMP), 0);
	CHECK_ERR(syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 1, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_seccomp, 99, 0, NULL), EINVAL);
	for (int how = 0; how < 2; how++) {
		int p[2];
		CHECK_EQ(pipe(p), 0);
		int st = strict_child(how, p[1]);
		close(p[1]);
		char buf[4] = {0};
		ssize_t n = read(p[0], buf, sizeof(buf));
		close(p[0]);
		if (st == 77) {
			SKIP(how ? "seccomp(2) refused (qemu-user)"
			         : "PR_SET_SECCOMP refused (qemu-user)");
			continue;
		}
		CHECK_EQ(st, 1000 + SIGKILL);
		CHECK_EQ(n, 1);
		CHECK_EQ(buf[0], 'w');
	}
	/* exit is allowed: the thread ends normally */
	pid_t pid = fork();
	if (pid == 0) {
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) != 0)
			_exit(77);
		syscall(SYS_exit, 5);
	}
	int st = wait_exit(pid);
	if (st != 77)
		CHECK_EQ(st, 5);
}

/* Field n of /proc/self/stat, or -1. */
static long stat_field(int n)
{
	char buf[1024];
	read_file("/proc/self/stat", buf, sizeof(buf));
	char *p = strrchr(buf, ')');
	for (int i = 2; p && i < n; i++)
		p = strchr(p + 1, ' ');
	return p ? strtol(p + 1, NULL, 10) : -1;
}

/* A child ended by sig with RLIMIT_CORE lim (and not dumpable when
 * asked): its wait status. */
static int core_child(int sig, rlim_t lim, int dumpable)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit rl;
		getrlimit(RLIMIT_CORE, &rl);
		rl.rlim_cur = lim;
		if (setrlimit(RLIMIT_CORE, &rl) != 0)
			_exit(98);
		if (!dumpable)
			prctl(PR_SET_DUMPABLE, 0);
		signal(sig, SIG_DFL);
		raise(sig);
		_exit(99);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	return st;
}

/* The file "core": an ELF core file of RISC-V. */
static int is_core_file(void)
{
	unsigned char h[20] = {0};
	int fd = open("core", O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, h, sizeof(h));
	close(fd);
	return n == 20 && !memcmp(h, "\177ELF", 4) && h[16] == 4 /* ET_CORE */ &&
	       h[18] == 243 /* EM_RISCV */;
}

/* Core dumps: WCOREDUMP only when a core file was written. */
static void test_core_dumps(void)
{
	if (stat_field(24) == 0) { /* qemu-user makes /proc/self/stat up */
		SKIP("qemu-user writes its own core files (qemu-user)");
		return;
	}
	struct rlimit rl;
	getrlimit(RLIMIT_CORE, &rl);
	if (rl.rlim_max != RLIM_INFINITY) {
		SKIP("RLIMIT_CORE's hard limit is not infinite");
		return;
	}
	unlink("core");
	int st = core_child(SIGQUIT, RLIM_INFINITY, 1);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGQUIT);
	CHECK(WCOREDUMP(st));
	CHECK(is_core_file());
	unlink("core");
	st = core_child(SIGSEGV, RLIM_INFINITY, 1);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && WCOREDUMP(st));
	CHECK(is_core_file());
	unlink("core");
	st = core_child(SIGABRT, 0, 1); /* no room */
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT && !WCOREDUMP(st));
	CHECK_ERR(access("core", F_OK), ENOENT);
	st = core_child(SIGQUIT, RLIM_INFINITY, 0); /* not dumpable */
	CHECK(WIFSIGNALED(st) && !WCOREDUMP(st));
	CHECK_ERR(access("core", F_OK), ENOENT);
	st = core_child(SIGTERM, RLIM_INFINITY, 1); /* no core for this one */
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM && !WCOREDUMP(st));
	st = core_child(SIGQUIT, 8192, 1); /* too small for the whole: cut, still a core */
	CHECK(WIFSIGNALED(st) && WCOREDUMP(st));
	struct stat sb;
	CHECK(stat("core", &sb) == 0 && sb.st_size <= 8192);
	st = core_child(SIGQUIT, 1000, 1); /* less than a page: none */
	CHECK(WIFSIGNALED(st) && !WCOREDUMP(st));
	unlink("core");
	/* waitid says CLD_DUMPED */
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit inf = {RLIM_INFINITY, RLIM_INFINITY};
		setrlimit(RLIMIT_CORE, &inf);
		raise(SIGQUIT);
		_exit(99);
	}
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	CHECK_EQ(waitid(P_PID, pid, &si, WEXITED), 0);
	CHECK_EQ(si.si_code, CLD_DUMPED);
	CHECK_EQ(si.si_status, SIGQUIT);
	unlink("core");
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return child_main(argv[1], argc, argv);
	find_self(argv[0]);
	probe_exec();
	test_name();
	test_script_name();
	test_pdeathsig_values();
	test_pdeathsig_and_subreaper();
	test_pdeathsig_thread();
	test_dumpable();
	test_nnp_keepcaps();
	test_misc();
	test_seccomp();
	test_core_dumps();
	return ltest_done("prctl");
}
