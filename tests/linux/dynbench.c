/*
 * dynbench [-q] [name...]: what dynamic linking costs at exec.  Times
 * fork + execve + wait of `true` (static glibc) and of `dyntrue` (the same
 * program, PIE and dynamically linked: ld.so maps libc and relocates both
 * before main), both next to this program, and prints them in lbench's
 * format ("name: X us/op (N ops)"), the dynamic one with its ratio to
 * the static one.  Processes are made
 * with raw system calls, as in lbench.  -q runs 10x fewer iterations;
 * names select benchmarks (others are ignored, so `make bench` can pass
 * the same arguments to every program).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static uint64_t now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Runs path n times; returns ns per run, or 0 (after saying why) when a
 * run failed.  base: the static time to compare with, or 0. */
static uint64_t time_exec(const char *name, const char *path, long n, uint64_t base)
{
	char *argv[] = {(char *)path, NULL};
	uint64_t t = now();
	for (long i = 0; i < n; i++) {
		pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
		if (pid < 0) {
			printf("%s: n/a (clone: %s)\n", name, strerror(errno));
			return 0;
		}
		if (pid == 0) {
			syscall(SYS_execve, path, argv, environ);
			syscall(SYS_exit_group, 127);
		}
		int status = 0;
		if (syscall(SYS_wait4, pid, &status, 0, NULL) != pid || status != 0) {
			printf("%s: n/a (%s: status %#x)\n", name, path, status);
			return 0;
		}
	}
	uint64_t per = (now() - t) / (uint64_t)n;
	printf("%s: %llu.%03llu us/op (%ld ops", name, (unsigned long long)(per / 1000),
	       (unsigned long long)(per % 1000), n);
	if (base)
		printf(", %llu.%02llu x static", (unsigned long long)(per / base),
		       (unsigned long long)(per * 100 / base % 100));
	printf(")\n");
	fflush(stdout);
	return per;
}

/* The directory of this program, with a trailing slash. */
static void own_dir(const char *argv0, char *dir, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", dir, len - 1);
	if (n > 0)
		dir[n] = '\0';
	else
		snprintf(dir, len, "%s", argv0);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		snprintf(dir, len, "./");
}

static int selected(int argc, char **argv, int first, const char *name)
{
	if (first == argc)
		return 1;
	for (int i = first; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int first = 1, divisor = 1;
	if (first < argc && strcmp(argv[first], "-q") == 0) {
		divisor = 10;
		first++;
	}
	char dir[4096], path[4200];
	own_dir(argv[0], dir, sizeof(dir));
	long n = 200 / divisor;
	uint64_t st = 0;
	if (selected(argc, argv, first, "exec_static")) {
		snprintf(path, sizeof(path), "%strue", dir);
		st = time_exec("exec_static", path, n, 0);
	}
	if (selected(argc, argv, first, "exec_dynamic")) {
		snprintf(path, sizeof(path), "%sdyntrue", dir);
		time_exec("exec_dynamic", path, n, st);
	}
	return 0;
}
