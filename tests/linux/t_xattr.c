/*
 * Extended attributes: set/get/list/remove in their path, l* and f*
 * forms; XATTR_CREATE/REPLACE, ERANGE and size-0 queries, name and size
 * limits, namespaces (user.* only on regular files and directories,
 * trusted.* for root only and hidden from others, security.* written by
 * root), permissions of an ordinary user.  Runs in argv[1] (default: the
 * current directory); where the filesystem has no user attributes at all
 * (some hosts' /tmp) the checks that need them are skipped out loud.
 * Leaves ./xattr-keep behind with user.keep and trusted.keep for the
 * ext2 integration test to find with debugfs.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "ltest.h"

#define TMPFS_MAGIC 0x01021994
#define NOBODY      65534

static char dir[512];

static const char *at(const char *name)
{
	static char buf[4][600];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static void make_file(const char *path, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
	CHECK(fd >= 0);
	close(fd);
	chmod(path, mode);
}

/* Does list (len bytes) hold name? */
static int listed(const char *list, ssize_t len, const char *name)
{
	for (ssize_t i = 0; i < len; i += (ssize_t)strlen(list + i) + 1)
		if (strcmp(list + i, name) == 0)
			return 1;
	return 0;
}

static void test_basic(void)
{
	const char *f = at("xa-basic");
	char buf[64], list[256];
	make_file(f, 0644);

	CHECK_EQ(setxattr(f, "user.a", "hello", 5, 0), 0);
	CHECK_EQ(getxattr(f, "user.a", NULL, 0), 5);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(getxattr(f, "user.a", buf, sizeof(buf)), 5);
	CHECK_STR(buf, "hello");
	CHECK_ERR(getxattr(f, "user.a", buf, 2), ERANGE);
	CHECK_ERR(getxattr(f, "user.none", buf, sizeof(buf)), ENODATA);
	/* create and replace */
	CHECK_ERR(setxattr(f, "user.a", "x", 1, XATTR_CREATE), EEXIST);
	CHECK_ERR(setxattr(f, "user.b", "x", 1, XATTR_REPLACE), ENODATA);
	CHECK_ERR(setxattr(f, "user.a", "x", 1, XATTR_CREATE | XATTR_REPLACE), EEXIST);
	CHECK_ERR(setxattr(f, "user.b", "x", 1, XATTR_CREATE | XATTR_REPLACE), ENODATA);
	CHECK_EQ(setxattr(f, "user.a", "bye", 3, XATTR_REPLACE), 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(getxattr(f, "user.a", buf, sizeof(buf)), 3);
	CHECK_STR(buf, "bye");
	CHECK_EQ(setxattr(f, "user.b", "", 0, XATTR_CREATE), 0); /* an empty value */
	CHECK_EQ(getxattr(f, "user.b", buf, sizeof(buf)), 0);
	CHECK_EQ(getxattr(f, "user.b", NULL, 0), 0);
	/* lists */
	ssize_t need = listxattr(f, NULL, 0);
	CHECK(need >= 14); /* "user.a\0user.b\0" and whatever the system adds */
	ssize_t got = listxattr(f, list, sizeof(list));
	CHECK_EQ(got, need);
	CHECK(listed(list, got, "user.a"));
	CHECK(listed(list, got, "user.b"));
	CHECK_ERR(listxattr(f, list, 3), ERANGE);
	/* remove */
	CHECK_EQ(removexattr(f, "user.a"), 0);
	CHECK_ERR(removexattr(f, "user.a"), ENODATA);
	CHECK_ERR(getxattr(f, "user.a", buf, sizeof(buf)), ENODATA);
	got = listxattr(f, list, sizeof(list));
	CHECK(got >= 7 && !listed(list, got, "user.a") && listed(list, got, "user.b"));
	/* a missing file */
	CHECK_ERR(getxattr(at("xa-missing"), "user.a", buf, sizeof(buf)), ENOENT);
	CHECK_ERR(setxattr(at("xa-missing"), "user.a", "1", 1, 0), ENOENT);
	/* several values keep apart */
	for (int i = 0; i < 10; i++) {
		char name[32], val[32];
		snprintf(name, sizeof(name), "user.n%d", i);
		snprintf(val, sizeof(val), "value-%d-%s", i, i % 2 ? "odd" : "even");
		CHECK_EQ(setxattr(f, name, val, strlen(val), 0), 0);
	}
	for (int i = 9; i >= 0; i--) {
		char name[32], val[32];
		snprintf(name, sizeof(name), "user.n%d", i);
		snprintf(val, sizeof(val), "value-%d-%s", i, i % 2 ? "odd" : "even");
		memset(buf, 0, sizeof(buf));
		CHECK_EQ(getxattr(f, name, buf, sizeof(buf)), (long)strlen(val));
		CHECK_STR(buf, val);
	}
	CHECK_EQ(unlink(f), 0);
}

static void test_names_and_sizes(void)
{
	const char *f = at("xa-names");
	char name[300], buf[16];
	struct statfs sf;
	make_file(f, 0644);

	CHECK_ERR(setxattr(f, "", "1", 1, 0), ERANGE);
	CHECK_ERR(getxattr(f, "", buf, sizeof(buf)), ERANGE);
	memset(name, 'n', sizeof(name));
	memcpy(name, "user.", 5);
	name[256] = 0; /* 256 bytes: one too many */
	CHECK_ERR(setxattr(f, name, "1", 1, 0), ERANGE);
	CHECK_ERR(getxattr(f, name, buf, sizeof(buf)), ERANGE);
	CHECK_ERR(removexattr(f, name), ERANGE);
	name[255] = 0; /* the longest name */
	CHECK_EQ(setxattr(f, name, "1", 1, 0), 0);
	CHECK_EQ(getxattr(f, name, buf, sizeof(buf)), 1);
	CHECK_EQ(removexattr(f, name), 0);
	/* namespaces */
	CHECK_ERR(setxattr(f, "foo.bar", "1", 1, 0), EOPNOTSUPP);
	CHECK_ERR(getxattr(f, "foo.bar", buf, sizeof(buf)), EOPNOTSUPP);
	CHECK_ERR(removexattr(f, "foo.bar"), EOPNOTSUPP);
	CHECK_ERR(setxattr(f, "user", "1", 1, 0), EOPNOTSUPP);
	CHECK_ERR(setxattr(f, "user.", "1", 1, 0), EINVAL);
	CHECK_ERR(getxattr(f, "user.", buf, sizeof(buf)), EINVAL);
	/* flags and sizes */
	CHECK_ERR(setxattr(f, "user.a", "1", 1, 4), EINVAL);
	char *big = calloc(1, 200000);
	CHECK_ERR(setxattr(f, "user.big", big, 65537, 0), E2BIG);
	CHECK_EQ(setxattr(f, "user.mid", big, 800, 0), 0); /* fits a 1 KiB block */
	memset(big, 1, 800);
	CHECK_EQ(getxattr(f, "user.mid", big, 200000), 800); /* a buffer over 64 KiB */
	CHECK_EQ(big[799], 0);
	CHECK_EQ(removexattr(f, "user.mid"), 0);
	if (statfs(dir, &sf) == 0 && sf.f_type == TMPFS_MAGIC) {
		memset(big, 'v', 65536);
		CHECK_EQ(setxattr(f, "user.max", big, 65536, 0), 0);
		CHECK_EQ(getxattr(f, "user.max", NULL, 0), 65536);
		CHECK_ERR(getxattr(f, "user.max", big, 100), ERANGE);
		memset(big, 0, 65536);
		CHECK_EQ(getxattr(f, "user.max", big, 65536), 65536);
		CHECK_EQ(big[65535], 'v');
	}
	free(big);
	CHECK_EQ(unlink(f), 0);
}

static void test_fd_forms(void)
{
	const char *f = at("xa-fd");
	char buf[16], list[64];
	make_file(f, 0644);
	int fd = open(f, O_RDONLY);
	CHECK(fd >= 0);

	CHECK_EQ(fsetxattr(fd, "user.f", "fd", 2, 0), 0);
	CHECK_EQ(fgetxattr(fd, "user.f", buf, sizeof(buf)), 2);
	CHECK_EQ(getxattr(f, "user.f", buf, sizeof(buf)), 2);
	CHECK(listed(list, flistxattr(fd, list, sizeof(list)), "user.f"));
	CHECK_EQ(fremovexattr(fd, "user.f"), 0);
	CHECK_ERR(fgetxattr(fd, "user.f", buf, sizeof(buf)), ENODATA);
	CHECK_ERR(fgetxattr(-1, "user.f", buf, sizeof(buf)), EBADF);
	CHECK_ERR(fsetxattr(999, "user.f", "1", 1, 0), EBADF);
	int pfd = open(f, O_PATH);
	CHECK(pfd >= 0);
	CHECK_ERR(fgetxattr(pfd, "user.f", buf, sizeof(buf)), EBADF);
	CHECK_ERR(fsetxattr(pfd, "user.f", "1", 1, 0), EBADF);
	close(pfd);
	close(fd);
	/* an unlinked file keeps its attributes while open */
	fd = open(f, O_RDWR);
	CHECK_EQ(fsetxattr(fd, "user.g", "gone", 4, 0), 0);
	CHECK_EQ(unlink(f), 0);
	CHECK_EQ(fgetxattr(fd, "user.g", buf, sizeof(buf)), 4);
	close(fd);
}

static void test_kinds(void)
{
	const char *f = at("xa-target"), *l = at("xa-link"), *d = at("xa-dir"), *p = at("xa-fifo");
	char buf[16];
	make_file(f, 0644);
	unlink(l);
	rmdir(d);
	unlink(p);
	CHECK_EQ(symlink("xa-target", l), 0);
	/* through the link: the target's */
	CHECK_EQ(setxattr(l, "user.via", "t", 1, 0), 0);
	CHECK_EQ(getxattr(f, "user.via", buf, sizeof(buf)), 1);
	/* the link itself: no user attributes */
	CHECK_ERR(lsetxattr(l, "user.x", "1", 1, 0), EPERM);
	CHECK_ERR(lgetxattr(l, "user.via", buf, sizeof(buf)), ENODATA);
	CHECK_ERR(lremovexattr(l, "user.via"), EPERM);
	CHECK_EQ(lgetxattr(f, "user.via", buf, sizeof(buf)), 1); /* l* of a file */
	/* directories have them */
	CHECK_EQ(mkdir(d, 0755), 0);
	CHECK_EQ(setxattr(d, "user.d", "dir", 3, 0), 0);
	CHECK_EQ(getxattr(d, "user.d", buf, sizeof(buf)), 3);
	/* FIFOs do not */
	CHECK_EQ(mkfifo(p, 0666), 0);
	CHECK_ERR(setxattr(p, "user.x", "1", 1, 0), EPERM);
	CHECK_ERR(getxattr(p, "user.x", buf, sizeof(buf)), ENODATA);
	CHECK_EQ(unlink(p), 0);
	CHECK_EQ(unlink(l), 0);
	CHECK_EQ(unlink(f), 0);
	CHECK_EQ(rmdir(d), 0);
}

/* What an ordinary user may do; runs in a child that became
 * nobody, inside xa-priv. */
static void as_nobody(void)
{
	char buf[16], list[256];
	/* from inside: the test's directory may be closed to others */
	if (chdir(at("xa-priv")) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0) {
		printf("FAIL: cannot become nobody\n");
		exit(2);
	}
	/* trusted.*: not readable, not writable, not listed */
	CHECK_ERR(getxattr("xa-root", "trusted.t", buf, sizeof(buf)), ENODATA);
	CHECK_ERR(setxattr("xa-open", "trusted.t", "1", 1, 0), EPERM);
	CHECK_ERR(removexattr("xa-root", "trusted.t"), EPERM);
	ssize_t n = listxattr("xa-root", list, sizeof(list));
	CHECK(n >= 0 && !listed(list, n, "trusted.t") && listed(list, n, "user.u"));
	/* security.*: readable, written only by root */
	CHECK_EQ(getxattr("xa-root", "security.s", buf, sizeof(buf)), 3);
	CHECK_ERR(setxattr("xa-open", "security.s", "1", 1, 0), EPERM);
	/* user.*: the file's permissions */
	CHECK_EQ(getxattr("xa-root", "user.u", buf, sizeof(buf)), 2); /* 0644 */
	CHECK_ERR(setxattr("xa-root", "user.u", "1", 1, 0), EACCES);
	CHECK_ERR(removexattr("xa-root", "user.u"), EACCES);
	CHECK_ERR(getxattr("xa-secret", "user.u", buf, sizeof(buf)), EACCES); /* 0600 */
	CHECK_EQ(setxattr("xa-open", "user.o", "1", 1, 0), 0);                /* 0666 */
	CHECK_EQ(removexattr("xa-open", "user.o"), 0);
	/* a sticky directory: only its owner writes, even with write
	 * permission */
	CHECK_ERR(setxattr("xa-sticky", "user.s", "1", 1, 0), EPERM);
	CHECK_ERR(getxattr("xa-sticky", "user.s", buf, sizeof(buf)), ENODATA);
	exit(ltest_failed ? 1 : 0);
}

static void test_privileges(void)
{
	char buf[16], list[256];
	rmdir(at("xa-priv"));
	CHECK_EQ(mkdir(at("xa-priv"), 0755), 0);
	make_file(at("xa-priv/xa-root"), 0644);
	make_file(at("xa-priv/xa-secret"), 0600);
	make_file(at("xa-priv/xa-open"), 0666);
	rmdir(at("xa-priv/xa-sticky"));
	CHECK_EQ(mkdir(at("xa-priv/xa-sticky"), 01777), 0);
	chmod(at("xa-priv/xa-sticky"), 01777);

	CHECK_EQ(setxattr(at("xa-priv/xa-root"), "trusted.t", "tv", 2, 0), 0);
	CHECK_EQ(setxattr(at("xa-priv/xa-root"), "user.u", "uv", 2, 0), 0);
	CHECK_EQ(setxattr(at("xa-priv/xa-secret"), "user.u", "uv", 2, 0), 0);
	CHECK_EQ(getxattr(at("xa-priv/xa-root"), "trusted.t", buf, sizeof(buf)), 2);
	ssize_t n = listxattr(at("xa-priv/xa-root"), list, sizeof(list));
	CHECK(listed(list, n, "trusted.t") && listed(list, n, "user.u"));
	int sec = setxattr(at("xa-priv/xa-root"), "security.s", "sec", 3, 0);
	CHECK_EQ(sec, 0);

	pid_t pid = fork();
	if (pid == 0)
		as_nobody();
	int status = -1;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(status, 0); /* the child's checks passed */

	CHECK_EQ(removexattr(at("xa-priv/xa-root"), "trusted.t"), 0);
	CHECK_EQ(removexattr(at("xa-priv/xa-root"), "security.s"), 0);
	unlink(at("xa-priv/xa-root"));
	unlink(at("xa-priv/xa-secret"));
	unlink(at("xa-priv/xa-open"));
	rmdir(at("xa-priv/xa-sticky"));
	CHECK_EQ(rmdir(at("xa-priv")), 0);
}

/* Left behind for the ext2 test to find on the disk. */
static void leave_keep(void)
{
	const char *f = at("xattr-keep");
	make_file(f, 0644);
	CHECK_EQ(setxattr(f, "user.keep", "value1", 6, 0), 0);
	CHECK_EQ(setxattr(f, "trusted.keep", "tv", 2, 0), 0);
	CHECK_EQ(setxattr(f, "user.a", "first", 5, 0), 0);
}

/* --keep DIR: DIR/xattr-keep (left by an earlier run, maybe before a
 * reboot or below an overlay) still has its attributes, and keeps them
 * when another is added (an overlay copies the file up then). */
static int check_keep(void)
{
	const char *f = at("xattr-keep");
	char buf[16], list[128];
	for (int round = 0; round < 2; round++) {
		memset(buf, 0, sizeof(buf));
		CHECK_EQ(getxattr(f, "user.keep", buf, sizeof(buf)), 6);
		CHECK_STR(buf, "value1");
		memset(buf, 0, sizeof(buf));
		CHECK_EQ(getxattr(f, "trusted.keep", buf, sizeof(buf)), 2);
		CHECK_STR(buf, "tv");
		ssize_t n = listxattr(f, list, sizeof(list));
		CHECK(listed(list, n, "user.keep") && listed(list, n, "user.a") &&
		      listed(list, n, "trusted.keep"));
		if (round == 0)
			CHECK_EQ(setxattr(f, "user.later", "2", 1, 0), 0);
	}
	CHECK_EQ(getxattr(f, "user.later", buf, sizeof(buf)), 1);
	return ltest_done("xattr");
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "--keep") == 0) {
		snprintf(dir, sizeof(dir), "%s", argv[2]);
		return check_keep();
	}
	snprintf(dir, sizeof(dir), "%s", argc > 1 ? argv[1] : ".");
	make_file(at("xa-probe"), 0644);
	int probe = setxattr(at("xa-probe"), "user.probe", "1", 1, 0);
	int probe_errno = errno;
	unlink(at("xa-probe"));
	if (probe < 0 && probe_errno == EOPNOTSUPP) {
		/* some hosts' /tmp: the calls exist, user attributes do not */
		SKIP("no user extended attributes on this filesystem");
		char buf[4];
		CHECK_ERR(getxattr(".", "foo.bar", buf, sizeof(buf)), EOPNOTSUPP);
		return ltest_done("xattr");
	}
	CHECK_EQ(probe, 0);
	test_basic();
	test_names_and_sizes();
	test_fd_forms();
	test_kinds();
	test_privileges();
	leave_keep();
	return ltest_done("xattr");
}
