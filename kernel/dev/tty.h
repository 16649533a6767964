/*
 * The console terminal: line discipline over the UART.  Canonical mode
 * gives line editing (echo, backspace, Ctrl-U) and Ctrl-D as end of
 * file; Ctrl-C sends SIGINT to the foreground process group; raw mode
 * hands every byte to the reader as it arrives.  Opened as /dev/console
 * and /dev/tty (character major 5).
 */
#ifndef DEV_TTY_H
#define DEV_TTY_H

void tty_init(void);
/* A received byte (called from the UART interrupt handler). */
void tty_input(char c);
/* Writes kernel text to the terminal with output processing. */
void tty_write_kernel(const char *s, unsigned long n);

#endif
