/*
 * grep pattern [file...]: prints the lines that match pattern.
 *
 * Patterns are simple regular expressions: c matches itself, '.' any
 * character, x* zero or more x, a leading '^' anchors at the start of
 * the line and a trailing '$' at its end.  Without any of these, the
 * pattern is plain text found anywhere in the line.
 */
#include "types.h"
#include "fcntl.h"
#include "user.h"

static int match_here(const char *re, const char *text);

/* x* at the start of re (c = x): try the rest after 0, 1, 2... x's. */
static int match_star(char c, const char *re, const char *text)
{
	for (;;) {
		if (match_here(re, text))
			return 1;
		if (*text == '\0' || (c != '.' && *text != c))
			return 0;
		text++;
	}
}

/* Does re match a prefix of text? */
static int match_here(const char *re, const char *text)
{
	for (;;) {
		if (re[0] == '\0')
			return 1;
		if (re[1] == '*')
			return match_star(re[0], re + 2, text);
		if (re[0] == '$' && re[1] == '\0')
			return *text == '\0';
		if (*text == '\0' || (re[0] != '.' && re[0] != *text))
			return 0;
		re++;
		text++;
	}
}

static int match(const char *re, const char *text)
{
	if (re[0] == '^')
		return match_here(re + 1, text);
	do {
		if (match_here(re, text))
			return 1;
	} while (*text++ != '\0');
	return 0;
}

static char buf[8192];

/* Prints the matching lines of fd; returns the number of matches. */
static int grep(const char *re, int fd)
{
	int len = 0, n, found = 0;
	char *line, *nl;

	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += n;
		buf[len] = '\0';
		line = buf;
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			if (match(re, line)) {
				*nl = '\n';
				write(1, line, nl + 1 - line);
				found++;
			}
			line = nl + 1;
		}
		len -= line - buf;
		if (len == (int)sizeof(buf) - 1)
			len = 0; /* a line longer than the buffer: drop it */
		memmove(buf, line, len);
	}
	if (len > 0) {
		buf[len] = '\0';
		if (match(re, buf)) {
			printf("%s\n", buf);
			found++;
		}
	}
	return found;
}

int main(int argc, char **argv)
{
	int i, fd, found = 0;

	if (argc < 2) {
		fprintf(2, "usage: grep pattern [file...]\n");
		return 2;
	}
	if (argc == 2)
		return grep(argv[1], 0) ? 0 : 1;
	for (i = 2; i < argc; i++) {
		if ((fd = open(argv[i], O_RDONLY)) < 0) {
			fprintf(2, "grep: cannot open %s\n", argv[i]);
			return 2;
		}
		found += grep(argv[1], fd);
		close(fd);
	}
	return found ? 0 : 1;
}
