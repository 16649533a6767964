/*
 * Thread groups: threads made with raw clone(CLONE_THREAD...) as glibc's
 * pthread_create makes them, waited for by polling shared memory (no
 * futexes needed): ids, thread exit, exit_group, signals to a thread and
 * to the process, fatal signals, group stop and continue, exec from a
 * thread, affinity, two threads running at once, TLB consistency across
 * harts, and clone's flag rules.
 *
 * Threads share the creator's TLS (CLONE_SETTLS with its own tp), so
 * they only use raw system calls and plain memory.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

#define THREAD_FLAGS                                                                               \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |        \
	 CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)
#define STACK_SIZE (64 * 1024)

extern char **environ;
static char self[4096];

struct thread {
	volatile pid_t tid; /* set by the kernel, zeroed when the thread ends */
	pid_t created;      /* clone's return value */
	char *stack;
};

static long raw_gettid(void)
{
	return syscall(SYS_gettid);
}

/* getcpu without glibc's per-thread caches (threads here share TLS). */
static long raw_getcpu(void)
{
	unsigned cpu = 0;
	return syscall(SYS_getcpu, &cpu, NULL, NULL) == 0 ? (long)cpu : -1;
}

static void *tp_value(void)
{
	void *tp;
	__asm__ volatile("mv %0, tp" : "=r"(tp));
	return tp;
}

/* Starts fn(arg) in a new thread of this process; returns its tid. */
static pid_t thread_start(struct thread *t, int (*fn)(void *), void *arg)
{
	t->stack =
	    mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->stack == MAP_FAILED)
		return -1;
	t->created =
	    clone(fn, t->stack + STACK_SIZE, THREAD_FLAGS, arg, &t->tid, tp_value(), &t->tid);
	return t->created;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Waits (polling) for the thread to end; false after ms milliseconds. */
static int thread_join(struct thread *t, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	while (t->tid != 0) {
		if (now_ms() > end)
			return 0;
		sched_yield();
	}
	munmap(t->stack, STACK_SIZE);
	return 1;
}

/* Spins until *flag becomes non-zero or ms pass; returns the flag. */
static long wait_flag(volatile long *flag, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	while (!*flag && now_ms() <= end)
		sched_yield();
	return *flag;
}

/* A joined thread's tid is freed a little after its clear-child-tid word
 * is zeroed (on Linux too: the word is cleared before the task is
 * released), so its tid goes away within a short while, not at once. */
static int tid_gone(pid_t tid, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	while (syscall(SYS_tgkill, getpid(), tid, 0) == 0 && now_ms() <= end)
		sched_yield();
	return syscall(SYS_tgkill, getpid(), tid, 0) < 0 && errno == ESRCH;
}

static void nap_ms(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	syscall(SYS_nanosleep, &ts, NULL);
}

/* ---------------------------------------------------------------- ids */

static volatile long seen_pid, seen_tid, seen_ppid;

static int ids_thread(void *arg)
{
	(void)arg;
	seen_pid = syscall(SYS_getpid);
	seen_ppid = syscall(SYS_getppid);
	seen_tid = raw_gettid();
	return 0;
}

static void test_ids(void)
{
	struct thread t;
	seen_tid = 0;
	pid_t tid = thread_start(&t, ids_thread, NULL);
	CHECK(tid > 0);
	if (tid <= 0)
		return;
	CHECK(thread_join(&t, 5000));
	CHECK_EQ(seen_pid, getpid());
	CHECK_EQ(seen_ppid, getppid());
	CHECK_EQ(seen_tid, tid);
	CHECK(tid != getpid());
	CHECK_EQ(raw_gettid(), getpid());
	CHECK_EQ(syscall(SYS_set_tid_address, NULL), getpid());
}

/* ------------------------------------------- thread exit and /proc */

static volatile long counter, stop_counting;

static int counting_thread(void *arg)
{
	(void)arg;
	while (!stop_counting)
		counter++;
	return 0;
}

static int quick_exit_thread(void *arg)
{
	(void)arg;
	syscall(SYS_exit, 9);
	return 0;
}

static long status_field(pid_t pid, const char *name)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long v = -1;
	size_t n = strlen(name);
	while (fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, name, n) && buf[n] == ':')
			v = atol(buf + n + 1);
	fclose(f);
	return v;
}

