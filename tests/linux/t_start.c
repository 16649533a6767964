/*
 * Process start-up as Linux does it: arguments, environment, the
 * auxiliary vector, identity calls, uname, clocks and getrandom.
 */
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "ltest.h"

static void test_auxv(char **argv)
{
	CHECK_EQ(getauxval(AT_PAGESZ), 4096);
	CHECK(getauxval(AT_PHDR) != 0);
	CHECK_EQ(getauxval(AT_PHENT), 56);
	CHECK(getauxval(AT_PHNUM) > 0);
	CHECK(getauxval(AT_ENTRY) != 0);
	CHECK(getauxval(AT_RANDOM) != 0);
	CHECK_EQ(getauxval(AT_UID), getuid());
	CHECK_EQ(getauxval(AT_EUID), geteuid());
	CHECK_EQ(getauxval(AT_GID), getgid());
	CHECK_EQ(getauxval(AT_EGID), getegid());
	CHECK_EQ(getauxval(AT_SECURE), 0);
	CHECK_EQ(getauxval(AT_CLKTCK), 100);
	CHECK_EQ(sysconf(_SC_CLK_TCK), 100);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	CHECK(execfn && strstr(execfn, "t_start") != NULL);
	CHECK(strstr(argv[0], "t_start") != NULL);
	/* 'i', 'm', 'a' and 'c' at least, one bit per letter */
	unsigned long hw = getauxval(AT_HWCAP);
	CHECK((hw & (1UL << ('i' - 'a'))) && (hw & (1UL << ('m' - 'a'))));
}

static void test_ids_and_uname(void)
{
	CHECK(getpid() > 0);
	CHECK(getppid() > 0);
	CHECK(getpid() != getppid());
	struct utsname u;
	CHECK_EQ(uname(&u), 0);
	CHECK_STR(u.sysname, "Linux");
	CHECK_STR(u.machine, "riscv64");
}

static void test_clocks(void)
{
	struct timespec a, b;
	CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &a), 0);
	CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &b), 0);
	CHECK(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));
	CHECK_EQ(clock_gettime(CLOCK_REALTIME, &a), 0);
	CHECK(a.tv_sec > 1600000000); /* after 2020 */
	CHECK_ERR(clock_gettime((clockid_t)12345, &a), EINVAL);
}

static void test_getrandom(void)
{
	unsigned char x[64] = {0}, y[64] = {0};
	CHECK_EQ(getrandom(x, sizeof(x), 0), 64);
	CHECK_EQ(getrandom(y, sizeof(y), 0), 64);
	CHECK(memcmp(x, y, sizeof(x)) != 0);
	void *volatile bad = (void *)1; /* hidden from the compiler's checks */
	CHECK_ERR(getrandom(bad, 16, 0), EFAULT);
}

int main(int argc, char **argv)
{
	CHECK(argc >= 1);
	CHECK(getenv("PATH") != NULL);
	test_auxv(argv);
	test_ids_and_uname();
	test_clocks();
	test_getrandom();
	return ltest_done("start");
}
