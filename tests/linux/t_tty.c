/*
 * The terminal as Linux's n_tty behaves: termios round trip, window
 * size, canonical editing (erase, kill, word erase, EOF, literal next),
 * CR/NL mapping, non-canonical VMIN/VTIME, FIONREAD, poll, flushing,
 * echo and output processing, job-control ioctls.
 *
 * The terminal is stdin when it is one (Scarlet's console under the
 * integration test), else a pseudo-terminal when the system has them
 * (the host), else everything is skipped.  Input is typed with TIOCSTI,
 * which both kernels run through the line discipline like a key press.
 * Echo and output can only be read back through a pty master, so those
 * checks run where there is one.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

static int tty = -1;    /* the terminal under test */
static int master = -1; /* its pty master, when it is a pty */
static struct termios saved;

static int open_terminal(void)
{
	if (isatty(0)) {
		tty = 0;
		return 1;
	}
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
		return 0;
	tty = open(ptsname(master), O_RDWR | O_NOCTTY);
	return tty >= 0;
}

/* Types s on the terminal. */
static void type(const char *s)
{
	for (; *s; s++)
		CHECK_EQ(ioctl(tty, TIOCSTI, s), 0);
}

static void set_lflag(tcflag_t on, tcflag_t off)
{
	struct termios t;
	tcgetattr(tty, &t);
	t.c_lflag = (t.c_lflag | on) & ~off;
	CHECK_EQ(tcsetattr(tty, TCSANOW, &t), 0);
}

static void set_cc(int index, cc_t v)
{
	struct termios t;
	tcgetattr(tty, &t);
	t.c_cc[index] = v;
	CHECK_EQ(tcsetattr(tty, TCSANOW, &t), 0);
}

static void set_iflag(tcflag_t on, tcflag_t off)
{
	struct termios t;
	tcgetattr(tty, &t);
	t.c_iflag = (t.c_iflag | on) & ~off;
	CHECK_EQ(tcsetattr(tty, TCSANOW, &t), 0);
}

static int pending(void)
{
	int n = -1;
	CHECK_EQ(ioctl(tty, FIONREAD, &n), 0);
	return n;
}

static int readable(void)
{
	struct pollfd p = {.fd = tty, .events = POLLIN | POLLOUT};
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK(p.revents & POLLOUT);
	return (p.revents & POLLIN) != 0;
}

/* Reads once and checks the bytes. */
#define CHECK_READ(want)                                                                           \
	do {                                                                                       \
		char rbuf[256] = {0};                                                              \
		long rn = read(tty, rbuf, sizeof(rbuf) - 1);                                       \
		CHECK_EQ(rn, (long)strlen(want));                                                  \
		CHECK_STR(rbuf, want);                                                             \
	} while (0)

/* Cooked, no echo (the console stays quiet), input flushed. */
static void reset(void)
{
	struct termios t = saved;
	t.c_lflag &= ~(tcflag_t)ECHO;
	CHECK_EQ(tcsetattr(tty, TCSAFLUSH, &t), 0);
}

static void test_defaults_and_round_trip(void)
{
	struct termios t;
	CHECK_EQ(tcgetattr(tty, &t), 0);
	CHECK(t.c_lflag & ICANON);
	CHECK(t.c_lflag & ISIG);
	CHECK(t.c_iflag & ICRNL);
	CHECK_EQ(t.c_oflag & (OPOST | ONLCR), OPOST | ONLCR);
	CHECK_EQ(t.c_cc[VINTR], 3);
	CHECK_EQ(t.c_cc[VEOF], 4);
	CHECK_EQ(t.c_cc[VERASE], 0x7f);
	CHECK_EQ(t.c_cc[VKILL], 0x15);
	CHECK_EQ(t.c_cc[VSUSP], 0x1a);
	CHECK_EQ(t.c_cc[VMIN], 1);

	struct termios u = t, v;
	u.c_lflag &= ~(tcflag_t)(ECHO | ICANON);
	u.c_iflag &= ~(tcflag_t)ICRNL;
	u.c_oflag &= ~(tcflag_t)OPOST;
	u.c_cc[VMIN] = 5;
	u.c_cc[VTIME] = 7;
	u.c_cc[VINTR] = 'x';
	CHECK_EQ(tcsetattr(tty, TCSADRAIN, &u), 0);
	CHECK_EQ(tcgetattr(tty, &v), 0);
	CHECK_EQ(v.c_lflag, u.c_lflag);
	CHECK_EQ(v.c_iflag, u.c_iflag);
	CHECK_EQ(v.c_oflag, u.c_oflag);
	CHECK(memcmp(v.c_cc, u.c_cc, NCCS) == 0);
	CHECK_EQ(tcsetattr(tty, TCSANOW, &t), 0);
	CHECK_EQ(tcgetattr(tty, &v), 0);
	CHECK_EQ(v.c_lflag, t.c_lflag);
	CHECK_ERR(tcsetattr(tty, 99, &t), EINVAL); /* glibc checks the action */

	/* the kernel's structure: 36 bytes */
	unsigned char raw[64];
	memset(raw, 0xee, sizeof(raw));
	CHECK_EQ(ioctl(tty, TCGETS, raw), 0);
	CHECK_EQ(raw[36], 0xee);
	tcflag_t lflag;
	memcpy(&lflag, raw + 12, sizeof(lflag));
	CHECK_EQ(lflag, t.c_lflag);
	CHECK_EQ(raw[17 + VEOF], 4);
}

