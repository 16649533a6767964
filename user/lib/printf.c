/*
 * printf family on top of the shared formatting engine (lib/fmt.c).
 * Stream output is gathered in chunks, so a short message is one write.
 */
#include <stdio.h>
#include <unistd.h>
#include "lib/fmt.h"

struct chunk {
	FILE *f; /* destination stream, or NULL for a handle */
	int h;
	int err;
	size_t n;
	char buf[256];
};

static void chunk_flush(struct chunk *c)
{
	if (c->n == 0)
		return;
	if (c->f) {
		if (fwrite(c->buf, 1, c->n, c->f) != c->n)
			c->err = 1;
	} else if (write(c->h, c->buf, c->n) != (ssize_t)c->n) {
		c->err = 1;
	}
	c->n = 0;
}

static void chunk_emit(void *ctx, char ch)
{
	struct chunk *c = ctx;

	if (c->n == sizeof(c->buf))
		chunk_flush(c);
	c->buf[c->n++] = ch;
}

static int chunk_format(struct chunk *c, const char *fmt, va_list ap)
{
	int n = fmt_format(chunk_emit, c, fmt, ap);

	chunk_flush(c);
	return c->err ? EOF : n;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct chunk c = {.f = f};

	return chunk_format(&c, fmt, ap);
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int dprintf(int h, const char *fmt, ...)
{
	struct chunk c = {.h = h};
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = chunk_format(&c, fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *s, size_t n, const char *fmt, va_list ap)
{
	return fmt_vsnprintf(s, n, fmt, ap);
}

int snprintf(char *s, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fmt_vsnprintf(s, n, fmt, ap);
	va_end(ap);
	return r;
}

static void unbounded_emit(void *ctx, char ch)
{
	char **p = ctx;

	*(*p)++ = ch;
}

int sprintf(char *s, const char *fmt, ...)
{
	va_list ap;
	char *p = s;
	int r;

	va_start(ap, fmt);
	r = fmt_format(unbounded_emit, &p, fmt, ap);
	va_end(ap);
	*p = '\0';
	return r;
}
