/*
 * sctest: further checks — shared offsets across fork, resource leaks,
 * stop/continue, sessions, exec details (scripts, modes, pid), read-only
 * and cross-mount file-system errors, big files, atomic pipe writes.
 * Included by sctest.c only.
 */

static void t_fork_shared_offset(void)
{
	int h;
	pid_t pid;
	char buf[8];

	if (put_file(tp("off"), "0123456789") < 0)
		return;
	h = open(tp("off"), O_RDONLY);
	if (EXPECT_OK(h) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		char c[3];
		_exit(read(h, c, 3) == 3 && memcmp(c, "012", 3) == 0 ? 0 : 1);
	}
	if (pid > 0)
		EXPECT_EXIT("child reading 3 bytes", reap(pid), 0);
	EXPECT_EQ(lseek(h, 0, SEEK_CUR), 3);
	EXPECT_EQ(read(h, buf, 2), 2);
	CHECK(memcmp(buf, "34", 2) == 0, "parent read \"%.2s\" after the child", buf);
	/* the child closing its copy does not close ours */
	pid = fork();
	if (pid == 0)
		_exit(close(h) == 0 ? 0 : 1);
	if (pid > 0)
		EXPECT_EXIT("child closing the handle", reap(pid), 0);
	EXPECT_EQ(read(h, buf, 1), 1);
	close(h);
}

static void t_wait_many(void)
{
	enum { N = 8 };
	pid_t pids[N];
	int seen[N] = {0};

	for (int i = 0; i < N; i++) {
		pids[i] = spawn(sleep_then_exit, (N - i) * 5);
		if (pids[i] < 0)
			return;
	}
	for (int k = 0; k < N; k++) {
		int st;
		pid_t r = wait(&st);
		int i;
		for (i = 0; i < N && pids[i] != r; i++)
			;
		if (!CHECK(i < N, "wait() = %d, not one of the children (errno %d)", r, errno))
			return;
		seen[i]++;
		EXPECT_EXIT("child", st, 0);
	}
	for (int i = 0; i < N; i++)
		CHECK(seen[i] == 1, "child %d reaped %d times", pids[i], seen[i]);
	EXPECT_ERR(wait(NULL), ECHILD);
}

static char zstate(pid_t pid)
{
	struct sc_procinfo pi[128];
	int n = sc_procinfo(pi, 128);

	for (int i = 0; i < n; i++)
		if (pi[i].pid == pid)
			return pi[i].state;
	return '?';
}

static void t_zombie_state(void)
{
	pid_t pid = spawn(exit_with, 9);
	char s = 0;

	if (pid < 0)
		return;
	for (int i = 0; i < 100 && (s = zstate(pid)) != SC_TASK_ZOMBIE; i++)
		sleep_ms(5);
	CHECK(s == SC_TASK_ZOMBIE, "exited unreaped child has state '%c'", s);
	EXPECT_EXIT("zombie", reap(pid), 9);
	s = zstate(pid);
	CHECK(s == '?', "reaped child still listed with state '%c'", s);
}

static void t_stop_cont(void)
{
	pid_t pid = spawn(spin_forever, 0);
	char s = 0;
	int st;

	if (pid < 0)
		return;
	sleep_ms(20);
	EXPECT_OK(kill(pid, SIGSTOP));
	for (int i = 0; i < 50 && (s = zstate(pid)) != SC_TASK_STOPPED; i++)
		sleep_ms(5);
	if (!CHECK(s == SC_TASK_STOPPED, "after SIGSTOP state '%c'", s)) {
		kill(pid, SIGKILL);
		st = reap(pid);
		if (WIFSIGNALED(st))
			FAIL("SIGSTOP killed the child (status: signal %d)", WTERMSIG(st));
		return;
	}
	CHECK(waitpid(pid, &st, WNOHANG) == 0, "stopped child reported as finished");
	EXPECT_OK(kill(pid, SIGCONT));
	for (int i = 0; i < 50 && (s = zstate(pid)) == SC_TASK_STOPPED; i++)
		sleep_ms(5);
	CHECK(s == SC_TASK_RUNNING || s == SC_TASK_SLEEPING, "after SIGCONT state '%c'", s);
	/* SIGKILL ends a stopped process */
	EXPECT_OK(kill(pid, SIGSTOP));
	sleep_ms(20);
	EXPECT_OK(kill(pid, SIGKILL));
	EXPECT_SIGNAL("stopped child after SIGKILL", reap(pid), SIGKILL);
	/* SIGTERM to a stopped process is delivered on SIGCONT */
	pid = spawn(spin_forever, 0);
	if (pid < 0)
		return;
	sleep_ms(10);
	kill(pid, SIGSTOP);
	sleep_ms(10);
	kill(pid, SIGTERM);
	kill(pid, SIGCONT);
	EXPECT_SIGNAL("stopped child after SIGTERM+SIGCONT", reap(pid), SIGTERM);
}

