/*
 * sctest: handles, pipes, devices, time and system information.
 * Included by sctest.c only.
 */

#define HANDLE_LIMIT 256

/* ------------------------------------------------------------- handles */

static void t_ebadf(void)
{
	char c = 0;
	int h;
	struct stat st;

	EXPECT_ERR(read(-1, &c, 1), EBADF);
	EXPECT_ERR(read(9999, &c, 1), EBADF);
	EXPECT_ERR(read(HANDLE_LIMIT, &c, 1), EBADF);
	EXPECT_ERR(write(-1, &c, 1), EBADF);
	EXPECT_ERR(write(9999, &c, 1), EBADF);
	EXPECT_ERR(close(-1), EBADF);
	EXPECT_ERR(close(9999), EBADF);
	EXPECT_ERR(fstat(-1, &st), EBADF);
	EXPECT_ERR(dup(-1), EBADF);
	EXPECT_ERR(dup(9999), EBADF);
	EXPECT_ERR(dup2(-1, 5), EBADF);
	EXPECT_ERR(fcntl(9999, F_GETFD), EBADF);
	h = open("/dev/null", O_RDWR);
	if (EXPECT_OK(h) < 0)
		return;
	EXPECT_ERR(dup2(h, -1), EBADF);
	EXPECT_ERR(dup2(h, HANDLE_LIMIT), EBADF);
	EXPECT_OK(close(h));
	EXPECT_ERR(read(h, &c, 1), EBADF);
	EXPECT_ERR(write(h, &c, 1), EBADF);
	EXPECT_ERR(close(h), EBADF);
	EXPECT_ERR(fstat(h, &st), EBADF);
	EXPECT_ERR(ftruncate(h, 0), EBADF);
}

static void t_ebadf_mode(void)
{
	const char *path = tp("mode");
	char buf[8];
	int h;

	if (put_file(path, "data") < 0)
		return;
	h = open(path, O_RDONLY);
	if (EXPECT_OK(h) >= 0) {
		EXPECT_ERR(write(h, "x", 1), EBADF);
		EXPECT_EQ(read(h, buf, 4), 4);
		close(h);
	}
	h = open(path, O_WRONLY);
	if (EXPECT_OK(h) >= 0) {
		EXPECT_ERR(read(h, buf, 1), EBADF);
		EXPECT_EQ(write(h, "x", 1), 1);
		close(h);
	}
	int p[2];
	if (EXPECT_OK(pipe(p)) == 0) {
		EXPECT_ERR(write(p[0], "x", 1), EBADF);
		EXPECT_ERR(read(p[1], buf, 1), EBADF);
		close(p[0]);
		close(p[1]);
	}
	EXPECT_ERR(open(path, O_ACCMODE), EINVAL);
}

static void t_dup_lowest(void)
{
	int a, b, c, d, lo;
	char buf[8];

	a = open("/dev/null", O_RDONLY);
	b = open("/dev/null", O_RDONLY);
	c = open("/dev/null", O_RDONLY);
	if (EXPECT_OK(a) < 0 || EXPECT_OK(b) < 0 || EXPECT_OK(c) < 0)
		return;
	/* each open takes the lowest free handle */
	for (int i = 0; i < a; i++)
		CHECK(fcntl(i, F_GETFD) >= 0, "open = %d but %d below it is free", a, i);
	for (int i = a + 1; i < b; i++)
		CHECK(fcntl(i, F_GETFD) >= 0, "open = %d but %d below it is free", b, i);
	CHECK(a < b && b < c, "open gave %d %d %d", a, b, c);
	close(b);
	close(a);
	lo = a;
	d = dup(c);
	CHECK(d == lo, "dup = %d, want lowest free %d", d, lo);
	d = open("/dev/null", O_RDONLY);
	CHECK(d == b, "open = %d, want lowest free %d", d, b);
	close(a);
	close(b);
	close(c);
	/* a dup shares the offset */
	if (put_file(tp("dupf"), "abcdef") < 0)
		return;
	a = open(tp("dupf"), O_RDONLY);
	b = dup(a);
	EXPECT_EQ(read(a, buf, 2), 2);
	EXPECT_EQ(read(b, buf, 2), 2);
	CHECK(memcmp(buf, "cd", 2) == 0, "dup does not share the offset: \"%.2s\"", buf);
	close(a);
	EXPECT_EQ(read(b, buf, 2), 2); /* still open after closing the original */
	close(b);
	/* closing stdin makes 0 the lowest */
	pid_t pid = fork();
	if (pid == 0) {
		close(0);
		_exit(open("/dev/null", O_RDONLY) == 0 ? 0 : 1);
	}
	if (pid > 0)
		EXPECT_EXIT("child: open after close(0) gets 0", reap(pid), 0);
}

