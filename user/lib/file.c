/*
 * Handle I/O wrappers: open, read, write, seek, dup, pipe, fcntl.
 * Native descriptors are handles of the calling task.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>
#include "libc.h"

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return SYSCALL3(SYS_open, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int close(int h)
{
	return SYSCALL1(SYS_close, h);
}

ssize_t read(int h, void *buf, size_t n)
{
	return SYSCALL3(SYS_read, h, buf, n);
}

ssize_t write(int h, const void *buf, size_t n)
{
	return SYSCALL3(SYS_write, h, buf, n);
}

off_t lseek(int h, off_t off, int whence)
{
	return SYSCALL3(SYS_seek, h, off, whence);
}

int ftruncate(int h, off_t len)
{
	return SYSCALL2(SYS_ftruncate, h, len);
}

int dup(int h)
{
	return SYSCALL1(SYS_dup, h);
}

int dup2(int h, int newh)
{
	return SYSCALL2(SYS_dup2, h, newh);
}

int pipe(int h[2])
{
	return SYSCALL1(SYS_pipe, h);
}

int fcntl(int h, int cmd, ...)
{
	long arg;
	va_list ap;

	va_start(ap, cmd);
	arg = (cmd == F_SETFD || cmd == F_SETFL) ? va_arg(ap, long) : 0;
	va_end(ap);
	return SYSCALL3(SYS_hctl, h, cmd, arg);
}
