/*
 * Host tests of the FAT32 driver (kernel/fs/fat) through the real VFS and
 * block cache, on image files made by mkfs.fat and filled by mcopy; run by
 * tools/host-fat-tests.sh under ASan/UBSan.
 *
 *   fat_test read IMG DIR        the image holds a copy of host tree DIR:
 *                                compare names, types, sizes, contents
 *   fat_test write IMG DIR N     DIR mirrors the image; run N random
 *                                operations plus targeted tests on both,
 *                                compare, remount, compare again
 *   fat_test corrupt IMG WANT    WANT = refuse (mount fails) or eio (mount
 *                                works, walking the tree meets EIO)
 *
 * Prints "ok NAME" / "FAIL NAME" lines; the script counts them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "fs/bcache.h"
#include "fs/fat/fatfs.h"
#include "fs/tmpfs.h"
#include "fs/vfs.h"
#include "obj/kobj.h"
#include "tests/host/fat_host.h"

#include "tests/host/check.h"

void mount_init(void);

static struct fs_struct *fs;
static struct blkdev *disk;

static void report(const char *name)
{
	printf("%s %s\n", cur_fail ? "FAIL" : "ok", name);
	fflush(stdout);
	nfail += cur_fail;
	cur_fail = 0;
}

struct blkdev *blkdev_find(const char *name)
{
	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	return disk && strcmp(name, "vda") == 0 ? disk : NULL;
}

/* The test disk has no open hook (blkdev.h): nothing to count. */
int blkdev_open(struct blkdev *d, int oflags)
{
	(void)d;
	(void)oflags;
	return 0;
}

void blkdev_close(struct blkdev *d)
{
	(void)d;
}

/* No /dev files here. */
struct blkdev *blkdev_of(struct kobj *o)
{
	(void)o;
	return NULL;
}

/* The one test disk stands for the whole registry. */
void blkdev_for_each(void (*fn)(struct blkdev *d, void *ctx), void *ctx)
{
	if (disk)
		fn(disk, ctx);
}

int blkdev_open_rdev(uint64_t rdev, int oflags, struct kobj **out)
{
	(void)rdev, (void)oflags, (void)out;
	return -ENXIO;
}

/* ------------------------------------------------------------ set-up */

static void setup_root(void)
{
	struct superblock *sb;
	struct mnt_ns *ns;

	mount_init();
	vfs_register_fs(&tmpfs_type);
	vfs_register_fs(&fat_type);
	vfs_register_fs(&fat32_type);
	if (tmpfs_type.mount("rootfs", 0, NULL, &sb) < 0)
		exit(2);
	ns = mnt_ns_create(sb);
	fs = fs_struct_create(ns);
	mnt_ns_put(ns);
	vfs_mkdir(fs, "/mnt", 0755);
}

static int do_mount(const char *img, const char *type)
{
	int err;

	disk = hostdev_open(img, "vda");
	if (!disk) {
		printf("cannot open %s\n", img);
		exit(2);
	}
	err = vfs_mount(fs, "/dev/vda", "/mnt", type, 0, NULL);
	if (err < 0) {
		bcache_drop(disk);
		hostdev_close(disk);
		disk = NULL;
	}
	return err;
}

static int do_umount(void)
{
	int err = vfs_umount(fs, "/mnt");

	if (err == 0) {
		hostdev_close(disk);
		disk = NULL;
	}
	return err;
}

/* --------------------------------------------------------- file helpers */

static char *path_of(const char *rel)
{
	static char buf[4][4200];
	static int which;

	which = (which + 1) % 4;
	snprintf(buf[which], sizeof(buf[which]), "/mnt%s%s", *rel ? "/" : "", rel);
	return buf[which];
}

static int fat_pwrite(const char *rel, const void *data, size_t len, uint64_t off, int flags)
{
	struct kobj *o;
	int err = vfs_open(fs, path_of(rel), O_WRONLY | O_CREAT | flags, 0644, &o);

	if (err < 0)
		return err;
	if (kobj_seek(o, (int64_t)off, SEEK_SET) < 0)
		err = -EIO;
	while (err == 0 && len) {
		struct iobuf io = iobuf_kernel((void *)data, MIN(len, (size_t)65536));
		ssize_t r = kobj_write(o, &io);
		if (r <= 0) {
			err = r < 0 ? (int)r : -EIO;
			break;
		}
		data = (const char *)data + r;
		len -= (size_t)r;
	}
	kobj_put(o);
	return err;
}

