/*
 * Buffered streams over handles.  A stream's buffer holds either unread
 * input or pending output, never both: switching direction flushes the
 * output or gives the unread input back with a seek.  stdout is
 * line-buffered on a terminal and fully buffered otherwise (decided at
 * its first write); stderr is unbuffered.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "stdio_impl.h"

static unsigned char stdin_buf[BUFSIZ], stdout_buf[BUFSIZ];
static FILE stderr_file = {.h = 2, .flags = F_WRITE, .bufmode = BUF_NONE};
static FILE stdout_file = {.h = 1,
                           .flags = F_WRITE,
                           .bufmode = BUF_UNDECIDED,
                           .buf = stdout_buf,
                           .cap = BUFSIZ,
                           .next = &stderr_file};
static FILE stdin_file = {.h = 0,
                          .flags = F_READ,
                          .bufmode = BUF_FULL,
                          .buf = stdin_buf,
                          .cap = BUFSIZ,
                          .next = &stdout_file};

FILE *stdin = &stdin_file, *stdout = &stdout_file, *stderr = &stderr_file;
static FILE *all_files = &stdin_file;

/* Parses an fopen mode into open() flags; -1 when invalid. */
static int mode_flags(const char *mode, int *fflags)
{
	int flags;

	switch (mode[0]) {
	case 'r':
		flags = O_RDONLY;
		*fflags = F_READ;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		*fflags = F_WRITE;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		*fflags = F_WRITE;
		break;
	default:
		return -1;
	}
	for (mode++; *mode; mode++) {
		if (*mode == '+') {
			flags = (flags & ~O_ACCMODE) | O_RDWR;
			*fflags = F_READ | F_WRITE;
		} else if (*mode == 'e') {
			flags |= O_CLOEXEC;
		}
	}
	return flags;
}

static FILE *file_new(int h, int fflags)
{
	FILE *f = calloc(1, sizeof(*f) + BUFSIZ);

	if (!f)
		return NULL;
	f->h = h;
	f->flags = fflags | F_ALLOCATED;
	f->bufmode = BUF_FULL;
	f->buf = (unsigned char *)(f + 1);
	f->cap = BUFSIZ;
	f->next = all_files;
	all_files = f;
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	int fflags, h, flags = mode_flags(mode, &fflags);
	FILE *f;

	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	h = open(path, flags, 0666);
	if (h < 0)
		return NULL;
	f = file_new(h, fflags);
	if (!f)
		close(h);
	return f;
}

FILE *fdopen(int h, const char *mode)
{
	int fflags;

	if (mode_flags(mode, &fflags) < 0) {
		errno = EINVAL;
		return NULL;
	}
	return file_new(h, fflags);
}

int fclose(FILE *f)
{
	FILE **link;
	int r = fflush(f);

	if (close(f->h) < 0)
		r = EOF;
	if (!(f->flags & F_ALLOCATED)) {
		f->flags |= F_ERR;
		return r;
	}
	for (link = &all_files; *link; link = &(*link)->next) {
		if (*link == f) {
			*link = f->next;
			break;
		}
	}
	free(f);
	return r;
}

