/*
 * fuzz: a system-call fuzzer for the native and xv6 ABIs.
 *
 *   fuzz [-a native|xv6] [-p PROCS] [-n CALLS] [-s SEED] [-d DIR] [-t SECS] [-v]
 *
 * Runs PROCS worker processes at once until CALLS calls were made in all,
 * then prints "fuzz ABI: N calls ..." and exits 0.  Workers make random
 * calls with random and boundary arguments and pointers into mapped,
 * unmapped and kernel memory (user/fuzz/fuzzgen.h); each worker has its
 * own seed (SEED * 1000 + its number), so a run is reproducible.  Native
 * workers are forks of this program; xv6 workers are
 * /system/xv6-riscv64/fuzz6 (user-xv6/bin/fuzz6.c), started with the
 * same arguments.  Each worker runs in its own session, mount namespace
 * (native) and directory DIR/wN, with /dev/null as standard input and
 * output, and reports its progress on a pipe; one that dies (a call may
 * kill it: exit, kill, munmap of its own stack...) or makes no progress
 * for SECS seconds (default 10; it is killed then) is replaced.  A call
 * that could stop the machine or reach outside the worker's reach is
 * changed, not skipped: poweroff is never made, kill only targets the
 * worker's own group, fork children leave at once, mutating path calls
 * get relative paths.  What the kernel does with the rest is the test:
 * it must not panic or hang, and every page must come back (free pages
 * are printed before and after, caches dropped, once the names the
 * workers made anywhere are removed: user/fuzz/fztree.h).  -v adds the time spent
 * in each call (native workers).
 */
#include <errno.h>
#include <fcntl.h>
#include <scarlet.h>
#include <scarlet/syscall.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "user/fuzz/fuzzgen.h"
#include "user/fuzz/fztree.h"

#define MAX_PROCS      16
#define PROGRESS_FD    200 /* a worker's progress pipe (xv6 workers: 15) */
#define CALLS_PER_TICK 256 /* calls per progress byte */
#define XV6_WORKER     "/system/xv6-riscv64/fuzz6"

struct worker {
	pid_t pid;
	int pipe; /* read end of its progress pipe */
	uint64_t last_ns;
};

/* What a native worker is doing, in memory shared with the manager, so
 * that a stuck one can be reported with its call. */
struct doing {
	long nr;
	uint64_t a[FZ_ARGS];
};

/* Time spent per call (native workers; shared, updated without locks,
 * so approximate), printed at the end with -v. */
struct call_time {
	uint64_t ns, n;
};

static struct doing *doing;     /* one per slot, MAP_SHARED */
static struct call_time *times; /* one per call of the table, MAP_SHARED */

static struct {
	const char *abi, *dir;
	int procs, timeout_s;
	bool verbose;
	uint64_t target, seed;
	uint64_t calls, started, signalled, exited, stuck;
	uint64_t by_signal[65];
} run = {
    .abi = "native", .dir = "/tmp/fuzz", .procs = 4, .timeout_s = 10, .target = 100000, .seed = 1};

/* ------------------------------------------------------------ native worker */

static uint64_t now_ns(void)
{
	return sc_clock_ns(CLOCK_MONOTONIC);
}