static void t_dup2(void)
{
	int p[2], h, r;
	char buf[16];

	if (put_file(tp("d2"), "from-file") < 0 || EXPECT_OK(pipe(p)) < 0)
		return;
	h = open(tp("d2"), O_RDONLY);
	if (EXPECT_OK(h) < 0)
		return;
	/* dup2 onto the only write end of a pipe: the reader then sees EOF */
	r = dup2(h, p[1]);
	CHECK(r == p[1], "dup2 = %d, want %d", r, p[1]);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 0);
	EXPECT_EQ(read(p[1], buf, 4), 4);
	CHECK(memcmp(buf, "from", 4) == 0, "new handle reads \"%.4s\"", buf);
	EXPECT_EQ(read(h, buf, 5), 5); /* shared offset */
	CHECK(memcmp(buf, "-file", 5) == 0, "offset not shared: \"%.5s\"", buf);
	/* dup2 onto itself is a no-op returning the handle */
	EXPECT_EQ(dup2(h, h), h);
	EXPECT_OK(fstat(h, &(struct stat){0}));
	/* onto a free high handle */
	EXPECT_EQ(dup2(h, 200), 200);
	EXPECT_OK(close(200));
	/* the copy does not inherit close-on-exec */
	fcntl(h, F_SETFD, FD_CLOEXEC);
	EXPECT_EQ(dup2(h, 201), 201);
	EXPECT_EQ(fcntl(201, F_GETFD), 0);
	close(201);
	close(h);
	close(p[0]);
	close(p[1]);
}

static void t_fcntl(void)
{
	int h = open(tp("fl"), O_RDWR | O_CREAT | O_APPEND, 0644);

	if (EXPECT_OK(h) < 0)
		return;
	int fl = fcntl(h, F_GETFL);
	CHECK(fl >= 0 && (fl & O_ACCMODE) == O_RDWR, "F_GETFL = %#x lacks O_RDWR", fl);
	CHECK(fl >= 0 && (fl & O_APPEND), "F_GETFL = %#x lacks O_APPEND", fl);
	EXPECT_OK(fcntl(h, F_SETFL, 0));
	fl = fcntl(h, F_GETFL);
	CHECK(fl >= 0 && !(fl & O_APPEND) && (fl & O_ACCMODE) == O_RDWR,
	      "F_GETFL after clearing = %#x", fl);
	EXPECT_EQ(fcntl(h, F_GETFD), 0);
	EXPECT_OK(fcntl(h, F_SETFD, FD_CLOEXEC));
	EXPECT_EQ(fcntl(h, F_GETFD), FD_CLOEXEC);
	EXPECT_OK(fcntl(h, F_SETFD, 0));
	EXPECT_EQ(fcntl(h, F_GETFD), 0);
	EXPECT_ERR(fcntl(h, 999), EINVAL);
	close(h);
}

static void t_emfile(void)
{
	static int hs[HANDLE_LIMIT + 8];
	int n = 0, open_before = 0, h;
	struct stat st;

	for (int i = 0; i < HANDLE_LIMIT; i++)
		if (fstat(i, &st) == 0)
			open_before++;
	for (;;) {
		h = open("/dev/null", O_RDONLY);
		if (h < 0)
			break;
		if (n < HANDLE_LIMIT + 8)
			hs[n++] = h;
		else
			break;
	}
	CHECK(h < 0 && errno == EMFILE, "open stopped with %d errno %d, want EMFILE", h, errno);
	CHECK(n + open_before == HANDLE_LIMIT, "%d opened + %d already open, want %d", n,
	      open_before, HANDLE_LIMIT);
	EXPECT_ERR(dup(0), EMFILE);
	int p[2];
	EXPECT_ERR(pipe(p), EMFILE);
	for (int i = 0; i < n; i++)
		if (close(hs[i]) != 0)
			FAIL("close(%d): %s", hs[i], strerror(errno));
	h = open("/dev/null", O_RDONLY);
	CHECK(h >= 0 && h == hs[0], "open after closing all = %d, want %d", h, hs[0]);
	close(h);
	/* one slot left: pipe needs two and must not leak the first */
	n = 0;
	while ((h = open("/dev/null", O_RDONLY)) >= 0)
		hs[n++] = h;
	if (n > 0) {
		close(hs[--n]);
		EXPECT_ERR(pipe(p), EMFILE);
		h = open("/dev/null", O_RDONLY);
		CHECK(h >= 0, "pipe() with one free slot leaked it");
		if (h >= 0)
			close(h);
	}
	for (int i = 0; i < n; i++)
		close(hs[i]);
}

