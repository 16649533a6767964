/*
 * Host tests of the ext2 filesystem (kernel/fs/ext2) through the VFS and
 * the block cache, with a disk backed by an image file.  Images are made
 * by the real mke2fs from a directory tree, checked after our changes by
 * the real e2fsck, and compared with a mirror tree on the host that got
 * the same changes.  Built and run by tools/host-ext2-tests.sh under
 * ASan/UBSan.
 *
 * Usage: ext2_test WORKDIR.  Prints "ok NAME" / "FAIL NAME" per test and
 * "ext2: N passed, M failed" last.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

/* The kernel's ABI header defines the same flags (Linux generic values,
 * equal to the host's): let it define them again. */
#undef O_RDONLY
#undef O_WRONLY
#undef O_RDWR
#undef O_ACCMODE
#undef O_CREAT
#undef O_EXCL
#undef O_NOCTTY
#undef O_TRUNC
#undef O_APPEND
#undef O_NONBLOCK
#undef O_DIRECTORY
#undef O_NOFOLLOW
#undef O_CLOEXEC
#undef S_IFMT
#undef S_IFSOCK
#undef S_IFLNK
#undef S_IFREG
#undef S_IFBLK
#undef S_IFDIR
#undef S_IFCHR
#undef S_IFIFO
#undef S_ISUID
#undef S_ISGID
#undef S_ISVTX
#undef S_ISDIR
#undef S_ISREG
#undef S_ISLNK
#undef S_ISCHR
#undef S_ISBLK
#undef S_ISFIFO
#undef DT_UNKNOWN
#undef DT_FIFO
#undef DT_CHR
#undef DT_DIR
#undef DT_BLK
#undef DT_REG
#undef DT_LNK
#undef SEEK_SET
#undef SEEK_CUR
#undef SEEK_END
#undef WNOHANG
#undef WUNTRACED
#undef W_EXITCODE
#undef W_STOPCODE
#undef SIGHUP
#undef SIGINT
#undef SIGQUIT
#undef SIGILL
#undef SIGTRAP
#undef SIGABRT
#undef SIGBUS
#undef SIGFPE
#undef SIGKILL
#undef SIGUSR1
#undef SIGSEGV
#undef SIGUSR2
#undef SIGPIPE
#undef SIGALRM
#undef SIGTERM
#undef SIGCHLD
#undef SIGCONT
#undef SIGSTOP
#undef SIGTSTP
#undef NSIG
#undef SIG_DFL
#undef SIG_IGN

#include "fs/ext2/ext2.h"
#include "fs/tmpfs.h"
#include "fs/vfs_impl.h"
#include "obj/kobj.h"

#include "tests/host/check.h"

static const char *work;
static struct fs_struct *fs;

