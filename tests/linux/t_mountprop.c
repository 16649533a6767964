/*
 * Mount propagation (mount_namespaces(7)): MS_SHARED peer groups, a
 * bind of a shared mount joining its group, MS_SLAVE receiving without
 * sending, MS_PRIVATE cutting off, MS_REC, umount propagation, the copy
 * unshare(CLONE_NEWNS) makes being a peer of the original (a mount in one
 * namespace appears in the other), and mountinfo's shared:N / master:N.
 * Each part runs in a child with a namespace of its own, so the runner's
 * mounts stay as they were.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

static char dir[64];

static void in_child(void (*fn)(void))
{
	pid_t pid = fork();
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

static void path_of(char *out, const char *name)
{
	snprintf(out, 100, "%s/%s", dir, name);
}

/* Is something mounted right at p (a different device than its parent)? */
static int mounted_at(const char *p)
{
	char parent[200];
	struct stat a, b;
	snprintf(parent, sizeof(parent), "%s/..", p);
	if (stat(p, &a) < 0 || stat(parent, &b) < 0)
		return 0;
	return a.st_dev != b.st_dev;
}

/* The optional fields of mountinfo's last line for mount point mp
 * ("shared:3 master:1", "" for none); 0 if mp is not a mount point. */
static int prop_fields(const char *mp, char *out, size_t n)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char cur[1024];
	int found = 0;
	while (f && fgets(cur, sizeof(cur), f)) {
		char point[256];
		int used = 0;
		if (sscanf(cur, "%*d %*d %*u:%*u %*s %255s %*s%n", point, &used) != 1 ||
		    strcmp(point, mp) != 0)
			continue;
		const char *rest = cur + used, *dash = strstr(rest, " - ");
		size_t len = dash ? (size_t)(dash - rest) : 0;
		while (len && *rest == ' ')
			rest++, len--;
		if (len >= n)
			len = n - 1;
		memcpy(out, rest, len);
		out[len] = 0;
		found = 1;
	}
	if (f)
		fclose(f);
	return found;
}

/* The number after key ("shared:") in fields, or 0. */
static int field_num(const char *fields, const char *key)
{
	const char *p = strstr(fields, key);
	return p ? atoi(p + strlen(key)) : 0;
}

