/*
 * execveat (281) as Linux does it: a path relative to a directory
 * descriptor, AT_EMPTY_PATH on a descriptor (O_RDONLY and O_PATH),
 * AT_SYMLINK_NOFOLLOW (ELOOP on a final symlink), the errors (EINVAL
 * flags, ENOENT, EBADF, ENOTDIR, EACCES) and the name a script's
 * interpreter is given ("/dev/fd/N/NAME").  The program runs itself:
 * "--child CODE" records its argv in ./out and exits with CODE.
 * qemu-user 7.2 lacks execveat: there the checks are skipped out loud
 * unless --beyond-qemu, which Scarlet's test_linux.py and
 * tools/linux-vm.sh use.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

static char self[PATH_MAX], selfdir[PATH_MAX], selfbase[NAME_MAX + 1];
static char *const child_env[] = {"LTEST=1", NULL};

static long execat(int dfd, const char *path, char *const argv[], int flags)
{
	return syscall(SYS_execveat, dfd, path, argv, child_env, flags);
}

/* Runs execveat in a child; its exit status, or -errno if it failed. */
static int run(int dfd, const char *path, char *const argv[], int flags)
{
	pid_t pid = fork();
	if (pid == 0) {
		execat(dfd, path, argv, flags);
		_exit(200 + (errno & 31));
	}
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void read_out(char *buf, size_t n)
{
	buf[0] = 0;
	int fd = open("out", O_RDONLY);
	if (fd < 0)
		return;
	long r = read(fd, buf, n - 1);
	buf[r > 0 ? r : 0] = 0;
	close(fd);
	unlink("out");
}

static void test_run(void)
{
	char *argv[] = {"prog", "--child", "7", NULL};
	char out[512];
	int dfd = open(selfdir, O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0);
	CHECK_EQ(run(dfd, selfbase, argv, 0), 7);
	read_out(out, sizeof(out));
	CHECK_STR(out, "prog --child 7 env=LTEST=1");

	int fd = open(self, O_RDONLY);
	CHECK_EQ(run(fd, "", argv, AT_EMPTY_PATH), 7);
	close(fd);
	fd = open(self, O_PATH);
	CHECK_EQ(run(fd, "", argv, AT_EMPTY_PATH), 7);
	/* an absolute path ignores dirfd, even a bad one */
	CHECK_EQ(run(-1, self, argv, 0), 7);
	CHECK_EQ(run(AT_FDCWD, self, argv, AT_SYMLINK_NOFOLLOW), 7);

	/* symlinks: followed unless AT_SYMLINK_NOFOLLOW */
	CHECK_EQ(symlink(self, "link"), 0);
	CHECK_EQ(run(AT_FDCWD, "link", argv, 0), 7);
	CHECK_ERR(execat(AT_FDCWD, "link", argv, AT_SYMLINK_NOFOLLOW), ELOOP);
	CHECK_EQ(run(fd, "", argv, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW), 7);
	close(fd);

	/* errors */
	CHECK_ERR(execat(dfd, selfbase, argv, 0x2), EINVAL);
	CHECK_ERR(execat(dfd, "", argv, 0), ENOENT);
	CHECK_ERR(execat(dfd, "missing", argv, 0), ENOENT);
	CHECK_ERR(execat(-1, selfbase, argv, 0), EBADF);
	CHECK_ERR(execat(-1, "", argv, AT_EMPTY_PATH), EBADF);
	fd = open(self, O_RDONLY);
	CHECK_ERR(execat(fd, "x", argv, 0), ENOTDIR);
	close(fd);
	CHECK_ERR(execat(dfd, "", argv, AT_EMPTY_PATH), EACCES); /* a directory */
	CHECK_ERR(execat(AT_FDCWD, "", argv, AT_EMPTY_PATH), EACCES);
	fd = open("plain", O_CREAT | O_RDWR, 0644);
	CHECK_EQ(write(fd,
	               "\x7f"
	               "ELF",
	               4),
	         4);
	CHECK_ERR(execat(fd, "", argv, AT_EMPTY_PATH), EACCES); /* no x bit */
	close(fd);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_ERR(execat(p[0], "", argv, AT_EMPTY_PATH), EACCES);
	close(p[0]);
	close(p[1]);
	close(dfd);
}

/* A "#!" script run through a dirfd: the interpreter (this program) gets
 * the script as /dev/fd/N/NAME. */
static void test_script(void)
{
	char text[PATH_MAX + 64], out[512], want[PATH_MAX + 64];
	snprintf(text, sizeof(text), "#!%s --child\n", self);
	int fd = open("s.sh", O_CREAT | O_WRONLY, 0755);
	CHECK_EQ(write(fd, text, strlen(text)), (long)strlen(text));
	close(fd);
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	char *argv[] = {"s.sh", "9", NULL};
	CHECK_EQ(run(dfd, "s.sh", argv, 0), 9);
	read_out(out, sizeof(out));
	snprintf(want, sizeof(want), "%s --child /dev/fd/%d/s.sh 9 env=LTEST=1", self, dfd);
	CHECK_STR(out, want);
	close(dfd);
}

/* The child: "--child CODE" or, as a script's interpreter,
 * "--child SCRIPT CODE". */
static int child(int argc, char **argv)
{
	char buf[PATH_MAX + 512] = "";
	for (int i = 0; i < argc; i++) {
		strcat(buf, i ? " " : "");
		strncat(buf, argv[i], PATH_MAX);
	}
	strcat(buf, " env=");
	strcat(buf, getenv("LTEST") ? "LTEST=1" : "-");
	int fd = open("out", O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (write(fd, buf, strlen(buf)) < 0)
		return 99;
	close(fd);
	return atoi(argv[argc - 1]);
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "--child") == 0)
		return child(argc, argv);
	int beyond_qemu = argc > 1 && strcmp(argv[1], "--beyond-qemu") == 0;
	char *none[] = {"x", NULL};
	errno = 0;
	if (execat(AT_FDCWD, "", none, 0) < 0 && errno == ENOSYS && !beyond_qemu) {
		SKIP("no execveat here (qemu-user 7.2): run with --beyond-qemu on Linux");
		CHECK(1);
		return ltest_done("execveat");
	}
	if (!realpath(argv[0], self)) {
		CHECK(!"realpath of argv[0]");
		return ltest_done("execveat");
	}
	strcpy(selfdir, self);
	strcpy(selfdir, dirname(selfdir));
	char tmp[PATH_MAX];
	strcpy(tmp, self);
	strcpy(selfbase, basename(tmp));
	test_run();
	test_script();
	return ltest_done("execveat");
}
