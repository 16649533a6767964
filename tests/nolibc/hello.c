/*
 * A program with no libc at all (-nostdlib -static): its own _start, two
 * system calls (write, exit_group) made with ecall.  It has no note and
 * no TLS, so only its link address tells the executor it is a Linux
 * program (docs/executor.md).  Prints its first argument and exits with
 * the number of arguments after argv[0].
 */
#define SYS_write      64
#define SYS_exit_group 94

static long syscall3(long nr, long a, long b, long c)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a7 __asm__("a7") = nr;
	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
	return a0;
}

static unsigned long length(const char *s)
{
	unsigned long n = 0;
	while (s[n])
		n++;
	return n;
}

static void put(const char *s)
{
	syscall3(SYS_write, 1, (long)s, (long)length(s));
}

/* Called from _start with the initial stack: argc, argv[], NULL, envp... */
__attribute__((noreturn, used)) static void start_c(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	put("Hello from no libc: argv[1]=");
	put(argc > 1 ? argv[1] : "-");
	put("\n");
	/* exit_group does not return on Linux; a kernel that returns from it
	 * (one that took the program for another system's) gets it again,
	 * rather than have the program run past its end */
	for (;;)
		syscall3(SYS_exit_group, argc - 1, 0, 0);
}

__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "	mv a0, sp\n"
        "	andi sp, sp, -16\n"
        "	call start_c\n");
