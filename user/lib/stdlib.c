/* Small stdlib arithmetic: abs, labs and a linear congruential rand. */
#include <stdlib.h>

static unsigned long rand_state = 1;

int abs(int x)
{
	return x < 0 ? -x : x;
}

long labs(long x)
{
	return x < 0 ? -x : x;
}

/* Returns 0..32767, as the C standard's example generator does. */
int rand(void)
{
	rand_state = rand_state * 1103515245 + 12345;
	return (int)((rand_state / 65536) % 32768);
}

void srand(unsigned seed)
{
	rand_state = seed;
}
