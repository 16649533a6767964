/*
 * Tests of lib/str.c (renamed scarlet_* on the host, see str_rename.h),
 * checked against naive byte loops written here.
 */
#include "tests/host/str_rename.h"
#include "tests/host/test.h"

#define BUF   512
#define GUARD 0xEE

static unsigned char src_buf[BUF], dst_buf[BUF], ref_buf[BUF];

static void fill_random(unsigned char *p, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)test_rand();
}

static int same(const unsigned char *a, const unsigned char *b, int n)
{
	for (int i = 0; i < n; i++) {
		if (a[i] != b[i])
			return 0;
	}
	return 1;
}

TEST(str_memcpy_all_alignments_and_sizes)
{
	for (int so = 0; so < 16; so++) {
		for (int d_o = 0; d_o < 16; d_o++) {
			for (int n = 0; n < 300; n += (n < 40 ? 1 : 7)) {
				fill_random(src_buf, BUF);
				for (int i = 0; i < BUF; i++)
					dst_buf[i] = ref_buf[i] = GUARD;
				for (int i = 0; i < n; i++)
					ref_buf[d_o + i] = src_buf[so + i];
				void *r = memcpy(dst_buf + d_o, src_buf + so, (size_t)n);
				CHECK(r == dst_buf + d_o);
				if (!same(dst_buf, ref_buf, BUF)) {
					test_fail(__FILE__, __LINE__, "memcpy so=%d do=%d n=%d", so,
					          d_o, n);
					return;
				}
			}
		}
	}
}

TEST(str_memmove_overlapping_both_directions)
{
	unsigned char tmp[BUF];

	for (int shift = -20; shift <= 20; shift++) {
		for (int base = 40; base < 56; base++) {
			for (int n = 0; n < 200; n += (n < 40 ? 1 : 13)) {
				fill_random(dst_buf, BUF);
				for (int i = 0; i < BUF; i++)
					ref_buf[i] = dst_buf[i];
				for (int i = 0; i < n; i++)
					tmp[i] = ref_buf[base + i];
				for (int i = 0; i < n; i++)
					ref_buf[base + shift + i] = tmp[i];
				void *r =
				    memmove(dst_buf + base + shift, dst_buf + base, (size_t)n);
				CHECK(r == dst_buf + base + shift);
				if (!same(dst_buf, ref_buf, BUF)) {
					test_fail(__FILE__, __LINE__,
					          "memmove shift=%d base=%d n=%d", shift, base, n);
					return;
				}
			}
		}
	}
}

TEST(str_memset_sizes_offsets_and_byte_truncation)
{
	for (int off = 0; off < 16; off++) {
		for (int n = 0; n < 300; n += (n < 40 ? 1 : 11)) {
			for (int i = 0; i < BUF; i++)
				dst_buf[i] = ref_buf[i] = GUARD;
			for (int i = 0; i < n; i++)
				ref_buf[off + i] = 0xab;
			CHECK(memset(dst_buf + off, 0x1ab, (size_t)n) == dst_buf + off);
			if (!same(dst_buf, ref_buf, BUF)) {
				test_fail(__FILE__, __LINE__, "memset off=%d n=%d", off, n);
				return;
			}
		}
	}
}

TEST(str_memcmp_memchr)
{
	unsigned char a[64], b[64];

	for (int i = 0; i < 64; i++)
		a[i] = b[i] = (unsigned char)i;
	CHECK_EQ(memcmp(a, b, 64), 0);
	CHECK_EQ(memcmp(a, b, 0), 0);
	b[63] = 200;
	CHECK(memcmp(a, b, 64) < 0);
	CHECK(memcmp(b, a, 64) > 0);
	CHECK_EQ(memcmp(a, b, 63), 0);
	a[0] = 0x80; /* bytes compare as unsigned */
	CHECK(memcmp(a, b, 1) > 0);
	CHECK(memchr(b, 200, 64) == b + 63);
	CHECK(memchr(b, 200, 63) == NULL);
	CHECK(memchr(b, 5 + 256, 64) == b + 5);
	CHECK(memchr(b, 5, 0) == NULL);
}

TEST(str_strlen_strnlen)
{
	CHECK_EQ(strlen(""), 0);
	CHECK_EQ(strlen("hello"), 5);
	CHECK_EQ(strnlen("hello", 3), 3);
	CHECK_EQ(strnlen("hello", 10), 5);
	CHECK_EQ(strnlen("hello", 0), 0);
	char unterminated[4] = {'a', 'b', 'c', 'd'};
	CHECK_EQ(strnlen(unterminated, 4), 4);
}

