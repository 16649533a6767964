/*
 * Linux ioctl: the terminal requests (termios, window size, job
 * control, queues) on the terminal API of dev/tty.h, the block and loop
 * device requests (lblock.c), and the generic
 * descriptor requests (FIONREAD, FIONBIO, FIOCLEX, FIONCLEX) on any
 * object.  The kernel's termios has Linux's layout, so it is copied as
 * it is.
 */
#include <scarlet/abi.h>

#include "abi/linux/lblock.h"
#include "abi/linux/linux.h"
#include "dev/tty.h"
#include "fs/vfs.h"
#include "obj/handle.h"
#include "obj/kobj.h"
#include "proc/pid_ns.h"
#include "proc/task.h"

#define LINUX_TCGETS     0x5401
#define LINUX_TCSETS     0x5402
#define LINUX_TCSETSW    0x5403
#define LINUX_TCSETSF    0x5404
#define LINUX_TCSBRK     0x5409
#define LINUX_TCXONC     0x540A
#define LINUX_TCFLSH     0x540B
#define LINUX_TIOCSCTTY  0x540E
#define LINUX_TIOCGPGRP  0x540F
#define LINUX_TIOCSPGRP  0x5410
#define LINUX_TIOCOUTQ   0x5411
#define LINUX_TIOCSTI    0x5412
#define LINUX_TIOCGWINSZ 0x5413
#define LINUX_TIOCSWINSZ 0x5414
#define LINUX_FIONREAD   0x541B
#define LINUX_FIONBIO    0x5421
#define LINUX_TIOCNOTTY  0x5422
#define LINUX_TCSBRKP    0x5425
#define LINUX_TIOCGSID   0x5429
#define LINUX_FIONCLEX   0x5450
#define LINUX_FIOCLEX    0x5451

static long put_int(uint64_t uptr, int v)
{
	return copy_to_user((void *)uptr, &v, sizeof(v));
}

static long get_int(uint64_t uptr, int *v)
{
	return copy_from_user(v, (const void *)uptr, sizeof(*v));
}

static long set_termios(struct tty *tty, uint64_t uptr, int when)
{
	struct ktermios t;
	if (copy_from_user(&t, (const void *)uptr, sizeof(t)) < 0)
		return -EFAULT;
	return tty_set_termios(tty, &t, when);
}

static long set_winsize(struct tty *tty, uint64_t uptr)
{
	struct linux_winsize lw;
	if (copy_from_user(&lw, (const void *)uptr, sizeof(lw)) < 0)
		return -EFAULT;
	struct tty_winsize ws = {lw.rows, lw.cols, lw.xpixel, lw.ypixel};
	return tty_set_winsize(tty, &ws);
}

static long get_winsize(struct tty *tty, uint64_t uptr)
{
	struct tty_winsize ws;
	tty_get_winsize(tty, &ws);
	struct linux_winsize lw = {ws.rows, ws.cols, ws.xpixel, ws.ypixel};
	return copy_to_user((void *)uptr, &lw, sizeof(lw));
}

static long set_fg(struct tty *tty, uint64_t uptr)
{
	int pg;
	if (get_int(uptr, &pg) < 0)
		return -EFAULT;
	pid_t g = pg > 0 ? pid_vnr_to_global(pg) : pg; /* the caller's number */
	return g < 0 && pg > 0 ? -ESRCH : tty_set_fg(tty, g);
}

static long put_pid(uint64_t uptr, pid_t pid)
{
	return pid < 0 ? pid : put_int(uptr, pid_vnr(pid));
}

static long inject(struct tty *tty, uint64_t uptr)
{
	char c;
	if (copy_from_user(&c, (const void *)uptr, 1) < 0)
		return -EFAULT;
	return tty_inject(tty, c);
}

/* The terminal requests; -ENOIOCTLCMD for anything else. */
#define ENOIOCTLCMD 515