/* --------------------------------------------------------------- pipes */

static void t_pipe_basic(void)
{
	int p[2];
	char buf[32];

	if (EXPECT_OK(pipe(p)) < 0)
		return;
	CHECK(p[0] != p[1] && p[0] >= 0 && p[1] >= 0, "pipe handles %d %d", p[0], p[1]);
	EXPECT_EQ(write(p[1], "hello", 5), 5);
	EXPECT_EQ(write(p[1], " pipe", 5), 5);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(read(p[0], buf, 3), 3);
	CHECK(memcmp(buf, "hel", 3) == 0, "read \"%.3s\"", buf);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 7);
	CHECK(memcmp(buf, "lo pipe", 7) == 0, "read \"%.7s\"", buf);
	EXPECT_EQ(write(p[1], "", 0), 0);
	close(p[0]);
	close(p[1]);
}

static void t_pipe_eof(void)
{
	int p[2], d;
	char buf[8];
	pid_t pid;

	if (EXPECT_OK(pipe(p)) < 0)
		return;
	d = dup(p[1]);
	write(p[1], "ab", 2);
	close(p[1]);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 2);
	write(d, "c", 1); /* the dup still writes */
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 1);
	close(d);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 0);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 0);
	close(p[0]);
	/* a child holding the write end: EOF only after it exits */
	if (EXPECT_OK(pipe(p)) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		sleep_ms(50);
		write(p[1], "z", 1);
		_exit(0);
	}
	close(p[1]);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 1);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 0);
	if (pid > 0)
		reap(pid);
	close(p[0]);
}

static void t_pipe_epipe(void)
{
	int p[2];

	CHECK(signal(SIGPIPE, SIG_IGN_H) != SIG_ERR, "signal(SIGPIPE): %s", strerror(errno));
	if (EXPECT_OK(pipe(p)) < 0)
		return;
	close(p[0]);
	EXPECT_ERR(write(p[1], "x", 1), EPIPE);
	EXPECT_ERR(write(p[1], "xyz", 3), EPIPE);
	close(p[1]);
}

static int sigpipe_child(long unused)
{
	int p[2];

	(void)unused;
	if (pipe(p) < 0)
		return 10;
	close(p[0]);
	write(p[1], "x", 1);
	return 11; /* not killed */
}

/* arg: read end << 16 | write end */
static int sigpipe_blocked_writer(long ends)
{
	static char chunk[4096];

	close((int)(ends >> 16));
	for (;;)
		if (write((int)(ends & 0xffff), chunk, sizeof(chunk)) < 0)
			return 12;
}

static void t_pipe_sigpipe(void)
{
	int p[2];
	pid_t pid;

	EXPECT_SIGNAL("child writing to a reader-less pipe", run_child(sigpipe_child, 0), SIGPIPE);
	/* a writer blocked on a full pipe gets SIGPIPE when the reader goes */
	if (EXPECT_OK(pipe(p)) < 0)
		return;
	pid = spawn(sigpipe_blocked_writer, (long)p[0] << 16 | p[1]);
	close(p[1]);
	if (pid < 0)
		return;
	sleep_ms(50);
	close(p[0]);
	EXPECT_SIGNAL("blocked writer after the reader closed", reap(pid), SIGPIPE);
}

static uint32_t pattern(uint32_t i)
{
	uint32_t x = i * 2654435761u;
	return x ^ (x >> 13);
}

