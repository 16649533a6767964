/*
 * sh_util.h: allocation that cannot fail, growable strings (sbuf) and
 * string vectors (svec), name and number helpers.
 *
 * Part of the shell: included once by sh.c (each user/bin C file is its own
 * program), so these are static definitions, not a library interface.
 */
#ifndef SH_UTIL_H
#define SH_UTIL_H

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		dprintf(2, "sh: out of memory\n");
		_exit(2);
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		dprintf(2, "sh: out of memory\n");
		_exit(2);
	}
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

static char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* Growable string; s is always NUL-terminated once anything was added. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void sb_putc(struct sbuf *b, char c)
{
	sb_putn(b, &c, 1);
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

/* The contents as a malloc'd string; the buffer is left empty. */
static char *sb_take(struct sbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

/* Growable NULL-terminated array of malloc'd strings. */
struct svec {
	char **v;
	size_t n, cap;
};

static void sv_push(struct svec *v, char *s)
{
	if (v->n + 2 > v->cap) {
		v->cap = (v->n + 2) * 2;
		v->v = xrealloc(v->v, v->cap * sizeof(char *));
	}
	v->v[v->n++] = s;
	v->v[v->n] = NULL;
}

static void sv_free(struct svec *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

static int is_name_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_name_char(int c)
{
	return isalnum(c) || c == '_';
}

/* Length of the identifier at the start of s (0 if none). */
static size_t name_len(const char *s)
{
	size_t n = 0;
	if (!is_name_start((unsigned char)s[0]))
		return 0;
	while (is_name_char((unsigned char)s[n]))
		n++;
	return n;
}

static int parse_int(const char *s, int *out)
{
	char *end;
	if (!*s)
		return -1;
	long v = strtol(s, &end, 10);
	if (*end)
		return -1;
	*out = (int)v;
	return 0;
}

#endif
