/*
 * Console terminal (see tty.h).
 */
#include "dev/tty.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "dev/uart.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "obj/kobj.h"
#include "proc/task.h"

#define TTY_BUF 1024
#define CTRL(c) ((c) - '@')

struct tty {
	struct spinlock lock;
	struct spinlock out_lock;
	char buf[TTY_BUF];
	unsigned r, w, e; /* read, committed (w), edit (e) positions */
	unsigned mode;
	pid_t fg_pgrp;
	struct waitqueue readable;
};

static struct tty console;

static void out_char(char c)
{
	if (c == '\n' && (console.mode & TTY_MODE_ONLCR))
		uart_putc_sync('\r');
	uart_putc_sync(c);
}

static void echo(char c)
{
	if (console.mode & TTY_MODE_ECHO)
		out_char(c);
}

static void commit(void)
{
	console.w = console.e;
	wq_wake_all(&console.readable);
}

static void canon_input(char c)
{
	switch (c) {
	case 0x7f:
	case '\b':
		if (console.e != console.w) {
			console.e--;
			if (console.mode & TTY_MODE_ECHO) {
				uart_putc_sync('\b');
				uart_putc_sync(' ');
				uart_putc_sync('\b');
			}
		}
		return;
	case CTRL('U'):
		while (console.e != console.w) {
			console.e--;
			if (console.mode & TTY_MODE_ECHO) {
				uart_putc_sync('\b');
				uart_putc_sync(' ');
				uart_putc_sync('\b');
			}
		}
		return;
	}
	if (console.e - console.r >= TTY_BUF - 1)
		return; /* full: drop */
	if (c == '\r')
		c = '\n';
	console.buf[console.e++ % TTY_BUF] = c;
	if (c == CTRL('D')) {
		commit();
		return;
	}
	echo(c);
	if (c == '\n')
		commit();
}

void tty_input(char c)
{
	spin_lock(&console.lock);
	if ((console.mode & TTY_MODE_ISIG) && c == CTRL('C')) {
		console.e = console.w; /* drop the half-typed line */
		if (console.mode & TTY_MODE_ECHO) {
			out_char('^');
			out_char('C');
			out_char('\n');
		}
		pid_t pg = console.fg_pgrp;
		spin_unlock(&console.lock);
		if (pg > 0)
			signal_send_group(pg, SIGINT);
		return;
	}
	if (console.mode & TTY_MODE_CANON) {
		canon_input(c);
	} else if (console.e - console.r < TTY_BUF) {
		console.buf[console.e++ % TTY_BUF] = c;
		echo(c);
		commit();
	}
	spin_unlock(&console.lock);
}

/* Takes up to n bytes of available input into dst; lock held.  In
 * canonical mode a read stops after a newline, and Ctrl-D ends it (an
 * empty read then means end of file). */
static size_t take_input(char *dst, size_t n)
{
	size_t i = 0;
	while (i < n && console.r != console.w) {
		char c = console.buf[console.r % TTY_BUF];
		if ((console.mode & TTY_MODE_CANON) && c == CTRL('D')) {
			if (i == 0)
				console.r++; /* consume the EOF marker */
			break;
		}
		console.r++;
		dst[i++] = c;
		if ((console.mode & TTY_MODE_CANON) && c == '\n')
			break;
	}
	return i;
}

static ssize_t tty_read(struct kobj *o, struct iobuf *io)
{
	char tmp[256];
	size_t want = MIN(io->len, sizeof(tmp));
	spin_lock(&console.lock);
	while (console.r == console.w) {
		int r =
		    (o->flags & O_NONBLOCK) ? -EAGAIN : wq_sleep(&console.readable, &console.lock);
		if (r < 0) {
			spin_unlock(&console.lock);
			return r;
		}
	}
	size_t n = take_input(tmp, want);
	spin_unlock(&console.lock);
	int r = iobuf_put(io, tmp, n);
	return r < 0 ? r : (ssize_t)n;
}

static ssize_t tty_write(struct kobj *o, struct iobuf *io)
{
	(void)o;
	char tmp[256];
	size_t total = io->len, done = 0;
	while (done < total) {
		size_t n = MIN(total - done, sizeof(tmp));
		int r = iobuf_get(io, tmp, n);
		if (r < 0)
			return done ? (ssize_t)done : r;
		tty_write_kernel(tmp, n);
		done += n;
	}
	return (ssize_t)done;
}

void tty_write_kernel(const char *s, unsigned long n)
{
	spin_lock(&console.out_lock);
	for (unsigned long i = 0; i < n; i++)
		out_char(s[i]);
	spin_unlock(&console.out_lock);
}

static int tty_ioctl(struct kobj *o, unsigned cmd, uintptr_t arg)
{
	(void)o;
	int pg;
	unsigned mode;
	switch (cmd) {
	case TTY_GETMODE:
		mode = console.mode;
		return copy_to_user((void *)arg, &mode, sizeof(mode));
	case TTY_SETMODE:
		spin_lock(&console.lock);
		console.mode = (unsigned)arg & TTY_MODE_DEFAULT;
		if (!(console.mode & TTY_MODE_CANON))
			commit(); /* a half-edited line becomes readable */
		spin_unlock(&console.lock);
		return 0;
	case TTY_GETPGRP:
		pg = console.fg_pgrp;
		return copy_to_user((void *)arg, &pg, sizeof(pg));
	case TTY_SETPGRP:
		if (copy_from_user(&pg, (void *)arg, sizeof(pg)) < 0)
			return -EFAULT;
		if (pg <= 0)
			return -EINVAL;
		console.fg_pgrp = pg;
		return 0;
	}
	return -ENOTTY;
}

static int tty_stat(struct kobj *o, struct vattr *va)
{
	(void)o;
	memset(va, 0, sizeof(*va));
	va->mode = S_IFCHR | 0620;
	va->rdev = MKDEV(5, 1);
	va->nlink = 1;
	return 0;
}

static void tty_release(struct kobj *o)
{
	kfree(o);
}

static const struct kobj_ops tty_ops = {
    .type = "tty",
    .read = tty_read,
    .write = tty_write,
    .ioctl = tty_ioctl,
    .stat = tty_stat,
    .release = tty_release,
};

static int tty_open(unsigned minor, int oflags, struct kobj **out)
{
	(void)minor;
	struct kobj *o = kmalloc(sizeof(*o));
	if (!o)
		return -ENOMEM;
	unsigned acc = oflags & O_ACCMODE;
	unsigned f = (acc == O_RDONLY   ? KOBJ_READ
	              : acc == O_WRONLY ? KOBJ_WRITE
	                                : KOBJ_READ | KOBJ_WRITE);
	kobj_init(o, &tty_ops, f | (oflags & O_NONBLOCK));
	*out = o;
	return 0;
}

void tty_init(void)
{
	spin_init(&console.lock, "tty");
	spin_init(&console.out_lock, "tty-out");
	wq_init(&console.readable, "tty-read");
	console.mode = TTY_MODE_DEFAULT;
	chrdev_register(5, "tty", tty_open);
}
