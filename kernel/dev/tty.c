/*
 * The console terminal as a kernel object (see tty.h): open, read with
 * canonical or VMIN/VTIME semantics, write, poll, the settings, and the
 * native ABI's ioctls.  Input processing lives in tty_ldisc.c, sessions
 * and the foreground group in tty_job.c.
 */
#include "dev/tty.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "core/time.h"
#include "dev/tty_impl.h"
#include "dev/uart.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "obj/kobj.h"
#include "obj/poll.h"
#include "proc/task.h"

#define TTY_MAJOR     5
#define MINOR_TTY     0 /* /dev/tty: the caller's controlling terminal */
#define MINOR_CONSOLE 1
#define DECISECOND_NS 100000000ULL

#define L(tty, f) ((tty)->termios.c_lflag & (f))

struct tty console_tty;

/* An open terminal: the object remembers which node it came from. */
struct tty_file {
	struct kobj obj;
	struct tty *tty;
	unsigned minor;
};

static const struct kobj_ops tty_ops;

struct tty *tty_of(struct kobj *o)
{
	if (!o || o->ops != &tty_ops)
		return NULL;
	return container_of(o, struct tty_file, obj)->tty;
}

/* Linux's defaults (tty_std_termios): cooked, echoing, ^C ^\ ^Z. */
static void termios_default(struct ktermios *t)
{
	static const uint8_t cc[NCCS] = {
	    [VINTR] = 003, [VQUIT] = 034,    [VERASE] = 0177,  [VKILL] = 025,   [VEOF] = 004,
	    [VTIME] = 0,   [VMIN] = 1,       [VSTART] = 021,   [VSTOP] = 023,   [VSUSP] = 032,
	    [VEOL] = 0,    [VREPRINT] = 022, [VDISCARD] = 017, [VWERASE] = 027, [VLNEXT] = 026,
	};
	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B38400 | CS8 | CREAD | HUPCL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	memcpy(t->c_cc, cc, sizeof(cc));
}

/* ------------------------------------------------------------ reading */

/* What a non-canonical read waits for: at least `need` bytes, and with
 * VTIME the time after which it returns what it has. */
struct read_goal {
	bool canon;
	size_t need;
	uint64_t vtime_ns;
};

static struct read_goal read_goal(struct tty *tty, size_t len)
{
	struct read_goal g = {.canon = L(tty, ICANON), .need = 1};
	if (!g.canon) {
		g.need = MIN((size_t)tty->termios.c_cc[VMIN], len);
		g.vtime_ns = tty->termios.c_cc[VTIME] * DECISECOND_NS;
	}
	return g;
}

/* Sleeps for more input; lock held.  With VTIME the timer runs from the
 * start of the read (VMIN 0) or from the last byte (VMIN > 0, after the
 * first one).  Returns 0, -ETIMEDOUT or -EINTR. */
static int wait_input(struct tty *tty, const struct read_goal *g, size_t done, uint64_t start)
{
	if (!g->vtime_ns || (g->need > 0 && done == 0))
		return wq_sleep(&tty->readable, &tty->lock);
	uint64_t base = g->need == 0 ? start : tty->last_input_ns;
	uint64_t deadline = base + g->vtime_ns;
	if (time_monotonic_ns() >= deadline)
		return -ETIMEDOUT;
	return wq_sleep_until(&tty->readable, &tty->lock, deadline);
}