static void enter_ns(void)
{
	CHECK_EQ(unshare(CLONE_NEWNS), 0);
	CHECK_EQ(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
}

static void mk(const char *name)
{
	char p[100];
	path_of(p, name);
	CHECK(mkdir(p, 0755) == 0 || errno == EEXIST);
}

static void peers(void)
{
	char a[100], b[100], ax[160], bx[160], f[256], g[256];
	enter_ns();
	mk("a");
	mk("b");
	path_of(a, "a");
	path_of(b, "b");
	CHECK_EQ(mount("src", a, "tmpfs", 0, NULL), 0);
	CHECK(prop_fields(a, f, sizeof(f)));
	CHECK_STR(f, ""); /* private: no optional fields */
	CHECK_EQ(mount(NULL, a, NULL, MS_SHARED, NULL), 0);
	CHECK(prop_fields(a, f, sizeof(f)));
	CHECK(field_num(f, "shared:") > 0);
	CHECK_ERR(mount(NULL, a, NULL, MS_SHARED | MS_PRIVATE, NULL), EINVAL);
	/* a bind of a shared mount is its peer */
	CHECK_EQ(mount(a, b, NULL, MS_BIND, NULL), 0);
	CHECK(prop_fields(b, g, sizeof(g)));
	CHECK_EQ(field_num(g, "shared:"), field_num(f, "shared:"));
	snprintf(ax, sizeof(ax), "%s/x", a);
	snprintf(bx, sizeof(bx), "%s/x", b);
	CHECK_EQ(mkdir(ax, 0755), 0);
	/* a mount under one peer appears under the other, shared itself */
	CHECK_EQ(mount("x", ax, "tmpfs", 0, NULL), 0);
	CHECK(mounted_at(bx));
	CHECK(prop_fields(ax, f, sizeof(f)));
	CHECK(prop_fields(bx, g, sizeof(g)));
	CHECK(field_num(f, "shared:") > 0);
	CHECK_EQ(field_num(g, "shared:"), field_num(f, "shared:"));
	/* the same filesystem: a file made through one is seen in the other */
	char file[200];
	snprintf(file, sizeof(file), "%s/marker", ax);
	int fd = open(file, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	close(fd);
	snprintf(file, sizeof(file), "%s/marker", bx);
	CHECK_EQ(access(file, F_OK), 0);
	/* an unmount propagates too */
	CHECK_EQ(umount(bx), 0);
	CHECK(!mounted_at(ax));
	CHECK(!mounted_at(bx));
	/* private: no more propagation */
	CHECK_EQ(mount(NULL, b, NULL, MS_PRIVATE, NULL), 0);
	CHECK_EQ(mount("x", ax, "tmpfs", 0, NULL), 0);
	CHECK(!mounted_at(bx));
	CHECK_EQ(umount(ax), 0);
}

static void slaves(void)
{
	char a[100], b[100], ax[160], bx[160], by[160], ay[160], f[256], g[256];
	enter_ns();
	mk("a");
	mk("b");
	path_of(a, "a");
	path_of(b, "b");
	CHECK_EQ(mount("src", a, "tmpfs", 0, NULL), 0);
	CHECK_EQ(mount(NULL, a, NULL, MS_SHARED, NULL), 0);
	CHECK_EQ(mount(a, b, NULL, MS_BIND, NULL), 0);
	CHECK_EQ(mount(NULL, b, NULL, MS_SLAVE, NULL), 0);
	CHECK(prop_fields(a, f, sizeof(f)));
	CHECK(prop_fields(b, g, sizeof(g)));
	CHECK_EQ(field_num(g, "master:"), field_num(f, "shared:"));
	CHECK_EQ(field_num(g, "shared:"), 0);
	snprintf(ax, sizeof(ax), "%s/x", a);
	snprintf(bx, sizeof(bx), "%s/x", b);
	snprintf(ay, sizeof(ay), "%s/y", a);
	snprintf(by, sizeof(by), "%s/y", b);
	CHECK_EQ(mkdir(ax, 0755), 0);
	CHECK_EQ(mkdir(ay, 0755), 0);
	/* master to slave: received; the copy is a slave of the new mount */
	CHECK_EQ(mount("x", ax, "tmpfs", 0, NULL), 0);
	CHECK(mounted_at(bx));
	CHECK(prop_fields(ax, f, sizeof(f)));
	CHECK(prop_fields(bx, g, sizeof(g)));
	CHECK_EQ(field_num(g, "master:"), field_num(f, "shared:"));
	/* slave to master: not sent */
	CHECK_EQ(mount("y", by, "tmpfs", 0, NULL), 0);
	CHECK(!mounted_at(ay));
	CHECK_EQ(umount(by), 0);
	CHECK_EQ(umount(ax), 0);
	CHECK(!mounted_at(bx));
	/* a shared mount with no peer made a slave becomes private */
	CHECK_EQ(umount(b), 0);
	CHECK_EQ(mount(NULL, a, NULL, MS_SLAVE, NULL), 0);
	CHECK(prop_fields(a, f, sizeof(f)));
	CHECK_STR(f, "");
}

/* MS_MOVE: a mount's root moves, not from under a shared mount. */
static void moving(void)
{
	char a[100], b[100], ax[160], bx[160];
	enter_ns();
	mk("a");
	mk("b");
	path_of(a, "a");
	path_of(b, "b");
	CHECK_EQ(mount("src", a, "tmpfs", 0, NULL), 0);
	snprintf(ax, sizeof(ax), "%s/x", a);
	snprintf(bx, sizeof(bx), "%s/x", b);
	CHECK_EQ(mkdir(ax, 0755), 0);
	CHECK_ERR(mount(ax, b, NULL, MS_MOVE, NULL), EINVAL); /* not a mount's root */
	CHECK_EQ(mount(a, b, NULL, MS_MOVE, NULL), 0);
	CHECK(!mounted_at(a));
	CHECK(mounted_at(b));
	CHECK_EQ(access(bx, F_OK), 0);
	CHECK_EQ(mount("x", bx, "tmpfs", 0, NULL), 0);
	CHECK_ERR(mount(bx, bx, NULL, MS_MOVE, NULL), ELOOP);
	CHECK_EQ(mount(NULL, b, NULL, MS_SHARED, NULL), 0);
	CHECK_ERR(mount(bx, a, NULL, MS_MOVE, NULL), EINVAL); /* parent shared */
	/* the moved mount takes its submounts along */
	CHECK_EQ(mount(NULL, b, NULL, MS_PRIVATE, NULL), 0);
	CHECK_EQ(mount(b, a, NULL, MS_MOVE, NULL), 0);
	CHECK(mounted_at(ax));
	CHECK_EQ(umount(ax), 0);
	CHECK_EQ(umount(a), 0);
}

/* MS_REC: every mount below is made shared. */
static void recursive(void)
{
	char a[100], ax[160], f[256];
	enter_ns();
	mk("a");
	path_of(a, "a");
	CHECK_EQ(mount("src", a, "tmpfs", 0, NULL), 0);
	snprintf(ax, sizeof(ax), "%s/x", a);
	CHECK_EQ(mkdir(ax, 0755), 0);
	CHECK_EQ(mount("x", ax, "tmpfs", 0, NULL), 0);
	CHECK_EQ(mount(NULL, a, NULL, MS_SHARED | MS_REC, NULL), 0);
	CHECK(prop_fields(ax, f, sizeof(f)));
	CHECK(field_num(f, "shared:") > 0);
	CHECK_EQ(mount(NULL, a, NULL, MS_PRIVATE | MS_REC, NULL), 0);
	CHECK(prop_fields(ax, f, sizeof(f)));
	CHECK_STR(f, "");
	CHECK_EQ(mount(NULL, a, NULL, MS_UNBINDABLE, NULL), 0);
	CHECK(prop_fields(a, f, sizeof(f)));
	CHECK_STR(f, "unbindable");
}

static int sync_pipe[2], back_pipe[2];

/* unshare copies a shared mount as a peer of the original: a mount in
 * the new namespace appears in the old one, and the other way round. */
static void namespaces(void)
{
	char a[100], ax[160], ay[160], c;
	enter_ns();
	mk("a");
	path_of(a, "a");
	snprintf(ax, sizeof(ax), "%s/x", a);
	snprintf(ay, sizeof(ay), "%s/y", a);
	CHECK_EQ(mount("src", a, "tmpfs", 0, NULL), 0);
	CHECK_EQ(mkdir(ax, 0755), 0);
	CHECK_EQ(mkdir(ay, 0755), 0);
	CHECK_EQ(mount(NULL, a, NULL, MS_SHARED, NULL), 0);
	CHECK_EQ(pipe(sync_pipe), 0);
	CHECK_EQ(pipe(back_pipe), 0);
	pid_t pid = fork();
	if (pid == 0) {
		int bad = unshare(CLONE_NEWNS) != 0;
		bad |= mount("x", ax, "tmpfs", 0, NULL) != 0;
		bad |= write(sync_pipe[1], "m", 1) != 1;
		bad |= read(back_pipe[0], &c, 1) != 1;
		bad |= !mounted_at(ay); /* the parent's mount reached us */
		_exit(bad);
	}
	CHECK_EQ(read(sync_pipe[0], &c, 1), 1);
	CHECK(mounted_at(ax));
	CHECK_EQ(mount("y", ay, "tmpfs", 0, NULL), 0);
	CHECK_EQ(write(back_pipe[1], "y", 1), 1);
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* a private copy does not receive */
	CHECK_EQ(umount(ay), 0);
	pid = fork();
	if (pid == 0) {
		int bad = unshare(CLONE_NEWNS) != 0;
		bad |= mount(NULL, a, NULL, MS_PRIVATE, NULL) != 0;
		bad |= write(sync_pipe[1], "p", 1) != 1;
		bad |= read(back_pipe[0], &c, 1) != 1;
		bad |= mounted_at(ay);
		_exit(bad);
	}
	CHECK_EQ(read(sync_pipe[0], &c, 1), 1);
	CHECK_EQ(mount("y", ay, "tmpfs", 0, NULL), 0);
	CHECK_EQ(write(back_pipe[1], "y", 1), 1);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (geteuid() != 0) {
		SKIP("not root");
		return ltest_done("mountprop");
	}
	snprintf(dir, sizeof(dir), "/tmp/t_mountprop.%d", (int)getpid());
	CHECK_EQ(mkdir(dir, 0755), 0);
	in_child(peers);
	in_child(slaves);
	in_child(recursive);
	in_child(moving);
	in_child(namespaces);
	/* nothing leaked into the runner's namespace */
	char a[100];
	path_of(a, "a");
	CHECK(!mounted_at(a));
	rmdir(a);
	path_of(a, "b");
	rmdir(a);
	CHECK_EQ(rmdir(dir), 0);
	return ltest_done("mountprop");
}
