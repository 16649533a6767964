/*
 * sctest: processes — fork, copy-on-write, wait, signals, process
 * groups, exec.  Included by sctest.c only.
 */

static int exit_with(long code)
{
	return (int)code;
}

static int sleep_then_exit(long ms)
{
	sleep_ms(ms);
	return 0;
}

static void t_fork_returns(void)
{
	int p[2];
	pid_t pid, seen = 0, parent = getpid();

	if (EXPECT_OK(pipe(p)) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		pid_t me = getpid();
		/* the child reports getpid() and whether getppid() is the parent */
		write(p[1], &me, sizeof(me));
		_exit(getppid() == parent ? 0 : 1);
	}
	close(p[1]);
	if (!CHECK(pid > 0, "fork() = %d: %s", pid, strerror(errno)))
		return;
	CHECK(pid != parent, "fork returned the parent's own pid");
	EXPECT_EQ(read(p[0], &seen, sizeof(seen)), sizeof(seen));
	CHECK(seen == pid, "child's getpid() %d != fork() result %d", seen, pid);
	EXPECT_EXIT("child (getppid check)", reap(pid), 0);
	close(p[0]);
}

static int g_cow = 1234;

/* The child writes its copies of a global, a heap and a stack word. */
static void t_cow_child_writes(void)
{
	volatile int stack_word = 77;
	volatile int *heap = malloc(64 * 1024);
	char *big = malloc(256 * 1024);
	pid_t pid;
	int st;

	if (!heap || !big) {
		FAIL("malloc failed");
		return;
	}
	heap[0] = 55;
	heap[16000] = 56;
	memset(big, 'a', 256 * 1024);
	pid = fork();
	if (pid == 0) {
		g_cow = 1;
		heap[0] = 1;
		heap[16000] = 1;
		stack_word = 1;
		memset(big, 'b', 256 * 1024);
		_exit(g_cow == 1 && heap[0] == 1 && stack_word == 1 && big[100000] == 'b' ? 0 : 1);
	}
	if (!CHECK(pid > 0, "fork: %s", strerror(errno)))
		return;
	st = reap(pid);
	EXPECT_EXIT("child (sees its own writes)", st, 0);
	CHECK(g_cow == 1234, "global changed to %d by the child", g_cow);
	CHECK(heap[0] == 55 && heap[16000] == 56, "heap changed to %d/%d by the child", heap[0],
	      heap[16000]);
	CHECK(stack_word == 77, "stack word changed to %d by the child", stack_word);
	for (int i = 0; i < 256 * 1024; i += 4096)
		if (!CHECK(big[i] == 'a', "big buffer byte %d changed to %#x", i, big[i]))
			break;
}

/* The parent writes after fork; the child must still see the old values. */
static void t_cow_parent_writes(void)
{
	volatile int stack_word = 77;
	volatile int *heap = malloc(4096);
	int p[2];
	pid_t pid;
	char c = 0;

	if (!heap || EXPECT_OK(pipe(p)) < 0)
		return;
	heap[0] = 55;
	g_cow = 1234;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(10);
		if (g_cow != 1234)
			_exit(11);
		if (heap[0] != 55)
			_exit(12);
		if (stack_word != 77)
			_exit(13);
		_exit(0);
	}
	close(p[0]);
	if (!CHECK(pid > 0, "fork: %s", strerror(errno)))
		return;
	g_cow = 2;
	heap[0] = 2;
	stack_word = 2;
	write(p[1], "x", 1);
	close(p[1]);
	/* 11: global, 12: heap, 13: stack leaked into the child */
	EXPECT_EXIT("child (sees old values)", reap(pid), 0);
}

static void t_wait_exit_codes(void)
{
	static const int codes[] = {0, 1, 2, 42, 127, 128, 200, 255, 256, 257};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid_t pid = spawn(exit_with, codes[i]);
		int st = 0;
		pid_t r;
		if (pid < 0)
			return;
		r = wait(&st);
		CHECK(r == pid, "wait() = %d, want %d", r, pid);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == (codes[i] & 0xff), "exit(%d): status %#x",
		      codes[i], (unsigned)st);
	}
}

static int spin_forever(long unused)
{
	(void)unused;
	for (;;)
		;
	return 0;
}

