/*
 * The smallest glibc program: static start-up (TLS, IRELATIVE, RELRO
 * mprotect, stdio on a terminal or a pipe), argv, exit status.
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("Hello from glibc: argc=%d argv[1]=%s pid=%d\n", argc, argc > 1 ? argv[1] : "-",
	       (int)getpid());
	return argc > 2 ? 7 : 0;
}