static void test_thread_exit(void)
{
	struct thread a, b;
	counter = stop_counting = 0;
	pid_t tb = thread_start(&b, counting_thread, NULL);
	pid_t ta = thread_start(&a, quick_exit_thread, NULL);
	CHECK(ta > 0 && tb > 0);
	if (ta <= 0 || tb <= 0)
		return;
	CHECK(thread_join(&a, 5000));
	long c0 = counter;
	nap_ms(50);
	CHECK(counter > c0); /* the other thread runs on */
	CHECK_EQ(status_field(tb, "Tgid"), getpid());
	CHECK_EQ(status_field(tb, "Pid"), tb);
	CHECK(status_field(getpid(), "Threads") >= 2);
	stop_counting = 1;
	CHECK(thread_join(&b, 5000));
}

/* ---------------------------------------------------------- signals */

static volatile long handled_by, handled_sig;

static void record_handler(int sig)
{
	handled_by = raw_gettid();
	handled_sig = sig;
}

static volatile long release_waiter;

static int waiting_thread(void *arg)
{
	(void)arg;
	while (!release_waiter)
		;
	return 0;
}

static void test_tgkill(void)
{
	struct sigaction sa = {.sa_handler = record_handler};
	sigaction(SIGUSR1, &sa, NULL);
	struct thread t;
	handled_by = handled_sig = release_waiter = 0;
	pid_t tid = thread_start(&t, waiting_thread, NULL);
	CHECK(tid > 0);
	if (tid <= 0)
		return;
	CHECK_EQ(syscall(SYS_tgkill, getpid(), tid, SIGUSR1), 0);
	CHECK(wait_flag(&handled_by, 5000));
	CHECK_EQ(handled_by, tid);
	CHECK_EQ(handled_sig, SIGUSR1);
	CHECK_ERR(syscall(SYS_tgkill, getpid() + 100000, tid, 0), ESRCH);
	CHECK_EQ(syscall(SYS_tkill, tid, 0), 0);
	release_waiter = 1;
	CHECK(thread_join(&t, 5000));
	CHECK(tid_gone(tid, 5000));
	signal(SIGUSR1, SIG_DFL);
}

static void test_kill_process(void)
{
	struct sigaction sa = {.sa_handler = record_handler};
	sigaction(SIGUSR2, &sa, NULL);
	struct thread t;
	handled_by = handled_sig = release_waiter = 0;
	pid_t tid = thread_start(&t, waiting_thread, NULL);
	CHECK(tid > 0);
	if (tid <= 0)
		return;
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, &old); /* only the thread takes it */
	CHECK_EQ(kill(getpid(), SIGUSR2), 0);
	CHECK(wait_flag(&handled_by, 5000));
	CHECK_EQ(handled_by, tid);
	sigset_t pend;
	sigpending(&pend);
	CHECK(!sigismember(&pend, SIGUSR2));
	release_waiter = 1;
	CHECK(thread_join(&t, 5000));
	/* with no thread taking it, it waits for the one that unblocks it */
	CHECK_EQ(kill(getpid(), SIGUSR2), 0);
	sigpending(&pend);
	CHECK(sigismember(&pend, SIGUSR2));
	handled_by = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK_EQ(handled_by, getpid());
	signal(SIGUSR2, SIG_DFL);
}

/* A child process running fn in a thread while its main thread waits
 * for signals; returns the child's wait status (-1: did not end). */
static int in_child(int (*fn)(void *), int main_exits_with)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct thread t;
		if (thread_start(&t, fn, NULL) <= 0)
			_exit(99);
		if (main_exits_with >= 0)
			syscall(SYS_exit, main_exits_with);
		for (;;)
			pause();
	}
	int st = 0;
	uint64_t end = now_ms() + 10000;
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (now_ms() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		nap_ms(5);
	}
	return st;
}

static int exit_group_thread(void *arg)
{
	(void)arg;
	syscall(SYS_exit_group, 42);
	return 0;
}

static int fatal_thread(void *arg)
{
	(void)arg;
	syscall(SYS_tgkill, syscall(SYS_getpid), raw_gettid(), SIGTERM);
	for (;;)
		nap_ms(10);
	return 0;
}

