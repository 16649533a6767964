/*
 * init: the first user process (pid 1).
 *
 * Sets up the console as handles 0, 1, 2 and a basic environment, then
 * either
 *   - runs the command given as its arguments (extra boot arguments from
 *     the kernel command line) once and powers the machine off with that
 *     command's exit status: this is how tests run a program as the whole
 *     system; or
 *   - runs the shell, reaps every child (orphans are reparented to init)
 *     and starts a new shell whenever it exits.
 * Before either, it mounts procfs on /proc, then what /etc/fstab lists
 * ("source target type options" per line; options "ro", "bind" and
 * "union"); an entry whose source does not exist (no disk attached) is
 * skipped.  "bind,union" binds the source over a target that is empty,
 * but over a target that already holds files (those of the boot image,
 * from `make run EXTRA=dir`) it mounts an overlay instead, with the
 * target's files as its lower layer and the source as its upper one:
 * they stay visible, and what is written goes to the source.
 * A source "LABEL=name" names the disk whose ext2 superblock carries
 * that volume label (disk names follow slot order, not the QEMU command
 * line, so the Debian root image is found by its label).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <scarlet.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CONSOLE         "/dev/console"
#define SHELL           "/system/scarlet/bin/sh"
#define QUICK_EXIT_NS   1000000000ull /* a shell dying sooner than this ... */
#define QUICK_EXITS_MAX 5             /* ... this many times in a row ... */
#define RESPAWN_PAUSE_S 5             /* ... makes init wait this long */
#define FSTAB           "/etc/fstab"

static bool dir_has_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool any = false;

	if (!d)
		return false;
	while (!any && (e = readdir(d)))
		any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return any;
}

#define EXT2_SB_OFFSET 1024
#define EXT2_MAGIC     0xEF53

/* Finds the disk /dev/vdX whose ext2 volume label is `label`; writes its
 * path into `out`.  Returns false if no disk has it. */
static bool find_label(const char *label, char *out, size_t size)
{
	DIR *d = opendir("/dev");
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		unsigned char sb[136];
		char path[64];
		int fd;

		if (strncmp(e->d_name, "vd", 2) != 0)
			continue;
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		if (lseek(fd, EXT2_SB_OFFSET, SEEK_SET) == EXT2_SB_OFFSET &&
		    read(fd, sb, sizeof(sb)) == (ssize_t)sizeof(sb) &&
		    (sb[56] | sb[57] << 8) == EXT2_MAGIC &&
		    strncmp((char *)sb + 120, label, 16) == 0 && strlen(label) <= 16) {
			snprintf(out, size, "%s", path);
			found = true;
		}
		close(fd);
	}
	closedir(d);
	return found;
}

/* Mounts one fstab entry; fields: source target type options. */
static void mount_entry(char *src, char *target, char *type, char *opts)
{
	unsigned long flags = 0;
	bool do_union = false;
	char data[256];
	char *data_arg = NULL;
	struct stat st;
	char *save, *o;
	char by_label[64];

	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (strcmp(o, "ro") == 0)
			flags |= MS_RDONLY;
		else if (strcmp(o, "bind") == 0)
			flags |= MS_BIND;
		else if (strcmp(o, "union") == 0)
			do_union = true;
	}
	if (strncmp(src, "LABEL=", 6) == 0) {
		if (!find_label(src + 6, by_label, sizeof(by_label)))
			return; /* e.g. no Debian root image attached */
		src = by_label;
	}
	if (stat(src, &st) < 0)
		return; /* e.g. no data disk attached */
	if (do_union && (flags & MS_BIND) && dir_has_entries(target)) {
		snprintf(data, sizeof(data), "lowerdir=%s,upperdir=%s", target, src);
		flags &= ~(unsigned long)MS_BIND;
		type = "overlay";
		data_arg = data;
	}
	if (sc_mount(data_arg ? "overlay" : src, target, flags & MS_BIND ? NULL : type, flags,
	             data_arg) < 0)
		fprintf(stderr, "init: mount %s on %s: %s\n", src, target, strerror(errno));
}

static void mount_proc(void)
{
	if (sc_mount("proc", "/proc", "proc", 0, NULL) < 0)
		fprintf(stderr, "init: mount proc on /proc: %s\n", strerror(errno));
}

static void mount_fstab(void)
{
	FILE *f = fopen(FSTAB, "r");
	char line[256];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *save, *fields[4];
		int n = 0;
		if (line[0] == '#')
			continue;
		for (char *t = strtok_r(line, " \t\n", &save); t && n < 4;
		     t = strtok_r(NULL, " \t\n", &save))
			fields[n++] = t;
		if (n == 4)
			mount_entry(fields[0], fields[1], fields[2], fields[3]);
	}
	fclose(f);
}

static void open_console(void)
{
	if (fcntl(0, F_GETFD) >= 0)
		return;
	for (int h = 0; h < 3; h++) {
		int fd = open(CONSOLE, O_RDWR);
		if (fd < 0)
			return; /* nowhere to report it */
		if (fd != h) {
			dup2(fd, h);
			close(fd);
		}
	}
}

static int exit_code(int ws)
{
	return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
}

/* Reaps children until `pid` ends; returns its wait status. */
static int wait_for(pid_t pid)
{
	int ws = 0;
	for (;;) {
		pid_t r = wait(&ws);
		if (r == pid)
			return ws;
		if (r < 0 && errno != EINTR)
			return W_EXITCODE(127, 0);
	}
}

/* Forks and execs argv in the child with default signal dispositions. */
static pid_t spawn(char **argv)
{
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL_H);
		signal(SIGTERM, SIG_DFL_H);
		execvp(argv[0], argv);
		dprintf(2, "init: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		dprintf(2, "init: fork: %s\n", strerror(errno));
	return pid;
}

/* Test mode: run one command as the whole system, then power off. */
static void run_once(char **argv)
{
	pid_t pid = spawn(argv);
	int code = pid < 0 ? 127 : exit_code(wait_for(pid));
	sc_poweroff(code);
}

static void run_shell_forever(void)
{
	char *argv[] = {"sh", NULL};
	int quick = 0;
	for (;;) {
		uint64_t start = sc_clock_ns(CLOCK_MONOTONIC);
		pid_t pid = fork();
		if (pid == 0) {
			signal(SIGINT, SIG_DFL_H);
			signal(SIGTERM, SIG_DFL_H);
			execv(SHELL, argv);
			dprintf(2, "init: %s: %s\n", SHELL, strerror(errno));
			_exit(127);
		}
		int code = 127;
		if (pid > 0)
			code = exit_code(wait_for(pid));
		else
			dprintf(2, "init: fork: %s\n", strerror(errno));
		dprintf(2, "init: shell exited with status %d, restarting\n", code);
		if (sc_clock_ns(CLOCK_MONOTONIC) - start < QUICK_EXIT_NS)
			quick++;
		else
			quick = 0;
		if (quick >= QUICK_EXITS_MAX) {
			sleep(RESPAWN_PAUSE_S);
			quick = 0;
		}
	}
}

int main(int argc, char **argv)
{
	open_console();
	setenv("PATH", "/system/scarlet/bin:/bin", 1);
	setenv("HOME", "/home", 1);
	setenv("TERM", "vt100", 1);
	signal(SIGINT, SIG_IGN_H);
	signal(SIGTERM, SIG_IGN_H);
	mount_proc();
	mount_fstab();
	if (argc > 1)
		run_once(argv + 1);
	run_shell_forever();
	return 0;
}