/* The whole file (malloc'd) or NULL with *err set. */
static char *fat_read_all(const char *rel, size_t *len, int *err)
{
	struct vattr va;
	struct kobj *o;
	char *buf;
	size_t got = 0;

	*err = vfs_stat(fs, path_of(rel), true, &va);
	if (*err < 0)
		return NULL;
	*err = vfs_open(fs, path_of(rel), O_RDONLY, 0, &o);
	if (*err < 0)
		return NULL;
	buf = malloc(va.size + 1);
	for (;;) {
		struct iobuf io = iobuf_kernel(buf + got, va.size + 1 - got);
		ssize_t r = kobj_read(o, &io);
		if (r < 0)
			*err = (int)r;
		if (r <= 0 || got + (size_t)r > va.size)
			break;
		got += (size_t)r;
	}
	kobj_put(o);
	*len = got;
	if (*err == 0 && got != va.size)
		*err = -EIO;
	if (*err < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* ------------------------------------------------------ tree comparison */

struct namelist {
	char **v;
	int *dir;
	int n, cap;
};

static void nl_add(struct namelist *l, const char *name, size_t len, int dir)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		l->dir = realloc(l->dir, l->cap * sizeof(*l->dir));
	}
	l->v[l->n] = strndup(name, len);
	l->dir[l->n++] = dir;
}

static void nl_free(struct namelist *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->dir);
	memset(l, 0, sizeof(*l));
}

static int collect_fat(void *ctx, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	(void)ino;
	if (!(len == 1 && name[0] == '.') && !(len == 2 && name[0] == '.' && name[1] == '.'))
		nl_add(ctx, name, len, dtype == DT_DIR);
	return 0;
}

static void collect_host(void *ctx, const char *name, int is_dir)
{
	nl_add(ctx, name, strlen(name), is_dir);
}

static char **nl_sort_names;
static int cmp_names(const void *a, const void *b)
{
	return strcmp(nl_sort_names[*(const int *)a], nl_sort_names[*(const int *)b]);
}

static void nl_sort(struct namelist *l)
{
	int *idx;

	if (l->n == 0)
		return;
	idx = malloc((l->n + 1) * sizeof(int));
	char **v = malloc((l->n + 1) * sizeof(char *));
	int *d = malloc((l->n + 1) * sizeof(int));

	for (int i = 0; i < l->n; i++)
		idx[i] = i;
	nl_sort_names = l->v;
	qsort(idx, l->n, sizeof(int), cmp_names);
	for (int i = 0; i < l->n; i++) {
		v[i] = l->v[idx[i]];
		d[i] = l->dir[idx[i]];
	}
	memcpy(l->v, v, l->n * sizeof(char *));
	memcpy(l->dir, d, l->n * sizeof(int));
	free(idx);
	free(v);
	free(d);
}

static int fat_list(const char *rel, struct namelist *l)
{
	struct kobj *o;
	int err = vfs_open(fs, path_of(rel), O_RDONLY | O_DIRECTORY, 0, &o);

	if (err < 0)
		return err;
	err = file_readdir(o, collect_fat, l);
	kobj_put(o);
	return err;
}

static void join(char *out, size_t n, const char *a, const char *b)
{
	snprintf(out, n, "%s%s%s", a, *a ? "/" : "", b);
}

static int compare_file(const char *rel)
{
	size_t flen = 0, hlen = 0;
	int err;
	char *f = fat_read_all(rel, &flen, &err), *h = mirror_read(rel, &hlen);
	int bad = !f || !h || flen != hlen || memcmp(f, h, flen) != 0;

	if (bad)
		printf("  content differs: %s (fat %zu err %d, host %zu)\n", rel, flen, err, hlen);
	free(f);
	free(h);
	return bad;
}

/* Number of differences between the FAT tree at rel and the mirror. */
static int compare_tree(const char *rel, long *nfiles)
{
	struct namelist a = {0}, b = {0};
	int bad = 0, err = fat_list(rel, &a);

	if (err < 0 || mirror_list(rel, collect_host, &b) < 0) {
		printf("  cannot list %s (%d)\n", rel, err);
		return 1;
	}
	nl_sort(&a);
	nl_sort(&b);
	if (a.n != b.n)
		printf("  %s: %d entries on FAT, %d on host\n", rel, a.n, b.n), bad++;
	for (int i = 0; i < a.n && i < b.n && !bad; i++) {
		char sub[4096];
		if (strcmp(a.v[i], b.v[i]) || a.dir[i] != b.dir[i]) {
			printf("  %s: '%s' on FAT, '%s' on host\n", rel, a.v[i], b.v[i]);
			bad++;
			break;
		}
		join(sub, sizeof(sub), rel, a.v[i]);
		bad += a.dir[i] ? compare_tree(sub, nfiles) : compare_file(sub);
		(*nfiles)++;
	}
	nl_free(&a);
	nl_free(&b);
	return bad;
}

