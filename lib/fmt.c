/*
 * printf formatting engine (see lib/fmt.h), used by printk and by the
 * native libc's printf family.  C99 semantics for the integer, character
 * and string conversions; no floating point.  Differences from glibc: %p
 * of NULL prints "0x0", and an unknown conversion is copied out verbatim.
 */
#include <stdint.h>

#include "lib/fmt.h"

enum {
	F_MINUS = 1 << 0, /* left-justify */
	F_PLUS = 1 << 1,  /* always print a sign */
	F_SPACE = 1 << 2, /* space in place of a '+' sign */
	F_ZERO = 1 << 3,  /* pad with zeros */
	F_ALT = 1 << 4,   /* '#': 0x prefix, leading 0 for octal */
	F_UPPER = 1 << 5, /* %X */
};

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF, LEN_MAX };

struct spec {
	unsigned flags;
	int width;
	int prec; /* -1 when absent */
	enum length len;
};

struct out {
	fmt_emit_fn emit;
	void *ctx;
	int count;
};

static void put(struct out *o, char c)
{
	o->emit(o->ctx, c);
	o->count++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static const char *parse_flags(const char *f, struct spec *sp)
{
	for (;; f++) {
		switch (*f) {
		case '-':
			sp->flags |= F_MINUS;
			break;
		case '+':
			sp->flags |= F_PLUS;
			break;
		case ' ':
			sp->flags |= F_SPACE;
			break;
		case '0':
			sp->flags |= F_ZERO;
			break;
		case '#':
			sp->flags |= F_ALT;
			break;
		default:
			return f;
		}
	}
}

static const char *parse_number(const char *f, int *out)
{
	int n = 0;

	while (*f >= '0' && *f <= '9') {
		if (n < 100000000)
			n = n * 10 + (*f - '0');
		f++;
	}
	*out = n;
	return f;
}

static const char *parse_width_prec(const char *f, struct spec *sp, va_list *ap)
{
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->flags |= F_MINUS;
			sp->width = sp->width == INT32_MIN ? 0 : -sp->width;
		}
		f++;
	} else {
		f = parse_number(f, &sp->width);
	}
	if (*f != '.')
		return f;
	f++;
	if (*f == '*') {
		sp->prec = va_arg(*ap, int);
		if (sp->prec < 0)
			sp->prec = -1;
		return f + 1;
	}
	return parse_number(f, &sp->prec);
}

static const char *parse_length(const char *f, struct spec *sp)
{
	switch (*f) {
	case 'h':
		if (f[1] == 'h') {
			sp->len = LEN_CHAR;
			return f + 2;
		}
		sp->len = LEN_SHORT;
		return f + 1;
	case 'l':
		if (f[1] == 'l') {
			sp->len = LEN_LLONG;
			return f + 2;
		}
		sp->len = LEN_LONG;
		return f + 1;
	case 'z':
		sp->len = LEN_SIZE;
		return f + 1;
	case 't':
		sp->len = LEN_PTRDIFF;
		return f + 1;
	case 'j':
		sp->len = LEN_MAX;
		return f + 1;
	default:
		return f;
	}
}

static long long arg_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
	case LEN_PTRDIFF:
		return (long long)va_arg(*ap, long); /* ssize_t, ptrdiff_t */
	case LEN_MAX:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long arg_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	case LEN_PTRDIFF:
		return (unsigned long)va_arg(*ap, long);
	case LEN_MAX:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned);
	}
}

/* Writes the digits of v in base, least significant last; returns count. */
static int to_digits(unsigned long long v, unsigned base, int upper, char *buf)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, i;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

/*
 * Prints one integer: [sign or prefix][zero padding][digits], justified in
 * the field width.  prefix is "-", "+", " ", "0x", "0X" or "".
 */
