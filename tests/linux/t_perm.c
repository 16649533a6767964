/*
 * Users and permissions: the set*id calls and their EPERM rules, groups,
 * fs ids, capget, and file permission checks made by forked children
 * that drop from root to uid/gid 1000 (groups {100}): open, create,
 * remove in sticky directories, chmod/chown/utimes, search permission,
 * exec, access() with real and effective ids, set-group-ID directories,
 * kill between users, and a set-user-ID root helper (suidprobe).
 *
 * Runs as root in a scratch directory (made searchable by everyone), on
 * whatever filesystem that is: tmpfs, ext2, the host's.  With argument
 * "fat" it checks what a FAT mount gives instead (no owners on disk).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

#define USER  1000
#define GROUP 1000
#define EXTRA 100 /* the user's supplementary group */

/* Counts of the checks made in children, added to ours. */
static int *shared_counts;

static void child_report(void)
{
	__atomic_add_fetch(&shared_counts[0], ltest_passed, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&shared_counts[1], ltest_failed, __ATOMIC_SEQ_CST);
	fflush(stdout);
	_exit(0);
}

static void drop_to_user(void)
{
	gid_t groups[] = {EXTRA};
	if (setgroups(1, groups) != 0 || setgid(GROUP) != 0 || setuid(USER) != 0) {
		printf("FAIL: cannot drop to uid %d (errno %d)\n", USER, errno);
		ltest_failed++;
		child_report();
	}
}

/* Runs fn in a child, as the user when drop is set, else as root. */
static void in_child(void (*fn)(void), int drop)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		ltest_passed = ltest_failed = 0;
		if (drop)
			drop_to_user();
		fn();
		child_report();
	}
	int st = -1;
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void make_file(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "data\n", 5), 5);
	close(fd);
	CHECK_EQ(chown(path, uid, gid), 0);
	CHECK_EQ(chmod(path, mode), 0);
}

static void make_dir(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	CHECK_EQ(mkdir(path, 0700), 0);
	CHECK_EQ(chown(path, uid, gid), 0);
	CHECK_EQ(chmod(path, mode), 0);
}

static void setup_tree(void)
{
	umask(022);
	CHECK_EQ(chmod(".", 0755), 0);
	make_file("secret", 0600, 0, 0);
	make_file("public", 0644, 0, 0);
	make_file("shared", 0666, 0, 0);
	make_file("noexec", 0644, 0, 0);
	make_file("userfile", 0644, USER, 0);
	make_dir("rootdir", 0755, 0, 0);
	make_dir("sticky", 01777, 0, 0);
	make_file("sticky/rootfile", 0666, 0, 0);
	make_dir("private", 0700, 0, 0);
	make_file("private/f", 0644, 0, 0);
	make_dir("sgid", 02777, 0, EXTRA);
	make_dir("userdir", 0755, USER, GROUP);
}

/* ---- checks as the user ---- */