#define _ FZ_NONE
static const struct fz_call native_calls[] = {
    {SYS_exit, "exit", {FZ_INT}},
    {SYS_fork, "fork", {_}},
    {SYS_exec, "exec", {FZ_PATH, FZ_VEC, FZ_VEC}},
    {SYS_wait, "wait", {FZ_PID, FZ_BUF, FZ_FLAGS}},
    {SYS_getpid, "getpid", {_}},
    {SYS_getppid, "getppid", {_}},
    {SYS_kill, "kill", {FZ_PID, FZ_SIG}},
    {SYS_nanosleep, "nanosleep", {FZ_INT}},
    {SYS_clock, "clock", {FZ_INT, FZ_BUF}},
    {SYS_brk, "brk", {FZ_ADDR}},
    {SYS_open, "open", {FZ_PATH, FZ_FLAGS, FZ_MODE}},
    {SYS_close, "close", {FZ_FD}},
    {SYS_read, "read", {FZ_FD, FZ_BUF, FZ_LEN}},
    {SYS_write, "write", {FZ_FD, FZ_BUF, FZ_LEN}},
    {SYS_seek, "seek", {FZ_FD, FZ_INT, FZ_INT}},
    {SYS_stat, "stat", {FZ_PATH, FZ_BUF}},
    {SYS_lstat, "lstat", {FZ_PATH, FZ_BUF}},
    {SYS_fstat, "fstat", {FZ_FD, FZ_BUF}},
    {SYS_readdir, "readdir", {FZ_FD, FZ_BUF, FZ_LEN}},
    {SYS_mkdir, "mkdir", {FZ_PATH, FZ_MODE}},
    {SYS_unlink, "unlink", {FZ_PATH}},
    {SYS_rmdir, "rmdir", {FZ_PATH}},
    {SYS_rename, "rename", {FZ_PATH, FZ_PATH}},
    {SYS_link, "link", {FZ_PATH, FZ_PATH}},
    {SYS_symlink, "symlink", {FZ_PATH, FZ_PATH}},
    {SYS_readlink, "readlink", {FZ_PATH, FZ_BUF, FZ_LEN}},
    {SYS_chdir, "chdir", {FZ_PATH}},
    {SYS_getcwd, "getcwd", {FZ_BUF, FZ_LEN}},
    {SYS_dup, "dup", {FZ_FD}},
    {SYS_dup2, "dup2", {FZ_FD, FZ_FD}},
    {SYS_pipe, "pipe", {FZ_BUF}},
    {SYS_hctl, "hctl", {FZ_FD, FZ_INT, FZ_FLAGS}},
    {SYS_ioctl, "ioctl", {FZ_FD, FZ_INT, FZ_BUF}},
    {SYS_setpgid, "setpgid", {FZ_PID, FZ_PID}},
    {SYS_getpgid, "getpgid", {FZ_PID}},
    {SYS_signal, "signal", {FZ_SIG, FZ_INT}},
    {SYS_mount, "mount", {FZ_PATH, FZ_PATH, FZ_PATH, FZ_FLAGS, FZ_BUF}},
    {SYS_umount, "umount", {FZ_PATH}},
    {SYS_sync, "sync", {_}},
    {SYS_uname, "uname", {FZ_BUF}},
    {SYS_meminfo, "meminfo", {FZ_BUF}},
    {SYS_procinfo, "procinfo", {FZ_BUF, FZ_INT}},
    {SYS_yield, "yield", {_}},
    {SYS_ftruncate, "ftruncate", {FZ_FD, FZ_LEN}},
    {SYS_mmap, "mmap", {FZ_ADDR, FZ_LEN, FZ_FLAGS, FZ_FLAGS, FZ_FD, FZ_LEN}},
    {SYS_munmap, "munmap", {FZ_ADDR, FZ_LEN}},
    {SYS_mounts, "mounts", {FZ_BUF, FZ_LEN}},
    {SYS_setsid, "setsid", {_}},
    {SYS_clone, "clone", {FZ_FLAGS, FZ_ADDR, FZ_ADDR}},
    {SYS_unshare, "unshare", {FZ_FLAGS}},
    {SYS_chroot, "chroot", {FZ_PATH}},
    {SYS_exec_abi, "exec_abi", {FZ_PATH, FZ_PATH, FZ_VEC, FZ_VEC}},
    {SYS_abi_probe, "abi_probe", {FZ_PATH, FZ_BUF, FZ_LEN}},
    {SYS_chmod, "chmod", {FZ_PATH, FZ_MODE}},
    {SYS_COUNT, "unknown", {FZ_INT, FZ_INT}},
    {SYS_COUNT + 1000, "unknown", {FZ_INT}},
    {-1, "unknown", {FZ_INT}},
};
#undef _

#define NCALLS (int)(sizeof(native_calls) / sizeof(native_calls[0]))

/* How often a call is kept when drawn (percent): calls that end or
 * replace the worker, or that are slow, are rarer. */
static int keep_percent(long nr)
{
	switch (nr) {
	case SYS_exit:
	case SYS_chroot:
		return 1;
	case SYS_fork:
	case SYS_clone:
	case SYS_sync:
	case SYS_unshare:
		return 5;
	case SYS_exec:
	case SYS_exec_abi:
	case SYS_munmap:
	case SYS_mmap:
	case SYS_brk:
		return 25;
	default:
		return 100;
	}
}