static int late_exit_group_thread(void *arg)
{
	(void)arg;
	nap_ms(100);
	syscall(SYS_exit_group, 5);
	return 0;
}

static void test_group_exit(void)
{
	int st = in_child(exit_group_thread, -1);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);
	st = in_child(fatal_thread, -1);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	/* the leader exits first: the process lives until its last thread */
	st = in_child(late_exit_group_thread, 3);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5);
}

/* Stop and continue a two-thread child; its thread counts in shared memory. */
static volatile long *shared_count;

static int shared_counting_thread(void *arg)
{
	(void)arg;
	for (;;) {
		(*shared_count)++;
		nap_ms(1);
	}
	return 0;
}

static void test_stop_continue(void)
{
	shared_count = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(shared_count != MAP_FAILED);
	if (shared_count == MAP_FAILED)
		return;
	*shared_count = 0;
	pid_t pid = fork();
	if (pid == 0) {
		struct thread t;
		if (thread_start(&t, shared_counting_thread, NULL) <= 0)
			_exit(99);
		for (;;)
			pause();
	}
	CHECK(wait_flag(shared_count, 5000));
	int st = 0;
	CHECK_EQ(kill(pid, SIGSTOP), 0);
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	long c0 = *shared_count;
	nap_ms(100);
	CHECK_EQ(*shared_count, c0); /* every thread stopped */
	CHECK_EQ(kill(pid, SIGCONT), 0);
	CHECK_EQ(waitpid(pid, &st, WCONTINUED), pid);
	CHECK(WIFCONTINUED(st));
	nap_ms(100);
	CHECK(*shared_count > c0);
	kill(pid, SIGKILL);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	munmap((void *)shared_count, 4096);
}

/* --------------------------------------------------------------- exec */

static volatile long exec_pid;

static int exec_thread(void *arg)
{
	(void)arg;
	char pidbuf[32];
	snprintf(pidbuf, sizeof(pidbuf), "%ld", exec_pid);
	char *av[] = {self, "after-exec", pidbuf, NULL};
	syscall(SYS_execve, self, av, environ);
	syscall(SYS_exit_group, 98);
	return 0;
}

/* After the exec: the thread that exec'd has the old process's pid. */
static int after_exec(const char *pid)
{
	return getpid() == atoi(pid) && raw_gettid() == getpid() ? 33 : 1;
}

static void test_exec_from_thread(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		exec_pid = getpid();
		struct thread t;
		if (thread_start(&t, exec_thread, NULL) <= 0)
			_exit(99);
		for (;;)
			pause();
	}
	int st = 0;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 98) {
		SKIP("cannot exec riscv64 programs here (no binfmt_misc for qemu-user)");
		return;
	}
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 33);
}

/* ------------------------------------------------------- scheduling */

static int online_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 0;
	return CPU_COUNT(&set);
}

static void test_affinity(void)
{
	cpu_set_t all, one, got;
	CHECK_EQ(sched_getaffinity(0, sizeof(all), &all), 0);
	int first = -1;
	for (int i = 0; i < CPU_SETSIZE && first < 0; i++)
		if (CPU_ISSET(i, &all))
			first = i;
	CHECK(first >= 0);
	CPU_ZERO(&one);
	CPU_SET(first, &one);
	CHECK_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
	CHECK_EQ(sched_getaffinity(0, sizeof(got), &got), 0);
	CHECK(CPU_EQUAL(&got, &one));
	CHECK_EQ(raw_getcpu(), first);
	CHECK_EQ(sched_yield(), 0);
	CHECK_EQ(raw_getcpu(), first);
	CPU_ZERO(&one);
	CHECK_ERR(sched_setaffinity(0, sizeof(one), &one), EINVAL);
	CHECK_ERR(sched_setaffinity(getpid() + 100000, sizeof(all), &all), ESRCH);
	CHECK_EQ(sched_setaffinity(0, sizeof(all), &all), 0);
}

/* Ping-pong on a shared word with no sleeping: with one hart, each turn
 * waits for a time slice to end (10 ms or more); with two, turns take
 * microseconds. */
#define TURNS   2000
#define SAMPLES 16 /* getcpu of both at these turns: a host may migrate them */
static volatile long turn, pong_cpu[SAMPLES];

