/*
 * The new mount API: fsopen/fsconfig/fsmount (a filesystem context, its
 * error messages read back, a detached mount usable through its
 * descriptor and then attached with move_mount), open_tree (O_PATH-like
 * without L_OPEN_TREE_CLONE, a detached copy with it, recursive with
 * AT_RECURSIVE), move_mount of an attached mount, mount_setattr
 * (attributes, propagation, struct sizes, IDMAP without a user
 * namespace), fspick, and Linux's errnos for each.
 *
 * qemu-user (7.2) has none of these calls (ENOSYS): the host runner skips
 * them.  The expectations were checked by building this file natively
 * for the host's own Linux (x86_64, as root) and running it there.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

#define L_FSOPEN_CLOEXEC           1
#define L_FSMOUNT_CLOEXEC          1
#define L_FSCONFIG_SET_FLAG        0
#define L_FSCONFIG_SET_STRING      1
#define L_FSCONFIG_SET_PATH        3
#define L_FSCONFIG_SET_FD          5
#define L_FSCONFIG_CMD_CREATE      6
#define L_FSCONFIG_CMD_RECONFIGURE 7
#define L_MOVE_MOUNT_F_EMPTY_PATH  4
#define L_OPEN_TREE_CLONE          1
#define AT_RECURSIVE_              0x8000
#define MOUNT_ATTR_RDONLY_         0x1
#define MOUNT_ATTR_NOSUID_         0x2
#define MOUNT_ATTR_NODEV_          0x4
#define MOUNT_ATTR_NOEXEC_         0x8
#define MOUNT_ATTR__ATIME_         0x70
#define MOUNT_ATTR_NOATIME_        0x10
#define MOUNT_ATTR_STRICTATIME_    0x20
#define MOUNT_ATTR_IDMAP_          0x100000

struct mattr {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

static long fsopen_(const char *name, unsigned flags)
{
	return syscall(SYS_fsopen, name, flags);
}

static long fsconfig_(int fd, unsigned cmd, const char *key, const void *value, int aux)
{
	return syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}

static long fsmount_(int fd, unsigned flags, unsigned attrs)
{
	return syscall(SYS_fsmount, fd, flags, attrs);
}

static long move_mount_(int fd1, const char *p1, int fd2, const char *p2, unsigned flags)
{
	return syscall(SYS_move_mount, fd1, p1, fd2, p2, flags);
}

static long open_tree_(int dfd, const char *p, unsigned flags)
{
	return syscall(SYS_open_tree, dfd, p, flags);
}

static long setattr_(const char *p, unsigned flags, void *attr, size_t size)
{
	return syscall(SYS_mount_setattr, AT_FDCWD, p, flags, attr, size);
}

static char dir[64];

static void in_child(void (*fn)(void))
{
	pid_t pid = fork();
	if (pid == 0) {
		ltest_passed = ltest_failed = 0;
		CHECK_EQ(unshare(CLONE_NEWNS), 0);
		CHECK_EQ(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
		fn();
		fflush(stdout);
		_exit(ltest_failed ? 1 : 0);
	}
	CHECK(pid > 0);
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void sub(char *out, const char *name)
{
	snprintf(out, 100, "%s/%s", dir, name);
	if (mkdir(out, 0755) < 0 && errno != EEXIST)
		CHECK(0);
}

static int mounted_at(const char *p)
{
	char parent[200];
	struct stat a, b;
	snprintf(parent, sizeof(parent), "%s/..", p);
	if (stat(p, &a) < 0 || stat(parent, &b) < 0)
		return 0;
	return a.st_dev != b.st_dev;
}

/* mountinfo's last line for mount point mp, from the mount options on
 * (the 6th field), into out; 0 if there is none. */
static int info_rest(const char *mp, char *out, size_t n)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char cur[1024];
	int found = 0;
	while (f && fgets(cur, sizeof(cur), f)) {
		char point[256];
		int used = 0;
		if (sscanf(cur, "%*d %*d %*u:%*u %*s %255s %n", point, &used) == 1 &&
		    strcmp(point, mp) == 0) {
			snprintf(out, n, "%s", cur + used);
			found = 1;
		}
	}
	if (f)
		fclose(f);
	return found;
}