/* An arena string that starts with '/' becomes relative. */
static void make_relative(uint64_t p, const char *arena)
{
	char *s = (char *)p;
	if (s >= arena && s < arena + FZ_ARENA / 2 && s[0] == '/')
		s[0] = 'r';
}

static bool mutates_path(long nr)
{
	return nr == SYS_mkdir || nr == SYS_unlink || nr == SYS_rmdir || nr == SYS_rename ||
	       nr == SYS_link || nr == SYS_symlink || nr == SYS_chmod || nr == SYS_open;
}

/* Keeps the call within the worker's reach (see the top comment). */
static void sanitize(struct fz *f, long nr, uint64_t a[FZ_ARGS], pid_t self)
{
	if (mutates_path(nr)) {
		make_relative(a[0], f->arena);
		if (nr != SYS_open && nr != SYS_chmod)
			make_relative(a[1], f->arena);
	}
	switch (nr) {
	case SYS_kill: { /* itself now and then: most signals end it */
		static const long targets[] = {0, 99999, -99999};
		a[0] = fz_chance(f, 5) ? (uint64_t)self : (uint64_t)targets[fz_below(f, 3)];
		if (a[0] == 0 && fz_chance(f, 90))
			a[1] = 0;                  /* its whole group: mostly a probe */
		if (a[1] >= SIGSTOP && a[1] <= 22) /* SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU */
			a[1] = SIGCONT;            /* a stopped worker only looks stuck */
		break;
	}
	case SYS_nanosleep:
		a[0] %= 5000000;
		break;
	case SYS_clone:
		a[0] &= ~(uint64_t)CLONE_SHARE_VM;
		break;
	}
}

/* After a call: children of fork and clone leave; new pipes are
 * non-blocking so that a read of one's own empty pipe does not hang. */
static void after_call(long nr, long r, uint64_t a[FZ_ARGS], pid_t self, const char *arena)
{
	if (getpid() != self)
		_exit(0);
	if (nr == SYS_pipe && r == 0 && a[0] >= (uint64_t)arena &&
	    a[0] + 8 <= (uint64_t)arena + FZ_ARENA) {
		int *h = (int *)a[0];
		for (int i = 0; i < 2; i++)
			sc_syscall(SYS_hctl, h[i], HCTL_SETFL, O_NONBLOCK, 0, 0, 0);
	}
}

static char *map_arena(void)
{
	char *a =
	    mmap(NULL, FZ_ARENA + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		return NULL;
	munmap(a + FZ_ARENA, 4096); /* the hole after it */
	return a;
}

static void native_worker(int slot, uint64_t seed, uint64_t budget)
{
	struct fz f;
	pid_t self = getpid();
	char *arena = map_arena();
	if (!arena)
		_exit(2);
	fz_init(&f, seed, arena);
	for (uint64_t i = 1; i <= budget; i++) {
		int k = (int)fz_below(&f, NCALLS);
		if (!fz_chance(&f, keep_percent(native_calls[k].nr)))
			k = 4; /* getpid */
		const struct fz_call *c = &native_calls[k];
		uint64_t a[FZ_ARGS];
		fz_args(&f, c, a, PROGRESS_FD);
		sanitize(&f, c->nr, a, self);
		doing[slot].nr = c->nr;
		memcpy(doing[slot].a, a, sizeof(a));
		uint64_t t0 = now_ns();
		long r = sc_syscall(c->nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3],
		                    (long)a[4], (long)a[5]);
		after_call(c->nr, r, a, self, arena);
		times[k].ns += now_ns() - t0;
		times[k].n++;
		if (i % CALLS_PER_TICK == 0) {
			sc_syscall(SYS_write, PROGRESS_FD, (long)"x", 1, 0, 0, 0);
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
		}
		if (i % 4096 == 0)
			fz_refresh(&f);
	}
	_exit(0);
}

/* ------------------------------------------------------------ manager */