static void print_integer(struct out *o, const struct spec *sp, unsigned long long v, unsigned base,
                          const char *prefix)
{
	char digits[24];
	int ndig = to_digits(v, base, sp->flags & F_UPPER, digits);
	int plen = 0, zeros = 0, total;

	while (prefix[plen])
		plen++;
	if (sp->prec == 0 && v == 0)
		ndig = 0;
	if (sp->prec > ndig)
		zeros = sp->prec - ndig;
	if (base == 8 && (sp->flags & F_ALT) && zeros == 0 && (ndig == 0 || digits[0] != '0'))
		zeros = 1;
	total = plen + zeros + ndig;
	if ((sp->flags & (F_ZERO | F_MINUS)) == F_ZERO && sp->prec < 0 && sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!(sp->flags & F_MINUS))
		pad(o, ' ', sp->width - total);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	for (int i = 0; i < ndig; i++)
		put(o, digits[i]);
	if (sp->flags & F_MINUS)
		pad(o, ' ', sp->width - total);
}

static void print_signed(struct out *o, const struct spec *sp, long long v)
{
	unsigned long long mag = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
	const char *prefix = "";

	if (v < 0)
		prefix = "-";
	else if (sp->flags & F_PLUS)
		prefix = "+";
	else if (sp->flags & F_SPACE)
		prefix = " ";
	print_integer(o, sp, mag, 10, prefix);
}

static void print_string(struct out *o, const struct spec *sp, const char *s)
{
	int len = 0;

	if (!s)
		s = "(null)";
	while ((sp->prec < 0 || len < sp->prec) && s[len])
		len++;
	if (!(sp->flags & F_MINUS))
		pad(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->flags & F_MINUS)
		pad(o, ' ', sp->width - len);
}

static void print_char(struct out *o, const struct spec *sp, char c)
{
	if (!(sp->flags & F_MINUS))
		pad(o, ' ', sp->width - 1);
	put(o, c);
	if (sp->flags & F_MINUS)
		pad(o, ' ', sp->width - 1);
}

/* Handles one conversion character; returns 0 if it is unknown. */
static int convert(struct out *o, struct spec *sp, char conv, va_list *ap)
{
	unsigned long long u;

	switch (conv) {
	case 'd':
	case 'i':
		print_signed(o, sp, arg_signed(sp, ap));
		return 1;
	case 'u':
		print_integer(o, sp, arg_unsigned(sp, ap), 10, "");
		return 1;
	case 'o':
		print_integer(o, sp, arg_unsigned(sp, ap), 8, "");
		return 1;
	case 'X':
		sp->flags |= F_UPPER;
		/* fall through */
	case 'x':
		u = arg_unsigned(sp, ap);
		print_integer(o, sp, u, 16,
		              (sp->flags & F_ALT) && u ? (sp->flags & F_UPPER ? "0X" : "0x") : "");
		return 1;
	case 'p':
		print_integer(o, sp, (uintptr_t)va_arg(*ap, void *), 16, "0x");
		return 1;
	case 'c':
		print_char(o, sp, (char)va_arg(*ap, int));
		return 1;
	case 's':
		print_string(o, sp, va_arg(*ap, const char *));
		return 1;
	case '%':
		put(o, '%');
		return 1;
	default:
		return 0;
	}
}

int fmt_format(fmt_emit_fn emit, void *ctx, const char *fmt, va_list ap)
{
	struct out o = {.emit = emit, .ctx = ctx, .count = 0};
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		const char *start = fmt++;
		struct spec sp = {.flags = 0, .width = 0, .prec = -1, .len = LEN_INT};
		fmt = parse_flags(fmt, &sp);
		fmt = parse_width_prec(fmt, &sp, &args);
		fmt = parse_length(fmt, &sp);
		if (*fmt && convert(&o, &sp, *fmt, &args)) {
			fmt++;
			continue;
		}
		/* Unknown or truncated conversion: copy it out as text. */
		while (start < fmt)
			put(&o, *start++);
	}
	va_end(args);
	return o.count;
}

struct sn_buf {
	char *buf;
	size_t size;
	size_t pos;
};

static void sn_emit(void *ctx, char c)
{
	struct sn_buf *b = ctx;

	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct sn_buf b = {.buf = buf, .size = n, .pos = 0};
	int count = fmt_format(sn_emit, &b, fmt, ap);

	if (n > 0)
		buf[b.pos < n ? b.pos : n - 1] = '\0';
	return count;
}

int fmt_snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fmt_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}
