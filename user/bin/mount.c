/*
 * mount: without arguments prints the mount table.
 *   mount -t TYPE [-o ro|rw[,opts]] SRC TARGET   mounts a file system
 *     (options other than ro/rw are passed to it as data, for example
 *     -t overlay -o lowerdir=/a:/b,upperdir=/u overlay /merged);
 *   mount --bind [-o ro] SRC TARGET              attaches SRC at TARGET
 *     (--rbind: with the mounts below SRC);
 *   mount -o remount,ro|rw TARGET                changes a mount's flags.
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

/* Splits -o options: ro/rw/remount/bind become flags, the rest is kept
 * in data. */
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
		} else if (strcmp(o, "remount") == 0) {
			flags |= MS_REMOUNT;
		} else if (strcmp(o, "bind") == 0) {
			flags |= MS_BIND;
		} else {
			if (data[0])
				strlcpy(data + strlen(data), ",", size - strlen(data));
			strlcpy(data + strlen(data), o, size - strlen(data));
		}
	}
	return flags;
}

/* Takes --bind and --rbind out of argv; returns their flags. */
static unsigned long long_options(int *argc, char **argv)
{
	unsigned long flags = 0;
	int j = 1;

	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--bind") == 0)
			flags |= MS_BIND;
		else if (strcmp(argv[i], "--rbind") == 0)
			flags |= MS_BIND | MS_REC;
		else
			argv[j++] = argv[i];
	}
	*argc = j;
	argv[j] = NULL;
	return flags;
}

static int usage(void)
{
	fprintf(stderr, "usage: mount [-t type [-o opts] source target]\n"
	                "       mount --bind|--rbind [-o ro] source target\n"
	                "       mount -o remount,ro|rw target\n");
	return 1;
}

int main(int argc, char **argv)
{
	const char *type = NULL, *src, *target;
	char *opts = NULL, data[1024] = "";
	unsigned long flags;
	int c;

	if (argc == 1)
		return show();
	flags = long_options(&argc, argv);
	while ((c = getopt(argc, argv, "t:o:")) != -1) {
		if (c == 't')
			type = optarg;
		else if (c == 'o')
			opts = optarg;
		else
			return usage();
	}
	if (opts)
		flags |= parse_options(opts, data, sizeof(data));
	if ((flags & MS_REMOUNT) && argc - optind == 1) {
		src = NULL;
		target = argv[optind];
	} else if (argc - optind == 2 && (type || (flags & MS_BIND))) {
		src = argv[optind];
		target = argv[optind + 1];
	} else {
		return usage();
	}
	if (sc_mount(src, target, type ? type : "", flags, data[0] ? data : NULL) < 0) {
		fprintf(stderr, "mount: %s: %s\n", target, strerror(errno));
		return 1;
	}
	return 0;
}