static void t_pipe_big(void)
{
	enum { TOTAL = 1 << 20 };
	int p[2];
	pid_t pid;
	static unsigned char buf[8192];
	uint64_t sum = 0, want = 0;
	size_t got = 0;
	ssize_t n;
	int bad = 0;

	for (uint32_t i = 0; i < TOTAL; i++)
		want = want * 31 + (pattern(i) & 0xff);
	if (EXPECT_OK(pipe(p)) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		static unsigned char out[7000];
		uint32_t i = 0;
		close(p[0]);
		while (i < TOTAL) {
			/* odd, varying chunk sizes */
			size_t len = 1 + (pattern(i) % sizeof(out));
			if (len > TOTAL - i)
				len = TOTAL - i;
			for (size_t k = 0; k < len; k++)
				out[k] = (unsigned char)pattern(i + (uint32_t)k);
			ssize_t w = write(p[1], out, len);
			if (w <= 0)
				_exit(1);
			i += (uint32_t)w;
		}
		_exit(0);
	}
	close(p[1]);
	if (!CHECK(pid > 0, "fork: %s", strerror(errno)))
		return;
	while ((n = read(p[0], buf, (got & 1) ? 1000 : sizeof(buf))) > 0) {
		for (ssize_t k = 0; k < n; k++) {
			if (buf[k] != (unsigned char)pattern((uint32_t)(got + k)) && !bad++)
				FAIL("byte %zu is %#x, want %#x", got + k, buf[k],
				     (unsigned char)pattern((uint32_t)(got + k)));
			sum = sum * 31 + buf[k];
		}
		got += (size_t)n;
	}
	CHECK(n == 0, "read ended with %ld: %s", (long)n, strerror(errno));
	CHECK(got == TOTAL, "received %zu bytes, want %d", got, TOTAL);
	CHECK(sum == want, "checksum %#lx, want %#lx", (unsigned long)sum, (unsigned long)want);
	EXPECT_EXIT("writer child", reap(pid), 0);
	close(p[0]);
}

static void t_pipe_block(void)
{
	int p[2];
	pid_t pid;
	char buf[8];
	uint64_t t0, dt;
	ssize_t n;

	if (EXPECT_OK(pipe(p)) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		sleep_ms(100);
		write(p[1], "late", 4);
		_exit(0);
	}
	close(p[1]);
	t0 = now_ns();
	n = read(p[0], buf, sizeof(buf));
	dt = (now_ns() - t0) / 1000000;
	CHECK(n == 4 && memcmp(buf, "late", 4) == 0, "read = %ld", (long)n);
	CHECK(dt >= 90, "read returned after %lu ms, before the data was written",
	      (unsigned long)dt);
	if (pid > 0)
		reap(pid);
	close(p[0]);
}

static void t_pipe_nonblock(void)
{
	int p[2];
	char buf[4096];
	long total = 0;
	ssize_t n;

	if (EXPECT_OK(pipe(p)) < 0)
		return;
	EXPECT_OK(fcntl(p[0], F_SETFL, O_NONBLOCK));
	EXPECT_OK(fcntl(p[1], F_SETFL, O_NONBLOCK));
	EXPECT_ERR(read(p[0], buf, 1), EAGAIN);
	memset(buf, 'f', sizeof(buf));
	while ((n = write(p[1], buf, sizeof(buf))) > 0 && total < (16 << 20))
		total += n;
	CHECK(n == -1 && errno == EAGAIN, "filling: write = %ld errno %d after %ld bytes", (long)n,
	      errno, total);
	CHECK(total >= 4096, "pipe capacity only %ld", total);
	EXPECT_EQ(read(p[0], buf, 10), 10);
	close(p[0]);
	close(p[1]);
}

/* ------------------------------------------------------------- devices */

static void t_dev_null(void)
{
	int h = open("/dev/null", O_RDWR);
	char buf[16] = "unchanged";

	if (EXPECT_OK(h) < 0)
		return;
	EXPECT_EQ(read(h, buf, sizeof(buf)), 0);
	CHECK(strcmp(buf, "unchanged") == 0, "read from /dev/null touched the buffer");
	EXPECT_EQ(write(h, "discard me", 10), 10);
	static char big[100000];
	EXPECT_EQ(write(h, big, sizeof(big)), sizeof(big));
	EXPECT_EQ(read(h, buf, sizeof(buf)), 0);
	close(h);
}