static int session_child(long unused)
{
	pid_t me = getpid(), s;

	(void)unused;
	s = setsid();
	if (s != me)
		return 10;
	if (getpgid(0) != me)
		return 11;
	if (setsid() != -1 || errno != EPERM)
		return 12; /* a group leader cannot start a new session */
	return 0;
}

static void t_setsid(void)
{
	/* 10: setsid result, 11: pgid, 12: second setsid did not fail EPERM */
	EXPECT_EXIT("child calling setsid", run_child(session_child, 0), 0);
	EXPECT_ERR(setpgid(99999, 0), ESRCH);
	EXPECT_ERR(setpgid(1, 1), ESRCH); /* not our child */
}

static int group_kill_child(long unused)
{
	pid_t kid;

	(void)unused;
	setpgid(0, 0);
	kid = fork();
	if (kid == 0) {
		for (;;)
			sleep_ms(1000);
	}
	sleep_ms(10);
	signal(SIGTERM, SIG_IGN_H); /* survive our own group signal */
	if (kill(0, SIGTERM) != 0)
		return 10;
	int st;
	if (waitpid(kid, &st, 0) != kid)
		return 11;
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM ? 0 : 12;
}

static void t_kill_group_zero(void)
{
	/* kill(0, sig) signals the caller's own group */
	EXPECT_EXIT("child signalling its group", run_child(group_kill_child, 0), 0);
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	static char buf[16384];
	int in = open(from, O_RDONLY), out;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	close(in);
	close(out);
	return n < 0 ? -1 : 0;
}

static void t_exec_modes(void)
{
	char out[512];
	char *argv[] = {"echo", "copied", NULL};
	char *envp[] = {NULL};
	int st;

	/* a copy of a program on /tmp runs */
	if (EXPECT_OK(copy_file(ECHO_PATH, tp("echo-x"), 0755)) < 0)
		return;
	st = run_capture(tp("echo-x"), argv, envp, out, sizeof(out));
	EXPECT_EXIT("echo copied to /tmp", st, 0);
	CHECK(strcmp(out, "copied\n") == 0, "copied echo printed \"%s\"", out);
	/* without an execute bit: EACCES */
	if (EXPECT_OK(copy_file(ECHO_PATH, tp("echo-nx"), 0644)) == 0)
		EXPECT_ERR(execve(tp("echo-nx"), argv, envp), EACCES);
	/* trailing slash on a file */
	char path[320];
	snprintf(path, sizeof(path), "%s/", tp("echo-x"));
	EXPECT_ERR(execve(path, argv, envp), ENOTDIR);
	/* a truncated program (headers intact, segments cut): ENOEXEC, caller intact */
	if (EXPECT_OK(copy_file(ECHO_PATH, tp("echo-cut"), 0755)) == 0) {
		int h = open(tp("echo-cut"), O_WRONLY);
		EXPECT_OK(ftruncate(h, 1024));
		close(h);
		g_cow = 4321;
		EXPECT_ERR(execve(tp("echo-cut"), argv, envp), ENOEXEC);
		CHECK(g_cow == 4321 && getpid() == test_pid, "caller damaged by a failed exec");
	}
	/* a bad pointer inside argv or envp: EFAULT, caller intact */
	char *bad_argv[] = {"echo", badp(1), NULL};
	char *bad_envp[] = {"A=1", badp(KERNEL_VA), NULL};
	EXPECT_ERR(execve(ECHO_PATH, bad_argv, envp), EFAULT);
	EXPECT_ERR(execve(ECHO_PATH, argv, bad_envp), EFAULT);
	CHECK(g_cow == 4321, "caller damaged by a failed exec");
	/* through a symlink */
	EXPECT_OK(symlink("echo-x", tp("echo-link")));
	st = run_capture(tp("echo-link"), argv, envp, out, sizeof(out));
	EXPECT_EXIT("echo through a symlink", st, 0);
}