#define RUN(t)                                                                                     \
	do {                                                                                       \
		cur_fail = 0;                                                                      \
		t();                                                                               \
		printf("%s %s\n", cur_fail ? "FAIL" : "ok", #t);                                   \
		fflush(stdout);                                                                    \
		if (cur_fail)                                                                      \
			nfail++;                                                                   \
		else                                                                               \
			npass++;                                                                   \
	} while (0)

/* ------------------------------------------------------------ the disk */

static int disk_fd = -1;

static int img_read(struct blkdev *d, uint64_t sector, void *buf, uint32_t n)
{
	(void)d;
	return pread(disk_fd, buf, (size_t)n * 512, (off_t)sector * 512) == (ssize_t)n * 512 ? 0
	                                                                                     : -EIO;
}

static int img_write(struct blkdev *d, uint64_t sector, const void *buf, uint32_t n)
{
	(void)d;
	return pwrite(disk_fd, buf, (size_t)n * 512, (off_t)sector * 512) == (ssize_t)n * 512
	           ? 0
	           : -EIO;
}

static int img_flush(struct blkdev *d)
{
	(void)d;
	return fsync(disk_fd) == 0 ? 0 : -EIO;
}

static const struct blkdev_ops img_ops = {.read = img_read, .write = img_write, .flush = img_flush};
static struct blkdev disk = {.name = "vda", .ops = &img_ops};

static void attach(const char *img)
{
	if (disk_fd >= 0)
		close(disk_fd);
	disk_fd = open(img, O_RDWR);
	if (disk_fd < 0) {
		perror(img);
		exit(2);
	}
	disk.nsectors = (uint64_t)lseek(disk_fd, 0, SEEK_END) / 512;
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int r = system(cmd);
	return WIFEXITED(r) ? WEXITSTATUS(r) : -1;
}

static int do_mount(void)
{
	return vfs_mount(fs, "/dev/vda", "/mnt", "ext2", 0, NULL);
}

static int do_umount(void)
{
	return vfs_umount(fs, "/mnt");
}

static int fsck(const char *img)
{
	int r = sh("e2fsck -fn %s > %s/fsck.log 2>&1", img, work);
	if (r != 0) {
		printf("  e2fsck -fn %s: status %d\n", img, r);
		sh("head -40 %s/fsck.log", work);
	}
	return r;
}

/* ------------------------------------------------------------ data */

static uint8_t pat(uint32_t seed, uint64_t off)
{
	uint64_t x = (off >> 3) * 0x9E3779B97F4A7C15ull + seed * 0xBF58476D1CE4E5B9ull;
	x ^= x >> 29;
	return (uint8_t)((x >> (8 * (off & 7))) ^ (off >> 11));
}

static void fill_pat(uint8_t *b, size_t n, uint32_t seed, uint64_t off)
{
	for (size_t i = 0; i < n; i++)
		b[i] = pat(seed, off + i);
}

static uint64_t rng_state = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

/* ------------------------------------------------------------ the mirror */

static char mirror[512];

static void mpath(char *out, const char *rel)
{
	snprintf(out, 1024, "%s/%s", mirror, rel);
}

static void vpath(char *out, const char *rel)
{
	snprintf(out, 1024, "/mnt/%s", rel);
}

/* Writes pattern data to both trees at off. */
static int both_write(const char *rel, uint32_t seed, uint64_t off, uint64_t n, int oflags)
{
	char vp[1024], hp[1024];
	struct kobj *o;
	int hfd, err;
	uint8_t *buf = malloc(65536);

	vpath(vp, rel);
	mpath(hp, rel);
	err = vfs_open(fs, vp, O_WRONLY | O_CREAT | oflags, 0644, &o);
	hfd = open(hp, O_WRONLY | O_CREAT | oflags, 0644);
	if (err < 0 || hfd < 0) {
		printf("  open %s: %d / %d\n", rel, err, hfd);
		free(buf);
		if (err == 0)
			kobj_put(o);
		if (hfd >= 0)
			close(hfd);
		return err < 0 ? err : -EIO;
	}
	if (!(oflags & O_APPEND)) {
		kobj_seek(o, (int64_t)off, SEEK_SET);
		lseek(hfd, (off_t)off, SEEK_SET);
	}
	for (uint64_t done = 0; done < n && err == 0;) {
		size_t c = (size_t)MIN(65536u, n - done);
		fill_pat(buf, c, seed, off + done);
		struct iobuf io = iobuf_kernel(buf, c);
		ssize_t w = kobj_write(o, &io);
		if (w != (ssize_t)c || write(hfd, buf, c) != (ssize_t)c) {
			printf("  write %s: %zd\n", rel, w);
			err = w < 0 ? (int)w : -EIO;
		}
		done += c;
	}
	kobj_put(o);
	close(hfd);
	free(buf);
	return err;
}

/* ------------------------------------------------------------ comparing */

struct names {
	char **v;
	int n, cap;
};

static int add_name(void *ctx, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	struct names *ns = ctx;

	(void)ino;
	(void)dtype;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 64;
		ns->v = realloc(ns->v, ns->cap * sizeof(char *));
	}
	ns->v[ns->n++] = strndup(name, len);
	return 0;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(struct names *ns)
{
	for (int i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
}

static int vfs_list(const char *vp, struct names *ns)
{
	struct kobj *o;
	int err = vfs_open(fs, vp, O_RDONLY | O_DIRECTORY, 0, &o);

	if (err < 0)
		return err;
	err = file_readdir(o, add_name, ns);
	kobj_put(o);
	if (ns->n)
		qsort(ns->v, ns->n, sizeof(char *), cmpstr);
	return err;
}

static void host_list(const char *hp, struct names *ns)
{
	DIR *d = opendir(hp);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL)
		add_name(ns, e->d_name, strlen(e->d_name), 0, 0);
	if (d)
		closedir(d);
	if (ns->n)
		qsort(ns->v, ns->n, sizeof(char *), cmpstr);
}

static bool compare_file(const char *vp, const char *hp, uint64_t size)
{
	struct kobj *o;
	int hfd = open(hp, O_RDONLY);
	char *a = malloc(65536), *b = malloc(65536);
	bool same = vfs_open(fs, vp, O_RDONLY, 0, &o) == 0;
	uint64_t got = 0;

	while (same) {
		struct iobuf io = iobuf_kernel(a, 65536);
		ssize_t n = kobj_read(o, &io);
		if (n <= 0) {
			same = n == 0;
			break;
		}
		same = read(hfd, b, n) == n && memcmp(a, b, n) == 0;
		got += n;
	}
	if (same)
		kobj_put(o);
	close(hfd);
	free(a);
	free(b);
	if (!same || got != size)
		printf("  %s differs\n", vp);
	return same && got == size;
}

/* Compares the ext2 tree at vp with the host tree at hp. */
static void compare_tree(const char *vp, const char *hp, bool top)
{
	struct names vn = {0}, hn = {0};
	struct stat st;
	struct vattr va;
	int subdirs = 0;

	CHECK_EQ(vfs_list(vp, &vn), 0);
	host_list(hp, &hn);
	if (top) { /* mke2fs adds lost+found */
		for (int i = 0; i < vn.n; i++) {
			if (strcmp(vn.v[i], "lost+found") == 0) {
				free(vn.v[i]);
				memmove(&vn.v[i], &vn.v[i + 1], (vn.n - i - 1) * sizeof(char *));
				vn.n--;
				break;
			}
		}
	}
	CHECK_EQ(vn.n, hn.n);
	for (int i = 0; i < vn.n && i < hn.n; i++) {
		char v[1024], h[1024];
		if (strcmp(vn.v[i], hn.v[i]) != 0) {
			printf("  %s: name %s vs %s\n", vp, vn.v[i], hn.v[i]);
			cur_fail = 1;
			break;
		}
		snprintf(v, sizeof(v), "%s/%s", vp, vn.v[i]);
		snprintf(h, sizeof(h), "%s/%s", hp, hn.v[i]);
		if (lstat(h, &st) < 0 || vfs_stat(fs, v, false, &va) < 0) {
			printf("  cannot stat %s\n", v);
			cur_fail = 1;
			continue;
		}
		if ((va.mode & S_IFMT) != (st.st_mode & S_IFMT) ||
		    (va.mode & 07777) != (st.st_mode & 07777)) {
			printf("  %s: mode %o vs %o\n", v, va.mode, st.st_mode);
			cur_fail = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			subdirs++;
			compare_tree(v, h, false);
		} else if (S_ISREG(st.st_mode)) {
			CHECK_EQ(va.nlink, st.st_nlink);
			CHECK_EQ(va.size, st.st_size);
			CHECK(compare_file(v, h, st.st_size));
		} else if (S_ISLNK(st.st_mode)) {
			char a[4096], b[4096];
			int n = vfs_readlink(fs, v, a, sizeof(a));
			ssize_t m = readlink(h, b, sizeof(b));
			CHECK(n == m && n >= 0 && memcmp(a, b, n) == 0);
		}
	}
	CHECK(vfs_stat(fs, vp, false, &va) == 0);
	CHECK_EQ(va.nlink, 2 + subdirs + (top ? 1 : 0));
	free_names(&vn);
	free_names(&hn);
}

/* ------------------------------------------------------------ images */

static void make_source(const char *src)
{
	char p[1024];

	sh("rm -rf %s && mkdir -p %s/dir/sub %s/many %s/private", src, src, src, src);
	snprintf(p, sizeof(p), "%s/hello.txt", src);
	FILE *f = fopen(p, "w");
	fputs("hello world\n", f);
	fclose(f);
	sh("cd %s && : > empty && ln -s hello.txt link && ln -s /%0200d longlink && "
	   "chmod 0700 private && echo deep > dir/sub/deep.txt && "
	   "echo linked > hard1 && ln hard1 hard2 && chmod 0640 hard1",
	   src, 0);
	for (int i = 0; i < 400; i++) { /* several directory blocks */
		snprintf(p, sizeof(p), "%s/many/file-with-a-longish-name-%04d", src, i);
		f = fopen(p, "w");
		fprintf(f, "%d\n", i);
		fclose(f);
	}
	/* past the single indirect block for every block size */
	snprintf(p, sizeof(p), "%s/big.bin", src);
	f = fopen(p, "w");
	for (uint64_t i = 0; i < 5 << 20; i++)
		fputc(pat(7, i), f);
	fclose(f);
}

static char img[600], src[600];

/* mke2fs -d src into img; opts: block size and revision options. */
static int make_image(const char *opts, const char *size)
{
	snprintf(img, sizeof(img), "%s/test.img", work);
	sh("rm -f %s", img);
	int r = sh("mke2fs -q -F -t ext2 %s -d %s %s %s > %s/mke2fs.log 2>&1", opts, src, img, size,
	           work);
	if (r != 0) {
		printf("  mke2fs %s failed\n", opts);
		sh("cat %s/mke2fs.log", work);
		return -1;
	}
	attach(img);
	return 0;
}

/* ------------------------------------------------------------ stress */

#define NDIRS 16

struct file {
	char rel[128];
	bool live;
};

static struct file *files;
static int nfiles;

static void rel_of(char *out, int dir, const char *name)
{
	snprintf(out, 128, "d%02d/%s", dir, name);
}

static int both_mkdir(const char *rel)
{
	char vp[1024], hp[1024];

	vpath(vp, rel);
	mpath(hp, rel);
	mkdir(hp, 0755);
	return vfs_mkdir(fs, vp, 0755);
}

static int both_unlink(const char *rel)
{
	char vp[1024], hp[1024];

	vpath(vp, rel);
	mpath(hp, rel);
	unlink(hp);
	return vfs_unlink(fs, vp);
}

static int both_rename(const char *a, const char *b)
{
	char va[1024], ha[1024], vb[1024], hb[1024];

	vpath(va, a);
	mpath(ha, a);
	vpath(vb, b);
	mpath(hb, b);
	int hr = rename(ha, hb);
	int vr = vfs_rename(fs, va, vb);
	if ((hr == 0) != (vr == 0))
		printf("  rename %s %s: host %d ext2 %d\n", a, b, hr, vr);
	return vr;
}

static int live_file(void)
{
	for (int tries = 0; tries < 1000; tries++) {
		int i = rnd(nfiles);
		if (files[i].live)
			return i;
	}
	return -1;
}

/* Creates, appends, renames, links and deletes many files. */
static int stress(int n)
{
	int errs = 0;

	files = calloc(n + 1, sizeof(*files));
	nfiles = 0;
	for (int d = 0; d < NDIRS; d++) {
		char rel[32];
		snprintf(rel, sizeof(rel), "d%02d", d);
		errs += both_mkdir(rel) != 0;
	}
	for (int i = 0; i < n; i++) {
		char name[64];
		snprintf(name, sizeof(name), "f%05d", i);
		rel_of(files[i].rel, rnd(NDIRS), name);
		files[i].live = true;
		nfiles++;
		uint32_t size = rnd(8) == 0 ? rnd(100000) : rnd(3000);
		errs += both_write(files[i].rel, i, 0, size, O_TRUNC) != 0;
	}
	for (int k = 0; k < n / 4; k++) { /* appends */
		int i = live_file();
		errs += both_write(files[i].rel, 1000 + k, 0, rnd(5000), O_APPEND) != 0;
	}
	for (int k = 0; k < n / 4; k++) { /* renames, some over existing files */
		int i = live_file(), j = live_file();
		char to[128], name[64];
		if (rnd(4) == 0 && i != j && strcmp(files[i].rel, files[j].rel) != 0) {
			strcpy(to, files[j].rel);
			files[j].live = false;
		} else {
			snprintf(name, sizeof(name), "r%05d", k);
			rel_of(to, rnd(NDIRS), name);
		}
		errs += both_rename(files[i].rel, to) != 0;
		strcpy(files[i].rel, to);
	}
	for (int k = 0; k < n / 20; k++) { /* hard links */
		int i = live_file();
		char vp[1024], hp[1024], rel[128], name[64], va[1024], ha[1024];
		snprintf(name, sizeof(name), "l%05d", k);
		rel_of(rel, rnd(NDIRS), name);
		vpath(vp, rel), mpath(hp, rel), vpath(va, files[i].rel), mpath(ha, files[i].rel);
		link(ha, hp);
		errs += vfs_link(fs, va, vp) != 0;
	}
	for (int k = 0; k < n / 20; k++) { /* symlinks, fast and slow */
		char vp[1024], hp[1024], rel[128], name[64], target[1024];
		size_t len = rnd(2) ? 1 + rnd(59) : 60 + rnd(900);
		for (size_t c = 0; c < len; c++)
			target[c] = 'a' + (c + k) % 26;
		target[len] = 0;
		snprintf(name, sizeof(name), "s%05d", k);
		rel_of(rel, rnd(NDIRS), name);
		vpath(vp, rel), mpath(hp, rel);
		symlink(target, hp);
		errs += vfs_symlink(fs, target, vp) != 0;
	}
	for (int k = 0; k < n / 2; k++) { /* deletions */
		int i = live_file();
		if (i < 0)
			break;
		errs += both_unlink(files[i].rel) != 0;
		files[i].live = false;
	}
	free(files);
	return errs;
}

/* Directory moves between parents, replacing an empty directory, rmdir. */
static int dir_ops(void)
{
	int errs = 0;

	errs += both_mkdir("d00/moved") != 0;
	errs += both_write("d00/moved/x", 5, 0, 100, 0) != 0;
	errs += both_rename("d00/moved", "d01/moved2") != 0;
	errs += both_mkdir("d02/empty") != 0;
	errs += both_rename("d01/moved2", "d02/empty") != 0;
	errs += both_mkdir("d03/gone") != 0;
	char vp[1024], hp[1024];
	vpath(vp, "d03/gone"), mpath(hp, "d03/gone");
	rmdir(hp);
	errs += vfs_rmdir(fs, vp) != 0;
	/* a directory cannot move under itself */
	errs += vfs_rename(fs, "/mnt/d02", "/mnt/d02/empty/sub") != -EINVAL;
	errs += both_rename("d04", "d05/d04") != 0;
	return errs;
}

/* ------------------------------------------------------------ tests */

static void check_contents(void)
{
	compare_tree("/mnt", src, true);
}

static void roundtrip(const char *opts, const char *size, int nstress)
{
	struct ext2_super s;

	make_source(src);
	if (make_image(opts, size) < 0) {
		cur_fail = 1;
		return;
	}
	CHECK_EQ(do_mount(), 0);
	check_contents();
	snprintf(mirror, sizeof(mirror), "%s/mirror", work);
	sh("rm -rf %s && cp -a %s %s", mirror, src, mirror);
	CHECK_EQ(stress(nstress), 0);
	CHECK_EQ(dir_ops(), 0);
	compare_tree("/mnt", mirror, true);
	CHECK_EQ(do_umount(), 0);
	CHECK_EQ(fsck(img), 0);
	pread(disk_fd, &s, sizeof(s), 1024);
	CHECK(s.s_state & EXT2_VALID_FS);
	CHECK_EQ(s.s_mnt_count, 1);
	CHECK_EQ(do_mount(), 0);
	compare_tree("/mnt", mirror, true);
	CHECK_EQ(do_umount(), 0);
}

static void test_1k_rev1_inode128(void)
{
	roundtrip("-b 1024 -I 128", "64M", 3000);
}

static void test_2k_rev0(void)
{
	roundtrip("-b 2048 -r 0", "64M", 1000);
}

static void test_4k_rev1_inode256(void)
{
	roundtrip("-b 4096 -I 256", "128M", 2000);
}

/* A file past the double indirect limit on 1 KiB blocks, truncation back
 * into the double indirect range, and an unlinked file kept open. */
static void test_big_file_1k(void)
{
	struct kobj *o;
	struct vattr va;
	uint64_t big = 70ull << 20;
	struct timeval t0, t1;

	sh("rm -rf %s && mkdir -p %s", src, src);
	if (make_image("-b 1024", "160M") < 0) {
		cur_fail = 1;
		return;
	}
	snprintf(mirror, sizeof(mirror), "%s/mirror", work);
	sh("rm -rf %s && mkdir -p %s", mirror, mirror);
	CHECK_EQ(do_mount(), 0);
	gettimeofday(&t0, NULL);
	CHECK_EQ(both_write("big", 42, 0, big, O_TRUNC), 0);
	gettimeofday(&t1, NULL);
	printf("  wrote 70 MiB in %.2f s\n",
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_usec - t0.tv_usec) / 1e6);
	CHECK_EQ(vfs_stat(fs, "/mnt/big", false, &va), 0);
	CHECK_EQ(va.size, big);
	CHECK(va.blocks >= big / 512);
	/* sparse tail past a hole, then truncate into the double indirect part */
	CHECK_EQ(both_write("sparse", 3, 40 << 20, 4096, 0), 0);
	CHECK_EQ(vfs_truncate(fs, "/mnt/big", 66 << 20), 0);
	char hp[1024];
	mpath(hp, "big");
	truncate(hp, 66 << 20);
	CHECK_EQ(vfs_truncate(fs, "/mnt/big", (66 << 20) + 5000), 0);
	truncate(hp, (66 << 20) + 5000);
	/* unlink while open: still readable */
	CHECK_EQ(both_write("open", 9, 0, 200000, 0), 0);
	CHECK_EQ(vfs_open(fs, "/mnt/open", O_RDONLY, 0, &o), 0);
	CHECK_EQ(both_unlink("open"), 0);
	uint8_t *buf = malloc(200000);
	struct iobuf io = iobuf_kernel(buf, 200000);
	CHECK_EQ(kobj_read(o, &io), 200000);
	CHECK(buf[12345] == pat(9, 12345));
	free(buf);
	kobj_put(o);
	compare_tree("/mnt", mirror, true);
	CHECK_EQ(do_umount(), 0);
	CHECK_EQ(fsck(img), 0);
	CHECK_EQ(do_mount(), 0);
	gettimeofday(&t0, NULL);
	compare_tree("/mnt", mirror, true);
	gettimeofday(&t1, NULL);
	printf("  read back in %.2f s\n",
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_usec - t0.tv_usec) / 1e6);
	CHECK_EQ(vfs_unlink(fs, "/mnt/big"), 0);
	CHECK_EQ(do_umount(), 0);
	CHECK_EQ(fsck(img), 0);
}