static int pong_thread(void *arg)
{
	(void)arg;
	for (long i = 0; i < TURNS; i++) {
		while (turn != 2 * i + 1)
			if (turn < 0)
				return 0;
		if (i % (TURNS / SAMPLES) == 0)
			pong_cpu[i / (TURNS / SAMPLES)] = raw_getcpu();
		turn = 2 * i + 2;
	}
	return 0;
}

static void test_parallel(void)
{
	if (online_cpus() < 2) {
		SKIP("one CPU: threads cannot run at the same time");
		return;
	}
	struct thread t;
	turn = 0;
	for (int k = 0; k < SAMPLES; k++)
		pong_cpu[k] = -1;
	if (thread_start(&t, pong_thread, NULL) <= 0) {
		CHECK(0);
		return;
	}
	uint64_t start = now_ms(), end = start + 8000;
	long ping_cpu[SAMPLES], i;
	for (i = 0; i < TURNS && now_ms() < end; i++) {
		turn = 2 * i + 1;
		while (turn != 2 * i + 2 && now_ms() < end)
			;
		if (i % (TURNS / SAMPLES) == 0)
			ping_cpu[i / (TURNS / SAMPLES)] = raw_getcpu();
	}
	uint64_t took = now_ms() - start;
	if (i < TURNS || turn != 2 * TURNS)
		turn = -1;
	CHECK(thread_join(&t, 5000));
	CHECK_EQ(turn, 2 * TURNS);
	CHECK(took < 8000);
	/* on two harts at once: at the same turn they were on different ones
	 * (sampled at several turns, since a busy host moves its threads) */
	bool apart = false;
	for (int k = 0; k < SAMPLES && i == TURNS; k++)
		apart =
		    apart || (ping_cpu[k] >= 0 && pong_cpu[k] >= 0 && ping_cpu[k] != pong_cpu[k]);
	CHECK(apart);
}

/* A thread keeps reading a page whose frame main drops (MADV_DONTNEED)
 * and refills: it must see each new frame, so the old translation must
 * be shot down on its hart. */
static volatile long *watched;
static volatile long reader_saw, reader_stop;

static int reader_thread(void *arg)
{
	(void)arg;
	while (!reader_stop)
		reader_saw = *watched;
	return 0;
}

static void test_tlb_shootdown(void)
{
	long *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(page != MAP_FAILED);
	if (page == MAP_FAILED)
		return;
	page[0] = 1;
	watched = page;
	reader_saw = reader_stop = 0;
	struct thread t;
	if (thread_start(&t, reader_thread, NULL) <= 0) {
		CHECK(0);
		return;
	}
	CHECK_EQ(wait_flag(&reader_saw, 5000), 1);
	for (long v = 2; v < 40; v++) {
		CHECK_EQ(madvise(page, 4096, MADV_DONTNEED), 0);
		page[0] = v; /* a fresh zero page, then v */
		uint64_t end = now_ms() + 3000;
		while (reader_saw != v && now_ms() < end)
			;
		if (reader_saw != v) {
			CHECK_EQ(reader_saw, v);
			break;
		}
	}
	reader_stop = 1;
	CHECK(thread_join(&t, 5000));
	munmap(page, 4096);
}

/* ------------------------------------------------------- clone rules */

static int never_runs(void *arg)
{
	(void)arg;
	return 0;
}

static void test_clone_rules(void)
{
	char *stack = malloc(STACK_SIZE);
	CHECK_ERR(clone(never_runs, stack + STACK_SIZE, CLONE_VM | CLONE_THREAD, NULL), EINVAL);
	CHECK_ERR(clone(never_runs, stack + STACK_SIZE, CLONE_SIGHAND, NULL), EINVAL);
	free(stack);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "after-exec"))
		return after_exec(argv[2]);
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	setvbuf(stdout, NULL, _IONBF, 0);
	test_ids();
	test_thread_exit();
	test_tgkill();
	test_kill_process();
	test_group_exit();
	test_stop_continue();
	test_exec_from_thread();
	test_affinity();
	test_parallel();
	test_tlb_shootdown();
	test_clone_rules();
	return ltest_done("thread");
}
