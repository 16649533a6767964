/*
 * POSIX getopt: short options, grouped ("-la"), arguments attached or
 * separate, "--" ends options.  A leading ':' in optstring reports a
 * missing argument as ':' and silences the messages.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt;

static int optpos; /* index in argv[optind] of the next option letter */

int getopt(int argc, char *const argv[], const char *optstring)
{
	const char *arg, *spec;
	int quiet = optstring[0] == ':';
	int c;

	optarg = NULL;
	if (optpos == 0) {
		if (optind >= argc || !argv[optind] || argv[optind][0] != '-' ||
		    argv[optind][1] == '\0')
			return -1;
		if (strcmp(argv[optind], "--") == 0) {
			optind++;
			return -1;
		}
		optpos = 1;
	}
	arg = argv[optind];
	c = (unsigned char)arg[optpos++];
	spec = c == ':' ? NULL : strchr(optstring + quiet, c);
	if (arg[optpos] == '\0') {
		optind++;
		optpos = 0;
	}
	if (!spec) {
		optopt = c;
		if (opterr && !quiet)
			fprintf(stderr, "%s: invalid option -- '%c'\n", argv[0], c);
		return '?';
	}
	if (spec[1] != ':')
		return c;
	if (optpos != 0) {
		optarg = (char *)arg + optpos;
		optind++;
		optpos = 0;
	} else if (optind < argc) {
		optarg = argv[optind++];
	} else {
		optopt = c;
		if (quiet)
			return ':';
		if (opterr)
			fprintf(stderr, "%s: option requires an argument -- '%c'\n", argv[0], c);
		return '?';
	}
	return c;
}
