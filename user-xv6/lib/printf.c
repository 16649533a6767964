/*
 * Formatted output for our xv6 programs.  Each call formats into a
 * buffer and writes it with as few write() calls as possible, so lines
 * from different processes do not interleave byte by byte.
 *
 * Conversions: %d %u %x %p %s %c %%, with the l and ll size prefixes,
 * a field width and the '-' (left-justify) and '0' (zero-pad) flags.
 */
#include <stdarg.h>

#include "types.h"
#include "user.h"

/* Destination of a formatting run: a buffer, flushed to fd when full. */
struct out {
	char *buf;
	int size; /* capacity of buf */
	int len;  /* bytes in buf */
	int fd;   /* -1: a string; excess is dropped */
	int total;
};

static void out_flush(struct out *o)
{
	if (o->fd >= 0 && o->len > 0)
		write(o->fd, o->buf, o->len);
	if (o->fd >= 0)
		o->len = 0;
}

static void out_char(struct out *o, char c)
{
	o->total++;
	if (o->len == o->size)
		out_flush(o);
	if (o->len < o->size)
		o->buf[o->len++] = c;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

/* A field: text of len bytes padded to width. */
static void out_field(struct out *o, const char *s, int len, int width, int left, char pad)
{
	int i;

	if (!left)
		out_pad(o, pad, width - len);
	for (i = 0; i < len; i++)
		out_char(o, s[i]);
	if (left)
		out_pad(o, ' ', width - len);
}

static int utoa(char *tmp, uint64 v, int base)
{
	static const char digits[] = "0123456789abcdef";
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	return n;
}

static void out_number(struct out *o, uint64 v, int neg, int base, int width, int left, char pad)
{
	char tmp[24], text[24];
	int n = utoa(tmp, v, base), len = 0;

	if (neg && pad == '0') {
		out_char(o, '-');
		width--;
	} else if (neg) {
		text[len++] = '-';
	}
	while (n > 0)
		text[len++] = tmp[--n];
	out_field(o, text, len, width, left, pad);
}

/* Reads an integer argument of the given size (0: int, 1: long, 2: long long). */
static uint64 arg_int(va_list *ap, int size, int is_signed)
{
	if (size > 0)
		return va_arg(*ap, uint64);
	if (is_signed)
		return (uint64)(long)va_arg(*ap, int);
	return va_arg(*ap, uint);
}

static void format_one(struct out *o, char conv, int size, int width, int left, char pad,
                       va_list *ap)
{
	uint64 v;
	const char *s;

	switch (conv) {
	case 'd':
		v = arg_int(ap, size, 1);
		if ((long)v < 0)
			out_number(o, -v, 1, 10, width, left, pad);
		else
			out_number(o, v, 0, 10, width, left, pad);
		break;
	case 'u':
		out_number(o, arg_int(ap, size, 0), 0, 10, width, left, pad);
		break;
	case 'x':
		out_number(o, arg_int(ap, size, 0), 0, 16, width, left, pad);
		break;
	case 'p':
		out_char(o, '0');
		out_char(o, 'x');
		out_number(o, (uint64)va_arg(*ap, void *), 0, 16, 16, 0, '0');
		break;
	case 's':
		s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		out_field(o, s, strlen(s), width, left, ' ');
		break;
	case 'c':
		out_char(o, (char)va_arg(*ap, int));
		break;
	default:
		out_char(o, '%');
		out_char(o, conv);
	}
}

static void format(struct out *o, const char *fmt, va_list ap)
{
	int size, width, left;
	char pad;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_char(o, *fmt);
			continue;
		}
		fmt++;
		left = *fmt == '-';
		if (left)
			fmt++;
		pad = *fmt == '0' ? '0' : ' ';
		for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (size = 0; *fmt == 'l'; fmt++)
			size++;
		if (*fmt == '\0')
			break;
		if (*fmt == '%')
			out_char(o, '%');
		else
			format_one(o, *fmt, size, width, left, pad, &ap);
	}
}

static int vfprintf(int fd, const char *fmt, va_list ap)
{
	char buf[256];
	struct out o = {buf, sizeof(buf), 0, fd, 0};

	format(&o, fmt, ap);
	out_flush(&o);
	return o.total;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(1, fmt, ap);
	va_end(ap);
	return n;
}

int fprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int snprintf(char *buf, int size, const char *fmt, ...)
{
	struct out o = {buf, size > 0 ? size - 1 : 0, 0, -1, 0};
	va_list ap;

	va_start(ap, fmt);
	format(&o, fmt, ap);
	va_end(ap);
	if (size > 0)
		buf[o.len] = '\0';
	return o.total;
}
