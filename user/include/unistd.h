#ifndef _UNISTD_H
#define _UNISTD_H
#include <scarlet/abi.h>
#include <stddef.h>
#include <sys/types.h>
#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
extern char **environ;
ssize_t read(int h, void *buf, size_t n);
ssize_t write(int h, const void *buf, size_t n);
int close(int h);
off_t lseek(int h, off_t off, int whence);
int dup(int h);
int dup2(int h, int newh);
int pipe(int h[2]);
pid_t fork(void);
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]); /* searches PATH */
pid_t getpid(void);
pid_t getppid(void);
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
pid_t setsid(void);
pid_t tcgetpgrp(int h);
int tcsetpgrp(int h, pid_t pgid);
int isatty(int h);
int chdir(const char *path);
char *getcwd(char *buf, size_t n);
int unlink(const char *path);
int rmdir(const char *path);
int rename(const char *old, const char *new);
int link(const char *old, const char *new);
int symlink(const char *target, const char *linkpath);
ssize_t readlink(const char *path, char *buf, size_t n);
int ftruncate(int h, off_t len);
void *sbrk(intptr_t inc);
int brk(void *addr);
unsigned sleep(unsigned seconds);
int usleep(unsigned long usec);
void sync(void);
int access(const char *path, int mode); /* existence check via stat */
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4
extern char *optarg;
extern int optind, opterr, optopt;
int getopt(int argc, char *const argv[], const char *optstring);
#endif
