/*
 * readkey [N]: puts the terminal in raw mode (no echo, no line editing,
 * no Ctrl-C signal), reads N bytes (default 3) as they are typed, prints
 * them in hex and restores the previous mode.  Shows what full-screen
 * programs get from the terminal.
 */
#include <scarlet.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3;
	unsigned old;
	if (sc_tty_getmode(0, &old) < 0) {
		perror("readkey: stdin is not a terminal");
		return 1;
	}
	sc_tty_setmode(0, old & ~(unsigned)(TTY_MODE_ECHO | TTY_MODE_CANON | TTY_MODE_ISIG));
	printf("ready\n");
	fflush(stdout);
	unsigned char c;
	for (int i = 0; i < n && read(0, &c, 1) == 1; i++)
		printf("%02x%s", c, i + 1 < n ? " " : "\n");
	sc_tty_setmode(0, old);
	return 0;
}
