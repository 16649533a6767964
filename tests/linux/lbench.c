/*
 * lbench [-q] [name...]: the native microbenchmarks (user/bin/bench.c)
 * written against the Linux ABI, as a static glibc program, so the
 * Linux-ABI / native ratio can be read off `make bench`.  Same names,
 * same units, same line format: "name: X us/op (N ops)", MiB/s for the
 * pipe bandwidth.  Processes are made with raw system calls (clone with
 * SIGCHLD, execve, wait4), as the Linux reference numbers in DESIGN.md
 * were.  A benchmark whose calls fail prints "name: n/a (error)" and the
 * others still run.  -q runs 10x fewer iterations.
 *
 * fork_exec_wait runs the static glibc program `true` found next to this
 * one (through /proc/self/exe, else argv[0]).
 *
 * Two more have no native counterpart: thread_create_join
 * (pthread_create + pthread_join, per pair) and futex_roundtrip (two
 * threads handing a futex word back and forth, per round trip).  They
 * need clone(CLONE_THREAD); without it they print n/a.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BW_CHUNK (64 * 1024)
#define BW_TOTAL (32 * 1024 * 1024)

static int divisor = 1;
static char bw_buf[BW_CHUNK];
static char true_path[4096];
extern char **environ;

static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static long scaled(long n)
{
	n /= divisor;
	return n > 0 ? n : 1;
}

static void report(const char *name, uint64_t ns, long ops)
{
	uint64_t per = ns / (uint64_t)ops;

	printf("%s: %llu.%03llu us/op (%ld ops)\n", name, (unsigned long long)(per / 1000),
	       (unsigned long long)(per % 1000), ops);
	fflush(stdout);
}

/* The benchmark cannot run here: says which call failed and why. */
static void not_available(const char *name, const char *call, int err)
{
	printf("%s: n/a (%s: %s)\n", name, call, strerror(err));
	fflush(stdout);
}

/* fork as a raw system call; the child must only make system calls. */
static pid_t raw_fork(void)
{
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
}

static void raw_exit(int status)
{
	syscall(SYS_exit_group, status);
	for (;;)
		;
}

/* Waits for pid: 0 if it exited with status 0; else -1, with errno set
 * when wait4 failed, or 0 and *status the child's status. */
static int raw_wait(pid_t pid, int *status)
{
	errno = 0;
	if (syscall(SYS_wait4, pid, status, 0, NULL) != pid)
		return -1;
	return WIFEXITED(*status) && WEXITSTATUS(*status) == 0 ? 0 : -1;
}

/* After a failed raw_wait: the reason. */
static void child_failed(const char *name, const char *what, int status)
{
	char why[64];

	if (errno)
		return not_available(name, "wait4", errno);
	snprintf(why, sizeof(why), "child status %#x", status);
	printf("%s: n/a (%s: %s)\n", name, what, why);
	fflush(stdout);
}

static void bench_null_syscall(void)
{
	long i, n = scaled(100000);
	uint64_t t = now();

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	report("null_syscall", now() - t, n);
}

static void bench_pipe_roundtrip(void)
{
	const char *name = "pipe_roundtrip";
	long i, n = scaled(2000);
	int a[2], b[2], status;
	char c = 'x';
	pid_t pid;
	uint64_t t;

	if (pipe(a) < 0 || pipe(b) < 0)
		return not_available(name, "pipe", errno);
	if ((pid = raw_fork()) < 0)
		return not_available(name, "clone", errno);
	if (pid == 0) {
		close(a[1]);
		close(b[0]);
		for (i = 0; i < n; i++)
			if (read(a[0], &c, 1) != 1 || write(b[1], &c, 1) != 1)
				raw_exit(1);
		raw_exit(0);
	}
	close(a[0]);
	close(b[1]);
	t = now();
	for (i = 0; i < n; i++)
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
			break;
	t = now() - t;
	close(a[1]);
	close(b[0]);
	if (i < n)
		return not_available(name, "round trip", errno);
	if (raw_wait(pid, &status) < 0)
		return child_failed(name, "echo child", status);
	report(name, t, n);
}

static void bench_pipe_bandwidth(void)
{
	const char *name = "pipe_bandwidth";
	long total = scaled(BW_TOTAL), left;
	ssize_t r = 0;
	int p[2], status;
	pid_t pid;
	uint64_t t, kib_per_s;

	total -= total % BW_CHUNK;
	if (total < BW_CHUNK)
		total = BW_CHUNK;
	if (pipe(p) < 0)
		return not_available(name, "pipe", errno);
	if ((pid = raw_fork()) < 0)
		return not_available(name, "clone", errno);
	if (pid == 0) {
		close(p[0]);
		for (left = total; left > 0; left -= BW_CHUNK)
			if (write(p[1], bw_buf, BW_CHUNK) != BW_CHUNK)
				raw_exit(1);
		raw_exit(0);
	}
	close(p[1]);
	t = now();
	for (left = total; left > 0; left -= r)
		if ((r = read(p[0], bw_buf, BW_CHUNK)) <= 0)
			break;
	t = now() - t;
	close(p[0]);
	if (left > 0)
		return not_available(name, "read", r < 0 ? errno : EPIPE);
	if (raw_wait(pid, &status) < 0)
		return child_failed(name, "writer child", status);
	kib_per_s = t ? (uint64_t)total * 1000000000ull / 1024 / t : 0;
	printf("%s: %llu.%02llu MiB/s (%ld MiB in %d KiB writes)\n", name,
	       (unsigned long long)(kib_per_s / 1024),
	       (unsigned long long)(kib_per_s % 1024 * 100 / 1024), total >> 20, BW_CHUNK >> 10);
	fflush(stdout);
}

