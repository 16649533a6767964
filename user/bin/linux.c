/*
 * linux [command [args...]]: enters the Linux environment.  With no
 * arguments, starts BusyBox ash as an interactive login shell (so it reads
 * /etc/profile of the Linux tree); with arguments, runs them as one
 * command line with `sh -c`.  The executor sees a Linux binary and moves
 * the shell into the Linux environment (its / is the Linux tree, the
 * global tree is at /scarlet).
 *
 * When the Linux tree is a Debian root (tools/debian-root.sh: the image is
 * mounted on /system/linux-riscv64, which has /etc/debian_version), the
 * shell is Debian's bash instead, as root's login shell: HOME=/root,
 * USER/LOGNAME root, LANG C.UTF-8 unless set; a login reads /etc/profile
 * and ~/.profile, which set PATH and the prompt.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINUX_SH     "/system/linux-riscv64/bin/sh"
#define DEBIAN_BASH  "/system/linux-riscv64/usr/bin/bash"
#define DEBIAN_MARK  "/system/linux-riscv64/etc/debian_version"
#define DEBIAN_SHELL "/bin/bash"
#define LINUX_PATH   "/usr/sbin:/usr/bin:/sbin:/bin"
#define MAX_LINE     4096

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
	const char *sh = LINUX_SH, *shell = "/bin/sh";

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
	if (access(DEBIAN_MARK, F_OK) == 0 && access(DEBIAN_BASH, X_OK) == 0) {
		sh = DEBIAN_BASH;
		shell = DEBIAN_SHELL;
		login_argv[0] = "-bash"; /* a login shell, as login(1) starts it */
		cmd_argv[0] = "bash";
		setenv("HOME", "/root", 1);
		setenv("USER", "root", 1);
		setenv("LOGNAME", "root", 1);
		setenv("LANG", getenv("LANG") ? getenv("LANG") : "C.UTF-8", 1);
	}
	setenv("SHELL", shell, 1);
	execve(sh, sh_argv, environ);
	fprintf(stderr, "linux: %s: %s\n", sh, strerror(errno));
	return 127;
}
