/*
 * Signals as Linux has them: handlers and their frames (siginfo,
 * ucontext, FP state), masks, pending sets, sigsuspend, sigtimedwait,
 * the alternate stack, SA_* flags, system call restart, SIGCHLD,
 * SIGPIPE, faults caught and escaped with siglongjmp, default actions
 * and stop/continue as a parent sees them, and what exec keeps.
 *
 * Modes: "t_signal sigstate" checks the dispositions exec left.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "ltest.h"

extern char **environ;
static char self[4096];

static volatile sig_atomic_t hits, last_sig, nested_order;
static siginfo_t last_info;
static sigset_t mask_in_handler;
static ucontext_t *last_uc;

static void on_signal(int sig)
{
	hits++;
	last_sig = sig;
	sigprocmask(SIG_BLOCK, NULL, &mask_in_handler);
}

static void on_siginfo(int sig, siginfo_t *si, void *uc)
{
	hits++;
	last_sig = sig;
	last_info = *si;
	last_uc = uc;
	sigprocmask(SIG_BLOCK, NULL, &mask_in_handler);
}

static void handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void handle_info(int sig, int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_siginfo;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* Sleeps through sigtimedwait on a signal nobody sends. */
static void sleep_ms(int ms)
{
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGRTMAX);
	sigprocmask(SIG_BLOCK, &s, &old);
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (sigtimedwait(&s, NULL, &ts) < 0 && errno == EINTR)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static int wait_status(pid_t pid)
{
	int st = -1;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

static int executable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

static void test_handlers_and_siginfo(void)
{
	handle(SIGUSR1, on_signal, 0);
	hits = 0;
	CHECK_EQ(raise(SIGUSR1), 0);
	CHECK_EQ(hits, 1);
	CHECK_EQ(last_sig, SIGUSR1);
	CHECK(sigismember(&mask_in_handler, SIGUSR1)); /* deferred while it runs */

	handle_info(SIGUSR2, 0);
	CHECK_EQ(kill(getpid(), SIGUSR2), 0);
	CHECK_EQ(hits, 2);
	CHECK_EQ(last_info.si_signo, SIGUSR2);
	CHECK_EQ(last_info.si_code, SI_USER);
	CHECK_EQ(last_info.si_pid, getpid());
	CHECK_EQ(last_info.si_uid, getuid());
	/* the interrupted context: a pc, the stack, the mask before */
	CHECK(last_uc != NULL);
	CHECK(last_uc->uc_mcontext.__gregs[REG_PC] != 0);
	CHECK(!sigismember(&last_uc->uc_sigmask, SIGUSR2));

	CHECK_EQ(syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2), 0);
	CHECK_EQ(last_info.si_code, SI_TKILL);
	union sigval v = {.sival_int = 1234};
	CHECK_EQ(sigqueue(getpid(), SIGUSR2, v), 0);
	CHECK_EQ(last_info.si_code, SI_QUEUE);
	CHECK_EQ(last_info.si_value.sival_int, 1234);
	CHECK_EQ(hits, 4);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

static void on_usr2_nested(int sig)
{
	(void)sig;
	nested_order = nested_order * 10 + 2;
}

static void on_usr1_nested(int sig)
{
	(void)sig;
	nested_order = nested_order * 10 + 1;
	raise(SIGUSR2); /* runs inside this handler */
	nested_order = nested_order * 10 + 3;
}

static void test_nested_and_flags(void)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1_nested;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	handle(SIGUSR2, on_usr2_nested, 0);
	nested_order = 0;
	raise(SIGUSR1);
	CHECK_EQ(nested_order, 123);

	/* with SIGUSR2 in sa_mask it waits for the SIGUSR1 handler to end */
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	nested_order = 0;
	raise(SIGUSR1);
	if (nested_order == 123)
		SKIP("sa_mask not honoured here (qemu-user ignores it)");
	else
		CHECK_EQ(nested_order, 132);

	/* SA_NODEFER: not blocked in its own handler; SA_RESETHAND: once */
	handle(SIGUSR1, on_signal, SA_NODEFER | SA_RESETHAND);
	hits = 0;
	raise(SIGUSR1);
	CHECK_EQ(hits, 1);
	CHECK(!sigismember(&mask_in_handler, SIGUSR1));
	CHECK_EQ(sigaction(SIGUSR1, NULL, &old), 0);
	CHECK(old.sa_handler == SIG_DFL);

	CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERR(sigaction(SIGSTOP, &sa, NULL), EINVAL);
	CHECK_EQ(sigaction(SIGKILL, NULL, &old), 0);
	CHECK_ERR(syscall(SYS_rt_sigaction, 0, NULL, &old, 8), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigaction, 65, NULL, &old, 8), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 16), EINVAL);
	signal(SIGUSR2, SIG_DFL);
}

