#ifndef _SIGNAL_H
#define _SIGNAL_H
#include <scarlet/abi.h>
#include <sys/types.h>
typedef void (*sighandler_t)(int);
/* native signals have default and ignore dispositions only */
#define SIG_DFL_H ((sighandler_t)SIG_DFL)
#define SIG_IGN_H ((sighandler_t)SIG_IGN)
#define SIG_ERR   ((sighandler_t)-1)                /* signal() failed */
sighandler_t signal(int sig, sighandler_t handler); /* SIG_DFL_H or SIG_IGN_H */
int kill(pid_t pid, int sig);
const char *strsignal(int sig);
#endif
