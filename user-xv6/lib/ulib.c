/*
 * The small C library of our xv6 programs: strings, memory, line input,
 * stat by name, and the sbrk/sleep wrappers over the raw system calls.
 *
 * The byte loops are compiled without loop-pattern distribution so that
 * GCC does not turn memset's own loop into a call to memset.
 */
#include "types.h"
#include "stat.h"
#include "fcntl.h"
#include "user.h"

#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

char *sbrk(int n)
{
	return sys_sbrk(n, SBRK_EAGER);
}

char *sbrklazy(int n)
{
	return sys_sbrk(n, SBRK_LAZY);
}

/* Older xv6 called pause() sleep(). */
int sleep(int ticks)
{
	return pause(ticks);
}

NO_LIBCALL char *strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++) != '\0')
		;
	return dst;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (uchar)*a - (uchar)*b;
}

int strncmp(const char *a, const char *b, uint64 n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b || *a == '\0')
			return (uchar)*a - (uchar)*b;
	}
	return 0;
}

NO_LIBCALL uint64 strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++) {
		if (*s == (char)c)
			return (char *)s;
	}
	return c == 0 ? (char *)s : NULL;
}

NO_LIBCALL void *memset(void *dst, int c, uint64 n)
{
	uchar *d = dst;

	while (n-- > 0)
		*d++ = (uchar)c;
	return dst;
}

NO_LIBCALL void *memmove(void *dst, const void *src, uint64 n)
{
	uchar *d = dst;
	const uchar *s = src;

	if (d <= s || d >= s + n) {
		while (n-- > 0)
			*d++ = *s++;
	} else {
		while (n-- > 0)
			d[n] = s[n];
	}
	return dst;
}

void *memcpy(void *dst, const void *src, uint64 n)
{
	return memmove(dst, src, n);
}

int memcmp(const void *a, const void *b, uint64 n)
{
	const uchar *x = a, *y = b;

	for (; n > 0; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
	}
	return 0;
}

/*
 * Reads one line from standard input, a byte at a time so that nothing
 * past the newline is consumed; keeps the newline; always terminates.
 */
char *gets(char *buf, int max)
{
	int i = 0;
	char c;

	while (i + 1 < max && read(0, &c, 1) == 1) {
		buf[i++] = c;
		if (c == '\n' || c == '\r')
			break;
	}
	buf[i] = '\0';
	return buf;
}

int stat(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY);
	int r;

	if (fd < 0)
		return -1;
	r = fstat(fd, st);
	close(fd);
	return r;
}

int atoi(const char *s)
{
	int n = 0, neg = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	while (*s >= '0' && *s <= '9')
		n = n * 10 + (*s++ - '0');
	return neg ? -n : n;
}
