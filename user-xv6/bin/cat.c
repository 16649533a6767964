/*
 * cat [file...]: copies each file (standard input without arguments)
 * to standard output.
 */
#include "types.h"
#include "fcntl.h"
#include "user.h"

static char buf[4096];

static int copy(int fd, const char *name)
{
	int n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (write(1, buf, n) != n) {
			fprintf(2, "cat: write error\n");
			return -1;
		}
	}
	if (n < 0) {
		fprintf(2, "cat: %s: read error\n", name);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i, fd, status = 0;

	if (argc < 2)
		return copy(0, "stdin") < 0;
	for (i = 1; i < argc; i++) {
		if ((fd = open(argv[i], O_RDONLY)) < 0) {
			fprintf(2, "cat: cannot open %s\n", argv[i]);
			status = 1;
			continue;
		}
		if (copy(fd, argv[i]) < 0)
			status = 1;
		close(fd);
	}
	return status;
}
