/*
 * The terminal's line discipline: what happens to each received byte
 * (special characters, CR/NL mapping, line editing, echo) and to each
 * written byte (OPOST processing), as termios says.  The behaviour
 * follows POSIX and, where POSIX leaves room, Linux's n_tty: word erase
 * stops after a run of letters, digits and '_'; the EOF character ends a
 * line without being stored; switching ICANON re-cuts pending input.
 *
 * Everything here runs with tty->lock held (output also takes out_lock),
 * possibly in the UART interrupt handler, so it never sleeps.
 */
#include "core/kernel.h"
#include "core/time.h"
#include "dev/tty_impl.h"
#include "dev/uart.h"

#define L(tty, f) ((tty)->termios.c_lflag & (f))
#define I(tty, f) ((tty)->termios.c_iflag & (f))

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

static bool is_ctrl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static bool is_cc(struct tty *tty, unsigned char c, int index)
{
	unsigned char cc = tty->termios.c_cc[index];
	return cc != CC_DISABLED && c == cc;
}

static bool is_utf8_continuation(struct tty *tty, unsigned char c)
{
	return I(tty, IUTF8) && (c & 0xc0) == 0x80;
}

static bool is_word_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_';
}

/* ------------------------------------------------------------ output */

/* One byte with OPOST processing; out_lock held. */
static void out_char(struct tty *tty, unsigned char c)
{
	uint32_t of = tty->termios.c_oflag;
	if (!(of & OPOST)) {
		uart_putc_sync((char)c);
		return;
	}
	switch (c) {
	case '\n':
		if (of & ONLRET)
			tty->column = 0;
		if (of & ONLCR) {
			uart_putc_sync('\r');
			tty->column = 0;
		}
		break;
	case '\r':
		if ((of & ONOCR) && tty->column == 0)
			return;
		if (of & OCRNL) {
			c = '\n';
			if (of & ONLRET)
				tty->column = 0;
			break;
		}
		tty->column = 0;
		break;
	case '\t': {
		unsigned spaces = 8 - (tty->column & 7);
		tty->column += spaces;
		if ((of & TABDLY) == XTABS) {
			while (spaces--)
				uart_putc_sync(' ');
			return;
		}
		break;
	}
	case '\b':
		if (tty->column > 0)
			tty->column--;
		break;
	default:
		if ((of & OLCUC) && c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		if (!is_ctrl(c) && !is_utf8_continuation(tty, c))
			tty->column++;
	}
	uart_putc_sync((char)c);
}

void ldisc_output(struct tty *tty, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out_char(tty, (unsigned char)s[i]);
}

/* ------------------------------------------------------------ echo */

/* Echoes c, control characters as ^X with ECHOCTL; out_lock held. */
static void echo_locked(struct tty *tty, unsigned char c)
{
	if (L(tty, ECHOCTL) && is_ctrl(c) && c != '\t' && c != '\n') {
		out_char(tty, '^');
		out_char(tty, c ^ 0x40);
	} else {
		out_char(tty, c);
	}
}

static void echo(struct tty *tty, unsigned char c)
{
	spin_lock(&tty->out_lock);
	if (tty->e == tty->w)
		tty->line_column = tty->column; /* first character of a line */
	echo_locked(tty, c);
	spin_unlock(&tty->out_lock);
}

static void echo_raw(struct tty *tty, const char *s)
{
	spin_lock(&tty->out_lock);
	ldisc_output(tty, s, strlen(s));
	spin_unlock(&tty->out_lock);
}

/* ------------------------------------------------------------ input ring */

static void set_delim(struct tty *tty, unsigned pos, bool on)
{
	uint8_t bit = (uint8_t)(1u << (pos % 8));
	uint8_t *b = &tty->delim[(pos % TTY_BUF) / 8];
	*b = on ? (uint8_t)(*b | bit) : (uint8_t)(*b & ~bit);
}

static bool is_delim(struct tty *tty, unsigned pos)
{
	return tty->delim[(pos % TTY_BUF) / 8] & (1u << (pos % 8));
}

static void put(struct tty *tty, unsigned char c, bool delim)
{
	tty->buf[tty->e % TTY_BUF] = (char)c;
	set_delim(tty, tty->e, delim);
	tty->e++;
}

/* Makes everything typed so far readable. */
static void commit(struct tty *tty)
{
	tty->w = tty->e;
	wq_wake_all(&tty->readable);
}

void ldisc_flush_input(struct tty *tty)
{
	tty->r = tty->w = tty->e;
	memset(tty->delim, 0, sizeof(tty->delim));
	tty->lnext = false;
}

void ldisc_canon_changed(struct tty *tty)
{
	memset(tty->delim, 0, sizeof(tty->delim));
	tty->lnext = false;
	/* Entering canonical mode, input already there becomes one line. */
	if (L(tty, ICANON) && tty->e != tty->r)
		set_delim(tty, tty->e - 1, true);
	commit(tty);
}

/* An EOF marker: a delimiter holding 0 (VEOF itself is never 0). */
static bool is_eof_marker(struct tty *tty, unsigned pos)
{
	return is_delim(tty, pos) && tty->buf[pos % TTY_BUF] == 0;
}

size_t ldisc_take(struct tty *tty, char *dst, size_t n, bool *line_end)
{
	bool canon = L(tty, ICANON);
	size_t i = 0;
	*line_end = false;
	while (i < n && tty->r != tty->w) {
		unsigned pos = tty->r++;
		if (canon && is_delim(tty, pos)) {
			*line_end = true;
			if (!is_eof_marker(tty, pos))
				dst[i++] = tty->buf[pos % TTY_BUF];
			set_delim(tty, pos, false);
			break;
		}
		dst[i++] = tty->buf[pos % TTY_BUF];
	}
	return i;
}

long ldisc_readable(struct tty *tty)
{
	if (!L(tty, ICANON))
		return (long)(tty->w - tty->r);
	long n = 0;
	for (unsigned pos = tty->r; pos != tty->w; pos++)
		n += !is_eof_marker(tty, pos);
	return n;
}

/* ------------------------------------------------------------ editing */

/* Columns the echo of [w, upto) takes, from the line's first column. */
static unsigned line_width(struct tty *tty, unsigned upto)
{
	unsigned col = tty->line_column;
	for (unsigned pos = tty->w; pos != upto; pos++) {
		unsigned char c = (unsigned char)tty->buf[pos % TTY_BUF];
		if (c == '\t')
			col = (col | 7) + 1;
		else if (is_ctrl(c))
			col += L(tty, ECHOCTL) ? 2 : 0;
		else if (!is_utf8_continuation(tty, c))
			col++;
	}
	return col;
}

/* Takes the echo of the character at pos (being erased) off the screen;
 * out_lock held. */
static void unecho(struct tty *tty, unsigned pos)
{
	unsigned char c = (unsigned char)tty->buf[pos % TTY_BUF];
	if (c == '\t') {
		unsigned col = line_width(tty, pos);
		while (tty->column > col) {
			uart_putc_sync('\b');
			tty->column--;
		}
		return;
	}
	int cells = is_ctrl(c) ? (L(tty, ECHOCTL) ? 2 : 0) : 1;
	while (cells--)
		ldisc_output(tty, "\b \b", 3);
}

static void erase(struct tty *tty, unsigned char c, enum erase_kind kind)
{
	if (tty->e == tty->w)
		return;
	if (kind == ERASE_LINE &&
	    (!L(tty, ECHO) || !L(tty, ECHOK) || !L(tty, ECHOKE) || !L(tty, ECHOE))) {
		tty->e = tty->w;
		if (L(tty, ECHO)) {
			echo(tty, c);
			if (L(tty, ECHOK))
				echo_raw(tty, "\n");
		}
		return;
	}
	bool seen_word = false;
	spin_lock(&tty->out_lock);
	while (tty->e != tty->w) {
		unsigned head = tty->e - 1;
		while (head != tty->w &&
		       is_utf8_continuation(tty, (unsigned char)tty->buf[head % TTY_BUF]))
			head--;
		unsigned char last = (unsigned char)tty->buf[head % TTY_BUF];
		if (kind == ERASE_WORD) {
			if (is_word_char(last))
				seen_word = true;
			else if (seen_word)
				break;
		}
		tty->e = head;
		if (L(tty, ECHO)) {
			if (kind == ERASE_CHAR && !L(tty, ECHOE))
				echo_locked(tty, c);
			else
				unecho(tty, head);
		}
		if (kind == ERASE_CHAR)
			break;
	}
	spin_unlock(&tty->out_lock);
}

static void reprint(struct tty *tty, unsigned char c)
{
	spin_lock(&tty->out_lock);
	echo_locked(tty, c);
	out_char(tty, '\n');
	tty->line_column = tty->column;
	for (unsigned pos = tty->w; pos != tty->e; pos++)
		echo_locked(tty, (unsigned char)tty->buf[pos % TTY_BUF]);
	spin_unlock(&tty->out_lock);
}

/* Ends a line with c (0 for the EOF character, which is not echoed). */
static void end_line(struct tty *tty, unsigned char c, bool echo_it)
{
	if (tty->e - tty->r >= TTY_BUF)
		return; /* full: dropped */
	if (echo_it)
		echo(tty, c);
	put(tty, c, true);
	commit(tty);
}

static void canon_receive(struct tty *tty, unsigned char c)
{
	bool ext = L(tty, IEXTEN);
	if (is_cc(tty, c, VERASE))
		return erase(tty, c, ERASE_CHAR);
	if (is_cc(tty, c, VKILL))
		return erase(tty, c, ERASE_LINE);
	if (ext && is_cc(tty, c, VWERASE))
		return erase(tty, c, ERASE_WORD);
	if (ext && is_cc(tty, c, VLNEXT)) {
		tty->lnext = true;
		if (L(tty, ECHO) && L(tty, ECHOCTL))
			echo_raw(tty, "^\b");
		return;
	}
	if (ext && L(tty, ECHO) && is_cc(tty, c, VREPRINT))
		return reprint(tty, c);
	if (c == '\n')
		return end_line(tty, c, L(tty, ECHO | ECHONL));
	if (is_cc(tty, c, VEOF))
		return end_line(tty, 0, false);
	if (is_cc(tty, c, VEOL) || (ext && is_cc(tty, c, VEOL2)))
		return end_line(tty, c, L(tty, ECHO));
	if (tty->e - tty->r >= TTY_BUF - 1)
		return; /* keep room for the line's end */
	if (L(tty, ECHO))
		echo(tty, c);
	put(tty, c, false);
}

static void raw_receive(struct tty *tty, unsigned char c)
{
	if (tty->e - tty->r >= TTY_BUF)
		return;
	if (L(tty, ECHO))
		echo(tty, c);
	put(tty, c, false);
	commit(tty);
}

static void literal_receive(struct tty *tty, unsigned char c)
{
	tty->lnext = false;
	if (!L(tty, ICANON))
		return raw_receive(tty, c);
	if (tty->e - tty->r >= TTY_BUF - 1)
		return;
	if (L(tty, ECHO))
		echo(tty, c);
	put(tty, c, false);
}

/* IXON: VSTOP suspends output, VSTART (or any key with IXANY) resumes.
 * Returns true when c was consumed. */
static bool flow_receive(struct tty *tty, unsigned char c)
{
	if (is_cc(tty, c, VSTART) && tty->out_stopped) {
		tty->out_stopped = false;
		wq_wake_all(&tty->out_resumed);
		return true;
	}
	if (is_cc(tty, c, VSTOP)) {
		tty->out_stopped = true;
		return true;
	}
	if (is_cc(tty, c, VSTART))
		return true;
	if (I(tty, IXANY) && tty->out_stopped) {
		tty->out_stopped = false;
		wq_wake_all(&tty->out_resumed);
	}
	return false;
}

/* INTR, QUIT, SUSP: returns the signal for the foreground group. */
static int signal_char(struct tty *tty, unsigned char c)
{
	int sig = is_cc(tty, c, VINTR)   ? SIGINT
	          : is_cc(tty, c, VQUIT) ? SIGQUIT
	          : is_cc(tty, c, VSUSP) ? SIGTSTP
	                                 : 0;
	if (!sig)
		return 0;
	if (!L(tty, NOFLSH))
		ldisc_flush_input(tty);
	if (tty->out_stopped) {
		tty->out_stopped = false;
		wq_wake_all(&tty->out_resumed);
	}
	if (L(tty, ECHO))
		echo(tty, c);
	return sig;
}

void ldisc_receive(struct tty *tty, char ch, int *sig)
{
	unsigned char c = (unsigned char)ch;
	*sig = 0;
	tty->last_input_ns = time_monotonic_ns();
	if (I(tty, ISTRIP))
		c &= 0x7f;
	if (I(tty, IUCLC) && L(tty, IEXTEN) && c >= 'A' && c <= 'Z')
		c = (unsigned char)(c - 'A' + 'a');
	if (tty->lnext)
		return literal_receive(tty, c);
	if (I(tty, IXON) && flow_receive(tty, c))
		return;
	if (L(tty, ISIG) && (*sig = signal_char(tty, c)) != 0)
		return;
	if (c == '\r') {
		if (I(tty, IGNCR))
			return;
		if (I(tty, ICRNL))
			c = '\n';
	} else if (c == '\n' && I(tty, INLCR)) {
		c = '\r';
	}
	if (L(tty, ICANON))
		canon_receive(tty, c);
	else
		raw_receive(tty, c);
}