static void t_exec_script(void)
{
	char out[512], want[400];
	char *argv[] = {"script", "arg1", NULL};
	char *envp[] = {NULL};
	int st;

	if (put_file(tp("script"), "#!" ECHO_PATH " hi\nthis line is ignored\n") < 0)
		return;
	/* put_file made it 0644: recreate executable */
	int h = open(tp("script.x"), O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (EXPECT_OK(h) < 0)
		return;
	write(h, "#!" ECHO_PATH " hi\n", strlen("#!" ECHO_PATH " hi\n"));
	close(h);
	st = run_capture(tp("script.x"), argv, envp, out, sizeof(out));
	EXPECT_EXIT("#! script", st, 0);
	snprintf(want, sizeof(want), "hi %s arg1\n", tp("script.x"));
	CHECK(strcmp(out, want) == 0, "#! script printed \"%s\", want \"%s\"", out, want);
	/* a #! naming a missing interpreter */
	h = open(tp("script.bad"), O_WRONLY | O_CREAT | O_TRUNC, 0755);
	write(h, "#!/no/such/interp\n", 18);
	close(h);
	EXPECT_ERR(execve(tp("script.bad"), argv, envp), ENOENT);
}

static void t_exec_keeps_pid(void)
{
	char out[128], want[128];
	char *argv[] = {"sctest", "--child-ids", NULL};
	int p[2];
	pid_t pid;

	if (EXPECT_OK(pipe(p)) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 1);
		close(p[1]);
		setpgid(0, 0);
		execve(SELF_PATH, argv, environ);
		_exit(120);
	}
	close(p[1]);
	if (pid < 0)
		return;
	read_all(p[0], out, sizeof(out));
	close(p[0]);
	EXPECT_EXIT("exec'd child", reap(pid), 0);
	snprintf(want, sizeof(want), "%d %d %d\n", pid, getpid(), pid);
	CHECK(strcmp(out, want) == 0, "exec'd pid/ppid/pgid \"%s\", want \"%s\"", out, want);
}

static int child_ids_main(void)
{
	printf("%d %d %d\n", getpid(), getppid(), getpgid(0));
	return 0;
}

static void t_exec_e2big(void)
{
	char **argv = malloc(5000 * sizeof(char *));
	char *big = malloc(200 * 1024);
	char *envp[] = {NULL};

	if (!argv || !big)
		return;
	/* one string of 200 KiB: over the 128 KiB a string may have */
	memset(big, 'b', 200 * 1024 - 1);
	big[200 * 1024 - 1] = '\0';
	argv[0] = "echo";
	argv[1] = big;
	argv[2] = NULL;
	EXPECT_ERR(execve(ECHO_PATH, argv, envp), E2BIG);
	/* 5000 arguments of 1000 bytes: over the 2 MiB that a quarter of the
	 * 8 MiB stack limit allows */
	big[999] = '\0';
	for (int i = 0; i < 4999; i++)
		argv[i] = big;
	argv[4999] = NULL;
	EXPECT_ERR(execve(ECHO_PATH, argv, envp), E2BIG);
	for (int i = 0; i < 4999; i++)
		argv[i] = "a";
	/* a moderate list works: 1000 args */
	argv[1000] = NULL;
	pid_t pid = fork();
	if (pid == 0) {
		int h = open("/dev/null", O_WRONLY);
		dup2(h, 1);
		execve(ECHO_PATH, argv, envp);
		_exit(120);
	}
	if (pid > 0)
		EXPECT_EXIT("echo with 1000 args", reap(pid), 0);
}