/* The FP rounding mode (fcsr.frm): 0 nearest, 2 down, 3 up. */
static void set_rounding(unsigned long rm)
{
	__asm__ volatile("fsrm %0" : : "r"(rm));
}

static unsigned long get_rounding(void)
{
	unsigned long rm;
	__asm__ volatile("frrm %0" : "=r"(rm));
	return rm;
}

static void on_fp_clobber(int sig)
{
	(void)sig;
	hits++;
	set_rounding(2);
	__asm__ volatile("fmv.d.x fs0, zero"); /* behind the compiler's back */
}

static void test_fp_state_restored(void)
{
	handle(SIGUSR1, on_fp_clobber, 0);
	set_rounding(3);
	register double keep __asm__("fs0") = 1.25;
	__asm__ volatile("" : "+f"(keep));
	hits = 0;
	raise(SIGUSR1);
	__asm__ volatile("" : "+f"(keep));
	CHECK_EQ(hits, 1);
	CHECK(keep == 1.25);
	CHECK_EQ(get_rounding(), 3);
	set_rounding(0);
	signal(SIGUSR1, SIG_DFL);
}

static void test_masks_and_pending(void)
{
	sigset_t s, old, pend;
	handle(SIGUSR1, on_signal, 0);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGKILL);
	CHECK_EQ(sigprocmask(SIG_BLOCK, &s, &old), 0);
	hits = 0;
	raise(SIGUSR1);
	CHECK_EQ(hits, 0);
	CHECK_EQ(sigpending(&pend), 0);
	CHECK(sigismember(&pend, SIGUSR1));
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK(!sigismember(&now, SIGKILL)); /* cannot be blocked */
	CHECK_EQ(sigprocmask(SIG_UNBLOCK, &s, NULL), 0);
	CHECK_EQ(hits, 1); /* delivered on the way out of sigprocmask */
	sigpending(&pend);
	CHECK(!sigismember(&pend, SIGUSR1));
	CHECK_ERR(sigprocmask(12345, &s, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &s, NULL, 4), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigpending, &pend, 16), EINVAL);

	/* ignoring a pending signal discards it */
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
	signal(SIGUSR1, SIG_IGN);
	sigpending(&pend);
	CHECK(!sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
}

static void test_sigsuspend_and_wait(void)
{
	sigset_t s, old, none, now;
	handle(SIGUSR1, on_signal, 0);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, &old);
	raise(SIGUSR1);
	hits = 0;
	sigemptyset(&none);
	CHECK_ERR(sigsuspend(&none), EINTR);
	CHECK_EQ(hits, 1);
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK(sigismember(&now, SIGUSR1)); /* the old mask is back */

	/* from another process */
	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(30);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	hits = 0;
	CHECK_ERR(sigsuspend(&none), EINTR);
	CHECK_EQ(hits, 1);
	wait_status(pid);

	/* sigtimedwait takes a blocked signal without running the handler */
	raise(SIGUSR1);
	siginfo_t si;
	struct timespec zero = {0, 0}, short_wait = {0, 20000000};
	hits = 0;
	CHECK_EQ(sigtimedwait(&s, &si, &zero), SIGUSR1);
	CHECK_EQ(si.si_signo, SIGUSR1);
	CHECK_EQ(hits, 0);
	CHECK_ERR(sigtimedwait(&s, &si, &short_wait), EAGAIN);
	struct timespec bad = {0, 2000000000};
	CHECK_ERR(sigtimedwait(&s, &si, &bad), EINVAL);
	pid = fork();
	if (pid == 0) {
		sleep_ms(20);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	CHECK_EQ(sigwaitinfo(&s, &si), SIGUSR1);
	CHECK_EQ(si.si_pid, pid);
	wait_status(pid);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
}

/* A blocked SIGCHLD at its default action (ignore) that arrives while
 * sigtimedwait waits for it is delivered to the wait, not thrown away as
 * ignored: the wait unblocks it only for itself (trinity's main loop
 * waits for its children so). */
