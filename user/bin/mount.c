/*
 * mount: without arguments prints the mount table; mount -t TYPE [-o
 * ro|rw[,opts]] SRC TARGET mounts a file system (options other than ro/rw
 * are passed to it as data).
 */
#include <errno.h>
#include <scarlet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char table[16384];

static int show(void)
{
	int n = sc_mounts(table, sizeof(table));

	if (n < 0) {
		fprintf(stderr, "mount: %s\n", strerror(errno));
		return 1;
	}
	fwrite(table, 1, (size_t)n, stdout);
	return 0;
}

/* Splits -o options: ro/rw become flags, the rest is kept in data. */
static unsigned long parse_options(char *opts, char *data, size_t size)
{
	unsigned long flags = 0;
	char *save, *o;

	data[0] = '\0';
	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (strcmp(o, "ro") == 0) {
			flags |= MS_RDONLY;
		} else if (strcmp(o, "rw") == 0) {
			flags &= ~(unsigned long)MS_RDONLY;
		} else {
			if (data[0])
				strlcpy(data + strlen(data), ",", size - strlen(data));
			strlcpy(data + strlen(data), o, size - strlen(data));
		}
	}
	return flags;
}

int main(int argc, char **argv)
{
	const char *type = NULL;
	char *opts = NULL, data[256] = "";
	unsigned long flags = 0;
	int c;

	if (argc == 1)
		return show();
	while ((c = getopt(argc, argv, "t:o:")) != -1) {
		if (c == 't')
			type = optarg;
		else if (c == 'o')
			opts = optarg;
		else
			goto usage;
	}
	if (argc - optind != 2 || !type)
		goto usage;
	if (opts)
		flags = parse_options(opts, data, sizeof(data));
	if (sc_mount(argv[optind], argv[optind + 1], type, flags, data[0] ? data : NULL) < 0) {
		fprintf(stderr, "mount: %s: %s\n", argv[optind + 1], strerror(errno));
		return 1;
	}
	return 0;
usage:
	fprintf(stderr, "usage: mount [-t type [-o ro] source target]\n");
	return 1;
}