static void check_tree(const char *what)
{
	long n = 0;
	int bad = compare_tree("", &n);

	CHECK_EQ(bad, 0);
	printf("  %s: %ld entries compared\n", what, n);
}

/* ---------------------------------------------------------- read mode */

static void test_read_tree(const char *img, const char *src)
{
	struct vattr va;
	int err;

	mirror_init(src);
	err = do_mount(img, "vfat");
	CHECK_EQ(err, 0);
	if (err)
		return report("mount mcopy image");
	report("mount mcopy image");
	check_tree("mcopy tree");
	report("mcopy tree matches host tree");
	CHECK_EQ(vfs_stat(fs, "/mnt", true, &va), 0);
	CHECK_EQ(va.mode, S_IFDIR | 0755);
	CHECK_EQ(vfs_stat(fs, "/mnt/..", true, &va), 0);
	CHECK_EQ(va.ino, 1); /* tmpfs root: left the mount */
	report("root attributes and ..");
	CHECK_EQ(do_umount(), 0);
	report("unmount");
}

/* ---------------------------------------------------------- write mode */

struct model {
	char **files, **dirs;
	int nfiles, ndirs, capf, capd;
	unsigned counter;
};

static struct model M;

static void add_str(char ***v, int *n, int *cap, const char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 128;
		*v = realloc(*v, *cap * sizeof(char *));
	}
	(*v)[(*n)++] = strdup(s);
}

static void del_idx(char **v, int *n, int i)
{
	free(v[i]);
	v[i] = v[--*n];
}

static void new_name(char *out, size_t n)
{
	unsigned k = M.counter++;

	switch (rnd() % 11) {
	case 0:
		snprintf(out, n, "F%05u.TXT", k);
		break;
	case 1:
		snprintf(out, n, "f%u.txt", k);
		break;
	case 2:
		snprintf(out, n, "Long File Name %u of the test.data", k);
		break;
	case 3:
		snprintf(out, n, "na\xc3\xafve \xc3\xbc %u", k);
		break;
	case 4:
		snprintf(out, n, "a.b.c %u.tar.gz", k);
		break;
	case 5:
		snprintf(out, n, "x+y,z;w=[%u]", k);
		break;
	case 6:
		snprintf(out, n, "%u", k);
		break;
	case 7:
		snprintf(
		    out, n,
		    "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL"
		    "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL"
		    "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL%u",
		    k);
		break;
	case 8:
		snprintf(out, n, "emoji \xf0\x9f\x98\x80 %u.txt", k);
		break;
	case 9:
		snprintf(out, n, "MixedCase%u.Txt", k);
		break;
	default:
		snprintf(out, n, ".hidden%u", k);
		break;
	}
}

static const char *pick_dir(void)
{
	return M.ndirs && rnd() % 4 ? M.dirs[rnd() % M.ndirs] : "";
}

static char buf_data[1 << 20];

static int op_create(void)
{
	char name[300], rel[4096];
	size_t len = rnd() % 8 ? rnd() % 20000 : rnd() % (1 << 20);
	int err;

	new_name(name, sizeof(name));
	join(rel, sizeof(rel), pick_dir(), name);
	rnd_fill(buf_data, len, rnd());
	err = fat_pwrite(rel, buf_data, len, 0, O_EXCL);
	if (err < 0) {
		printf("  create %s: %d\n", rel, err);
		return 1;
	}
	mirror_write(rel, buf_data, len, 0);
	add_str(&M.files, &M.nfiles, &M.capf, rel);
	return 0;
}