static void test_sigtimedwait_ignored_default(void)
{
	sigset_t s, old;
	siginfo_t si;
	struct timespec limit = {5, 0};
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s, &old);
	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(100); /* the parent is in sigtimedwait by then */
		_exit(3);
	}
	CHECK_EQ(sigtimedwait(&s, &si, &limit), SIGCHLD);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_code, CLD_EXITED);
	CHECK_EQ(si.si_status, 3);
	wait_status(pid);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static char *alt_base;
static size_t alt_size;
static volatile int on_alt, alt_flags, alt_eperm;

static void on_altstack_signal(int sig)
{
	(void)sig;
	char here;
	on_alt = &here >= alt_base && &here < alt_base + alt_size;
	stack_t cur, again;
	sigaltstack(NULL, &cur);
	alt_flags = cur.ss_flags;
	again = cur;
	alt_eperm = sigaltstack(&again, NULL) == -1 && errno == EPERM;
}

static void test_sigaltstack(void)
{
	stack_t ss, old;
	alt_size = 64 * 1024;
	alt_base = malloc(alt_size);
	CHECK_EQ(sigaltstack(NULL, &old), 0);
	CHECK_EQ(old.ss_flags, SS_DISABLE);
	ss = (stack_t){.ss_sp = alt_base, .ss_size = 1024, .ss_flags = 0};
	CHECK_ERR(sigaltstack(&ss, NULL), ENOMEM);
	ss = (stack_t){.ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0x55};
	CHECK_ERR(sigaltstack(&ss, NULL), EINVAL);
	ss.ss_flags = 0;
	CHECK_EQ(sigaltstack(&ss, NULL), 0);
	CHECK_EQ(sigaltstack(NULL, &old), 0);
	CHECK(old.ss_sp == alt_base && old.ss_size == alt_size && old.ss_flags == 0);

	handle(SIGUSR1, on_altstack_signal, SA_ONSTACK);
	raise(SIGUSR1);
	CHECK(on_alt);
	CHECK_EQ(alt_flags, SS_ONSTACK);
	CHECK(alt_eperm);
	handle(SIGUSR1, on_altstack_signal, 0); /* without SA_ONSTACK */
	raise(SIGUSR1);
	CHECK(!on_alt);

	ss.ss_flags = SS_DISABLE;
	CHECK_EQ(sigaltstack(&ss, NULL), 0);
	sigaltstack(NULL, &old);
	CHECK_EQ(old.ss_flags, SS_DISABLE);
	signal(SIGUSR1, SIG_DFL);
	free(alt_base);
}

/* A read blocked on a pipe, interrupted by a handled signal. */
static void test_restart(int flags, int expect_bytes)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	handle(SIGUSR1, on_signal, flags);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		sleep_ms(50);
		kill(getppid(), SIGUSR1);
		sleep_ms(50);
		_exit(write(p[1], "z", 1) == 1 ? 0 : 1);
	}
	close(p[1]);
	hits = 0;
	char c = 0;
	errno = 0;
	long n = read(p[0], &c, 1);
	CHECK_EQ(hits, 1);
	if (expect_bytes) {
		CHECK_EQ(n, 1);
		CHECK_EQ(c, 'z');
	} else {
		CHECK_EQ(n, -1);
		CHECK_EQ(errno, EINTR);
		CHECK_EQ(read(p[0], &c, 1), 1);
	}
	close(p[0]);
	CHECK_EQ(wait_status(pid), 0);
	signal(SIGUSR1, SIG_DFL);
}

static void test_sigchld(void)
{
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s, &old);
	handle_info(SIGCHLD, 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(3);
	hits = 0;
	sigset_t none;
	sigemptyset(&none);
	while (hits == 0)
		sigsuspend(&none);
	CHECK_EQ(last_info.si_signo, SIGCHLD);
	CHECK_EQ(last_info.si_code, CLD_EXITED);
	CHECK_EQ(last_info.si_pid, pid);
	CHECK_EQ(last_info.si_status, 3);
	CHECK_EQ(wait_status(pid), 3 << 8);
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* SA_NOCLDWAIT or SIGCHLD ignored: no zombie, wait finds no child */
	int st;
	handle(SIGCHLD, on_signal, SA_NOCLDWAIT);
	pid = fork();
	if (pid == 0)
		_exit(0);
	errno = 0;
	pid_t r = waitpid(-1, &st, 0);
	if (r == pid)
		SKIP("SA_NOCLDWAIT not honoured here (qemu-user drops the flag)");
	else
		CHECK(r == -1 && errno == ECHILD);
	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK_ERR(waitpid(-1, &st, 0), ECHILD);
	signal(SIGCHLD, SIG_DFL);
}