static int sleep_forever(long unused)
{
	(void)unused;
	for (;;)
		sleep_ms(1000);
	return 0;
}

static void t_wait_signal_kill(void)
{
	pid_t pid = spawn(spin_forever, 0);

	if (pid < 0)
		return;
	sleep_ms(20);
	EXPECT_OK(kill(pid, SIGKILL));
	EXPECT_SIGNAL("spinning child after SIGKILL", reap(pid), SIGKILL);
	pid = spawn(sleep_forever, 0);
	if (pid < 0)
		return;
	sleep_ms(20);
	EXPECT_OK(kill(pid, SIGKILL));
	EXPECT_SIGNAL("sleeping child after SIGKILL", reap(pid), SIGKILL);
}

static int read_forever(long unused)
{
	int p[2];
	char c;

	(void)unused;
	if (pipe(p) < 0)
		return 3;
	read(p[0], &c, 1); /* nobody writes: blocks */
	return 4;
}

static void t_wait_signal_term(void)
{
	pid_t pid = spawn(sleep_forever, 0);

	if (pid < 0)
		return;
	sleep_ms(20);
	EXPECT_OK(kill(pid, SIGTERM));
	EXPECT_SIGNAL("sleeping child after SIGTERM", reap(pid), SIGTERM);
	pid = spawn(read_forever, 0);
	if (pid < 0)
		return;
	sleep_ms(20);
	EXPECT_OK(kill(pid, SIGTERM));
	EXPECT_SIGNAL("child blocked in pipe read after SIGTERM", reap(pid), SIGTERM);
}

static int segv_null(long unused)
{
	(void)unused;
	*(volatile int *)badp(8) = 1;
	return 0;
}

static int segv_read(long unused)
{
	(void)unused;
	return *(volatile int *)badp(0x10);
}

static int segv_kernel(long unused)
{
	(void)unused;
	return *(volatile int *)badp(KERNEL_VA);
}

static void t_wait_signal_segv(void)
{
	EXPECT_SIGNAL("child writing address 8", run_child(segv_null, 0), SIGSEGV);
	EXPECT_SIGNAL("child reading address 0x10", run_child(segv_read, 0), SIGSEGV);
	EXPECT_SIGNAL("child reading a kernel address", run_child(segv_kernel, 0), SIGSEGV);
}

static void t_waitpid_wnohang(void)
{
	int st = -1;
	pid_t pid = spawn(sleep_then_exit, 300), r;

	if (pid < 0)
		return;
	r = waitpid(pid, &st, WNOHANG);
	CHECK(r == 0, "waitpid(WNOHANG) on a running child = %d (errno %d), want 0", r, errno);
	r = waitpid(-1, &st, WNOHANG);
	CHECK(r == 0, "waitpid(-1, WNOHANG) on a running child = %d, want 0", r);
	r = waitpid(pid, &st, 0);
	CHECK(r == pid, "blocking waitpid = %d, want %d", r, pid);
	EXPECT_EXIT("child", st, 0);
	EXPECT_ERR(waitpid(pid, &st, WNOHANG), ECHILD);
}

static void t_wait_echild(void)
{
	int st;
	pid_t pid;

	EXPECT_ERR(wait(&st), ECHILD);
	EXPECT_ERR(waitpid(-1, &st, WNOHANG), ECHILD);
	EXPECT_ERR(waitpid(99999, &st, 0), ECHILD);
	/* a reaped child is gone */
	pid = spawn(exit_with, 3);
	if (pid < 0)
		return;
	reap(pid);
	EXPECT_ERR(waitpid(pid, &st, 0), ECHILD);
	/* someone else's child (our parent's other children) are not ours */
	EXPECT_ERR(waitpid(getppid(), &st, WNOHANG), ECHILD);
}