/* Device nodes, FIFOs and sockets keep a device number (or nothing) in
 * i_block[]: removing them must not free those numbers as blocks.  Char
 * 3,0-15 and block 8,0 are blocks 768-783 and 2048, in use on this
 * image; the files written afterwards would take them and e2fsck would
 * see the bitmaps disagree. */
static void make_special_source(void)
{
	make_source(src);
	sh("cd %s && mkdir special && mkfifo special/fifo && mknod special/chr3-0 c 3 0 && "
	   "mknod special/chr3-15 c 3 15 && mknod special/blk8-0 b 8 0 && "
	   "mknod special/chr300-5 c 300 5 && "
	   "python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind(\"special/sock\")'",
	   src);
}

static void test_special_inodes(void)
{
	static const struct {
		const char *name;
		uint32_t mode;
		uint64_t rdev;
	} made[] = {{"chr3-0", S_IFCHR, MKDEV(3, 0)},
	            {"chr3-15", S_IFCHR, MKDEV(3, 15)},
	            {"blk8-0", S_IFBLK, MKDEV(8, 0)},
	            {"fifo", S_IFIFO, 0},
	            {"sock", S_IFSOCK, 0},
	            {"chr300-5", S_IFCHR, MKDEV(300, 5)}};
	char p[256];
	struct vattr va;

	make_special_source();
	if (make_image("-b 1024", "64M") < 0) {
		cur_fail = 1;
		return;
	}
	snprintf(mirror, sizeof(mirror), "%s/mirror", work);
	sh("rm -rf %s && cp -a %s %s && rm -rf %s/special", mirror, src, mirror, mirror);
	CHECK_EQ(do_mount(), 0);
	CHECK_EQ(vfs_mkdir(fs, "/mnt/new", 0755), 0);
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		snprintf(p, sizeof(p), "/mnt/new/%s", made[i].name);
		CHECK_EQ(vfs_mknod(fs, p, made[i].mode | 0600, made[i].rdev), 0);
	}
	/* through the disk: a fresh mount reads them back */
	CHECK_EQ(do_umount(), 0);
	CHECK_EQ(fsck(img), 0);
	CHECK_EQ(do_mount(), 0);
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		snprintf(p, sizeof(p), "/mnt/new/%s", made[i].name);
		CHECK_EQ(vfs_stat(fs, p, false, &va), 0);
		CHECK_EQ(va.mode & S_IFMT, made[i].mode);
		CHECK_EQ(va.rdev, made[i].rdev);
	}
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		snprintf(p, sizeof(p), "/mnt/special/%s", made[i].name);
		CHECK_EQ(vfs_unlink(fs, p), 0);
		snprintf(p, sizeof(p), "/mnt/new/%s", made[i].name);
		CHECK_EQ(vfs_unlink(fs, p), 0);
	}
	CHECK_EQ(vfs_rmdir(fs, "/mnt/special"), 0);
	CHECK_EQ(vfs_rmdir(fs, "/mnt/new"), 0);
	/* take the free blocks: wrongly freed ones would be handed out here */
	for (int i = 0; i < 8; i++) {
		snprintf(p, sizeof(p), "fill%d", i);
		CHECK_EQ(both_write(p, 40 + i, 0, 3 << 20, 0), 0);
	}
	CHECK_EQ(do_umount(), 0);
	CHECK_EQ(fsck(img), 0);
	CHECK_EQ(do_mount(), 0);
	compare_tree("/mnt", mirror, true);
	CHECK_EQ(do_umount(), 0);
}

