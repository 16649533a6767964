/*
 * blktest: exercises raw disk access through /dev/vdX.
 *
 *   blktest check DEV          writes patterns at aligned, unaligned,
 *                              in-sector and multi-page offsets and at the
 *                              end of the disk; reads them back; checks
 *                              stat, seek, EBADF, ENOSPC, short reads
 *   blktest ro DEV             the disk must be read-only (EROFS) yet
 *                              readable
 *   blktest fill DEV SEED [OFF LEN]
 *                              writes pattern SEED over a range (default:
 *                              the whole disk) in 64 KiB writes, then
 *                              reads it back
 *   blktest verify DEV SEED [OFF LEN]
 *                              only the read-back half of fill
 *   blktest bench DEV MIB      sequential write then read of MIB MiB in
 *                              64 KiB requests; prints MiB/s
 *
 * Prints "blktest: ok" and exits 0 on success.  The byte at disk offset x
 * of pattern s is (x*131 + (x>>12) + s*17) & 0xff; the integration test
 * recomputes it on the host image.
 */
#include <errno.h>
#include <fcntl.h>
#include <scarlet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (64 * 1024)

static char buf[256 * 1024];
static char want[256 * 1024];
static const char *dev;

static void fail(const char *what)
{
	printf("blktest: FAIL %s: %s (errno %d)\n", what, strerror(errno), errno);
	exit(1);
}

static void expect(int cond, const char *what)
{
	if (!cond) {
		errno = 0;
		fail(what);
	}
}

static unsigned char pat(int seed, unsigned long long x)
{
	return (unsigned char)(x * 131 + (x >> 12) + (unsigned long long)seed * 17);
}

static void make_pattern(char *p, int seed, unsigned long long off, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (char)pat(seed, off + i);
}

static int open_dev(int flags)
{
	int h = open(dev, flags);
	if (h < 0)
		fail("open");
	return h;
}

static void pwrite_all(int h, const void *p, size_t len, long long off)
{
	expect(lseek(h, off, SEEK_SET) == off, "lseek for write");
	expect(write(h, p, len) == (ssize_t)len, "write");
}

static void pread_check(int h, const void *p, size_t len, long long off, const char *what)
{
	expect(lseek(h, off, SEEK_SET) == off, "lseek for read");
	expect(read(h, buf, len) == (ssize_t)len, what);
	expect(memcmp(buf, p, len) == 0, what);
}

/* Writes pattern seed at [off, off+len) and reads it back. */
static void write_and_check(int h, int seed, long long off, size_t len, const char *what)
{
	make_pattern(want, seed, (unsigned long long)off, len);
	pwrite_all(h, want, len, off);
	pread_check(h, want, len, off, what);
}

static long long disk_size(int h)
{
	struct stat st;

	if (fstat(h, &st) < 0)
		fail("fstat");
	expect(S_ISBLK(st.mode), "fstat type is S_IFBLK");
	expect(lseek(h, 0, SEEK_END) == (long long)st.size, "SEEK_END = size");
	return (long long)st.size;
}

static void check_end(int h, long long size)
{
	char tail[300];

	make_pattern(tail, 9, (unsigned long long)(size - 100), sizeof(tail));
	expect(lseek(h, size - 100, SEEK_SET) == size - 100, "lseek near end");
	expect(write(h, tail, sizeof(tail)) == 100, "write across the end is short");
	errno = 0;
	expect(write(h, tail, 1) < 0 && errno == ENOSPC, "write at end gives ENOSPC");
	expect(lseek(h, size - 10, SEEK_SET) == size - 10, "lseek near end");
	expect(read(h, buf, 100) == 10, "read across the end is short");
	expect(memcmp(buf, tail + 90, 10) == 0, "read across the end");
	expect(read(h, buf, 100) == 0, "read at end gives 0");
}

static void check_modes(void)
{
	int h = open_dev(O_RDONLY);

	errno = 0;
	expect(write(h, "x", 1) < 0 && errno == EBADF, "write to O_RDONLY gives EBADF");
	close(h);
	h = open_dev(O_WRONLY | O_TRUNC); /* O_TRUNC is ignored */
	close(h);
}

