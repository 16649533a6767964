/* cat [file...]: copies files ("-" or none: standard input) to standard output. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[16384];

/* Copies handle h to standard output; -1 on a write error. */
static int copy(int h, const char *name)
{
	ssize_t n, w, off;

	while ((n = read(h, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += w) {
			w = write(1, buf + off, (size_t)(n - off));
			if (w <= 0) {
				fprintf(stderr, "cat: write error: %s\n", strerror(errno));
				return -1;
			}
		}
	}
	if (n < 0) {
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i, h, r, status = 0;

	if (argc < 2)
		return copy(0, "-") ? 1 : 0;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			h = 0;
		} else if ((h = open(argv[i], O_RDONLY)) < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		r = copy(h, argv[i]);
		if (h != 0)
			close(h);
		if (r < 0)
			return 1;
		if (r > 0)
			status = 1;
	}
	return status;
}