static int op_write(bool append)
{
	const char *rel;
	size_t hlen = 0, len = rnd() % 30000;
	uint64_t off;
	char *h;
	int err;

	if (!M.nfiles)
		return 0;
	rel = M.files[rnd() % M.nfiles];
	h = mirror_read(rel, &hlen);
	free(h);
	off = append ? hlen : rnd() % (hlen + 5000);
	rnd_fill(buf_data, len, rnd());
	err = fat_pwrite(rel, buf_data, len, off, 0);
	if (err < 0) {
		printf("  write %s: %d\n", rel, err);
		return 1;
	}
	mirror_write(rel, buf_data, len, off);
	return 0;
}

static int op_truncate(void)
{
	const char *rel;
	uint64_t size = rnd() % 40000;
	int err;

	if (!M.nfiles)
		return 0;
	rel = M.files[rnd() % M.nfiles];
	err = vfs_truncate(fs, path_of(rel), size);
	if (err < 0) {
		printf("  truncate %s: %d\n", rel, err);
		return 1;
	}
	mirror_truncate(rel, size);
	return 0;
}

static int op_unlink(void)
{
	int i, err;

	if (!M.nfiles)
		return 0;
	i = (int)(rnd() % M.nfiles);
	err = vfs_unlink(fs, path_of(M.files[i]));
	if (err < 0) {
		printf("  unlink %s: %d\n", M.files[i], err);
		return 1;
	}
	mirror_unlink(M.files[i]);
	del_idx(M.files, &M.nfiles, i);
	return 0;
}

/* Renames a file to a new name, or over another file. */
static int op_rename_file(void)
{
	char name[300], rel[4096];
	int i, j = -1, err;

	if (M.nfiles < 2)
		return 0;
	i = (int)(rnd() % M.nfiles);
	if (rnd() % 3 == 0) {
		j = (int)(rnd() % M.nfiles);
		if (j == i)
			return 0;
		snprintf(rel, sizeof(rel), "%s", M.files[j]);
	} else {
		new_name(name, sizeof(name));
		join(rel, sizeof(rel), pick_dir(), name);
	}
	err = vfs_rename(fs, path_of(M.files[i]), path_of(rel));
	if (err < 0) {
		printf("  rename %s -> %s: %d\n", M.files[i], rel, err);
		return 1;
	}
	mirror_rename(M.files[i], rel);
	free(M.files[i]);
	M.files[i] = strdup(rel);
	if (j >= 0)
		del_idx(M.files, &M.nfiles, j);
	return 0;
}

static int op_mkdir(void)
{
	char name[300], rel[4096];
	int err;

	new_name(name, sizeof(name));
	join(rel, sizeof(rel), pick_dir(), name);
	if (strlen(rel) > 1000)
		return 0;
	err = vfs_mkdir(fs, path_of(rel), 0755);
	if (err < 0) {
		printf("  mkdir %s: %d\n", rel, err);
		return 1;
	}
	mirror_mkdir(rel);
	add_str(&M.dirs, &M.ndirs, &M.capd, rel);
	return 0;
}

static bool has_prefix_dir(const char *s, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(s, dir, n) == 0 && (s[n] == '/' || s[n] == 0);
}

/* Replaces the prefix `from` of every model path by `to`. */
static void model_move(const char *from, const char *to)
{
	char tmp[8192];

	for (int k = 0; k < 2; k++) {
		char **v = k ? M.dirs : M.files;
		int n = k ? M.ndirs : M.nfiles;
		for (int i = 0; i < n; i++) {
			if (has_prefix_dir(v[i], from)) {
				snprintf(tmp, sizeof(tmp), "%s%s", to, v[i] + strlen(from));
				free(v[i]);
				v[i] = strdup(tmp);
			}
		}
	}
}

/* Moves a directory (with everything under it) elsewhere. */
static int op_rename_dir(void)
{
	char name[300], rel[4096], from[4096];
	const char *parent;
	int i, err;

	if (!M.ndirs)
		return 0;
	i = (int)(rnd() % M.ndirs);
	parent = pick_dir();
	if (*parent && has_prefix_dir(parent, M.dirs[i]))
		return 0;
	new_name(name, sizeof(name));
	join(rel, sizeof(rel), parent, name);
	if (strlen(rel) > 1000)
		return 0;
	snprintf(from, sizeof(from), "%s", M.dirs[i]);
	err = vfs_rename(fs, path_of(from), path_of(rel));
	if (err < 0) {
		printf("  rename dir %s -> %s: %d\n", from, rel, err);
		return 1;
	}
	mirror_rename(from, rel);
	model_move(from, rel);
	return 0;
}

