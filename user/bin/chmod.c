/*
 * chmod MODE FILE...: sets permission bits; MODE is octal (e.g. 755).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	char *end;
	int status = 0;
	if (argc < 3) {
		fprintf(stderr, "usage: chmod OCTAL-MODE FILE...\n");
		return 1;
	}
	long mode = strtol(argv[1], &end, 8);
	if (*end || mode < 0 || mode > 07777) {
		fprintf(stderr, "chmod: %s: not an octal mode\n", argv[1]);
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		if (chmod(argv[i], (mode_t)mode) < 0) {
			fprintf(stderr, "chmod: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
