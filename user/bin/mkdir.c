/* mkdir [-p] dir...: creates directories (-p: with parents, existing ones are fine). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.mode);
}

/* Creates every missing component of path; -1 with errno on failure. */
static int make_parents(char *path)
{
	char *p = path;

	for (;;) {
		while (*p == '/')
			p++;
		p = strchr(p, '/');
		if (p)
			*p = '\0';
		if (mkdir(path, 0777) < 0 && !(errno == EEXIST && is_dir(path))) {
			if (p)
				*p = '/';
			return -1;
		}
		if (!p)
			return 0;
		*p = '/';
	}
}

int main(int argc, char **argv)
{
	int c, parents = 0, status = 0, i;
	char path[1024];

	while ((c = getopt(argc, argv, "p")) != -1) {
		if (c != 'p') {
			fprintf(stderr, "usage: mkdir [-p] dir...\n");
			return 1;
		}
		parents = 1;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: mkdir [-p] dir...\n");
		return 1;
	}
	for (i = optind; i < argc; i++) {
		int r;
		if (parents) {
			if (strlcpy(path, argv[i], sizeof(path)) >= sizeof(path)) {
				errno = ENAMETOOLONG;
				r = -1;
			} else {
				r = make_parents(path);
			}
		} else {
			r = mkdir(argv[i], 0777);
		}
		if (r < 0) {
			fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