static void test_winsize(void)
{
	struct winsize old, ws = {.ws_row = 33, .ws_col = 101}, got;
	CHECK_EQ(ioctl(tty, TIOCGWINSZ, &old), 0);
	/* SIGWINCH goes to the foreground group: keep it harmless */
	signal(SIGWINCH, SIG_IGN);
	CHECK_EQ(ioctl(tty, TIOCSWINSZ, &ws), 0);
	CHECK_EQ(ioctl(tty, TIOCGWINSZ, &got), 0);
	CHECK_EQ(got.ws_row, 33);
	CHECK_EQ(got.ws_col, 101);
	CHECK_EQ(ioctl(tty, TIOCSWINSZ, &old), 0);
	void *volatile bad = (void *)8;
	CHECK_ERR(ioctl(tty, TIOCGWINSZ, bad), EFAULT);
	CHECK_ERR(ioctl(tty, TCGETS, bad), EFAULT);
	CHECK_ERR(ioctl(tty, TCSETS, bad), EFAULT);
}

static void test_not_a_terminal(void)
{
	int null = open("/dev/null", O_RDWR);
	struct termios t;
	CHECK(!isatty(null));
	CHECK_ERR(tcgetattr(null, &t), ENOTTY);
	struct winsize ws;
	CHECK_ERR(ioctl(null, TIOCGWINSZ, &ws), ENOTTY);
	CHECK_ERR(ioctl(null, TIOCGPGRP, &ws), ENOTTY);
	close(null);
	CHECK_ERR(tcgetattr(null, &t), EBADF);
}

static void test_canonical(void)
{
	reset();
	CHECK_EQ(pending(), 0);
	CHECK(!readable());
	type("abc\n");
	CHECK_EQ(pending(), 4);
	CHECK(readable());
	CHECK_READ("abc\n");

	/* a line being typed is neither readable nor counted */
	type("ab");
	CHECK_EQ(pending(), 0);
	CHECK(!readable());
	type("\n");
	CHECK(readable());
	CHECK_READ("ab\n");

	type("xy\x7fz\n"); /* VERASE */
	CHECK_READ("xz\n");
	type("junk\x15ok\n"); /* VKILL */
	CHECK_READ("ok\n");
	type("one two\x17three\n"); /* VWERASE */
	CHECK_READ("one three\n");
	type("a-b\x17\n"); /* a word ends at punctuation */
	CHECK_READ("a-\n");
	type("a-b\x17\x17\n"); /* which goes with the word before it */
	CHECK_READ("\n");
	type("a\x16\x7f\n"); /* VLNEXT */
	CHECK_READ("a\x7f\n");
	type("\x7f\x15\x17ok\n"); /* erasing nothing */
	CHECK_READ("ok\n");

	/* VEOF ends a line without being read; alone it is end of file */
	type("ab\x04");
	CHECK_EQ(pending(), 2);
	CHECK_READ("ab");
	type("\x04");
	CHECK(readable());
	CHECK_EQ(pending(), 0);
	CHECK_READ("");

	/* one line per read; a short buffer takes the line in pieces */
	type("l1\nl2\n");
	CHECK_READ("l1\n");
	CHECK_READ("l2\n");
	char part[4] = {0};
	type("hello\n");
	CHECK_EQ(read(tty, part, 3), 3);
	CHECK_STR(part, "hel");
	CHECK_READ("lo\n");

	/* VEOL is a second end-of-line character */
	set_cc(VEOL, ';');
	type("x;y\n");
	CHECK_READ("x;");
	CHECK_READ("y\n");
	set_cc(VEOL, 0);
}