static void user_opens(void)
{
	CHECK_ERR(open("secret", O_RDONLY), EACCES);
	int fd = open("public", O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
	CHECK_ERR(open("public", O_WRONLY), EACCES);
	CHECK_ERR(open("public", O_RDONLY | O_TRUNC), EACCES);
	CHECK_ERR(truncate("public", 0), EACCES);
	fd = open("shared", O_RDWR);
	CHECK(fd >= 0);
	close(fd);
	/* search permission on every directory of a path */
	CHECK_ERR(open("private/f", O_RDONLY), EACCES);
	struct stat st;
	CHECK_ERR(stat("private/f", &st), EACCES);
	CHECK_ERR(stat("private/../public/x", &st), EACCES);
	CHECK_ERR(chdir("private"), EACCES);
	CHECK_ERR(open("private", O_RDONLY | O_DIRECTORY), EACCES);
}

static void user_creates(void)
{
	struct stat st;
	CHECK_ERR(open("rootdir/new", O_CREAT | O_WRONLY, 0644), EACCES);
	CHECK_ERR(mkdir("rootdir/d", 0755), EACCES);
	CHECK_ERR(symlink("x", "rootdir/l"), EACCES);
	CHECK_ERR(rename("userfile", "rootdir/userfile"), EACCES);
	CHECK_ERR(rmdir("rootdir"), EACCES);
	CHECK_ERR(unlink("public"), EACCES);
	int fd = open("sticky/mine", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	close(fd);
	CHECK_EQ(stat("sticky/mine", &st), 0);
	CHECK_EQ(st.st_uid, USER);
	CHECK_EQ(st.st_gid, GROUP);
	CHECK_EQ(st.st_mode & 07777, 0644);
	CHECK_ERR(unlink("sticky/rootfile"), EPERM);
	CHECK_ERR(rename("sticky/rootfile", "sticky/moved"), EPERM);
	CHECK_ERR(rename("sticky/mine", "sticky/rootfile"), EPERM);
	CHECK_EQ(rename("sticky/mine", "sticky/mine2"), 0);
	CHECK_EQ(unlink("sticky/mine2"), 0);
	CHECK_ERR(mknod("sticky/null", S_IFCHR | 0666, makedev(1, 3)), EPERM);
	/* in a set-group-ID directory new files take its group */
	CHECK_EQ(mkdir("sgid/d", 0755), 0);
	CHECK_EQ(stat("sgid/d", &st), 0);
	CHECK_EQ(st.st_gid, EXTRA);
	CHECK(st.st_mode & S_ISGID);
	fd = open("sgid/f", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	close(fd);
	CHECK_EQ(stat("sgid/f", &st), 0);
	CHECK_EQ(st.st_gid, EXTRA);
	CHECK_EQ(st.st_uid, USER);
	CHECK(!(st.st_mode & S_ISGID));
}

static void user_attrs(void)
{
	struct stat st;
	CHECK_ERR(chmod("public", 0666), EPERM);
	CHECK_ERR(chown("public", USER, GROUP), EPERM);
	/* S_ISGID is dropped by a chmod from outside the file's group (0) */
	CHECK_EQ(chmod("userfile", 02755), 0);
	CHECK_EQ(stat("userfile", &st), 0);
	CHECK_EQ(st.st_mode & 07777, 0755);
	CHECK_ERR(chown("userfile", 0, -1), EPERM);
	CHECK_ERR(chown("userfile", -1, 5), EPERM); /* not a member of 5 */
	CHECK_EQ(chown("userfile", -1, EXTRA), 0);
	CHECK_EQ(chown("userfile", USER, -1), 0); /* to itself */
	CHECK_EQ(chmod("userfile", 02755), 0);
	CHECK_EQ(stat("userfile", &st), 0);
	CHECK_EQ(st.st_mode & 07777, 02755);
	CHECK_EQ(st.st_gid, EXTRA);
	int fd = open("rootdir/../userdir/own", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	close(fd);
	/* utimes: "now" needs write permission, explicit times ownership */
	struct timespec t[2] = {{1000000, 0}, {1000000, 0}};
	CHECK_ERR(utimensat(AT_FDCWD, "public", NULL, 0), EACCES);
	CHECK_ERR(utimensat(AT_FDCWD, "public", t, 0), EPERM);
	CHECK_EQ(utimensat(AT_FDCWD, "shared", NULL, 0), 0);
	CHECK_ERR(utimensat(AT_FDCWD, "shared", t, 0), EPERM);
	CHECK_EQ(utimensat(AT_FDCWD, "userfile", t, 0), 0);
	CHECK_EQ(stat("userfile", &st), 0);
	CHECK_EQ(st.st_mtime, 1000000);
}

static void user_exec(void)
{
	char *av[] = {"noexec", NULL};
	CHECK_ERR(execve("noexec", av, environ), EACCES);
	CHECK_ERR(execve("rootdir", av, environ), EACCES);
	CHECK_ERR(execve("private/f", av, environ), EACCES);
}

static void user_ids(void)
{
	uid_t r, e, s;
	CHECK_EQ(getuid(), USER);
	CHECK_EQ(geteuid(), USER);
	CHECK_EQ(getgid(), GROUP);
	CHECK_EQ(getegid(), GROUP);
	CHECK_ERR(setuid(0), EPERM);
	CHECK_ERR(seteuid(0), EPERM);
	CHECK_ERR(setresuid(-1, 0, -1), EPERM);
	CHECK_ERR(setreuid(0, -1), EPERM);
	CHECK_ERR(setgid(0), EPERM);
	CHECK_ERR(setresgid(-1, -1, 0), EPERM);
	CHECK_EQ(setuid(USER), 0);
	CHECK_EQ(getresuid(&r, &e, &s), 0);
	CHECK(r == USER && e == USER && s == USER);
	gid_t g[4];
	CHECK_EQ(getgroups(0, NULL), 1);
	CHECK_EQ(getgroups(4, g), 1);
	CHECK_EQ(g[0], EXTRA);
	CHECK_ERR(setgroups(0, NULL), EPERM);
	CHECK_ERR(chroot("."), EPERM);
	CHECK_ERR(mount("none", "userdir", "tmpfs", 0, NULL), EPERM);
	CHECK_ERR(umount2("userdir", 0), EPERM);
	/* setfsuid: only to an id held; returns the old one either way */
	CHECK_EQ(setfsuid(0), USER);
	CHECK_EQ(setfsuid(-1), USER);
	CHECK_ERR(open("secret", O_RDONLY), EACCES);
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	CHECK_EQ(syscall(SYS_capget, &h, d), 0);
	CHECK(d[0].effective == 0 && d[0].permitted == 0 && d[1].effective == 0);
	d[0].effective = d[0].permitted = 1u << CAP_SETUID;
	CHECK_ERR(syscall(SYS_capset, &h, d), EPERM);
}

static void user_kill(void)
{
	CHECK_ERR(kill(getppid(), 0), EPERM);
	CHECK_ERR(kill(1, SIGTERM), EPERM);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK_EQ(kill(pid, 0), 0);
	CHECK_EQ(kill(pid, SIGTERM), 0);
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
}

/* ---- checks as root, on the way down ---- */

static void root_access(void)
{
	/* real uid USER, effective root: access() uses the real one */
	CHECK_EQ(setresgid(GROUP, 0, 0), 0);
	CHECK_EQ(setresuid(USER, 0, 0), 0);
	CHECK_ERR(access("secret", R_OK), EACCES);
	CHECK_EQ(access("public", R_OK), 0);
	CHECK_ERR(access("public", W_OK), EACCES);
	CHECK_ERR(access("private/f", F_OK), EACCES);
	CHECK_EQ(faccessat(AT_FDCWD, "secret", R_OK | W_OK, AT_EACCESS), 0);
	int fd = open("secret", O_RDWR);
	CHECK(fd >= 0);
	close(fd);
	/* and the other way round */
	CHECK_EQ(setresuid(0, USER, 0), 0);
	CHECK_EQ(access("secret", R_OK), 0);
	CHECK_ERR(faccessat(AT_FDCWD, "secret", R_OK, AT_EACCESS), EACCES);
	CHECK_ERR(open("secret", O_RDONLY), EACCES);
	CHECK_EQ(seteuid(0), 0);
	CHECK_EQ(geteuid(), 0);
}

static void root_setres(void)
{
	uid_t r, e, s;
	gid_t g[3];
	gid_t list[] = {EXTRA, 5};
	CHECK_EQ(setgroups(2, list), 0);
	CHECK_EQ(getgroups(0, NULL), 2);
	CHECK_ERR(getgroups(1, g), EINVAL);
	CHECK_EQ(getgroups(3, g), 2);
	CHECK(g[0] == 5 && g[1] == EXTRA); /* sorted, as Linux keeps them */
	CHECK_EQ(setresgid(GROUP, 2000, 3000), 0);
	CHECK_EQ(getresgid(&g[0], &g[1], &g[2]), 0);
	CHECK(g[0] == GROUP && g[1] == 2000 && g[2] == 3000);
	CHECK_EQ(getegid(), 2000);
	CHECK_EQ(setresuid(USER, 2000, 3000), 0);
	CHECK_EQ(getresuid(&r, &e, &s), 0);
	CHECK(r == USER && e == 2000 && s == 3000);
	/* unprivileged now: any permutation of the ids held */
	CHECK_EQ(setresuid(3000, USER, 2000), 0);
	CHECK_EQ(getresuid(&r, &e, &s), 0);
	CHECK(r == 3000 && e == USER && s == 2000);
	CHECK_ERR(setresuid(4000, -1, -1), EPERM);
	CHECK_ERR(setuid(USER + 1), EPERM);
	/* setreuid moves the saved id along with a new real id */
	CHECK_EQ(setreuid(USER, 3000), 0);
	CHECK_EQ(getresuid(&r, &e, &s), 0);
	CHECK(r == USER && e == 3000 && s == 3000);
	CHECK_EQ(setuid(USER), 0); /* to the real id: only the effective moves */
	CHECK_EQ(getresuid(&r, &e, &s), 0);
	CHECK(r == USER && e == USER && s == 3000);
	CHECK_ERR(setgroups(0, NULL), EPERM);
}

static void root_fsuid(void)
{
	struct stat st;
	CHECK_EQ(setfsgid(GROUP), 0);
	CHECK_EQ(setfsuid(USER), 0);
	CHECK_EQ(setfsuid(-1), USER);
	CHECK_EQ(geteuid(), 0);
	CHECK_ERR(open("secret", O_RDONLY), EACCES);
	int fd = open("userdir/byfs", O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	close(fd);
	CHECK_EQ(stat("userdir/byfs", &st), 0);
	CHECK_EQ(st.st_uid, USER);
	CHECK_EQ(st.st_gid, GROUP);
	CHECK_EQ(setfsuid(0), USER);
	fd = open("secret", O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
}

static void root_checks(void)
{
	struct stat st;
	/* root reads and writes regardless of mode, but executes only
	 * what has an execute bit */
	make_file("zero", 0, 0, 0);
	int fd = open("zero", O_RDWR);
	CHECK(fd >= 0);
	close(fd);
	char *av[] = {"noexec", NULL};
	CHECK_ERR(execve("noexec", av, environ), EACCES);
	CHECK_EQ(access("noexec", X_OK), -1);
	CHECK_EQ(access("rootdir", X_OK), 0);
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	CHECK_EQ(syscall(SYS_capget, &h, d), 0);
	CHECK(d[0].effective & (1u << CAP_SETUID));
	CHECK(d[0].effective & (1u << CAP_DAC_OVERRIDE));
	/* an unknown version is answered with the preferred one */
	h.version = 0x1234;
	CHECK_EQ(syscall(SYS_capget, &h, NULL), 0);
	CHECK_EQ(h.version, _LINUX_CAPABILITY_VERSION_3);
	/* umask applies to new files; a chown clears set-user-ID */
	mode_t old = umask(027);
	fd = open("masked", O_CREAT | O_WRONLY, 0666);
	CHECK(fd >= 0);
	close(fd);
	umask(old);
	CHECK_EQ(stat("masked", &st), 0);
	CHECK_EQ(st.st_mode & 07777, 0640);
	CHECK_EQ(chmod("masked", 04755), 0);
	CHECK_EQ(chown("masked", USER, -1), 0);
	CHECK_EQ(stat("masked", &st), 0);
	CHECK_EQ(st.st_mode & 07777, 0755);
	CHECK_EQ(st.st_uid, USER);
}

/* ---- the set-user-ID helper ---- */

static int helper_path(char *buf, size_t n)
{
	ssize_t len = readlink("/proc/self/exe", buf, n - 16);
	if (len <= 0)
		return -1;
	buf[len] = 0;
	char *slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	strcpy(slash + 1, "suidprobe");
	return 0;
}

static void setuid_exec(void)
{
	char path[512], out[128] = "";
	struct stat st;
	if (helper_path(path, sizeof(path)) != 0 || stat(path, &st) != 0) {
		SKIP("no suidprobe helper next to the program");
		return;
	}
	if (!(st.st_mode & S_ISUID) || st.st_uid != 0) {
		SKIP("suidprobe is not installed set-user-ID root here (host build tree)");
		return;
	}
	int p[2];
	CHECK_EQ(pipe(p), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		drop_to_user();
		dup2(p[1], 1);
		char *av[] = {path, NULL};
		execve(path, av, environ);
		_exit(100 + errno);
	}
	close(p[1]);
	ssize_t n, got = 0;
	while ((n = read(p[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += n;
	close(p[0]);
	int wst;
	CHECK_EQ(waitpid(pid, &wst, 0), pid);
	if (WIFEXITED(wst) && WEXITSTATUS(wst) == 100 + ENOEXEC) {
		SKIP("cannot exec riscv64 programs here (no binfmt_misc for qemu-user)");
		return;
	}
	CHECK(WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
	CHECK_STR(out, "1000 0 0 1000 1000 1\n");
}

/* ---- FAT: owners and modes come from the mount options ---- */

static void fat_user(void)
{
	CHECK_ERR(open("fatfile", O_WRONLY), EACCES);
	CHECK_ERR(open("fatdir/new", O_CREAT | O_WRONLY, 0644), EACCES);
	CHECK_ERR(chmod("fatfile", 0777), EPERM);
	CHECK_ERR(chown("fatfile", USER, -1), EPERM);
	int fd = open("fatfile", O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
}

static int fat_checks(void)
{
	struct stat st;
	int fd = open("fatfile", O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	close(fd);
	CHECK_EQ(mkdir("fatdir", 0700), 0);
	CHECK_EQ(stat("fatfile", &st), 0);
	CHECK_EQ(st.st_uid, 0);
	CHECK_EQ(st.st_gid, 0);
	CHECK_EQ(st.st_mode & 0777, 0644); /* Scarlet's fixed FAT modes, not what was asked */
	CHECK_EQ(stat("fatdir", &st), 0);
	CHECK_EQ(st.st_mode & 0777, 0755);
	CHECK_ERR(chown("fatfile", USER, -1), EPERM); /* even root */
	CHECK_EQ(chown("fatfile", 0, 0), 0);
	in_child(fat_user, 1);
	unlink("fatfile");
	rmdir("fatdir");
	return 0;
}

/* setuid in a process with threads: glibc changes the ids of every
 * thread (it signals each one to make the call itself), so each thread's
 * own getuid/geteuid must show the new ids afterwards. */
static volatile int threads_go;
static void *report_ids(void *arg)
{
	long *ids = arg;
	while (!threads_go)
		sched_yield();
	ids[0] = syscall(SYS_getuid);
	ids[1] = syscall(SYS_geteuid);
	ids[2] = syscall(SYS_getgid);
	return NULL;
}

static void threaded_setid(void)
{
	enum { N = 4 };
	pthread_t th[N];
	long ids[N][3];
	threads_go = 0;
	for (int i = 0; i < N; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, report_ids, ids[i]), 0);
	CHECK_EQ(setgid(GROUP), 0);
	CHECK_EQ(setuid(USER), 0);
	threads_go = 1;
	for (int i = 0; i < N; i++) {
		CHECK_EQ(pthread_join(th[i], NULL), 0);
		CHECK_EQ(ids[i][0], USER);
		CHECK_EQ(ids[i][1], USER);
		CHECK_EQ(ids[i][2], GROUP);
	}
	CHECK_ERR(setuid(0), EPERM);
}

int main(int argc, char **argv)
{
	shared_counts = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared_counts == MAP_FAILED || getuid() != 0) {
		printf("t_perm must run as root\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "fat")) {
		fat_checks();
		ltest_passed += shared_counts[0];
		ltest_failed += shared_counts[1];
		return ltest_done("perm_fat");
	}
	setup_tree();
	root_checks();
	in_child(user_opens, 1);
	in_child(user_creates, 1);
	in_child(user_attrs, 1);
	in_child(user_exec, 1);
	in_child(user_ids, 1);
	in_child(user_kill, 1);
	in_child(root_access, 0);
	in_child(root_setres, 0);
	in_child(root_fsuid, 0);
	in_child(threaded_setid, 0);
	setuid_exec();
	ltest_passed += shared_counts[0];
	ltest_failed += shared_counts[1];
	return ltest_done("perm");
}
