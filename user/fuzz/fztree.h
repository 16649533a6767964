/*
 * What the fuzz workers left outside their directories.  A worker's
 * relative paths stay relative, but ".." and a chdir to "/" or "/tmp"
 * take it anywhere it may write, so the names it makes can be in any
 * writable directory (also the upper layer of another ABI's root, under
 * /data/config).  Those are files a user made, not memory the kernel
 * lost, so the manager lists every name before the run and, after it,
 * removes every name that was not there; the free-page count is compared
 * after that.  /proc and the read-only /system are not walked.
 *
 * A native worker has a mount namespace of its own, where it may unmount
 * /proc or /dev and make names in the directory below; the manager's
 * view shows the mount, not those names.  So the manager first takes a
 * namespace of its own with the root file system alone (no submounts)
 * bound at FZ_TREE_RAW, and walks that too.
 */
#ifndef FUZZ_FZTREE_H
#define FUZZ_FZTREE_H

#include <dirent.h>
#include <scarlet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FZ_TREE_PATH_MAX 1024 /* longer names are neither listed nor removed */

#define FZ_TREE_RAW "/tmp/.fuzz-raw-root"

/* This process's own mount namespace, with the bare root at FZ_TREE_RAW. */
static inline int fz_tree_raw_view(void)
{
	if (sc_unshare(UNSHARE_NS) < 0)
		return -1;
	mkdir(FZ_TREE_RAW, 0700);
	return sc_mount("/", FZ_TREE_RAW, NULL, MS_BIND, NULL);
}

struct fz_tree {
	char **paths;
	size_t n, cap;
};

static inline bool fz_tree_skipped(const char *path)
{
	return strcmp(path, "/proc") == 0 || strcmp(path, "/system") == 0;
}

static inline void fz_tree_add(struct fz_tree *t, const char *path)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		char **p = realloc(t->paths, cap * sizeof(*p));
		if (!p)
			return;
		t->paths = p;
		t->cap = cap;
	}
	char *copy = strdup(path);
	if (copy)
		t->paths[t->n++] = copy;
}

static inline int fz_tree_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline bool fz_tree_has(const struct fz_tree *t, const char *path)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(path, t->paths[mid]);
		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* Child path of dir; false when it does not fit. */
static inline bool fz_tree_join(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, FZ_TREE_PATH_MAX, "%s/%s", strcmp(dir, "/") ? dir : "", name);
	return n > 0 && n < FZ_TREE_PATH_MAX;
}

/* Calls visit(path, is_dir, ctx) for every name under dir; visit says
 * whether to descend into a directory. */
static inline void fz_tree_walk(const char *dir, bool (*visit)(const char *, bool, void *),
                                void *ctx)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char path[FZ_TREE_PATH_MAX];
	while ((e = readdir(d))) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !fz_tree_join(path, dir, e->d_name) || lstat(path, &st) < 0)
			continue;
		bool is_dir = S_ISDIR(st.mode);
		if (visit(path, is_dir, ctx) && is_dir && !fz_tree_skipped(path))
			fz_tree_walk(path, visit, ctx);
	}
	closedir(d);
}

static inline bool fz_tree_record(const char *path, bool is_dir, void *ctx)
{
	(void)is_dir;
	fz_tree_add(ctx, path);
	return true;
}

/* Every name under / now, sorted. */
static inline void fz_tree_scan(struct fz_tree *t)
{
	fz_tree_walk("/", fz_tree_record, t);
	qsort(t->paths, t->n, sizeof(char *), fz_tree_cmp);
}

static inline bool fz_tree_new_name(const char *path, bool is_dir, void *ctx)
{
	struct fz_tree **t = ctx; /* [0]: before, [1]: the new names */
	(void)is_dir;
	if (fz_tree_has(t[0], path))
		return true;
	fz_tree_add(t[1], path);
	return false; /* removed with all it holds */
}

/* Removes every name under / that is not in before (collected first:
 * a directory changed while it is read may skip names); returns how many
 * (a directory with all it holds counts once). */
static inline unsigned fz_tree_prune(const struct fz_tree *before,
                                     void (*remove_tree)(const char *))
{
	struct fz_tree found = {0};
	struct fz_tree *t[2] = {(struct fz_tree *)before, &found};
	fz_tree_walk("/", fz_tree_new_name, t);
	for (size_t i = 0; i < found.n; i++) {
		struct stat st;
		if (lstat(found.paths[i], &st) == 0 && S_ISDIR(st.mode))
			remove_tree(found.paths[i]);
		else
			unlink(found.paths[i]);
		free(found.paths[i]);
	}
	free(found.paths);
	return (unsigned)found.n;
}

#endif
