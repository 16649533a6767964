/*
 * /sys as Linux programs read it: the CPU lists under
 * /sys/devices/system/cpu (online, offline, possible, present,
 * kernel_max), one cpuN directory per CPU, and what glibc derives from
 * them (get_nprocs, sysconf(_SC_NPROCESSORS_ONLN/CONF)).
 *
 * Under qemu-riscv64-static on the host this reads the host's own
 * /sys: only format and consistency are asserted, not how many CPUs.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "ltest.h"

#define CPU_DIR  "/sys/devices/system/cpu"
#define MAX_LIST 1024

static char text[4096];

/* Reads a whole (small) file into text; returns its length or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long len = 0, n;

	if (fd < 0)
		return -1;
	while (len < (long)sizeof(text) - 1 &&
	       (n = read(fd, text + len, sizeof(text) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	text[len] = '\0';
	return n < 0 ? -1 : len;
}

/*
 * Parses a Linux CPU list ("0-3,5\n", or "\n" when empty) into set[];
 * returns how many CPUs it names, -1 if the format is wrong (ranges must
 * be increasing and the line must end with one newline).
 */
static int parse_list(const char *s, char set[MAX_LIST])
{
	int count = 0, last = -1;

	memset(set, 0, MAX_LIST);
	if (*s == '\n')
		return s[1] == '\0' ? 0 : -1;
	for (;;) {
		char *end;
		long a = strtol(s, &end, 10), b = a;
		if (end == s || a <= last || a >= MAX_LIST)
			return -1;
		s = end;
		if (*s == '-') {
			b = strtol(s + 1, &end, 10);
			if (end == s + 1 || b <= a || b >= MAX_LIST)
				return -1;
			s = end;
		}
		for (long i = a; i <= b; i++, count++)
			set[i] = 1;
		last = (int)b;
		if (*s == '\n')
			return s[1] == '\0' ? count : -1;
		if (*s++ != ',')
			return -1;
	}
}

static int read_list(const char *name, char set[MAX_LIST])
{
	char path[128];

	snprintf(path, sizeof(path), CPU_DIR "/%s", name);
	if (slurp(path) < 0) {
		printf("  cannot read %s\n", path);
		return -1;
	}
	int n = parse_list(text, set);
	if (n < 0)
		printf("  %s is not a CPU list: \"%s\"\n", path, text);
	return n;
}

static void test_mount(void)
{
	struct statfs st;

	CHECK(statfs("/sys", &st) == 0);
	CHECK_EQ(st.f_type, 0x62656572); /* SYSFS_MAGIC */
	CHECK(slurp("/proc/filesystems") > 0 && strstr(text, "nodev\tsysfs\n"));
	CHECK(slurp("/proc/mounts") > 0 && strstr(text, " /sys sysfs "));
}

static char online[MAX_LIST], offline[MAX_LIST], possible[MAX_LIST], present[MAX_LIST];

static void test_lists(void)
{
	int non = read_list("online", online), noff = read_list("offline", offline);
	int npos = read_list("possible", possible), npre = read_list("present", present);

	CHECK(non >= 1 && online[0]); /* the boot CPU is always online */
	CHECK(noff >= 0);
	CHECK(npos >= non && npre >= non && npos >= npre);
	for (int i = 0; i < MAX_LIST; i++) {
		if (online[i] && (!present[i] || !possible[i] || offline[i]))
			printf("  cpu%d online but not present/possible, or offline\n", i);
		CHECK(!online[i] || (present[i] && possible[i] && !offline[i]));
		CHECK(!present[i] || possible[i]);
	}
	CHECK(slurp(CPU_DIR "/kernel_max") > 0);
	char *end;
	long kmax = strtol(text, &end, 10);
	CHECK(end != text && strcmp(end, "\n") == 0);
	CHECK(kmax >= npos - 1);

	/* what glibc makes of them */
	CHECK_EQ(get_nprocs(), non);
	CHECK_EQ(sysconf(_SC_NPROCESSORS_ONLN), non);
	CHECK(sysconf(_SC_NPROCESSORS_CONF) >= non);
	CHECK(get_nprocs_conf() >= non);
}

/* One cpuN directory per present CPU; cpuN/online, where it exists,
 * agrees with the online list. */
static void test_cpu_dirs(void)
{
	DIR *d = opendir(CPU_DIR);
	struct dirent *e;
	char seen[MAX_LIST] = {0}, path[320];
	int dirs = 0;

	CHECK(d != NULL);
	while (d && (e = readdir(d)) != NULL) {
		char *end;
		long n;
		if (strncmp(e->d_name, "cpu", 3) != 0 || e->d_name[3] < '0' || e->d_name[3] > '9')
			continue;
		n = strtol(e->d_name + 3, &end, 10);
		CHECK(*end == '\0' && n >= 0 && n < MAX_LIST);
		if (*end || n < 0 || n >= MAX_LIST)
			continue;
		CHECK_EQ(e->d_type, DT_DIR);
		CHECK(!seen[n]);
		seen[n] = 1;
		dirs++;
		snprintf(path, sizeof(path), CPU_DIR "/%s/online", e->d_name);
		if (n > 0 && slurp(path) >= 0)
			CHECK_STR(text, online[n] ? "1\n" : "0\n");
	}
	if (d)
		closedir(d);
	for (int i = 0; i < MAX_LIST; i++)
		if (present[i] && !seen[i])
			printf("  cpu%d present without a directory\n", i);
	for (int i = 0; i < MAX_LIST; i++)
		CHECK(!present[i] || seen[i]);
	CHECK(dirs >= 1 && seen[0]);

	struct stat st;
	CHECK(stat(CPU_DIR "/cpu0", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(stat(CPU_DIR "/cpu0/..", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(stat(CPU_DIR "/online", &st) == 0 && S_ISREG(st.st_mode));
	CHECK_EQ(st.st_mode & 0777, 0444);
	CHECK_ERR(stat(CPU_DIR "/cpu1023", &st), ENOENT);
	CHECK_ERR(stat(CPU_DIR "/cpu01", &st), ENOENT);
	CHECK_ERR(stat("/sys/devices/nosuch", &st), ENOENT);
}

/* The lists are read-only: Linux refuses a writer at open (EACCES, root
 * included); Scarlet may let root open and refuse the write. */
static void test_read_only(void)
{
	errno = 0;
	int fd = open(CPU_DIR "/online", O_WRONLY);
	if (fd >= 0) {
		CHECK_ERR(write(fd, "0-1\n", 4), EACCES);
		close(fd);
	} else {
		CHECK_EQ(errno, EACCES);
	}
	/* a partial read at an offset continues the same text */
	char whole[64] = {0}, part[64] = {0};
	fd = open(CPU_DIR "/possible", O_RDONLY);
	CHECK(fd >= 0);
	ssize_t n = pread(fd, whole, sizeof(whole) - 1, 0);
	CHECK(n >= 2);
	CHECK_EQ(pread(fd, part, sizeof(part) - 1, 1), n - 1);
	CHECK_STR(part, whole + 1);
	close(fd);
}

int main(void)
{
	test_mount();
	test_lists();
	test_cpu_dirs();
	test_read_only();
	return ltest_done("sysfs");
}
