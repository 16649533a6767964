/*
 * abi-detect FILE...: prints which ABI the executor would run each file
 * under ("scarlet", "xv6-riscv64", "linux-riscv64"), or "script" for a
 * "#!" file, or "runtime PATH" when the runtime registry claims it.
 */
#include <errno.h>
#include <scarlet.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int status = 0;
	char name[300];
	for (int i = 1; i < argc; i++) {
		if (sc_abi_probe(argv[i], name, sizeof(name)) < 0) {
			fprintf(stderr, "abi-detect: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		printf("%s: %s\n", argv[i], name);
	}
	return status;
}
