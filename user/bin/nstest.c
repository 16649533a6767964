/*
 * nstest: checks mount namespaces, bind mounts, chroot and the overlay
 * filesystem from user space on the real kernel.  Works under /tmp/ns.
 * Prints "ok NAME" or "FAIL NAME: ..." per test and
 * "nstest: N passed, M failed"; exits 0 iff all pass.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <scarlet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define T "/tmp/ns"

static int failed, npass, nfail;
static const char *cur;

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c) && !failed) {                                                             \
			printf("FAIL %s: line %d: %s (errno %d)\n", cur, __LINE__, #c, errno);     \
			failed = 1;                                                                \
		}                                                                                  \
	} while (0)

/* Expects call to fail with e. */
#define CHECK_ERR(call, e) CHECK((call) < 0 && errno == (e))

static int put(const char *path, const char *s, int flags, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | flags, mode);

	if (fd < 0)
		return -1;
	int n = (int)write(fd, s, strlen(s));
	close(fd);
	return n == (int)strlen(s) ? 0 : -1;
}

/* The whole file as a string ("" on error). */
static const char *get(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY), n;

	buf[0] = 0;
	if (fd < 0)
		return "<error>";
	n = (int)read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	close(fd);
	return buf;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names without dots, space separated. */
static const char *ls(const char *path)
{
	static char out[512];
	char *names[64];
	int n = 0;
	DIR *d = opendir(path);
	struct dirent *e;

	out[0] = 0;
	if (!d)
		return "<error>";
	while ((e = readdir(d)) && n < 64) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, names[i]);
		free(names[i]);
	}
	return out;
}

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static void setup_overlay(void)
{
	mkdir(T, 0755);
	CHECK(mkdir(T "/lower", 0755) == 0);
	CHECK(mkdir(T "/upper", 0755) == 0);
	CHECK(mkdir(T "/merged", 0755) == 0);
	CHECK(mkdir(T "/lower/dir", 0755) == 0);
	CHECK(put(T "/lower/a", "lower a", 0, 0600) == 0);
	CHECK(put(T "/lower/c", "lower c", 0, 0644) == 0);
	CHECK(put(T "/lower/dir/b", "lower b", 0, 0644) == 0);
	CHECK(put(T "/upper/u", "upper u", 0, 0644) == 0);
	CHECK(put(T "/upper/c", "upper c", 0, 0644) == 0);
	CHECK(sc_mount("overlay", T "/merged", "overlay", 0,
	               "lowerdir=" T "/lower,upperdir=" T "/upper") == 0);
}

static void overlay_read_through(void)
{
	char mounts[4096];
	int n = sc_mounts(mounts, sizeof(mounts) - 1);

	CHECK(n > 0);
	mounts[n > 0 ? n : 0] = 0;
	CHECK(strstr(mounts, "overlay " T "/merged overlay rw"));
	CHECK(strcmp(get(T "/merged/a"), "lower a") == 0);
	CHECK(strcmp(get(T "/merged/dir/b"), "lower b") == 0);
	CHECK(strcmp(get(T "/merged/u"), "upper u") == 0);
	CHECK(strcmp(get(T "/merged/c"), "upper c") == 0);
}

static void overlay_listing_merge(void)
{
	CHECK(strcmp(ls(T "/merged"), "a c dir u") == 0);
	CHECK(mkdir(T "/upper/dir", 0755) == 0);
	CHECK(put(T "/upper/dir/up", "x", 0, 0644) == 0);
	CHECK(strcmp(ls(T "/merged/dir"), "b up") == 0);
}

static void overlay_copy_up(void)
{
	struct stat lst, ust;
	int fd = open(T "/merged/a", O_WRONLY | O_APPEND);

	CHECK(fd >= 0);
	CHECK(write(fd, "+1", 2) == 2);
	close(fd);
	CHECK(strcmp(get(T "/merged/a"), "lower a+1") == 0);
	CHECK(strcmp(get(T "/upper/a"), "lower a+1") == 0);
	CHECK(strcmp(get(T "/lower/a"), "lower a") == 0);
	CHECK(stat(T "/upper/a", &ust) == 0 && (ust.mode & 07777) == 0600);
	CHECK(stat(T "/lower/a", &lst) == 0 && lst.size == 7);
	/* truncate through the overlay */
	fd = open(T "/merged/dir/b", O_WRONLY | O_TRUNC);
	CHECK(fd >= 0);
	close(fd);
	CHECK(strcmp(get(T "/merged/dir/b"), "") == 0);
	CHECK(strcmp(get(T "/lower/dir/b"), "lower b") == 0);
}

static void overlay_whiteout(void)
{
	struct stat st;

	CHECK(unlink(T "/merged/c") == 0);
	CHECK(!exists(T "/merged/c"));
	CHECK(lstat(T "/upper/c", &st) == 0 && S_ISCHR(st.mode) && st.rdev == 0);
	CHECK(strcmp(get(T "/lower/c"), "lower c") == 0);
	CHECK(strcmp(ls(T "/merged"), "a dir u") == 0);
	CHECK_ERR(unlink(T "/merged/c"), ENOENT);
}

static void overlay_opaque_dir(void)
{
	CHECK_ERR(rmdir(T "/merged/dir"), ENOTEMPTY);
	CHECK(unlink(T "/merged/dir/b") == 0);
	CHECK(unlink(T "/merged/dir/up") == 0);
	CHECK(strcmp(ls(T "/merged/dir"), "") == 0);
	CHECK(rmdir(T "/merged/dir") == 0);
	CHECK(!exists(T "/merged/dir"));
	CHECK(mkdir(T "/merged/dir", 0755) == 0);
	CHECK(strcmp(ls(T "/merged/dir"), "") == 0);
	CHECK(!exists(T "/merged/dir/b"));
	CHECK(exists(T "/upper/dir/.wh..wh..opq"));
	CHECK(exists(T "/lower/dir/b"));
}

