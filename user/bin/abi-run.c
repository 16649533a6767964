/*
 * abi-run ABI PROGRAM [ARGS...]: runs PROGRAM under the named ABI module
 * whatever its binary looks like (the executor's explicit override).
 */
#include <errno.h>
#include <scarlet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: abi-run ABI PROGRAM [ARGS...]\n");
		return 2;
	}
	sc_exec_abi(argv[1], argv[2], argv + 2, environ);
	fprintf(stderr, "abi-run: %s: %s\n", argv[2],
	        errno == EINVAL ? "no such ABI" : strerror(errno));
	return 127;
}
