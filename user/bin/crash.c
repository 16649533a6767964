/*
 * crash [-w|-i|-s]: dies on purpose, to check how faults are reported.
 * No option: reads address 0.  -w: writes into its own text.  -i: runs an
 * illegal instruction.  -s: overflows the stack by unbounded recursion.
 */
#include <stdio.h>
#include <string.h>

static volatile int stop_recursion;

static int recurse(int depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (stop_recursion)
		return frame[0];
	return recurse(depth + 1) + frame[0];
}

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "";

	if (strcmp(how, "-w") == 0) {
		fprintf(stderr, "crash: writing to text at %p\n", (void *)main);
		*(volatile unsigned *)(void *)main = 0;
	} else if (strcmp(how, "-i") == 0) {
		fprintf(stderr, "crash: executing an illegal instruction\n");
		asm volatile(".4byte 0");
	} else if (strcmp(how, "-s") == 0) {
		fprintf(stderr, "crash: overflowing the stack\n");
		return recurse(0);
	} else if (how[0] == '\0') {
		fprintf(stderr, "crash: reading address 0\n");
		return *(volatile int *)0;
	} else {
		fprintf(stderr, "usage: crash [-w|-i|-s]\n");
		return 1;
	}
	fprintf(stderr, "crash: still alive\n");
	return 1;
}
