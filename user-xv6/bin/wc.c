/*
 * wc [file...]: prints the line, word and byte counts of each file (of
 * standard input without arguments) and its name.
 */
#include "types.h"
#include "fcntl.h"
#include "user.h"

static char buf[4096];

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int count(int fd, const char *name)
{
	long lines = 0, words = 0, bytes = 0;
	int n, i, in_word = 0;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		bytes += n;
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n')
				lines++;
			if (is_space(buf[i])) {
				in_word = 0;
			} else if (!in_word) {
				in_word = 1;
				words++;
			}
		}
	}
	if (n < 0) {
		fprintf(2, "wc: read error\n");
		return -1;
	}
	printf("%ld %ld %ld %s\n", lines, words, bytes, name);
	return 0;
}

int main(int argc, char **argv)
{
	int i, fd, status = 0;

	if (argc < 2)
		return count(0, "") < 0;
	for (i = 1; i < argc; i++) {
		if ((fd = open(argv[i], O_RDONLY)) < 0) {
			fprintf(2, "wc: cannot open %s\n", argv[i]);
			status = 1;
			continue;
		}
		if (count(fd, argv[i]) < 0)
			status = 1;
		close(fd);
	}
	return status;
}