static void t_erofs(void)
{
	const char *probe = "/system/scarlet/bin/.sctest-probe";
	struct stat st;
	int h;

	/* probe with a new name first, so a writable /system is not damaged */
	h = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (h >= 0) {
		close(h);
		unlink(probe);
		FAIL("/system/scarlet is writable (created %s); skipped the other checks", probe);
		return;
	}
	EXPECT_ERR(h, EROFS);
	EXPECT_ERR(open(SELF_PATH, O_WRONLY), EROFS);
	EXPECT_ERR(open(SELF_PATH, O_RDWR | O_TRUNC), EROFS);
	EXPECT_ERR(mkdir("/system/scarlet/newdir", 0755), EROFS);
	EXPECT_ERR(unlink(ECHO_PATH), EROFS);
	EXPECT_ERR(symlink("x", "/system/scarlet/newlink"), EROFS);
	EXPECT_ERR(rename(ECHO_PATH, "/system/scarlet/bin/echo2"), EROFS);
	EXPECT_OK(stat(ECHO_PATH, &st));
	h = open(SELF_PATH, O_RDONLY);
	if (EXPECT_OK(h) >= 0) {
		EXPECT_ERR(ftruncate(h, 0), EBADF);
		close(h);
	}
}

static void t_exdev_ebusy(void)
{
	if (put_file(tp("xf"), "x") < 0)
		return;
	EXPECT_ERR(rename(tp("xf"), "/dev/xf"), EXDEV);
	EXPECT_ERR(link(tp("xf"), "/dev/xf"), EXDEV);
	EXPECT_ERR(rmdir("/tmp"), EBUSY);
	EXPECT_ERR(rmdir("/dev"), EBUSY);
	/* a mount point cannot move: EBUSY, or EXDEV as the target is on another mount */
	long r = rename("/tmp", tp("tmp2"));
	CHECK(r == -1 && (errno == EBUSY || errno == EXDEV), "rename(/tmp) = %ld errno %d", r,
	      errno);
}

static void t_removed_cwd(void)
{
	char buf[320];

	EXPECT_OK(mkdir(tp("gone"), 0755));
	EXPECT_OK(chdir(tp("gone")));
	EXPECT_OK(rmdir(tp("gone")));
	EXPECT_ERR(open("new", O_WRONLY | O_CREAT, 0644), ENOENT);
	EXPECT_ERR(mkdir("newdir", 0755), ENOENT);
	/* ".." of a removed directory still leads out */
	if (getcwd(buf, sizeof(buf)) == NULL)
		CHECK(errno == ENOENT, "getcwd in a removed directory: %s", strerror(errno));
	EXPECT_OK(chdir("/"));
}

static void t_dots(void)
{
	struct stat a, b;

	EXPECT_OK(mkdir(tp("dd"), 0755));
	EXPECT_ERR(mkdir(tp("dd/."), 0755), EEXIST);
	EXPECT_ERR(mkdir(tp("dd/.."), 0755), EEXIST);
	EXPECT_ERR(rmdir(tp("dd/..")), ENOTEMPTY);
	EXPECT_ERR(unlink(tp("dd/.")), EISDIR);
	EXPECT_OK(mkdir(tp("dd/trail/"), 0755));
	EXPECT_OK(stat(tp("dd/trail/."), &a));
	EXPECT_OK(stat(tp("dd/trail/.."), &b));
	EXPECT_OK(stat(tp("dd"), &a));
	CHECK(a.ino == b.ino, "dd/trail/.. is inode %lu, dd is %lu", (unsigned long)b.ino,
	      (unsigned long)a.ino);
	CHECK(a.nlink == 3, "dd with one subdirectory has nlink %u, want 3", a.nlink);
	EXPECT_OK(stat("//tmp///", &a));
	EXPECT_OK(rmdir(tp("dd/trail/")));
}