static ssize_t tty_read(struct kobj *o, struct iobuf *io)
{
	struct tty *tty = tty_of(o);
	int r = tty_job_check(tty, SIGTTIN);
	if (r < 0)
		return r;
	char tmp[256];
	size_t done = 0;
	uint64_t start = time_monotonic_ns();
	spin_lock(&tty->lock);
	while (done < io->len) {
		struct read_goal g = read_goal(tty, io->len);
		if (tty->r != tty->w) {
			bool line_end;
			size_t n =
			    ldisc_take(tty, tmp, MIN(sizeof(tmp), io->len - done), &line_end);
			spin_unlock(&tty->lock);
			r = iobuf_put(io, tmp, n);
			spin_lock(&tty->lock);
			if (r < 0)
				break;
			done += n;
			if (g.canon ? line_end : done >= g.need)
				break;
			continue;
		}
		if (done > 0 && (g.canon || done >= g.need))
			break;
		if (!g.canon && g.need == 0 && !g.vtime_ns)
			break;
		if (o->flags & O_NONBLOCK) {
			r = -EAGAIN;
			break;
		}
		r = wait_input(tty, &g, done, start);
		if (r == -ETIMEDOUT) {
			r = 0;
			break;
		}
		if (r < 0)
			break;
	}
	spin_unlock(&tty->lock);
	return done ? (ssize_t)done : r;
}

/* ------------------------------------------------------------ writing */

/* Waits while output is suspended (VSTOP, TCOOFF). */
static int wait_output_allowed(struct tty *tty)
{
	int r = 0;
	spin_lock(&tty->lock);
	while (tty->out_stopped && r == 0)
		r = wq_sleep(&tty->out_resumed, &tty->lock);
	spin_unlock(&tty->lock);
	return r;
}

static ssize_t tty_write(struct kobj *o, struct iobuf *io)
{
	struct tty *tty = tty_of(o);
	if (L(tty, TOSTOP)) {
		int r = tty_job_check(tty, SIGTTOU);
		if (r < 0)
			return r;
	}
	char tmp[256];
	size_t total = io->len, done = 0;
	while (done < total) {
		size_t n = MIN(total - done, sizeof(tmp));
		int r = iobuf_get(io, tmp, n);
		if (r == 0)
			r = wait_output_allowed(tty);
		if (r < 0)
			return done ? (ssize_t)done : r;
		spin_lock(&tty->out_lock);
		ldisc_output(tty, tmp, n);
		spin_unlock(&tty->out_lock);
		done += n;
	}
	return (ssize_t)done;
}

void tty_write_kernel(const char *s, unsigned long n)
{
	struct tty *tty = &console_tty;
	spin_lock(&tty->out_lock);
	for (unsigned long i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc_sync('\r');
		uart_putc_sync(s[i]);
	}
	tty->column = n && s[n - 1] == '\n' ? 0 : tty->column;
	spin_unlock(&tty->out_lock);
}

void tty_input(char c)
{
	tty_inject(&console_tty, c);
}

int tty_inject(struct tty *tty, char c)
{
	int sig;
	spin_lock(&tty->lock);
	ldisc_receive(tty, c, &sig);
	pid_t pg = tty->fg_pgrp;
	spin_unlock(&tty->lock);
	if (sig && pg > 0)
		signal_send_group(pg, sig);
	return 0;
}

/* ------------------------------------------------------------ readiness */

static unsigned tty_poll(struct kobj *o, struct poll_table *pt)
{
	struct tty *tty = tty_of(o);
	poll_wait(pt, o, &tty->readable);
	spin_lock(&tty->lock);
	unsigned mask = POLLOUT | POLLWRNORM;
	size_t need = 1;
	/* like Linux: a VMIN read without VTIME is ready at VMIN bytes */
	if (!L(tty, ICANON) && tty->termios.c_cc[VTIME] == 0 && tty->termios.c_cc[VMIN] > 0)
		need = tty->termios.c_cc[VMIN];
	if (tty->w - tty->r >= need)
		mask |= POLLIN | POLLRDNORM;
	spin_unlock(&tty->lock);
	return mask;
}

long tty_nread(struct tty *tty)
{
	spin_lock(&tty->lock);
	long n = ldisc_readable(tty);
	spin_unlock(&tty->lock);
	return n;
}

static long tty_obj_nread(struct kobj *o)
{
	return tty_nread(tty_of(o));
}

/* ------------------------------------------------------------ settings */

void tty_get_termios(struct tty *tty, struct ktermios *t)
{
	spin_lock(&tty->lock);
	*t = tty->termios;
	spin_unlock(&tty->lock);
}