static void t_orphan(void)
{
	int p[2];
	pid_t mid, got = 0;

	if (EXPECT_OK(pipe(p)) < 0)
		return;
	mid = fork();
	if (mid == 0) {
		pid_t gc = fork();
		if (gc == 0) {
			pid_t pp = 0;
			/* wait for the middle process to exit */
			for (int i = 0; i < 300; i++) {
				pp = getppid();
				if (pp == 1)
					break;
				sleep_ms(5);
			}
			write(p[1], &pp, sizeof(pp));
			_exit(0);
		}
		_exit(gc > 0 ? 0 : 1);
	}
	close(p[1]);
	if (!CHECK(mid > 0, "fork: %s", strerror(errno)))
		return;
	EXPECT_EXIT("middle process", reap(mid), 0);
	EXPECT_EQ(read(p[0], &got, sizeof(got)), sizeof(got));
	CHECK(got == 1, "orphan's getppid() = %d, want 1", got);
	close(p[0]);
}

static void t_getpid_getppid(void)
{
	pid_t me = getpid(), parent = getppid();
	struct sc_procinfo *pi;
	int n, found = 0;

	CHECK(me > 1, "getpid() = %d", me);
	CHECK(parent > 0 && parent != me, "getppid() = %d (pid %d)", parent, me);
	EXPECT_EQ(getpid(), me);
	/* cross-check with procinfo */
	pi = malloc(256 * sizeof(*pi));
	if (!pi)
		return;
	n = sc_procinfo(pi, 256);
	for (int i = 0; i < n; i++)
		if (pi[i].pid == me) {
			found = 1;
			CHECK(pi[i].ppid == parent, "procinfo ppid %d, getppid %d", pi[i].ppid,
			      parent);
		}
	CHECK(found, "self not in procinfo (n=%d)", n);
	free(pi);
}

static void t_kill_errors(void)
{
	EXPECT_ERR(kill(getpid(), 999), EINVAL);
	EXPECT_ERR(kill(getpid(), -1), EINVAL);
	EXPECT_ERR(kill(getpid(), NSIG + 1), EINVAL);
	EXPECT_ERR(kill(99999, SIGTERM), ESRCH);
	EXPECT_ERR(kill(99999, 0), ESRCH);
	EXPECT_EQ(kill(getpid(), 0), 0);
	CHECK(signal(999, SIG_IGN_H) == SIG_ERR && errno == EINVAL, "signal(999) did not fail");
	CHECK(signal(SIGKILL, SIG_IGN_H) == SIG_ERR && errno == EINVAL,
	      "signal(SIGKILL, SIG_IGN) did not fail with EINVAL");
}

static int ignore_term_child(long unused)
{
	(void)unused;
	if (signal(SIGTERM, SIG_IGN_H) != SIG_DFL_H)
		return 10;
	if (signal(SIGTERM, SIG_IGN_H) != SIG_IGN_H)
		return 11; /* previous disposition */
	if (kill(getpid(), SIGTERM) != 0)
		return 12;
	sleep_ms(10);
	sc_yield();
	return 0;
}

static void t_signal_ignore(void)
{
	pid_t pid;

	EXPECT_EXIT("child ignoring SIGTERM, killing itself", run_child(ignore_term_child, 0), 0);
	/* an ignored SIGTERM from another process is harmless too, SIGKILL is not */
	pid = fork();
	if (pid == 0) {
		signal(SIGTERM, SIG_IGN_H);
		sleep_ms(200);
		_exit(7);
	}
	if (!CHECK(pid > 0, "fork: %s", strerror(errno)))
		return;
	sleep_ms(30);
	EXPECT_OK(kill(pid, SIGTERM));
	EXPECT_EXIT("child with SIGTERM ignored, signalled by parent", reap(pid), 7);
	/* SIG_DFL restores termination */
	pid = fork();
	if (pid == 0) {
		signal(SIGTERM, SIG_IGN_H);
		signal(SIGTERM, SIG_DFL_H);
		kill(getpid(), SIGTERM);
		sleep_ms(100);
		_exit(8);
	}
	if (pid > 0)
		EXPECT_SIGNAL("child after SIG_DFL restored", reap(pid), SIGTERM);
}

