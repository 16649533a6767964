/*
 * bench [-q] [name...]: native microbenchmarks, one line each:
 * "name: X us/op (N ops)", or MiB/s for the pipe bandwidth.  Times come
 * from the monotonic clock.  -q runs 10x fewer iterations; names select
 * benchmarks (default: all).
 */
#include <errno.h>
#include <fcntl.h>
#include <scarlet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRUE_PATH "/system/scarlet/bin/true"
#define BW_CHUNK  (64 * 1024)
#define BW_TOTAL  (32 * 1024 * 1024)

static int divisor = 1;
static char bw_buf[BW_CHUNK];

static void die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now(void)
{
	return sc_clock_ns(CLOCK_MONOTONIC);
}

static long scaled(long n)
{
	n /= divisor;
	return n > 0 ? n : 1;
}

static void report(const char *name, uint64_t ns, long ops)
{
	uint64_t per = ns / (uint64_t)ops; /* ns per operation */

	printf("%s: %llu.%03llu us/op (%ld ops)\n", name, (unsigned long long)(per / 1000),
	       (unsigned long long)(per % 1000), ops);
	fflush(stdout);
}

static void wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: child failed (status %#x)\n", status);
		exit(1);
	}
}

static void bench_null_syscall(void)
{
	long i, n = scaled(100000);
	uint64_t t = now();

	for (i = 0; i < n; i++)
		getpid();
	report("null_syscall", now() - t, n);
}

static void bench_pipe_roundtrip(void)
{
	long i, n = scaled(2000);
	int a[2], b[2];
	char c = 'x';
	pid_t pid;
	uint64_t t;

	if (pipe(a) < 0 || pipe(b) < 0)
		die("pipe");
	if ((pid = fork()) < 0)
		die("fork");
	if (pid == 0) {
		close(a[1]);
		close(b[0]);
		for (i = 0; i < n; i++)
			if (read(a[0], &c, 1) != 1 || write(b[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(a[0]);
	close(b[1]);
	t = now();
	for (i = 0; i < n; i++)
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
			die("pipe round trip");
	t = now() - t;
	close(a[1]);
	close(b[0]);
	wait_child(pid);
	report("pipe_roundtrip", t, n);
}

static void bench_pipe_bandwidth(void)
{
	long total = scaled(BW_TOTAL), left;
	ssize_t r;
	int p[2];
	pid_t pid;
	uint64_t t, kib_per_s;

	total -= total % BW_CHUNK;
	if (total < BW_CHUNK)
		total = BW_CHUNK;
	if (pipe(p) < 0)
		die("pipe");
	if ((pid = fork()) < 0)
		die("fork");
	if (pid == 0) {
		close(p[0]);
		for (left = total; left > 0; left -= BW_CHUNK)
			if (write(p[1], bw_buf, BW_CHUNK) != BW_CHUNK)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	t = now();
	for (left = total; left > 0; left -= r)
		if ((r = read(p[0], bw_buf, BW_CHUNK)) <= 0)
			die("pipe read");
	t = now() - t;
	close(p[0]);
	wait_child(pid);
	kib_per_s = t ? (uint64_t)total * 1000000000ull / 1024 / t : 0;
	printf("pipe_bandwidth: %llu.%02llu MiB/s (%ld MiB in %d KiB writes)\n",
	       (unsigned long long)(kib_per_s / 1024),
	       (unsigned long long)(kib_per_s % 1024 * 100 / 1024), total >> 20, BW_CHUNK >> 10);
	fflush(stdout);
}

static void bench_fork_exit_wait(void)
{
	long i, n = scaled(300);
	pid_t pid;
	uint64_t t = now();

	for (i = 0; i < n; i++) {
		if ((pid = fork()) < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		wait_child(pid);
	}
	report("fork_exit_wait", now() - t, n);
}

static void bench_fork_exec_wait(void)
{
	static char *argv[] = {"true", NULL};
	long i, n = scaled(200);
	pid_t pid;
	uint64_t t = now();

	for (i = 0; i < n; i++) {
		if ((pid = fork()) < 0)
			die("fork");
		if (pid == 0) {
			execve(TRUE_PATH, argv, environ);
			_exit(127);
		}
		wait_child(pid);
	}
	report("fork_exec_wait", now() - t, n);
}

static void bench_file_cycle(void)
{
	long i, n = scaled(500);
	char path[64];
	int h;
	uint64_t t;

	memset(bw_buf, 'f', 4096);
	snprintf(path, sizeof(path), "/tmp/bench.%d", getpid());
	t = now();
	for (i = 0; i < n; i++) {
		if ((h = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
			die(path);
		if (write(h, bw_buf, 4096) != 4096)
			die(path);
		close(h);
		if (unlink(path) < 0)
			die(path);
	}
	report("file_create_write_unlink", now() - t, n);
}

static const struct {
	const char *name;
	void (*run)(void);
} benches[] = {
    {"null_syscall", bench_null_syscall},     {"pipe_roundtrip", bench_pipe_roundtrip},
    {"pipe_bandwidth", bench_pipe_bandwidth}, {"fork_exit_wait", bench_fork_exit_wait},
    {"fork_exec_wait", bench_fork_exec_wait}, {"file_create_write_unlink", bench_file_cycle},
};
#define NBENCH (int)(sizeof(benches) / sizeof(benches[0]))

int main(int argc, char **argv)
{
	int i, j, k, selected = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-q") == 0) {
			divisor = 10;
		} else {
			fprintf(stderr, "usage: bench [-q] [name...]\n");
			return 1;
		}
	}
	for (j = i; j < argc; j++) {
		for (selected = 0; selected < NBENCH; selected++)
			if (strcmp(argv[j], benches[selected].name) == 0)
				break;
		if (selected == NBENCH) {
			fprintf(stderr, "bench: %s: no such benchmark\n", argv[j]);
			return 1;
		}
	}
	for (j = 0; j < NBENCH; j++) {
		selected = i == argc;
		for (k = i; k < argc && !selected; k++)
			selected = strcmp(argv[k], benches[j].name) == 0;
		if (selected)
			benches[j].run();
	}
	return 0;
}