/* Removes a directory if empty, else checks ENOTEMPTY. */
static int op_rmdir(void)
{
	int i, err;
	bool empty = true;

	if (!M.ndirs)
		return 0;
	i = (int)(rnd() % M.ndirs);
	for (int k = 0; k < M.nfiles && empty; k++)
		empty = !has_prefix_dir(M.files[k], M.dirs[i]);
	for (int k = 0; k < M.ndirs && empty; k++)
		empty = k == i || !has_prefix_dir(M.dirs[k], M.dirs[i]);
	err = vfs_rmdir(fs, path_of(M.dirs[i]));
	if (err != (empty ? 0 : -ENOTEMPTY)) {
		printf("  rmdir %s: %d (empty %d)\n", M.dirs[i], err, empty);
		return 1;
	}
	if (empty) {
		mirror_rmdir(M.dirs[i]);
		del_idx(M.dirs, &M.ndirs, i);
	}
	return 0;
}

static void test_random_ops(int nops)
{
	int bad = 0;

	for (int i = 0; i < nops && bad < 5; i++) {
		unsigned r = rnd() % 100;
		if (r < 30)
			bad += op_create();
		else if (r < 42)
			bad += op_write(false);
		else if (r < 50)
			bad += op_write(true);
		else if (r < 56)
			bad += op_truncate();
		else if (r < 66)
			bad += op_unlink();
		else if (r < 78)
			bad += op_rename_file();
		else if (r < 86)
			bad += op_mkdir();
		else if (r < 90)
			bad += op_rename_dir();
		else
			bad += op_rmdir();
	}
	CHECK_EQ(bad, 0);
	report("random operations");
	check_tree("after random operations");
	report("tree matches after random operations");
}

/* Many long names sharing one 8.3 basis in one directory: ~N tails,
 * directory growth, reuse of freed slots. */
static void test_crowd(int n)
{
	char rel[300];
	int bad = 0;

	mirror_mkdir("crowd");
	CHECK_EQ(vfs_mkdir(fs, "/mnt/crowd", 0755), 0);
	for (int i = 0; i < n && !bad; i++) {
		snprintf(rel, sizeof(rel), "crowd/Long File Name %d of the crowd.txt", i);
		bad += fat_pwrite(rel, rel, strlen(rel), 0, O_EXCL) != 0;
		mirror_write(rel, rel, strlen(rel), 0);
	}
	for (int i = 0; i < n && !bad; i += 2) {
		snprintf(rel, sizeof(rel), "crowd/Long File Name %d of the crowd.txt", i);
		bad += vfs_unlink(fs, path_of(rel)) != 0;
		mirror_unlink(rel);
	}
	for (int i = 0; i < n / 2 && !bad; i++) {
		snprintf(rel, sizeof(rel), "crowd/again %d with another long name.txt", i);
		bad += fat_pwrite(rel, "x", 1, 0, O_EXCL) != 0;
		mirror_write(rel, "x", 1, 0);
	}
	CHECK_EQ(bad, 0);
	check_tree("crowd");
	report("crowded directory with ~N tails");
}

static void test_big_file(size_t mib)
{
	const char *rel = "big file.bin";
	size_t total = mib << 20, done = 0, len;
	int err = 0;
	char *data;

	while (done < total && err == 0) {
		len = MIN(total - done, (size_t)65536);
		rnd_fill(buf_data, len, (uint32_t)done);
		err = fat_pwrite(rel, buf_data, len, done, 0);
		mirror_write(rel, buf_data, len, done);
		done += len;
	}
	CHECK_EQ(err, 0);
	for (int i = 0; i < 50 && err == 0; i++) {
		uint64_t off = rnd() % total;
		len = rnd() % 100000;
		rnd_fill(buf_data, len, rnd());
		err = fat_pwrite(rel, buf_data, len, off, 0);
		mirror_write(rel, buf_data, len, off);
	}
	CHECK_EQ(err, 0);
	CHECK_EQ(compare_file(rel), 0);
	CHECK_EQ(vfs_truncate(fs, path_of(rel), total - total / 5 + 123), 0);
	mirror_truncate(rel, total - total / 5 + 123);
	CHECK_EQ(vfs_truncate(fs, path_of(rel), total - total / 8), 0);
	mirror_truncate(rel, total - total / 8);
	CHECK_EQ(fat_pwrite(rel, "tail", 4, total + 100000, 0), 0);
	mirror_write(rel, "tail", 4, total + 100000);
	CHECK_EQ(compare_file(rel), 0);
	data = fat_read_all(rel, &len, &err);
	CHECK_EQ(len, total + 100004);
	free(data);
	report("big file: write, overwrite, truncate, extend");
}

