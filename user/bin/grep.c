/*
 * grep [-vicnql] pattern [file...]: prints the lines matching a basic
 * regular expression: literal characters, '.', '*', '^' and '$' anchors,
 * bracket classes [a-z] [^...] (with [:alpha:]-style names), '\' quoting
 * the next character.  Exit status 0 when a line was selected, 1 when
 * none was, 2 on an error.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ATOMS 256

enum { ATOM_CHAR, ATOM_ANY, ATOM_CLASS };

struct atom {
	int type;
	int star; /* repeated zero or more times */
	unsigned char c;
	int negate;            /* class: [^...] */
	unsigned char set[32]; /* class: bitmap of members */
};

struct regex {
	int anchor_start, anchor_end;
	int n;
	struct atom atoms[MAX_ATOMS];
};

static int opt_v, opt_i, opt_c, opt_n, opt_q, opt_l, show_names;

static void set_add(unsigned char *set, int c)
{
	set[c >> 3] |= (unsigned char)(1 << (c & 7));
	if (opt_i) {
		c = isupper(c) ? tolower(c) : toupper(c);
		set[c >> 3] |= (unsigned char)(1 << (c & 7));
	}
}

static const struct {
	const char *name;
	int (*fn)(int);
} char_classes[] = {
    {"alpha", isalpha}, {"digit", isdigit},   {"alnum", isalnum},
    {"space", isspace}, {"upper", isupper},   {"lower", islower},
    {"punct", ispunct}, {"xdigit", isxdigit}, {"print", isprint},
};

/* Adds a "[:name:]" class at p to set; returns the length consumed, 0 if none. */
static size_t parse_named_class(const char *p, unsigned char *set)
{
	size_t i, len;
	int c;

	if (p[0] != '[' || p[1] != ':')
		return 0;
	for (i = 0; i < sizeof(char_classes) / sizeof(char_classes[0]); i++) {
		len = strlen(char_classes[i].name);
		if (strncmp(p + 2, char_classes[i].name, len) == 0 && p[2 + len] == ':' &&
		    p[3 + len] == ']') {
			for (c = 1; c < 256; c++)
				if (char_classes[i].fn(c))
					set_add(set, c);
			return len + 4;
		}
	}
	return 0;
}

/* Parses a bracket expression after its '['; returns the rest or NULL. */
static const char *parse_class(const char *p, struct atom *a)
{
	int first = 1, lo, hi, c;
	size_t skip;

	a->type = ATOM_CLASS;
	memset(a->set, 0, sizeof(a->set));
	if (*p == '^') {
		a->negate = 1;
		p++;
	}
	while (*p && (*p != ']' || first)) {
		first = 0;
		if ((skip = parse_named_class(p, a->set))) {
			p += skip;
			continue;
		}
		lo = (unsigned char)*p++;
		hi = lo;
		if (p[0] == '-' && p[1] && p[1] != ']') {
			hi = (unsigned char)p[1];
			p += 2;
		}
		for (c = lo; c <= hi; c++)
			set_add(a->set, c);
	}
	return *p == ']' ? p + 1 : NULL;
}

/* Compiles pattern into re; -1 when malformed. */
static int compile(const char *p, struct regex *re)
{
	struct atom *a;

	memset(re, 0, sizeof(*re));
	if (*p == '^') {
		re->anchor_start = 1;
		p++;
	}
	while (*p) {
		if (p[0] == '$' && p[1] == '\0') {
			re->anchor_end = 1;
			break;
		}
		if (*p == '*' && re->n > 0 && !re->atoms[re->n - 1].star) {
			re->atoms[re->n - 1].star = 1;
			p++;
			continue;
		}
		if (re->n == MAX_ATOMS)
			return -1;
		a = &re->atoms[re->n++];
		if (*p == '.') {
			a->type = ATOM_ANY;
			p++;
		} else if (*p == '[') {
			if (!(p = parse_class(p + 1, a)))
				return -1;
		} else {
			if (*p == '\\' && p[1])
				p++;
			a->type = ATOM_CHAR;
			a->c = (unsigned char)(opt_i ? tolower((unsigned char)*p) : *p);
			p++;
		}
	}
	return 0;
}

