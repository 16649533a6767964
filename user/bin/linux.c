/*
 * linux [command [args...]]: enters the Linux environment.  With no
 * arguments, starts BusyBox ash as an interactive login shell (so it reads
 * /etc/profile of the Linux tree); with arguments, runs them as one
 * command line with `sh -c`.  The executor sees a Linux binary and moves
 * the shell into the Linux environment (its / is the Linux tree, the
 * global tree is at /scarlet).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINUX_SH   "/system/linux-riscv64/bin/sh"
#define LINUX_PATH "/usr/sbin:/usr/bin:/sbin:/bin"
#define MAX_LINE   4096

/* Joins argv[1..] with spaces, as a shell would join the words of "$*". */
static int join_args(int argc, char **argv, char *line, size_t size)
{
	size_t len = 0, n;

	for (int i = 1; i < argc; i++) {
		n = strlen(argv[i]);
		if (len + n + 2 > size)
			return -1;
		if (i > 1)
			line[len++] = ' ';
		memcpy(line + len, argv[i], n);
		len += n;
	}
	line[len] = '\0';
	return 0;
}

int main(int argc, char **argv)
{
	static char line[MAX_LINE];
	char *login_argv[] = {"sh", "-l", NULL};
	char *cmd_argv[] = {"sh", "-c", line, NULL};
	char **sh_argv = login_argv;

	if (argc > 1) {
		if (join_args(argc, argv, line, sizeof line) < 0) {
			fprintf(stderr, "linux: command line longer than %d bytes\n", MAX_LINE - 1);
			return 2;
		}
		sh_argv = cmd_argv;
	}
	/* the native PATH names native directories; ash's login profile sets
	 * this too, but `sh -c` reads no profile */
	setenv("PATH", LINUX_PATH, 1);
	setenv("SHELL", "/bin/sh", 1);
	execve(LINUX_SH, sh_argv, environ);
	fprintf(stderr, "linux: %s: %s\n", LINUX_SH, strerror(errno));
	return 127;
}
