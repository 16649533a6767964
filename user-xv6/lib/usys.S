/*
 * System-call stubs of the xv6 ABI: the call number in a7, arguments in
 * a0..a5, ecall; the result comes back in a0 (-1 on error).
 */
#define SYSCALL(name, number) \
	.globl name;          \
	.type name, @function; \
name:                         \
	li a7, number;        \
	ecall;                \
	ret;                  \
	.size name, . - name

	.text
SYSCALL(fork, 1)
SYSCALL(exit, 2)
SYSCALL(wait, 3)
SYSCALL(pipe, 4)
SYSCALL(read, 5)
SYSCALL(kill, 6)
SYSCALL(exec, 7)
SYSCALL(fstat, 8)
SYSCALL(chdir, 9)
SYSCALL(dup, 10)
SYSCALL(getpid, 11)
SYSCALL(sys_sbrk, 12)
SYSCALL(pause, 13)
SYSCALL(uptime, 14)
SYSCALL(open, 15)
SYSCALL(write, 16)
SYSCALL(mknod, 17)
SYSCALL(unlink, 18)
SYSCALL(link, 19)
SYSCALL(mkdir, 20)
SYSCALL(close, 21)
