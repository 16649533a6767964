/*
 * Tests of lib/fmt.c, mostly by comparing fmt_snprintf with the host
 * libc's snprintf on the same format and arguments.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/fmt.h"
#include "tests/host/test.h"

#define SAME(...)                                                                                  \
	do {                                                                                       \
		char got_[256], want_[256];                                                        \
		int rg_ = fmt_snprintf(got_, sizeof(got_), __VA_ARGS__);                           \
		int rw_ = snprintf(want_, sizeof(want_), __VA_ARGS__);                             \
		if (rg_ != rw_ || strcmp(got_, want_) != 0)                                        \
			test_fail(__FILE__, __LINE__, "%s: got \"%s\" (%d), want \"%s\" (%d)",     \
			          #__VA_ARGS__, got_, rg_, want_, rw_);                            \
	} while (0)

/* For flag combinations that are well defined but that GCC warns about. */
#define SAME_NOWARN(...)                                                                           \
	_Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wformat\"")              \
	    _Pragma("GCC diagnostic ignored \"-Wformat-zero-length\"") SAME(__VA_ARGS__);          \
	_Pragma("GCC diagnostic pop")

TEST(fmt_plain_text_and_percent)
{
	SAME("hello");
	SAME_NOWARN("");
	SAME("100%%");
	SAME("%%%d%%", 5);
}

TEST(fmt_signed_integers)
{
	SAME("%d %i", 0, -0);
	SAME("%d", INT_MAX);
	SAME("%d", INT_MIN);
	SAME("%ld", LONG_MIN);
	SAME("%lld", LLONG_MAX);
	SAME("%hhd", (signed char)-128);
	SAME("%hd", (short)-32768);
	SAME("%hhd", 300); /* truncated to char */
	SAME("%zd", (ptrdiff_t)-5);
	SAME("%td", (ptrdiff_t)-123456789012LL);
	SAME("%jd", (intmax_t)INT64_MIN);
	SAME("%+d %+d % d % d", 5, -5, 5, -5);
	SAME_NOWARN("%+ d", 7);
}

TEST(fmt_unsigned_hex_octal)
{
	SAME("%u", UINT_MAX);
	SAME("%lu", ULONG_MAX);
	SAME("%llu", ULLONG_MAX);
	SAME("%zu", (size_t)-1);
	SAME("%ju", (uintmax_t)12345);
	SAME("%hhu %hu", 511, 70000);
	SAME("%x %X", 0xdeadbeef, 0xdeadbeef);
	SAME("%lx", 0xffffffffffffffffUL);
	SAME("%#x %#X %#x", 255, 255, 0);
	SAME("%o %#o %#o", 8, 8, 0);
	SAME("%#.0o %.0o", 0, 0);
	SAME("%#5o|%#-5o|", 8, 8);
	SAME("%#10.4x", 0x1f);
	SAME("%#010x", 0x1f);
	SAME("%#lx", 0x1234UL);
}

TEST(fmt_width_precision_flags)
{
	SAME("[%5d]", 42);
	SAME("[%-5d]", 42);
	SAME("[%05d]", 42);
	SAME("[%05d]", -42);
	SAME_NOWARN("[%-05d]", -42);
	SAME("[%.5d]", 42);
	SAME("[%8.5d]", -42);
	SAME_NOWARN("[%08.5d]", 42); /* precision disables '0' */
	SAME("[%.0d]", 0);
	SAME("[%5.0d]", 0);
	SAME("[%+.0d]", 0);
	SAME("[%+05d]", 3);
	SAME("[% 05d]", 3);
	SAME("[%1d]", 12345);
	SAME("[%*d]", 6, 42);
	SAME("[%*d]", -6, 42);
	SAME("[%-*d]", 6, 42);
	SAME("[%.*d]", 4, 7);
	SAME("[%.*d]", -1, 7);
	SAME("[%*.*x]", 8, 3, 0xa);
	SAME("[%08x]", 0xabc);
	SAME("[%-8x]", 0xabc);
}

TEST(fmt_chars_and_strings)
{
	const char *volatile null_str = NULL;
	char buf[32];

	SAME("%c%c%c", 'a', 'b', 'c');
	SAME("[%3c][%-3c]", 'x', 'y');
	SAME("%s", "string");
	SAME("[%10s][%-10s]", "right", "left");
	SAME("[%.3s]", "truncate");
	SAME("[%8.3s]", "truncate");
	SAME("[%.*s]", 2, "abc");
	SAME("[%.0s]", "abc");
	SAME("%s%s", "", "x");
	fmt_snprintf(buf, sizeof(buf), "%s|%8s", null_str, null_str);
	CHECK_STR_EQ(buf, "(null)|  (null)");
	char unterminated[3] = {'a', 'b', 'c'};
	fmt_snprintf(buf, sizeof(buf), "%.3s", unterminated);
	CHECK_STR_EQ(buf, "abc");
}