static void t_dev_zero(void)
{
	int h = open("/dev/zero", O_RDWR);
	static char buf[10000];

	if (EXPECT_OK(h) < 0)
		return;
	memset(buf, 0xee, sizeof(buf));
	EXPECT_EQ(read(h, buf, sizeof(buf)), sizeof(buf));
	CHECK(all_bytes(buf, 0, sizeof(buf)), "/dev/zero gave non-zero bytes");
	memset(buf, 0xee, 7);
	EXPECT_EQ(read(h, buf + 1, 5), 5);
	CHECK((unsigned char)buf[0] == 0xee && all_bytes(buf + 1, 0, 5) &&
	          (unsigned char)buf[6] == 0xee,
	      "/dev/zero wrote outside the buffer");
	EXPECT_EQ(write(h, "x", 1), 1);
	close(h);
}

static void t_dev_urandom(void)
{
	int h = open("/dev/urandom", O_RDONLY);
	unsigned char a[256], b[256];
	int counts[256] = {0}, distinct = 0;

	if (EXPECT_OK(h) < 0)
		return;
	EXPECT_EQ(read(h, a, sizeof(a)), sizeof(a));
	EXPECT_EQ(read(h, b, sizeof(b)), sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) != 0, "two reads gave the same bytes");
	for (size_t i = 0; i < sizeof(a); i++)
		counts[a[i]]++;
	for (int i = 0; i < 256; i++)
		distinct += counts[i] > 0;
	CHECK(distinct > 64, "only %d distinct byte values in 256", distinct);
	close(h);
	h = open("/dev/random", O_RDONLY);
	if (h >= 0) {
		EXPECT_EQ(read(h, a, 16), 16);
		close(h);
	}
}

static void t_dev_console(void)
{
	int h = open("/dev/console", O_RDWR), f;
	unsigned mode = 0;

	if (EXPECT_OK(h) < 0)
		return;
	CHECK(isatty(h) == 1, "isatty(/dev/console) = 0");
	EXPECT_OK(sc_tty_getmode(h, &mode));
	f = open("/dev/null", O_RDONLY);
	CHECK(isatty(f) == 0 && errno == ENOTTY, "isatty(/dev/null) = 1");
	CHECK(sc_syscall(SYS_ioctl, f, TTY_GETMODE, (long)&mode, 0, 0, 0) == -ENOTTY,
	      "TTY_GETMODE on /dev/null did not fail with ENOTTY");
	close(f);
	if (put_file(tp("notty"), "") == 0) {
		f = open(tp("notty"), O_RDONLY);
		CHECK(isatty(f) == 0, "isatty(regular file) = 1");
		close(f);
	}
	int p[2];
	if (pipe(p) == 0) {
		CHECK(isatty(p[0]) == 0, "isatty(pipe) = 1");
		close(p[0]);
		close(p[1]);
	}
	CHECK(isatty(9999) == 0, "isatty(9999) = 1");
	close(h);
}

/* ---------------------------------------------------------------- time */

static void t_nanosleep(void)
{
	struct timespec req = {.tv_sec = 0, .tv_nsec = 50000000};
	uint64_t t0 = now_ns(), dt;

	EXPECT_OK(nanosleep(&req, NULL));
	dt = now_ns() - t0;
	CHECK(dt >= 50000000, "nanosleep(50 ms) took %lu us", (unsigned long)(dt / 1000));
	CHECK(dt < 2000000000, "nanosleep(50 ms) took %lu ms", (unsigned long)(dt / 1000000));
	t0 = now_ns();
	req.tv_nsec = 0;
	EXPECT_OK(nanosleep(&req, NULL));
	req.tv_nsec = 1000000000;
	EXPECT_ERR(nanosleep(&req, NULL), EINVAL);
	/* raw: 1 ns still returns */
	CHECK(sc_syscall(SYS_nanosleep, 1, 0, 0, 0, 0, 0) == 0, "SYS_nanosleep(1) failed");
}

static void t_clock_mono(void)
{
	struct timespec a, b;
	uint64_t x, y, prev;

	EXPECT_OK(clock_gettime(CLOCK_MONOTONIC, &a));
	sleep_ms(10);
	EXPECT_OK(clock_gettime(CLOCK_MONOTONIC, &b));
	x = (uint64_t)a.tv_sec * 1000000000ull + (uint64_t)a.tv_nsec;
	y = (uint64_t)b.tv_sec * 1000000000ull + (uint64_t)b.tv_nsec;
	CHECK(y > x, "monotonic clock went from %lu to %lu", (unsigned long)x, (unsigned long)y);
	CHECK(y - x >= 10000000, "10 ms sleep advanced the clock by only %lu ns",
	      (unsigned long)(y - x));
	CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000, "tv_nsec %ld", a.tv_nsec);
	prev = now_ns();
	for (int i = 0; i < 1000; i++) {
		uint64_t t = now_ns();
		if (!CHECK(t >= prev, "clock went backwards: %lu then %lu", (unsigned long)prev,
		           (unsigned long)t))
			break;
		prev = t;
	}
	EXPECT_ERR(clock_gettime(42, &a), EINVAL);
}