/* Filling the disk gives ENOSPC, and the image stays consistent. */
static void test_enospc(void)
{
	struct kobj *o;
	char *buf = calloc(1, 65536);
	ssize_t w = 0;

	sh("rm -rf %s && mkdir -p %s", src, src);
	if (make_image("-b 1024", "4M") < 0) {
		cur_fail = 1;
		return;
	}
	CHECK_EQ(do_mount(), 0);
	CHECK_EQ(vfs_open(fs, "/mnt/fill", O_WRONLY | O_CREAT, 0644, &o), 0);
	for (int i = 0; i < 100; i++) {
		struct iobuf io = iobuf_kernel(buf, 65536);
		w = kobj_write(o, &io);
		if (w != 65536)
			break;
	}
	CHECK(w >= 0 && w < 65536);
	kobj_put(o);
	CHECK_EQ(vfs_unlink(fs, "/mnt/fill"), 0);
	CHECK_EQ(do_umount(), 0);
	CHECK_EQ(fsck(img), 0);
	free(buf);
}

/* A second mount of the same disk shares the filesystem instance. */
static void test_shared_mount(void)
{
	char buf[16] = {0};
	struct kobj *o;

	sh("rm -rf %s && mkdir -p %s", src, src);
	if (make_image("-b 1024", "8M") < 0) {
		cur_fail = 1;
		return;
	}
	CHECK_EQ(do_mount(), 0);
	vfs_mkdir(fs, "/mnt2", 0755);
	CHECK_EQ(vfs_mount(fs, "vda", "/mnt2", "ext2", 0, NULL), 0);
	CHECK_EQ(vfs_open(fs, "/mnt/shared", O_WRONLY | O_CREAT, 0644, &o), 0);
	struct iobuf io = iobuf_kernel("both", 4);
	CHECK_EQ(kobj_write(o, &io), 4);
	kobj_put(o);
	CHECK_EQ(vfs_open(fs, "/mnt2/shared", O_RDONLY, 0, &o), 0);
	io = iobuf_kernel(buf, sizeof(buf));
	CHECK_EQ(kobj_read(o, &io), 4);
	CHECK(memcmp(buf, "both", 4) == 0);
	kobj_put(o);
	CHECK_EQ(vfs_umount(fs, "/mnt2"), 0);
	CHECK_EQ(do_umount(), 0);
	CHECK_EQ(fsck(img), 0);
}

