/* The FILE structure, shared by stdio.c and printf.c. */
#ifndef USER_LIB_STDIO_IMPL_H
#define USER_LIB_STDIO_IMPL_H
#include <stddef.h>

#define F_READ      1
#define F_WRITE     2
#define F_EOF       4
#define F_ERR       8
#define F_ALLOCATED 16 /* from fopen/fdopen: freed by fclose */

#define BUF_FULL      0
#define BUF_LINE      1
#define BUF_NONE      2
#define BUF_UNDECIDED 3 /* stdout: line-buffered if a terminal */

struct FILE {
	int h;
	int flags;   /* F_* */
	int bufmode; /* BUF_* */
	unsigned char *buf;
	size_t cap;
	size_t rpos, rlen; /* unread input is buf[rpos..rlen) */
	size_t wlen;       /* pending output is buf[0..wlen) */
	struct FILE *next; /* every open stream, for fflush(NULL) */
};

#endif