/* Installs t; lock held. */
static void apply_termios(struct tty *tty, const struct ktermios *t)
{
	uint32_t old_lflag = tty->termios.c_lflag;
	spin_lock(&tty->out_lock);
	tty->termios = *t;
	spin_unlock(&tty->out_lock);
	if ((old_lflag ^ t->c_lflag) & ICANON)
		ldisc_canon_changed(tty);
	if (!(t->c_iflag & IXON) && tty->out_stopped) {
		tty->out_stopped = false;
		wq_wake_all(&tty->out_resumed);
	}
	wq_wake_all(&tty->readable); /* VMIN, VTIME may have changed */
}

int tty_set_termios(struct tty *tty, const struct ktermios *t, int when)
{
	int r = tty_job_check(tty, SIGTTOU);
	if (r < 0)
		return r;
	spin_lock(&tty->lock);
	if (when == TTY_SET_FLUSH)
		ldisc_flush_input(tty);
	apply_termios(tty, t);
	spin_unlock(&tty->lock);
	return 0;
}

void tty_get_winsize(struct tty *tty, struct tty_winsize *ws)
{
	spin_lock(&tty->lock);
	*ws = tty->winsize;
	spin_unlock(&tty->lock);
}

int tty_set_winsize(struct tty *tty, const struct tty_winsize *ws)
{
	spin_lock(&tty->lock);
	bool changed = memcmp(&tty->winsize, ws, sizeof(*ws)) != 0;
	tty->winsize = *ws;
	pid_t pg = tty->fg_pgrp;
	spin_unlock(&tty->lock);
	if (changed && pg > 0)
		signal_send_group(pg, SIGWINCH);
	return 0;
}

int tty_flush(struct tty *tty, int queue)
{
	if (queue != TCIFLUSH && queue != TCOFLUSH && queue != TCIOFLUSH)
		return -EINVAL;
	int r = tty_job_check(tty, SIGTTOU);
	if (r < 0)
		return r;
	/* Output goes out synchronously: there is no output queue. */
	if (queue != TCOFLUSH) {
		spin_lock(&tty->lock);
		ldisc_flush_input(tty);
		spin_unlock(&tty->lock);
	}
	return 0;
}

int tty_flow(struct tty *tty, int action)
{
	if (action < TCOOFF || action > TCION)
		return -EINVAL;
	int r = tty_job_check(tty, SIGTTOU);
	if (r < 0)
		return r;
	spin_lock(&tty->lock);
	if (action == TCOOFF || action == TCOON) {
		tty->out_stopped = action == TCOOFF;
		wq_wake_all(&tty->out_resumed);
	} else {
		uint8_t c = tty->termios.c_cc[action == TCIOFF ? VSTOP : VSTART];
		spin_lock(&tty->out_lock);
		if (c != CC_DISABLED)
			uart_putc_sync((char)c);
		spin_unlock(&tty->out_lock);
	}
	spin_unlock(&tty->lock);
	return 0;
}

int tty_drain(struct tty *tty)
{
	/* Nothing to wait for: writes reach the UART before they return. */
	int r = tty_job_check(tty, SIGTTOU);
	return r < 0 ? r : 0;
}

/* ------------------------------------------------------------ native ABI */

/* The native modes are termios flags underneath; "not canonical" also
 * turns off CR-to-NL mapping and flow control so raw reads see every
 * byte. */
static unsigned native_mode(const struct ktermios *t)
{
	unsigned m = 0;
	m |= (t->c_lflag & ECHO) ? TTY_MODE_ECHO : 0;
	m |= (t->c_lflag & ICANON) ? TTY_MODE_CANON : 0;
	m |= (t->c_lflag & ISIG) ? TTY_MODE_ISIG : 0;
	m |= ((t->c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR)) ? TTY_MODE_ONLCR : 0;
	return m;
}

