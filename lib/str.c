/*
 * Freestanding string and memory routines (see lib/str.h), shared by the
 * kernel, the native libc and the host unit tests.
 *
 * memcpy, memmove and memset move 8-byte words when source and destination
 * can be aligned together (pipe and file copies go through them); other
 * cases go byte by byte, since misaligned word accesses trap on many
 * RISC-V cores.  String functions never read past the terminating NUL.
 *
 * GCC may turn a copy or fill loop into a call to memcpy/memset: inside
 * memcpy itself that would recurse forever, so the pattern replacement is
 * switched off for this whole file.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

#include <stdint.h>

#include "lib/str.h"

typedef unsigned long __attribute__((may_alias)) word_t;

#define WSIZE sizeof(word_t)
#define WMASK (WSIZE - 1)

static inline int coaligned(const void *a, const void *b)
{
	return (((uintptr_t)a ^ (uintptr_t)b) & WMASK) == 0;
}

static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	if (n >= 2 * WSIZE && coaligned(d, s)) {
		while ((uintptr_t)d & WMASK) {
			*d++ = *s++;
			n--;
		}
		word_t *dw = (word_t *)d;
		const word_t *sw = (const word_t *)s;
		for (; n >= 4 * WSIZE; n -= 4 * WSIZE, dw += 4, sw += 4) {
			word_t a = sw[0], b = sw[1], c = sw[2], e = sw[3];
			dw[0] = a;
			dw[1] = b;
			dw[2] = c;
			dw[3] = e;
		}
		for (; n >= WSIZE; n -= WSIZE)
			*dw++ = *sw++;
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	while (n--)
		*d++ = *s++;
}

static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	d += n;
	s += n;
	if (n >= 2 * WSIZE && coaligned(d, s)) {
		while ((uintptr_t)d & WMASK) {
			*--d = *--s;
			n--;
		}
		word_t *dw = (word_t *)d;
		const word_t *sw = (const word_t *)s;
		for (; n >= WSIZE; n -= WSIZE)
			*--dw = *--sw;
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	while (n--)
		*--d = *--s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d - s >= n)
		copy_forward(dst, src, n);
	else
		copy_backward(dst, src, n);
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char b = (unsigned char)c;

	if (n >= 2 * WSIZE) {
		while ((uintptr_t)d & WMASK) {
			*d++ = b;
			n--;
		}
		word_t w = (word_t)b * (word_t)0x0101010101010101ULL;
		word_t *dw = (word_t *)d;
		for (; n >= 4 * WSIZE; n -= 4 * WSIZE, dw += 4) {
			dw[0] = w;
			dw[1] = w;
			dw[2] = w;
			dw[3] = w;
		}
		for (; n >= WSIZE; n -= WSIZE)
			*dw++ = w;
		d = (unsigned char *)dw;
	}
	while (n--)
		*d++ = b;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t i = 0;

	while (i < max && s[i])
		i++;
	return i;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

/* Copies at most n bytes and pads with NUL up to n (C semantics: the
 * result is not terminated when src is n bytes or longer). */
char *strncpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

/* Copies up to size - 1 bytes, always terminates when size > 0, and
 * returns strlen(src) so that truncation shows as a result >= size. */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

char *strcat(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return (char *)hay;
	for (; *hay; hay++) {
		if (*hay == *needle && strncmp(hay, needle, n) == 0)
			return (char *)hay;
	}
	return NULL;
}

size_t strspn(const char *s, const char *accept)
{
	size_t i = 0;

	while (s[i] && strchr(accept, s[i]))
		i++;
	return i;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t i = 0;

	while (s[i] && !strchr(reject, s[i]))
		i++;
	return i;
}