/* The child side of a start: session, namespace, directory, descriptors. */
static void enter_worker(int slot, int pw, uint64_t seed, uint64_t budget)
{
	char dir[128], sseed[24], sbudget[24];
	snprintf(dir, sizeof(dir), "%s/w%d", run.dir, slot);
	setsid();
	mkdir(dir, 0755);
	if (chdir(dir) < 0)
		_exit(3);
	int null = open("/dev/null", O_RDWR);
	for (int h = 0; h < 3; h++)
		dup2(null, h);
	bool xv6 = strcmp(run.abi, "xv6") == 0;
	int pfd = xv6 ? 15 : PROGRESS_FD;
	dup2(pw, pfd);
	for (int h = 3; h < 64; h++)
		if (h != pfd)
			close(h);
	if (!xv6) {
		sc_unshare(UNSHARE_NS);
		native_worker(slot, seed, budget);
	}
	snprintf(sseed, sizeof(sseed), "%llu", (unsigned long long)seed);
	snprintf(sbudget, sizeof(sbudget), "%llu", (unsigned long long)budget);
	execv(XV6_WORKER, (char *[]){"fuzz6", sseed, sbudget, NULL});
	_exit(4);
}

static void start(struct worker *w, int slot)
{
	int p[2];
	uint64_t seed = run.seed * 1000 + run.started++;
	uint64_t budget = 50000;
	if (pipe(p) < 0) {
		perror("fuzz: pipe");
		exit(1);
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		enter_worker(slot, p[1], seed, budget);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		w->pid = 0;
		return;
	}
	sc_syscall(SYS_hctl, p[0], HCTL_SETFL, O_NONBLOCK, 0, 0, 0);
	w->pid = pid;
	w->pipe = p[0];
	w->last_ns = now_ns();
}

/* Counts the progress bytes a worker sent. */
static void collect(struct worker *w)
{
	char buf[256];
	ssize_t n;
	while ((n = read(w->pipe, buf, sizeof(buf))) > 0) {
		run.calls += (uint64_t)n * CALLS_PER_TICK;
		w->last_ns = now_ns();
	}
}

static void account(int status)
{
	if (WIFSIGNALED(status)) {
		run.signalled++;
		run.by_signal[WTERMSIG(status) & 63]++;
	} else {
		run.exited++;
	}
}

static void finish(struct worker *w)
{
	collect(w);
	close(w->pipe);
	w->pid = 0;
}

static const char *call_name(long nr)
{
	for (int i = 0; i < NCALLS; i++)
		if (native_calls[i].nr == nr)
			return native_calls[i].name;
	return "unknown";
}

static void report_stuck(int slot, pid_t pid)
{
	const struct doing *d = &doing[slot];
	if (strcmp(run.abi, "native") != 0) {
		printf("fuzz: worker %d (pid %d) made no progress; killed\n", slot, pid);
		return;
	}
	printf("fuzz: worker %d (pid %d) stuck in %s(%#llx, %#llx, %#llx, %#llx); killed\n", slot,
	       pid, call_name(d->nr), (unsigned long long)d->a[0], (unsigned long long)d->a[1],
	       (unsigned long long)d->a[2], (unsigned long long)d->a[3]);
}

/* Reaps ended workers; kills the ones with no progress for too long. */
static void tend(struct worker *ws)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int i = 0; i < run.procs; i++) {
			if (ws[i].pid == pid) {
				account(status);
				finish(&ws[i]);
			}
		}
	}
	for (int i = 0; i < run.procs; i++) {
		if (!ws[i].pid)
			continue;
		collect(&ws[i]);
		if (now_ns() - ws[i].last_ns > (uint64_t)run.timeout_s * 1000000000ull) {
			report_stuck(i, ws[i].pid);
			kill(ws[i].pid, SIGKILL);
			run.stuck++;
			ws[i].last_ns = now_ns(); /* reaped by a later tend */
		}
	}
}

static void stop_all(struct worker *ws)
{
	for (int i = 0; i < run.procs; i++)
		if (ws[i].pid)
			kill(ws[i].pid, SIGKILL);
	for (int i = 0; i < run.procs; i++) {
		int status;
		if (ws[i].pid && waitpid(ws[i].pid, &status, 0) == ws[i].pid)
			finish(&ws[i]);
	}
}

/* Free pages once the caches are dropped (when the kernel can). */
static uint64_t free_pages(void)
{
	struct sc_meminfo m;
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	sync();
	if (fd >= 0) {
		write(fd, "3\n", 2);
		close(fd);
	}
	if (sc_meminfo(&m) < 0)
		return 0;
	return m.free / m.page_size;
}

