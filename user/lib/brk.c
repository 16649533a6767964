/*
 * Program break.  SYS_brk(0) reports the break; SYS_brk(addr) moves it
 * and returns the new break, or the old one when it could not move.
 */
#include <stdint.h>
#include <unistd.h>
#include "libc.h"

static uintptr_t cur_brk;

int brk(void *addr)
{
	long r = sc_call1(SYS_brk, addr);

	if (sc_failed(r) || (uintptr_t)r != (uintptr_t)addr) {
		if (!sc_failed(r))
			cur_brk = (uintptr_t)r;
		errno = ENOMEM;
		return -1;
	}
	cur_brk = (uintptr_t)r;
	return 0;
}

void *sbrk(intptr_t inc)
{
	uintptr_t old;

	if (cur_brk == 0) {
		long r = sc_call1(SYS_brk, 0);
		if (sc_failed(r)) {
			errno = ENOMEM;
			return (void *)-1;
		}
		cur_brk = (uintptr_t)r;
	}
	old = cur_brk;
	if (inc == 0)
		return (void *)old;
	if (brk((void *)(old + inc)) < 0)
		return (void *)-1;
	return (void *)old;
}