static void t_clock_real(void)
{
	struct timespec ts;
	time_t t;

	EXPECT_OK(clock_gettime(CLOCK_REALTIME, &ts));
	CHECK(ts.tv_sec > 1577836800, "realtime %ld is before 2020-01-01", (long)ts.tv_sec);
	CHECK(ts.tv_sec < 4102444800, "realtime %ld is after 2100", (long)ts.tv_sec);
	t = time(NULL);
	CHECK(t >= ts.tv_sec && t <= ts.tv_sec + 5, "time() = %ld, clock %ld", (long)t,
	      (long)ts.tv_sec);
}

/* ---------------------------------------------------------------- info */

static void t_uname(void)
{
	struct sc_utsname u;

	memset(&u, 0x7f, sizeof(u));
	if (EXPECT_OK(sc_uname(&u)) < 0)
		return;
	CHECK(strcmp(u.sysname, "Scarlet") == 0, "sysname \"%.65s\"", u.sysname);
	CHECK(strcmp(u.machine, "riscv64") == 0, "machine \"%.65s\"", u.machine);
	CHECK(memchr(u.release, 0, sizeof(u.release)) && u.release[0],
	      "release empty or unterminated");
	CHECK(memchr(u.nodename, 0, sizeof(u.nodename)) != NULL, "nodename unterminated");
	CHECK(memchr(u.version, 0, sizeof(u.version)) != NULL, "version unterminated");
}

static void t_meminfo(void)
{
	struct sc_meminfo m, m2;
	char *p;

	if (EXPECT_OK(sc_meminfo(&m)) < 0)
		return;
	CHECK(m.total > m.free && m.free > 0, "total %lu free %lu", (unsigned long)m.total,
	      (unsigned long)m.free);
	CHECK(m.page_size == 4096, "page size %lu", (unsigned long)m.page_size);
	CHECK(m.total >= (64ul << 20) && m.total <= (512ul << 20), "total %lu for a 512 MiB VM",
	      (unsigned long)m.total);
	/* touching 8 MiB lowers the free count */
	p = malloc(8 << 20);
	if (!p)
		return;
	memset(p, 1, 8 << 20);
	EXPECT_OK(sc_meminfo(&m2));
	CHECK(m2.free + (4 << 20) <= m.free, "free %lu -> %lu after touching 8 MiB",
	      (unsigned long)m.free, (unsigned long)m2.free);
	free(p);
}

static void t_procinfo(void)
{
	struct sc_procinfo *pi = malloc(256 * sizeof(*pi));
	int n, found = 0, init_found = 0;
	pid_t me = getpid();

	if (!pi)
		return;
	n = sc_procinfo(pi, 256);
	if (!CHECK(n > 0, "sc_procinfo = %d: %s", n, strerror(errno)))
		return;
	for (int i = 0; i < n; i++) {
		if (pi[i].pid == 1)
			init_found = 1;
		if (pi[i].pid != me)
			continue;
		found++;
		CHECK(strcmp(pi[i].name, "sctest") == 0, "own name \"%.32s\"", pi[i].name);
		CHECK(strcmp(pi[i].abi, "scarlet") == 0, "own abi \"%.15s\"", pi[i].abi);
		CHECK(pi[i].ppid == getppid(), "ppid %d, want %d", pi[i].ppid, getppid());
		CHECK(pi[i].pgid == getpgid(0), "pgid %d, want %d", pi[i].pgid, getpgid(0));
		CHECK(pi[i].state == SC_TASK_RUNNING, "own state '%c'", pi[i].state);
		CHECK(pi[i].mem > 0, "resident memory 0");
	}
	CHECK(found == 1, "self (pid %d) listed %d times among %d", me, found, n);
	CHECK(init_found, "init (pid 1) not listed");
	/* a small buffer: returns at most max entries */
	EXPECT_EQ(sc_procinfo(pi, 1), 1);
	free(pi);
}
