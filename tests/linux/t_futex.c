/*
 * t_futex: futex(2) through raw system calls, and robust lists.
 *
 * Every operation and error: FUTEX_WAIT/WAKE (EAGAIN on a changed word,
 * timeouts and their length, wake counts), WAIT_BITSET/WAKE_BITSET
 * (absolute timeouts on both clocks, bitset matching), REQUEUE and
 * CMP_REQUEUE (counts of woken and moved waiters, EAGAIN), WAKE_OP;
 * EINVAL, EFAULT, ENOSYS; signals (EINTR, SA_RESTART, restart blocks);
 * shared futexes across fork on MAP_SHARED anonymous memory and on a
 * shared file mapping; private waiters in tasks sharing the address
 * space; the clear-child-tid wake at exit; robust lists (owner died).
 *
 * Tasks sharing memory are made with raw clone: as threads when the
 * kernel allows CLONE_THREAD (qemu-user only allows CLONE_VM with it),
 * else as processes sharing the address space.  They run code that makes
 * raw system calls only (no errno, no TLS).
 *
 * To count sleepers without waking them, a CMP_REQUEUE of a word onto
 * itself (0 woken, every waiter "moved") returns how many wait there.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

#define STACK_SIZE (64 * 1024)
#define MS         1000000ull

/* A system call without errno: the result or -errno. */
static long rsys(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long x10 __asm__("a0") = a0;
	register long x11 __asm__("a1") = a1;
	register long x12 __asm__("a2") = a2;
	register long x13 __asm__("a3") = a3;
	register long x14 __asm__("a4") = a4;
	register long x15 __asm__("a5") = a5;
	register long x17 __asm__("a7") = n;
	__asm__ volatile("ecall"
	                 : "+r"(x10)
	                 : "r"(x11), "r"(x12), "r"(x13), "r"(x14), "r"(x15), "r"(x17)
	                 : "memory");
	return x10;
}

static long fx(void *uaddr, int op, uint32_t val, const void *ts, void *uaddr2, uint32_t val3)
{
	return rsys(SYS_futex, (long)uaddr, op, val, (long)ts, (long)uaddr2, val3);
}