/* An open file keeps working across rename and unlink. */
static void test_open_files(void)
{
	struct kobj *o, *d;
	struct iobuf io;
	char buf[64] = {0};

	CHECK_EQ(fat_pwrite("openA", "hello", 5, 0, 0), 0);
	CHECK_EQ(vfs_open(fs, "/mnt/openA", O_RDWR, 0, &o), 0);
	CHECK_EQ(vfs_mkdir(fs, "/mnt/open dir", 0755), 0);
	CHECK_EQ(vfs_rename(fs, "/mnt/openA", "/mnt/open dir/renamed while open"), 0);
	kobj_seek(o, 5, SEEK_SET);
	io = iobuf_kernel(" world", 6);
	CHECK_EQ(kobj_write(o, &io), 6);
	kobj_put(o);
	mirror_mkdir("open dir");
	mirror_write("open dir/renamed while open", "hello world", 11, 0);
	CHECK_EQ(compare_file("open dir/renamed while open"), 0);

	/* a directory renamed while a file in it is open */
	CHECK_EQ(vfs_open(fs, "/mnt/open dir/renamed while open", O_RDWR, 0, &o), 0);
	CHECK_EQ(vfs_rename(fs, "/mnt/open dir", "/mnt/crowd/moved open dir"), 0);
	mirror_rename("open dir", "crowd/moved open dir");
	kobj_seek(o, 0, SEEK_SET);
	io = iobuf_kernel("HELLO", 5);
	CHECK_EQ(kobj_write(o, &io), 5);
	kobj_put(o);
	mirror_write("crowd/moved open dir/renamed while open", "HELLO", 5, 0);
	CHECK_EQ(compare_file("crowd/moved open dir/renamed while open"), 0);

	/* unlinked while open: still readable and writable */
	CHECK_EQ(fat_pwrite("doomed", "data", 4, 0, 0), 0);
	CHECK_EQ(vfs_open(fs, "/mnt/doomed", O_RDWR, 0, &o), 0);
	CHECK_EQ(vfs_unlink(fs, "/mnt/doomed"), 0);
	rnd_fill(buf_data, 100000, 7);
	io = iobuf_kernel(buf_data, 100000);
	kobj_seek(o, 4, SEEK_SET);
	CHECK_EQ(kobj_write(o, &io), 100000);
	kobj_seek(o, 0, SEEK_SET);
	io = iobuf_kernel(buf, 4);
	CHECK_EQ(kobj_read(o, &io), 4);
	CHECK(memcmp(buf, "data", 4) == 0);
	CHECK_EQ(fat_pwrite("doomed", "new", 3, 0, O_EXCL), 0);
	kobj_put(o);
	mirror_write("doomed", "new", 3, 0);

	/* a removed directory still open */
	CHECK_EQ(vfs_mkdir(fs, "/mnt/gone", 0755), 0);
	CHECK_EQ(vfs_open(fs, "/mnt/gone", O_RDONLY | O_DIRECTORY, 0, &d), 0);
	CHECK_EQ(vfs_rmdir(fs, "/mnt/gone"), 0);
	{
		struct namelist l = {0};
		CHECK_EQ(file_readdir(d, collect_fat, &l), 0);
		CHECK_EQ(l.n, 0);
		nl_free(&l);
	}
	kobj_put(d);
	check_tree("open files");
	report("open files across rename and unlink");
}

