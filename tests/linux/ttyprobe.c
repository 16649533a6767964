/*
 * ttyprobe MODE: a small Linux terminal program that the integration test
 * (tests/integration/test_linux_tty.py) drives through the console, for
 * what a program cannot check on its own terminal: keys typed by a
 * person, echo on the screen, and job control.
 *
 *   raw    no ICANON, ECHO, ISIG, IXON, ICRNL: prints each byte as it is
 *          read, one read per byte, until 'q'; then restores the mode
 *   line   reads one canonical line (with echo) and prints it escaped
 *   keys   no ICANON or ECHO but ISIG on: prints each byte until 'q',
 *          going on after a stop (Ctrl-Z) and fg
 *   bgread reads one byte: run in the background, it is stopped (SIGTTIN)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static void print_escaped(const char *what, const char *s, long n)
{
	printf("%s=", what);
	for (long i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		printf(c < 32 || c > 126 ? "<%02x>" : "%c", c);
	}
	printf("\n");
	fflush(stdout);
}

/* Prints "got XX" for each byte read, until q; EINTR (a stop) retries. */
static int echo_bytes(void)
{
	for (;;) {
		char c;
		long n = read(0, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != 1) {
			printf("read returned %ld\n", n);
			return 1;
		}
		printf("got %02x\n", (unsigned char)c);
		fflush(stdout);
		if (c == 'q')
			return 0;
	}
}

static int with_mode(tcflag_t lflag_off, tcflag_t iflag_off)
{
	struct termios old, t;
	if (tcgetattr(0, &old) < 0) {
		perror("tcgetattr");
		return 1;
	}
	t = old;
	t.c_lflag &= ~lflag_off;
	t.c_iflag &= ~iflag_off;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(0, TCSANOW, &t);
	printf("ready\n");
	fflush(stdout);
	int r = echo_bytes();
	tcsetattr(0, TCSANOW, &old);
	printf("restored\n");
	return r;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "raw"))
		return with_mode(ICANON | ECHO | ISIG | IEXTEN, IXON | ICRNL);
	if (!strcmp(mode, "keys"))
		return with_mode(ICANON | ECHO, 0);
	if (!strcmp(mode, "line")) {
		char buf[256];
		printf("ready\n");
		fflush(stdout);
		long n = read(0, buf, sizeof(buf));
		print_escaped("line", buf, n > 0 ? n : 0);
		return 0;
	}
	if (!strcmp(mode, "bgread")) {
		char c;
		long n = read(0, &c, 1);
		printf("bgread: read returned %ld errno %d\n", n, n < 0 ? errno : 0);
		return 0;
	}
	fprintf(stderr, "usage: ttyprobe raw|line|keys|bgread\n");
	return 2;
}
