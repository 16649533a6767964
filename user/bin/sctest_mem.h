/*
 * sctest: memory — program break, large allocations, anonymous mappings,
 * the stack — and bad user pointers (EFAULT).  Included by sctest.c only.
 */

static int all_bytes(const void *p, int c, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != (unsigned char)c)
			return 0;
	return 1;
}

static void t_sbrk(void)
{
	char *old = sbrk(0), *p, *end;
	const size_t n = 256 * 1024 + 123;

	if (!CHECK(old != (char *)-1, "sbrk(0) failed: %s", strerror(errno)))
		return;
	p = sbrk((intptr_t)n);
	if (!CHECK(p == old, "sbrk(%zu) = %p, want old break %p", n, (void *)p, (void *)old))
		return;
	end = sbrk(0);
	CHECK(end == old + n, "break after sbrk: %p, want %p", (void *)end, (void *)(old + n));
	CHECK(all_bytes(p, 0, n), "new heap memory is not zeroed");
	memset(p, 0xa5, n);
	CHECK(all_bytes(p, 0xa5, n), "new heap memory did not keep writes");
	/* shrink and grow again: the memory comes back zeroed */
	p = sbrk(-(intptr_t)n);
	CHECK(p == end, "shrinking sbrk = %p, want %p", (void *)p, (void *)end);
	CHECK(sbrk(0) == old, "break after shrink %p, want %p", sbrk(0), (void *)old);
	p = sbrk(8192);
	CHECK(p == old, "regrow = %p", (void *)p);
	if (p == old)
		CHECK(all_bytes(p, 0, 8192), "regrown heap memory is not zeroed");
	/* the raw call reports the break */
	CHECK(sc_syscall(SYS_brk, 0, 0, 0, 0, 0, 0) == (long)(old + 8192),
	      "SYS_brk(0) = %#lx, want %p", sc_syscall(SYS_brk, 0, 0, 0, 0, 0, 0),
	      (void *)(old + 8192));
}

static void t_brk_low(void)
{
	char *cur = sbrk(0);
	long r;

	EXPECT_ERR(brk(badp(0x1000)), ENOMEM);
	CHECK(sbrk(0) == cur, "break moved to %p after a failed brk", sbrk(0));
	EXPECT_ERR(brk((void *)t_brk_low), ENOMEM); /* into the text */
	CHECK(sbrk(0) == cur, "break moved to %p after brk into the text", sbrk(0));
	/* raw: a failed move returns the old break */
	r = sc_syscall(SYS_brk, 0x1000, 0, 0, 0, 0, 0);
	CHECK(r == (long)cur, "SYS_brk(0x1000) = %#lx, want the old break %p", r, (void *)cur);
	/* past the end of user space, over the stack, over a mapping */
	EXPECT_ERR(brk(badp(0x4000001000ul)), ENOMEM);
	CHECK(sbrk(0) == cur, "break moved to %p after brk past user space", sbrk(0));
	EXPECT_ERR(brk(badp(0x3ffffff000ul)), ENOMEM);
	CHECK(sbrk(0) == cur, "break moved to %p after brk over the stack", sbrk(0));
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m != MAP_FAILED && m > cur) {
		EXPECT_ERR(brk(m + 4096), ENOMEM);
		CHECK(sbrk(0) == cur, "break moved to %p over a mapping", sbrk(0));
		m[0] = 1; /* the mapping is intact */
	}
	/* memory still usable */
	char *p = malloc(100);
	CHECK(p != NULL, "malloc after failed brk");
	if (p)
		memset(p, 1, 100);
}

static void t_malloc_big(void)
{
	const size_t n = 32u << 20;
	unsigned char *p = malloc(n);
	size_t i;
	int bad = 0;

	if (!CHECK(p != NULL, "malloc(32 MiB) failed"))
		return;
	for (i = 0; i < n; i += 4096)
		p[i] = (unsigned char)(i >> 12);
	p[n - 1] = 0x77;
	for (i = 0; i < n; i += 4096)
		if (p[i] != (unsigned char)(i >> 12))
			bad++;
	CHECK(bad == 0 && p[n - 1] == 0x77, "%d pages lost their value", bad);
	free(p);
	/* a second large allocation still works */
	p = malloc(8u << 20);
	CHECK(p != NULL, "malloc(8 MiB) after free failed");
	if (p)
		p[(8u << 20) - 1] = 1;
}

