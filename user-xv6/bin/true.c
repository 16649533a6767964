/*
 * true: exits with status 0 (the benchmark's trivial program to exec).
 */
#include "types.h"
#include "user.h"

int main(void)
{
	return 0;
}
