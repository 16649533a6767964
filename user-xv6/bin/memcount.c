/*
 * memcount [-k]: how many pages a program can get, counted as upstream
 * xv6's usertests counts free memory: a child grows its memory one page
 * at a time with an eager sbrk until sbrk fails, stores into each page,
 * and reports each page down a pipe; the parent counts.  Prints
 * "memcount: N pages".  A kernel that gives its caches back when memory
 * runs out gets the same count before and after filling them.
 *
 * -k grows with the lazy sbrk instead, so that it is a page fault that
 * runs out of memory: the kernel must kill the child (and only it).
 * Prints "memcount: N pages, child killed" when it did.
 */
#include "types.h"
#include "user.h"

#define PGSIZE 4096

static void grow_until_failure(int out, int lazy)
{
	for (;;) {
		char *a = lazy ? sbrklazy(PGSIZE) : sbrk(PGSIZE);
		if (a == (char *)-1)
			break;
		a[PGSIZE - 1] = 1; /* make sure the page is really there */
		if (write(out, "x", 1) != 1) {
			printf("memcount: write to the pipe failed\n");
			exit(1);
		}
	}
	exit(0);
}

int main(int argc, char **argv)
{
	int lazy = argc > 1 && strcmp(argv[1], "-k") == 0;
	int fds[2];
	if (pipe(fds) < 0) {
		printf("memcount: pipe failed\n");
		exit(1);
	}
	int pid = fork();
	if (pid < 0) {
		printf("memcount: fork failed\n");
		exit(1);
	}
	if (pid == 0) {
		close(fds[0]);
		grow_until_failure(fds[1], lazy);
	}
	close(fds[1]);
	long n = 0;
	char buf[512];
	int cc;
	while ((cc = read(fds[0], buf, sizeof(buf))) > 0)
		n += cc;
	close(fds[0]);
	int status = 0;
	wait(&status);
	if (lazy && status == -1) { /* xv6: killed */
		printf("memcount: %ld pages, child killed\n", n);
		exit(0);
	}
	if (cc < 0 || status != 0) {
		printf("memcount: counting failed (read %d, child status %d)\n", cc, status);
		exit(1);
	}
	printf("memcount: %ld pages\n", n);
	exit(0);
}