static void t_mmap_anon(void)
{
	const size_t n = 64 * 1024;
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q;

	if (!CHECK(p != MAP_FAILED, "mmap anon: %s", strerror(errno)))
		return;
	CHECK(((uintptr_t)p & 4095) == 0, "mapping %p not page aligned", (void *)p);
	CHECK(all_bytes(p, 0, n), "anonymous memory is not zeroed");
	memset(p, 0x3c, n);
	CHECK(all_bytes(p, 0x3c, n), "anonymous memory did not keep writes");
	/* an odd length rounds up */
	q = mmap(NULL, 5000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (CHECK(q != MAP_FAILED, "mmap 5000: %s", strerror(errno))) {
		CHECK(q + 8192 <= p || q >= p + n, "mappings overlap: %p and %p", (void *)q,
		      (void *)p);
		q[8191] = 1;
		EXPECT_OK(munmap(q, 5000));
	}
	EXPECT_OK(munmap(p, n));
	/* errors */
	EXPECT_ERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	EXPECT_ERR(mmap(NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	EXPECT_ERR(munmap(badp(0x12345), 4096), EINVAL);
	/* anonymous private mappings are copy-on-write across fork */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED) {
		pid_t pid;
		p[0] = 'P';
		pid = fork();
		if (pid == 0) {
			int okv = p[0] == 'P';
			p[0] = 'C';
			_exit(okv ? 0 : 1);
		}
		if (pid > 0) {
			EXPECT_EXIT("child reading the mapping", reap(pid), 0);
			CHECK(p[0] == 'P', "child's write to a private mapping leaked");
		}
	}
}

static int touch_unmapped(long unused)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)unused;
	if (p == MAP_FAILED)
		return 10;
	p[0] = 1;
	p[4096] = 1;
	p[8192] = 1;
	/* unmap the middle page only */
	if (munmap(p + 4096, 4096) != 0)
		return 11;
	p[0] = 2;
	p[8192] = 2;
	((volatile char *)p)[4096] = 3; /* must fault */
	return 12;
}

static int touch_unmapped_all(long unused)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)unused;
	if (p == MAP_FAILED)
		return 10;
	p[0] = 1;
	if (munmap(p, 4096) != 0)
		return 11;
	return ((volatile char *)p)[0] + 12; /* must fault */
}

static void t_munmap_segv(void)
{
	int st = run_child(touch_unmapped_all, 0);

	/* 10: mmap failed, 11: munmap failed, 12+: read after munmap worked */
	EXPECT_SIGNAL("child reading after munmap", st, SIGSEGV);
	st = run_child(touch_unmapped, 0);
	EXPECT_SIGNAL("child writing an unmapped middle page", st, SIGSEGV);
}

static int write_readonly(long unused)
{
	char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)unused;
	if (p == MAP_FAILED)
		return 10;
	if (((volatile char *)p)[100] != 0)
		return 11;
	((volatile char *)p)[100] = 1; /* must fault */
	return 12;
}

static int write_text(long unused)
{
	(void)unused;
	*(volatile unsigned *)(void *)t_sbrk = 0;
	return 12;
}

static void t_mmap_ro(void)
{
	/* 10: mmap failed, 11: not zero, 12: the write went through */
	EXPECT_SIGNAL("child writing a PROT_READ mapping", run_child(write_readonly, 0), SIGSEGV);
	EXPECT_SIGNAL("child writing its text", run_child(write_text, 0), SIGSEGV);
}

/* File mappings and shared memory (the page cache): across fork, past
 * the end of file, and their errors. */
static int store_k(long addr)
{
	((volatile char *)addr)[0] = 'K';
	return 0;
}

static int read_byte(long addr)
{
	return ((volatile char *)addr)[0];
}

