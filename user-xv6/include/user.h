/*
 * The xv6 user interface: system calls (lib/usys.S) and the small C
 * library (lib/ulib.c, printf.c, umalloc.c).  System calls return -1
 * on any error; there is no errno.
 *
 * The string and memory routines take and return the standard C types
 * (uint64 is size_t on riscv64) so that they agree with the compiler's
 * built-in declarations.
 */
#ifndef XV6_USER_H
#define XV6_USER_H

#include "types.h"

struct stat;

#define SBRK_ERROR ((char *)-1)
#define SBRK_EAGER 1 /* sys_sbrk type: allocate now */
#define SBRK_LAZY  2 /* sys_sbrk type: allocate on first touch */

/* system calls */
int fork(void);
void exit(int status) __attribute__((noreturn));
int wait(int *status);
int pipe(int *fds);
int write(int fd, const void *buf, int n);
int read(int fd, void *buf, int n);
int close(int fd);
int kill(int pid);
int exec(const char *path, char **argv);
int open(const char *path, int flags);
int mknod(const char *path, short major, short minor);
int unlink(const char *path);
int fstat(int fd, struct stat *st);
int link(const char *old, const char *new);
int mkdir(const char *path);
int chdir(const char *path);
int dup(int fd);
int getpid(void);
char *sys_sbrk(int n, int type);
int pause(int ticks);
int uptime(void);

/* ulib.c */
char *sbrk(int n);
char *sbrklazy(int n);
int sleep(int ticks);
int stat(const char *path, struct stat *st);
char *strcpy(char *dst, const char *src);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, uint64 n);
uint64 strlen(const char *s);
char *strchr(const char *s, int c);
void *memset(void *dst, int c, uint64 n);
void *memmove(void *dst, const void *src, uint64 n);
void *memcpy(void *dst, const void *src, uint64 n);
int memcmp(const void *a, const void *b, uint64 n);
char *gets(char *buf, int max);
int atoi(const char *s);

/* printf.c: %d %u %x %p %s %c %%, l/ll sizes, width and '-' */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char *buf, int size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* umalloc.c */
void *malloc(uint64 n);
void free(void *p);

#endif