static void test_sigpipe(void)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	/* the read end is closed before the fork: had the parent closed it
	 * after, a child quick enough (on another hart) would write while
	 * the parent's copy still kept the pipe readable */
	close(p[0]);
	pid_t pid = fork();
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	close(p[1]);
	int st = wait_status(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);

	CHECK_EQ(pipe(p), 0);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(write(p[1], "x", 1), EPIPE);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
}

static void test_kill_errors(void)
{
	CHECK_EQ(kill(getpid(), 0), 0);
	CHECK_ERR(kill(999999, SIGUSR1), ESRCH);
	CHECK_ERR(kill(getpid(), 65), EINVAL);
	CHECK_ERR(syscall(SYS_tgkill, getpid(), 999999, SIGUSR1), ESRCH);
	CHECK_ERR(syscall(SYS_tgkill, -1, getpid(), SIGUSR1), EINVAL);
	CHECK_ERR(syscall(SYS_tkill, 0, SIGUSR1), EINVAL);

	/* kill(0, sig) reaches our own process group */
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGUSR1, SIG_IGN);
		_exit(kill(0, SIGUSR1) == 0 ? 0 : 1);
	}
	CHECK_EQ(wait_status(pid), 0);
}

static sigjmp_buf escape;
static int *volatile low_address = (int *)8; /* unmapped, hidden from the compiler */
static volatile void *fault_addr;
static volatile int fault_code;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(escape, sig);
}

__attribute__((noinline)) static void illegal_instruction(void)
{
	__asm__ volatile(".globl ltest_ill\nltest_ill: .4byte 0");
}
extern char ltest_ill[];

static void test_faults(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	for (volatile int round = 0; round < 2; round++) { /* the mask comes back each time */
		int *volatile p = NULL;
		int sig = sigsetjmp(escape, 1);
		if (sig == 0)
			*p = 1;
		CHECK_EQ(sig, SIGSEGV);
		CHECK(fault_addr == NULL);
		CHECK_EQ(fault_code, SEGV_MAPERR);
	}
	int sig = sigsetjmp(escape, 1);
	if (sig == 0)
		illegal_instruction();
	CHECK_EQ(sig, SIGILL);
	CHECK(fault_addr == ltest_ill);
	CHECK_EQ(fault_code, ILL_ILLOPC);
	signal(SIGSEGV, SIG_DFL);
	signal(SIGILL, SIG_DFL);

	/* blocked, or faulting inside its own handler: the process dies */
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGSEGV);
		sigprocmask(SIG_BLOCK, &s, NULL);
		*low_address = 1;
		_exit(0);
	}
	int st = wait_status(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

static void on_fault_again(int sig)
{
	(void)sig;
	low_address[2] = 1;
}

static void test_fault_in_handler(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		handle(SIGSEGV, on_fault_again, 0);
		*low_address = 1;
		_exit(0);
	}
	int st = wait_status(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

static int child_raising(int sig)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit no_core = {0, 0};
		setrlimit(RLIMIT_CORE, &no_core);
		raise(sig);
		_exit(77);
	}
	return wait_status(pid);
}

static void test_default_actions(void)
{
	int st = child_raising(SIGTERM);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	st = child_raising(SIGUSR1);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1);
	st = child_raising(SIGABRT);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	CHECK(!WCOREDUMP(st));
	CHECK_EQ(child_raising(SIGCHLD), 77 << 8); /* ignored by default */
	CHECK_EQ(child_raising(SIGWINCH), 77 << 8);
	CHECK_EQ(child_raising(SIGURG), 77 << 8);
}

static pid_t idle_child(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		for (;;)
			sigsuspend(&none);
	}
	return pid;
}