TEST(fmt_pointers)
{
	int x;
	void *p = &x;
	char got[64], want[64];

	fmt_snprintf(got, sizeof(got), "%p", p);
	snprintf(want, sizeof(want), "%#lx", (unsigned long)(uintptr_t)p);
	CHECK_STR_EQ(got, want);
	SAME("%p", (void *)0x1000);
	SAME("[%20p]", (void *)0xabcdef);
	SAME("[%-20p]", (void *)0xabcdef);
	fmt_snprintf(got, sizeof(got), "%p", (void *)0);
	CHECK_STR_EQ(got, "0x0");
}

TEST(fmt_snprintf_truncation_and_return_value)
{
	char buf[8];

	memset(buf, 'Z', sizeof(buf));
	CHECK_EQ(fmt_snprintf(buf, 0, "hello %d", 42), 8);
	CHECK(buf[0] == 'Z');
	CHECK_EQ(fmt_snprintf(buf, 1, "hello"), 5);
	CHECK_STR_EQ(buf, "");
	CHECK_EQ(fmt_snprintf(buf, 5, "hello"), 5);
	CHECK_STR_EQ(buf, "hell");
	CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "1234567"), 7);
	CHECK_STR_EQ(buf, "1234567");
	CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "12345678"), 8);
	CHECK_STR_EQ(buf, "1234567");
	CHECK_EQ(fmt_snprintf(NULL, 0, "%d", 123456), 6);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
TEST(fmt_unknown_conversion_is_copied)
{
	char buf[32];

	fmt_snprintf(buf, sizeof(buf), "a%yb");
	CHECK_STR_EQ(buf, "a%yb");
	fmt_snprintf(buf, sizeof(buf), "end%");
	CHECK_STR_EQ(buf, "end%");
	fmt_snprintf(buf, sizeof(buf), "%-5");
	CHECK_STR_EQ(buf, "%-5");
}
#pragma GCC diagnostic pop

struct emit_count {
	char buf[64];
	int n;
};

static void emit_to(void *ctx, char c)
{
	struct emit_count *e = ctx;

	if (e->n < 63)
		e->buf[e->n] = c;
	e->n++;
}

static int call_format(struct emit_count *e, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fmt_format(emit_to, e, fmt, ap);
	va_end(ap);
	return r;
}

TEST(fmt_format_emits_each_character)
{
	struct emit_count e = {{0}, 0};

	CHECK_EQ(call_format(&e, "x=%d,%s", 12, "ab"), 7);
	CHECK_EQ(e.n, 7);
	e.buf[e.n] = '\0';
	CHECK_STR_EQ(e.buf, "x=12,ab");
}

/* Every combination of flags, widths and precisions for d u x X o, built
 * at run time and compared with the host. */
static const char *const flag_sets[] = {"",   "-",  "+",  " ",  "0",  "#",  "-+",
                                        "0+", "0 ", "-#", "0#", "+ ", "-0", "-0+#"};
static const char *const widths[] = {"", "1", "4", "12"};
static const char *const precs[] = {"", ".0", ".1", ".3", ".12"};

static void compare_int(const char *fmt, long long v, char conv)
{
	char got[128], want[128];
	int rg, rw;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (conv == 'd') {
		rg = fmt_snprintf(got, sizeof(got), fmt, v);
		rw = snprintf(want, sizeof(want), fmt, v);
	} else {
		rg = fmt_snprintf(got, sizeof(got), fmt, (unsigned long long)v);
		rw = snprintf(want, sizeof(want), fmt, (unsigned long long)v);
	}
#pragma GCC diagnostic pop
	if (rg != rw || strcmp(got, want) != 0)
		test_fail(__FILE__, __LINE__, "\"%s\" of %lld: got \"%s\", want \"%s\"", fmt, v,
		          got, want);
}

TEST(fmt_flag_width_precision_matrix_matches_libc)
{
	static const long long values[] = {0,   1,    -1,      7,       42,        -42,
	                                   255, 4096, INT_MIN, INT_MAX, LLONG_MIN, LLONG_MAX};
	static const char convs[] = "duxXo";
	char fmt[32];

	for (size_t f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++)
		for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			for (size_t p = 0; p < sizeof(precs) / sizeof(precs[0]); p++)
				for (const char *c = convs; *c; c++) {
					if (*c == 'd' && strchr(flag_sets[f], '#'))
						continue; /* '#' with d is undefined */
					snprintf(fmt, sizeof(fmt), "[%%%s%s%sll%c]", flag_sets[f],
					         widths[w], precs[p], *c);
					for (size_t v = 0; v < sizeof(values) / sizeof(values[0]);
					     v++)
						compare_int(fmt, values[v], *c);
				}
}
