/*
 * Host unit tests of the VFS, tmpfs, devfs, file objects, memory devices,
 * the initramfs unpacker, mount namespaces, bind mounts, chroot and the
 * overlay filesystem, built with tests/host/vfs_stubs.c and run
 * by tools/host-vfs-tests.sh under ASan/UBSan.
 *
 * Usage: vfs_test ARCHIVE.cpio SOURCE_DIR — the archive made by
 * `cpio -o -H newc` from SOURCE_DIR (see the script for its contents).
 * Prints "ok NAME" / "FAIL NAME" per test and "vfs: N passed, M failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "dev/mem_devices.h"
#include "dev/random.h"
#include "fs/initramfs.h"
#include "fs/overlayfs.h"
#include "fs/tmpfs.h"
#include "fs/vfs.h"
#include "obj/kobj.h"

#include "tests/host/check.h"

static const char *archive_path, *source_dir;

#define RUN(t)                                                                                     \
	do {                                                                                       \
		cur_fail = 0;                                                                      \
		t();                                                                               \
		printf("%s %s\n", cur_fail ? "FAIL" : "ok", #t);                                   \
		if (cur_fail)                                                                      \
			nfail++;                                                                   \
		else                                                                               \
			npass++;                                                                   \
	} while (0)

/* ---------------------------------------------------------------- helpers */

static struct fs_struct *new_fs(void)
{
	struct fs_struct *fs = fs_boot(NULL, 0);

	if (!fs) {
		printf("fs_boot failed\n");
		exit(2);
	}
	return fs;
}

static ssize_t write_str(struct kobj *o, const char *s)
{
	struct iobuf io = iobuf_kernel((char *)s, strlen(s));

	return kobj_write(o, &io);
}

static ssize_t read_n(struct kobj *o, char *buf, size_t n)
{
	struct iobuf io = iobuf_kernel(buf, n);

	return kobj_read(o, &io);
}

static int put_file(struct fs_struct *fs, const char *path, const char *data)
{
	struct kobj *o;
	int err = vfs_open(fs, path, O_WRONLY | O_CREAT | O_TRUNC, 0644, &o);

	if (err < 0)
		return err;
	if (write_str(o, data) != (ssize_t)strlen(data))
		err = -EIO;
	kobj_put(o);
	return err;
}

/* Reads the whole file into buf (NUL-terminated); returns its length. */
static int get_file(struct fs_struct *fs, const char *path, char *buf, size_t n)
{
	struct kobj *o;
	size_t got = 0;
	ssize_t r;
	int err = vfs_open(fs, path, O_RDONLY, 0, &o);

	if (err < 0)
		return err;
	while ((r = read_n(o, buf + got, n - 1 - got)) > 0)
		got += r;
	buf[got] = 0;
	kobj_put(o);
	return r < 0 ? (int)r : (int)got;
}

static long long ino_of(struct fs_struct *fs, const char *path)
{
	struct vattr va;
	int err = vfs_stat(fs, path, true, &va);

	return err < 0 ? err : (long long)va.ino;
}

static int stat_err(struct fs_struct *fs, const char *path, bool follow)
{
	struct vattr va;

	return vfs_stat(fs, path, follow, &va);
}

struct names {
	char *v[64];
	int n;
	int limit; /* stop after this many per call, 0 = no limit */
	int this_call;
};