static void test_cr_nl_mapping(void)
{
	reset();
	type("q\r"); /* ICRNL */
	CHECK_READ("q\n");
	set_iflag(IGNCR, 0);
	type("a\rb\n");
	CHECK_READ("ab\n");
	set_iflag(0, IGNCR | ICRNL);
	type("r\r\n");
	CHECK_READ("r\r\n");
	set_iflag(INLCR, 0);
	set_lflag(0, ICANON);
	type("\n");
	CHECK_READ("\r");
	reset();
}

static long ms_since(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

static void test_noncanonical(void)
{
	reset();
	/* pending input of a half-typed line becomes readable */
	type("par");
	set_lflag(0, ICANON);
	CHECK_EQ(pending(), 3);
	CHECK_READ("par");

	/* VMIN 0, VTIME 0: never waits */
	set_cc(VMIN, 0);
	set_cc(VTIME, 0);
	CHECK_READ("");
	type("xyz");
	CHECK_READ("xyz");

	/* VMIN 2: poll waits for two bytes; a read takes what is there */
	set_cc(VMIN, 2);
	type("a");
	CHECK_EQ(pending(), 1);
	CHECK(!readable());
	type("bc");
	CHECK(readable());
	CHECK_READ("abc");

	/* VMIN 0, VTIME 2: returns nothing after 0.2 s */
	set_cc(VMIN, 0);
	set_cc(VTIME, 2);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_READ("");
	long ms = ms_since(&t0);
	CHECK(ms >= 150 && ms < 3000);
	type("k");
	CHECK_READ("k");

	/* VMIN 3, VTIME 1: the inter-byte timer returns a short read */
	set_cc(VMIN, 3);
	set_cc(VTIME, 1);
	type("pq");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_READ("pq");
	CHECK(ms_since(&t0) < 3000);

	/* editing and signal characters are plain bytes here */
	set_cc(VMIN, 1);
	set_cc(VTIME, 0);
	set_lflag(0, ISIG);
	type("\x7f\x15\x03\x1a");
	CHECK_READ("\x7f\x15\x03\x1a");

	/* non-blocking: EAGAIN with nothing to read */
	int on = 1;
	CHECK_EQ(ioctl(tty, FIONBIO, &on), 0);
	char c;
	CHECK_ERR(read(tty, &c, 1), EAGAIN);
	on = 0;
	CHECK_EQ(ioctl(tty, FIONBIO, &on), 0);
	reset();
}

static void test_flush_and_flow(void)
{
	reset();
	type("zzz\n");
	CHECK_EQ(pending(), 4);
	CHECK_EQ(tcflush(tty, TCIFLUSH), 0);
	CHECK_EQ(pending(), 0);
	type("yy\n");
	struct termios t;
	tcgetattr(tty, &t);
	CHECK_EQ(tcsetattr(tty, TCSAFLUSH, &t), 0);
	CHECK_EQ(pending(), 0);
	type("keep\n");
	CHECK_EQ(tcsetattr(tty, TCSANOW, &t), 0);
	CHECK_EQ(pending(), 5);
	CHECK_EQ(tcflush(tty, TCOFLUSH), 0);
	CHECK_EQ(pending(), 5);
	CHECK_EQ(tcflush(tty, TCIOFLUSH), 0);
	CHECK_EQ(pending(), 0);
	CHECK_ERR(tcflush(tty, 7), EINVAL);
	CHECK_EQ(tcflow(tty, TCOOFF), 0);
	CHECK_EQ(tcflow(tty, TCOON), 0);
	CHECK_ERR(tcflow(tty, 9), EINVAL);
	CHECK_EQ(tcdrain(tty), 0);
	int q = -1;
	CHECK_EQ(ioctl(tty, TIOCOUTQ, &q), 0);
	CHECK(q >= 0);
}

static void test_job_control(void)
{
	pid_t sid = tcgetsid(tty);
	if (sid < 0) {
		/* not our controlling terminal */
		CHECK_EQ(errno, ENOTTY);
		CHECK_ERR(tcgetpgrp(tty), ENOTTY);
		CHECK_ERR(tcsetpgrp(tty, getpid()), ENOTTY);
		SKIP("job control: the terminal is not our controlling terminal");
		return;
	}
	pid_t fg = tcgetpgrp(tty);
	CHECK(fg > 0);
	pid_t pg = getpgrp();
	CHECK_EQ(fg, pg);
	CHECK_EQ(tcsetpgrp(tty, pg), 0);
	CHECK_EQ(tcgetpgrp(tty), pg);
	CHECK_EQ(sid, getsid(0));
	CHECK_ERR(tcsetpgrp(tty, -1), EINVAL);
	CHECK_ERR(tcsetpgrp(tty, 0x3ffffff0), ESRCH);
	CHECK_EQ(tcgetpgrp(tty), fg);
	/* already ours */
	if (getpid() == sid)
		CHECK_EQ(ioctl(tty, TIOCSCTTY, 0), 0);
	else
		CHECK_ERR(ioctl(tty, TIOCSCTTY, 0), EPERM);
}

/* Output the master sees within a second, up to n bytes. */
static long from_master(char *buf, size_t n)
{
	size_t got = 0;
	struct pollfd p = {.fd = master, .events = POLLIN};
	while (got < n && poll(&p, 1, 2000) == 1) {
		long r = read(master, buf + got, n - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	buf[got] = 0;
	return (long)got;
}

static void print_escaped(const char *label, const char *s)
{
	printf("  %s: \"", label);
	for (; *s; s++)
		printf((unsigned char)*s < 32 ? "\\x%02x" : "%c", (unsigned char)*s);
	printf("\"\n");
}

#define CHECK_MASTER(want)                                                                         \
	do {                                                                                       \
		char mbuf[256];                                                                    \
		from_master(mbuf, strlen(want));                                                   \
		if (strcmp(mbuf, want) != 0) {                                                     \
			print_escaped("terminal output", mbuf);                                    \
			print_escaped("expected", want);                                           \
		}                                                                                  \
		CHECK(strcmp(mbuf, want) == 0);                                                    \
	} while (0)

static void test_echo_and_output(void)
{
	if (master < 0) {
		SKIP("echo and output: no pty master to read them back");
		return;
	}
	reset();
	set_lflag(ECHO, 0);
	type("hi\n");
	CHECK_MASTER("hi\r\n");
	CHECK_READ("hi\n");
	type("\x01");
	CHECK_MASTER("^A");
	type("ab\x7f\n");
	CHECK_MASTER("ab\b \b\r\n");
	CHECK_READ("\x01"
	           "a\n");
	type("x\tz\x7f\x7f\n"); /* a tab is erased back to its column */
	CHECK_MASTER("x\tz"
	             "\b \b"          /* z */
	             "\b\b\b\b\b\b\b" /* the tab: from column 8 back to 1 */
	             "\r\n");
	CHECK_READ("x\n");
	type("word\x15\n"); /* ECHOKE: the line is erased on screen */
	CHECK_MASTER("word\b \b\b \b\b \b\b \b\r\n");
	CHECK_READ("\n");
	set_lflag(0, ECHOKE);
	type("ab\x15\n"); /* no ECHOKE: the kill character, then a newline */
	CHECK_MASTER("ab^U\r\n\r\n");
	CHECK_READ("\n");
	set_lflag(ECHOKE, ECHOCTL);
	type("\x02\n");
	CHECK_MASTER("\x02\r\n");
	CHECK_READ("\x02\n");
	set_lflag(ECHOCTL | ECHONL, ECHO);
	type("x\n");
	CHECK_MASTER("\r\n");
	CHECK_READ("x\n");

	reset();
	CHECK_EQ(write(tty, "a\nb", 3), 3);
	CHECK_MASTER("a\r\nb");
	struct termios t;
	tcgetattr(tty, &t);
	t.c_oflag &= ~(tcflag_t)OPOST;
	tcsetattr(tty, TCSANOW, &t);
	CHECK_EQ(write(tty, "c\nd", 3), 3);
	CHECK_MASTER("c\nd");
	t.c_oflag |= OPOST | OCRNL;
	tcsetattr(tty, TCSANOW, &t);
	CHECK_EQ(write(tty, "e\rf", 3), 3);
	CHECK_MASTER("e\nf");
	reset();
}

int main(void)
{
	if (!open_terminal()) {
		SKIP("no terminal: stdin is not one and there are no ptys");
		return ltest_done("tty");
	}
	CHECK_EQ(tcgetattr(tty, &saved), 0);
	test_defaults_and_round_trip();
	test_winsize();
	test_not_a_terminal();
	test_canonical();
	test_cr_nl_mapping();
	test_noncanonical();
	test_flush_and_flow();
	test_job_control();
	test_echo_and_output();
	CHECK_EQ(tcsetattr(tty, TCSAFLUSH, &saved), 0);
	return ltest_done("tty");
}
