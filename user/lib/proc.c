/*
 * Process wrappers: fork, exec, wait, ids, process groups and sessions.
 */
#include <sys/wait.h>
#include <unistd.h>
#include "libc.h"

pid_t fork(void)
{
	return SYSCALL0(SYS_fork);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return SYSCALL3(SYS_exec, path, argv, envp);
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return SYSCALL3(SYS_wait, pid, status, options);
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

pid_t getpid(void)
{
	return sc_call0(SYS_getpid);
}

pid_t getppid(void)
{
	return sc_call0(SYS_getppid);
}

int setpgid(pid_t pid, pid_t pgid)
{
	return SYSCALL2(SYS_setpgid, pid, pgid);
}

pid_t getpgid(pid_t pid)
{
	return SYSCALL1(SYS_getpgid, pid);
}

pid_t getpgrp(void)
{
	return getpgid(0);
}

pid_t setsid(void)
{
	return SYSCALL0(SYS_setsid);
}
