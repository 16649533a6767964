/*
 * Internals shared by the files of the native libc: the raw system call
 * instruction and the POSIX convention of the wrappers (on failure set
 * errno and return -1).  Not installed for programs.
 */
#ifndef USER_LIB_LIBC_H
#define USER_LIB_LIBC_H
#include <errno.h>
#include <scarlet/syscall.h>

/* One native system call: number in a7, arguments in a0..a5. */
static inline long sc_call6(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r0 asm("a0") = a0;
	register long r1 asm("a1") = a1;
	register long r2 asm("a2") = a2;
	register long r3 asm("a3") = a3;
	register long r4 asm("a4") = a4;
	register long r5 asm("a5") = a5;
	register long r7 asm("a7") = n;
	asm volatile("ecall"
	             : "+r"(r0)
	             : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r7)
	             : "memory");
	return r0;
}

#define sc_call0(n)             sc_call6((n), 0, 0, 0, 0, 0, 0)
#define sc_call1(n, a)          sc_call6((n), (long)(a), 0, 0, 0, 0, 0)
#define sc_call2(n, a, b)       sc_call6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define sc_call3(n, a, b, c)    sc_call6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sc_call4(n, a, b, c, d) sc_call6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* True when a raw result is -ERRNO rather than a value. */
static inline int sc_failed(long r)
{
	return r < 0 && r >= -SCARLET_MAX_ERRNO;
}

/* Turns a raw result into the POSIX convention. */
static inline long sc_ret(long r)
{
	if (sc_failed(r)) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

#define SYSCALL0(n)             sc_ret(sc_call0(n))
#define SYSCALL1(n, a)          sc_ret(sc_call1((n), (a)))
#define SYSCALL2(n, a, b)       sc_ret(sc_call2((n), (a), (b)))
#define SYSCALL3(n, a, b, c)    sc_ret(sc_call3((n), (a), (b), (c)))
#define SYSCALL4(n, a, b, c, d) sc_ret(sc_call4((n), (a), (b), (c), (d)))

#endif