static void t_times(void)
{
	struct stat a, b;
	int h = open(tp("tm"), O_RDWR | O_CREAT, 0644);

	if (EXPECT_OK(h) < 0)
		return;
	EXPECT_OK(fstat(h, &a));
	CHECK(a.mtime_ns > 1577836800ll * 1000000000ll, "mtime %ld is before 2020",
	      (long)a.mtime_ns);
	sleep_ms(20);
	EXPECT_EQ(write(h, "x", 1), 1);
	EXPECT_OK(fstat(h, &b));
	CHECK(b.mtime_ns > a.mtime_ns, "write did not advance mtime (%ld -> %ld)", (long)a.mtime_ns,
	      (long)b.mtime_ns);
	close(h);
	EXPECT_OK(stat(tdir, &a));
	sleep_ms(20);
	put_file(tp("tm2"), "");
	EXPECT_OK(stat(tdir, &b));
	CHECK(b.mtime_ns > a.mtime_ns, "creating a file did not advance the directory mtime");
}

static void t_deep_paths(void)
{
	char path[1200];
	size_t len = strlen(tdir);
	struct stat st;

	memcpy(path, tdir, len + 1);
	for (int i = 0; i < 60; i++) {
		len += (size_t)snprintf(path + len, sizeof(path) - len, "/d%02d", i);
		if (!CHECK(mkdir(path, 0755) == 0, "mkdir level %d: %s", i, strerror(errno)))
			return;
	}
	EXPECT_OK(chdir(path));
	EXPECT_OK(stat("../../../d57/d58/d59", &st));
	char cwd[1200];
	CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, path) == 0, "deep getcwd");
	chdir("/");
	/* chains of symlinks: 8 hops resolve, 50 are ELOOP */
	EXPECT_OK(put_file(tp("c0"), "end"));
	for (int i = 1; i <= 50; i++) {
		char t[16], l[16];
		snprintf(t, sizeof(t), "c%d", i - 1);
		snprintf(l, sizeof(l), "c%d", i);
		EXPECT_OK(symlink(t, tp(l)));
	}
	char buf[8];
	EXPECT_EQ(get_file(tp("c8"), buf, sizeof(buf)), 3);
	EXPECT_ERR(open(tp("c50"), O_RDONLY), ELOOP);
}