static void test_stop_continue(void)
{
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s, &old);
	handle_info(SIGCHLD, 0);
	pid_t pid = idle_child();
	int st;
	CHECK_EQ(kill(pid, SIGSTOP), 0);
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	siginfo_t si;
	struct timespec ts = {2, 0};
	CHECK_EQ(sigtimedwait(&s, &si, &ts), SIGCHLD);
	CHECK_EQ(si.si_code, CLD_STOPPED);
	CHECK_EQ(si.si_status, SIGSTOP);
	CHECK_EQ(waitpid(pid, &st, WUNTRACED | WNOHANG), 0); /* reported once */

	CHECK_EQ(kill(pid, SIGCONT), 0);
	CHECK_EQ(waitpid(pid, &st, WCONTINUED), pid);
	CHECK(WIFCONTINUED(st));
	CHECK_EQ(sigtimedwait(&s, &si, &ts), SIGCHLD);
	CHECK_EQ(si.si_code, CLD_CONTINUED);

	/* SIGTSTP stops too; waitid sees it */
	CHECK_EQ(kill(pid, SIGTSTP), 0);
	memset(&si, 0, sizeof(si));
	CHECK_EQ(waitid(P_PID, pid, &si, WSTOPPED), 0);
	CHECK_EQ(si.si_code, CLD_STOPPED);
	CHECK_EQ(si.si_status, SIGTSTP);
	CHECK_EQ(kill(pid, SIGKILL), 0); /* even stopped */
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

	/* SA_NOCLDSTOP: no SIGCHLD for a stop */
	handle_info(SIGCHLD, SA_NOCLDSTOP);
	while (sigtimedwait(&s, &si, &(struct timespec){0, 0}) > 0)
		;
	pid = idle_child();
	kill(pid, SIGSTOP);
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	if (sigtimedwait(&s, &si, &(struct timespec){0, 50000000}) == SIGCHLD)
		SKIP("SA_NOCLDSTOP not honoured here (qemu-user drops the flag)");
	else
		CHECK_EQ(errno, EAGAIN);
	kill(pid, SIGKILL);
	wait_status(pid);
	while (sigtimedwait(&s, &si, &(struct timespec){0, 0}) > 0)
		;

	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* In the exec'd child: handlers reset, ignored kept, mask kept. */
static int check_exec_state(void)
{
	struct sigaction sa;
	sigset_t now;
	int ok = 1;
	sigaction(SIGUSR1, NULL, &sa);
	ok &= sa.sa_handler == SIG_DFL;
	sigaction(SIGUSR2, NULL, &sa);
	ok &= sa.sa_handler == SIG_IGN;
	sigprocmask(SIG_BLOCK, NULL, &now);
	ok &= sigismember(&now, SIGINT) == 1;
	stack_t ss;
	sigaltstack(NULL, &ss);
	ok &= ss.ss_flags == SS_DISABLE;
	return ok ? 0 : 1;
}

static void test_exec_resets_handlers(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		handle(SIGUSR1, on_signal, 0);
		signal(SIGUSR2, SIG_IGN);
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGINT);
		sigprocmask(SIG_BLOCK, &s, NULL);
		static char alt[16384];
		stack_t ss = {.ss_sp = alt, .ss_size = sizeof(alt)};
		sigaltstack(&ss, NULL);
		char *av[] = {self, "sigstate", NULL};
		execve(self, av, environ);
		_exit(100 + errno);
	}
	int st = wait_status(pid);
	if (st == (100 + ENOEXEC) << 8) {
		SKIP("cannot exec riscv64 programs here (no binfmt_misc for qemu-user)");
		return;
	}
	CHECK_EQ(st, 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "sigstate"))
		return check_exec_state();
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0)
		self[n] = 0;
	else if (executable(argv[0]))
		snprintf(self, sizeof(self), "%s", argv[0]);
	else
		snprintf(self, sizeof(self), "/scarlet%s", argv[0]);
	setvbuf(stdout, NULL, _IONBF, 0);
	test_handlers_and_siginfo();
	test_nested_and_flags();
	test_fp_state_restored();
	test_masks_and_pending();
	test_sigsuspend_and_wait();
	test_sigtimedwait_ignored_default();
	test_sigaltstack();
	test_restart(SA_RESTART, 1);
	test_restart(0, 0);
	test_sigchld();
	test_sigpipe();
	test_kill_errors();
	test_faults();
	test_fault_in_handler();
	test_default_actions();
	test_stop_continue();
	test_exec_resets_handlers();
	return ltest_done("signal");
}
