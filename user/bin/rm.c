/* rm [-r] [-f] path...: removes files (-r: directories too; -f: quiet on missing). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive, force;

static int fail(const char *path)
{
	if (force && errno == ENOENT)
		return 0;
	fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
	return 1;
}

static int remove_path(const char *path);

/* Removes the entries of directory path, then the directory. */
static int remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char child[1024];
	int status = 0;

	if (!d)
		return fail(path);
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(child, sizeof(child), "%s/%s", path, e->d_name) >=
		    sizeof(child)) {
			errno = ENAMETOOLONG;
			status |= fail(path);
			continue;
		}
		status |= remove_path(child);
	}
	closedir(d);
	if (rmdir(path) < 0)
		status |= fail(path);
	return status;
}

static int remove_path(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return fail(path);
	if (S_ISDIR(st.mode)) {
		if (!recursive) {
			errno = EISDIR;
			return fail(path);
		}
		return remove_tree(path);
	}
	if (unlink(path) < 0)
		return fail(path);
	return 0;
}

int main(int argc, char **argv)
{
	int c, i, status = 0;

	while ((c = getopt(argc, argv, "rRf")) != -1) {
		if (c == 'r' || c == 'R') {
			recursive = 1;
		} else if (c == 'f') {
			force = 1;
		} else {
			fprintf(stderr, "usage: rm [-rf] path...\n");
			return 1;
		}
	}
	if (optind >= argc && !force) {
		fprintf(stderr, "usage: rm [-rf] path...\n");
		return 1;
	}
	for (i = optind; i < argc; i++)
		status |= remove_path(argv[i]);
	return status;
}
