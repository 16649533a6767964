/*
 * ls [-l] [-a] [-1] [path...]: lists directories (sorted) and files.
 * -l: type and permissions, links, uid, gid, size, name (-> target).
 * -a: include names starting with '.'.  -1: one name per line (also the
 * default when the output is not a terminal).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TERM_WIDTH 80

struct entry {
	char *name;
	char *path; /* for lstat/readlink */
	struct stat st;
	int have_st;
};

static int opt_long, opt_all, opt_one;
static int status;

static void fail(const char *path)
{
	fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
	status = 1;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void mode_string(mode_t m, char *s)
{
	static const char types[] = "?pc?d?b?-?l?s???";
	static const char rwx[] = "rwxrwxrwx";
	int i;

	s[0] = types[(m & S_IFMT) >> 12];
	for (i = 0; i < 9; i++)
		s[i + 1] = (m & (0400 >> i)) ? rwx[i] : '-';
	if (m & S_ISUID)
		s[3] = (m & 0100) ? 's' : 'S';
	if (m & S_ISGID)
		s[6] = (m & 0010) ? 's' : 'S';
	if (m & S_ISVTX)
		s[9] = (m & 0001) ? 't' : 'T';
	s[10] = '\0';
}

static int digits(unsigned long long v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static void print_long(struct entry *e, int n)
{
	int wl = 1, wu = 1, wg = 1, ws = 1, i;
	char mode[11], target[1024];
	ssize_t len;

	for (i = 0; i < n; i++) {
		struct stat *st = &e[i].st;
		if (!e[i].have_st)
			continue;
		wl = digits(st->nlink) > wl ? digits(st->nlink) : wl;
		wu = digits(st->uid) > wu ? digits(st->uid) : wu;
		wg = digits(st->gid) > wg ? digits(st->gid) : wg;
		ws = digits((unsigned long long)st->size) > ws
		         ? digits((unsigned long long)st->size)
		         : ws;
	}
	for (i = 0; i < n; i++) {
		struct stat *st = &e[i].st;
		if (!e[i].have_st) {
			printf("?????????? %s\n", e[i].name);
			continue;
		}
		mode_string(st->mode, mode);
		printf("%s %*u %*u %*u %*lld %s", mode, wl, st->nlink, wu, st->uid, wg, st->gid, ws,
		       (long long)st->size, e[i].name);
		if (S_ISLNK(st->mode) &&
		    (len = readlink(e[i].path, target, sizeof(target) - 1)) >= 0) {
			target[len] = '\0';
			printf(" -> %s", target);
		}
		putchar('\n');
	}
}

/* Names in columns, filled top to bottom, as wide as the terminal allows. */
static void print_columns(struct entry *e, int n)
{
	int width = 1, cols, rows, r, c, i;

	for (i = 0; i < n; i++) {
		int len = (int)strlen(e[i].name);
		width = len > width ? len : width;
	}
	width += 2;
	cols = TERM_WIDTH / width;
	if (cols < 1)
		cols = 1;
	rows = (n + cols - 1) / cols;
	for (r = 0; r < rows; r++) {
		for (c = 0; c < cols; c++) {
			i = c * rows + r;
			if (i >= n)
				break;
			if (c + 1 < cols && i + rows < n)
				printf("%-*s", width, e[i].name);
			else
				printf("%s", e[i].name);
		}
		putchar('\n');
	}
}

static void print_entries(struct entry *e, int n)
{
	int i;

	qsort(e, (size_t)n, sizeof(*e), cmp_entry);
	if (opt_long)
		print_long(e, n);
	else if (opt_one)
		for (i = 0; i < n; i++)
			printf("%s\n", e[i].name);
	else
		print_columns(e, n);
}

static void free_entries(struct entry *e, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].path);
	}
	free(e);
}

/* A directory operand is listed by content; with -l a symlink to one is not. */
static int is_dir_operand(const char *path)
{
	struct stat st;

	return (opt_long ? lstat(path, &st) : stat(path, &st)) == 0 && S_ISDIR(st.mode);
}

static void list_dir(const char *path)
{
	struct entry *e = NULL, *grown;
	struct dirent *d;
	int n = 0, cap = 0;
	DIR *dir = opendir(path);

	if (!dir) {
		fail(path);
		return;
	}
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' && !opt_all)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			if (!(grown = realloc(e, (size_t)cap * sizeof(*e)))) {
				fail(path);
				break;
			}
			e = grown;
		}
		e[n].name = strdup(d->d_name);
		e[n].path = malloc(strlen(path) + strlen(d->d_name) + 2);
		if (!e[n].name || !e[n].path) {
			fail(path);
			break;
		}
		sprintf(e[n].path, "%s/%s", path, d->d_name);
		e[n].have_st = !opt_long || lstat(e[n].path, &e[n].st) == 0;
		n++;
	}
	closedir(dir);
	print_entries(e, n);
	free_entries(e, n);
}

int main(int argc, char **argv)
{
	struct entry *files;
	int c, i, nfiles = 0, ndirs = 0, shown = 0;

	while ((c = getopt(argc, argv, "la1")) != -1) {
		if (c == 'l')
			opt_long = 1;
		else if (c == 'a')
			opt_all = 1;
		else if (c == '1')
			opt_one = 1;
		else {
			fprintf(stderr, "usage: ls [-la1] [path...]\n");
			return 1;
		}
	}
	if (!isatty(1))
		opt_one = 1;
	if (optind == argc) {
		list_dir(".");
		return status;
	}
	files = calloc((size_t)(argc - optind), sizeof(*files));
	if (!files) {
		fail("ls");
		return 1;
	}
	/* operands that are not directories are listed first, together */
	for (i = optind; i < argc; i++) {
		if (is_dir_operand(argv[i])) {
			ndirs++;
			continue;
		}
		if (lstat(argv[i], &files[nfiles].st) < 0) {
			fail(argv[i]);
			continue;
		}
		files[nfiles].name = strdup(argv[i]);
		files[nfiles].path = strdup(argv[i]);
		files[nfiles++].have_st = 1;
	}
	if (nfiles) {
		print_entries(files, nfiles);
		shown = 1;
	}
	free_entries(files, nfiles);
	for (i = optind; i < argc; i++) {
		if (!is_dir_operand(argv[i]))
			continue;
		if (ndirs + nfiles > 1 || status)
			printf("%s%s:\n", shown ? "\n" : "", argv[i]);
		shown = 1;
		list_dir(argv[i]);
	}
	return status;
}