static void patch(off_t off, const void *data, size_t n)
{
	CHECK(pwrite(disk_fd, data, n, off) == (ssize_t)n);
}

static void test_bad_magic(void)
{
	uint16_t zero = 0;

	make_source(src);
	make_image("-b 1024", "16M");
	patch(1024 + 56, &zero, 2);
	CHECK_EQ(do_mount(), -EINVAL);
}

static void test_garbage_groups(void)
{
	char junk[1024];

	make_image("-b 4096", "16M");
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)rnd(256);
	patch(4096, junk, sizeof(junk));
	CHECK_EQ(do_mount(), -EINVAL);
}

static void test_ext4_refused(void)
{
	snprintf(img, sizeof(img), "%s/ext4.img", work);
	sh("rm -f %s", img);
	CHECK_EQ(sh("mke2fs -q -F -t ext4 %s 16M > /dev/null 2>&1", img), 0);
	attach(img);
	CHECK_EQ(do_mount(), -EINVAL);
}

static void test_unknown_ro_compat(void)
{
	uint32_t ro;

	make_image("-b 1024", "16M");
	pread(disk_fd, &ro, 4, 1024 + 100);
	ro |= 0x8000;
	patch(1024 + 100, &ro, 4);
	CHECK_EQ(do_mount(), 0);
	CHECK_EQ(vfs_mkdir(fs, "/mnt/x", 0755), -EROFS);
	compare_tree("/mnt", src, true);
	CHECK_EQ(do_umount(), 0);
}

