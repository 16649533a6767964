/*
 * Terminal calls over SYS_ioctl: isatty, the foreground process group and
 * the line-discipline mode.
 */
#include <scarlet.h>
#include <unistd.h>
#include "libc.h"

int sc_tty_getmode(int h, unsigned *mode)
{
	return SYSCALL3(SYS_ioctl, h, TTY_GETMODE, mode);
}

int sc_tty_setmode(int h, unsigned mode)
{
	return SYSCALL3(SYS_ioctl, h, TTY_SETMODE, mode);
}

/* A handle is a terminal when the terminal mode can be read from it. */
int isatty(int h)
{
	unsigned mode;

	if (sc_call3(SYS_ioctl, h, TTY_GETMODE, &mode) < 0) {
		errno = ENOTTY;
		return 0;
	}
	return 1;
}

pid_t tcgetpgrp(int h)
{
	int pgid;

	if (SYSCALL3(SYS_ioctl, h, TTY_GETPGRP, &pgid) < 0)
		return -1;
	return pgid;
}

int tcsetpgrp(int h, pid_t pgid)
{
	int v = pgid;

	return SYSCALL3(SYS_ioctl, h, TTY_SETPGRP, &v);
}