static void t_big_file(void)
{
	int h = open(tp("huge"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	char c = 1;
	long r;
	struct stat st;

	if (EXPECT_OK(h) < 0)
		return;
	/* a far sparse write: either works or fails cleanly */
	EXPECT_EQ(lseek(h, 1l << 32, SEEK_SET), 1l << 32);
	r = write(h, "Q", 1);
	CHECK(r == 1 || (r == -1 && (errno == EFBIG || errno == ENOMEM || errno == ENOSPC)),
	      "write at 4 GiB = %ld errno %d", r, errno);
	if (r == 1) {
		EXPECT_OK(fstat(h, &st));
		CHECK(st.size == (1l << 32) + 1, "size %ld", (long)st.size);
		EXPECT_EQ(lseek(h, 1l << 31, SEEK_SET), 1l << 31);
		EXPECT_EQ(read(h, &c, 1), 1);
		CHECK(c == 0, "hole byte %d", c);
	}
	/* beyond the maximum file size: EFBIG */
	EXPECT_EQ(lseek(h, 1l << 50, SEEK_SET), 1l << 50);
	EXPECT_ERR(write(h, "Q", 1), EFBIG);
	EXPECT_ERR(ftruncate(h, 1l << 50), EFBIG);
	EXPECT_OK(ftruncate(h, 0));
	close(h);
}

static void t_pipe_atomic(void)
{
	enum { REC = 512, COUNT = 300 };
	int p[2];
	pid_t a, b;
	static char rec[REC];
	int bad = 0, records = 0;
	size_t fill = 0;
	ssize_t n;

	if (EXPECT_OK(pipe(p)) < 0)
		return;
	for (int w = 0; w < 2; w++) {
		pid_t pid = fork();
		if (pid == 0) {
			char out[REC];
			close(p[0]);
			memset(out, w ? 'B' : 'A', sizeof(out));
			for (int i = 0; i < COUNT; i++)
				if (write(p[1], out, sizeof(out)) != REC)
					_exit(1);
			_exit(0);
		}
		if (w)
			b = pid;
		else
			a = pid;
	}
	close(p[1]);
	while ((n = read(p[0], rec + fill, REC - fill)) > 0) {
		fill += (size_t)n;
		if (fill < REC)
			continue;
		fill = 0;
		records++;
		if (!all_bytes(rec, rec[0], REC) && !bad++)
			FAIL("record %d mixes writers (writes of %d bytes are not atomic)", records,
			     REC);
	}
	CHECK(records == 2 * COUNT, "%d records, want %d", records, 2 * COUNT);
	if (a > 0)
		EXPECT_EXIT("writer A", reap(a), 0);
	if (b > 0)
		EXPECT_EXIT("writer B", reap(b), 0);
	close(p[0]);
}

static int fork_touch_child(long mib)
{
	char *p = malloc((size_t)mib << 20);

	if (!p)
		return 1;
	memset(p, 3, (size_t)mib << 20);
	pid_t pid = fork();
	if (pid == 0) {
		memset(p, 4, (size_t)mib << 20);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	return st == 0 ? 0 : 2;
}

static void t_no_leaks(void)
{
	struct sc_meminfo m0, m1;
	int p[2];

	/* warm up, then measure */
	run_child(fork_touch_child, 4);
	sleep_ms(20);
	EXPECT_OK(sc_meminfo(&m0));
	for (int i = 0; i < 5; i++) {
		EXPECT_EXIT("fork+touch child", run_child(fork_touch_child, 8), 0);
		if (pipe(p) == 0) {
			write(p[1], "x", 1);
			close(p[0]);
			close(p[1]);
		}
		int h = open(tp("leak"), O_RDWR | O_CREAT | O_TRUNC, 0644);
		static char blk[65536];
		for (int k = 0; k < 16; k++)
			write(h, blk, sizeof(blk));
		close(h);
		unlink(tp("leak"));
		char *argv[] = {"true", NULL};
		char *envp[] = {NULL};
		pid_t pid = fork();
		if (pid == 0) {
			execve("/system/scarlet/bin/true", argv, envp);
			_exit(120);
		}
		if (pid > 0)
			reap(pid);
	}
	sleep_ms(20);
	EXPECT_OK(sc_meminfo(&m1));
	CHECK(m1.free + (1 << 20) >= m0.free,
	      "free memory fell from %lu to %lu KiB over 5 rounds of fork/exec/pipe/file",
	      (unsigned long)(m0.free >> 10), (unsigned long)(m1.free >> 10));
}

static int oom_child(long unused)
{
	(void)unused;
	/* reserve 1 GiB of heap in a 512 MiB machine and touch it all */
	char *p = sbrk(0);
	if (brk(p + (1ul << 30)) != 0)
		return 0; /* refused up front: fine */
	for (size_t i = 0; i < (1ul << 30); i += 4096)
		p[i] = 1;
	return 1;
}

static void t_oom(void)
{
	struct sc_meminfo m0, m1;
	int st;

	EXPECT_OK(sc_meminfo(&m0));
	st = run_child(oom_child, 0);
	/* refused (exit 0) or killed; exit 1 means 1 GiB fitted in 512 MiB */
	CHECK(st != -1 && (st == 0 || WIFSIGNALED(st)), "OOM child: status %#x", (unsigned)st);
	sleep_ms(20);
	EXPECT_OK(sc_meminfo(&m1));
	CHECK(m1.free + (2 << 20) >= m0.free, "memory not returned after OOM: %lu -> %lu KiB",
	      (unsigned long)(m0.free >> 10), (unsigned long)(m1.free >> 10));
}
