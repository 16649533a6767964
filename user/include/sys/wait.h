#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H
#include <scarlet/abi.h>
#include <sys/types.h>
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WTERMSIG(s)    ((s)&0x7f)
#define WIFEXITED(s)   (WTERMSIG(s) == 0)
#define WIFSIGNALED(s) (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)
#define WIFSTOPPED(s)  (((s)&0xff) == 0x7f)
#define WSTOPSIG(s)    WEXITSTATUS(s)
pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
#endif
