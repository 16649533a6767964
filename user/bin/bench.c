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
#include <sys/stat.h>
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

/* Directory for the file-system benchmarks (-d DIR). */
static const char *fs_dir = "/tmp";

#define SEQ_SIZE  (64L << 20)
#define SEQ_CHUNK (64 * 1024)

static void seq_path(char *path, size_t n)
{
	snprintf(path, n, "%s/bench-seq.%d", fs_dir, getpid());
}

static void report_bw(const char *name, uint64_t ns, long bytes)
{
	/* the formatter has no floating point: tenths by integer math */
	uint64_t tenths = ns ? (uint64_t)bytes * 10 * 1000000000ULL / (1 << 20) / ns : 0;
	printf("%s: %lu.%lu MiB/s (%ld MiB in 64 KiB requests)\n", name,
	       (unsigned long)(tenths / 10), (unsigned long)(tenths % 10), bytes >> 20);
}

static void bench_seq_write(void)
{
	char path[128];
	long size = SEQ_SIZE / divisor, done;
	seq_path(path, sizeof(path));
	int h = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (h < 0)
		die(path);
	memset(bw_buf, 'w', SEQ_CHUNK);
	uint64_t t = now();
	for (done = 0; done < size; done += SEQ_CHUNK)
		if (write(h, bw_buf, SEQ_CHUNK) != SEQ_CHUNK)
			die(path);
	close(h);
	sync();
	report_bw("fs_seq_write", now() - t, size);
}

static void bench_seq_read(void)
{
	char path[128];
	long done = 0;
	ssize_t n;
	seq_path(path, sizeof(path));
	int h = open(path, O_RDONLY);
	if (h < 0)
		die(path);
	uint64_t t = now();
	while ((n = read(h, bw_buf, SEQ_CHUNK)) > 0)
		done += n;
	report_bw("fs_seq_read", now() - t, done);
	close(h);
	unlink(path);
}

/* Creates n small files in a directory, then deletes them. */
static void bench_small_files(void)
{
	long i, n = scaled(1000);
	char dir[128], path[160];
	snprintf(dir, sizeof(dir), "%s/bench-small.%d", fs_dir, getpid());
	if (mkdir(dir, 0755) < 0)
		die(dir);
	memset(bw_buf, 's', 100);
	uint64_t t = now();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		int h = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (h < 0 || write(h, bw_buf, 100) != 100)
			die(path);
		close(h);
	}
	uint64_t created = now();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		if (unlink(path) < 0)
			die(path);
	}
	sync();
	uint64_t deleted = now();
	rmdir(dir);
	printf("fs_small_create: %lu files/s (%ld files of 100 bytes)\n",
	       (unsigned long)(n * 1000000000ULL / (created - t + 1)), n);
	printf("fs_small_delete: %lu files/s\n",
	       (unsigned long)(n * 1000000000ULL / (deleted - created + 1)));
}

static const struct {
	const char *name;
	void (*run)(void);
	int by_name_only; /* not part of the default set */
} benches[] = {
    {"null_syscall", bench_null_syscall, 0},     {"pipe_roundtrip", bench_pipe_roundtrip, 0},
    {"pipe_bandwidth", bench_pipe_bandwidth, 0}, {"fork_exit_wait", bench_fork_exit_wait, 0},
    {"fork_exec_wait", bench_fork_exec_wait, 0}, {"file_create_write_unlink", bench_file_cycle, 0},
    {"fs_seq_write", bench_seq_write, 1},        {"fs_seq_read", bench_seq_read, 1},
    {"fs_small_files", bench_small_files, 1},
};
#define NBENCH (int)(sizeof(benches) / sizeof(benches[0]))

int main(int argc, char **argv)
{
	int i, j, k, selected = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-q") == 0) {
			divisor = 10;
		} else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) {
			fs_dir = argv[++i];
		} else {
			fprintf(stderr, "usage: bench [-q] [-d DIR] [name...]\n");
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
		selected = i == argc && !benches[j].by_name_only;
		for (k = i; k < argc && !selected; k++)
			selected = strcmp(argv[k], benches[j].name) == 0;
		if (selected)
			benches[j].run();
	}
	return 0;
}
