/*
 * xv6bench [-q] [name...]: the microbenchmarks of the native `bench`,
 * written against the xv6 ABI so that the two can be compared.  Output
 * lines have the native format: "name: X us/op (N ops)", or MiB/s for
 * the pipe bandwidth.
 *
 * xv6's only clock is uptime(), in ticks of 1/10 s.  So each benchmark
 * starts on a tick edge and repeats its operation in batches until at
 * least MIN_TICKS ticks (2.5 s; 0.5 s with -q) have passed, and the time
 * per operation is the elapsed ticks over the operations done.
 */
#include "types.h"
#include "fcntl.h"
#include "user.h"

#define TICK_NS  100000000UL /* one xv6 tick: 1/10 s */
#define BW_CHUNK (64 * 1024)
#define MIB      (1024 * 1024)

static int min_ticks = 25;
static char bw_buf[BW_CHUNK];
static char file_path[64];

static void die(const char *what)
{
	fprintf(2, "xv6bench: %s failed\n", what);
	exit(1);
}

/* Waits for the next tick edge and returns its tick count. */
static int tick_edge(void)
{
	int t = uptime(), u;

	while ((u = uptime()) == t)
		;
	return u;
}

static void report(const char *name, int ticks, long ops)
{
	uint64 per = (uint64)ticks * TICK_NS / (uint64)ops; /* ns per operation */

	printf("%s: %lu.%03lu us/op (%ld ops)\n", name, per / 1000, per % 1000, ops);
}

/* Runs op(batch) until min_ticks have passed; reports the time per op. */
static void timed(const char *name, void (*op)(int), int batch)
{
	int t0 = tick_edge(), t;
	long ops = 0;

	do {
		op(batch);
		ops += batch;
	} while ((t = uptime()) - t0 < min_ticks);
	report(name, t - t0, ops);
}

static void wait_child(int pid)
{
	int status = -1;

	if (wait(&status) != pid || status != 0) {
		fprintf(2, "xv6bench: child failed (status %d)\n", status);
		exit(1);
	}
}

static void op_getpid(int n)
{
	while (n-- > 0)
		getpid();
}

static void bench_null_syscall(void)
{
	timed("null_syscall", op_getpid, 1000);
}

static int rt_to, rt_from; /* round trip: to the echoing child, back from it */

static void op_roundtrip(int n)
{
	char c = 'x';

	while (n-- > 0) {
		if (write(rt_to, &c, 1) != 1 || read(rt_from, &c, 1) != 1)
			die("pipe round trip");
	}
}

static void bench_pipe_roundtrip(void)
{
	int a[2], b[2], pid;
	char c;

	if (pipe(a) < 0 || pipe(b) < 0)
		die("pipe");
	if ((pid = fork()) < 0)
		die("fork");
	if (pid == 0) {
		close(a[1]);
		close(b[0]);
		while (read(a[0], &c, 1) == 1) {
			if (write(b[1], &c, 1) != 1)
				exit(1);
		}
		exit(0);
	}
	close(a[0]);
	close(b[1]);
	rt_to = a[1];
	rt_from = b[0];
	timed("pipe_roundtrip", op_roundtrip, 50);
	close(a[1]);
	close(b[0]);
	wait_child(pid);
}

static void bench_pipe_bandwidth(void)
{
	int p[2], pid, n, t0, t;
	uint64 total = 0, hundredths;

	if (pipe(p) < 0)
		die("pipe");
	if ((pid = fork()) < 0)
		die("fork");
	if (pid == 0) {
		close(p[0]);
		while (write(p[1], bw_buf, BW_CHUNK) == BW_CHUNK)
			;
		exit(0);
	}
	close(p[1]);
	t0 = tick_edge();
	do {
		if ((n = read(p[0], bw_buf, BW_CHUNK)) <= 0)
			die("pipe read");
		total += n;
	} while ((t = uptime()) - t0 < min_ticks);
	kill(pid); /* the writer never stops by itself */
	close(p[0]);
	wait(0);
	hundredths = total * 100 * (1000000000UL / TICK_NS) / (uint64)(t - t0) / MIB;
	printf("pipe_bandwidth: %lu.%02lu MiB/s (%lu MiB in %d KiB writes)\n", hundredths / 100,
	       hundredths % 100, total / MIB, BW_CHUNK / 1024);
}

static void op_fork_exit_wait(int n)
{
	int pid;

	while (n-- > 0) {
		if ((pid = fork()) < 0)
			die("fork");
		if (pid == 0)
			exit(0);
		wait_child(pid);
	}
}

static void bench_fork_exit_wait(void)
{
	timed("fork_exit_wait", op_fork_exit_wait, 10);
}

static void op_fork_exec_wait(int n)
{
	static char *argv[] = {"true", 0};
	int pid;

	while (n-- > 0) {
		if ((pid = fork()) < 0)
			die("fork");
		if (pid == 0) {
			exec("/true", argv);
			exit(127);
		}
		wait_child(pid);
	}
}

static void bench_fork_exec_wait(void)
{
	timed("fork_exec_wait", op_fork_exec_wait, 5);
}

static void op_file_cycle(int n)
{
	int fd;

	while (n-- > 0) {
		if ((fd = open(file_path, O_CREATE | O_TRUNC | O_WRONLY)) < 0)
			die(file_path);
		if (write(fd, bw_buf, 4096) != 4096)
			die("write");
		close(fd);
		if (unlink(file_path) < 0)
			die("unlink");
	}
}

/* /tmp when the xv6 environment has it (Scarlet binds it in), else here. */
static void choose_file_path(void)
{
	int fd;

	snprintf(file_path, sizeof(file_path), "/tmp/xv6bench.%d", getpid());
	if ((fd = open(file_path, O_CREATE | O_WRONLY)) >= 0) {
		close(fd);
		unlink(file_path);
		return;
	}
	snprintf(file_path, sizeof(file_path), "xv6bench.%d", getpid());
}

static void bench_file_cycle(void)
{
	memset(bw_buf, 'f', 4096);
	choose_file_path();
	timed("file_create_write_unlink", op_file_cycle, 10);
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

static int find(const char *name)
{
	int i;

	for (i = 0; i < NBENCH; i++) {
		if (strcmp(name, benches[i].name) == 0)
			return i;
	}
	return -1;
}

int main(int argc, char **argv)
{
	int i = 1, j;

	if (i < argc && strcmp(argv[i], "-q") == 0) {
		min_ticks = 5;
		i++;
	}
	for (j = i; j < argc; j++) {
		if (find(argv[j]) < 0) {
			fprintf(2, "xv6bench: %s: no such benchmark\n", argv[j]);
			exit(1);
		}
	}
	for (j = 0; j < NBENCH; j++) {
		if (i >= argc)
			benches[j].run();
	}
	for (j = i; j < argc; j++)
		benches[find(argv[j])].run();
	exit(0);
}
