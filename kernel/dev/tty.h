/*
 * The console terminal: a POSIX line discipline over the UART, opened as
 * /dev/console and /dev/tty (character major 5).
 *
 * Input is processed as termios says (dev/termios.h): canonical line
 * editing (erase, kill, word erase, end of file, literal next) or
 * non-canonical reads governed by VMIN/VTIME; CR/NL mapping; echo; the
 * INTR/QUIT/SUSP characters signal the foreground process group.
 * Output is processed with OPOST (ONLCR, OCRNL...).
 *
 * Job control: the terminal belongs to at most one session (its
 * controlling terminal) and has a foreground process group.  A process
 * of that session outside the foreground that reads gets SIGTTIN, and
 * one that writes with TOSTOP set, or changes settings, gets SIGTTOU.
 *
 * The native ABI keeps its small interface (TTY_GETMODE/SETMODE...,
 * scarlet/abi.h) through the object's ioctl; its modes are termios flags
 * underneath.  Other ABIs use the functions below.
 */
#ifndef DEV_TTY_H
#define DEV_TTY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/types.h"
#include "dev/termios.h"

struct kobj;
struct tty;

struct tty_winsize {
	uint16_t rows, cols, xpixel, ypixel;
};

void tty_init(void);
/* A received byte (called from the UART interrupt handler). */
void tty_input(char c);
/* Writes kernel text to the terminal, NL as CR NL whatever the mode. */
void tty_write_kernel(const char *s, unsigned long n);

/* The terminal behind object o, or NULL when o is not a terminal. */
struct tty *tty_of(struct kobj *o);

void tty_get_termios(struct tty *tty, struct ktermios *t);
/* How tty_set_termios treats pending data (tcsetattr's TCSANOW...). */
#define TTY_SET_NOW   0
#define TTY_SET_DRAIN 1
#define TTY_SET_FLUSH 2 /* discard unread input first */
/* Changes the settings.  From the background: SIGTTOU (-EINTR), or EIO
 * for an orphaned process group. */
int tty_set_termios(struct tty *tty, const struct ktermios *t, int when);

void tty_get_winsize(struct tty *tty, struct tty_winsize *ws);
/* Sends SIGWINCH to the foreground group when the size changes. */
int tty_set_winsize(struct tty *tty, const struct tty_winsize *ws);

/* Bytes a read would return now (FIONREAD): complete lines only in
 * canonical mode. */
long tty_nread(struct tty *tty);
/* TCIFLUSH, TCOFLUSH, TCIOFLUSH; EINVAL otherwise. */
int tty_flush(struct tty *tty, int queue);
/* TCOOFF, TCOON, TCIOFF, TCION; EINVAL otherwise. */
int tty_flow(struct tty *tty, int action);
/* Waits until output is sent (tcdrain, TCSBRK); job control applies. */
int tty_drain(struct tty *tty);
/* Processes c as if it had been typed (TIOCSTI). */
int tty_inject(struct tty *tty, char c);

/* Job control, for the calling task.  ENOTTY when the terminal is not
 * the caller's controlling terminal. */
pid_t tty_get_fg(struct tty *tty);
/* EINVAL for pgrp < 0, ESRCH when no such group, EPERM when it is in
 * another session; background callers as for tty_set_termios. */
int tty_set_fg(struct tty *tty, pid_t pgrp);
pid_t tty_get_session(struct tty *tty);
/* TIOCSCTTY: a session leader without a terminal takes this one; one
 * that another live session holds only with steal (EPERM). */
int tty_make_controlling(struct tty *tty, bool steal);
/* TIOCNOTTY by a session leader: the session loses the terminal and its
 * foreground group gets SIGHUP and SIGCONT. */
int tty_give_up_controlling(struct tty *tty);

#endif