static void test_errors(void)
{
	struct vattr va;
	uint64_t ino;

	CHECK_EQ(fat_pwrite("doomed", "x", 1, 0, O_EXCL), -EEXIST);
	CHECK_EQ(fat_pwrite("DOOMED", "x", 1, 0, O_EXCL), -EEXIST); /* case-insensitive */
	CHECK_EQ(vfs_stat(fs, "/mnt/DoOmEd", true, &va), 0);
	CHECK_EQ(va.size, 3);
	CHECK_EQ(fat_pwrite("bad:name", "x", 1, 0, 0), -EINVAL);
	CHECK_EQ(fat_pwrite("trailing.", "x", 1, 0, 0), -EINVAL);
	CHECK_EQ(fat_pwrite("bad\xff", "x", 1, 0, 0), -EINVAL);
	CHECK_EQ(vfs_symlink(fs, "doomed", "/mnt/sym"), -EPERM);
	CHECK_EQ(vfs_link(fs, "/mnt/doomed", "/mnt/hard"), -EPERM);
	CHECK_EQ(vfs_mknod(fs, "/mnt/fifo", S_IFIFO | 0644, 0), -EPERM);
	CHECK_EQ(vfs_mkdir(fs, "/mnt/e1", 0755), 0);
	CHECK_EQ(vfs_mkdir(fs, "/mnt/e1/e2", 0755), 0);
	CHECK_EQ(vfs_rmdir(fs, "/mnt/e1"), -ENOTEMPTY);
	CHECK_EQ(vfs_rename(fs, "/mnt/e1", "/mnt/e1/e2/e3"), -EINVAL);
	CHECK_EQ(vfs_rmdir(fs, "/mnt/doomed"), -ENOTDIR);
	CHECK_EQ(vfs_unlink(fs, "/mnt/e1"), -EISDIR);
	CHECK_EQ(vfs_rename(fs, "/mnt/doomed", "/mnt/e1"), -EISDIR);
	CHECK_EQ(vfs_rename(fs, "/mnt/e1/e2", "/mnt/doomed"), -ENOTDIR);
	CHECK_EQ(vfs_stat(fs, "/mnt/e1", true, &va), 0);
	ino = va.ino;
	CHECK_EQ(vfs_stat(fs, "/mnt/e1/e2/..", true, &va), 0);
	CHECK_EQ(va.ino, ino);
	/* rename a directory over an empty one, in another directory */
	CHECK_EQ(vfs_mkdir(fs, "/mnt/e3", 0755), 0);
	CHECK_EQ(fat_pwrite("e3/inside", "in", 2, 0, 0), 0);
	CHECK_EQ(vfs_rename(fs, "/mnt/e3", "/mnt/e1/e2"), 0);
	CHECK_EQ(vfs_stat(fs, "/mnt/e1/e2/inside", true, &va), 0);
	CHECK_EQ(vfs_stat(fs, "/mnt/e1/e2/../e2/inside", true, &va), 0);
	CHECK_EQ(vfs_rename(fs, "/mnt/e1", "/mnt/e4"), 0);
	mirror_mkdir("e4");
	mirror_mkdir("e4/e2");
	mirror_write("e4/e2/inside", "in", 2, 0);
	check_tree("errors");
	report("errors: EEXIST EINVAL EPERM ENOTEMPTY EISDIR ENOTDIR, dir rename over dir");
}

static void test_attrs(void)
{
	struct vattr va, set = {0};

	CHECK_EQ(vfs_stat(fs, "/mnt/doomed", true, &va), 0);
	CHECK_EQ(va.mode, S_IFREG | 0644);
	CHECK_EQ(va.nlink, 1);
	CHECK_EQ(vfs_stat(fs, "/mnt/e4", true, &va), 0);
	CHECK_EQ(va.mode, S_IFDIR | 0755);
	CHECK_EQ(va.nlink, 2);
	set.mode = 0444;
	CHECK_EQ(vfs_setattr(fs, "/mnt/doomed", true, &set, VATTR_MODE), 0);
	CHECK_EQ(vfs_stat(fs, "/mnt/doomed", true, &va), 0);
	CHECK_EQ(va.mode, S_IFREG | 0444);
	set.mode = 0644;
	CHECK_EQ(vfs_setattr(fs, "/mnt/doomed", true, &set, VATTR_MODE), 0);
	set.mtime_ns = 1600000001LL * 1000000000LL;
	CHECK_EQ(vfs_setattr(fs, "/mnt/doomed", true, &set, VATTR_MTIME), 0);
	CHECK_EQ(vfs_stat(fs, "/mnt/doomed", true, &va), 0);
	CHECK_EQ(va.mtime_ns, 1600000000LL * 1000000000LL); /* 2-second steps */
	set.uid = 5;
	CHECK_EQ(vfs_setattr(fs, "/mnt/doomed", true, &set, VATTR_UID), -EPERM);
	report("attributes: modes, nlink, read-only bit, mtime");
}

