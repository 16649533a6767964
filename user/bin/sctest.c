/*
 * sctest: conformance tests of the Scarlet native system calls.
 *
 * Every test runs in a child process of its own (so a crash or a hang is
 * reported against that test and the run goes on), checks results and
 * errno values, and reports back through a pipe.  Output: one line
 * "ok NAME" or "FAIL NAME: detail" per test, then
 * "sctest: N passed, M failed"; exit status 0 only when all passed.
 *
 * sctest [-v] [NAME-PREFIX...] runs all tests, or those whose names start
 * with one of the prefixes.  "--child-cloexec H K" is an internal mode
 * (run through exec by the cloexec test).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <scarlet.h>
#include <scarlet/syscall.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SELF_PATH       "/system/scarlet/bin/sctest"
#define ECHO_PATH       "/system/scarlet/bin/echo"
#define ENV_PATH        "/system/scarlet/bin/env"
#define KERNEL_VA       0xffffffc080200000ul
#define TEST_TIMEOUT_MS 10000

/* ------------------------------------------------------------ framework */

static char detail[1024]; /* failure messages of the running test */
static size_t detail_len;
static int failed;
static pid_t test_pid; /* the process running the current test */
static char tdir[128]; /* scratch directory: /tmp/sctest.PID/TEST in a test */