static long tty_ioctl(struct tty *tty, uint64_t cmd, uint64_t arg)
{
	struct ktermios t;
	switch (cmd) {
	case LINUX_TCGETS:
		tty_get_termios(tty, &t);
		return copy_to_user((void *)arg, &t, sizeof(t));
	case LINUX_TCSETS:
		return set_termios(tty, arg, TTY_SET_NOW);
	case LINUX_TCSETSW:
		return set_termios(tty, arg, TTY_SET_DRAIN);
	case LINUX_TCSETSF:
		return set_termios(tty, arg, TTY_SET_FLUSH);
	case LINUX_TIOCGWINSZ:
		return get_winsize(tty, arg);
	case LINUX_TIOCSWINSZ:
		return set_winsize(tty, arg);
	case LINUX_TIOCGPGRP:
		return put_pid(arg, tty_get_fg(tty));
	case LINUX_TIOCSPGRP:
		return set_fg(tty, arg);
	case LINUX_TIOCGSID:
		return put_pid(arg, tty_get_session(tty));
	case LINUX_TIOCSCTTY:
		return tty_make_controlling(tty, arg == 1);
	case LINUX_TIOCNOTTY:
		return tty_give_up_controlling(tty);
	case LINUX_TCFLSH:
		return tty_flush(tty, (int)arg);
	case LINUX_TCXONC:
		return tty_flow(tty, (int)arg);
	case LINUX_TCSBRK:
	case LINUX_TCSBRKP:
		return tty_drain(tty); /* and no break is sent: a virtual line */
	case LINUX_TIOCOUTQ:
		return put_int(arg, 0); /* output is never queued */
	case LINUX_TIOCSTI:
		return inject(tty, arg);
	}
	return -ENOIOCTLCMD;
}

/* FIONREAD: terminals and pipes know; a regular file has size - offset. */
static long nread(struct kobj *o, uint64_t arg)
{
	long n = kobj_nread(o);
	if (n == -ENOTTY) {
		struct vattr va;
		if (kobj_stat(o, &va) < 0 || !S_ISREG(va.mode))
			return -ENOTTY;
		int64_t pos = kobj_seek(o, 0, SEEK_CUR);
		if (pos < 0)
			return pos;
		n = va.size > (uint64_t)pos ? (long)(va.size - (uint64_t)pos) : 0;
	}
	if (n < 0)
		return n;
	return put_int(arg, (int)MIN(n, (long)INT32_MAX));
}

static long set_nonblock(struct kobj *o, uint64_t arg)
{
	int on;
	if (get_int(arg, &on) < 0)
		return -EFAULT;
	if (on)
		__atomic_or_fetch(&o->flags, O_NONBLOCK, __ATOMIC_RELAXED);
	else
		__atomic_and_fetch(&o->flags, ~(unsigned)O_NONBLOCK, __ATOMIC_RELAXED);
	return 0;
}

static long set_cloexec(int fd, bool on)
{
	struct handle_table *ht = current()->handles;
	int flags = handle_get_flags(ht, fd);
	if (flags < 0)
		return flags;
	flags = on ? flags | HANDLE_CLOEXEC : flags & ~HANDLE_CLOEXEC;
	return handle_set_flags(ht, fd, (unsigned)flags);
}

static long generic_ioctl(int fd, struct kobj *o, uint64_t cmd, uint64_t arg)
{
	switch (cmd) {
	case LINUX_FIONREAD:
		return nread(o, arg);
	case LINUX_FIONBIO:
		return set_nonblock(o, arg);
	case LINUX_FIOCLEX:
		return set_cloexec(fd, true);
	case LINUX_FIONCLEX:
		return set_cloexec(fd, false);
	}
	return -ENOIOCTLCMD;
}

LINUX_SYSCALL(ioctl)
{
	LINUX_UNUSED();
	int fd = (int)a0;
	struct kobj *o = linux_fd_get(fd);
	if (!o)
		return -EBADF;
	struct tty *tty = tty_of(o);
	long r = -ENOIOCTLCMD;
	if (tty && a1 != LINUX_FIONREAD)
		r = tty_ioctl(tty, a1, a2);
	if (r == -ENOIOCTLCMD && !tty)
		r = linux_block_ioctl(o, a1, a2);
	if (r == -ENOIOCTLCMD)
		r = generic_ioctl(fd, o, a1, a2);
	kobj_put(o);
	return r == -ENOIOCTLCMD ? -ENOTTY : r;
}