/* rm -rf dir: what the workers left (their namespaces are gone). */
static void remove_tree(const char *dir)
{
	pid_t pid = fork();
	if (pid == 0) {
		execv("/system/scarlet/bin/rm", (char *[]){"rm", "-rf", (char *)dir, NULL});
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void print_times(void)
{
	for (int i = 0; i < NCALLS; i++)
		if (times[i].n)
			printf("fuzz %s: %-10s %8llu calls %10llu us total %8llu us each\n",
			       run.abi, native_calls[i].name, (unsigned long long)times[i].n,
			       (unsigned long long)times[i].ns / 1000,
			       (unsigned long long)(times[i].ns / times[i].n / 1000));
}

static int usage(void)
{
	fprintf(stderr, "usage: fuzz [-a native|xv6] [-p PROCS] [-n CALLS] [-s SEED] [-d DIR] "
	                "[-t SECS] [-v]\n");
	return 2;
}

static int parse(int argc, char **argv)
{
	int c;
	while ((c = getopt(argc, argv, "a:p:n:s:d:t:v")) != -1) {
		switch (c) {
		case 'a':
			run.abi = optarg;
			break;
		case 'p':
			run.procs = atoi(optarg);
			break;
		case 'n':
			run.target = strtoull(optarg, NULL, 10);
			break;
		case 's':
			run.seed = strtoull(optarg, NULL, 10);
			break;
		case 'd':
			run.dir = optarg;
			break;
		case 't':
			run.timeout_s = atoi(optarg);
			break;
		case 'v':
			run.verbose = true;
			break;
		default:
			return -1;
		}
	}
	if (run.procs < 1 || run.procs > MAX_PROCS || run.timeout_s < 1 ||
	    (strcmp(run.abi, "native") != 0 && strcmp(run.abi, "xv6") != 0))
		return -1;
	return 0;
}

static void report(const char *what, uint64_t t0)
{
	uint64_t s = (now_ns() - t0) / 1000000000ull;
	printf(
	    "fuzz %s: %s %llu calls in %llu s, %llu workers (%llu ended by a signal, %llu exited, "
	    "%llu stuck and killed)\n",
	    run.abi, what, (unsigned long long)run.calls, (unsigned long long)s,
	    (unsigned long long)run.started, (unsigned long long)run.signalled,
	    (unsigned long long)run.exited, (unsigned long long)run.stuck);
}

int main(int argc, char **argv)
{
	struct worker ws[MAX_PROCS] = {0};
	if (parse(argc, argv) < 0)
		return usage();
	mkdir(run.dir, 0755);
	doing = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (doing == MAP_FAILED) {
		perror("fuzz: mmap");
		return 1;
	}
	times = (struct call_time *)((char *)doing + 4096);
	struct fz_tree names = {0};
	if (fz_tree_raw_view() < 0)
		perror("fuzz: a view of the root without its mounts");
	fz_tree_scan(&names);
	uint64_t before = free_pages(), t0 = now_ns(), shown = t0;
	printf("fuzz %s: seed %llu, %d workers, %llu calls; free pages before %llu\n", run.abi,
	       (unsigned long long)run.seed, run.procs, (unsigned long long)run.target,
	       (unsigned long long)before);
	while (run.calls < run.target) {
		for (int i = 0; i < run.procs; i++)
			if (!ws[i].pid)
				start(&ws[i], i);
		usleep(20000);
		tend(ws);
		if (now_ns() - shown > 5000000000ull) {
			report("progress", t0);
			shown = now_ns();
		}
	}
	stop_all(ws);
	report("done", t0);
	for (int s = 1; s < 65; s++)
		if (run.by_signal[s])
			printf("fuzz %s: %llu workers ended by signal %d\n", run.abi,
			       (unsigned long long)run.by_signal[s], s);
	if (run.verbose)
		print_times();
	remove_tree(run.dir);
	printf("fuzz %s: removed %u names the workers made outside %s\n", run.abi,
	       fz_tree_prune(&names, remove_tree), run.dir);
	printf("fuzz %s: free pages before %llu after %llu\n", run.abi, (unsigned long long)before,
	       (unsigned long long)free_pages());
	return 0;
}
