/*
 * clone3's CLONE_CLEAR_SIGHAND (Linux 5.5): the child's handled signals go
 * back to SIG_DFL, ignored ones stay ignored, and every flag and mask is
 * cleared, while the parent keeps its own; together with CLONE_SIGHAND it
 * is EINVAL.  Then posix_spawn (glibc's clone3 with CLONE_VM|CLONE_VFORK,
 * and CLONE_CLEAR_SIGHAND since glibc 2.38) must start a program.
 *
 * qemu-user 7.2 has no clone3 (ENOSYS) and cannot exec a riscv64 program
 * without binfmt_misc: there both parts are skipped unless --beyond-qemu, which Scarlet's
 * test_linux.py passes.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ltest.h"

#define CLONE_CLEAR_SIGHAND 0x100000000ULL

struct clone_args_v0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static void on_usr1(int sig)
{
	(void)sig;
}

static long clone3_fork(uint64_t flags)
{
	struct clone_args_v0 ca;
	memset(&ca, 0, sizeof(ca));
	ca.flags = flags;
	ca.exit_signal = SIGCHLD;
	return syscall(SYS_clone3, &ca, sizeof(ca));
}

static int disposition_is(int sig, void (*handler)(int), int flags_clear)
{
	struct sigaction sa;
	if (sigaction(sig, NULL, &sa) != 0 || sa.sa_handler != handler)
		return 0;
	if (flags_clear && (sa.sa_flags & (SA_RESTART | SA_NODEFER)))
		return 0;
	return !flags_clear || !sigismember(&sa.sa_mask, SIGTERM);
}

/* In the child: a bit for each disposition that is not what Linux gives. */
static int child_checks(void)
{
	int bad = 0;
	if (!disposition_is(SIGUSR1, SIG_DFL, 1))
		bad |= 1;
	if (!disposition_is(SIGUSR2, SIG_IGN, 1)) /* still ignored, flags and mask cleared */
		bad |= 2;
	if (!disposition_is(SIGHUP, SIG_DFL, 1))
		bad |= 4;
	return bad;
}

static int wait_status(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void set_dispositions(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGTERM);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(sigaction(SIGHUP, &sa, NULL) == 0);
	sa.sa_handler = SIG_IGN;
	CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
}

static void test_clear_sighand(void)
{
	set_dispositions();
	pid_t pid = clone3_fork(CLONE_CLEAR_SIGHAND);
	if (pid == 0)
		_exit(child_checks());
	CHECK(pid > 0);
	CHECK_EQ(wait_status(pid), 0);
	/* the parent's table is its own */
	CHECK(disposition_is(SIGUSR1, on_usr1, 0));
	CHECK(disposition_is(SIGUSR2, SIG_IGN, 0));

	/* without the flag the child inherits the handlers */
	pid = clone3_fork(0);
	if (pid == 0)
		_exit(disposition_is(SIGUSR1, on_usr1, 0) ? 0 : 1);
	CHECK(pid > 0);
	CHECK_EQ(wait_status(pid), 0);

	/* a shared table cannot be cleared for one task */
	CHECK_ERR(clone3_fork(CLONE_CLEAR_SIGHAND | CLONE_SIGHAND | CLONE_VM), EINVAL);
	CHECK_ERR(clone3_fork(CLONE_CLEAR_SIGHAND | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM),
	          EINVAL);
}

static void test_posix_spawn(const char *self)
{
	pid_t pid;
	char *argv[] = {(char *)self, "--exit", "7", NULL};
	CHECK_EQ(posix_spawn(&pid, self, NULL, NULL, argv, NULL), 0);
	CHECK_EQ(wait_status(pid), 7);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--exit") == 0)
		return disposition_is(SIGUSR1, SIG_DFL, 1) ? atoi(argv[2]) : 99;
	int beyond_qemu = argc > 1 && strcmp(argv[1], "--beyond-qemu") == 0;
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	CHECK(n > 0);
	self[n > 0 ? n : 0] = '\0';
	errno = 0;
	long r = clone3_fork(~0ULL); /* no task is made: every unknown bit is EINVAL */
	if (r < 0 && errno == ENOSYS && !beyond_qemu)
		SKIP("no clone3 here (qemu-user 7.2): run with --beyond-qemu on Linux");
	else {
		CHECK_EQ(r, -1);
		CHECK_EQ(errno, EINVAL);
		test_clear_sighand();
		test_posix_spawn(self); /* qemu-user cannot exec a riscv64 program */
	}
	return ltest_done("clear_sighand");
}