static void bench_fork_exit_wait(void)
{
	const char *name = "fork_exit_wait";
	long i, n = scaled(300);
	int status;
	pid_t pid;
	uint64_t t = now();

	for (i = 0; i < n; i++) {
		if ((pid = raw_fork()) < 0)
			return not_available(name, "clone", errno);
		if (pid == 0)
			raw_exit(0);
		if (raw_wait(pid, &status) < 0)
			return child_failed(name, "exiting child", status);
	}
	report(name, now() - t, n);
}

static void bench_fork_exec_wait(void)
{
	static char *argv[] = {"true", NULL};
	const char *name = "fork_exec_wait";
	long i, n = scaled(200);
	int status;
	pid_t pid;
	uint64_t t = now();

	for (i = 0; i < n; i++) {
		if ((pid = raw_fork()) < 0)
			return not_available(name, "clone", errno);
		if (pid == 0) {
			syscall(SYS_execve, true_path, argv, environ);
			raw_exit(127);
		}
		if (raw_wait(pid, &status) < 0)
			return child_failed(name, "exec of true", status);
	}
	report(name, now() - t, n);
}

static void bench_file_cycle(void)
{
	const char *name = "file_create_write_unlink";
	long i, n = scaled(500);
	char path[64];
	int fd;
	uint64_t t;

	snprintf(path, sizeof(path), "/tmp/lbench.%d", getpid());
	t = now();
	for (i = 0; i < n; i++) {
		fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
		if (fd < 0)
			return not_available(name, "open", errno);
		if (write(fd, bw_buf, 4096) != 4096)
			return not_available(name, "write", errno);
		close(fd);
		if (unlink(path) < 0)
			return not_available(name, "unlink", errno);
	}
	report(name, now() - t, n);
}

/* `true` next to this program. */
static void find_true(const char *argv0)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n > 0)
		self[n] = '\0';
	else
		snprintf(self, sizeof(self), "%s", argv0);
	slash = strrchr(self, '/');
	if (slash)
		slash[1] = '\0';
	else
		strcpy(self, "./");
	snprintf(true_path, sizeof(true_path), "%strue", self);
}

/* pthread_create then pthread_join of a thread that returns at once. */
static void *thread_nothing(void *arg)
{
	return arg;
}

static void bench_thread_create_join(void)
{
	long i, n = scaled(1000);
	pthread_t t;
	uint64_t start = now();

	for (i = 0; i < n; i++) {
		int err = pthread_create(&t, NULL, thread_nothing, NULL);
		if (err)
			return not_available("thread_create_join", "pthread_create", err);
		pthread_join(t, NULL);
	}
	report("thread_create_join", now() - start, n);
}

/* Two threads hand a turn word back and forth, each hand-off a
 * FUTEX_WAKE that the other's FUTEX_WAIT returns from. */
static uint32_t futex_turn; /* 0: main thread's turn, 1: partner's */
static long futex_rounds;

static void futex_wait_while(uint32_t val)
{
	while (__atomic_load_n(&futex_turn, __ATOMIC_ACQUIRE) == val)
		syscall(SYS_futex, &futex_turn, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_hand_over(uint32_t to)
{
	__atomic_store_n(&futex_turn, to, __ATOMIC_RELEASE);
	syscall(SYS_futex, &futex_turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *futex_partner(void *arg)
{
	for (long i = 0; i < futex_rounds; i++) {
		futex_wait_while(0);
		futex_hand_over(0);
	}
	return arg;
}

static void bench_futex_roundtrip(void)
{
	long i, n = scaled(2000);
	pthread_t t;
	uint64_t start;
	int err;

	futex_turn = 0;
	futex_rounds = n;
	if ((err = pthread_create(&t, NULL, futex_partner, NULL)) != 0)
		return not_available("futex_roundtrip", "pthread_create", err);
	start = now();
	for (i = 0; i < n; i++) {
		futex_hand_over(1);
		futex_wait_while(1);
	}
	start = now() - start;
	pthread_join(t, NULL);
	report("futex_roundtrip", start, n);
}

static const struct {
	const char *name;
	void (*run)(void);
} benches[] = {
    {"null_syscall", bench_null_syscall},
    {"pipe_roundtrip", bench_pipe_roundtrip},
    {"pipe_bandwidth", bench_pipe_bandwidth},
    {"fork_exit_wait", bench_fork_exit_wait},
    {"fork_exec_wait", bench_fork_exec_wait},
    {"file_create_write_unlink", bench_file_cycle},
    {"thread_create_join", bench_thread_create_join},
    {"futex_roundtrip", bench_futex_roundtrip},
};
#define NBENCH (int)(sizeof(benches) / sizeof(benches[0]))

static int known(const char *name)
{
	for (int j = 0; j < NBENCH; j++)
		if (strcmp(name, benches[j].name) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int i, j, k;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-q") != 0) {
			fprintf(stderr, "usage: lbench [-q] [name...]\n");
			return 1;
		}
		divisor = 10;
	}
	for (j = i; j < argc; j++) {
		if (!known(argv[j])) {
			fprintf(stderr, "lbench: %s: no such benchmark\n", argv[j]);
			return 1;
		}
	}
	find_true(argv[0]);
	for (j = 0; j < NBENCH; j++) {
		int selected = i == argc;
		for (k = i; k < argc && !selected; k++)
			selected = strcmp(argv[k], benches[j].name) == 0;
		if (selected)
			benches[j].run();
	}
	return 0;
}
