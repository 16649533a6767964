/* uname [-asnrvm]: prints system information (default: -s). */
#include <errno.h>
#include <scarlet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define F_SYS  1
#define F_NODE 2
#define F_REL  4
#define F_VER  8
#define F_MACH 16

int main(int argc, char **argv)
{
	struct sc_utsname u;
	const char *fields[5];
	int c, which = 0, i, first = 1;

	while ((c = getopt(argc, argv, "asnrvm")) != -1) {
		switch (c) {
		case 'a':
			which = F_SYS | F_NODE | F_REL | F_VER | F_MACH;
			break;
		case 's':
			which |= F_SYS;
			break;
		case 'n':
			which |= F_NODE;
			break;
		case 'r':
			which |= F_REL;
			break;
		case 'v':
			which |= F_VER;
			break;
		case 'm':
			which |= F_MACH;
			break;
		default:
			fprintf(stderr, "usage: uname [-asnrvm]\n");
			return 1;
		}
	}
	if (!which)
		which = F_SYS;
	if (sc_uname(&u) < 0) {
		fprintf(stderr, "uname: %s\n", strerror(errno));
		return 1;
	}
	fields[0] = u.sysname;
	fields[1] = u.nodename;
	fields[2] = u.release;
	fields[3] = u.version;
	fields[4] = u.machine;
	for (i = 0; i < 5; i++) {
		if (!(which & (1 << i)))
			continue;
		printf("%s%s", first ? "" : " ", fields[i]);
		first = 0;
	}
	putchar('\n');
	return 0;
}
