/*
 * A musl program (built static and dynamic against Debian's musl-dev):
 * musl's own start-up, stdio, malloc and the environment.  It carries no
 * GNU ABI-tag note, so the executor must know it for Linux by other means
 * (docs/executor.md).  Exits with the number of arguments after argv[0],
 * so a test sees its status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *copy = strdup(argc > 1 ? argv[1] : "-");
	const char *home = getenv("HOME");
	if (!copy)
		return 100;
	printf("Hello from musl: argc=%d argv[1]=%s pid=%d home=%s\n", argc, copy, (int)getpid(),
	       home ? "set" : "unset");
	free(copy);
	return argc - 1;
}
