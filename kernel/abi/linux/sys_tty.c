/*
 * Linux terminal ioctls on descriptors.
 */
#include "abi/linux/linux.h"
#include "obj/kobj.h"
#include "proc/task.h"

#define LINUX_TCGETS     0x5401
#define LINUX_TIOCGWINSZ 0x5413

/* Terminal ioctls: enough for isatty() and the window size. */
LINUX_SYSCALL(ioctl)
{
	LINUX_UNUSED();
	struct kobj *o = linux_fd_get((int)a0);
	if (!o)
		return -EBADF;
	long r = strcmp(o->ops->type, "tty") == 0 ? 0 : -ENOTTY;
	kobj_put(o);
	if (r < 0)
		return r;
	if (a1 == LINUX_TIOCGWINSZ) {
		struct linux_winsize ws = {.rows = 24, .cols = 80};
		return copy_to_user((void *)a2, &ws, sizeof(ws));
	}
	if (a1 == LINUX_TCGETS) {
		uint8_t termios[36] = {0};        /* Linux kernel struct termios */
		uint32_t lflag = 0x2 | 0x8 | 0x1; /* ICANON | ECHO | ISIG */
		memcpy(termios + 12, &lflag, sizeof(lflag));
		return copy_to_user((void *)a2, termios, sizeof(termios));
	}
	return -ENOTTY;
}
