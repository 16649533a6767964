/*
 * Namespaces for Linux programs: unshare and clone with CLONE_NEWUTS
 * (host and domain names per namespace, seen by uname, gethostname and
 * /proc/sys/kernel/hostname) and CLONE_NEWNS (a private mount tree),
 * unsharing CLONE_FS/FILES/SYSVSEM, Linux's EINVAL and EPERM rules;
 * /proc/PID/ns links ("uts:[N]", the same N as stat's inode number and
 * for every process in the namespace) and setns with their descriptors.
 * Each namespace change happens in a child so the runner's own names and
 * mounts stay as they were.
 *
 * --beyond-qemu: also the clone calls qemu-user refuses (namespace flags,
 * CLONE_FILES without CLONE_VM); Linux's answers are proven with
 * tools/linux-vm.sh.
 * --missing-ns: also check that the namespaces Scarlet lacks (user, net,
 * cgroup, time) fail with EINVAL, as on a Linux built without them;
 * Debian's Linux has them, so the host run leaves this out.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

static int missing_ns, beyond_qemu;

/* Runs fn in a child made by clone(flags | SIGCHLD); the child's exit
 * status is its number of failed checks. */
static void in_child(unsigned long flags, void (*fn)(void))
{
	pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		ltest_passed = ltest_failed = 0;
		fn();
		fflush(stdout);
		_exit(ltest_failed ? 1 : 0);
	}
	CHECK(pid > 0);
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void read_line(const char *path, char *buf, size_t n)
{
	buf[0] = 0;
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	ssize_t r = fd >= 0 ? read(fd, buf, n - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[r > 0 ? r : 0] = 0;
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = 0;
}

static void set_names_here(void)
{
	struct utsname u;
	char buf[80];
	CHECK_EQ(sethostname("ns-test-host", 12), 0);
	CHECK_EQ(setdomainname("ns.example", 10), 0);
	CHECK_EQ(uname(&u), 0);
	CHECK_STR(u.nodename, "ns-test-host");
	CHECK_STR(u.domainname, "ns.example");
	CHECK_EQ(gethostname(buf, sizeof(buf)), 0);
	CHECK_STR(buf, "ns-test-host");
	read_line("/proc/sys/kernel/hostname", buf, sizeof(buf));
	CHECK_STR(buf, "ns-test-host");
	char big[70];
	memset(big, 'a', sizeof(big));
	CHECK_ERR(sethostname(big, 65), EINVAL);
	CHECK_EQ(sethostname(big, 64), 0);
	CHECK_EQ(uname(&u), 0);
	CHECK_EQ(strlen(u.nodename), 64);
	CHECK_EQ(sethostname("", 0), 0);
	CHECK_EQ(uname(&u), 0);
	CHECK_STR(u.nodename, "");
}

static void unshare_uts(void)
{
	CHECK_EQ(unshare(CLONE_NEWUTS), 0);
	set_names_here();
}

static void check_names_kept(const struct utsname *before)
{
	struct utsname u;
	CHECK_EQ(uname(&u), 0);
	CHECK_STR(u.nodename, before->nodename);
	CHECK_STR(u.domainname, before->domainname);
}

/* The grandchild inherits the child's namespace, and its names. */
static void inherit_uts(void)
{
	CHECK_EQ(unshare(CLONE_NEWUTS), 0);
	CHECK_EQ(sethostname("parent-ns", 9), 0);
	pid_t pid = fork();
	if (pid == 0) {
		struct utsname u;
		uname(&u);
		_exit(strcmp(u.nodename, "parent-ns") == 0 && sethostname("child-set", 9) == 0 ? 0
		                                                                               : 1);
	}
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	struct utsname u;
	uname(&u);
	CHECK_STR(u.nodename, "child-set"); /* the same namespace */
}

static char dir[64];

static void private_mount(void)
{
	char path[128];
	CHECK_EQ(unshare(CLONE_NEWNS), 0);
	/* a copied tree keeps the original's propagation: make it private,
	 * as unshare(1) does, so the test mount stays here */
	CHECK_EQ(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	CHECK_EQ(mount("none", dir, "tmpfs", 0, NULL), 0);
	snprintf(path, sizeof(path), "%s/only-here", dir);
	int fd = open(path, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	close(fd);
	CHECK_EQ(access(path, F_OK), 0);
}

static int mountinfo_line(const char *mp, char *line, size_t n, char *root);

/* MS_NOSUID, MS_NODEV, MS_NOEXEC (what unshare --mount-proc mounts
 * /proc with): kept by the mount, shown in mountinfo, enforced. */
static void mount_flags(void)
{
	char path[128], line[1024], root[256];
	CHECK_EQ(unshare(CLONE_NEWNS), 0);
	CHECK_EQ(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	CHECK_EQ(mount("none", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL), 0);
	CHECK(mountinfo_line(dir, line, sizeof(line), root));
	CHECK(strstr(line, " rw,nosuid,nodev,noexec") != NULL);
	snprintf(path, sizeof(path), "%s/script", dir);
	int fd = open(path, O_CREAT | O_WRONLY, 0755);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "#!/bin/sh\nexit 0\n", 17), 17);
	close(fd);
	char *argv[] = {path, NULL};
	CHECK_ERR(execve(path, argv, NULL), EACCES);
	snprintf(path, sizeof(path), "%s/null", dir);
	CHECK_EQ(mknod(path, S_IFCHR | 0666, makedev(1, 3)), 0);
	CHECK_ERR(open(path, O_RDWR), EACCES);
	/* a remount replaces them */
	CHECK_EQ(mount(NULL, dir, NULL, MS_REMOUNT, NULL), 0);
	fd = open(path, O_RDWR);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	CHECK(mountinfo_line(dir, line, sizeof(line), root));
	CHECK(strstr(line, "nosuid") == NULL && strstr(line, "noexec") == NULL);
}

/* Copies /proc/self/mountinfo's last line (the mount on top) whose
 * mount point is mp into line, and its 4th field (the root inside the
 * filesystem) into root; 0 if there is none. */
static int mountinfo_line(const char *mp, char *line, size_t n, char *root)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char cur[1024];
	int found = 0;
	CHECK(f != NULL);
	while (f && fgets(cur, sizeof(cur), f)) {
		char r[256], point[256];
		if (sscanf(cur, "%*d %*d %*u:%*u %255s %255s", r, point) == 2 &&
		    strcmp(point, mp) == 0) {
			strcpy(root, r);
			snprintf(line, n, "%s", cur);
			found = 1;
		}
	}
	if (f)
		fclose(f);
	return found;
}

static void propagation(void)
{
	char a[128], b[128], sub[160], line[1024], root[256];
	CHECK_EQ(unshare(CLONE_NEWNS), 0);
	CHECK_EQ(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	CHECK_EQ(mkdir(a, 0755), 0);
	CHECK_EQ(mkdir(b, 0755), 0);
	CHECK_EQ(mount("proptest", a, "tmpfs", 0, NULL), 0);
	snprintf(sub, sizeof(sub), "%s/sub", a);
	CHECK_EQ(mkdir(sub, 0755), 0);
	/* one propagation type, with MS_REC and MS_SILENT at most */
	CHECK_EQ(mount(NULL, a, NULL, MS_SLAVE, NULL), 0);
	CHECK_EQ(mount(NULL, a, NULL, MS_PRIVATE | MS_REC | MS_SILENT, NULL), 0);
	CHECK_ERR(mount(NULL, a, NULL, MS_PRIVATE | MS_SLAVE, NULL), EINVAL);
	CHECK_ERR(mount(NULL, a, NULL, MS_PRIVATE | MS_NOSUID, NULL), EINVAL);
	CHECK_ERR(mount(NULL, sub, NULL, MS_PRIVATE, NULL), EINVAL); /* not a mount point */
	CHECK_ERR(mount(NULL, "/nonexistent-t_ns", NULL, MS_PRIVATE, NULL), ENOENT);

	CHECK(mountinfo_line(a, line, sizeof(line), root));
	CHECK_STR(root, "/");
	CHECK(strstr(line, " - tmpfs proptest ") != NULL);
	CHECK(strstr(line, "shared:") == NULL && strstr(line, "unbindable") == NULL);

	/* unbindable: no bind of it, shown in mountinfo */
	CHECK_EQ(mount(NULL, a, NULL, MS_UNBINDABLE, NULL), 0);
	CHECK(mountinfo_line(a, line, sizeof(line), root));
	CHECK(strstr(line, " unbindable ") != NULL);
	CHECK_ERR(mount(a, b, NULL, MS_BIND, NULL), EINVAL);
	CHECK_ERR(mount(sub, b, NULL, MS_BIND, NULL), EINVAL);
	CHECK_EQ(mount(NULL, a, NULL, MS_PRIVATE, NULL), 0);
	CHECK(mountinfo_line(a, line, sizeof(line), root));
	CHECK(strstr(line, "unbindable") == NULL);

	/* a bind of a subtree: its root inside the filesystem is the subtree */
	CHECK_EQ(mount(sub, b, NULL, MS_BIND, NULL), 0);
	CHECK(mountinfo_line(b, line, sizeof(line), root));
	CHECK_STR(root, "/sub");
	CHECK_EQ(umount(b), 0);

	/* a recursive bind leaves unbindable submounts out */
	char inner[200], innerfile[220], copy[220];
	snprintf(inner, sizeof(inner), "%s/inner", sub);
	CHECK_EQ(mkdir(inner, 0755), 0);
	CHECK_EQ(mount("none", inner, "tmpfs", 0, NULL), 0);
	snprintf(innerfile, sizeof(innerfile), "%s/f", inner);
	int fd = open(innerfile, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	close(fd);
	CHECK_EQ(mount(NULL, inner, NULL, MS_UNBINDABLE, NULL), 0);
	CHECK_EQ(mount(sub, b, NULL, MS_BIND | MS_REC, NULL), 0);
	snprintf(copy, sizeof(copy), "%s/inner/f", b);
	CHECK_ERR(access(copy, F_OK), ENOENT);
	/* with MS_REC, the mounts below become private too */
	CHECK_EQ(mount(NULL, a, NULL, MS_PRIVATE | MS_REC, NULL), 0);
	CHECK(mountinfo_line(inner, line, sizeof(line), root));
	CHECK(strstr(line, "unbindable") == NULL);
}

static void clone_newns_child(void)
{
	char path[128];
	CHECK_EQ(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	CHECK_EQ(mount("none", dir, "tmpfs", 0, NULL), 0);
	snprintf(path, sizeof(path), "%s/clone-only", dir);
	int fd = open(path, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	close(fd);
}

static void check_mounts_kept(void)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/only-here", dir);
	CHECK_ERR(access(path, F_OK), ENOENT);
	snprintf(path, sizeof(path), "%s/clone-only", dir);
	CHECK_ERR(access(path, F_OK), ENOENT);
	snprintf(path, sizeof(path), "%s/in-new-ns", dir);
	CHECK_ERR(access(path, F_OK), ENOENT);
	/* the directory is still the one on the parent's filesystem */
	snprintf(path, sizeof(path), "%s/a", dir);
	CHECK_EQ(rmdir(path), 0);
	snprintf(path, sizeof(path), "%s/b", dir);
	CHECK_EQ(rmdir(path), 0);
	CHECK_EQ(rmdir(dir), 0);
}

static void unshare_plain(void)
{
	CHECK_EQ(unshare(0), 0);
	CHECK_EQ(unshare(CLONE_FS), 0);
	CHECK_EQ(unshare(CLONE_FILES), 0);
	CHECK_EQ(unshare(CLONE_SYSVSEM), 0);
	CHECK_ERR(unshare(0x1), EINVAL);         /* CSIGNAL bits mean nothing here */
	CHECK_ERR(unshare(CLONE_VFORK), EINVAL); /* not an unshare flag */
}

/* CLONE_FILES unshared: the child's descriptors stop being the
 * parent's. */
static int files_fd = -1;
static int files_child(void *arg)
{
	(void)arg;
	if (unshare(CLONE_FILES) != 0)
		return 2;
	close(files_fd); /* only in the child's own table now */
	return 0;
}

static void unshare_files_shared(void)
{
	static char stack[64 * 1024];
	files_fd = open("/", O_RDONLY | O_DIRECTORY);
	CHECK(files_fd >= 0);
	pid_t pid = clone(files_child, stack + sizeof(stack), CLONE_FILES | SIGCHLD, NULL);
	CHECK(pid > 0);
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(fcntl(files_fd, F_GETFD) >= 0); /* still open in ours */
	close(files_fd);
}

static const char *const ns_names[] = {
    "cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children",
    "user",   "uts"};

/* The number in /proc/PID/ns/NAME's "NAME:[N]", checked against stat's
 * inode number; 0 if something is wrong. */
static unsigned long ns_inum(const char *pid, const char *name)
{
	char path[96], link[64], want[64];
	struct stat st;
	unsigned long n = 0;
	snprintf(path, sizeof(path), "/proc/%s/ns/%s", pid, name);
	ssize_t len = readlink(path, link, sizeof(link) - 1);
	CHECK(len > 0);
	link[len > 0 ? len : 0] = 0;
	/* pid_for_children's text is "pid:[N]", time_for_children's "time:[N]" */
	snprintf(want, sizeof(want), "%.*s:[", (int)strcspn(name, "_"), name);
	CHECK(strncmp(link, want, strlen(want)) == 0);
	n = strtoul(link + strlen(want), NULL, 10);
	CHECK(n > 0 && link[len - 1] == ']');
	CHECK_EQ(stat(path, &st), 0);
	CHECK_EQ(st.st_ino, n);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(lstat(path, &st), 0);
	CHECK(S_ISLNK(st.st_mode));
	return n;
}

static void ns_links(void)
{
	char ppid[16];
	snprintf(ppid, sizeof(ppid), "%d", (int)getppid());
	for (size_t i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++) {
		unsigned long mine = ns_inum("self", ns_names[i]);
		CHECK_EQ(mine, ns_inum(ppid, ns_names[i])); /* the parent's, after fork */
	}
	unsigned long uts = ns_inum("self", "uts"), mnt = ns_inum("self", "mnt");
	CHECK(uts != mnt);
	CHECK_EQ(unshare(CLONE_NEWUTS | CLONE_NEWNS), 0);
	CHECK(ns_inum("self", "uts") != uts);
	CHECK(ns_inum("self", "mnt") != mnt);
	CHECK_EQ(ns_inum(ppid, "uts"), uts);
	CHECK_EQ(ns_inum(ppid, "mnt"), mnt);
	CHECK_EQ(ns_inum("self", "ipc"), ns_inum(ppid, "ipc"));
	char buf[8];
	int fd = open("/proc/self/ns/uts", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_ERR(read(fd, buf, sizeof(buf)), EINVAL);
	close(fd);
}

static void setns_uts(void)
{
	struct utsname before, u;
	uname(&before);
	int old = open("/proc/self/ns/uts", O_RDONLY);
	CHECK(old >= 0);
	CHECK_EQ(unshare(CLONE_NEWUTS), 0);
	CHECK_EQ(sethostname("other-ns", 8), 0);
	int other = open("/proc/self/ns/uts", O_RDONLY);
	CHECK(other >= 0);
	CHECK_ERR(setns(old, CLONE_NEWNS), EINVAL); /* not that kind */
	CHECK_ERR(setns(old, CLONE_NEWPID), EINVAL);
	CHECK_EQ(setns(old, CLONE_NEWUTS), 0);
	uname(&u);
	CHECK_STR(u.nodename, before.nodename);
	/* the descriptor keeps the namespace the caller left */
	CHECK_EQ(setns(other, 0), 0);
	uname(&u);
	CHECK_STR(u.nodename, "other-ns");
	int file = open("/proc/self/ns", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(setns(file, 0), EINVAL);
	CHECK_ERR(setns(-1, 0), EBADF);
	CHECK_ERR(setns(99, 0), EBADF);
	close(file);
	close(old);
	close(other);
}

static void setns_mnt(void)
{
	char path[128];
	int old = open("/proc/self/ns/mnt", O_RDONLY);
	CHECK(old >= 0);
	CHECK_EQ(unshare(CLONE_NEWNS), 0);
	CHECK_EQ(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	CHECK_EQ(mount("none", dir, "tmpfs", 0, NULL), 0);
	snprintf(path, sizeof(path), "%s/in-new-ns", dir);
	int fd = open(path, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	close(fd);
	int other = open("/proc/self/ns/mnt", O_RDONLY);
	CHECK_EQ(setns(old, CLONE_NEWNS), 0);
	CHECK_ERR(access(path, F_OK), ENOENT);
	CHECK_EQ(setns(other, CLONE_NEWNS), 0);
	CHECK_EQ(access(path, F_OK), 0);
	close(old);
	close(other);
}

static void unprivileged(void)
{
	/* opened as root: after the uid change the process is no longer
	 * dumpable, and Linux lets no one but root open its ns links */
	int fd = open("/proc/self/ns/uts", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(setresuid(1000, 1000, 1000), 0);
	CHECK_ERR(unshare(CLONE_NEWUTS), EPERM);
	CHECK_ERR(unshare(CLONE_NEWNS), EPERM);
	CHECK_ERR(unshare(CLONE_NEWIPC), EPERM);
	CHECK_ERR(sethostname("x", 1), EPERM);
	CHECK_ERR(setdomainname("x", 1), EPERM);
	if (beyond_qemu)
		CHECK_ERR(syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, 0, 0, 0, 0), EPERM);
	CHECK_EQ(unshare(CLONE_FS | CLONE_FILES), 0); /* no privilege needed */
	CHECK_ERR(setns(fd, CLONE_NEWUTS), EPERM);
	CHECK_ERR(setns(fd, CLONE_NEWNS), EINVAL); /* the kind is checked first */
	close(fd);
}

static void missing(void)
{
	CHECK_ERR(unshare(CLONE_NEWUSER), EINVAL);
	CHECK_ERR(unshare(CLONE_NEWNET), EINVAL);
	CHECK_ERR(unshare(CLONE_NEWCGROUP), EINVAL);
	CHECK_ERR(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0), EINVAL);
}

int main(int argc, char **argv)
{
	struct utsname before;
	for (int i = 1; i < argc; i++) {
		missing_ns |= strcmp(argv[i], "--missing-ns") == 0;
		beyond_qemu |= strcmp(argv[i], "--beyond-qemu") == 0;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	CHECK_EQ(uname(&before), 0);
	in_child(0, unshare_plain);
	if (beyond_qemu) {
		unshare_files_shared();
		CHECK_ERR(syscall(SYS_clone, CLONE_NEWNS | CLONE_FS | SIGCHLD, 0, 0, 0, 0), EINVAL);
	} else {
		SKIP("clone with namespace flags or CLONE_FILES: qemu-user refuses them");
	}
	if (geteuid() != 0) {
		SKIP("not root: only the EPERM checks run");
		in_child(0, unprivileged);
		return ltest_done("ns");
	}
	in_child(0, unshare_uts);
	check_names_kept(&before);
	if (beyond_qemu) {
		in_child(CLONE_NEWUTS, set_names_here);
		check_names_kept(&before);
	}
	in_child(0, inherit_uts);
	check_names_kept(&before);

	snprintf(dir, sizeof(dir), "/tmp/t_ns.%d", (int)getpid());
	CHECK_EQ(mkdir(dir, 0755), 0);
	in_child(0, private_mount);
	if (beyond_qemu)
		in_child(CLONE_NEWNS, clone_newns_child);
	in_child(0, setns_mnt);
	in_child(0, mount_flags);
	in_child(0, propagation);
	check_mounts_kept();
	in_child(0, ns_links);
	in_child(0, setns_uts);
	check_names_kept(&before);

	in_child(0, unprivileged);
	if (missing_ns)
		in_child(0, missing);
	return ltest_done("ns");
}
