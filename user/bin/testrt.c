/*
 * testrt: a stand-in language runtime for testing runtime delegation.
 * Registered in /data/config/runtimes for some file type, it is run by
 * the executor as [testrt, extra args..., file, args...]; it prints what
 * it got and the file's first line, as an interpreter would use them.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("testrt: argc=%d", argc);
	for (int i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\n");
	for (int i = 1; i < argc; i++) {
		int h = open(argv[i], O_RDONLY);
		char line[128];
		ssize_t n;
		if (h < 0 || argv[i][0] != '/')
			continue;
		n = read(h, line, sizeof(line) - 1);
		close(h);
		if (n > 0) {
			line[n] = '\0';
			printf("testrt: %s starts with: %.*s\n", argv[i],
			       (int)(strchr(line, '\n') ? strchr(line, '\n') - line : n), line);
			break;
		}
	}
	return 0;
}