/* The next message of a context, without its newline ("" if none). */
static const char *message(int fd)
{
	static char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return buf;
}

static void contexts(void)
{
	int p[2];
	CHECK_ERR(fsopen_("no-such-fs", 0), ENODEV);
	CHECK_ERR(fsopen_("tmpfs", 2), EINVAL);
	int fd = (int)fsopen_("tmpfs", L_FSOPEN_CLOEXEC);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	/* argument checks come before the descriptor is looked at */
	CHECK_ERR(fsconfig_(-1, L_FSCONFIG_CMD_CREATE, NULL, NULL, 0), EINVAL);
	CHECK_ERR(fsconfig_(fd, 99, NULL, NULL, 0), EOPNOTSUPP);
	CHECK_ERR(fsconfig_(fd, L_FSCONFIG_SET_FLAG, "ro", "x", 0), EINVAL);
	CHECK_ERR(fsconfig_(fd, L_FSCONFIG_CMD_CREATE, "x", NULL, 0), EINVAL);
	CHECK_ERR(fsconfig_(999, L_FSCONFIG_CMD_CREATE, NULL, NULL, 0), EBADF);
	CHECK_EQ(pipe(p), 0);
	CHECK_ERR(fsconfig_(p[0], L_FSCONFIG_CMD_CREATE, NULL, NULL, 0), EINVAL);
	/* messages, one a read, then ENODATA */
	CHECK_EQ(fsconfig_(fd, L_FSCONFIG_SET_STRING, "source", "apitest", 0), 0);
	CHECK_ERR(fsconfig_(fd, L_FSCONFIG_SET_STRING, "source", "again", 0), EINVAL);
	CHECK_ERR(fsconfig_(fd, L_FSCONFIG_SET_STRING, "bogus", "1", 0), EINVAL);
	char longer[400];
	memset(longer, 'k', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = 0;
	CHECK_ERR(fsconfig_(fd, L_FSCONFIG_SET_STRING, longer, "1", 0), EINVAL);
	CHECK_ERR(fsconfig_(fd, L_FSCONFIG_SET_STRING, "mode", longer, 0), EINVAL);
	CHECK_ERR(fsopen_(longer, 0), ENODEV);
	CHECK_ERR(fsconfig_(fd, L_FSCONFIG_SET_FD, "source", NULL, p[0]), EINVAL);
	CHECK_ERR(fsconfig_(fd, L_FSCONFIG_SET_PATH, "source", "/", AT_FDCWD), EINVAL);
	CHECK_STR(message(fd), "e Multiple sources");
	CHECK_STR(message(fd), "e tmpfs: Unknown parameter 'bogus'");
	CHECK_STR(message(fd), "e Non-string source");
	CHECK_STR(message(fd), "e Non-string source");
	char c;
	CHECK_ERR(read(fd, &c, 1), ENODATA);
	close(p[0]);
	close(p[1]);
	/* not created yet */
	CHECK_ERR(fsmount_(fd, 0, 0), EINVAL);
	CHECK_EQ(fsconfig_(fd, L_FSCONFIG_SET_FLAG, "ro", NULL, 0), 0);
	CHECK_EQ(fsconfig_(fd, L_FSCONFIG_SET_FLAG, "rw", NULL, 0), 0);
	CHECK_EQ(fsconfig_(fd, L_FSCONFIG_SET_STRING, "mode", "0755", 0), 0);
	CHECK_EQ(fsconfig_(fd, L_FSCONFIG_CMD_CREATE, NULL, NULL, 0), 0);
	CHECK_ERR(fsconfig_(fd, L_FSCONFIG_CMD_CREATE, NULL, NULL, 0), EBUSY);
	CHECK_ERR(fsconfig_(fd, L_FSCONFIG_SET_STRING, "mode", "0755", 0), EBUSY);
	CHECK_ERR(fsmount_(fd, 2, 0), EINVAL);
	CHECK_ERR(fsmount_(fd, 0, 0x40), EINVAL);     /* no such atime mode */
	CHECK_ERR(fsmount_(fd, 0, 0x30), EINVAL);     /* two atime modes */
	CHECK_ERR(fsmount_(fd, 0, 0x400000), EINVAL); /* unknown attribute */
	int m = (int)fsmount_(fd, L_FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV_);
	CHECK(m >= 0);
	CHECK_EQ(fcntl(m, F_GETFD), FD_CLOEXEC);
	CHECK_ERR(fsmount_(fd, 0, 0), EBUSY);
	/* the detached mount works through its descriptor */
	int f = openat(m, "made-detached", O_CREAT | O_WRONLY, 0644);
	CHECK(f >= 0);
	CHECK_EQ(write(f, "hi", 2), 2);
	close(f);
	/* attach it: an empty path needs L_MOVE_MOUNT_F_EMPTY_PATH */
	char a[100], b[100], path[200], rest[512];
	sub(a, "a");
	sub(b, "b");
	CHECK_ERR(move_mount_(m, "", AT_FDCWD, a, 0), ENOENT);
	CHECK_ERR(move_mount_(m, "", AT_FDCWD, a, 0x1000), EINVAL);
	CHECK_EQ(move_mount_(m, "", AT_FDCWD, a, L_MOVE_MOUNT_F_EMPTY_PATH), 0);
	CHECK(mounted_at(a));
	snprintf(path, sizeof(path), "%s/made-detached", a);
	CHECK_EQ(access(path, F_OK), 0);
	CHECK(info_rest(a, rest, sizeof(rest)));
	CHECK(strncmp(rest, "rw,nodev", 8) == 0);
	CHECK(strstr(rest, " - tmpfs apitest ") != NULL);
	/* the descriptor now names an attached mount: moving it moves it */
	CHECK_EQ(move_mount_(m, "", AT_FDCWD, b, L_MOVE_MOUNT_F_EMPTY_PATH), 0);
	CHECK(!mounted_at(a));
	CHECK(mounted_at(b));
	/* and by path, back */
	CHECK_EQ(move_mount_(AT_FDCWD, b, AT_FDCWD, a, 0), 0);
	CHECK(mounted_at(a));
	CHECK(!mounted_at(b));
	/* only a mount's root moves, and not into itself */
	CHECK_ERR(move_mount_(AT_FDCWD, dir, AT_FDCWD, b, 0), EINVAL);
	snprintf(path, sizeof(path), "%s/inner", a);
	CHECK_EQ(mkdir(path, 0755), 0);
	CHECK_ERR(move_mount_(AT_FDCWD, a, AT_FDCWD, path, 0), ELOOP);
	/* the descriptor pins the mount */
	CHECK_ERR(umount(a), EBUSY);
	close(m);
	CHECK_EQ(umount(a), 0);
	close(fd);
}

static void trees(void)
{
	char a[100], b[100], path[200];
	sub(a, "a");
	sub(b, "b");
	CHECK_EQ(mount("tree", a, "tmpfs", 0, NULL), 0);
	snprintf(path, sizeof(path), "%s/inner", a);
	CHECK_EQ(mkdir(path, 0755), 0);
	CHECK_EQ(mount("inner", path, "tmpfs", 0, NULL), 0);
	int f = open(strcat(path, "/in-inner"), O_CREAT | O_WRONLY, 0644);
	CHECK(f >= 0);
	close(f);
	CHECK_ERR(open_tree_(AT_FDCWD, a, AT_RECURSIVE_), EINVAL);
	CHECK_ERR(open_tree_(AT_FDCWD, a, 0x4000), EINVAL);
	/* without L_OPEN_TREE_CLONE: an O_PATH descriptor of the mount */
	int t = (int)open_tree_(AT_FDCWD, a, 0);
	CHECK(t >= 0);
	CHECK_EQ(fcntl(t, F_GETFL) & O_PATH, O_PATH);
	char c;
	CHECK_ERR(read(t, &c, 1), EBADF);
	CHECK_EQ(faccessat(t, "inner/in-inner", F_OK, 0), 0);
	close(t);
	/* a plain clone has no submounts; a recursive one has them */
	t = (int)open_tree_(AT_FDCWD, a, L_OPEN_TREE_CLONE | O_CLOEXEC);
	CHECK(t >= 0);
	CHECK_EQ(fcntl(t, F_GETFD), FD_CLOEXEC);
	CHECK_ERR(faccessat(t, "inner/in-inner", F_OK, 0), ENOENT);
	close(t);
	t = (int)open_tree_(AT_FDCWD, a, L_OPEN_TREE_CLONE | AT_RECURSIVE_);
	CHECK(t >= 0);
	CHECK_EQ(faccessat(t, "inner/in-inner", F_OK, 0), 0);
	/* a file opened through a detached copy outlives its descriptor */
	int keep = openat(t, "inner/in-inner", O_RDWR);
	CHECK(keep >= 0);
	close(t);
	CHECK_EQ(write(keep, "x", 1), 1);
	struct stat st;
	CHECK_EQ(fstat(keep, &st), 0);
	CHECK_EQ(st.st_size, 1);
	close(keep);
	/* attached: the copy and its submount appear at b, same files */
	t = (int)open_tree_(AT_FDCWD, a, L_OPEN_TREE_CLONE | AT_RECURSIVE_);
	CHECK(t >= 0);
	keep = openat(t, "inner/in-inner", O_RDONLY);
	CHECK(keep >= 0);
	CHECK_EQ(move_mount_(t, "", AT_FDCWD, b, L_MOVE_MOUNT_F_EMPTY_PATH), 0);
	close(t);
	snprintf(path, sizeof(path), "%s/inner/in-inner", b);
	CHECK_EQ(stat(path, &st), 0);
	CHECK_EQ(st.st_size, 1);
	snprintf(path, sizeof(path), "%s/inner", b);
	CHECK(mounted_at(path));
	CHECK_ERR(umount(path), EBUSY); /* keep is open in it */
	close(keep);
	CHECK_EQ(umount(path), 0);
	CHECK_EQ(umount(b), 0);
	/* an unbindable mount cannot be cloned */
	CHECK_EQ(mount(NULL, a, NULL, MS_UNBINDABLE, NULL), 0);
	CHECK_ERR(open_tree_(AT_FDCWD, a, L_OPEN_TREE_CLONE), EINVAL);
}

static void attrs(void)
{
	char a[100], rest[512], path[200];
	struct mattr at = {0};
	char big[64] = {0};
	sub(a, "a");
	CHECK_EQ(mount("attrs", a, "tmpfs", 0, NULL), 0);
	CHECK_ERR(setattr_(a, 0, &at, 31), EINVAL);
	CHECK_ERR(setattr_(a, 0, &at, 8192), E2BIG);
	((struct mattr *)big)->attr_set = MOUNT_ATTR_NOSUID_;
	big[40] = 1;
	CHECK_ERR(setattr_(a, 0, big, sizeof(big)), E2BIG);
	big[40] = 0;
	CHECK_EQ(setattr_(a, 0, big, sizeof(big)), 0);
	CHECK_ERR(setattr_(a, 0x10, &at, sizeof(at)), EINVAL);
	at.propagation = MS_SHARED | MS_SLAVE;
	CHECK_ERR(setattr_(a, 0, &at, sizeof(at)), EINVAL);
	at.propagation = 0;
	at.attr_set = MOUNT_ATTR_NOATIME_;
	CHECK_ERR(setattr_(a, 0, &at, sizeof(at)), EINVAL); /* _ATIME not cleared */
	at.attr_set = MOUNT_ATTR_NOATIME_ | MOUNT_ATTR_STRICTATIME_;
	at.attr_clr = MOUNT_ATTR__ATIME_;
	CHECK_ERR(setattr_(a, 0, &at, sizeof(at)), EINVAL);
	at.attr_set = MOUNT_ATTR_IDMAP_;
	at.attr_clr = 0;
	at.userns_fd = 999;
	CHECK_ERR(setattr_(a, 0, &at, sizeof(at)), EBADF);
	at.userns_fd = 0; /* not a user namespace */
	CHECK_ERR(setattr_(a, 0, &at, sizeof(at)), EINVAL);
	at.attr_set = 0;
	at.attr_clr = MOUNT_ATTR_IDMAP_;
	CHECK_ERR(setattr_(a, 0, &at, sizeof(at)), EINVAL);
	at.attr_clr = 0;
	at.attr_set = 0x400;
	CHECK_ERR(setattr_(a, 0, &at, sizeof(at)), EINVAL);
	at.attr_set = MOUNT_ATTR_RDONLY_;
	CHECK_ERR(setattr_(dir, 0, &at, sizeof(at)), EINVAL); /* not a mount point */
	CHECK_ERR(setattr_("/no-such-t_mountapi", 0, &at, sizeof(at)), ENOENT);
	memset(&at, 0, sizeof(at));
	CHECK_EQ(setattr_("/no-such-t_mountapi", 0, &at, sizeof(at)), 0); /* nothing to do */
	/* read-only, noexec, noatime, and shared, in one call */
	at.attr_set = MOUNT_ATTR_RDONLY_ | MOUNT_ATTR_NOEXEC_ | MOUNT_ATTR_NOATIME_;
	at.attr_clr = MOUNT_ATTR__ATIME_;
	at.propagation = MS_SHARED;
	CHECK_EQ(setattr_(a, 0, &at, sizeof(at)), 0);
	CHECK(info_rest(a, rest, sizeof(rest)));
	CHECK(strncmp(rest, "ro,nosuid,noexec,noatime shared:", 32) == 0);
	snprintf(path, sizeof(path), "%s/file", a);
	CHECK_ERR(open(path, O_CREAT | O_WRONLY, 0644), EROFS);
	/* clearing, recursively */
	memset(&at, 0, sizeof(at));
	at.attr_clr = MOUNT_ATTR_RDONLY_ | MOUNT_ATTR_NOSUID_ | MOUNT_ATTR_NOEXEC_;
	at.propagation = MS_PRIVATE;
	CHECK_EQ(setattr_(a, AT_RECURSIVE_, &at, sizeof(at)), 0);
	CHECK(info_rest(a, rest, sizeof(rest)));
	CHECK(strncmp(rest, "rw,noatime - ", 13) == 0);
	snprintf(path, sizeof(path), "%s/file", a);
	int f = open(path, O_CREAT | O_WRONLY, 0644);
	CHECK(f >= 0);
	close(f);
	CHECK_EQ(umount(a), 0);
}

/* The attributes act: noexec (execve EACCES), nodev (opening a device
 * node EACCES), nosymfollow (following a symlink ELOOP, reading it
 * fine); mount(2)'s MS_NOEXEC/MS_NODEV/MS_NOSUID set the same ones. */
static void enforced(void)
{
	char a[100], path[200], link[200], buf[64];
	struct mattr at = {0};
	sub(a, "a");
	CHECK_EQ(mount("enforce", a, "tmpfs", MS_NOSUID | MS_NODEV, NULL), 0);
	CHECK(info_rest(a, path, sizeof(path)));
	CHECK(strncmp(path, "rw,nosuid,nodev", 15) == 0);
	CHECK_EQ(umount(a), 0);
	CHECK_EQ(mount("enforce", a, "tmpfs", 0, NULL), 0);
	/* an executable copy of ourselves, a device node, a symlink */
	snprintf(path, sizeof(path), "%s/prog", a);
	int in = open("/proc/self/exe", O_RDONLY), out = open(path, O_CREAT | O_WRONLY, 0755);
	CHECK(in >= 0 && out >= 0);
	ssize_t n;
	char copy[4096];
	while ((n = read(in, copy, sizeof(copy))) > 0)
		CHECK_EQ(write(out, copy, (size_t)n), n);
	close(in);
	close(out);
	snprintf(path, sizeof(path), "%s/null", a);
	CHECK_EQ(mknod(path, S_IFCHR | 0666, makedev(1, 3)), 0);
	snprintf(link, sizeof(link), "%s/link", a);
	CHECK_EQ(symlink("null", link), 0);
	at.attr_set = MOUNT_ATTR_NOEXEC_ | MOUNT_ATTR_NODEV_ | 0x200000; /* NOSYMFOLLOW */
	CHECK_EQ(setattr_(a, 0, &at, sizeof(at)), 0);
	snprintf(path, sizeof(path), "%s/prog", a);
	char *av[] = {path, "--exec-probe", NULL};
	CHECK_ERR(execv(path, av), EACCES);
	snprintf(path, sizeof(path), "%s/null", a);
	CHECK_ERR(open(path, O_RDONLY), EACCES);
	CHECK_ERR(open(link, O_RDONLY), ELOOP);
	CHECK_EQ(readlink(link, buf, sizeof(buf)), 4);
	memset(&at, 0, sizeof(at));
	at.attr_clr = MOUNT_ATTR_NOEXEC_ | MOUNT_ATTR_NODEV_ | 0x200000;
	CHECK_EQ(setattr_(a, 0, &at, sizeof(at)), 0);
	int fd = open(link, O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
	pid_t pid = fork();
	if (pid == 0) {
		snprintf(path, sizeof(path), "%s/prog", a);
		execv(path, av);
		_exit(99);
	}
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);
	CHECK_EQ(umount(a), 0);
}

/* fspick: a context for a mounted filesystem, reconfigured read-only. */
static void pick(void)
{
	char a[100], path[200];
	sub(a, "a");
	CHECK_EQ(mount("pick", a, "tmpfs", 0, NULL), 0);
	CHECK_ERR(syscall(SYS_fspick, AT_FDCWD, dir, 0), EINVAL); /* not a mount's root */
	int fd = (int)syscall(SYS_fspick, AT_FDCWD, a, 1);
	CHECK(fd >= 0);
	CHECK_EQ(fsconfig_(fd, L_FSCONFIG_SET_FLAG, "ro", NULL, 0), 0);
	CHECK_EQ(fsconfig_(fd, L_FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0), 0);
	snprintf(path, sizeof(path), "%s/file", a);
	CHECK_ERR(open(path, O_CREAT | O_WRONLY, 0644), EROFS);
	CHECK_EQ(fsconfig_(fd, L_FSCONFIG_SET_FLAG, "rw", NULL, 0), 0);
	CHECK_EQ(fsconfig_(fd, L_FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0), 0);
	int f = open(path, O_CREAT | O_WRONLY, 0644);
	CHECK(f >= 0);
	close(f);
	close(fd);
	CHECK_EQ(umount(a), 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--exec-probe") == 0)
		return 42;
	setvbuf(stdout, NULL, _IONBF, 0);
	errno = 0;
	long probe = fsopen_("tmpfs", 0);
	if (probe < 0 && errno == ENOSYS) {
		SKIP("no fsopen (qemu-user lacks the new mount API)");
		return ltest_done("mountapi");
	}
	if (geteuid() != 0) {
		CHECK_ERR(probe, EPERM);
		SKIP("not root: only the EPERM check runs");
		return ltest_done("mountapi");
	}
	close((int)probe);
	snprintf(dir, sizeof(dir), "/tmp/t_mountapi.%d", (int)getpid());
	CHECK_EQ(mkdir(dir, 0755), 0);
	in_child(contexts);
	in_child(trees);
	in_child(attrs);
	in_child(pick);
	in_child(enforced);
	char p[100];
	snprintf(p, sizeof(p), "%s/a", dir);
	CHECK(!mounted_at(p));
	rmdir(p);
	snprintf(p, sizeof(p), "%s/b", dir);
	rmdir(p);
	CHECK_EQ(rmdir(dir), 0);
	return ltest_done("mountapi");
}