static void t_pgid(void)
{
	pid_t me = getpid(), pid;
	int p[2];
	char c;

	EXPECT_OK(setpgid(0, 0));
	EXPECT_EQ(getpgid(0), me);
	EXPECT_EQ(getpgid(me), me);
	EXPECT_EQ(getpgrp(), me);
	EXPECT_ERR(getpgid(99999), ESRCH);
	EXPECT_ERR(setpgid(0, -1), EINVAL);
	if (EXPECT_OK(pipe(p)) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(getpgid(0) == getpid() ? 0 : 1);
	}
	close(p[0]);
	if (!CHECK(pid > 0, "fork: %s", strerror(errno)))
		return;
	EXPECT_EQ(getpgid(pid), me); /* inherited */
	EXPECT_OK(setpgid(pid, pid));
	EXPECT_EQ(getpgid(pid), pid);
	write(p[1], "x", 1);
	close(p[1]);
	EXPECT_EXIT("child in its own group", reap(pid), 0);
	/* kill(-pgid) signals the group */
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		for (;;)
			sleep_ms(1000);
	}
	if (pid > 0) {
		setpgid(pid, pid);
		sleep_ms(20);
		EXPECT_OK(kill(-pid, SIGKILL));
		EXPECT_SIGNAL("group member after kill(-pgid)", reap(pid), SIGKILL);
	}
}

static void t_exec_enoent(void)
{
	char *argv[] = {"nope", NULL};
	char *envp[] = {NULL};

	EXPECT_ERR(execve("/nonexistent/program", argv, envp), ENOENT);
	EXPECT_ERR(execve(tp("no-such-file"), argv, envp), ENOENT);
	EXPECT_ERR(execve("", argv, envp), ENOENT);
	/* still running normally */
	CHECK(getpid() == test_pid, "pid changed");
	EXPECT_EQ(write(1, "", 0), 0);
}

static void t_exec_enoexec(void)
{
	char *argv[] = {"text", NULL};
	char *envp[] = {NULL};
	int h = open(tp("text"), O_WRONLY | O_CREAT | O_TRUNC, 0755);
	char junk[512];

	if (EXPECT_OK(h) < 0)
		return;
	write(h, "hello, this is not a program\n", 29);
	close(h);
	EXPECT_ERR(execve(tp("text"), argv, envp), ENOEXEC);
	/* an ELF-looking header with garbage after it */
	memset(junk, 0x5a, sizeof(junk));
	memcpy(junk, "\177ELF", 4);
	h = open(tp("badelf"), O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (EXPECT_OK(h) < 0)
		return;
	write(h, junk, sizeof(junk));
	close(h);
	EXPECT_ERR(execve(tp("badelf"), argv, envp), ENOEXEC);
	/* an empty file */
	h = open(tp("empty"), O_WRONLY | O_CREAT | O_TRUNC, 0755);
	close(h);
	EXPECT_ERR(execve(tp("empty"), argv, envp), ENOEXEC);
	CHECK(getpid() == test_pid, "pid changed");
}

static void t_exec_dir(void)
{
	char *argv[] = {"dir", NULL};
	char *envp[] = {NULL};

	EXPECT_ERR(execve("/tmp", argv, envp), EACCES);
	EXPECT_ERR(execve("/", argv, envp), EACCES);
	EXPECT_ERR(execve(tp(""), argv, envp), EACCES);
}

/* Runs path with argv/envp, stdout into a pipe; output into out. -> status */
static int run_capture(const char *path, char *const argv[], char *const envp[], char *out,
                       size_t n)
{
	int p[2], st;
	pid_t pid;

	out[0] = '\0';
	if (EXPECT_OK(pipe(p)) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 1);
		close(p[1]);
		execve(path, argv, envp);
		_exit(120);
	}
	close(p[1]);
	if (!CHECK(pid > 0, "fork: %s", strerror(errno)))
		return -1;
	if (read_all(p[0], out, n) < 0)
		FAIL("reading the pipe: %s", strerror(errno));
	close(p[0]);
	st = reap(pid);
	return st;
}