/* Persistence of the read-only bit and times across a remount. */
static void test_attrs_persist(const char *img)
{
	struct vattr va, set = {.mode = 0444};

	CHECK_EQ(vfs_setattr(fs, "/mnt/doomed", true, &set, VATTR_MODE), 0);
	CHECK_EQ(do_umount(), 0);
	CHECK_EQ(do_mount(img, "fat32"), 0);
	CHECK_EQ(vfs_stat(fs, "/mnt/doomed", true, &va), 0);
	CHECK_EQ(va.mode, S_IFREG | 0444);
	CHECK_EQ(va.mtime_ns, 1600000000LL * 1000000000LL); /* 2-second steps */
	set.mode = 0644;
	CHECK_EQ(vfs_setattr(fs, "/mnt/doomed", true, &set, VATTR_MODE), 0);
	report("attributes persist across remount (fat32 alias)");
}

/* Fills the disk, checks ENOSPC, then frees the space again. */
static void test_full(void)
{
	size_t done = 0;
	int err = 0;
	struct kobj *o;

	CHECK_EQ(vfs_open(fs, "/mnt/filler", O_WRONLY | O_CREAT, 0644, &o), 0);
	memset(buf_data, 'z', 65536);
	while (err == 0) {
		struct iobuf io = iobuf_kernel(buf_data, 65536);
		ssize_t r = kobj_write(o, &io);
		if (r < 0)
			err = (int)r;
		else
			done += (size_t)r;
		if (done > ((size_t)4 << 30))
			break;
	}
	kobj_put(o);
	CHECK_EQ(err, -ENOSPC);
	CHECK_EQ(vfs_mkdir(fs, "/mnt/nospace dir with a long name", 0755), -ENOSPC);
	CHECK_EQ(vfs_unlink(fs, "/mnt/filler"), 0);
	CHECK_EQ(fat_pwrite("after full", "ok", 2, 0, 0), 0);
	mirror_write("after full", "ok", 2, 0);
	printf("  filled %zu bytes\n", done);
	report("full disk: ENOSPC, space back after unlink");
}

static void test_write(const char *img, const char *dir, int nops, bool full)
{
	CHECK_EQ(mirror_init(dir), 0);
	CHECK_EQ(do_mount(img, "vfat"), 0);
	if (cur_fail)
		return report("mount for writing");
	report("mount for writing");
	check_tree("before writing");
	report("tree matches before writing");
	test_crowd(nops / 3);
	test_open_files();
	test_errors();
	test_attrs();
	test_big_file(full ? 3 : 40);
	test_random_ops(nops);
	test_attrs_persist(img);
	if (full)
		test_full();
	CHECK_EQ(do_umount(), 0);
	CHECK_EQ(do_mount(img, "vfat"), 0);
	check_tree("after remount");
	CHECK_EQ(do_umount(), 0);
	report("tree matches after remount");
}

/* ------------------------------------------------------- corrupt mode */

/* Reads every file; returns the first error. */
static int walk_all(const char *rel, int depth)
{
	struct namelist l = {0};
	int err = fat_list(rel, &l), e;

	for (int i = 0; err == 0 && i < l.n && depth < 20; i++) {
		char sub[4096];
		size_t len;
		join(sub, sizeof(sub), rel, l.v[i]);
		if (l.dir[i]) {
			e = walk_all(sub, depth + 1);
		} else {
			free(fat_read_all(sub, &len, &e));
			if (e == 0)
				e = fat_pwrite(sub, "w", 1, 100000, 0);
		}
		err = err ? err : e;
	}
	nl_free(&l);
	return err;
}

static void test_corrupt(const char *img, const char *want)
{
	int err = do_mount(img, "vfat");

	if (strcmp(want, "refuse") == 0) {
		CHECK(err < 0);
		if (err == 0)
			do_umount();
	} else {
		CHECK_EQ(err, 0);
		if (err == 0) {
			err = walk_all("", 0);
			CHECK_EQ(err, -EIO);
			CHECK_EQ(do_umount(), 0);
		}
	}
	report(img);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: fat_test read|write|corrupt IMG ARG [N]\n");
		return 2;
	}
	setup_root();
	bcache_set_limit(8 << 20);
	if (strcmp(argv[1], "read") == 0)
		test_read_tree(argv[2], argv[3]);
	else if (strcmp(argv[1], "write") == 0)
		test_write(argv[2], argv[3], argc > 4 ? atoi(argv[4]) : 3000, argc > 5);
	else if (strcmp(argv[1], "corrupt") == 0)
		test_corrupt(argv[2], argv[3]);
	fs_struct_put(fs);
	return nfail ? 1 : 0;
}