TEST(str_strcmp_strncmp)
{
	CHECK_EQ(strcmp("", ""), 0);
	CHECK_EQ(strcmp("abc", "abc"), 0);
	CHECK(strcmp("abc", "abd") < 0);
	CHECK(strcmp("abd", "abc") > 0);
	CHECK(strcmp("ab", "abc") < 0);
	CHECK(strcmp("abc", "ab") > 0);
	CHECK(strcmp("\x80", "a") > 0); /* unsigned char order */
	CHECK_EQ(strncmp("abcx", "abcy", 3), 0);
	CHECK(strncmp("abcx", "abcy", 4) < 0);
	CHECK_EQ(strncmp("abc", "abd", 0), 0);
	CHECK_EQ(strncmp("ab", "ab", 10), 0);
	CHECK(strncmp("ab", "abc", 10) < 0);
}

TEST(str_strcpy_strncpy_strcat)
{
	char buf[16];

	CHECK(strcpy(buf, "hello") == buf);
	CHECK_STR_EQ(buf, "hello");
	CHECK(strcat(buf, ", you") == buf);
	CHECK_STR_EQ(buf, "hello, you");
	strcpy(buf, "");
	CHECK_STR_EQ(strcat(buf, "x"), "x");

	for (int i = 0; i < 16; i++)
		buf[i] = 'Z';
	CHECK(strncpy(buf, "ab", 6) == buf);
	CHECK(buf[0] == 'a' && buf[1] == 'b');
	for (int i = 2; i < 6; i++)
		CHECK(buf[i] == '\0');
	CHECK(buf[6] == 'Z');
	strncpy(buf, "abcdefgh", 4); /* no terminator when src is longer */
	CHECK(buf[3] == 'd' && buf[4] == '\0');
	buf[4] = 'Q';
	strncpy(buf, "wxyz", 4);
	CHECK(buf[4] == 'Q');
}

TEST(str_strlcpy_bsd_semantics)
{
	char buf[8];

	buf[0] = 'X';
	CHECK_EQ(strlcpy(buf, "hello", 0), 5);
	CHECK(buf[0] == 'X');
	CHECK_EQ(strlcpy(buf, "hello", sizeof(buf)), 5);
	CHECK_STR_EQ(buf, "hello");
	CHECK_EQ(strlcpy(buf, "0123456789", sizeof(buf)), 10);
	CHECK_STR_EQ(buf, "0123456");
	CHECK_EQ(strlcpy(buf, "1234567", sizeof(buf)), 7);
	CHECK_STR_EQ(buf, "1234567");
	CHECK_EQ(strlcpy(buf, "abc", 1), 3);
	CHECK_STR_EQ(buf, "");
	CHECK_EQ(strlcpy(buf, "", sizeof(buf)), 0);
	CHECK_STR_EQ(buf, "");
}

TEST(str_strchr_strrchr)
{
	const char *s = "a/b/c";

	CHECK(strchr(s, '/') == s + 1);
	CHECK(strrchr(s, '/') == s + 3);
	CHECK(strchr(s, 'x') == NULL);
	CHECK(strrchr(s, 'x') == NULL);
	CHECK(strchr(s, '\0') == s + 5);
	CHECK(strrchr(s, '\0') == s + 5);
	CHECK(strchr(s, 'a') == s);
	CHECK(strrchr("", 'a') == NULL);
	CHECK(strchr("\xff", 0xff) != NULL);
}

TEST(str_strstr)
{
	const char *h = "aaab needle in a haystack";

	CHECK(strstr(h, "") == h);
	CHECK(strstr(h, "aab") == h + 1);
	CHECK(strstr(h, "needle") == h + 5);
	CHECK(strstr(h, "stack") == h + 20);
	CHECK(strstr(h, "stacks") == NULL);
	CHECK(strstr("", "a") == NULL);
	CHECK(strstr("abc", "abcd") == NULL);
}

TEST(str_strspn_strcspn)
{
	CHECK_EQ(strspn("   word", " "), 3);
	CHECK_EQ(strspn("abcabcx", "abc"), 6);
	CHECK_EQ(strspn("", "abc"), 0);
	CHECK_EQ(strspn("abc", ""), 0);
	CHECK_EQ(strcspn("path/to", "/"), 4);
	CHECK_EQ(strcspn("path", "/"), 4);
	CHECK_EQ(strcspn("", "/"), 0);
	CHECK_EQ(strcspn("a:b;c", ";:"), 1);
}