static int collect(void *ctx, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	struct names *s = ctx;

	(void)ino;
	(void)dtype;
	if (s->limit && s->this_call == s->limit)
		return 1;
	if (s->n < 64)
		s->v[s->n++] = strndup(name, len);
	s->this_call++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entry names without "." and "..", space separated. */
static const char *list_dir_limit(struct fs_struct *fs, const char *path, int limit)
{
	static char out[2048];
	struct names s = {.limit = limit};
	struct kobj *o;
	int err = vfs_open(fs, path, O_RDONLY | O_DIRECTORY, 0, &o);

	if (err < 0) {
		snprintf(out, sizeof(out), "error %d", err);
		return out;
	}
	for (int prev = -1; prev != s.n;) {
		prev = s.n;
		s.this_call = 0;
		file_readdir(o, collect, &s);
	}
	kobj_put(o);
	qsort(s.v, s.n, sizeof(s.v[0]), cmp_str);
	out[0] = 0;
	for (int i = 0; i < s.n; i++) {
		if (strcmp(s.v[i], ".") && strcmp(s.v[i], "..")) {
			if (out[0])
				strcat(out, " ");
			strcat(out, s.v[i]);
		}
		free(s.v[i]);
	}
	return out;
}

static const char *list_dir(struct fs_struct *fs, const char *path)
{
	return list_dir_limit(fs, path, 0);
}

static const char *cwd(struct fs_struct *fs)
{
	static char buf[PATH_MAX];
	int n = vfs_getcwd(fs, buf, sizeof(buf));

	if (n < 0)
		snprintf(buf, sizeof(buf), "error %d", n);
	return buf;
}

/* ---------------------------------------------------------------- walk */

static void walk_dot_dotdot_and_root_confinement(void)
{
	struct fs_struct *fs = new_fs();
	long long b;

	CHECK_EQ(vfs_mkdir(fs, "/a", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/a/b", 0755), 0);
	b = ino_of(fs, "/a/b");
	CHECK(b > 0);
	CHECK_EQ(ino_of(fs, "a/b"), b);
	CHECK_EQ(ino_of(fs, "//a//./b//"), b);
	CHECK_EQ(ino_of(fs, "/a/b/../b"), b);
	CHECK_EQ(ino_of(fs, "/../../a/b"), b);
	CHECK_EQ(ino_of(fs, "/a/b/../../.."), ino_of(fs, "/"));
	CHECK_EQ(ino_of(fs, "/x"), -ENOENT);
	CHECK_EQ(ino_of(fs, ""), -ENOENT);
	CHECK_EQ(ino_of(fs, "/a/x/.."), -ENOENT);
	fs_struct_put(fs);
}

static void walk_enotdir_and_trailing_slash(void)
{
	struct fs_struct *fs = new_fs();
	struct kobj *o;

	CHECK_EQ(put_file(fs, "/f", "data"), 0);
	CHECK_EQ(stat_err(fs, "/f/x", true), -ENOTDIR);
	CHECK_EQ(stat_err(fs, "/f/", true), -ENOTDIR);
	CHECK_EQ(stat_err(fs, "/f/.", true), -ENOTDIR);
	CHECK_EQ(vfs_open(fs, "/f/", O_RDONLY, 0, &o), -ENOTDIR);
	CHECK_EQ(vfs_mkdir(fs, "/f/d", 0755), -ENOTDIR);
	CHECK_EQ(vfs_mkdir(fs, "/d/", 0755), 0);
	CHECK_EQ(stat_err(fs, "/d/", true), 0);
	CHECK_EQ(stat_err(fs, "/d//", false), 0);
	fs_struct_put(fs);
}

static void walk_enametoolong(void)
{
	struct fs_struct *fs = new_fs();
	char name[300], path[PATH_MAX + 10];

	memset(name, 'n', sizeof(name));
	name[0] = '/';
	name[256] = 0; /* 255 characters after the slash */
	CHECK_EQ(put_file(fs, name, "x"), 0);
	CHECK_EQ(stat_err(fs, name, true), 0);
	name[256] = 'n';
	name[257] = 0; /* 256 */
	CHECK_EQ(stat_err(fs, name, true), -ENAMETOOLONG);
	CHECK_EQ(vfs_mkdir(fs, name, 0755), -ENAMETOOLONG);
	CHECK_EQ(put_file(fs, name, "x"), -ENAMETOOLONG);
	for (int i = 0; i < PATH_MAX; i += 2) {
		path[i] = '/';
		path[i + 1] = 'a';
	}
	path[PATH_MAX] = 0;
	CHECK_EQ(stat_err(fs, path, true), -ENAMETOOLONG);
	path[PATH_MAX - 1] = 0; /* 4095 characters: walkable, just missing */
	CHECK_EQ(stat_err(fs, path, true), -ENOENT);
	fs_struct_put(fs);
}

static void symlinks_relative_absolute_and_dotdot(void)
{
	struct fs_struct *fs = new_fs();
	char buf[64];
	struct vattr va;

	CHECK_EQ(vfs_mkdir(fs, "/a", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/a/b", 0755), 0);
	CHECK_EQ(put_file(fs, "/a/b/file", "content"), 0);
	CHECK_EQ(vfs_symlink(fs, "b/file", "/a/rel"), 0);
	CHECK_EQ(vfs_symlink(fs, "/a/b", "/abs"), 0);
	CHECK_EQ(vfs_symlink(fs, "../../..", "/a/b/up"), 0);
	CHECK_EQ(vfs_symlink(fs, "nowhere", "/dangling"), 0);
	CHECK_EQ(get_file(fs, "/a/rel", buf, sizeof(buf)), 7);
	CHECK_STR(buf, "content");
	CHECK_EQ(get_file(fs, "/abs/file", buf, sizeof(buf)), 7);
	CHECK_EQ(vfs_stat(fs, "/a/rel", false, &va), 0);
	CHECK(S_ISLNK(va.mode));
	CHECK_EQ(va.size, 6);
	CHECK_EQ(vfs_readlink(fs, "/a/rel", buf, sizeof(buf)), 6);
	CHECK(memcmp(buf, "b/file", 6) == 0);
	CHECK_EQ(vfs_readlink(fs, "/a/b/file", buf, sizeof(buf)), -EINVAL);
	CHECK_EQ(vfs_readlink(fs, "/a/rel", buf, 3), 3);
	CHECK_EQ(ino_of(fs, "/a/b/up"), ino_of(fs, "/"));
	CHECK_EQ(ino_of(fs, "/a/b/up/a/b/up/abs/file"), ino_of(fs, "/a/b/file"));
	CHECK_EQ(stat_err(fs, "/dangling", true), -ENOENT);
	CHECK_EQ(stat_err(fs, "/dangling", false), 0);
	CHECK_EQ(vfs_symlink(fs, "", "/empty"), -ENOENT);
	CHECK_EQ(vfs_symlink(fs, "x", "/abs"), -EEXIST);
	fs_struct_put(fs);
}

static void symlink_loops_give_eloop(void)
{
	struct fs_struct *fs = new_fs();
	char target[32], name[32];

	CHECK_EQ(vfs_symlink(fs, "/loop2", "/loop1"), 0);
	CHECK_EQ(vfs_symlink(fs, "/loop1", "/loop2"), 0);
	CHECK_EQ(vfs_symlink(fs, "self", "/self"), 0);
	CHECK_EQ(stat_err(fs, "/loop1", true), -ELOOP);
	CHECK_EQ(stat_err(fs, "/self/x", false), -ELOOP);
	CHECK_EQ(stat_err(fs, "/loop1", false), 0);
	CHECK_EQ(put_file(fs, "/target", "t"), 0);
	CHECK_EQ(vfs_symlink(fs, "target", "/l0"), 0);
	for (int i = 1; i <= 40; i++) {
		snprintf(target, sizeof(target), "l%d", i - 1);
		snprintf(name, sizeof(name), "/l%d", i);
		CHECK_EQ(vfs_symlink(fs, target, name), 0);
	}
	CHECK_EQ(stat_err(fs, "/l39", true), 0); /* 40 links followed */
	CHECK_EQ(stat_err(fs, "/l40", true), -ELOOP);
	fs_struct_put(fs);
}

static void symlink_with_trailing_slash_is_followed(void)
{
	struct fs_struct *fs = new_fs();
	struct vattr va;

	CHECK_EQ(vfs_mkdir(fs, "/d", 0755), 0);
	CHECK_EQ(put_file(fs, "/f", "x"), 0);
	CHECK_EQ(vfs_symlink(fs, "d", "/ld"), 0);
	CHECK_EQ(vfs_symlink(fs, "f", "/lf"), 0);
	CHECK_EQ(vfs_stat(fs, "/ld/", false, &va), 0);
	CHECK(S_ISDIR(va.mode));
	CHECK_EQ(vfs_stat(fs, "/ld", false, &va), 0);
	CHECK(S_ISLNK(va.mode));
	CHECK_EQ(stat_err(fs, "/lf/", false), -ENOTDIR);
	CHECK_EQ(vfs_symlink(fs, "/tmp", "/t"), 0);
	CHECK_EQ(put_file(fs, "/t/viasym", "y"), 0);
	CHECK_STR(list_dir(fs, "/tmp"), "viasym");
	fs_struct_put(fs);
}

static void chroot_confines_dotdot_and_absolute_symlinks(void)
{
	struct fs_struct *fs = new_fs();
	struct path jail, old;

	CHECK_EQ(vfs_mkdir(fs, "/jail", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/jail/in", 0755), 0);
	CHECK_EQ(put_file(fs, "/secret", "s"), 0);
	CHECK_EQ(vfs_symlink(fs, "/in", "/jail/abs"), 0);
	CHECK_EQ(vfs_symlink(fs, "../../../secret", "/jail/in/esc"), 0);
	CHECK_EQ(vfs_walk(fs, "/jail", WALK_DIR, &jail), 0);
	old = fs->root;
	fs->root = jail;
	CHECK_EQ(vfs_chdir(fs, "/in"), 0);
	CHECK_STR(cwd(fs), "/in");
	CHECK_EQ(ino_of(fs, "/.."), ino_of(fs, "/"));
	CHECK_EQ(ino_of(fs, "/abs"), ino_of(fs, "/in"));
	CHECK_EQ(stat_err(fs, "/secret", true), -ENOENT);
	CHECK_EQ(stat_err(fs, "/in/esc", true), -ENOENT);
	CHECK_EQ(stat_err(fs, "../../../jail", true), -ENOENT);
	fs->root = old;
	path_put(&jail);
	fs_struct_put(fs);
}

/* ---------------------------------------------------------------- open */

static void open_flags_and_errors(void)
{
	struct fs_struct *fs = new_fs();
	struct kobj *o;
	struct vattr va;
	char buf[16];

	CHECK_EQ(vfs_open(fs, "/nope", O_RDONLY, 0, &o), -ENOENT);
	CHECK_EQ(put_file(fs, "/f", "hello"), 0);
	CHECK_EQ(vfs_open(fs, "/f", O_RDWR | O_CREAT | O_EXCL, 0644, &o), -EEXIST);
	CHECK_EQ(vfs_open(fs, "/f", O_RDONLY | O_DIRECTORY, 0, &o), -ENOTDIR);
	CHECK_EQ(vfs_open(fs, "/f", O_ACCMODE, 0, &o), -EINVAL);
	CHECK_EQ(vfs_symlink(fs, "f", "/lf"), 0);
	CHECK_EQ(vfs_open(fs, "/lf", O_RDONLY | O_NOFOLLOW, 0, &o), -ELOOP);
	CHECK_EQ(vfs_open(fs, "/lf", O_RDONLY | O_CREAT | O_EXCL, 0, &o), -EEXIST);
	CHECK_EQ(vfs_mkdir(fs, "/d", 0755), 0);
	CHECK_EQ(vfs_open(fs, "/d", O_WRONLY, 0, &o), -EISDIR);
	CHECK_EQ(vfs_open(fs, "/d", O_RDWR, 0, &o), -EISDIR);
	CHECK_EQ(vfs_open(fs, "/d", O_RDONLY | O_CREAT, 0644, &o), -EISDIR);
	CHECK_EQ(vfs_open(fs, "/new/", O_RDWR | O_CREAT, 0644, &o), -EISDIR);
	CHECK_EQ(vfs_open(fs, "/nodir/x", O_RDWR | O_CREAT, 0644, &o), -ENOENT);
	/* O_CREAT through a symlink opens the target */
	CHECK_EQ(vfs_open(fs, "/lf", O_RDWR | O_CREAT, 0644, &o), 0);
	CHECK_EQ(read_n(o, buf, sizeof(buf)), 5);
	kobj_put(o);
	/* directory objects: read is EISDIR */
	CHECK_EQ(vfs_open(fs, "/d", O_RDONLY, 0, &o), 0);
	CHECK(file_is_dir(o));
	CHECK_EQ(read_n(o, buf, sizeof(buf)), -EISDIR);
	kobj_put(o);
	/* read-only objects refuse writes */
	CHECK_EQ(vfs_open(fs, "/f", O_RDONLY, 0, &o), 0);
	CHECK(!file_is_dir(o));
	CHECK(file_vnode(o) != NULL);
	CHECK_EQ(write_str(o, "x"), -EBADF);
	kobj_put(o);
	/* O_TRUNC */
	CHECK_EQ(vfs_open(fs, "/f", O_WRONLY | O_TRUNC, 0, &o), 0);
	kobj_put(o);
	CHECK_EQ(vfs_stat(fs, "/f", true, &va), 0);
	CHECK_EQ(va.size, 0);
	/* umask */
	fs->umask = 027;
	CHECK_EQ(vfs_open(fs, "/m", O_WRONLY | O_CREAT, 0777, &o), 0);
	kobj_put(o);
	CHECK_EQ(vfs_stat(fs, "/m", true, &va), 0);
	CHECK_EQ(va.mode, S_IFREG | 0750);
	CHECK_EQ(vfs_mkdir(fs, "/md", 0777), 0);
	CHECK_EQ(vfs_stat(fs, "/md", true, &va), 0);
	CHECK_EQ(va.mode, S_IFDIR | 0750);
	fs_struct_put(fs);
}

/* ---------------------------------------------------------------- files */

static void file_read_write_seek(void)
{
	struct fs_struct *fs = new_fs();
	struct kobj *o;
	char buf[32];

	CHECK_EQ(vfs_open(fs, "/f", O_RDWR | O_CREAT, 0644, &o), 0);
	CHECK_EQ(write_str(o, "hello world"), 11);
	CHECK_EQ(read_n(o, buf, sizeof(buf)), 0);
	CHECK_EQ(kobj_seek(o, 0, SEEK_SET), 0);
	CHECK_EQ(read_n(o, buf, 5), 5);
	CHECK(memcmp(buf, "hello", 5) == 0);
	CHECK_EQ(kobj_seek(o, 1, SEEK_CUR), 6);
	CHECK_EQ(read_n(o, buf, sizeof(buf)), 5);
	CHECK(memcmp(buf, "world", 5) == 0);
	CHECK_EQ(kobj_seek(o, -5, SEEK_END), 6);
	CHECK_EQ(write_str(o, "WORLD!"), 6);
	CHECK_EQ(kobj_seek(o, 0, SEEK_END), 12);
	CHECK_EQ(kobj_seek(o, -13, SEEK_END), -EINVAL);
	CHECK_EQ(kobj_seek(o, -1, SEEK_SET), -EINVAL);
	CHECK_EQ(kobj_seek(o, 0, 7), -EINVAL);
	CHECK_EQ(kobj_seek(o, INT64_MAX, SEEK_SET), INT64_MAX);
	CHECK_EQ(kobj_seek(o, 1, SEEK_CUR), -EINVAL);
	CHECK_EQ(kobj_seek(o, 0, SEEK_SET), 0);
	CHECK_EQ(read_n(o, buf, sizeof(buf)), 12);
	CHECK(memcmp(buf, "hello WORLD!", 12) == 0);
	kobj_put(o);
	fs_struct_put(fs);
}

static void file_append_writes_at_end(void)
{
	struct fs_struct *fs = new_fs();
	struct kobj *o;
	char buf[32];

	CHECK_EQ(put_file(fs, "/f", "abc"), 0);
	CHECK_EQ(vfs_open(fs, "/f", O_WRONLY | O_APPEND, 0, &o), 0);
	CHECK_EQ(kobj_seek(o, 0, SEEK_SET), 0);
	CHECK_EQ(write_str(o, "def"), 3);
	CHECK_EQ(kobj_seek(o, 0, SEEK_CUR), 6);
	kobj_put(o);
	CHECK_EQ(get_file(fs, "/f", buf, sizeof(buf)), 6);
	CHECK_STR(buf, "abcdef");
	fs_struct_put(fs);
}

static void sparse_files_and_truncate_read_zeros(void)
{
	struct fs_struct *fs = new_fs();
	static char big[3 * 4096], buf[20000];
	struct kobj *o;
	struct iobuf io;
	struct vattr va;
	bool zeros = true;

	CHECK_EQ(vfs_open(fs, "/s", O_RDWR | O_CREAT, 0644, &o), 0);
	CHECK_EQ(kobj_seek(o, 100000, SEEK_SET), 100000);
	CHECK_EQ(write_str(o, "x"), 1);
	CHECK_EQ(kobj_stat(o, &va), 0);
	CHECK_EQ(va.size, 100001);
	CHECK_EQ(va.blocks, 8); /* one 4 KiB block */
	CHECK_EQ(kobj_seek(o, 90000, SEEK_SET), 90000);
	CHECK_EQ(read_n(o, buf, sizeof(buf)), 10001);
	for (int i = 0; i < 10000; i++)
		zeros &= buf[i] == 0;
	CHECK(zeros);
	CHECK_EQ(buf[10000], 'x');
	kobj_put(o);

	memset(big, 'B', sizeof(big));
	CHECK_EQ(vfs_open(fs, "/t", O_RDWR | O_CREAT, 0644, &o), 0);
	io = iobuf_kernel(big, sizeof(big));
	CHECK_EQ(kobj_write(o, &io), (ssize_t)sizeof(big));
	CHECK_EQ(kobj_truncate(o, 5000), 0);
	CHECK_EQ(kobj_truncate(o, 12288), 0);
	CHECK_EQ(kobj_seek(o, 0, SEEK_SET), 0);
	CHECK_EQ(read_n(o, buf, sizeof(buf)), 12288);
	CHECK(buf[4999] == 'B');
	zeros = true;
	for (int i = 5000; i < 12288; i++)
		zeros &= buf[i] == 0;
	CHECK(zeros);
	CHECK_EQ(kobj_stat(o, &va), 0);
	CHECK_EQ(va.blocks, 16);
	kobj_put(o);
	CHECK_EQ(vfs_open(fs, "/t", O_RDONLY, 0, &o), 0);
	CHECK_EQ(kobj_truncate(o, 0), -EINVAL);
	kobj_put(o);
	fs_struct_put(fs);
}

static void readdir_lists_and_survives_unlinks(void)
{
	struct fs_struct *fs = new_fs();
	struct names s = {0};
	struct kobj *o;
	char name[16];

	CHECK_EQ(vfs_mkdir(fs, "/d", 0755), 0);
	CHECK_STR(list_dir(fs, "/d"), "");
	for (int i = 0; i < 6; i++) {
		snprintf(name, sizeof(name), "/d/f%d", i);
		CHECK_EQ(put_file(fs, name, "x"), 0);
	}
	CHECK_EQ(vfs_mkdir(fs, "/d/sub", 0755), 0);
	CHECK_STR(list_dir(fs, "/d"), "f0 f1 f2 f3 f4 f5 sub");
	CHECK_STR(list_dir_limit(fs, "/d", 2), "f0 f1 f2 f3 f4 f5 sub");
	CHECK_EQ(vfs_unlink(fs, "/d/f1"), 0);
	CHECK_EQ(vfs_unlink(fs, "/d/f4"), 0);
	CHECK_STR(list_dir(fs, "/d"), "f0 f2 f3 f5 sub");
	/* unlink in the middle of a listing, then rewind */
	CHECK_EQ(vfs_open(fs, "/d", O_RDONLY, 0, &o), 0);
	s.limit = 3;
	CHECK_EQ(file_readdir(o, collect, &s), 0);
	CHECK_EQ(s.n, 3); /* ".", "..", "f0" */
	CHECK_EQ(vfs_unlink(fs, "/d/f2"), 0);
	s.this_call = 0;
	s.limit = 0;
	CHECK_EQ(file_readdir(o, collect, &s), 0);
	CHECK_EQ(s.n, 6);
	CHECK_STR(s.v[3], "f3");
	CHECK_EQ(kobj_seek(o, 0, SEEK_SET), 0);
	CHECK_EQ(file_readdir(o, collect, &s), 0);
	CHECK_EQ(s.n, 12);
	kobj_put(o);
	for (int i = 0; i < s.n; i++)
		free(s.v[i]);
	fs_struct_put(fs);
}

static void unlinked_open_file_stays_readable(void)
{
	struct fs_struct *fs = new_fs();
	struct kobj *o, *w;
	struct vattr va;
	char buf[16];

	CHECK_EQ(put_file(fs, "/f", "still here"), 0);
	CHECK_EQ(vfs_open(fs, "/f", O_RDONLY, 0, &o), 0);
	CHECK_EQ(vfs_open(fs, "/f", O_WRONLY, 0, &w), 0);
	CHECK_EQ(vfs_unlink(fs, "/f"), 0);
	CHECK_EQ(stat_err(fs, "/f", true), -ENOENT);
	CHECK_EQ(kobj_stat(o, &va), 0);
	CHECK_EQ(va.nlink, 0);
	CHECK_EQ(kobj_seek(w, 0, SEEK_END), 10);
	CHECK_EQ(write_str(w, "!"), 1);
	kobj_put(w);
	CHECK_EQ(read_n(o, buf, sizeof(buf)), 11);
	CHECK(memcmp(buf, "still here!", 11) == 0);
	CHECK_EQ(put_file(fs, "/f", "new"), 0);
	kobj_put(o);
	CHECK_EQ(get_file(fs, "/f", buf, sizeof(buf)), 3);
	fs_struct_put(fs);
}

/* ---------------------------------------------------------------- namespace ops */

static void hard_links_count_and_share_data(void)
{
	struct fs_struct *fs = new_fs();
	struct vattr va;
	char buf[16];

	CHECK_EQ(put_file(fs, "/f", "one"), 0);
	CHECK_EQ(vfs_link(fs, "/f", "/g"), 0);
	CHECK_EQ(vfs_stat(fs, "/g", true, &va), 0);
	CHECK_EQ(va.nlink, 2);
	CHECK_EQ(ino_of(fs, "/f"), ino_of(fs, "/g"));
	CHECK_EQ(put_file(fs, "/g", "two"), 0);
	CHECK_EQ(get_file(fs, "/f", buf, sizeof(buf)), 3);
	CHECK_STR(buf, "two");
	CHECK_EQ(vfs_unlink(fs, "/f"), 0);
	CHECK_EQ(vfs_stat(fs, "/g", true, &va), 0);
	CHECK_EQ(va.nlink, 1);
	CHECK_EQ(vfs_mkdir(fs, "/d", 0755), 0);
	CHECK_EQ(vfs_link(fs, "/d", "/d2"), -EPERM);
	CHECK_EQ(vfs_link(fs, "/g", "/d"), -EEXIST);
	CHECK_EQ(vfs_link(fs, "/g", "/tmp/g"), -EXDEV);
	CHECK_EQ(vfs_link(fs, "/none", "/x"), -ENOENT);
	CHECK_EQ(vfs_symlink(fs, "g", "/sl"), 0);
	CHECK_EQ(vfs_link(fs, "/sl", "/sl2"), 0); /* links the symlink itself */
	CHECK_EQ(vfs_stat(fs, "/sl2", false, &va), 0);
	CHECK(S_ISLNK(va.mode));
	fs_struct_put(fs);
}

static void mkdir_rmdir_unlink_errors(void)
{
	struct fs_struct *fs = new_fs();
	struct vattr va;

	CHECK_EQ(vfs_mkdir(fs, "/p", 0755), 0);
	CHECK_EQ(vfs_stat(fs, "/p", true, &va), 0);
	CHECK_EQ(va.nlink, 2);
	CHECK_EQ(vfs_mkdir(fs, "/p/c", 0755), 0);
	CHECK_EQ(vfs_stat(fs, "/p", true, &va), 0);
	CHECK_EQ(va.nlink, 3);
	CHECK_EQ(vfs_mkdir(fs, "/p", 0755), -EEXIST);
	CHECK_EQ(vfs_mkdir(fs, "/p/c/..", 0755), -EEXIST);
	CHECK_EQ(vfs_mkdir(fs, "/", 0755), -EEXIST);
	CHECK_EQ(vfs_mkdir(fs, "/q/r", 0755), -ENOENT);
	CHECK_EQ(vfs_rmdir(fs, "/p"), -ENOTEMPTY);
	CHECK_EQ(vfs_rmdir(fs, "/p/c/.."), -ENOTEMPTY);
	CHECK_EQ(vfs_rmdir(fs, "/p/c/."), -EINVAL);
	CHECK_EQ(vfs_rmdir(fs, "/tmp"), -EBUSY);
	CHECK_EQ(vfs_rmdir(fs, "/nope"), -ENOENT);
	CHECK_EQ(put_file(fs, "/p/f", "x"), 0);
	CHECK_EQ(vfs_rmdir(fs, "/p/f"), -ENOTDIR);
	CHECK_EQ(vfs_unlink(fs, "/p/c"), -EISDIR);
	CHECK_EQ(vfs_unlink(fs, "/p/f/"), -ENOTDIR);
	CHECK_EQ(vfs_unlink(fs, "/p/none"), -ENOENT);
	CHECK_EQ(vfs_unlink(fs, "/p/f"), 0);
	CHECK_EQ(vfs_rmdir(fs, "/p/c/"), 0);
	CHECK_EQ(vfs_stat(fs, "/p", true, &va), 0);
	CHECK_EQ(va.nlink, 2);
	CHECK_EQ(vfs_rmdir(fs, "/p"), 0);
	CHECK_STR(list_dir(fs, "/"), "dev system tmp");
	fs_struct_put(fs);
}

static void mknod_makes_device_nodes(void)
{
	struct fs_struct *fs = new_fs();
	struct vattr va;
	struct kobj *o;
	char buf[8] = "xxxxxxx";

	CHECK_EQ(vfs_mknod(fs, "/z", S_IFCHR | 0666, MKDEV(1, 5)), 0);
	CHECK_EQ(vfs_stat(fs, "/z", true, &va), 0);
	CHECK_EQ(va.mode, S_IFCHR | 0644); /* umask 022 */
	CHECK_EQ(va.rdev, MKDEV(1, 5));
	CHECK_EQ(vfs_open(fs, "/z", O_RDONLY, 0, &o), 0);
	CHECK_EQ(read_n(o, buf, sizeof(buf)), 8);
	CHECK(memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0);
	kobj_put(o);
	CHECK_EQ(vfs_mknod(fs, "/bad", S_IFCHR, MKDEV(77, 0)), 0);
	CHECK_EQ(vfs_open(fs, "/bad", O_RDONLY, 0, &o), -ENXIO);
	CHECK_EQ(vfs_mknod(fs, "/fifo", S_IFIFO | 0644, 0), 0);
	CHECK_EQ(vfs_mknod(fs, "/reg", 0644, 0), 0);
	CHECK_EQ(vfs_stat(fs, "/reg", true, &va), 0);
	CHECK(S_ISREG(va.mode));
	CHECK_EQ(vfs_mknod(fs, "/dd", S_IFDIR | 0755, 0), -EPERM);
	CHECK_EQ(vfs_mknod(fs, "/ll", S_IFLNK | 0755, 0), -EINVAL);
	CHECK_EQ(vfs_mknod(fs, "/z", S_IFCHR | 0666, 0), -EEXIST);
	fs_struct_put(fs);
}

static void rename_cases(void)
{
	struct fs_struct *fs = new_fs();
	char buf[16];
	long long ino;

	CHECK_EQ(put_file(fs, "/a", "A"), 0);
	CHECK_EQ(put_file(fs, "/b", "B"), 0);
	ino = ino_of(fs, "/a");
	CHECK_EQ(vfs_rename(fs, "/a", "/c"), 0);
	CHECK_EQ(ino_of(fs, "/c"), ino);
	CHECK_EQ(stat_err(fs, "/a", true), -ENOENT);
	CHECK_EQ(vfs_rename(fs, "/c", "/b"), 0); /* replaces b */
	CHECK_EQ(get_file(fs, "/b", buf, sizeof(buf)), 1);
	CHECK_STR(buf, "A");
	CHECK_EQ(vfs_rename(fs, "/b", "/b"), 0);
	CHECK_EQ(vfs_link(fs, "/b", "/b2"), 0);
	CHECK_EQ(vfs_rename(fs, "/b", "/b2"), 0); /* same file: no-op */
	CHECK_EQ(ino_of(fs, "/b"), ino);
	CHECK_EQ(vfs_mkdir(fs, "/d1", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/d1/sub", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/d2", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/full", 0755), 0);
	CHECK_EQ(put_file(fs, "/full/x", "x"), 0);
	CHECK_EQ(vfs_rename(fs, "/b", "/d1/b"), 0);
	CHECK_EQ(ino_of(fs, "/d1/b"), ino);
	CHECK_EQ(vfs_rename(fs, "/d1", "/d1/sub/x"), -EINVAL);
	CHECK_EQ(vfs_rename(fs, "/d1", "/d1/sub"), -EINVAL);
	CHECK_EQ(vfs_rename(fs, "/d1", "/full"), -ENOTEMPTY);
	CHECK_EQ(vfs_rename(fs, "/d1", "/b2"), -ENOTDIR);
	CHECK_EQ(vfs_rename(fs, "/b2", "/d2"), -EISDIR);
	CHECK_EQ(vfs_rename(fs, "/b2", "/x/"), -ENOTDIR);
	CHECK_EQ(vfs_rename(fs, "/b2", "/tmp/b2"), -EXDEV);
	CHECK_EQ(vfs_rename(fs, "/none", "/x"), -ENOENT);
	CHECK_EQ(vfs_rename(fs, "/tmp", "/tmp2"), -EBUSY); /* a mount point */
	CHECK_EQ(vfs_rename(fs, "/d1/.", "/x"), -EBUSY);
	CHECK_EQ(vfs_rename(fs, "/d1", "/d2"), 0); /* over an empty dir */
	CHECK_STR(list_dir(fs, "/d2"), "b sub");
	CHECK_EQ(vfs_chdir(fs, "/d2/sub"), 0);
	CHECK_EQ(vfs_rename(fs, "/d2", "/full/moved"), 0);
	CHECK_STR(cwd(fs), "/full/moved/sub");
	CHECK_EQ(ino_of(fs, "../../x"), ino_of(fs, "/full/x"));
	fs_struct_put(fs);
}

static void getcwd_across_mounts(void)
{
	struct fs_struct *fs = new_fs();
	char small[4];

	CHECK_STR(cwd(fs), "/");
	CHECK_EQ(vfs_mkdir(fs, "/tmp/x", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/tmp/x/y", 0755), 0);
	CHECK_EQ(vfs_chdir(fs, "/tmp/x/y"), 0);
	CHECK_STR(cwd(fs), "/tmp/x/y");
	CHECK_EQ(vfs_getcwd(fs, small, sizeof(small)), -ERANGE);
	CHECK_EQ(vfs_chdir(fs, "../.."), 0);
	CHECK_STR(cwd(fs), "/tmp");
	CHECK_EQ(vfs_chdir(fs, ".."), 0);
	CHECK_STR(cwd(fs), "/");
	CHECK_EQ(vfs_chdir(fs, "tmp/x"), 0);
	CHECK_EQ(put_file(fs, "rel", "r"), 0);
	CHECK_EQ(stat_err(fs, "/tmp/x/rel", true), 0);
	CHECK_EQ(vfs_chdir(fs, "rel"), -ENOTDIR);
	CHECK_EQ(vfs_chdir(fs, "y"), 0);
	CHECK_EQ(vfs_rmdir(fs, "/tmp/x/y"), 0);
	CHECK_EQ(vfs_getcwd(fs, small, sizeof(small)), -ENOENT);
	CHECK_EQ(stat_err(fs, "..", true), -ENOENT);
	CHECK_EQ(put_file(fs, "new", "n"), -ENOENT);
	fs_struct_put(fs);
}

static void mounts_umount_and_readonly(void)
{
	struct fs_struct *fs = new_fs();
	char buf[512];
	struct kobj *o;

	CHECK(vfs_list_mounts(fs, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "tmpfs / tmpfs rw\ntmpfs /system tmpfs ro\ndevfs /dev devfs rw\ntmpfs /tmp "
	               "tmpfs rw\n");
	CHECK_EQ(vfs_list_mounts(fs, buf, 10), -ERANGE);
	CHECK_EQ(ino_of(fs, "/tmp/.."), ino_of(fs, "/"));
	CHECK_EQ(vfs_mkdir(fs, "/mnt", 0755), 0);
	CHECK_EQ(put_file(fs, "/mnt/under", "u"), 0);
	CHECK_EQ(vfs_mount(fs, "none", "/mnt", "nosuchfs", 0, NULL), -ENODEV);
	CHECK_EQ(vfs_mount(fs, "none", "/mnt/under", "tmpfs", 0, NULL), -ENOTDIR);
	CHECK_EQ(vfs_mount(fs, "ro", "/mnt", "tmpfs", MS_RDONLY, NULL), 0);
	CHECK_STR(list_dir(fs, "/mnt"), "");
	CHECK_EQ(vfs_open(fs, "/mnt/f", O_RDWR | O_CREAT, 0644, &o), -EROFS);
	CHECK_EQ(vfs_mkdir(fs, "/mnt/d", 0755), -EROFS);
	CHECK_EQ(vfs_symlink(fs, "x", "/mnt/l"), -EROFS);
	CHECK_EQ(vfs_mknod(fs, "/mnt/n", S_IFCHR | 0644, MKDEV(1, 3)), -EROFS);
	CHECK_EQ(vfs_open(fs, "/mnt", O_RDONLY, 0, &o), 0);
	CHECK_EQ(vfs_umount(fs, "/mnt"), -EBUSY); /* open directory inside */
	kobj_put(o);
	CHECK_EQ(vfs_list_mounts(fs, buf, sizeof(buf)) > 0, 1);
	CHECK(strstr(buf, "ro /mnt tmpfs ro\n") != NULL);
	CHECK_EQ(vfs_umount(fs, "/"), -EBUSY);
	CHECK_EQ(vfs_umount(fs, "/dev/null"), -EINVAL);
	CHECK_EQ(vfs_umount(fs, "/mnt/.."), -EBUSY); /* the root mount */
	CHECK_EQ(vfs_chdir(fs, "/mnt"), 0);
	CHECK_EQ(vfs_umount(fs, "/mnt"), -EBUSY); /* cwd inside */
	CHECK_EQ(vfs_chdir(fs, "/"), 0);
	CHECK_EQ(vfs_umount(fs, "/mnt"), 0);
	CHECK_STR(list_dir(fs, "/mnt"), "under");
	CHECK_EQ(vfs_umount(fs, "/mnt"), -EINVAL);
	/* a mount below a mount keeps the upper one busy */
	CHECK_EQ(vfs_mkdir(fs, "/tmp/inner", 0755), 0);
	CHECK_EQ(vfs_mount(fs, "inner", "/tmp/inner", "tmpfs", 0, NULL), 0);
	CHECK_EQ(put_file(fs, "/tmp/inner/f", "f"), 0);
	CHECK_EQ(vfs_umount(fs, "/tmp"), -EBUSY);
	CHECK_EQ(vfs_chdir(fs, "/tmp/inner"), 0);
	CHECK_STR(cwd(fs), "/tmp/inner");
	CHECK_EQ(vfs_chdir(fs, "/"), 0);
	CHECK_EQ(vfs_rename(fs, "/tmp/inner/f", "/tmp/f"), -EXDEV);
	CHECK_EQ(vfs_umount(fs, "/tmp/inner"), 0);
	CHECK_EQ(vfs_umount(fs, "/tmp"), 0);
	CHECK_EQ(vfs_sync_all(), 0);
	fs_struct_put(fs);
}

static void readonly_superblock_gives_erofs(void)
{
	struct fs_struct *fs = new_fs();
	struct kobj *o;

	CHECK_EQ(vfs_mkdir(fs, "/ro", 0755), 0);
	CHECK_EQ(vfs_mount(fs, "ro", "/ro", "tmpfs", 0, NULL), 0);
	CHECK_EQ(put_file(fs, "/ro/f", "data"), 0);
	/* flip the superblock read-only as a read-only device would */
	{
		struct path p;
		CHECK_EQ(vfs_walk(fs, "/ro", 0, &p), 0);
		p.mnt->sb->flags |= MS_RDONLY;
		path_put(&p);
	}
	CHECK_EQ(vfs_open(fs, "/ro/f", O_WRONLY, 0, &o), -EROFS);
	CHECK_EQ(vfs_open(fs, "/ro/f", O_RDONLY | O_TRUNC, 0, &o), -EROFS);
	CHECK_EQ(vfs_unlink(fs, "/ro/f"), -EROFS);
	CHECK_EQ(vfs_rename(fs, "/ro/f", "/ro/g"), -EROFS);
	CHECK_EQ(vfs_link(fs, "/ro/f", "/ro/g"), -EROFS);
	CHECK_EQ(vfs_mkdir(fs, "/ro/f", 0755), -EEXIST);
	CHECK_EQ(vfs_open(fs, "/ro/f", O_RDONLY, 0, &o), 0);
	kobj_put(o);
	fs_struct_put(fs);
}

static void setattr_and_truncate_by_path(void)
{
	struct fs_struct *fs = new_fs();
	struct vattr va = {.mode = 0600, .uid = 7, .mtime_ns = 42};
	struct kobj *o;

	CHECK_EQ(put_file(fs, "/f", "0123456789"), 0);
	CHECK_EQ(vfs_symlink(fs, "f", "/l"), 0);
	CHECK_EQ(vfs_setattr(fs, "/l", true, &va, VATTR_MODE | VATTR_UID | VATTR_MTIME), 0);
	CHECK_EQ(vfs_stat(fs, "/f", true, &va), 0);
	CHECK_EQ(va.mode, S_IFREG | 0600);
	CHECK_EQ(va.uid, 7);
	CHECK_EQ(va.mtime_ns, 42);
	CHECK_EQ(vfs_truncate(fs, "/l", 4), 0);
	CHECK_EQ(vfs_stat(fs, "/f", true, &va), 0);
	CHECK_EQ(va.size, 4);
	CHECK_EQ(vfs_truncate(fs, "/", 0), -EISDIR);
	CHECK_EQ(vfs_truncate(fs, "/dev/null", 0), -EINVAL);
	CHECK_EQ(vfs_open(fs, "/f/", O_RDWR | O_CREAT, 0644, &o), -EISDIR);
	CHECK_EQ(vfs_mkdir(fs, "/ro", 0755), 0);
	CHECK_EQ(vfs_mount(fs, "ro", "/ro", "tmpfs", MS_RDONLY, NULL), 0);
	CHECK_EQ(vfs_setattr(fs, "/ro", true, &va, VATTR_MODE), -EROFS);
	fs_struct_put(fs);
}

static void fs_struct_clone_and_namespace_lifetime(void)
{
	struct fs_struct *fs = new_fs(), *c;
	struct kobj *o;
	char buf[8];

	CHECK_EQ(vfs_chdir(fs, "/tmp"), 0);
	c = fs_struct_clone(fs);
	CHECK(c != NULL);
	CHECK_STR(cwd(c), "/tmp");
	CHECK_EQ(vfs_chdir(c, "/dev"), 0);
	CHECK_STR(cwd(fs), "/tmp");
	CHECK_EQ(put_file(c, "/tmp/keep", "k"), 0);
	CHECK_EQ(vfs_open(c, "/tmp/keep", O_RDONLY, 0, &o), 0);
	fs_struct_put(fs);
	fs_struct_put(c);
	/* the open file keeps its mount and filesystem alive */
	CHECK_EQ(read_n(o, buf, sizeof(buf)), 1);
	kobj_put(o);
}

/* ---------------------------------------------------------------- devices */

static void devfs_nodes_and_memory_devices(void)
{
	struct fs_struct *fs = new_fs();
	unsigned char a[64], b[64];
	struct vattr va;
	struct kobj *o;
	bool nonzero = false;

	CHECK_STR(list_dir(fs, "/dev"), "console null random tty urandom zero");
	CHECK_EQ(vfs_stat(fs, "/dev/null", true, &va), 0);
	CHECK(S_ISCHR(va.mode));
	CHECK_EQ(va.rdev, MKDEV(1, 3));
	CHECK_EQ(vfs_stat(fs, "/dev/console", true, &va), 0);
	CHECK_EQ(va.rdev, MKDEV(5, 1));
	CHECK_EQ(ino_of(fs, "/dev/.."), ino_of(fs, "/"));
	CHECK_EQ(vfs_open(fs, "/dev/null", O_RDWR, 0, &o), 0);
	CHECK_EQ(write_str(o, "gone"), 4);
	CHECK_EQ(read_n(o, (char *)a, sizeof(a)), 0);
	CHECK_EQ(kobj_stat(o, &va), 0);
	CHECK_EQ(va.rdev, MKDEV(1, 3));
	kobj_put(o);
	CHECK_EQ(vfs_open(fs, "/dev/null", O_RDONLY, 0, &o), 0);
	CHECK_EQ(write_str(o, "x"), -EBADF);
	kobj_put(o);
	CHECK_EQ(vfs_open(fs, "/dev/urandom", O_RDONLY, 0, &o), 0);
	CHECK_EQ(read_n(o, (char *)a, sizeof(a)), 64);
	CHECK_EQ(read_n(o, (char *)b, sizeof(b)), 64);
	kobj_put(o);
	for (int i = 0; i < 64; i++)
		nonzero |= a[i] != 0;
	CHECK(nonzero);
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	CHECK_EQ(vfs_open(fs, "/dev/console", O_RDWR, 0, &o), -ENXIO);
	CHECK_EQ(vfs_mkdir(fs, "/dev/x", 0755), -EPERM);
	CHECK_EQ(put_file(fs, "/dev/x", "x"), -EPERM);
	CHECK_EQ(vfs_unlink(fs, "/dev/null"), -EPERM);
	CHECK_EQ(vfs_open(fs, "/dev/nope", O_RDONLY, 0, &o), -ENOENT);
	fs_struct_put(fs);
}

static void random_entropy_changes_output(void)
{
	unsigned char a[100], b[100];

	random_get_bytes(a, sizeof(a));
	random_add_entropy(12345);
	random_get_bytes(b, sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) != 0);
}

/* ---------------------------------------------------------------- initramfs */

static char *read_host_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc(n ? n : 1);
	if (fread(data, 1, n, f) != (size_t)n) {
		free(data);
		data = NULL;
	}
	fclose(f);
	*len = n;
	return data;
}

static void initramfs_unpacks_real_cpio_archive(void)
{
	static char buf[500000];
	char hostpath[1024];
	size_t len, biglen;
	char *cpio = read_host_file(archive_path, &len), *big;
	struct fs_struct *fs;
	struct vattr va, vb;

	CHECK(cpio != NULL);
	if (!cpio)
		return;
	fs = fs_boot(cpio, len);
	CHECK(fs != NULL);
	CHECK_STR(list_dir(fs, "/"), "big.bin dev dir empty hard1 hard2 hello.txt link system tmp");
	CHECK_STR(list_dir(fs, "/dir"), "abslink mode640 private sub");
	CHECK_EQ(get_file(fs, "/hello.txt", buf, sizeof(buf)), 12);
	CHECK_STR(buf, "hello world\n");
	CHECK_EQ(get_file(fs, "/dir/sub/deep.txt", buf, sizeof(buf)), 5);
	CHECK_EQ(get_file(fs, "/empty", buf, sizeof(buf)), 0);
	CHECK_EQ(get_file(fs, "/link", buf, sizeof(buf)), 12);
	CHECK_EQ(get_file(fs, "/dir/abslink", buf, sizeof(buf)), 12);
	CHECK_EQ(vfs_readlink(fs, "/dir/abslink", buf, sizeof(buf)), 10);
	CHECK_EQ(vfs_stat(fs, "/dir/private", true, &va), 0);
	CHECK_EQ(va.mode, S_IFDIR | 0700);
	CHECK_EQ(vfs_stat(fs, "/dir/mode640", true, &va), 0);
	CHECK_EQ(va.mode, S_IFREG | 0640);
	CHECK_EQ(va.mtime_ns, 1000000000LL * 1500000000);
	CHECK_EQ(vfs_stat(fs, "/hard1", true, &va), 0);
	CHECK_EQ(vfs_stat(fs, "/hard2", true, &vb), 0);
	CHECK_EQ(va.ino, vb.ino);
	CHECK_EQ(va.nlink, 2);
	CHECK_EQ(get_file(fs, "/hard1", buf, sizeof(buf)), 7);
	CHECK_STR(buf, "linked\n");
	snprintf(hostpath, sizeof(hostpath), "%s/big.bin", source_dir);
	big = read_host_file(hostpath, &biglen);
	CHECK(big != NULL && biglen > 300000);
	CHECK_EQ(get_file(fs, "/big.bin", buf, sizeof(buf)), (long long)biglen);
	CHECK(big && memcmp(buf, big, biglen) == 0);
	CHECK_STR(list_dir(fs, "/dev"), "console null random tty urandom zero");
	free(big);
	free(cpio);
	fs_struct_put(fs);
}

/* Appends one newc entry to buf at *off (buf zero-filled). */
static void cpio_add(char *buf, size_t *off, const char *name, uint32_t mode, uint32_t ino,
                     uint32_t nlink, uint32_t rdev_major, uint32_t rdev_minor, const char *data)
{
	size_t dlen = data ? strlen(data) : 0, nlen = strlen(name) + 1;
	char hdr[120];

	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
	         ino, mode, 0, 0, nlink, 0, (unsigned)dlen, 0, 0, rdev_major, rdev_minor,
	         (unsigned)nlen, 0);
	memcpy(buf + *off, hdr, 110);
	memcpy(buf + *off + 110, name, nlen);
	*off = (*off + 110 + nlen + 3) & ~(size_t)3;
	if (dlen)
		memcpy(buf + *off, data, dlen);
	*off = (*off + dlen + 3) & ~(size_t)3;
}

static size_t make_archive(char *buf)
{
	size_t off = 0;

	memset(buf, 0, 4096);
	cpio_add(buf, &off, ".", S_IFDIR | 0755, 1, 2, 0, 0, NULL);
	cpio_add(buf, &off, "etc", S_IFDIR | 0755, 2, 2, 0, 0, NULL);
	cpio_add(buf, &off, "etc/motd", S_IFREG | 0644, 3, 1, 0, 0, "welcome\n");
	cpio_add(buf, &off, "/devnode", S_IFCHR | 0600, 4, 1, 1, 5, NULL);
	cpio_add(buf, &off, "./pipe", S_IFIFO | 0600, 5, 1, 0, 0, NULL);
	cpio_add(buf, &off, "h1", S_IFREG | 0644, 6, 2, 0, 0, NULL);
	cpio_add(buf, &off, "h2", S_IFREG | 0644, 6, 2, 0, 0, "data on last link");
	cpio_add(buf, &off, "TRAILER!!!", 0, 0, 1, 0, 0, NULL);
	return off;
}

static void initramfs_device_nodes_and_hard_links(void)
{
	static char buf[4096];
	struct fs_struct *fs = new_fs();
	size_t len = make_archive(buf);
	struct vattr va;
	char data[32];

	CHECK_EQ(initramfs_unpack(fs, buf, len), 0);
	CHECK_STR(list_dir(fs, "/"), "dev devnode etc h1 h2 pipe system tmp");
	CHECK_EQ(vfs_stat(fs, "/devnode", true, &va), 0);
	CHECK_EQ(va.mode, S_IFCHR | 0600);
	CHECK_EQ(va.rdev, MKDEV(1, 5));
	CHECK_EQ(vfs_stat(fs, "/pipe", true, &va), 0);
	CHECK(S_ISFIFO(va.mode));
	CHECK_EQ(ino_of(fs, "/h1"), ino_of(fs, "/h2"));
	CHECK_EQ(get_file(fs, "/h1", data, sizeof(data)), 17);
	CHECK_EQ(get_file(fs, "/etc/motd", data, sizeof(data)), 8);
	/* a second archive on top replaces files */
	CHECK_EQ(initramfs_unpack(fs, buf, len), 0);
	CHECK_EQ(get_file(fs, "/etc/motd", data, sizeof(data)), 8);
	/* concatenated archives with zero padding between them */
	{
		static char two[8192];
		memcpy(two, buf, len);
		memset(two + len, 0, 512);
		memcpy(two + len + 512, buf, len);
		CHECK_EQ(initramfs_unpack(fs, two, 2 * len + 512), 0);
	}
	fs_struct_put(fs);
}

static void corrupt_archives_are_rejected(void)
{
	static char buf[4096], bad[4096];
	size_t len = make_archive(buf), trailer_end = len;
	struct fs_struct *fs = new_fs();
	int all_einval = 1;

	/* every truncation before the trailer's name ends */
	trailer_end = len - 4 - ((110 + 11 + 3) & ~3) + 110 + 11;
	for (size_t n = 0; n < trailer_end; n++) {
		int err = initramfs_unpack(fs, buf, n);
		if (err != -EINVAL) {
			printf("  truncated at %zu: %d\n", n, err);
			all_einval = 0;
		}
	}
	CHECK(all_einval);
	CHECK_STR(list_dir(fs, "/"), "dev system tmp"); /* nothing was created */
	memcpy(bad, buf, len);
	bad[3] = '8';
	CHECK_EQ(initramfs_unpack(fs, bad, len), -EINVAL);
	memcpy(bad, buf, len);
	memcpy(bad + 94, "FFFFFFFF", 8); /* namesize */
	CHECK_EQ(initramfs_unpack(fs, bad, len), -EINVAL);
	memcpy(bad, buf, len);
	memcpy(bad + 94, "00000000", 8);
	CHECK_EQ(initramfs_unpack(fs, bad, len), -EINVAL);
	memcpy(bad, buf, len);
	memcpy(bad + 54, "7FFFFFF0", 8); /* filesize */
	CHECK_EQ(initramfs_unpack(fs, bad, len), -EINVAL);
	memcpy(bad, buf, len);
	bad[20] = 'g'; /* not hex */
	CHECK_EQ(initramfs_unpack(fs, bad, len), -EINVAL);
	memcpy(bad, buf, len);
	memcpy(bad + 94, "00000001", 8); /* name "." without its NUL */
	CHECK_EQ(initramfs_unpack(fs, bad, len), -EINVAL);
	CHECK_EQ(initramfs_unpack(fs, NULL, 10), -EINVAL);
	CHECK_STR(list_dir(fs, "/"), "dev system tmp");
	fs_struct_put(fs);
}

static void truncated_real_archive_is_rejected(void)
{
	size_t len;
	char *cpio = read_host_file(archive_path, &len);
	struct fs_struct *fs = new_fs();
	int bad = 0;

	CHECK(cpio != NULL);
	for (size_t n = 1; cpio && n < len - 1024; n = n * 3 / 2 + 7) {
		char *copy = malloc(n); /* exact-size copy so ASan sees overreads */
		memcpy(copy, cpio, n);
		if (initramfs_unpack(fs, copy, n) != -EINVAL)
			bad++;
		free(copy);
	}
	CHECK_EQ(bad, 0);
	free(cpio);
	fs_struct_put(fs);
}

/* ---------------------------------------------------------------- namespaces */

static int mounts_has(struct fs_struct *fs, const char *needle)
{
	static char buf[8192];

	if (vfs_list_mounts(fs, buf, sizeof(buf)) < 0)
		return 0;
	return strstr(buf, needle) != NULL;
}

/* A fresh namespace sees only the filesystem it was given. */
static void namespace_fresh_has_only_its_root(void)
{
	struct fs_struct *a = new_fs(), *b;
	struct superblock *sb;
	char buf[32];

	CHECK_EQ(put_file(a, "/tmp/outside", "o"), 0);
	CHECK_EQ(tmpfs_type.mount("fresh", 0, NULL, &sb), 0);
	b = fs_struct_clone(a);
	CHECK_EQ(mnt_ns_fresh(b, sb), 0);
	CHECK(a->ns != b->ns);
	CHECK_STR(list_dir(b, "/"), "");
	CHECK_STR(cwd(b), "/");
	CHECK_EQ(stat_err(b, "/tmp/outside", true), -ENOENT);
	CHECK_EQ(stat_err(b, "/../tmp/outside", true), -ENOENT);
	CHECK_EQ(vfs_mkdir(b, "/etc", 0755), 0);
	CHECK_EQ(put_file(b, "/etc/inside", "i"), 0);
	CHECK_EQ(vfs_mkdir(b, "/tmp", 0755), 0);
	CHECK_EQ(vfs_mount(b, "none", "/tmp", "tmpfs", 0, NULL), 0);
	CHECK(mounts_has(b, " /tmp tmpfs"));
	/* nothing of it shows in the original namespace */
	CHECK_EQ(stat_err(a, "/etc/inside", true), -ENOENT);
	CHECK_EQ(get_file(a, "/tmp/outside", buf, sizeof(buf)), 1);
	fs_struct_put(b);
	fs_struct_put(a);
}

static void namespace_clone_isolates_mounts(void)
{
	struct fs_struct *a = new_fs(), *b;
	char buf[32];

	CHECK_EQ(vfs_mkdir(a, "/mnt", 0755), 0);
	CHECK_EQ(vfs_chdir(a, "/tmp"), 0);
	b = fs_struct_clone(a);
	CHECK_EQ(mnt_ns_clone(b), 0);
	CHECK(a->ns != b->ns);
	CHECK_STR(cwd(b), "/tmp");
	/* a mount in b is invisible in a, and the other way round */
	CHECK_EQ(vfs_mount(b, "none", "/mnt", "tmpfs", 0, NULL), 0);
	CHECK_EQ(put_file(b, "/mnt/only_b", "b"), 0);
	CHECK_STR(list_dir(b, "/mnt"), "only_b");
	CHECK_STR(list_dir(a, "/mnt"), "");
	CHECK(mounts_has(b, " /mnt tmpfs"));
	CHECK(!mounts_has(a, " /mnt tmpfs"));
	CHECK_EQ(vfs_mount(a, "none", "/mnt", "tmpfs", 0, NULL), 0);
	CHECK_EQ(put_file(a, "/mnt/only_a", "a"), 0);
	CHECK_STR(list_dir(b, "/mnt"), "only_b");
	/* the filesystems themselves are shared */
	CHECK_EQ(put_file(a, "/tmp/shared", "s"), 0);
	CHECK_EQ(get_file(b, "shared", buf, sizeof(buf)), 1);
	/* unmounting in one namespace leaves the other's mount */
	CHECK_EQ(vfs_chdir(b, "/"), 0);
	CHECK_EQ(vfs_umount(b, "/tmp"), 0);
	CHECK_EQ(stat_err(b, "/tmp/shared", true), -ENOENT);
	CHECK_EQ(stat_err(a, "/tmp/shared", true), 0);
	CHECK_EQ(vfs_umount(a, "/mnt"), 0);
	CHECK_STR(list_dir(b, "/mnt"), "only_b");
	/* a clone of b's namespace sees b's mounts */
	{
		struct fs_struct *c = fs_struct_clone(b);
		CHECK_EQ(mnt_ns_clone(c), 0);
		CHECK_STR(list_dir(c, "/mnt"), "only_b");
		fs_struct_put(c);
	}
	fs_struct_put(b);
	CHECK_STR(list_dir(a, "/tmp"), "shared");
	fs_struct_put(a);
}

static void bind_mounts_directories_and_files(void)
{
	struct fs_struct *fs = new_fs();
	char buf[32];

	CHECK_EQ(vfs_mkdir(fs, "/data", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/view", 0755), 0);
	CHECK_EQ(put_file(fs, "/data/f", "data"), 0);
	CHECK_EQ(vfs_mount(fs, "/data", "/view", NULL, MS_BIND, NULL), 0);
	CHECK_STR(list_dir(fs, "/view"), "f");
	CHECK_EQ(ino_of(fs, "/view/f"), ino_of(fs, "/data/f"));
	CHECK_EQ(put_file(fs, "/view/g", "via view"), 0);
	CHECK_EQ(get_file(fs, "/data/g", buf, sizeof(buf)), 8);
	CHECK(mounts_has(fs, "/data /view tmpfs rw"));
	/* ".." leaves the bind to its mountpoint, not the source's parent */
	CHECK_EQ(vfs_chdir(fs, "/view"), 0);
	CHECK_EQ(ino_of(fs, ".."), ino_of(fs, "/"));
	CHECK_STR(cwd(fs), "/view");
	CHECK_EQ(vfs_chdir(fs, "/"), 0);
	CHECK_EQ(vfs_umount(fs, "/view"), 0);
	CHECK_STR(list_dir(fs, "/view"), "");
	/* a single file on a file */
	CHECK_EQ(put_file(fs, "/target", "old target"), 0);
	CHECK_EQ(vfs_mount(fs, "/data/f", "/target", NULL, MS_BIND, NULL), 0);
	CHECK_EQ(get_file(fs, "/target", buf, sizeof(buf)), 4);
	CHECK_STR(buf, "data");
	CHECK_EQ(vfs_unlink(fs, "/target"), -EBUSY);
	CHECK_EQ(vfs_umount(fs, "/target"), 0);
	CHECK_EQ(get_file(fs, "/target", buf, sizeof(buf)), 10);
	/* types must match */
	CHECK_EQ(vfs_mount(fs, "/data", "/target", NULL, MS_BIND, NULL), -ENOTDIR);
	CHECK_EQ(vfs_mount(fs, "/data/f", "/view", NULL, MS_BIND, NULL), -EISDIR);
	CHECK_EQ(vfs_mount(fs, "/nope", "/view", NULL, MS_BIND, NULL), -ENOENT);
	fs_struct_put(fs);
}

static void readonly_bind_gives_erofs(void)
{
	struct fs_struct *fs = new_fs();
	struct vattr va = {.mode = 0600};
	struct kobj *o;
	char buf[32];

	CHECK_EQ(vfs_mkdir(fs, "/data", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/ro", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/data/sub", 0755), 0);
	CHECK_EQ(put_file(fs, "/data/f", "data"), 0);
	CHECK_EQ(vfs_mount(fs, "/data", "/ro", NULL, MS_BIND | MS_RDONLY, NULL), 0);
	CHECK_EQ(get_file(fs, "/ro/f", buf, sizeof(buf)), 4);
	CHECK_EQ(put_file(fs, "/ro/new", "x"), -EROFS);
	CHECK_EQ(vfs_open(fs, "/ro/f", O_WRONLY, 0, &o), -EROFS);
	CHECK_EQ(vfs_unlink(fs, "/ro/f"), -EROFS);
	CHECK_EQ(vfs_mkdir(fs, "/ro/d", 0755), -EROFS);
	CHECK_EQ(vfs_rmdir(fs, "/ro/sub"), -EROFS);
	CHECK_EQ(vfs_rename(fs, "/ro/f", "/ro/g"), -EROFS);
	CHECK_EQ(vfs_setattr(fs, "/ro/f", true, &va, VATTR_MODE), -EROFS);
	CHECK_EQ(vfs_truncate(fs, "/ro/f", 0), -EROFS);
	CHECK_EQ(vfs_symlink(fs, "f", "/ro/l"), -EROFS);
	CHECK(mounts_has(fs, "/data /ro tmpfs ro"));
	/* the original stays writable */
	CHECK_EQ(put_file(fs, "/data/new", "y"), 0);
	CHECK_EQ(stat_err(fs, "/ro/new", true), 0);
	/* a writable bind made read-only later, and back */
	CHECK_EQ(vfs_mkdir(fs, "/rw", 0755), 0);
	CHECK_EQ(vfs_mount(fs, "/data", "/rw", NULL, MS_BIND, NULL), 0);
	CHECK_EQ(put_file(fs, "/rw/f2", "z"), 0);
	CHECK_EQ(vfs_mount(fs, NULL, "/rw", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL), 0);
	CHECK_EQ(put_file(fs, "/rw/f3", "z"), -EROFS);
	CHECK_EQ(put_file(fs, "/data/f3", "z"), 0);
	CHECK_EQ(vfs_mount(fs, NULL, "/rw", NULL, MS_REMOUNT | MS_BIND, NULL), 0);
	CHECK_EQ(put_file(fs, "/rw/f4", "z"), 0);
	CHECK_EQ(vfs_mount(fs, NULL, "/rw/sub", NULL, MS_REMOUNT, NULL), -EINVAL);
	/* a bind of a read-only mount is read-only too */
	CHECK_EQ(vfs_mkdir(fs, "/sys2", 0755), 0);
	CHECK_EQ(vfs_mount(fs, "/system", "/sys2", NULL, MS_BIND, NULL), 0);
	CHECK_EQ(vfs_mkdir(fs, "/sys2/x", 0755), -EROFS);
	/* a file bind read-only */
	CHECK_EQ(put_file(fs, "/file", "file"), 0);
	CHECK_EQ(vfs_mount(fs, "/data/f", "/file", NULL, MS_BIND | MS_RDONLY, NULL), 0);
	CHECK_EQ(put_file(fs, "/file", "w"), -EROFS);
	CHECK_EQ(put_file(fs, "/data/f", "w"), 0);
	fs_struct_put(fs);
}

static void recursive_bind_copies_submounts(void)
{
	struct fs_struct *fs = new_fs();

	CHECK_EQ(vfs_mkdir(fs, "/src", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/src/inner", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/other", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/plain", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/rec", 0755), 0);
	CHECK_EQ(vfs_mount(fs, "none", "/src/inner", "tmpfs", 0, NULL), 0);
	CHECK_EQ(vfs_mount(fs, "none", "/other", "tmpfs", 0, NULL), 0);
	CHECK_EQ(put_file(fs, "/src/inner/in_mount", "m"), 0);
	CHECK_EQ(vfs_mount(fs, "/src", "/plain", NULL, MS_BIND, NULL), 0);
	CHECK_STR(list_dir(fs, "/plain/inner"), "");
	CHECK_EQ(vfs_mount(fs, "/src", "/rec", NULL, MS_BIND | MS_REC, NULL), 0);
	CHECK_STR(list_dir(fs, "/rec/inner"), "in_mount");
	CHECK_EQ(vfs_umount(fs, "/rec"), -EBUSY);
	CHECK_EQ(vfs_umount(fs, "/rec/inner"), 0);
	CHECK_EQ(vfs_umount(fs, "/rec"), 0);
	/* binding the whole tree with its mounts, like /scarlet */
	CHECK_EQ(vfs_mkdir(fs, "/all", 0755), 0);
	CHECK_EQ(vfs_mount(fs, "/", "/all", NULL, MS_BIND | MS_REC, NULL), 0);
	CHECK_STR(list_dir(fs, "/all/src/inner"), "in_mount");
	CHECK_EQ(stat_err(fs, "/all/dev/null", true), 0);
	CHECK_STR(list_dir(fs, "/all/all"), "");
	fs_struct_put(fs);
}

static void chroot_syscall_confines_walks(void)
{
	struct fs_struct *fs = new_fs();
	char buf[32];

	CHECK_EQ(vfs_mkdir(fs, "/jail", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/jail/in", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/jail/b", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/outside", 0755), 0);
	CHECK_EQ(put_file(fs, "/outside/o", "o"), 0);
	CHECK_EQ(put_file(fs, "/secret", "s"), 0);
	CHECK_EQ(vfs_symlink(fs, "/secret", "/jail/abs"), 0);
	CHECK_EQ(vfs_symlink(fs, "../../../../secret", "/jail/in/rel"), 0);
	CHECK_EQ(vfs_symlink(fs, "..", "/jail/up"), 0);
	CHECK_EQ(vfs_mount(fs, "/outside", "/jail/b", NULL, MS_BIND, NULL), 0);
	CHECK_EQ(vfs_chdir(fs, "/outside"), 0);
	CHECK_EQ(vfs_chroot(fs, "/jail"), 0);
	CHECK_STR(cwd(fs), "/"); /* the cwd was outside: moved in */
	CHECK_STR(list_dir(fs, "/.."), "abs b in up");
	CHECK_STR(list_dir(fs, "/up/up/.."), "abs b in up");
	CHECK_EQ(stat_err(fs, "/abs", true), -ENOENT);
	CHECK_EQ(stat_err(fs, "/in/rel", true), -ENOENT);
	CHECK_EQ(stat_err(fs, "/secret", true), -ENOENT);
	CHECK_EQ(get_file(fs, "/b/o", buf, sizeof(buf)), 1);
	CHECK_STR(list_dir(fs, "/b/../.."), "abs b in up");
	CHECK_EQ(vfs_chdir(fs, "/b"), 0);
	CHECK_STR(cwd(fs), "/b");
	CHECK_STR(list_dir(fs, "../../../.."), "abs b in up");
	CHECK_EQ(vfs_umount(fs, "/b"), -EBUSY); /* cwd inside */
	CHECK(mounts_has(fs, " /b tmpfs"));
	CHECK(!mounts_has(fs, " /jail/b "));
	/* a chroot inside keeps a cwd that is inside */
	CHECK_EQ(vfs_chdir(fs, "/in"), 0);
	CHECK_EQ(vfs_chroot(fs, "/"), 0);
	CHECK_STR(cwd(fs), "/in");
	CHECK_EQ(vfs_chroot(fs, "/in/rel"), -ENOENT);
	CHECK_EQ(vfs_chroot(fs, "/abs"), -ENOENT);
	fs_struct_put(fs);
}

/* ---------------------------------------------------------------- overlay */

static struct fs_struct *overlay_fs(const char *opts)
{
	struct fs_struct *fs = new_fs();

	CHECK_EQ(vfs_mkdir(fs, "/lower", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/upper", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/ovl", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/lower/dir", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/lower/dir/sub", 0700), 0);
	CHECK_EQ(put_file(fs, "/lower/a", "lower a"), 0);
	CHECK_EQ(put_file(fs, "/lower/dir/b", "lower b"), 0);
	CHECK_EQ(put_file(fs, "/lower/dir/sub/c", "lower c"), 0);
	CHECK_EQ(vfs_symlink(fs, "dir/b", "/lower/lnk"), 0);
	CHECK_EQ(vfs_mknod(fs, "/lower/dev", S_IFCHR | 0600, MKDEV(1, 3)), 0);
	CHECK_EQ(put_file(fs, "/upper/u", "upper u"), 0);
	if (opts)
		CHECK_EQ(vfs_mount(fs, "overlay", "/ovl", "overlay", 0, opts), 0);
	return fs;
}

#define OVL_OPTS "lowerdir=/lower,upperdir=/upper"

static void overlay_reads_through_and_merges(void)
{
	struct fs_struct *fs = overlay_fs(OVL_OPTS);
	char buf[64];
	struct vattr va;

	CHECK_STR(list_dir(fs, "/ovl"), "a dev dir lnk u");
	CHECK_EQ(get_file(fs, "/ovl/a", buf, sizeof(buf)), 7);
	CHECK_STR(buf, "lower a");
	CHECK_EQ(get_file(fs, "/ovl/lnk", buf, sizeof(buf)), 7);
	CHECK_STR(buf, "lower b");
	CHECK_EQ(get_file(fs, "/ovl/u", buf, sizeof(buf)), 7);
	CHECK_EQ(vfs_stat(fs, "/ovl/dev", true, &va), 0);
	CHECK_EQ(va.rdev, MKDEV(1, 3));
	CHECK_EQ(vfs_stat(fs, "/ovl/dir/sub", true, &va), 0);
	CHECK_EQ(va.mode, S_IFDIR | 0700);
	CHECK(mounts_has(fs, "overlay /ovl overlay rw"));
	/* upper entries hide lower ones of the same name, listed once */
	CHECK_EQ(put_file(fs, "/upper/a", "upper a"), 0);
	CHECK_EQ(vfs_mkdir(fs, "/upper/dir", 0755), 0);
	CHECK_EQ(put_file(fs, "/upper/dir/only_up", "x"), 0);
	CHECK_EQ(get_file(fs, "/ovl/a", buf, sizeof(buf)), 7);
	CHECK_STR(buf, "upper a");
	CHECK_STR(list_dir(fs, "/ovl"), "a dev dir lnk u");
	CHECK_STR(list_dir(fs, "/ovl/dir"), "b only_up sub");
	/* small readdir batches still list each entry once */
	CHECK_STR(list_dir_limit(fs, "/ovl/dir", 1), "b only_up sub");
	/* ".." and getcwd inside the overlay */
	CHECK_EQ(vfs_chdir(fs, "/ovl/dir/sub"), 0);
	CHECK_STR(cwd(fs), "/ovl/dir/sub");
	CHECK_EQ(ino_of(fs, "../.."), ino_of(fs, "/ovl"));
	CHECK_EQ(vfs_chdir(fs, "/"), 0);
	CHECK_EQ(vfs_umount(fs, "/ovl"), 0);
	CHECK_STR(list_dir(fs, "/ovl"), "");
	fs_struct_put(fs);
}

static void overlay_copy_up_data_and_metadata(void)
{
	struct fs_struct *fs = overlay_fs(OVL_OPTS);
	struct vattr va = {.mode = 0600}, lva, ova;
	struct kobj *o;
	char buf[64];
	long long ino;

	CHECK_EQ(vfs_stat(fs, "/lower/dir/b", true, &lva), 0);
	ino = ino_of(fs, "/ovl/dir/b");
	/* metadata change copies data and parents up */
	CHECK_EQ(vfs_setattr(fs, "/ovl/dir/b", true, &va, VATTR_MODE), 0);
	CHECK_EQ(vfs_stat(fs, "/upper/dir/b", true, &ova), 0);
	CHECK_EQ(ova.mode, S_IFREG | 0600);
	CHECK_EQ(ova.mtime_ns, lva.mtime_ns);
	CHECK_EQ(get_file(fs, "/upper/dir/b", buf, sizeof(buf)), 7);
	CHECK_EQ(vfs_stat(fs, "/lower/dir/b", true, &lva), 0);
	CHECK_EQ(lva.mode, S_IFREG | 0644);
	CHECK_EQ(ino_of(fs, "/ovl/dir/b"), ino); /* stable across copy-up */
	CHECK_STR(list_dir(fs, "/upper/dir"), "b");
	/* appending writes copy the data first */
	CHECK_EQ(vfs_open(fs, "/ovl/a", O_WRONLY | O_APPEND, 0, &o), 0);
	CHECK_EQ(write_str(o, "+more"), 5);
	kobj_put(o);
	CHECK_EQ(get_file(fs, "/ovl/a", buf, sizeof(buf)), 12);
	CHECK_STR(buf, "lower a+more");
	CHECK_EQ(get_file(fs, "/lower/a", buf, sizeof(buf)), 7);
	/* O_TRUNC, symlinks, device nodes, deep copy-up */
	CHECK_EQ(put_file(fs, "/ovl/dir/sub/c", "new c"), 0);
	CHECK_EQ(get_file(fs, "/upper/dir/sub/c", buf, sizeof(buf)), 5);
	CHECK_EQ(get_file(fs, "/lower/dir/sub/c", buf, sizeof(buf)), 7);
	CHECK_EQ(vfs_stat(fs, "/upper/dir/sub", true, &ova), 0);
	CHECK_EQ(ova.mode, S_IFDIR | 0700);
	CHECK_EQ(vfs_truncate(fs, "/ovl/dir/b", 3), 0);
	CHECK_EQ(get_file(fs, "/ovl/dir/b", buf, sizeof(buf)), 3);
	/* an open reader sees the copy-up made through another open */
	CHECK_EQ(put_file(fs, "/lower/r", "r0"), 0);
	CHECK_EQ(vfs_open(fs, "/ovl/r", O_RDONLY, 0, &o), 0);
	CHECK_EQ(put_file(fs, "/ovl/r", "r1"), 0);
	CHECK_EQ(read_n(o, buf, sizeof(buf)), 2);
	CHECK(memcmp(buf, "r1", 2) == 0);
	kobj_put(o);
	fs_struct_put(fs);
}

static void overlay_whiteouts_and_opaque_dirs(void)
{
	struct fs_struct *fs = overlay_fs(OVL_OPTS);
	struct vattr va;
	char buf[64];

	CHECK_EQ(vfs_unlink(fs, "/ovl/a"), 0);
	CHECK_EQ(stat_err(fs, "/ovl/a", false), -ENOENT);
	CHECK_EQ(vfs_stat(fs, "/upper/a", false, &va), 0);
	CHECK(S_ISCHR(va.mode) && va.rdev == 0);
	CHECK_EQ(get_file(fs, "/lower/a", buf, sizeof(buf)), 7);
	CHECK_STR(list_dir(fs, "/ovl"), "dev dir lnk u");
	CHECK_EQ(vfs_unlink(fs, "/ovl/a"), -ENOENT);
	CHECK_EQ(vfs_unlink(fs, "/ovl/u"), 0); /* upper only: no whiteout */
	CHECK_EQ(stat_err(fs, "/upper/u", false), -ENOENT);
	/* recreating a deleted name */
	CHECK_EQ(put_file(fs, "/ovl/a", "again"), 0);
	CHECK_EQ(get_file(fs, "/ovl/a", buf, sizeof(buf)), 5);
	CHECK_EQ(vfs_unlink(fs, "/ovl/a"), 0);
	CHECK_EQ(stat_err(fs, "/ovl/a", false), -ENOENT);
	/* rmdir needs the merged directory empty */
	CHECK_EQ(vfs_rmdir(fs, "/ovl/dir"), -ENOTEMPTY);
	CHECK_EQ(vfs_unlink(fs, "/ovl/dir/sub/c"), 0);
	CHECK_EQ(vfs_rmdir(fs, "/ovl/dir/sub"), 0);
	CHECK_EQ(vfs_unlink(fs, "/ovl/dir/b"), 0);
	CHECK_STR(list_dir(fs, "/ovl/dir"), "");
	CHECK_EQ(vfs_rmdir(fs, "/ovl/dir"), 0);
	CHECK_EQ(stat_err(fs, "/ovl/dir", false), -ENOENT);
	CHECK_STR(list_dir(fs, "/lower/dir"), "b sub");
	/* mkdir where a lower directory was deleted: opaque */
	CHECK_EQ(vfs_mkdir(fs, "/ovl/dir", 0755), 0);
	CHECK_STR(list_dir(fs, "/ovl/dir"), "");
	CHECK_EQ(stat_err(fs, "/ovl/dir/b", false), -ENOENT);
	CHECK_EQ(stat_err(fs, "/upper/dir/.wh..wh..opq", false), 0);
	CHECK_EQ(stat_err(fs, "/ovl/dir/.wh..wh..opq", false), -ENOENT);
	CHECK_EQ(put_file(fs, "/ovl/dir/new", "n"), 0);
	CHECK_STR(list_dir(fs, "/ovl/dir"), "new");
	CHECK_EQ(put_file(fs, "/ovl/dir/.wh..wh..opq", "n"), -EPERM);
	/* and it can be removed again */
	CHECK_EQ(vfs_unlink(fs, "/ovl/dir/new"), 0);
	CHECK_EQ(vfs_rmdir(fs, "/ovl/dir"), 0);
	CHECK_STR(list_dir(fs, "/ovl"), "dev lnk");
	/* whiteouts survive a remount */
	CHECK_EQ(vfs_umount(fs, "/ovl"), 0);
	CHECK_EQ(vfs_mount(fs, "overlay", "/ovl", "overlay", 0, OVL_OPTS), 0);
	CHECK_STR(list_dir(fs, "/ovl"), "dev lnk");
	fs_struct_put(fs);
}

static void overlay_rename(void)
{
	struct fs_struct *fs = overlay_fs(OVL_OPTS);
	char buf[64];

	CHECK_EQ(vfs_rename(fs, "/ovl/a", "/ovl/a2"), 0);
	CHECK_EQ(stat_err(fs, "/ovl/a", false), -ENOENT);
	CHECK_EQ(get_file(fs, "/ovl/a2", buf, sizeof(buf)), 7);
	CHECK_STR(buf, "lower a");
	CHECK_EQ(get_file(fs, "/lower/a", buf, sizeof(buf)), 7);
	CHECK_STR(list_dir(fs, "/ovl"), "a2 dev dir lnk u");
	/* over an existing lower file, into another directory */
	CHECK_EQ(vfs_rename(fs, "/ovl/a2", "/ovl/dir/b"), 0);
	CHECK_EQ(get_file(fs, "/ovl/dir/b", buf, sizeof(buf)), 7);
	CHECK_STR(buf, "lower a");
	CHECK_STR(list_dir(fs, "/ovl"), "dev dir lnk u");
	/* directories with lower layers: EXDEV; upper-only ones move */
	CHECK_EQ(vfs_rename(fs, "/ovl/dir", "/ovl/dir2"), -EXDEV);
	CHECK_EQ(vfs_mkdir(fs, "/ovl/newdir", 0755), 0);
	CHECK_EQ(put_file(fs, "/ovl/newdir/x", "x"), 0);
	CHECK_EQ(vfs_rename(fs, "/ovl/newdir", "/ovl/moved"), 0);
	CHECK_STR(list_dir(fs, "/ovl/moved"), "x");
	/* a directory moved over an empty lower directory hides it */
	CHECK_EQ(vfs_mkdir(fs, "/lower/empty", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/ovl/mine", 0755), 0);
	CHECK_EQ(vfs_rename(fs, "/ovl/mine", "/ovl/empty"), 0);
	CHECK_STR(list_dir(fs, "/ovl/empty"), "");
	CHECK_EQ(vfs_rename(fs, "/ovl/u", "/ovl/dir/sub/c"), 0);
	CHECK_EQ(get_file(fs, "/ovl/dir/sub/c", buf, sizeof(buf)), 7);
	CHECK_STR(buf, "upper u");
	CHECK_EQ(vfs_rename(fs, "/ovl/moved", "/ovl/dir"), -ENOTEMPTY);
	fs_struct_put(fs);
}

static void overlay_multiple_lowers_and_readonly(void)
{
	struct fs_struct *fs = overlay_fs(NULL);
	struct path up, lows[2];
	struct superblock *sb;
	struct kobj *o;
	char buf[64];

	CHECK_EQ(vfs_mkdir(fs, "/l2", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/l2/dir", 0755), 0);
	CHECK_EQ(put_file(fs, "/l2/a", "l2 a"), 0);
	CHECK_EQ(put_file(fs, "/l2/only2", "only l2"), 0);
	CHECK_EQ(put_file(fs, "/l2/dir/deep2", "d"), 0);
	CHECK_EQ(vfs_mknod(fs, "/lower/wh", S_IFCHR, 0), 0); /* a whiteout in a lower */
	CHECK_EQ(put_file(fs, "/l2/wh", "hidden"), 0);
	CHECK_EQ(
	    vfs_mount(fs, "overlay", "/ovl", "overlay", 0, "lowerdir=/lower:/l2,upperdir=/upper"),
	    0);
	CHECK_STR(list_dir(fs, "/ovl"), "a dev dir lnk only2 u");
	CHECK_EQ(get_file(fs, "/ovl/a", buf, sizeof(buf)), 7);
	CHECK_STR(buf, "lower a");
	CHECK_EQ(get_file(fs, "/ovl/only2", buf, sizeof(buf)), 7);
	CHECK_STR(list_dir(fs, "/ovl/dir"), "b deep2 sub");
	CHECK_EQ(stat_err(fs, "/ovl/wh", false), -ENOENT);
	CHECK_EQ(put_file(fs, "/ovl/dir/deep2", "changed"), 0);
	CHECK_EQ(get_file(fs, "/l2/dir/deep2", buf, sizeof(buf)), 1);
	CHECK_EQ(vfs_umount(fs, "/ovl"), 0);
	/* read-only: lowers only */
	CHECK_EQ(vfs_mount(fs, "overlay", "/ovl", "overlay", 0, "lowerdir=/lower:/l2"), 0);
	CHECK_EQ(get_file(fs, "/ovl/only2", buf, sizeof(buf)), 7);
	CHECK_EQ(put_file(fs, "/ovl/a", "x"), -EROFS);
	CHECK_EQ(vfs_unlink(fs, "/ovl/a"), -EROFS);
	CHECK(mounts_has(fs, "overlay /ovl overlay ro"));
	CHECK_EQ(vfs_umount(fs, "/ovl"), 0);
	/* bad options */
	CHECK_EQ(vfs_mount(fs, "overlay", "/ovl", "overlay", 0, "upperdir=/upper"), -EINVAL);
	CHECK_EQ(vfs_mount(fs, "overlay", "/ovl", "overlay", 0, NULL), -EINVAL);
	CHECK_EQ(vfs_mount(fs, "overlay", "/ovl", "overlay", 0, "lowerdir=/nope"), -ENOENT);
	CHECK_EQ(vfs_mount(fs, "overlay", "/ovl", "overlay", 0, "lowerdir=/lower/a"), -ENOTDIR);
	CHECK_EQ(vfs_mount(fs, "overlay", "/ovl", "overlay", 0, "lowerdir=/lower,bogus"), -EINVAL);
	/* the kernel API */
	CHECK_EQ(vfs_walk(fs, "/upper", WALK_DIR, &up), 0);
	CHECK_EQ(vfs_walk(fs, "/lower", WALK_DIR, &lows[0]), 0);
	CHECK_EQ(vfs_walk(fs, "/l2", WALK_DIR, &lows[1]), 0);
	CHECK_EQ(overlay_mount_paths(&up, lows, 2, &sb), 0);
	CHECK_EQ(vfs_mount_sb(fs, sb, "/ovl", 0, "env"), 0);
	path_put(&up);
	path_put(&lows[0]);
	path_put(&lows[1]);
	CHECK_EQ(get_file(fs, "/ovl/dir/deep2", buf, sizeof(buf)), 7);
	CHECK_EQ(vfs_open(fs, "/ovl/created", O_RDWR | O_CREAT, 0644, &o), 0);
	kobj_put(o);
	CHECK_EQ(stat_err(fs, "/upper/created", false), 0);
	CHECK_EQ(vfs_umount(fs, "/upper"), -EINVAL); /* not a mount */
	fs_struct_put(fs);
}

static void overlay_in_private_namespace_with_binds(void)
{
	struct fs_struct *g = overlay_fs(NULL), *t;

	CHECK_EQ(vfs_mkdir(g, "/home", 0755), 0);
	CHECK_EQ(put_file(g, "/home/h", "home"), 0);
	CHECK_EQ(vfs_mkdir(g, "/lower/home", 0755), 0);
	t = fs_struct_clone(g);
	CHECK_EQ(mnt_ns_clone(t), 0);
	CHECK_EQ(vfs_mount(t, "overlay", "/ovl", "overlay", 0, OVL_OPTS), 0);
	CHECK_EQ(vfs_mount(t, "/home", "/ovl/home", NULL, MS_BIND, NULL), 0);
	CHECK_EQ(vfs_chroot(t, "/ovl"), 0);
	CHECK_STR(list_dir(t, "/"), "a dev dir home lnk u");
	CHECK_STR(list_dir(t, "/home"), "h");
	CHECK_STR(list_dir(t, "/home/../.."), "a dev dir home lnk u");
	CHECK_EQ(put_file(t, "/home/new", "n"), 0);
	CHECK_EQ(stat_err(g, "/home/new", false), 0);
	CHECK_STR(list_dir(g, "/ovl"), "");
	CHECK_EQ(vfs_chdir(t, "/home"), 0);
	CHECK_STR(cwd(t), "/home");
	fs_struct_put(t);
	fs_struct_put(g);
}

static void view_walks_from_its_directory(void)
{
	struct fs_struct *fs = new_fs(), view;
	struct path dir;
	char buf[16] = {0};

	CHECK_EQ(vfs_mkdir(fs, "/tmp/d", 0755), 0);
	CHECK_EQ(put_file(fs, "/tmp/d/f", "in d"), 0);
	CHECK_EQ(put_file(fs, "/tmp/top", "top"), 0);
	CHECK_EQ(vfs_walk(fs, "/tmp/d", WALK_DIR, &dir), 0);
	CHECK_EQ(fs_view_at(fs, &dir, &view), 0);
	CHECK_EQ(get_file(&view, "f", buf, sizeof(buf)), 4);
	CHECK_EQ(get_file(&view, "../top", buf, sizeof(buf)), 3);
	CHECK_EQ(vfs_mkdir(&view, "sub", 0777), 0); /* umask 022 of fs */
	CHECK_EQ(stat_err(fs, "/tmp/d/sub", false), 0);
	CHECK_EQ(vfs_rename2(&view, "f", fs, "/tmp/g", VFS_RENAME_NOREPLACE), 0);
	CHECK_EQ(vfs_rename2(fs, "/tmp/g", &view, "../top", VFS_RENAME_NOREPLACE), -EEXIST);
	CHECK_EQ(vfs_rename2(fs, "/tmp/g", &view, "f", 0x10), -EINVAL);
	CHECK_STR(cwd(fs), "/"); /* the task's own cwd is untouched */
	fs_view_end(&view);
	path_put(&dir);
	CHECK_EQ(vfs_walk(fs, "/tmp/top", 0, &dir), 0);
	CHECK_EQ(fs_view_at(fs, &dir, &view), -ENOTDIR);
	path_put(&dir);
	CHECK_EQ(fs_umask_exchange(fs, 077), 022);
	CHECK_EQ(fs_umask_exchange(fs, 022), 077);
	fs_struct_put(fs);
}

/* fs_view_resolve: openat2's RESOLVE_* restrictions on walks. */
static void view_resolve_restricts_walks(void)
{
	struct fs_struct *fs = new_fs(), view;
	struct path dir;

	CHECK_EQ(vfs_mkdir(fs, "/r", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/r/d", 0755), 0);
	CHECK_EQ(put_file(fs, "/r/f", "f"), 0);
	CHECK_EQ(put_file(fs, "/top", "t"), 0);
	CHECK_EQ(vfs_symlink(fs, "f", "/r/lf"), 0);
	CHECK_EQ(vfs_symlink(fs, "/top", "/r/labs"), 0);
	CHECK_EQ(vfs_symlink(fs, "/tmp", "/r/ltmp"), 0);
	CHECK_EQ(vfs_walk(fs, "/r", WALK_DIR, &dir), 0);

	CHECK_EQ(fs_view_resolve(fs, &dir, WALK_RES_NO_SYMLINKS, &view), 0);
	CHECK_EQ(stat_err(&view, "f", true), 0);
	CHECK_EQ(stat_err(&view, "lf", true), -ELOOP);
	CHECK_EQ(stat_err(&view, "lf", false), 0);
	fs_view_end(&view);

	CHECK_EQ(fs_view_resolve(fs, &dir, WALK_RES_BENEATH, &view), 0);
	CHECK_EQ(stat_err(&view, "d/../f", true), 0);
	CHECK_EQ(stat_err(&view, "..", true), -EXDEV);
	CHECK_EQ(stat_err(&view, "/top", true), -EXDEV);
	CHECK_EQ(stat_err(&view, "labs", true), -EXDEV);
	fs_view_end(&view);

	CHECK_EQ(fs_view_resolve(fs, &dir, WALK_RES_IN_ROOT, &view), 0);
	CHECK_EQ(ino_of(&view, "/f"), ino_of(fs, "/r/f"));
	CHECK_EQ(ino_of(&view, "../../f"), ino_of(fs, "/r/f"));
	CHECK_EQ(stat_err(&view, "labs", true), -ENOENT); /* /top inside /r */
	fs_view_end(&view);
	path_put(&dir);

	CHECK_EQ(vfs_walk(fs, "/", WALK_DIR, &dir), 0);
	CHECK_EQ(fs_view_resolve(fs, &dir, WALK_RES_NO_XDEV, &view), 0);
	CHECK_EQ(stat_err(&view, "tmp", true), -EXDEV);
	CHECK_EQ(stat_err(&view, "r/f", true), 0);
	CHECK_EQ(stat_err(&view, "r/ltmp", true), -EXDEV);
	fs_view_end(&view);
	path_put(&dir);
	fs_struct_put(fs);
}

/* A tmpfs with size= is full at that size: writes stop with ENOSPC, and
 * freeing blocks (truncate, unlink) gives the room back. */
static void tmpfs_size_limit_and_options(void)
{
	struct fs_struct *fs = new_fs();
	struct vfs_statfs st;
	struct vattr va;
	struct kobj *o;
	static char block[4096];
	struct iobuf io;

	CHECK_EQ(vfs_mkdir(fs, "/tmp/s", 0755), 0);
	CHECK_EQ(
	    vfs_mount(fs, "none", "/tmp/s", "tmpfs", 0, "size=16k,nr_inodes=3,mode=1700,uid=5"), 0);
	CHECK_EQ(vfs_stat(fs, "/tmp/s", true, &va), 0);
	CHECK_EQ(va.mode & 07777, 01700);
	CHECK_EQ(va.uid, 5);
	CHECK_EQ(vfs_statfs(fs, "/tmp/s", &st), 0);
	CHECK_EQ(st.blocks, 4);
	CHECK_EQ(st.bfree, 4);
	CHECK_EQ(st.files, 3);
	CHECK_EQ(st.ffree, 2); /* the root is one */
	CHECK_EQ(vfs_open(fs, "/tmp/s/f", O_WRONLY | O_CREAT, 0644, &o), 0);
	for (int i = 0; i < 4; i++) {
		io = iobuf_kernel(block, sizeof(block));
		CHECK_EQ(kobj_write(o, &io), 4096);
	}
	io = iobuf_kernel(block, sizeof(block));
	CHECK_EQ(kobj_write(o, &io), -ENOSPC);
	kobj_put(o);
	CHECK_EQ(vfs_statfs(fs, "/tmp/s", &st), 0);
	CHECK_EQ(st.bfree, 0);
	CHECK_EQ(put_file(fs, "/tmp/s/g", ""), 0);
	CHECK_EQ(put_file(fs, "/tmp/s/h", ""), -ENOSPC); /* nr_inodes */
	CHECK_EQ(vfs_truncate(fs, "/tmp/s/f", 4096), 0);
	CHECK_EQ(vfs_statfs(fs, "/tmp/s", &st), 0);
	CHECK_EQ(st.bfree, 3);
	CHECK_EQ(vfs_unlink(fs, "/tmp/s/f"), 0);
	CHECK_EQ(vfs_statfs(fs, "/tmp/s", &st), 0);
	CHECK_EQ(st.bfree, 4);
	CHECK_EQ(st.ffree, 1);
	CHECK_EQ(vfs_umount(fs, "/tmp/s"), 0);
	CHECK_EQ(vfs_mount(fs, "none", "/tmp/s", "tmpfs", 0, "size=10%"), 0);
	CHECK_EQ(vfs_statfs(fs, "/tmp/s", &st), 0);
	CHECK_EQ(st.blocks, 6554); /* 10% of 65536 pages, rounded up */
	CHECK_EQ(vfs_umount(fs, "/tmp/s"), 0);
	CHECK_EQ(vfs_mount(fs, "none", "/tmp/s", "tmpfs", 0, "size=12q"), -EINVAL);
	CHECK_EQ(vfs_mount(fs, "none", "/tmp/s", "tmpfs", 0, "bogus"), -EINVAL);
	CHECK_EQ(vfs_mount(fs, "none", "/tmp/s", "tmpfs", 0, "mode=800"), -EINVAL);
	CHECK_EQ(vfs_mount(fs, "none", "/tmp/s", "tmpfs", 0, "huge=never,inode64"), 0);
	CHECK_EQ(vfs_umount(fs, "/tmp/s"), 0);
	fs_struct_put(fs);
}

static void access_and_statfs_by_path(void)
{
	struct fs_struct *fs = new_fs();
	struct vfs_statfs st;
	struct vattr va = {.mode = 0755};

	CHECK_EQ(put_file(fs, "/tmp/plain", "x"), 0);
	CHECK_EQ(vfs_access(fs, "/tmp/plain", true, VFS_R_OK | VFS_W_OK), 0);
	CHECK_EQ(vfs_access(fs, "/tmp/plain", true, VFS_X_OK), -EACCES);
	CHECK_EQ(vfs_access(fs, "/tmp", true, VFS_X_OK), 0);
	CHECK_EQ(vfs_access(fs, "/tmp/plain", true, 8), -EINVAL);
	CHECK_EQ(vfs_setattr(fs, "/tmp/plain", true, &va, VATTR_MODE), 0);
	CHECK_EQ(vfs_access(fs, "/tmp/plain", true, VFS_X_OK), 0);
	CHECK_EQ(vfs_statfs(fs, "/tmp/plain", &st), 0);
	CHECK_EQ(st.type, TMPFS_MAGIC);
	CHECK_EQ(st.bsize, 4096);
	CHECK_EQ(st.blocks, 32768); /* half of the 65536 pages of RAM */
	CHECK_EQ(st.bfree, 32767);
	CHECK_EQ(st.namelen, NAME_MAX);
	CHECK_EQ(st.flags, 0);
	CHECK_EQ(vfs_statfs(fs, "/dev", &st), 0);
	CHECK_EQ(st.type, TMPFS_MAGIC);
	CHECK_EQ(vfs_mkdir(fs, "/tmp/ro", 0755), 0);
	CHECK_EQ(vfs_mount(fs, "none", "/tmp/ro", "tmpfs", MS_RDONLY, NULL), 0);
	CHECK_EQ(vfs_statfs(fs, "/tmp/ro", &st), 0);
	CHECK_EQ(st.flags, VFS_ST_RDONLY);
	CHECK_EQ(vfs_access(fs, "/tmp/ro", true, VFS_W_OK), -EROFS);
	CHECK_EQ(vfs_statfs(fs, "/tmp/missing", &st), -ENOENT);
	fs_struct_put(fs);
}

struct pos_log {
	char names[8][16];
	uint64_t pos[8];
	int n, stop_at;
};

static int log_pos(void *ctx, const char *name, size_t len, uint64_t ino, unsigned dtype,
                   uint64_t pos)
{
	struct pos_log *l = ctx;

	(void)ino, (void)dtype;
	if (l->n == l->stop_at || l->n == 8)
		return 1;
	memcpy(l->names[l->n], name, len);
	l->names[l->n][len] = 0;
	l->pos[l->n++] = pos;
	return 0;
}

static void readdir_positions_resume_and_pread(void)
{
	struct fs_struct *fs = new_fs();
	struct pos_log a = {.stop_at = 99}, b = {.stop_at = 99};
	struct kobj *o;
	uint64_t end;
	char buf[8] = {0};

	CHECK_EQ(vfs_mkdir(fs, "/tmp/p", 0755), 0);
	CHECK_EQ(put_file(fs, "/tmp/p/one", "1"), 0);
	CHECK_EQ(put_file(fs, "/tmp/p/two", "2"), 0);
	CHECK_EQ(put_file(fs, "/tmp/p/three", "3"), 0);
	CHECK_EQ(vfs_open(fs, "/tmp/p", O_RDONLY, 0, &o), 0);
	CHECK_EQ(file_readdir_pos(o, log_pos, &a, &end), 0);
	CHECK_EQ(a.n, 5);
	CHECK_EQ(kobj_seek(o, (int64_t)a.pos[3], SEEK_SET), (int64_t)a.pos[3]);
	CHECK_EQ(file_readdir_pos(o, log_pos, &b, &end), 0);
	CHECK_EQ(b.n, 2);
	CHECK_STR(b.names[0], a.names[3]);
	CHECK_EQ(kobj_pread(o, &(struct iobuf){.base = buf, .len = 1}, 0), -EISDIR);
	kobj_put(o);

	CHECK_EQ(vfs_open(fs, "/tmp/p/one", O_RDWR | O_APPEND, 0, &o), 0);
	CHECK_EQ(kobj_pwrite(o, &(struct iobuf){.base = "xy", .len = 2}, 0), 2);
	CHECK_EQ(kobj_pread(o, &(struct iobuf){.base = buf, .len = sizeof(buf)}, 1), 2);
	CHECK_STR(buf, "xy");
	CHECK_EQ(kobj_seek(o, 0, SEEK_CUR), 0);
	CHECK_EQ(file_fsync(o), 0);
	kobj_put(o);
	CHECK_EQ(vfs_open(fs, "/tmp/p/one", O_PATH, 0, &o), 0);
	CHECK_EQ(read_n(o, buf, 1), -EBADF);
	kobj_put(o);
	fs_struct_put(fs);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		printf("usage: %s ARCHIVE.cpio SOURCE_DIR\n", argv[0]);
		return 2;
	}
	archive_path = argv[1];
	source_dir = argv[2];
	fs_init();
	mem_devices_init();

	RUN(walk_dot_dotdot_and_root_confinement);
	RUN(walk_enotdir_and_trailing_slash);
	RUN(walk_enametoolong);
	RUN(symlinks_relative_absolute_and_dotdot);
	RUN(symlink_loops_give_eloop);
	RUN(symlink_with_trailing_slash_is_followed);
	RUN(chroot_confines_dotdot_and_absolute_symlinks);
	RUN(open_flags_and_errors);
	RUN(file_read_write_seek);
	RUN(file_append_writes_at_end);
	RUN(sparse_files_and_truncate_read_zeros);
	RUN(readdir_lists_and_survives_unlinks);
	RUN(unlinked_open_file_stays_readable);
	RUN(hard_links_count_and_share_data);
	RUN(mkdir_rmdir_unlink_errors);
	RUN(mknod_makes_device_nodes);
	RUN(rename_cases);
	RUN(getcwd_across_mounts);
	RUN(mounts_umount_and_readonly);
	RUN(readonly_superblock_gives_erofs);
	RUN(setattr_and_truncate_by_path);
	RUN(fs_struct_clone_and_namespace_lifetime);
	RUN(devfs_nodes_and_memory_devices);
	RUN(random_entropy_changes_output);
	RUN(initramfs_unpacks_real_cpio_archive);
	RUN(initramfs_device_nodes_and_hard_links);
	RUN(corrupt_archives_are_rejected);
	RUN(truncated_real_archive_is_rejected);
	RUN(namespace_clone_isolates_mounts);
	RUN(namespace_fresh_has_only_its_root);
	RUN(bind_mounts_directories_and_files);
	RUN(readonly_bind_gives_erofs);
	RUN(recursive_bind_copies_submounts);
	RUN(chroot_syscall_confines_walks);
	RUN(overlay_reads_through_and_merges);
	RUN(overlay_copy_up_data_and_metadata);
	RUN(overlay_whiteouts_and_opaque_dirs);
	RUN(overlay_rename);
	RUN(overlay_multiple_lowers_and_readonly);
	RUN(overlay_in_private_namespace_with_binds);
	RUN(view_walks_from_its_directory);
	RUN(view_resolve_restricts_walks);
	RUN(access_and_statfs_by_path);
	RUN(tmpfs_size_limit_and_options);
	RUN(readdir_positions_resume_and_pread);

	printf("vfs: %d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
