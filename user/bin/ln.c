/*
 * ln [-s] [-f] target [linkname|dir]: makes a hard link, or a symbolic one
 * with -s; -f replaces an existing linkname.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *base_name(const char *path)
{
	const char *p = strrchr(path, '/');

	return p && p[1] ? p + 1 : path;
}

int main(int argc, char **argv)
{
	int c, sym = 0, force = 0, r;
	const char *target, *name;
	char path[1024];
	struct stat st;

	while ((c = getopt(argc, argv, "sf")) != -1) {
		if (c == 's')
			sym = 1;
		else if (c == 'f')
			force = 1;
		else
			goto usage;
	}
	if (argc - optind < 1 || argc - optind > 2)
		goto usage;
	target = argv[optind];
	name = argc - optind == 2 ? argv[optind + 1] : base_name(target);
	if (stat(name, &st) == 0 && S_ISDIR(st.mode)) {
		snprintf(path, sizeof(path), "%s/%s", name, base_name(target));
		name = path;
	}
	if (force)
		unlink(name);
	r = sym ? symlink(target, name) : link(target, name);
	if (r < 0) {
		fprintf(stderr, "ln: %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
usage:
	fprintf(stderr, "usage: ln [-s] target [linkname]\n");
	return 1;
}