/* Walks everything; errors are fine, crashes are not. */
static void walk_all(const char *vp, int depth)
{
	struct names ns = {0};

	if (depth > 8 || vfs_list(vp, &ns) < 0) {
		free_names(&ns);
		return;
	}
	for (int i = 0; i < ns.n; i++) {
		char p[1024], buf[4096];
		struct vattr va;
		struct kobj *o;
		snprintf(p, sizeof(p), "%s/%s", vp, ns.v[i]);
		if (vfs_stat(fs, p, false, &va) < 0)
			continue;
		if (S_ISDIR(va.mode))
			walk_all(p, depth + 1);
		else if (S_ISLNK(va.mode))
			vfs_readlink(fs, p, buf, sizeof(buf));
		else if (S_ISREG(va.mode) && vfs_open(fs, p, O_RDWR, 0, &o) == 0) {
			struct iobuf io = iobuf_kernel(buf, sizeof(buf));
			while (kobj_read(o, &io) > 0)
				io = iobuf_kernel(buf, sizeof(buf));
			io = iobuf_kernel(buf, 10);
			kobj_write(o, &io);
			kobj_put(o);
			vfs_unlink(fs, p);
		}
	}
	free_names(&ns);
}

/* Random bytes over the inode table and directory blocks. */
static void test_random_inode_table(void)
{
	struct ext2_super s;
	struct ext2_group g;
	char junk[4096];

	for (int round = 0; round < 6; round++) {
		make_image(round & 1 ? "-b 4096" : "-b 1024", "16M");
		pread(disk_fd, &s, sizeof(s), 1024);
		uint32_t bs = 1024u << s.s_log_block_size;
		pread(disk_fd, &g, sizeof(g), (off_t)(s.s_first_data_block + 1) * bs);
		for (int k = 0; k < 8; k++) {
			size_t n = 16 + rnd(400);
			for (size_t i = 0; i < n; i++)
				junk[i] = (char)rnd(256);
			off_t at = (off_t)g.bg_inode_table * bs + rnd(64 * 128);
			patch(at, junk, n);
		}
		if (round >= 2) { /* also some directory and data blocks */
			for (int k = 0; k < 20; k++) {
				off_t at =
				    (off_t)(g.bg_inode_table + 200 + rnd(1500)) * bs + rnd(bs);
				patch(at, junk, 64);
			}
		}
		int r = do_mount();
		if (r == 0) {
			walk_all("/mnt", 0);
			vfs_mkdir(fs, "/mnt/newdir", 0755);
			do_umount();
		} else {
			CHECK(r == -EINVAL || r == -EIO);
		}
	}
}

static void setup(void)
{
	struct superblock *sb;
	struct mnt_ns *ns;

	mount_init();
	vfs_register_fs(&tmpfs_type);
	vfs_register_fs(&ext2_type);
	if (tmpfs_type.mount("rootfs", 0, NULL, &sb) < 0)
		exit(2);
	ns = mnt_ns_create(sb);
	fs = fs_struct_create(ns);
	mnt_ns_put(ns);
	vfs_mkdir(fs, "/mnt", 0755);
	blkdev_register(&disk);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: ext2_test WORKDIR\n");
		return 2;
	}
	work = argv[1];
	snprintf(src, sizeof(src), "%s/src", work);
	setup();
	RUN(test_1k_rev1_inode128);
	RUN(test_2k_rev0);
	RUN(test_4k_rev1_inode256);
	RUN(test_big_file_1k);
	RUN(test_special_inodes);
	RUN(test_enospc);
	RUN(test_shared_mount);
	RUN(test_bad_magic);
	RUN(test_garbage_groups);
	RUN(test_ext4_refused);
	RUN(test_unknown_ro_compat);
	RUN(test_random_inode_table);
	fs_struct_put(fs);
	if (disk_fd >= 0)
		close(disk_fd);
	printf("ext2: %d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