static void t_mmap_shared_fork(void)
{
	char *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char buf[32];

	if (!CHECK(anon != MAP_FAILED, "mmap shared anon: %s", strerror(errno)))
		return;
	anon[0] = 'P';
	EXPECT_EXIT("child storing to shared memory", run_child(store_k, (long)anon), 0);
	CHECK(anon[0] == 'K', "shared anonymous store not seen by the parent: %c", anon[0]);
	if (put_file(tp("mshared"), "parent data") < 0)
		return;
	int h = open(tp("mshared"), O_RDWR);
	char *f = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, h, 0);
	char *pv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, h, 0);
	if (!CHECK(f != MAP_FAILED && pv != MAP_FAILED, "mmap file: %s", strerror(errno)))
		return;
	/* the child exits without munmap or msync: exit writes back */
	EXPECT_EXIT("child storing to a shared file mapping", run_child(store_k, (long)f), 0);
	CHECK(f[0] == 'K', "parent's shared mapping did not see the store");
	get_file(tp("mshared"), buf, sizeof(buf));
	CHECK(strcmp(buf, "Karent data") == 0, "file after the child's store: \"%s\"", buf);
	/* a private mapping: the child's store is its own */
	EXPECT_EXIT("child storing to a private file mapping", run_child(store_k, (long)(pv + 1)),
	            0);
	CHECK(pv[1] == 'a', "child's private store leaked: %c", pv[1]);
	get_file(tp("mshared"), buf, sizeof(buf));
	CHECK(strcmp(buf, "Karent data") == 0, "private store reached the file: \"%s\"", buf);
	EXPECT_OK(munmap(f, 4096));
	EXPECT_OK(munmap(pv, 4096));
	close(h);
}

static void t_mmap_file_sigbus(void)
{
	if (put_file(tp("mshort"), "0123456789") < 0)
		return;
	int h = open(tp("mshort"), O_RDWR);
	char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, h, 0);

	if (!CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno)))
		return;
	CHECK(p[9] == '9' && p[10] == 0 && p[4095] == 0, "last page: %c %d %d", p[9], p[10],
	      p[4095]);
	EXPECT_SIGNAL("child reading a page past the end of file",
	              run_child(read_byte, (long)(p + 4096)), SIGBUS);
	EXPECT_SIGNAL("child writing a page past the end of file",
	              run_child(store_k, (long)(p + 4096 + 8)), SIGBUS);
	EXPECT_OK(munmap(p, 2 * 4096));
	close(h);
}

static void t_mmap_file_errors(void)
{
	int p[2];

	if (put_file(tp("merr"), "x") < 0)
		return;
	int ro = open(tp("merr"), O_RDONLY), wo = open(tp("merr"), O_WRONLY);
	EXPECT_ERR(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
	EXPECT_ERR(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	EXPECT_ERR(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, ro, 100), EINVAL);
	EXPECT_ERR(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 200, 0), EBADF);
	int d = open(tdir, O_RDONLY);
	EXPECT_ERR(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, d, 0), ENODEV);
	if (EXPECT_OK(pipe(p)) == 0) {
		EXPECT_ERR(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, p[0], 0), ENODEV);
		close(p[0]);
		close(p[1]);
	}
	close(d);
	close(ro);
	close(wo);
}

static volatile int recursion_sink;

static __attribute__((noinline)) int deep(int n)
{
	volatile char frame[4000];

	frame[0] = (char)n;
	frame[sizeof(frame) - 1] = (char)(n >> 8);
	if (n == 0)
		return frame[0];
	return deep(n - 1) + frame[sizeof(frame) - 1] + recursion_sink;
}

static int deep_child(long depth)
{
	return deep((int)depth) == 0 ? 0 : 0;
}

static void t_stack_deep(void)
{
	/* about 6 MiB of stack, under the 8 MiB limit */
	EXPECT_EXIT("child recursing 6 MiB deep", run_child(deep_child, 1500), 0);
	/* far beyond the limit: killed, not a kernel problem */
	EXPECT_SIGNAL("child recursing 64 MiB deep", run_child(deep_child, 16000), SIGSEGV);
}

/* ---------------------------------------------------------- bad pointers */

static void t_efault_read(void)
{
	int h = open("/dev/zero", O_RDONLY), f, p[2];

	if (EXPECT_OK(h) < 0)
		return;
	EXPECT_ERR(read(h, badp(1), 10), EFAULT);
	EXPECT_ERR(read(h, NULL, 10), EFAULT);
	EXPECT_ERR(read(h, badp(KERNEL_VA), 16), EFAULT);
	EXPECT_ERR(read(h, (void *)t_efault_read, 16), EFAULT); /* read-only text */
	close(h);
	if (put_file(tp("efr"), "some data here") < 0)
		return;
	f = open(tp("efr"), O_RDONLY);
	if (EXPECT_OK(f) < 0)
		return;
	EXPECT_ERR(read(f, badp(1), 10), EFAULT);
	close(f);
	if (EXPECT_OK(pipe(p)) < 0)
		return;
	write(p[1], "abc", 3);
	EXPECT_ERR(read(p[0], badp(1), 3), EFAULT);
	close(p[0]);
	close(p[1]);
}