static void overlay_rename(void)
{
	CHECK(mkdir(T "/lower/ldir", 0755) == 0);
	CHECK(rename(T "/merged/a", T "/merged/a2") == 0);
	CHECK(!exists(T "/merged/a"));
	CHECK(strcmp(get(T "/merged/a2"), "lower a+1") == 0);
	CHECK(strcmp(ls(T "/merged"), "a2 dir ldir u") == 0);
	CHECK_ERR(rename(T "/merged/ldir", T "/merged/ldir2"), EXDEV);
	CHECK(rename(T "/merged/dir", T "/merged/dir2") == 0);
	CHECK(strcmp(ls(T "/merged"), "a2 dir2 ldir u") == 0);
}

/* In a forked child: a private namespace with /home bound into a root. */
static int child_in_namespace(void)
{
	char buf[128];

	if (sc_unshare(UNSHARE_NS) < 0)
		return 10;
	if (sc_mount(T "/home", T "/root/home", NULL, MS_BIND, NULL) < 0)
		return 11;
	if (sc_chroot(T "/root") < 0 || chdir("/") < 0)
		return 12;
	if (strcmp(ls("/home"), "user") != 0)
		return 13;
	if (strcmp(ls("/"), "bin escape home") != 0)
		return 14;
	if (strcmp(ls("/home/../../.."), "bin escape home") != 0)
		return 15;
	if (exists("/escape/secret") || exists("/../secret") || exists("/home/../../secret"))
		return 16;
	if (chdir("/home/user") < 0 || !getcwd(buf, sizeof(buf)) || strcmp(buf, "/home/user"))
		return 17;
	if (put("/home/user/from_child", "c", 0, 0644) < 0)
		return 18;
	return 0;
}

static void namespace_bind_home_and_root(void)
{
	int st = -1;
	pid_t pid;

	CHECK(mkdir(T "/home", 0755) == 0);
	CHECK(mkdir(T "/home/user", 0755) == 0);
	CHECK(mkdir(T "/root", 0755) == 0);
	CHECK(mkdir(T "/root/home", 0755) == 0);
	CHECK(mkdir(T "/root/bin", 0755) == 0);
	CHECK(put(T "/secret", "s", 0, 0600) == 0);
	CHECK(symlink("../../secret", T "/root/escape") == 0);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		exit(child_in_namespace());
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
	if (st != 0 && !failed)
		printf("FAIL %s: child step %d\n", cur, (st >> 8) & 0xff);
	failed |= st != 0;
	/* the child's mount is invisible here, its write went to /home */
	CHECK(strcmp(ls(T "/root/home"), "") == 0);
	CHECK(exists(T "/home/user/from_child"));
}

static void readonly_bind(void)
{
	CHECK(mkdir(T "/data", 0755) == 0);
	CHECK(mkdir(T "/ro", 0755) == 0);
	CHECK(put(T "/data/f", "data", 0, 0644) == 0);
	CHECK(sc_mount(T "/data", T "/ro", NULL, MS_BIND | MS_RDONLY, NULL) == 0);
	CHECK(strcmp(get(T "/ro/f"), "data") == 0);
	CHECK_ERR(put(T "/ro/new", "x", 0, 0644), EROFS);
	CHECK_ERR(open(T "/ro/f", O_WRONLY), EROFS);
	CHECK_ERR(unlink(T "/ro/f"), EROFS);
	CHECK_ERR(mkdir(T "/ro/d", 0755), EROFS);
	CHECK(put(T "/data/g", "g", 0, 0644) == 0);
	CHECK(strcmp(get(T "/ro/g"), "g") == 0);
	/* a single file */
	CHECK(put(T "/file", "file", 0, 0644) == 0);
	CHECK(sc_mount(T "/data/f", T "/file", NULL, MS_BIND, NULL) == 0);
	CHECK(strcmp(get(T "/file"), "data") == 0);
	CHECK_ERR(unlink(T "/file"), EBUSY);
	CHECK(sc_umount(T "/file") == 0);
	CHECK(strcmp(get(T "/file"), "file") == 0);
	CHECK(sc_umount(T "/ro") == 0);
}

static void overlay_umount(void)
{
	CHECK(sc_umount(T "/merged") == 0);
	CHECK(strcmp(ls(T "/merged"), "") == 0);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
    {"overlay_mount", setup_overlay},
    {"overlay_read_through", overlay_read_through},
    {"overlay_listing_merge", overlay_listing_merge},
    {"overlay_copy_up", overlay_copy_up},
    {"overlay_whiteout", overlay_whiteout},
    {"overlay_opaque_dir", overlay_opaque_dir},
    {"overlay_rename", overlay_rename},
    {"overlay_umount", overlay_umount},
    {"namespace_bind_home_and_root", namespace_bind_home_and_root},
    {"readonly_bind", readonly_bind},
};

int main(void)
{
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		cur = tests[i].name;
		failed = 0;
		tests[i].fn();
		if (!failed)
			printf("ok %s\n", cur);
		failed ? nfail++ : npass++;
		fflush(stdout);
	}
	printf("nstest: %d passed, %d failed\n", npass, nfail);
	fflush(stdout);
	return nfail ? 1 : 0;
}
