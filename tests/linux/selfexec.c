/*
 * selfexec [N]: a program that finds itself.  It checks that argv[0]
 * (when it is a path), AT_EXECFN and /proc/self/exe all name this very
 * file as its own environment sees it, then re-executes itself through
 * argv[0] N times.  Prints "selfexec N: ok" per level (or what differs)
 * and exits 0 only when every level was right.  Used by test_executor.py
 * to start a Linux program by a path of the caller's environment (the
 * native shell's /system/linux-riscv64/..., the xv6 shell's /scarlet/...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

int main(int argc, char **argv)
{
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int level = argc > 1 ? atoi(argv[1]) : 0, bad = 0;

	exe[n > 0 ? n : 0] = '\0';
	if (!strchr(argv[0], '/') || !same_file(argv[0], "/proc/self/exe")) {
		printf("selfexec %d: argv[0] %s is not this program\n", level, argv[0]);
		bad = 1;
	}
	if (!execfn || strcmp(execfn, argv[0]) != 0) {
		printf("selfexec %d: AT_EXECFN %s, argv[0] %s\n", level, execfn, argv[0]);
		bad = 1;
	}
	if (n <= 0 || !same_file(exe, argv[0])) {
		printf("selfexec %d: /proc/self/exe is %s\n", level, exe);
		bad = 1;
	}
	if (bad)
		return 1;
	printf("selfexec %d: ok %s\n", level, argv[0]);
	fflush(stdout);
	if (level == 0)
		return 0;
	char next[16];
	snprintf(next, sizeof(next), "%d", level - 1);
	execv(argv[0], (char *[]){argv[0], next, NULL});
	perror("selfexec: execv argv[0]");
	return 1;
}