static void t_efault_write(void)
{
	int h = open(tp("efw"), O_RDWR | O_CREAT | O_TRUNC, 0644), p[2];
	struct stat st;

	if (EXPECT_OK(h) < 0)
		return;
	EXPECT_ERR(write(h, badp(KERNEL_VA), 10), EFAULT);
	EXPECT_ERR(write(h, badp(1), 10), EFAULT);
	EXPECT_ERR(write(h, badp(0x3f00000000ul), 10), EFAULT);
	if (EXPECT_OK(fstat(h, &st)) == 0)
		CHECK(st.size == 0, "failed writes left size %ld", (long)st.size);
	close(h);
	if (EXPECT_OK(pipe(p)) < 0)
		return;
	EXPECT_ERR(write(p[1], badp(KERNEL_VA), 10), EFAULT);
	close(p[0]);
	close(p[1]);
}

static void t_efault_open(void)
{
	EXPECT_ERR(open(NULL, O_RDONLY), EFAULT);
	EXPECT_ERR(open(badp(1), O_RDONLY), EFAULT);
	EXPECT_ERR(open(badp(KERNEL_VA), O_RDONLY), EFAULT);
	EXPECT_ERR(open(NULL, O_RDWR | O_CREAT, 0644), EFAULT);
	EXPECT_ERR(mkdir(NULL, 0755), EFAULT);
	EXPECT_ERR(unlink(badp(1)), EFAULT);
	EXPECT_ERR(chdir(badp(KERNEL_VA)), EFAULT);
}

static void t_efault_stat(void)
{
	int h = open("/dev/null", O_RDONLY);

	EXPECT_ERR(stat("/", badp(1)), EFAULT);
	EXPECT_ERR(stat("/", badp(KERNEL_VA)), EFAULT);
	EXPECT_ERR(lstat("/", NULL), EFAULT);
	EXPECT_ERR(stat(NULL, badp(1)), EFAULT);
	EXPECT_ERR(fstat(h, (struct stat *)(void *)t_efault_stat), EFAULT);
	close(h);
}

static void t_efault_pipe(void)
{
	int next, h;

	next = open("/dev/null", O_RDONLY);
	if (EXPECT_OK(next) < 0)
		return;
	close(next);
	EXPECT_ERR(pipe(badp(1)), EFAULT);
	EXPECT_ERR(pipe(badp(KERNEL_VA)), EFAULT);
	EXPECT_ERR(pipe((int *)(void *)t_efault_pipe), EFAULT);
	/* no handles leaked */
	h = open("/dev/null", O_RDONLY);
	CHECK(h == next, "failed pipe() leaked handles: next free %d, want %d", h, next);
	close(h);
}

static void t_efault_wait(void)
{
	int st = 0;
	pid_t r, pid = spawn(exit_with, 5);

	if (pid < 0)
		return;
	sleep_ms(20);
	EXPECT_ERR(waitpid(pid, badp(1), 0), EFAULT);
	/* as on Linux the child may be consumed by the failed wait; either is fine */
	r = waitpid(pid, &st, 0);
	CHECK(r == pid || (r == -1 && errno == ECHILD), "waitpid after EFAULT = %d", r);
	pid = spawn(exit_with, 6);
	if (pid < 0)
		return;
	EXPECT_ERR(wait(badp(KERNEL_VA)), EFAULT);
	r = waitpid(pid, &st, 0);
	CHECK(r == pid || (r == -1 && errno == ECHILD), "waitpid after EFAULT = %d", r);
}

static void t_efault_misc(void)
{
	char *argv[] = {"x", NULL};
	char buf[16];

	EXPECT_ERR(execve(badp(1), argv, NULL), EFAULT);
	EXPECT_ERR(execve(ECHO_PATH, badp(1), NULL), EFAULT);
	EXPECT_ERR(sc_uname(badp(1)), EFAULT);
	EXPECT_ERR(sc_meminfo(badp(KERNEL_VA)), EFAULT);
	CHECK(sc_syscall(SYS_clock, CLOCK_MONOTONIC, 1, 0, 0, 0, 0) == -EFAULT,
	      "SYS_clock into address 1 did not fail with EFAULT");
	EXPECT_ERR(getcwd(badp(1), 100) == NULL ? -1 : 0, EFAULT);
	EXPECT_ERR(sc_procinfo(badp(1), 4), EFAULT);
	EXPECT_ERR(readlink(badp(1), buf, sizeof(buf)), EFAULT);
	CHECK(getpid() == test_pid, "pid changed");
}