static int cmd_check(void)
{
	int h = open_dev(O_RDWR);
	long long size = disk_size(h);

	expect(size >= 1024 * 1024, "disk of at least 1 MiB");
	write_and_check(h, 1, 0, 4096, "aligned page");
	write_and_check(h, 2, 1000, 3000, "unaligned head and tail");
	make_pattern(want, 1, 999, 1);
	pread_check(h, want, 1, 999, "byte before an unaligned write kept");
	make_pattern(want, 1, 4000, 96);
	pread_check(h, want, 96, 4000, "bytes after an unaligned write kept");
	write_and_check(h, 3, 5000, 10, "inside one sector");
	write_and_check(h, 4, 65536 + 123, 200000, "multi-page, several chunks");
	write_and_check(h, 5, 512 * 1024, 131072, "aligned 128 KiB");
	check_end(h, size);
	close(h);
	check_modes();
	h = open_dev(O_RDONLY);
	make_pattern(want, 3, 5000, 10);
	pread_check(h, want, 10, 5000, "re-read after reopen");
	close(h);
	return 0;
}

static int cmd_ro(void)
{
	int h = open(dev, O_RDWR);

	expect(h < 0 && errno == EROFS, "O_RDWR open of a read-only disk gives EROFS");
	h = open_dev(O_RDONLY);
	expect(disk_size(h) > 0, "read-only disk size");
	expect(lseek(h, 0, SEEK_SET) == 0, "lseek");
	expect(read(h, buf, 4096) == 4096, "read a read-only disk");
	close(h);
	return 0;
}

/* Writes (or only checks) pattern seed over [off, off+len). */
static int cmd_fill(int seed, long long off, long long len, int do_write)
{
	int h = open_dev(do_write ? O_RDWR : O_RDONLY);
	long long size = disk_size(h);

	if (len < 0)
		len = size - off;
	for (long long pos = off; do_write && pos < off + len; pos += CHUNK) {
		size_t n = (size_t)(off + len - pos < CHUNK ? off + len - pos : CHUNK);
		make_pattern(want, seed, (unsigned long long)pos, n);
		pwrite_all(h, want, n, pos);
	}
	for (long long pos = off; pos < off + len; pos += CHUNK) {
		size_t n = (size_t)(off + len - pos < CHUNK ? off + len - pos : CHUNK);
		make_pattern(want, seed, (unsigned long long)pos, n);
		pread_check(h, want, n, pos, "read back the fill pattern");
	}
	close(h);
	return 0;
}

static void report(const char *what, long long bytes, uint64_t ns)
{
	unsigned long long kib_s = (unsigned long long)bytes * 1000000000ULL / 1024 / (ns ? ns : 1);
	printf("blktest: %s %llu.%02llu MiB/s\n", what, kib_s / 1024, (kib_s % 1024) * 100 / 1024);
}

static int cmd_bench(long long mib)
{
	long long total = mib * 1024 * 1024;
	int h = open_dev(O_RDWR);
	uint64_t t0;

	expect(disk_size(h) >= total, "disk large enough for the benchmark");
	make_pattern(want, 7, 0, CHUNK);
	expect(lseek(h, 0, SEEK_SET) == 0, "lseek");
	t0 = sc_clock_ns(CLOCK_MONOTONIC);
	for (long long pos = 0; pos < total; pos += CHUNK)
		expect(write(h, want, CHUNK) == CHUNK, "bench write");
	report("write", total, sc_clock_ns(CLOCK_MONOTONIC) - t0);
	expect(lseek(h, 0, SEEK_SET) == 0, "lseek");
	t0 = sc_clock_ns(CLOCK_MONOTONIC);
	for (long long pos = 0; pos < total; pos += CHUNK)
		expect(read(h, buf, CHUNK) == CHUNK, "bench read");
	report("read", total, sc_clock_ns(CLOCK_MONOTONIC) - t0);
	close(h);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: blktest check|ro|fill|verify|bench DEV [args]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int r;

	if (argc < 3)
		return usage();
	dev = argv[2];
	if (strcmp(argv[1], "check") == 0)
		r = cmd_check();
	else if (strcmp(argv[1], "ro") == 0)
		r = cmd_ro();
	else if ((strcmp(argv[1], "fill") == 0 || strcmp(argv[1], "verify") == 0) && argc >= 4)
		r = cmd_fill(atoi(argv[3]), argc >= 6 ? strtol(argv[4], NULL, 0) : 0,
		             argc >= 6 ? strtol(argv[5], NULL, 0) : -1, argv[1][0] == 'f');
	else if (strcmp(argv[1], "bench") == 0 && argc >= 4)
		r = cmd_bench(strtol(argv[3], NULL, 0));
	else
		return usage();
	if (r == 0)
		printf("blktest: ok\n");
	return r;
}
