/*
 * sync: writes every modified block of every mounted filesystem to disk.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	sync();
	return 0;
}
