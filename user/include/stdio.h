/*
 * Buffered stdio over handles.  stdout is line-buffered when it is a
 * terminal and fully buffered otherwise; stderr is unbuffered.
 */
#ifndef _STDIO_H
#define _STDIO_H
#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#define EOF    (-1)
#define BUFSIZ 4096

typedef struct FILE FILE;
extern FILE *stdin, *stdout, *stderr;

FILE *fopen(const char *path, const char *mode); /* "r" "w" "a" "r+" ... */
FILE *fdopen(int h, const char *mode);
int fclose(FILE *f);
int fflush(FILE *f); /* NULL flushes every stream */
size_t fread(void *buf, size_t size, size_t n, FILE *f);
size_t fwrite(const void *buf, size_t size, size_t n, FILE *f);
int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
char *fgets(char *s, int n, FILE *f);
ssize_t getline(char **line, size_t *cap, FILE *f);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *s, FILE *f);
int puts(const char *s);
int feof(FILE *f);
int ferror(FILE *f);
int fileno(FILE *f);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int dprintf(int h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sprintf(char *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char *s, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vprintf(const char *fmt, va_list ap);
int vfprintf(FILE *f, const char *fmt, va_list ap);
int vsnprintf(char *s, size_t n, const char *fmt, va_list ap);
void perror(const char *msg);
#endif
