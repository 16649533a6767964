/*
 * fuzz6 SEED CALLS: the xv6-ABI worker of the native `fuzz` program
 * (user/bin/fuzz.c, which starts it and says what the run checks).
 * Makes CALLS random xv6 system calls with arguments from
 * user/fuzz/fuzzgen.h, writing one byte to descriptor 15 every 256 calls.
 * Kept within its own reach: kill targets only itself or a missing pid,
 * fork children leave at once, calls that create or remove names get
 * relative paths, descriptor 15 is not touched, a new pipe loses one end
 * at once.
 */
#include "types.h"
#include "user.h"
#include "fcntl.h"

#include "user/fuzz/fuzzgen.h"

#define PROGRESS_FD 15

#define _ FZ_NONE
static const struct fz_call xv6_calls[] = {
    {1, "fork", {_}},
    {2, "exit", {FZ_INT}},
    {3, "wait", {FZ_BUF}},
    {4, "pipe", {FZ_BUF}},
    {5, "read", {FZ_FD, FZ_BUF, FZ_LEN}},
    {6, "kill", {FZ_PID}},
    {7, "exec", {FZ_PATH, FZ_VEC}},
    {8, "fstat", {FZ_FD, FZ_BUF}},
    {9, "chdir", {FZ_PATH}},
    {10, "dup", {FZ_FD}},
    {11, "getpid", {_}},
    {12, "sbrk", {FZ_INT, FZ_INT}},
    {13, "pause", {FZ_INT}},
    {14, "uptime", {_}},
    {15, "open", {FZ_PATH, FZ_FLAGS}},
    {16, "write", {FZ_FD, FZ_BUF, FZ_LEN}},
    {17, "mknod", {FZ_PATH, FZ_INT, FZ_INT}},
    {18, "unlink", {FZ_PATH}},
    {19, "link", {FZ_PATH, FZ_PATH}},
    {20, "mkdir", {FZ_PATH}},
    {21, "close", {FZ_FD}},
    {0, "unknown", {FZ_INT}},
    {22, "unknown", {FZ_INT}},
    {1000, "unknown", {FZ_INT}},
    {-1, "unknown", {FZ_INT}},
};
#undef _

#define NCALLS (int)(sizeof(xv6_calls) / sizeof(xv6_calls[0]))

static long xv6_call(long nr, const uint64_t a[FZ_ARGS])
{
	register long a0 asm("a0") = (long)a[0];
	register long a1 asm("a1") = (long)a[1];
	register long a2 asm("a2") = (long)a[2];
	register long a3 asm("a3") = (long)a[3];
	register long a4 asm("a4") = (long)a[4];
	register long a5 asm("a5") = (long)a[5];
	register long a7 asm("a7") = nr;
	asm volatile("ecall"
	             : "+r"(a0)
	             : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
	             : "memory");
	return a0;
}

/* Percent of draws kept: calls that end or replace the worker are rarer. */
static int keep_percent(long nr)
{
	switch (nr) {
	case 2: /* exit */
		return 1;
	case 1: /* fork */
		return 5;
	case 7:  /* exec */
	case 12: /* sbrk */
		return 25;
	default:
		return 100;
	}
}

static void make_relative(uint64_t p, const char *arena)
{
	char *s = (char *)p;
	if (s >= arena && s < arena + FZ_ARENA / 2 && s[0] == '/')
		s[0] = 'r';
}

static void sanitize(struct fz *f, long nr, uint64_t a[FZ_ARGS], int self)
{
	switch (nr) {
	case 6:                                                  /* kill */
		a[0] = fz_chance(f, 2) ? (uint64_t)self : 99999; /* xv6 kill always kills */
		break;
	case 13: /* pause: a tick is long, mostly none */
		a[0] = fz_chance(f, 5) ? 1 : 0;
		break;
	case 12: /* sbrk: now and then anything, mostly steps that keep the arena */
		if (fz_chance(f, 98))
			a[0] = (uint64_t)(int64_t)((int)fz_below(f, 1 << 17) - (1 << 16));
		if ((int64_t)a[0] < 0 && (uint64)sbrk(0) + a[0] < (uint64)f->arena + FZ_ARENA)
			a[0] = 0;
		break;
	case 15: /* open */
		if (a[1] & (O_CREATE | O_TRUNC))
			make_relative(a[0], f->arena);
		break;
	case 17: /* mknod; not of the console (major 1): reads would wait for a key */
		if ((a[1] & 0xffff) == 1)
			a[1] = 2;
		make_relative(a[0], f->arena);
		break;
	case 18: /* unlink */
	case 20: /* mkdir */
		make_relative(a[0], f->arena);
		break;
	case 19: /* link */
		make_relative(a[1], f->arena);
		break;
	}
}

/* xv6 has no non-blocking descriptors: a pipe whose both ends this
 * process holds would hang its first read of an empty pipe, so one end
 * goes at once (reads then see end of file, writes fail). */
static void half_close_pipe(struct fz *f, uint64_t fds, const char *arena)
{
	if (fds < (uint64_t)arena || fds + 8 > (uint64_t)arena + FZ_ARENA)
		return;
	int *p = (int *)fds;
	close(p[fz_below(f, 2)]);
}

/* A page-aligned arena at the top of the heap: the page after it is not
 * mapped until the heap grows again. */
static char *heap_arena(void)
{
	uint64 top = (uint64)sbrk(0);
	uint64 pad = (4096 - (top & 4095)) & 4095;
	char *p = sbrk((int)(pad + FZ_ARENA));
	return p == SBRK_ERROR ? 0 : p + pad;
}

int main(int argc, char **argv)
{
	struct fz f;
	int self = getpid();
	if (argc < 3)
		exit(2);
	char *arena = heap_arena();
	if (!arena)
		exit(2);
	fz_init(&f, (uint64_t)atoi(argv[1]), arena);
	uint64_t budget = (uint64_t)atoi(argv[2]);
	for (uint64_t i = 1; i <= budget; i++) {
		const struct fz_call *c = &xv6_calls[fz_below(&f, NCALLS)];
		if (!fz_chance(&f, keep_percent(c->nr)))
			c = &xv6_calls[10]; /* getpid */
		uint64_t a[FZ_ARGS];
		fz_args(&f, c, a, PROGRESS_FD);
		sanitize(&f, c->nr, a, self);
		long r = xv6_call(c->nr, a);
		if (getpid() != self)
			exit(0); /* a fork child */
		if (c->nr == 1 && r > 0)
			wait(0); /* that child, which left at once */
		if (c->nr == 4 && r == 0)
			half_close_pipe(&f, a[0], arena);
		if (i % 256 == 0)
			write(PROGRESS_FD, "x", 1);
		if (i % 4096 == 0)
			fz_refresh(&f);
	}
	exit(0);
}
