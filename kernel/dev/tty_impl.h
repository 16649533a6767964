/*
 * Inside the terminal: its state and what tty.c (the object and its
 * settings), tty_ldisc.c (input and output processing) and tty_job.c
 * (sessions, foreground group) share.  Not for use elsewhere.
 *
 * Locking: lock guards the input ring, termios, the flags and the job
 * control fields; out_lock serializes output to the UART and guards the
 * column.  When both are taken, lock comes first.  termios changes under
 * both, so holding either one is enough to read it.
 */
#ifndef DEV_TTY_IMPL_H
#define DEV_TTY_IMPL_H

#include <scarlet/abi.h>

#include "core/spinlock.h"
#include "dev/tty.h"
#include "proc/wait.h"

#define TTY_BUF 4096 /* a power of two */

#ifndef SIGTTIN
#define SIGTTIN 21
#endif
#ifndef SIGTTOU
#define SIGTTOU 22
#endif
#ifndef SIGWINCH
#define SIGWINCH 28
#endif

struct tty {
	struct spinlock lock;
	struct spinlock out_lock;
	struct ktermios termios;
	struct tty_winsize winsize;

	/* Input ring, positions counted forever and taken modulo TTY_BUF:
	 * [r, w) can be read, [w, e) is the line being edited (canonical
	 * mode only; otherwise w == e). */
	char buf[TTY_BUF];
	uint8_t delim[TTY_BUF / 8]; /* positions that end a line */
	unsigned r, w, e;
	bool lnext;             /* the next character is taken literally */
	bool out_stopped;       /* output suspended (VSTOP, TCOOFF) */
	uint64_t last_input_ns; /* arrival of the last byte (VTIME) */
	struct waitqueue readable;
	struct waitqueue out_resumed;

	unsigned column;      /* output column (out_lock) */
	unsigned line_column; /* column where the edited line's echo began */

	pid_t session; /* whose controlling terminal this is; 0: nobody's */
	pid_t fg_pgrp; /* foreground process group; 0: none */
};

extern struct tty console_tty;

/* tty_ldisc.c, lock held */
void ldisc_receive(struct tty *tty, char c, int *sig);
/* Moves up to n readable bytes to dst; *line_end is set when a line
 * delimiter was consumed (canonical).  Returns the count. */
size_t ldisc_take(struct tty *tty, char *dst, size_t n, bool *line_end);
long ldisc_readable(struct tty *tty);
void ldisc_flush_input(struct tty *tty);
/* ICANON was switched: pending input is re-cut as Linux does. */
void ldisc_canon_changed(struct tty *tty);
/* Output with OPOST processing; out_lock held. */
void ldisc_output(struct tty *tty, const char *s, size_t n);

/* tty_job.c */
/* Background access check (SIGTTIN for reads, SIGTTOU otherwise): 0 to
 * go on, -EIO, or -EINTR once the caller's group was signalled. */
int tty_job_check(struct tty *tty, int sig);
/* A session leader opening the terminal without O_NOCTTY takes it. */
void tty_job_open(struct tty *tty, int oflags);

#endif
