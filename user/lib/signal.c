/*
 * Signals of the native ABI: default and ignore dispositions only (no
 * user handlers), kill, and signal names.
 */
#include <signal.h>
#include <stdio.h>
#include "libc.h"

sighandler_t signal(int sig, sighandler_t handler)
{
	long r;

	if (handler != SIG_DFL_H && handler != SIG_IGN_H) {
		errno = EINVAL;
		return SIG_ERR;
	}
	r = sc_call2(SYS_signal, sig, handler);
	if (sc_failed(r)) {
		errno = (int)-r;
		return SIG_ERR;
	}
	return (sighandler_t)r;
}

int kill(pid_t pid, int sig)
{
	return SYSCALL2(SYS_kill, pid, sig);
}

static const char *const signal_names[] = {
    [SIGHUP] = "Hangup",
    [SIGINT] = "Interrupt",
    [SIGQUIT] = "Quit",
    [SIGILL] = "Illegal instruction",
    [SIGTRAP] = "Trace/breakpoint trap",
    [SIGABRT] = "Aborted",
    [SIGBUS] = "Bus error",
    [SIGFPE] = "Floating point exception",
    [SIGKILL] = "Killed",
    [SIGUSR1] = "User defined signal 1",
    [SIGSEGV] = "Segmentation fault",
    [SIGUSR2] = "User defined signal 2",
    [SIGPIPE] = "Broken pipe",
    [SIGALRM] = "Alarm clock",
    [SIGTERM] = "Terminated",
    [SIGCHLD] = "Child exited",
    [SIGCONT] = "Continued",
    [SIGSTOP] = "Stopped (signal)",
    [SIGTSTP] = "Stopped",
};

const char *strsignal(int sig)
{
	static char unknown[32];

	if (sig > 0 && sig < (int)(sizeof(signal_names) / sizeof(signal_names[0])) &&
	    signal_names[sig])
		return signal_names[sig];
	snprintf(unknown, sizeof(unknown), "Unknown signal %d", sig);
	return unknown;
}
