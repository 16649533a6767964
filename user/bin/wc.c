/* wc [-lwc] [file...]: counts lines, words and bytes (default all three), with totals. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts {
	unsigned long long lines, words, bytes;
};

static int show_l, show_w, show_c;
static char buf[16384];

static int count(int h, struct counts *c)
{
	int in_word = 0;
	ssize_t n, i;

	while ((n = read(h, buf, sizeof(buf))) > 0) {
		c->bytes += (unsigned long long)n;
		for (i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)buf[i];
			if (ch == '\n')
				c->lines++;
			if (isspace(ch)) {
				in_word = 0;
			} else if (!in_word) {
				in_word = 1;
				c->words++;
			}
		}
	}
	return n < 0 ? -1 : 0;
}

static void report(const struct counts *c, const char *name)
{
	const char *sep = "";

	if (show_l) {
		printf("%7llu", c->lines);
		sep = " ";
	}
	if (show_w) {
		printf("%s%7llu", sep, c->words);
		sep = " ";
	}
	if (show_c)
		printf("%s%7llu", sep, c->bytes);
	if (name)
		printf(" %s", name);
	putchar('\n');
}

int main(int argc, char **argv)
{
	struct counts total = {0, 0, 0}, c;
	int opt, i, h, status = 0;

	while ((opt = getopt(argc, argv, "lwc")) != -1) {
		if (opt == 'l')
			show_l = 1;
		else if (opt == 'w')
			show_w = 1;
		else if (opt == 'c')
			show_c = 1;
		else {
			fprintf(stderr, "usage: wc [-lwc] [file...]\n");
			return 1;
		}
	}
	if (!show_l && !show_w && !show_c)
		show_l = show_w = show_c = 1;
	if (optind == argc) {
		memset(&c, 0, sizeof(c));
		if (count(0, &c) < 0) {
			fprintf(stderr, "wc: -: %s\n", strerror(errno));
			return 1;
		}
		report(&c, NULL);
		return 0;
	}
	for (i = optind; i < argc; i++) {
		memset(&c, 0, sizeof(c));
		h = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
		if (h < 0 || count(h, &c) < 0) {
			fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			if (h > 0)
				close(h);
			continue;
		}
		if (h > 0)
			close(h);
		report(&c, argv[i]);
		total.lines += c.lines;
		total.words += c.words;
		total.bytes += c.bytes;
	}
	if (argc - optind > 1)
		report(&total, "total");
	return status;
}
