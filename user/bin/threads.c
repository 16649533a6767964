/*
 * threads: checks the native thread primitive.  N threads share one
 * address space and add to a shared counter with atomic operations; each
 * also keeps a private count on its own stack.  On -smp 2 and above they
 * run on several harts at once.  Prints "threads: ok" when the counter is
 * exact.
 */
#include <scarlet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#define STACK_SIZE (64 * 1024)

static volatile long counter;
static long per_thread;

static int worker(void *arg)
{
	long id = (long)arg;
	for (long i = 0; i < per_thread; i++)
		__atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
	return (int)id;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4;
	per_thread = argc > 2 ? atol(argv[2]) : 200000;
	if (n < 1 || n > 64) {
		fprintf(stderr, "threads: 1..64 threads\n");
		return 2;
	}
	char *stacks = malloc((size_t)n * STACK_SIZE);
	if (!stacks) {
		perror("threads: malloc");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		char *top = stacks + (i + 1) * STACK_SIZE;
		if (sc_thread_create(worker, (void *)i, top) < 0) {
			perror("threads: sc_thread_create");
			return 1;
		}
	}
	int bad = 0;
	for (int i = 0; i < n; i++) {
		int status;
		if (wait(&status) < 0 || !WIFEXITED(status))
			bad++;
	}
	long want = n * per_thread;
	if (bad || counter != want) {
		printf("threads: FAIL counter %ld, expected %ld, %d bad exits\n", counter, want,
		       bad);
		return 1;
	}
	printf("threads: ok (%d threads, counter %ld)\n", n, counter);
	return 0;
}