static void failf(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void failf(int line, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	int n;

	failed = 1;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	n = snprintf(detail + detail_len, sizeof(detail) - detail_len, "%s[%d] ",
	             detail_len ? "; " : "", line);
	if (n < 0 || detail_len + (size_t)n >= sizeof(detail))
		return;
	detail_len += (size_t)n;
	/* one line per test: control characters are shown escaped */
	for (const char *c = text; *c && detail_len + 3 < sizeof(detail); c++) {
		if (*c == '\n') {
			detail[detail_len++] = '\\';
			detail[detail_len++] = 'n';
		} else {
			detail[detail_len++] = (*c >= ' ' && *c < 127) ? *c : '?';
		}
	}
	detail[detail_len] = '\0';
}

#define FAIL(...) failf(__LINE__, __VA_ARGS__)
/* Evaluates to cond; records a failure when it is false. */
#define CHECK(cond, ...)                                                                           \
	({                                                                                         \
		int ok_ = !!(cond);                                                                \
		if (!ok_)                                                                          \
			failf(__LINE__, __VA_ARGS__);                                              \
		ok_;                                                                               \
	})

/* r must be -1 with errno err. */
static int expect_err_at(int line, const char *what, long r, int err)
{
	int e = errno;

	if (r == -1 && e == err)
		return 1;
	if (r == -1)
		failf(line, "%s: errno %d (%s), want %d (%s)", what, e, strerror(e), err,
		      strerror(err));
	else
		failf(line, "%s: returned %ld, want error %d (%s)", what, r, err, strerror(err));
	return 0;
}

/* r must not be -1; returns r (or -1 after recording the failure). */
static long expect_ok_at(int line, const char *what, long r)
{
	if (r == -1) {
		int e = errno;
		failf(line, "%s: errno %d (%s)", what, e, strerror(e));
	}
	return r;
}

#define EXPECT_ERR(expr, err) expect_err_at(__LINE__, #expr, (long)(expr), (err))
#define EXPECT_OK(expr)       expect_ok_at(__LINE__, #expr, (long)(expr))
#define EXPECT_EQ(expr, want)                                                                      \
	do {                                                                                       \
		long got_ = (long)(expr), want_ = (long)(want);                                    \
		if (got_ != want_)                                                                 \
			failf(__LINE__, "%s = %ld (errno %d), want %ld", #expr, got_, errno,       \
			      want_);                                                              \
	} while (0)

/* An address the compiler cannot reason about (for deliberately bad pointers). */
static void *badp(uintptr_t a)
{
	volatile uintptr_t v = a;

	return (void *)v;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* Builds "<tdir>/<name>" in a static ring of buffers. */
static const char *tp(const char *name)
{
	static char bufs[8][320];
	static int next;
	char *b = bufs[next++ & 7];

	snprintf(b, sizeof(bufs[0]), "%s/%s", tdir, name);
	return b;
}

/* Creates path with the given contents (mode 0644). */
static int put_file(const char *path, const char *text)
{
	int h = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	size_t n = strlen(text);

	if (h < 0) {
		FAIL("creating %s: %s", path, strerror(errno));
		return -1;
	}
	if (write(h, text, n) != (ssize_t)n) {
		FAIL("writing %s: %s", path, strerror(errno));
		close(h);
		return -1;
	}
	close(h);
	return 0;
}

/* Reads up to n-1 bytes of a handle until EOF into buf (NUL-terminated). */
static ssize_t read_all(int h, char *buf, size_t n)
{
	size_t got = 0;

	while (got + 1 < n) {
		ssize_t r = read(h, buf + got, n - 1 - got);
		if (r < 0) {
			buf[got] = '\0';
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	return (ssize_t)got;
}

/* Whole contents of a file (NUL-terminated) into buf; -1 on error. */
static ssize_t get_file(const char *path, char *buf, size_t n)
{
	int h = open(path, O_RDONLY);
	ssize_t r;

	if (h < 0)
		return -1;
	r = read_all(h, buf, n);
	close(h);
	return r;
}

/* Forks; the child runs fn(arg) and exits with its result.  -> child pid. */
static pid_t spawn(int (*fn)(long), long arg)
{
	pid_t pid = fork();

	if (pid < 0) {
		FAIL("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		_exit(fn(arg));
	return pid;
}

/* Waits for pid; -> its wait status, or -1 after recording a failure. */
static int reap(pid_t pid)
{
	int st = 0;
	pid_t r = waitpid(pid, &st, 0);

	if (r != pid) {
		FAIL("waitpid(%d) = %d: %s", pid, r, strerror(errno));
		return -1;
	}
	return st;
}

/* Runs fn(arg) in a child; -> its wait status, or -1. */
static int run_child(int (*fn)(long), long arg)
{
	pid_t pid = spawn(fn, arg);

	return pid < 0 ? -1 : reap(pid);
}

static void status_str(int st, char *buf, size_t n)
{
	if (st == -1)
		snprintf(buf, n, "no status");
	else if (WIFSIGNALED(st))
		snprintf(buf, n, "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, n, "exit %d", WEXITSTATUS(st));
}

static int expect_exit_at(int line, const char *what, int st, int code)
{
	char s[40];

	if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == code)
		return 1;
	status_str(st, s, sizeof(s));
	failf(line, "%s: %s (status %#x), want exit %d", what, s, (unsigned)st, code);
	return 0;
}

static int expect_signal_at(int line, const char *what, int st, int sig)
{
	char s[40];

	if (st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == sig)
		return 1;
	status_str(st, s, sizeof(s));
	failf(line, "%s: %s (status %#x), want signal %d", what, s, (unsigned)st, sig);
	return 0;
}

#define EXPECT_EXIT(what, st, code)  expect_exit_at(__LINE__, (what), (st), (code))
#define EXPECT_SIGNAL(what, st, sig) expect_signal_at(__LINE__, (what), (st), (sig))

#include "sctest_proc.h"
#include "sctest_mem.h"
#include "sctest_fs.h"
#include "sctest_io.h"
#include "sctest_more.h"

/* --------------------------------------------------------------- runner */

struct test {
	const char *name;
	void (*fn)(void);
	const char *known; /* a known kernel issue behind a failure */
};

static const struct test tests[] = {
    /* processes */
    {"fork_returns", t_fork_returns, NULL},
    {"fork_cow_child_writes", t_cow_child_writes, NULL},
    {"fork_cow_parent_writes", t_cow_parent_writes, NULL},
    {"wait_exit_codes", t_wait_exit_codes, NULL},
    {"wait_signal_kill", t_wait_signal_kill, NULL},
    {"wait_signal_term", t_wait_signal_term, NULL},
    {"wait_signal_segv", t_wait_signal_segv, NULL},
    {"waitpid_wnohang", t_waitpid_wnohang, NULL},
    {"wait_echild", t_wait_echild, NULL},
    {"orphan_reparented", t_orphan, NULL},
    {"getpid_getppid", t_getpid_getppid, NULL},
    {"kill_errors", t_kill_errors, NULL},
    {"signal_ignore_term", t_signal_ignore, NULL},
    {"setpgid_getpgid", t_pgid, NULL},
    {"exec_enoent", t_exec_enoent, NULL},
    {"exec_enoexec", t_exec_enoexec, NULL},
    {"exec_eacces_dir", t_exec_dir, NULL},
    {"exec_argv", t_exec_argv, NULL},
    {"exec_envp", t_exec_envp, NULL},
    {"exec_cloexec", t_exec_cloexec, NULL},
    /* memory */
    {"sbrk_grow", t_sbrk, NULL},
    {"brk_below_start", t_brk_low, NULL},
    {"malloc_32mib", t_malloc_big, NULL},
    {"mmap_anon", t_mmap_anon, NULL},
    {"munmap_segv", t_munmap_segv, NULL},
    {"mmap_readonly_segv", t_mmap_ro, NULL},
    {"mmap_shared_fork", t_mmap_shared_fork, NULL},
    {"mmap_file_sigbus", t_mmap_file_sigbus, NULL},
    {"mmap_file_errors", t_mmap_file_errors, NULL},
    {"stack_deep", t_stack_deep, NULL},
    /* bad pointers */
    {"efault_read", t_efault_read, NULL},
    {"efault_write", t_efault_write, NULL},
    {"efault_open", t_efault_open, NULL},
    {"efault_stat", t_efault_stat, NULL},
    {"efault_pipe", t_efault_pipe, NULL},
    {"efault_wait", t_efault_wait, NULL},
    {"efault_misc", t_efault_misc, NULL},
    /* handles */
    {"ebadf_read_write_close", t_ebadf, NULL},
    {"ebadf_access_mode", t_ebadf_mode, NULL},
    {"dup_lowest", t_dup_lowest, NULL},
    {"dup2_closes", t_dup2, NULL},
    {"fcntl_flags", t_fcntl, NULL},
    {"handle_limit_emfile", t_emfile, NULL},
    /* files */
    {"file_rw", t_file_rw, NULL},
    {"file_seek", t_seek, NULL},
    {"file_append", t_append, NULL},
    {"file_trunc", t_trunc, NULL},
    {"file_excl", t_excl, NULL},
    {"file_enoent", t_enoent, NULL},
    {"file_enotdir", t_enotdir, NULL},
    {"file_ftruncate", t_ftruncate, NULL},
    {"file_sparse", t_sparse, NULL},
    {"file_unlink_open", t_unlink_open, NULL},
    {"file_creat_race", t_creat_race, NULL},
    {"dir_mkdir_eexist", t_mkdir_exist, NULL},
    {"dir_rmdir", t_rmdir, NULL},
    {"dir_unlink_eisdir", t_unlink_dir, NULL},
    {"rename_file", t_rename_file, NULL},
    {"rename_dir", t_rename_dir, NULL},
    {"rename_into_self", t_rename_self, NULL},
    {"link_hard", t_link, NULL},
    {"symlink_readlink", t_symlink, NULL},
    {"symlink_loop", t_symlink_loop, NULL},
    {"stat_lstat", t_stat_lstat, NULL},
    {"chdir_getcwd", t_chdir, NULL},
    {"name_max", t_name_max, NULL},
    {"readdir", t_readdir, NULL},
    /* pipes */
    {"pipe_basic", t_pipe_basic, NULL},
    {"pipe_eof", t_pipe_eof, NULL},
    {"pipe_epipe_ignored", t_pipe_epipe, NULL},
    {"pipe_sigpipe", t_pipe_sigpipe, NULL},
    {"pipe_1mib", t_pipe_big, NULL},
    {"pipe_blocking_read", t_pipe_block, NULL},
    {"pipe_nonblock", t_pipe_nonblock, NULL},
    /* devices */
    {"dev_null", t_dev_null, NULL},
    {"dev_zero", t_dev_zero, NULL},
    {"dev_urandom", t_dev_urandom, NULL},
    {"dev_console_tty", t_dev_console, NULL},
    /* time */
    {"nanosleep", t_nanosleep, NULL},
    {"clock_monotonic", t_clock_mono, NULL},
    {"clock_realtime", t_clock_real, NULL},
    /* info */
    {"uname", t_uname, NULL},
    {"meminfo", t_meminfo, NULL},
    {"procinfo", t_procinfo, NULL},
    /* further checks */
    {"fork_shared_offset", t_fork_shared_offset, NULL},
    {"wait_many", t_wait_many, NULL},
    {"zombie_state", t_zombie_state, NULL},
    {"signal_stop_cont", t_stop_cont, "SIGSTOP terminates, no stop/continue"},
    {"setsid", t_setsid, NULL},
    {"kill_group_zero", t_kill_group_zero, NULL},
    {"exec_modes", t_exec_modes, NULL},
    {"exec_script", t_exec_script, "exec has no #! support"},
    {"exec_keeps_pid", t_exec_keeps_pid, NULL},
    {"exec_e2big", t_exec_e2big, NULL},
    {"fs_erofs", t_erofs, "/system/scarlet is not mounted read-only"},
    {"fs_exdev_ebusy", t_exdev_ebusy, NULL},
    {"fs_removed_cwd", t_removed_cwd, NULL},
    {"fs_dots", t_dots, NULL},
    {"fs_times", t_times, NULL},
    {"fs_deep_paths", t_deep_paths, NULL},
    {"fs_big_file", t_big_file, NULL},
    {"pipe_atomic", t_pipe_atomic, NULL},
    {"mem_no_leaks", t_no_leaks, NULL},
    {"mem_oom", t_oom, NULL},
};

static int verbose;

/* Runs one test in a child; -> 1 when it passed. */
static int run_test(const struct test *t)
{
	int p[2], st = 0;
	pid_t pid, r = 0;
	uint64_t start;
	char msg[sizeof(detail) + 8];
	ssize_t n;

	if (pipe(p) < 0) {
		printf("FAIL %s: harness pipe: %s\n", t->name, strerror(errno));
		return 0;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("FAIL %s: harness fork: %s\n", t->name, strerror(errno));
		close(p[0]);
		close(p[1]);
		return 0;
	}
	if (pid == 0) {
		size_t l = strlen(tdir);
		close(p[0]);
		test_pid = getpid();
		snprintf(tdir + l, sizeof(tdir) - l, "/%s", t->name);
		if (mkdir(tdir, 0755) < 0)
			FAIL("cannot create %s: %s", tdir, strerror(errno));
		else
			t->fn();
		if (getpid() != test_pid)
			_exit(99); /* a test's helper child came back here */
		msg[0] = failed ? 'F' : 'P';
		memcpy(msg + 1, detail, detail_len);
		write(p[1], msg, 1 + detail_len);
		_exit(failed ? 1 : 0);
	}
	close(p[1]);
	start = now_ns();
	for (;;) {
		r = waitpid(pid, &st, WNOHANG);
		if (r != 0)
			break;
		if (now_ns() - start > (uint64_t)TEST_TIMEOUT_MS * 1000000) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			close(p[0]);
			printf("FAIL %s: timed out after %d ms\n", t->name, TEST_TIMEOUT_MS);
			return 0;
		}
		sleep_ms(2);
	}
	if (r != pid) {
		close(p[0]);
		printf("FAIL %s: harness waitpid = %d: %s\n", t->name, r, strerror(errno));
		return 0;
	}
	if (WIFSIGNALED(st)) {
		close(p[0]);
		printf("FAIL %s: test process killed by signal %d\n", t->name, WTERMSIG(st));
		return 0;
	}
	/* the child wrote its report in one write before exiting */
	n = read(p[0], msg, sizeof(msg) - 1);
	close(p[0]);
	if (n <= 0) {
		printf("FAIL %s: no report (exit %d)\n", t->name, WEXITSTATUS(st));
		return 0;
	}
	msg[n] = '\0';
	if (msg[0] == 'P' && WEXITSTATUS(st) == 0) {
		printf("ok %s\n", t->name);
		return 1;
	}
	printf("FAIL %s: %s", t->name, msg[0] == 'F' ? msg + 1 : "bad report");
	if (t->known)
		printf(" [known kernel issue: %s]", t->known);
	printf("\n");
	return 0;
}

static int selected(const char *name, int argc, char **argv, int first)
{
	if (first >= argc)
		return 1;
	for (int i = first; i < argc; i++)
		if (strncmp(name, argv[i], strlen(argv[i])) == 0)
			return 1;
	return 0;
}

/* Removes the scratch tree (best effort, a few levels deep). */
static void rm_tree(const char *path, int depth)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char sub[512];

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.mode) || depth > 8) {
		unlink(path);
		return;
	}
	d = opendir(path);
	if (d) {
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			rm_tree(sub, depth + 1);
		}
		closedir(d);
	}
	rmdir(path);
}

int main(int argc, char **argv)
{
	int passed = 0, nfailed = 0, first = 1;
	size_t i;

	if (argc >= 2 && strcmp(argv[1], "--child-cloexec") == 0)
		return child_cloexec_main(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "--child-ids") == 0)
		return child_ids_main();
	if (argc >= 2 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		first = 2;
	}
	snprintf(tdir, sizeof(tdir), "/tmp/sctest.%d", getpid());
	if (mkdir(tdir, 0755) < 0) {
		printf("sctest: cannot create %s: %s\n", tdir, strerror(errno));
		printf("sctest: 0 passed, 1 failed\n");
		return 1;
	}
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		uint64_t t0 = now_ns();
		if (!selected(tests[i].name, argc, argv, first))
			continue;
		if (run_test(&tests[i]))
			passed++;
		else
			nfailed++;
		if (verbose)
			printf("  (%s: %lu ms)\n", tests[i].name,
			       (unsigned long)((now_ns() - t0) / 1000000));
		fflush(stdout);
	}
	rm_tree(tdir, 0);
	printf("sctest: %d passed, %d failed\n", passed, nfailed);
	fflush(stdout);
	return nfailed ? 1 : 0;
}