static void set_native_mode(struct tty *tty, unsigned m)
{
	struct ktermios t;
	spin_lock(&tty->lock);
	t = tty->termios;
	t.c_lflag = (t.c_lflag & ~(uint32_t)(ECHO | ICANON | ISIG)) |
	            ((m & TTY_MODE_ECHO) ? ECHO : 0) | ((m & TTY_MODE_CANON) ? ICANON : 0) |
	            ((m & TTY_MODE_ISIG) ? ISIG : 0);
	if (m & TTY_MODE_CANON)
		t.c_iflag |= ICRNL | IXON;
	else
		t.c_iflag &= ~(uint32_t)(ICRNL | IXON);
	if (m & TTY_MODE_ONLCR)
		t.c_oflag |= OPOST | ONLCR;
	else
		t.c_oflag &= ~(uint32_t)OPOST;
	apply_termios(tty, &t);
	spin_unlock(&tty->lock);
}

/* The native ioctls keep their old, permissive job control: any process
 * may read the mode or name the foreground group. */
static int tty_ioctl(struct kobj *o, unsigned cmd, uintptr_t arg)
{
	struct tty *tty = tty_of(o);
	struct ktermios t;
	unsigned mode;
	int pg;
	switch (cmd) {
	case TTY_GETMODE:
		tty_get_termios(tty, &t);
		mode = native_mode(&t);
		return copy_to_user((void *)arg, &mode, sizeof(mode));
	case TTY_SETMODE:
		set_native_mode(tty, (unsigned)arg);
		return 0;
	case TTY_GETPGRP:
		pg = tty->fg_pgrp;
		return copy_to_user((void *)arg, &pg, sizeof(pg));
	case TTY_SETPGRP:
		if (copy_from_user(&pg, (void *)arg, sizeof(pg)) < 0)
			return -EFAULT;
		if (pg <= 0)
			return -EINVAL;
		spin_lock(&tty->lock);
		tty->fg_pgrp = pg;
		spin_unlock(&tty->lock);
		return 0;
	}
	return -ENOTTY;
}

/* ------------------------------------------------------------ the object */

static int tty_stat(struct kobj *o, struct vattr *va)
{
	memset(va, 0, sizeof(*va));
	va->mode = S_IFCHR | 0620;
	va->rdev = MKDEV(TTY_MAJOR, container_of(o, struct tty_file, obj)->minor);
	va->nlink = 1;
	return 0;
}

static void tty_release(struct kobj *o)
{
	kfree(container_of(o, struct tty_file, obj));
}

static const struct kobj_ops tty_ops = {
    .type = "tty",
    .read = tty_read,
    .write = tty_write,
    .ioctl = tty_ioctl,
    .stat = tty_stat,
    .poll = tty_poll,
    .nread = tty_obj_nread,
    .release = tty_release,
};

static int tty_open(unsigned minor, int oflags, struct kobj **out)
{
	struct tty *tty = &console_tty;
	struct task *t = current();
	if (minor == MINOR_TTY && t && tty->session != t->sid)
		return -ENXIO; /* no controlling terminal */
	struct tty_file *f = kmalloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	unsigned acc = oflags & O_ACCMODE;
	unsigned flags = (acc == O_RDONLY   ? KOBJ_READ
	                  : acc == O_WRONLY ? KOBJ_WRITE
	                                    : KOBJ_READ | KOBJ_WRITE);
	kobj_init(&f->obj, &tty_ops, flags | (oflags & O_NONBLOCK));
	f->tty = tty;
	f->minor = minor;
	tty_job_open(tty, oflags);
	*out = &f->obj;
	return 0;
}

void tty_init(void)
{
	struct tty *tty = &console_tty;
	spin_init(&tty->lock, "tty");
	spin_init(&tty->out_lock, "tty-out");
	wq_init(&tty->readable, "tty-read");
	wq_init(&tty->out_resumed, "tty-out");
	termios_default(&tty->termios);
	tty->winsize = (struct tty_winsize){.rows = 24, .cols = 80};
	chrdev_register(TTY_MAJOR, "tty", tty_open);
}
