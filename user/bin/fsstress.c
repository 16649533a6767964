/*
 * fsstress: a file-system stress test for disk filesystems (ext2).
 *
 *   fsstress [-L] [-n FILES] [-b MIB] DIR      change DIR, then verify it
 *   fsstress -v [-L] [-n FILES] [-b MIB] DIR   only verify (after a reboot)
 *
 * -L leaves out hard links, for filesystems without them (FAT32).
 *
 * In DIR it creates FILES files in 16 directories, appends to them,
 * renames them (some over existing files), makes hard links, deletes half
 * of them, moves a directory to another parent, removes a directory, and
 * writes a file of MIB MiB (70 by default: past the double indirect limit
 * of 1 KiB blocks).  Every file holds deterministic pseudo-random data, so
 * the final state is known from the arguments alone: -v recomputes it
 * without touching the disk and checks it.  Prints timings and
 * "fsstress: ok" or "fsstress: FAILED"; the exit status says the same.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NDIRS 16
#define CHUNK 65536

struct file {
	char path[64];
	unsigned seed;
	long size;
	int live;
};

static const char *root;
static struct file *files;
static int nfiles, verify_only, errors, no_links;
static unsigned long rng = 12345;
static unsigned char buf[CHUNK], buf2[CHUNK];

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)(rng >> 33) % n;
}

static unsigned char pat(unsigned seed, long off)
{
	unsigned long x = (unsigned long)(off >> 2) * 2654435761u + seed * 40503u;
	return (unsigned char)((x >> ((off & 3) * 8)) ^ (x >> 13) ^ off);
}

static void fill(unsigned char *b, long n, unsigned seed, long off)
{
	for (long i = 0; i < n; i++)
		b[i] = pat(seed, off + i);
}

static void fail(const char *what, const char *path)
{
	printf("fsstress: %s: %s\n", what, path);
	errors++;
}

static void full(char *out, const char *rel)
{
	snprintf(out, 256, "%s/%s", root, rel);
}

/* Milliseconds of the monotonic clock. */
static long now(void)
{
	struct timespec ts;
	clock_gettime(1 /* CLOCK_MONOTONIC */, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Writes pattern bytes [off, off + n) of seed into rel. */
static void put(const char *rel, unsigned seed, long off, long n, int flags)
{
	char p[256];
	full(p, rel);
	if (verify_only)
		return;
	int fd = open(p, O_WRONLY | O_CREAT | flags, 0644);
	if (fd < 0) {
		fail("open for write", p);
		return;
	}
	if (!(flags & O_APPEND))
		lseek(fd, off, SEEK_SET);
	for (long done = 0; done < n;) {
		long c = n - done < CHUNK ? n - done : CHUNK;
		fill(buf, c, seed, off + done);
		if (write(fd, buf, c) != c) {
			fail("write", p);
			break;
		}
		done += c;
	}
	close(fd);
}

static void check_file(const char *rel, unsigned seed, long size)
{
	char p[256];
	struct stat st;
	full(p, rel);
	int fd = open(p, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0 || st.size != size) {
		fail(fd < 0 ? "missing" : "wrong size", p);
		if (fd >= 0)
			close(fd);
		return;
	}
	for (long off = 0; off < size;) {
		long c = size - off < CHUNK ? size - off : CHUNK;
		if (read(fd, buf, c) != c) {
			fail("short read", p);
			break;
		}
		fill(buf2, c, seed, off);
		if (memcmp(buf, buf2, c) != 0) {
			fail("content differs", p);
			break;
		}
		off += c;
	}
	close(fd);
}

static int live(void)
{
	for (int t = 0; t < 10000; t++) {
		int i = rnd(nfiles);
		if (files[i].live)
			return i;
	}
	return -1;
}

static void do_mkdir(const char *rel)
{
	char p[256];
	full(p, rel);
	if (!verify_only && mkdir(p, 0755) < 0)
		fail("mkdir", p);
}

static void do_rename(const char *a, const char *b)
{
	char pa[256], pb[256];
	full(pa, a);
	full(pb, b);
	if (!verify_only && rename(pa, pb) < 0)
		fail("rename", pa);
}

static void do_unlink(const char *rel)
{
	char p[256];
	full(p, rel);
	if (!verify_only && unlink(p) < 0)
		fail("unlink", p);
}

static void files_phase(int n)
{
	for (int d = 0; d < NDIRS; d++) {
		char rel[16];
		snprintf(rel, sizeof(rel), "d%02d", d);
		do_mkdir(rel);
	}
	for (int i = 0; i < n; i++) {
		struct file *f = &files[nfiles++];
		snprintf(f->path, sizeof(f->path), "d%02d/f%05d", rnd(NDIRS), i);
		f->seed = i + 1;
		f->size = rnd(10) == 0 ? rnd(80000) : rnd(3000);
		f->live = 1;
		put(f->path, f->seed, 0, f->size, O_TRUNC);
	}
	for (int k = 0; k < n / 4; k++) {
		struct file *f = &files[live()];
		long more = rnd(5000);
		put(f->path, f->seed, f->size, more, O_APPEND);
		f->size += more;
	}
}

static void rename_phase(int n)
{
	for (int k = 0; k < n / 4; k++) {
		int i = live(), j = live();
		char to[64];
		if (rnd(4) == 0 && i != j) {
			strcpy(to, files[j].path);
			files[j].live = 0;
		} else {
			snprintf(to, sizeof(to), "d%02d/r%05d", rnd(NDIRS), k);
		}
		do_rename(files[i].path, to);
		strcpy(files[i].path, to);
	}
	for (int k = 0; k < (no_links ? 0 : n / 20); k++) { /* links become files of their own */
		int i = live();
		struct file *f = &files[nfiles++];
		*f = files[i];
		snprintf(f->path, sizeof(f->path), "d%02d/l%05d", rnd(NDIRS), k);
		char a[256], b[256];
		full(a, files[i].path);
		full(b, f->path);
		if (!verify_only && link(a, b) < 0)
			fail("link", b);
		f->size = files[i].size;
	}
	for (int k = 0; k < n / 2; k++) {
		int i = live();
		do_unlink(files[i].path);
		files[i].live = 0;
	}
}

static void dir_phase(void)
{
	struct file *f = &files[nfiles++];
	do_mkdir("movedir");
	do_mkdir("movedir/sub");
	put("movedir/sub/x", 4242, 0, 7000, O_TRUNC);
	do_rename("movedir", "d03/moved");
	snprintf(f->path, sizeof(f->path), "d03/moved/sub/x");
	f->seed = 4242, f->size = 7000, f->live = 1;
	do_mkdir("gone");
	put("gone/y", 1, 0, 10, O_TRUNC);
	do_unlink("gone/y");
	char p[256];
	full(p, "gone");
	if (!verify_only && rmdir(p) < 0)
		fail("rmdir", p);
}

static void big_phase(long mib)
{
	struct file *f = &files[nfiles++];
	long t = now();
	snprintf(f->path, sizeof(f->path), "big");
	f->seed = 777, f->size = mib << 20, f->live = 1;
	put(f->path, f->seed, 0, f->size, O_TRUNC);
	if (!verify_only)
		printf("fsstress: wrote %ld MiB in %ld ms\n", mib, now() - t);
	t = now();
	check_file(f->path, f->seed, f->size);
	printf("fsstress: read %ld MiB in %ld ms\n", mib, now() - t);
}

static int count_entries(const char *rel)
{
	char p[256];
	full(p, rel);
	DIR *d = opendir(p);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	if (d)
		closedir(d);
	return n;
}

static void verify(void)
{
	int per_dir[NDIRS] = {0};
	for (int i = 0; i < nfiles; i++) {
		if (!files[i].live)
			continue;
		check_file(files[i].path, files[i].seed, files[i].size);
		if (files[i].path[0] == 'd' && !strchr(files[i].path + 4, '/'))
			per_dir[atoi(files[i].path + 1)]++;
	}
	per_dir[3]++; /* d03/moved */
	for (int d = 0; d < NDIRS; d++) {
		char rel[16];
		snprintf(rel, sizeof(rel), "d%02d", d);
		if (count_entries(rel) != per_dir[d])
			fail("wrong number of entries", rel);
	}
	char p[256];
	struct stat a, b;
	full(p, "d03/moved/..");
	stat(p, &a);
	full(p, "d03");
	stat(p, &b);
	if (a.ino != b.ino)
		fail("moved directory's .. is stale", p);
}

int main(int argc, char **argv)
{
	int n = 2000;
	long mib = 70;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v"))
			verify_only = 1;
		else if (!strcmp(argv[i], "-L"))
			no_links = 1;
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			n = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-b") && i + 1 < argc)
			mib = atol(argv[++i]);
	}
	if (i >= argc) {
		fprintf(stderr, "usage: fsstress [-v] [-n FILES] [-b MIB] DIR\n");
		return 2;
	}
	root = argv[i];
	files = calloc(n + n / 20 + 8, sizeof(*files));
	if (!verify_only)
		mkdir(root, 0755); /* may exist already */
	long t = now();
	files_phase(n);
	if (!verify_only)
		printf("fsstress: created %d files in %ld ms\n", n, now() - t);
	t = now();
	rename_phase(n);
	if (!verify_only)
		printf("fsstress: renamed/linked/deleted in %ld ms\n", now() - t);
	dir_phase();
	if (mib)
		big_phase(mib);
	verify();
	if (!verify_only)
		sync();
	printf("fsstress: %s\n", errors ? "FAILED" : "ok");
	return errors ? 1 : 0;
}
