/* umount target...: detaches mounted file systems. */
#include <errno.h>
#include <scarlet.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int i, status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: umount target...\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (sc_umount(argv[i]) < 0) {
			fprintf(stderr, "umount: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