static int atom_matches(const struct atom *a, unsigned char c)
{
	switch (a->type) {
	case ATOM_ANY:
		return 1;
	case ATOM_CHAR:
		return a->c == (opt_i ? tolower(c) : c);
	default:
		return ((a->set[c >> 3] >> (c & 7)) & 1) != a->negate;
	}
}

/* Does atoms[i..] match at s (s ends at end)? */
static int match_here(const struct regex *re, int i, const char *s, const char *end)
{
	size_t run;

	for (; i < re->n; i++) {
		const struct atom *a = &re->atoms[i];
		if (a->star) {
			/* longest run first, then back off */
			for (run = 0; s + run < end && atom_matches(a, (unsigned char)s[run]);
			     run++)
				;
			for (;; run--) {
				if (match_here(re, i + 1, s + run, end))
					return 1;
				if (run == 0)
					return 0;
			}
		}
		if (s == end || !atom_matches(a, (unsigned char)*s))
			return 0;
		s++;
	}
	return !re->anchor_end || s == end;
}

static int matches(const struct regex *re, const char *line, size_t len)
{
	const char *s = line, *end = line + len;

	if (re->anchor_start)
		return match_here(re, 0, s, end);
	for (; s <= end; s++)
		if (match_here(re, 0, s, end))
			return 1;
	return 0;
}

/* Greps one stream; returns the number of selected lines. */
static long grep_file(const struct regex *re, FILE *f, const char *name)
{
	char *line = NULL;
	size_t cap = 0, len;
	ssize_t got;
	long lineno = 0, selected = 0;

	while ((got = getline(&line, &cap, f)) > 0) {
		len = (size_t)got;
		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (matches(re, line, len) == opt_v)
			continue;
		selected++;
		if (opt_q)
			exit(0);
		if (opt_l) {
			printf("%s\n", name);
			break;
		}
		if (opt_c)
			continue;
		if (show_names)
			printf("%s:", name);
		if (opt_n)
			printf("%ld:", lineno);
		printf("%s\n", line);
	}
	free(line);
	if (opt_c)
		show_names ? printf("%s:%ld\n", name, selected) : printf("%ld\n", selected);
	return selected;
}

int main(int argc, char **argv)
{
	static struct regex re;
	int c, i, error = 0;
	long selected = 0;
	FILE *f;

	while ((c = getopt(argc, argv, "vicnql")) != -1) {
		switch (c) {
		case 'v':
			opt_v = 1;
			break;
		case 'i':
			opt_i = 1;
			break;
		case 'c':
			opt_c = 1;
			break;
		case 'n':
			opt_n = 1;
			break;
		case 'q':
			opt_q = 1;
			break;
		case 'l':
			opt_l = 1;
			break;
		default:
			fprintf(stderr, "usage: grep [-vicnql] pattern [file...]\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: grep [-vicnql] pattern [file...]\n");
		return 2;
	}
	if (compile(argv[optind++], &re) < 0) {
		fprintf(stderr, "grep: %s: invalid regular expression\n", argv[optind - 1]);
		return 2;
	}
	show_names = argc - optind > 1;
	if (optind == argc)
		return grep_file(&re, stdin, "(standard input)") ? 0 : 1;
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			selected += grep_file(&re, stdin, "(standard input)");
			continue;
		}
		if (!(f = fopen(argv[i], "r"))) {
			fprintf(stderr, "grep: %s: %s\n", argv[i], strerror(errno));
			error = 1;
			continue;
		}
		selected += grep_file(&re, f, argv[i]);
		fclose(f);
	}
	if (error)
		return 2;
	return selected ? 0 : 1;
}