/* Writes all of buf to the handle; -1 on error. */
static int write_all(FILE *f, const unsigned char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(f->h, buf, n);
		if (w <= 0) {
			f->flags |= F_ERR;
			return -1;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

static int flush_one(FILE *f)
{
	int r = 0;

	if (f->wlen > 0) {
		r = write_all(f, f->buf, f->wlen);
		f->wlen = 0;
	} else if (f->rpos < f->rlen) {
		/* give unread input back so the handle offset is where the reader
		 * is; input from a pipe or terminal cannot be given back and stays */
		if (lseek(f->h, -(off_t)(f->rlen - f->rpos), SEEK_CUR) >= 0)
			f->rpos = f->rlen = 0;
	} else {
		f->rpos = f->rlen = 0;
	}
	return r < 0 ? EOF : 0;
}

int fflush(FILE *f)
{
	int r = 0;

	if (f)
		return flush_one(f);
	for (f = all_files; f; f = f->next) {
		if (f->wlen > 0 && flush_one(f) < 0)
			r = EOF;
	}
	return r;
}

/* Prepares f for writing; -1 when it cannot be written. */
static int start_write(FILE *f)
{
	if (!(f->flags & F_WRITE)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return -1;
	}
	if (f->rlen > 0) {
		flush_one(f);
		f->rpos = f->rlen = 0; /* unseekable: unread input is dropped */
	}
	if (f->bufmode == BUF_UNDECIDED)
		f->bufmode = isatty(f->h) ? BUF_LINE : BUF_FULL;
	return 0;
}

size_t fwrite(const void *buf, size_t size, size_t n, FILE *f)
{
	const unsigned char *p = buf;
	size_t total = size * n, room;

	if (total == 0 || start_write(f) < 0)
		return 0;
	if (f->bufmode == BUF_NONE || total >= f->cap) {
		if (flush_one(f) < 0 || write_all(f, p, total) < 0)
			return 0;
		return n;
	}
	room = f->cap - f->wlen;
	if (total > room) {
		memcpy(f->buf + f->wlen, p, room);
		f->wlen = f->cap;
		if (flush_one(f) < 0)
			return 0;
		p += room;
		total -= room;
	}
	memcpy(f->buf + f->wlen, p, total);
	f->wlen += total;
	if (f->bufmode == BUF_LINE && memchr(buf, '\n', size * n) && flush_one(f) < 0)
		return 0;
	return n;
}

int fputc(int c, FILE *f)
{
	unsigned char ch = (unsigned char)c;

	if ((f->bufmode == BUF_FULL || f->bufmode == BUF_LINE) && f->wlen + 1 < f->cap &&
	    c != '\n' && f->rlen == 0 && (f->flags & F_WRITE)) {
		f->buf[f->wlen++] = ch;
		return ch;
	}
	return fwrite(&ch, 1, 1, f) == 1 ? ch : EOF;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fputs(const char *s, FILE *f)
{
	size_t n = strlen(s);

	return fwrite(s, 1, n, f) == n || n == 0 ? 0 : EOF;
}

int puts(const char *s)
{
	if (fputs(s, stdout) == EOF)
		return EOF;
	return fputc('\n', stdout) == EOF ? EOF : 0;
}

/* Refills the input buffer; returns bytes available, 0 at EOF or error. */
static size_t refill(FILE *f)
{
	ssize_t r;

	if (!(f->flags & F_READ)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return 0;
	}
	if (f->wlen > 0 && flush_one(f) < 0)
		return 0;
	if (f == stdin && stdout->bufmode == BUF_LINE)
		fflush(stdout);
	r = read(f->h, f->buf, f->cap);
	f->rpos = 0;
	f->rlen = r > 0 ? (size_t)r : 0;
	if (r == 0)
		f->flags |= F_EOF;
	else if (r < 0)
		f->flags |= F_ERR;
	return f->rlen;
}

int fgetc(FILE *f)
{
	if (f->rpos >= f->rlen && refill(f) == 0)
		return EOF;
	return f->buf[f->rpos++];
}

int getc(FILE *f)
{
	return fgetc(f);
}

int getchar(void)
{
	return fgetc(stdin);
}

size_t fread(void *buf, size_t size, size_t n, FILE *f)
{
	unsigned char *p = buf;
	size_t total = size * n, got = 0, chunk;

	if (total == 0)
		return 0;
	while (got < total) {
		if (f->rpos >= f->rlen && refill(f) == 0)
			break;
		chunk = f->rlen - f->rpos;
		if (chunk > total - got)
			chunk = total - got;
		memcpy(p + got, f->buf + f->rpos, chunk);
		f->rpos += chunk;
		got += chunk;
	}
	return got / size;
}

char *fgets(char *s, int n, FILE *f)
{
	int i = 0, c;

	if (n <= 0)
		return NULL;
	while (i < n - 1) {
		c = fgetc(f);
		if (c == EOF)
			break;
		s[i++] = (char)c;
		if (c == '\n')
			break;
	}
	if (i == 0)
		return NULL;
	s[i] = '\0';
	return s;
}

ssize_t getline(char **line, size_t *cap, FILE *f)
{
	size_t len = 0;
	int c;

	for (;;) {
		if (!*line || len + 2 > *cap) {
			size_t ncap = *cap < 64 ? 128 : *cap * 2;
			char *p = realloc(*line, ncap);
			if (!p)
				return -1;
			*line = p;
			*cap = ncap;
		}
		c = fgetc(f);
		if (c == EOF)
			break;
		(*line)[len++] = (char)c;
		if (c == '\n')
			break;
	}
	(*line)[len] = '\0';
	return len > 0 ? (ssize_t)len : -1;
}

int feof(FILE *f)
{
	return (f->flags & F_EOF) != 0;
}

int ferror(FILE *f)
{
	return (f->flags & F_ERR) != 0;
}

int fileno(FILE *f)
{
	return f->h;
}