static void t_exec_argv(void)
{
	char out[512];
	char *argv[] = {"echo", "hello", "two words", "", "last", NULL};
	char *argv1[] = {"echo", NULL};
	char *envp[] = {NULL};
	static char longarg[3000];
	char *argv2[] = {"echo", longarg, NULL};
	static char out2[4096];
	int st;

	st = run_capture(ECHO_PATH, argv, envp, out, sizeof(out));
	EXPECT_EXIT("echo", st, 0);
	CHECK(strcmp(out, "hello two words  last\n") == 0, "echo printed \"%s\"", out);
	st = run_capture(ECHO_PATH, argv1, envp, out, sizeof(out));
	EXPECT_EXIT("echo without args", st, 0);
	CHECK(strcmp(out, "\n") == 0, "bare echo printed \"%s\"", out);
	memset(longarg, 'q', sizeof(longarg) - 1);
	st = run_capture(ECHO_PATH, argv2, envp, out2, sizeof(out2));
	EXPECT_EXIT("echo long arg", st, 0);
	CHECK(strlen(out2) == sizeof(longarg) && out2[0] == 'q' && out2[2998] == 'q',
	      "long argument came back with %zu bytes", strlen(out2));
}

static void t_exec_envp(void)
{
	char out[512];
	char *argv[] = {"env", NULL};
	char *envp[] = {"FOO=bar", "SCTEST=with spaces and = sign", "EMPTY=", NULL};
	char *envp0[] = {NULL};
	int st;

	st = run_capture(ENV_PATH, argv, envp, out, sizeof(out));
	EXPECT_EXIT("env", st, 0);
	CHECK(strcmp(out, "FOO=bar\nSCTEST=with spaces and = sign\nEMPTY=\n") == 0,
	      "env printed \"%s\"", out);
	st = run_capture(ENV_PATH, argv, envp0, out, sizeof(out));
	EXPECT_EXIT("env with empty environment", st, 0);
	CHECK(out[0] == '\0', "env with empty envp printed \"%s\"", out);
}

/*
 * --child-cloexec H K [w]: H must be closed (EBADF), K must still be open
 * (and writable with "w").
 */
static int child_cloexec_main(int argc, char **argv)
{
	struct stat st;
	int h, k;

	if (argc < 4)
		return 2;
	h = atoi(argv[2]);
	k = atoi(argv[3]);
	if (fstat(h, &st) == 0)
		return 3; /* close-on-exec handle survived */
	if (errno != EBADF)
		return 4;
	if (fstat(k, &st) != 0)
		return 5; /* the plain handle was closed */
	if (argc > 4 && write(k, "k", 1) != 1)
		return 6;
	return 0;
}

static void t_exec_cloexec(void)
{
	int h, k, p[2], st;
	pid_t pid;
	char hs[16], ks[16], buf[8];

	h = open("/dev/null", O_WRONLY);
	if (EXPECT_OK(h) < 0 || EXPECT_OK(pipe(p)) < 0)
		return;
	EXPECT_EQ(fcntl(h, F_GETFD), 0);
	EXPECT_OK(fcntl(h, F_SETFD, FD_CLOEXEC));
	EXPECT_EQ(fcntl(h, F_GETFD), FD_CLOEXEC);
	k = p[1];
	snprintf(hs, sizeof(hs), "%d", h);
	snprintf(ks, sizeof(ks), "%d", k);
	pid = fork();
	if (pid == 0) {
		char *argv[] = {"sctest", "--child-cloexec", hs, ks, "w", NULL};
		close(p[0]);
		execve(SELF_PATH, argv, environ);
		_exit(120);
	}
	close(p[1]);
	if (!CHECK(pid > 0, "fork: %s", strerror(errno)))
		return;
	st = reap(pid);
	/* 3: cloexec handle survived exec, 5/6: plain handle lost, 120: exec failed */
	EXPECT_EXIT("exec'd child checking handles", st, 0);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 1);
	close(p[0]);
	/* O_CLOEXEC at open time, and dup clears the flag */
	h = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (EXPECT_OK(h) < 0)
		return;
	EXPECT_EQ(fcntl(h, F_GETFD), FD_CLOEXEC);
	k = dup(h);
	EXPECT_EQ(fcntl(k, F_GETFD), 0);
	snprintf(hs, sizeof(hs), "%d", h);
	snprintf(ks, sizeof(ks), "%d", k);
	pid = fork();
	if (pid == 0) {
		char *argv[] = {"sctest", "--child-cloexec", hs, ks, NULL};
		execve(SELF_PATH, argv, environ);
		_exit(120);
	}
	if (pid > 0)
		EXPECT_EXIT("exec'd child (O_CLOEXEC, dup)", reap(pid), 0);
}