static long fx_requeue(void *uaddr, int op, int nr_wake, long nr2, void *uaddr2, uint32_t val3)
{
	return rsys(SYS_futex, (long)uaddr, op, nr_wake, nr2, (long)uaddr2, val3);
}

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct timespec ts_of(uint64_t ns)
{
	return (struct timespec){.tv_sec = (time_t)(ns / 1000000000ull),
	                         .tv_nsec = (long)(ns % 1000000000ull)};
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = ts_of(ms * MS);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static uint32_t load(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void store(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

/* Waiters on word right now (see the top comment); -errno on error. */
static long waiters(uint32_t *word, int priv)
{
	return fx_requeue(word, FUTEX_CMP_REQUEUE | priv, 0, INT_MAX, word, load(word));
}

/* Polls until n tasks wait on word (10 s at most). */
static int await_waiters(uint32_t *word, int priv, long n)
{
	for (int i = 0; i < 10000; i++) {
		if (waiters(word, priv) == n)
			return 1;
		sleep_ms(1);
	}
	return 0;
}

/* ---------------------------------------------------------------- tasks sharing memory */

struct worker {
	uint32_t tid_word; /* set by PARENT_SETTID, cleared and woken at exit */
	pid_t tid;
	int process; /* made as a process sharing the address space */
	char *stack;
};

static int use_processes = -1; /* -1: not probed yet */

static int spawn(struct worker *w, int (*fn)(void *), void *arg)
{
	const int common =
	    CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
	w->stack =
	    mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w->stack == MAP_FAILED)
		return -1;
	w->tid = -1;
	if (use_processes != 1) {
		w->tid = clone(fn, w->stack + STACK_SIZE,
		               common | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM, arg,
		               &w->tid_word, NULL, &w->tid_word);
		if (w->tid > 0)
			use_processes = 0;
		else if (errno == EINVAL && use_processes == -1)
			use_processes = 1;
	}
	if (use_processes == 1)
		w->tid = clone(fn, w->stack + STACK_SIZE, common | SIGCHLD, arg, &w->tid_word, NULL,
		               &w->tid_word);
	w->process = use_processes == 1;
	return w->tid > 0 ? 0 : -1;
}

/* Waits for w's end through its clear-child-tid word; 1 when it came
 * within 20 s. */
static int join(struct worker *w)
{
	uint64_t t0 = now_ns(CLOCK_MONOTONIC);
	struct timespec second = ts_of(1000 * MS);
	int ok = 1;
	uint32_t v;
	while ((v = load(&w->tid_word)) != 0) {
		fx(&w->tid_word, FUTEX_WAIT, v, &second, NULL, 0);
		if (now_ns(CLOCK_MONOTONIC) - t0 > 20000 * MS) {
			ok = 0;
			break;
		}
	}
	if (w->process)
		waitpid(w->tid, NULL, __WALL);
	munmap(w->stack, STACK_SIZE);
	return ok;
}

struct wait_arg {
	uint32_t *word;
	int op;
	uint32_t val, bitset;
	struct timespec ts; /* 10 s: relative for FUTEX_WAIT, else absolute */
	long result;
	uint32_t done;
};

static int waiter(void *p)
{
	struct wait_arg *a = p;
	a->result = fx(a->word, a->op, a->val, &a->ts, NULL, a->bitset);
	store(&a->done, 1);
	return 0;
}

static void wait_arg_init(struct wait_arg *a, uint32_t *word, int op, uint32_t bitset)
{
	*a = (struct wait_arg){.word = word, .op = op, .val = load(word), .bitset = bitset};
	uint64_t limit = 10000 * MS;
	if ((op & FUTEX_CMD_MASK) == FUTEX_WAIT_BITSET)
		limit += now_ns((op & FUTEX_CLOCK_REALTIME) ? CLOCK_REALTIME : CLOCK_MONOTONIC);
	a->ts = ts_of(limit);
	a->result = 1; /* not returned yet */
}

static int count_done(struct wait_arg *a, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		k += load(&a[i].done) != 0;
	return k;
}

/* Polls until n of the waiters have returned (10 s at most). */
static int await_done(struct wait_arg *a, int n, int want)
{
	for (int i = 0; i < 10000 && count_done(a, n) < want; i++)
		sleep_ms(1);
	return count_done(a, n) == want;
}

/* ---------------------------------------------------------------- errors */

static uint32_t word_a, word_b;

static void test_errors(void)
{
	struct timespec z = {0, 0}, bad = {0, 1000000000}, neg = {-1, 0};
	void *unmapped = (void *)0x1000;
	word_a = 5;
	CHECK_EQ(fx(&word_a, FUTEX_WAIT, 6, NULL, NULL, 0), -EAGAIN);
	CHECK_EQ(fx(&word_a, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0), -EAGAIN);
	CHECK_EQ(fx((char *)&word_a + 1, FUTEX_WAIT, 5, NULL, NULL, 0), -EINVAL);
	CHECK_EQ(fx((char *)&word_a + 2, FUTEX_WAKE, 1, NULL, NULL, 0), -EINVAL);
	CHECK_EQ(fx(&word_a, FUTEX_WAIT_BITSET, 5, &z, NULL, 0), -EINVAL);
	CHECK_EQ(fx(&word_a, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), -EINVAL);
	CHECK_EQ(fx(&word_a, FUTEX_WAIT, 5, &bad, NULL, 0), -EINVAL);
	CHECK_EQ(fx(&word_a, FUTEX_WAIT, 6, &neg, NULL, 0), -EINVAL); /* before the value */
	CHECK_EQ(fx(&word_a, FUTEX_WAIT, 5, unmapped, NULL, 0), -EFAULT);
	CHECK_EQ(fx(unmapped, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), -EFAULT);
	CHECK_EQ(fx(unmapped, FUTEX_WAIT, 0, NULL, NULL, 0), -EFAULT);
	CHECK_EQ(fx(unmapped, FUTEX_WAKE, 1, NULL, NULL, 0), -EFAULT);
	CHECK_EQ(fx(unmapped, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0); /* no memory touched */
	CHECK_EQ(fx(&word_a, FUTEX_WAKE, 1, NULL, NULL, 0), 0);
	CHECK_EQ(fx(&word_a, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), -ENOSYS);
	CHECK_EQ(fx(&word_a, 99, 0, NULL, NULL, 0), -ENOSYS);
	CHECK_EQ(fx_requeue(&word_a, FUTEX_REQUEUE, -1, 1, &word_b, 0), -EINVAL);
	CHECK_EQ(fx_requeue(&word_a, FUTEX_REQUEUE, 1, -1, &word_b, 0), -EINVAL);
	CHECK_EQ(fx_requeue(&word_a, FUTEX_CMP_REQUEUE, 1, 1, &word_b, 4), -EAGAIN);
	CHECK_EQ(fx_requeue(&word_a, FUTEX_CMP_REQUEUE, 1, 1, &word_b, 5), 0);
	CHECK_EQ(fx_requeue(&word_a, FUTEX_CMP_REQUEUE, 1, 1, unmapped, 5), -EFAULT);
	CHECK_EQ(fx_requeue(&word_a, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &word_b, 4), -EAGAIN);

	/* a read-only word can be waited on, not changed by WAKE_OP */
	static const uint32_t ro = 7;
	CHECK_EQ(fx((void *)&ro, FUTEX_WAIT, 8, NULL, NULL, 0), -EAGAIN);
	CHECK_EQ(fx_requeue(&word_a, FUTEX_WAKE_OP, 1, 1, (void *)&ro,
	                    FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0)),
	         -EFAULT);
	CHECK_EQ(ro, 7);
}

/* ---------------------------------------------------------------- timeouts */

static void check_timeout(const char *what, int op, const struct timespec *ts)
{
	uint64_t t0 = now_ns(CLOCK_MONOTONIC);
	long r = fx(&word_a, op, load(&word_a), ts, NULL, FUTEX_BITSET_MATCH_ANY);
	uint64_t took = now_ns(CLOCK_MONOTONIC) - t0;
	if (r != -ETIMEDOUT || took < 45 * MS || took > 3000 * MS)
		printf("  %s: %ld after %llu ms\n", what, r, (unsigned long long)(took / MS));
	CHECK_EQ(r, -ETIMEDOUT);
	CHECK(took >= 45 * MS);
	CHECK(took < 3000 * MS);
}

static void test_timeouts(void)
{
	word_a = 1;
	struct timespec rel = ts_of(50 * MS);
	check_timeout("FUTEX_WAIT 50 ms", FUTEX_WAIT, &rel);
	check_timeout("FUTEX_WAIT_PRIVATE 50 ms", FUTEX_WAIT_PRIVATE, &rel);
	struct timespec mono = ts_of(now_ns(CLOCK_MONOTONIC) + 50 * MS);
	check_timeout("WAIT_BITSET monotonic +50 ms", FUTEX_WAIT_BITSET, &mono);
	struct timespec wall = ts_of(now_ns(CLOCK_REALTIME) + 50 * MS);
	check_timeout("WAIT_BITSET realtime +50 ms", FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME,
	              &wall);

	/* no time: the value is still checked first */
	struct timespec z = {0, 0};
	CHECK_EQ(fx(&word_a, FUTEX_WAIT, 1, &z, NULL, 0), -ETIMEDOUT);
	CHECK_EQ(fx(&word_a, FUTEX_WAIT, 2, &z, NULL, 0), -EAGAIN);
	CHECK_EQ(fx(&word_a, FUTEX_WAIT_BITSET, 1, &z, NULL, FUTEX_BITSET_MATCH_ANY), -ETIMEDOUT);
	struct timespec past = ts_of(now_ns(CLOCK_REALTIME) - 1000 * MS);
	CHECK_EQ(fx(&word_a, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 1, &past, NULL, ~0u),
	         -ETIMEDOUT);
	CHECK_EQ(fx(&word_a, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 1, &rel, NULL, 0), -ENOSYS);
}

/* ---------------------------------------------------------------- wake counts, requeue */

#define NW 5

static void test_wake_counts(int priv)
{
	struct worker w[NW];
	struct wait_arg a[NW];
	int made = 0;
	word_a = 0;
	for (int i = 0; i < NW; i++) {
		wait_arg_init(&a[i], &word_a, FUTEX_WAIT | priv, 0);
		made += spawn(&w[i], waiter, &a[i]) == 0;
	}
	CHECK_EQ(made, NW);
	CHECK(await_waiters(&word_a, priv, NW));
	CHECK_EQ(fx(&word_a, FUTEX_WAKE | priv, 2, NULL, NULL, 0), 2);
	CHECK(await_done(a, NW, 2));
	CHECK_EQ(waiters(&word_a, priv), NW - 2);
	/* the other kind of key does not reach these waiters */
	CHECK_EQ(fx(&word_a, FUTEX_WAKE | (priv ^ FUTEX_PRIVATE_FLAG), INT_MAX, NULL, NULL, 0), 0);
	CHECK_EQ(fx(&word_a, FUTEX_WAKE | priv, INT_MAX, NULL, NULL, 0), NW - 2);
	CHECK(await_done(a, NW, NW));
	int joined = 0, zero = 0;
	for (int i = 0; i < NW; i++) {
		joined += join(&w[i]);
		zero += a[i].result == 0;
	}
	CHECK_EQ(joined, NW);
	CHECK_EQ(zero, NW);
}

static void test_requeue(int priv)
{
	struct worker w[NW];
	struct wait_arg a[NW];
	word_a = 3;
	word_b = 9;
	for (int i = 0; i < NW; i++) {
		wait_arg_init(&a[i], &word_a, FUTEX_WAIT | priv, 0);
		spawn(&w[i], waiter, &a[i]);
	}
	CHECK(await_waiters(&word_a, priv, NW));
	/* CMP_REQUEUE with a stale value moves nobody */
	CHECK_EQ(fx_requeue(&word_a, FUTEX_CMP_REQUEUE | priv, 1, 2, &word_b, 2), -EAGAIN);
	CHECK_EQ(waiters(&word_a, priv), NW);
	/* wake 1, move 2: 3 in all */
	CHECK_EQ(fx_requeue(&word_a, FUTEX_CMP_REQUEUE | priv, 1, 2, &word_b, 3), 3);
	CHECK(await_done(a, NW, 1));
	CHECK_EQ(waiters(&word_a, priv), NW - 3);
	CHECK_EQ(waiters(&word_b, priv), 2);
	/* plain REQUEUE: wake none, move the rest */
	CHECK_EQ(fx_requeue(&word_a, FUTEX_REQUEUE | priv, 0, INT_MAX, &word_b, 0), NW - 3);
	CHECK_EQ(waiters(&word_a, priv), 0);
	CHECK_EQ(waiters(&word_b, priv), NW - 1);
	CHECK_EQ(count_done(a, NW), 1);
	/* a wake on the first word finds nobody; the moved ones wake on the second */
	CHECK_EQ(fx(&word_a, FUTEX_WAKE | priv, INT_MAX, NULL, NULL, 0), 0);
	CHECK_EQ(fx(&word_b, FUTEX_WAKE | priv, INT_MAX, NULL, NULL, 0), NW - 1);
	CHECK(await_done(a, NW, NW));
	int zero = 0;
	for (int i = 0; i < NW; i++) {
		join(&w[i]);
		zero += a[i].result == 0;
	}
	CHECK_EQ(zero, NW);
}

static void test_bitset(void)
{
	struct worker w[3];
	struct wait_arg a[3];
	const uint32_t sets[3] = {0x1, 0x2, 0x6};
	word_a = 0;
	for (int i = 0; i < 3; i++) {
		wait_arg_init(&a[i], &word_a, FUTEX_WAIT_BITSET_PRIVATE, sets[i]);
		spawn(&w[i], waiter, &a[i]);
	}
	CHECK(await_waiters(&word_a, FUTEX_PRIVATE_FLAG, 3));
	CHECK_EQ(fx(&word_a, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 0x8), 0);
	CHECK_EQ(fx(&word_a, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 0x4), 1);
	CHECK(await_done(a, 3, 1));
	CHECK(load(&a[2].done) && !load(&a[0].done) && !load(&a[1].done));
	CHECK_EQ(fx(&word_a, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 0x1), 1);
	CHECK(await_done(a, 3, 2));
	CHECK(load(&a[0].done) && !load(&a[1].done));
	/* plain FUTEX_WAKE matches every bitset */
	CHECK_EQ(fx(&word_a, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0), 1);
	CHECK(await_done(a, 3, 3));
	for (int i = 0; i < 3; i++) {
		join(&w[i]);
		CHECK_EQ(a[i].result, 0);
	}
	/* a waiter with a realtime absolute deadline wakes as the others */
	wait_arg_init(&a[0], &word_a, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, ~0u);
	spawn(&w[0], waiter, &a[0]);
	CHECK(await_waiters(&word_a, FUTEX_PRIVATE_FLAG, 1));
	CHECK_EQ(fx(&word_a, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 1);
	join(&w[0]);
	CHECK_EQ(a[0].result, 0);
}

static void test_wake_op(void)
{
	struct worker w[4];
	struct wait_arg a[4];
	word_a = 0;
	word_b = 10;
	for (int i = 0; i < 4; i++) {
		wait_arg_init(&a[i], i < 2 ? &word_a : &word_b, FUTEX_WAIT_PRIVATE, 0);
		spawn(&w[i], waiter, &a[i]);
	}
	CHECK(await_waiters(&word_a, FUTEX_PRIVATE_FLAG, 2));
	CHECK(await_waiters(&word_b, FUTEX_PRIVATE_FLAG, 2));
	/* b += 5 (old 10): the test "old == 11" fails, only a's first waiter wakes */
	CHECK_EQ(fx_requeue(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word_b,
	                    FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_EQ, 11)),
	         1);
	CHECK_EQ(word_b, 15);
	/* b |= 1<<4 (old 15 < 16): passes, one of each wakes */
	CHECK_EQ(fx_requeue(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word_b,
	                    FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 4, FUTEX_OP_CMP_LT, 16)),
	         2);
	CHECK_EQ(word_b, 31);
	/* b = ~b & ~2 (ANDN), then SET, XOR; the last wakes the remaining one */
	CHECK_EQ(fx_requeue(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word_b,
	                    FUTEX_OP(FUTEX_OP_ANDN, 2, FUTEX_OP_CMP_GT, 100)),
	         0);
	CHECK_EQ(word_b, 29);
	CHECK_EQ(fx_requeue(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word_b,
	                    FUTEX_OP(FUTEX_OP_XOR, 1, FUTEX_OP_CMP_NE, 29)),
	         0);
	CHECK_EQ(word_b, 28);
	CHECK_EQ(fx_requeue(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word_b,
	                    FUTEX_OP(FUTEX_OP_SET, -1, FUTEX_OP_CMP_GE, 28)),
	         1);
	CHECK_EQ(word_b, 0xffffffffu); /* oparg is sign-extended */
	CHECK(await_done(a, 4, 4));
	/* unknown operation: ENOSYS, the word untouched; unknown test: ENOSYS after the op */
	CHECK_EQ(fx_requeue(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word_b,
	                    FUTEX_OP(6, 1, FUTEX_OP_CMP_EQ, 0)),
	         -ENOSYS);
	CHECK_EQ(word_b, 0xffffffffu);
	CHECK_EQ(fx_requeue(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word_b,
	                    FUTEX_OP(FUTEX_OP_SET, 3, 7, 0)),
	         -ENOSYS);
	CHECK_EQ(word_b, 3);
	for (int i = 0; i < 4; i++) {
		join(&w[i]);
		CHECK_EQ(a[i].result, 0);
	}
}

/* ---------------------------------------------------------------- across processes */

/* The child waits on word (shared futex) and exits 0 when woken. */
static pid_t fork_waiter(uint32_t *word, uint32_t val)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec ts = ts_of(10000 * MS);
		long r = fx(word, FUTEX_WAIT, val, &ts, NULL, 0);
		_exit(r == 0 ? 0 : 10 + (int)-r % 100);
	}
	return pid;
}

