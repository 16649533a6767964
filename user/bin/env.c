/*
 * env [-i] [NAME=VALUE...] [command [args...]]: prints the environment, or
 * runs command in a modified one (-i: starting empty).  Exit status 127
 * when the command is not found, 126 when it cannot be run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char *empty[] = {NULL};
	int i = 1, err;
	char **e, *eq;

	if (i < argc && strcmp(argv[i], "-i") == 0) {
		environ = empty;
		i++;
	}
	for (; i < argc && (eq = strchr(argv[i], '=')); i++) {
		*eq = '\0';
		if (setenv(argv[i], eq + 1, 1) < 0) {
			fprintf(stderr, "env: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
	}
	if (i == argc) {
		for (e = environ; e && *e; e++)
			printf("%s\n", *e);
		return 0;
	}
	execvp(argv[i], argv + i);
	err = errno;
	fprintf(stderr, "env: %s: %s\n", argv[i], strerror(err));
	return err == ENOENT ? 127 : 126;
}