static int exit_code(pid_t pid)
{
	int st = -1;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 200;
}

static void test_shared_anon(void)
{
	uint32_t *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	if (m == MAP_FAILED)
		return;
	uint32_t *word = m + 1024 + 3; /* second page */
	*word = 42;
	pid_t pid = fork_waiter(word, 42);
	CHECK(await_waiters(word, 0, 1));
	/* another address space: a private wake does not reach it */
	CHECK_EQ(fx(word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
	CHECK_EQ(fx(word, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	CHECK_EQ(exit_code(pid), 0);
	munmap(m, 8192);

	/* a private anonymous page is copied at fork: the keys differ */
	uint32_t *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*p = 1;
	pid = fork();
	if (pid == 0) {
		struct timespec ts = ts_of(300 * MS);
		_exit(fx(p, FUTEX_WAIT, 1, &ts, NULL, 0) == -ETIMEDOUT ? 0 : 1);
	}
	sleep_ms(50);
	CHECK_EQ(fx(p, FUTEX_WAKE, 1, NULL, NULL, 0), 0);
	CHECK_EQ(exit_code(pid), 0);
	munmap(p, 4096);
}

static void test_shared_file(void)
{
	int fd = open("futex.map", O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_EQ(ftruncate(fd, 3 * 4096), 0);
	uint32_t *mine = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
	CHECK(mine != MAP_FAILED);
	mine[5] = 77;
	pid_t pid = fork();
	if (pid == 0) {
		/* the child maps the same page again, at another address */
		char *theirs = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		struct timespec ts = ts_of(10000 * MS);
		uint32_t *w = (uint32_t *)(theirs + 4096) + 5;
		if (theirs == MAP_FAILED || w == mine + 5)
			_exit(3);
		_exit(fx(w, FUTEX_WAIT, 77, &ts, NULL, 0) == 0 ? 0 : 1);
	}
	CHECK(await_waiters(mine + 5, 0, 1));
	CHECK_EQ(fx(mine + 4, FUTEX_WAKE, 1, NULL, NULL, 0), 0); /* another word */
	CHECK_EQ(fx(mine + 5, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	CHECK_EQ(exit_code(pid), 0);
	munmap(mine, 4096);
	close(fd);
	unlink("futex.map");
}

/* ---------------------------------------------------------------- signals */

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

/* A child that signals us after 100 ms, then (if wake) sets *word = 1 and
 * wakes it 100 ms later. */
static pid_t signal_later(uint32_t *word, int wake)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(100);
		kill(parent, SIGUSR1);
		if (wake) {
			sleep_ms(100);
			store(word, 1);
			fx(word, FUTEX_WAKE, 1, NULL, NULL, 0);
		}
		_exit(0);
	}
	return pid;
}

static void set_handler(int flags)
{
	struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = flags};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

static void test_signals(void)
{
	uint32_t *word =
	    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct timespec ten = ts_of(10000 * MS);

	/* no SA_RESTART: EINTR */
	set_handler(0);
	handled = 0;
	*word = 0;
	pid_t pid = signal_later(word, 0);
	CHECK_EQ(fx(word, FUTEX_WAIT, 0, NULL, NULL, 0), -EINTR);
	CHECK_EQ(handled, 1);
	exit_code(pid);

	/* SA_RESTART, no timeout: restarted, then woken */
	set_handler(SA_RESTART);
	handled = 0;
	*word = 0;
	pid = signal_later(word, 1);
	CHECK_EQ(fx(word, FUTEX_WAIT, 0, NULL, NULL, 0), 0);
	CHECK_EQ(handled, 1);
	CHECK_EQ(*word, 1);
	exit_code(pid);

	/* SA_RESTART with a timeout: EINTR all the same (a restart block) */
	handled = 0;
	*word = 0;
	pid = signal_later(word, 0);
	CHECK_EQ(fx(word, FUTEX_WAIT, 0, &ten, NULL, 0), -EINTR);
	CHECK_EQ(handled, 1);
	exit_code(pid);
	signal(SIGUSR1, SIG_DFL);
	munmap(word, 4096);
}

/* ---------------------------------------------------------------- exit: clear-child-tid, robust */

static uint32_t go;

static int exit_later(void *arg)
{
	(void)arg;
	struct timespec ts = ts_of(200 * MS);
	while (!load(&go))
		rsys(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
	rsys(SYS_nanosleep, (long)&ts, 0, 0, 0, 0, 0);
	return 0;
}

static void test_cleartid(void)
{
	struct worker w;
	go = 0;
	CHECK_EQ(spawn(&w, exit_later, NULL), 0);
	CHECK_EQ(w.tid_word, w.tid); /* CLONE_PARENT_SETTID */
	struct timespec ts = ts_of(10000 * MS);
	uint64_t t0 = now_ns(CLOCK_MONOTONIC);
	store(&go, 1);
	long r = fx(&w.tid_word, FUTEX_WAIT, (uint32_t)w.tid, &ts, NULL, 0);
	uint64_t took = now_ns(CLOCK_MONOTONIC) - t0;
	/* woken by the exit (EAGAIN only if we came too late to sleep) */
	CHECK(r == 0 || (r == -EAGAIN && load(&w.tid_word) == 0));
	CHECK(took < 5000 * MS);
	CHECK_EQ(load(&w.tid_word), 0);
	CHECK(join(&w));
}

struct robust_entry {
	struct robust_entry *next;
	uint32_t lock;
	uint32_t pad;
};

struct robust_page {
	struct {
		struct robust_entry *next;
		long futex_offset;
		struct robust_entry *pending;
	} head;
	struct robust_entry e[4];
	uint32_t ready;
};

/* In a child: holds e[0] (with waiters) and e[1], lists e[2] held by
 * someone else and e[3] free but pending; exits when told. */
static void robust_child(struct robust_page *rp)
{
	uint32_t tid = (uint32_t)rsys(SYS_gettid, 0, 0, 0, 0, 0, 0);
	rp->head.next = &rp->e[0];
	rp->e[0].next = &rp->e[1];
	rp->e[1].next = &rp->e[2];
	rp->e[2].next = (struct robust_entry *)&rp->head;
	rp->head.futex_offset = offsetof(struct robust_entry, lock);
	rp->head.pending = &rp->e[3];
	rp->e[0].lock = tid | FUTEX_WAITERS;
	rp->e[1].lock = tid;
	rp->e[2].lock = (tid + 1) & FUTEX_TID_MASK;
	rp->e[3].lock = 0;
	if (rsys(SYS_set_robust_list, (long)&rp->head, sizeof(rp->head), 0, 0, 0, 0) != 0)
		_exit(1);
	store(&rp->ready, 1);
	while (load(&rp->ready) != 2)
		rsys(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
	sleep_ms(200);
	_exit(0);
}

static void test_robust_list(void)
{
	long head = 0, glibc_head = 0;
	size_t len = 0;
	struct robust_page *rp =
	    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	rsys(SYS_get_robust_list, 0, (long)&glibc_head, (long)&len, 0, 0, 0);
	long r = rsys(SYS_set_robust_list, (long)&rp->head, sizeof(rp->head), 0, 0, 0, 0);
	if (r == -ENOSYS) {
		SKIP("set_robust_list: ENOSYS (qemu-user does not implement robust lists)");
		munmap(rp, 4096);
		return;
	}
	CHECK_EQ(r, 0);
	CHECK_EQ(syscall(SYS_get_robust_list, 0, &head, &len), 0);
	CHECK_EQ(head, (long)&rp->head);
	CHECK_EQ(len, sizeof(rp->head));
	CHECK_ERR(syscall(SYS_set_robust_list, &rp->head, 23), EINVAL);
	CHECK_ERR(syscall(SYS_get_robust_list, 0, NULL, &len), EFAULT);
	CHECK_ERR(syscall(SYS_get_robust_list, INT_MAX, &head, &len), ESRCH);
	/* give glibc its own list back (robust mutexes below need it) */
	CHECK_EQ(syscall(SYS_set_robust_list, glibc_head, sizeof(rp->head)), 0);

	pid_t pid = fork();
	if (pid == 0)
		robust_child(rp);
	for (int i = 0; i < 10000 && !load(&rp->ready); i++)
		sleep_ms(1);
	CHECK_EQ(syscall(SYS_get_robust_list, pid, &head, &len), 0);
	CHECK_EQ(head, (long)&rp->head);
	uint32_t held = rp->e[0].lock;
	struct timespec ts = ts_of(10000 * MS);
	store(&rp->ready, 2);
	r = fx(&rp->e[0].lock, FUTEX_WAIT, held, &ts, NULL, 0);
	CHECK(r == 0 || r == -EAGAIN);
	CHECK_EQ(exit_code(pid), 0);
	CHECK_EQ(rp->e[0].lock, FUTEX_WAITERS | FUTEX_OWNER_DIED);
	CHECK_EQ(rp->e[1].lock, FUTEX_OWNER_DIED);
	CHECK_EQ(rp->e[2].lock, (held + 1) & FUTEX_TID_MASK);
	CHECK_EQ(rp->e[3].lock, 0);
	munmap(rp, 4096);
}

/* A robust, process-shared mutex whose owner dies: EOWNERDEAD. */
static void test_robust_mutex(void)
{
	pthread_mutex_t *m =
	    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t at;
	pthread_mutexattr_init(&at);
	pthread_mutexattr_setpshared(&at, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST);
	int r = pthread_mutex_init(m, &at);
	if (r == ENOTSUP) {
		SKIP("robust mutexes: ENOTSUP (no robust list under qemu-user)");
		return;
	}
	CHECK_EQ(r, 0);
	pid_t pid = fork();
	if (pid == 0) {
		pthread_mutex_lock(m);
		sleep_ms(200);
		_exit(0); /* dies holding it */
	}
	sleep_ms(50);
	CHECK_EQ(pthread_mutex_lock(m), EOWNERDEAD); /* sleeps until the owner is gone */
	CHECK_EQ(pthread_mutex_consistent(m), 0);
	CHECK_EQ(pthread_mutex_unlock(m), 0);
	CHECK_EQ(pthread_mutex_lock(m), 0);
	CHECK_EQ(pthread_mutex_unlock(m), 0);
	CHECK_EQ(exit_code(pid), 0);
	munmap(m, 4096);
}

/* ---------------------------------------------------------------- stress */

struct lock_arg {
	uint32_t *lock;
	long *counter;
	int rounds;
};

/* Drepper's mutex: 0 free, 1 locked, 2 locked with waiters. */
static void mutex_lock(uint32_t *m)
{
	uint32_t c = 0;
	if (__atomic_compare_exchange_n(m, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(m, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		fx(m, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
		c = __atomic_exchange_n(m, 2, __ATOMIC_ACQUIRE);
	}
}

static void mutex_unlock(uint32_t *m)
{
	if (__atomic_exchange_n(m, 0, __ATOMIC_RELEASE) == 2)
		fx(m, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static int locker(void *p)
{
	struct lock_arg *a = p;
	for (int i = 0; i < a->rounds; i++) {
		mutex_lock(a->lock);
		long v = *a->counter;
		if ((i & 15) == 0)
			rsys(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
		*a->counter = v + 1;
		mutex_unlock(a->lock);
	}
	return 0;
}

/* Ping-pong between two tasks: each round needs a wake-up to go through. */
struct pingpong {
	uint32_t turn;
	int rounds;
	uint32_t timeouts;
};

static void pingpong_side(struct pingpong *pp, uint32_t me, uint32_t other)
{
	struct timespec ts = ts_of(2000 * MS);
	for (int i = 0; i < pp->rounds; i++) {
		uint32_t v;
		while ((v = load(&pp->turn)) != me) {
			if (fx(&pp->turn, FUTEX_WAIT_PRIVATE, v, &ts, NULL, 0) == -ETIMEDOUT)
				__atomic_add_fetch(&pp->timeouts, 1, __ATOMIC_SEQ_CST);
		}
		store(&pp->turn, other);
		fx(&pp->turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
}

static int pong(void *p)
{
	pingpong_side(p, 2, 1);
	return 0;
}

static void test_stress(void)
{
	enum { LOCKERS = 4, ROUNDS = 2000 };
	static uint32_t lock;
	static long counter;
	struct worker w[LOCKERS];
	struct lock_arg a = {.lock = &lock, .counter = &counter, .rounds = ROUNDS};
	for (int i = 0; i < LOCKERS; i++)
		spawn(&w[i], locker, &a);
	locker(&a);
	int joined = 0;
	for (int i = 0; i < LOCKERS; i++)
		joined += join(&w[i]);
	CHECK_EQ(joined, LOCKERS);
	CHECK_EQ(counter, (LOCKERS + 1) * ROUNDS);

	static struct pingpong pp = {.turn = 1, .rounds = 2000};
	struct worker pw;
	CHECK_EQ(spawn(&pw, pong, &pp), 0);
	pingpong_side(&pp, 1, 2);
	CHECK(join(&pw));
	CHECK_EQ(pp.timeouts, 0);
}

int main(void)
{
	test_errors();
	test_timeouts();
	test_wake_counts(0);
	test_wake_counts(FUTEX_PRIVATE_FLAG);
	test_requeue(0);
	test_requeue(FUTEX_PRIVATE_FLAG);
	test_bitset();
	test_wake_op();
	test_shared_anon();
	test_shared_file();
	test_signals();
	test_cleartid();
	test_robust_list();
	test_robust_mutex();
	test_stress();
	printf("tasks sharing memory: %s\n", use_processes == 1 ? "processes" : "threads");
	return ltest_done("futex");
}
