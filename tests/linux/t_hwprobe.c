/*
 * riscv_hwprobe (258, Linux 6.4+; Documentation/arch/riscv/hwprobe.rst):
 * key/value pairs for a CPU set, unknown keys marked -1, the CPU-set and
 * flag errors, and RISCV_HWPROBE_WHICH_CPUS (Linux 6.9+).  The extension
 * bits are checked against the isa line of /proc/cpuinfo, which both
 * Linux and Scarlet take from the device tree.
 *
 * qemu-user 7.2 has no riscv_hwprobe (ENOSYS): there the test is skipped
 * unless --beyond-qemu, which Scarlet's test_linux.py passes.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ltest.h"

#define NR_riscv_hwprobe 258

#define KEY_MVENDORID              0
#define KEY_MARCHID                1
#define KEY_MIMPID                 2
#define KEY_BASE_BEHAVIOR          3
#define KEY_IMA_EXT_0              4
#define KEY_CPUPERF_0              5
#define KEY_ZICBOZ_BLOCK_SIZE      6
#define KEY_TIME_CSR_FREQ          8
#define KEY_MISALIGNED_SCALAR_PERF 9
#define WHICH_CPUS                 1U

#define IMA_FD      (1ULL << 0)
#define IMA_C       (1ULL << 1)
#define EXT_ZBA     (1ULL << 3)
#define EXT_ZBB     (1ULL << 4)
#define EXT_ZBS     (1ULL << 5)
#define EXT_ZICBOZ  (1ULL << 6)
#define EXT_ZBC     (1ULL << 7)
#define EXT_ZIHINTP (1ULL << 36)

struct hwprobe {
	int64_t key;
	uint64_t value;
};

static long hwprobe(struct hwprobe *p, size_t n, size_t setsize, cpu_set_t *cpus, unsigned flags)
{
	return syscall(NR_riscv_hwprobe, p, n, setsize, cpus, flags);
}

/* The isa line of /proc/cpuinfo's first processor. */
static int cpuinfo_isa(char *isa, size_t size)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[1024];
	int found = 0;
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');
		if (strncmp(line, "isa", 3) == 0 && v) {
			snprintf(isa, size, "%s", v + 2);
			isa[strcspn(isa, "\n")] = '\0';
			found = 1;
		}
	}
	fclose(f);
	return found;
}

/* Whether the isa string names a multi-letter extension. */
static int isa_has(const char *isa, const char *name)
{
	size_t n = strlen(name);
	for (const char *s = strchr(isa, '_'); s; s = strchr(s + 1, '_'))
		if (strncmp(s + 1, name, n) == 0 && (s[1 + n] == '_' || s[1 + n] == '\0'))
			return 1;
	return 0;
}

/* Whether the single-letter part names letter. */
static int isa_letter(const char *isa, char letter)
{
	size_t end = strcspn(isa, "_");
	return memchr(isa + 4, letter, end - 4) != NULL;
}

static void test_values(void)
{
	struct hwprobe p[] = {
	    {KEY_MVENDORID, 7},
	    {KEY_MARCHID, 7},
	    {KEY_MIMPID, 7},
	    {KEY_BASE_BEHAVIOR, 7},
	    {KEY_IMA_EXT_0, 7},
	    {KEY_CPUPERF_0, 7},
	    {KEY_ZICBOZ_BLOCK_SIZE, 7},
	    {KEY_TIME_CSR_FREQ, 7},
	    {KEY_MISALIGNED_SCALAR_PERF, 7},
	    {1000000, 7},
	    {-5, 7},
	};
	CHECK_EQ(hwprobe(p, sizeof(p) / sizeof(p[0]), 0, NULL, 0), 0);
	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		printf("hwprobe key %lld = %#llx\n", (long long)p[i].key,
		       (unsigned long long)p[i].value);
	CHECK_EQ(p[0].key, KEY_MVENDORID);
	CHECK_EQ(p[3].value, 1); /* RISCV_HWPROBE_BASE_BEHAVIOR_IMA */
	uint64_t ext = p[4].value;
	CHECK(p[5].value <= 4); /* a RISCV_HWPROBE_MISALIGNED_* */
	CHECK(p[8].value <= 4);
	CHECK(p[7].value > 0); /* the time CSR ticks */
	if (ext & EXT_ZICBOZ)
		CHECK(p[6].value >= 16 && (p[6].value & (p[6].value - 1)) == 0);
	else
		CHECK_EQ(p[6].value, 0);
	/* unknown keys: key -1, value 0 */
	CHECK_EQ(p[9].key, -1);
	CHECK_EQ(p[9].value, 0);
	CHECK_EQ(p[10].key, -1);
	CHECK_EQ(p[10].value, 0);

	char isa[512];
	CHECK(cpuinfo_isa(isa, sizeof(isa)));
	printf("cpuinfo isa %s\n", isa);
	CHECK_EQ(!!(ext & IMA_FD), isa_letter(isa, 'f') && isa_letter(isa, 'd'));
	CHECK_EQ(!!(ext & IMA_C), isa_letter(isa, 'c'));
	CHECK_EQ(!!(ext & EXT_ZBA), isa_has(isa, "zba"));
	CHECK_EQ(!!(ext & EXT_ZBB), isa_has(isa, "zbb"));
	CHECK_EQ(!!(ext & EXT_ZBS), isa_has(isa, "zbs"));
	CHECK_EQ(!!(ext & EXT_ZBC), isa_has(isa, "zbc"));
	CHECK_EQ(!!(ext & EXT_ZICBOZ), isa_has(isa, "zicboz"));
	CHECK_EQ(!!(ext & EXT_ZIHINTP), isa_has(isa, "zihintpause"));
	if (ext & EXT_ZBB) { /* the instructions work in user mode */
		unsigned long x = 0xf0, r;
		__asm__(".option push\n.option arch, +zbb\ncpop %0, %1\n.option pop"
		        : "=r"(r)
		        : "r"(x));
		CHECK_EQ(r, 4);
	}
	if (ext & EXT_ZICBOZ) {
		static char block[4096] __attribute__((aligned(4096)));
		memset(block, 0x55, sizeof(block));
		__asm__ volatile(
		    ".option push\n.option arch, +zicboz\ncbo.zero (%0)\n.option pop" ::"r"(block)
		    : "memory");
		CHECK_EQ(block[0], 0);
	}

	/* count 0 is nothing to do; the pairs must be readable */
	CHECK_EQ(hwprobe(NULL, 0, 0, NULL, 0), 0);
	CHECK_ERR(hwprobe((struct hwprobe *)8, 1, 0, NULL, 0), EFAULT);
}

static void test_cpu_sets(void)
{
	struct hwprobe all = {KEY_IMA_EXT_0, 0}, one = {KEY_IMA_EXT_0, 0};
	cpu_set_t set;
	CHECK_EQ(hwprobe(&all, 1, 0, NULL, 0), 0);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CHECK_EQ(hwprobe(&one, 1, sizeof(set), &set, 0), 0);
	CHECK_EQ(one.value & all.value, all.value); /* ANDed over more CPUs */

	/* no online CPU in the set: EINVAL */
	CPU_ZERO(&set);
	CHECK_ERR(hwprobe(&one, 1, sizeof(set), &set, 0), EINVAL);
	CPU_SET(CPU_SETSIZE - 1, &set);
	CHECK_ERR(hwprobe(&one, 1, sizeof(set), &set, 0), EINVAL);
	CHECK_ERR(hwprobe(&one, 1, sizeof(set), NULL, 0), EFAULT);
	CHECK_ERR(hwprobe(&one, 1, 0, &set, 0), EINVAL);
	/* reserved flags */
	CHECK_ERR(hwprobe(&one, 1, 0, NULL, 2), EINVAL);
	CHECK_ERR(hwprobe(&one, 1, 0, NULL, 0x80000000U), EINVAL);
}

static void test_which_cpus(void)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	struct hwprobe p[2];
	cpu_set_t set;

	struct hwprobe base = {KEY_IMA_EXT_0, 0};
	CHECK_EQ(hwprobe(&base, 1, 0, NULL, 0), 0);

	/* an empty set is every online CPU; all have what all have */
	CPU_ZERO(&set);
	p[0] = (struct hwprobe){KEY_IMA_EXT_0, base.value};
	p[1] = (struct hwprobe){KEY_BASE_BEHAVIOR, 1};
	CHECK_EQ(hwprobe(p, 2, sizeof(set), &set, WHICH_CPUS), 0);
	CHECK_EQ(CPU_COUNT(&set), online);
	CHECK_EQ(p[0].value, base.value); /* the pairs are left as given */

	/* a feature no CPU has: no CPU */
	CPU_ZERO(&set);
	p[0] = (struct hwprobe){KEY_IMA_EXT_0, base.value | (1ULL << 63)};
	CHECK_EQ(hwprobe(p, 1, sizeof(set), &set, WHICH_CPUS), 0);
	CHECK_EQ(CPU_COUNT(&set), 0);

	/* a value-like key matches by equality */
	struct hwprobe perf = {KEY_MISALIGNED_SCALAR_PERF, 0};
	CHECK_EQ(hwprobe(&perf, 1, 0, NULL, 0), 0);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	p[0] = (struct hwprobe){KEY_MISALIGNED_SCALAR_PERF, perf.value};
	CHECK_EQ(hwprobe(p, 1, sizeof(set), &set, WHICH_CPUS), 0);
	CHECK(CPU_ISSET(0, &set));
	CHECK_EQ(CPU_COUNT(&set), 1);
	p[0] = (struct hwprobe){KEY_MISALIGNED_SCALAR_PERF, perf.value + 1};
	CHECK_EQ(hwprobe(p, 1, sizeof(set), &set, WHICH_CPUS), 0);
	CHECK_EQ(CPU_COUNT(&set), 0);

	/* an unknown key empties the set and is marked */
	CPU_ZERO(&set);
	p[0] = (struct hwprobe){1000000, 0};
	CHECK_EQ(hwprobe(p, 1, sizeof(set), &set, WHICH_CPUS), 0);
	CHECK_EQ(p[0].key, -1);
	CHECK_EQ(CPU_COUNT(&set), 0);

	/* WHICH_CPUS needs a set */
	p[0] = (struct hwprobe){KEY_IMA_EXT_0, 0};
	CHECK_ERR(hwprobe(p, 1, 0, NULL, WHICH_CPUS), EINVAL);
	CHECK_ERR(hwprobe(p, 1, 0, &set, WHICH_CPUS), EINVAL);
	CHECK_ERR(hwprobe(p, 1, 0, NULL, WHICH_CPUS | 2), EINVAL);
}

int main(int argc, char **argv)
{
	int beyond_qemu = argc > 1 && strcmp(argv[1], "--beyond-qemu") == 0;
	errno = 0;
	if (hwprobe(NULL, 0, 0, NULL, 0) < 0 && errno == ENOSYS && !beyond_qemu) {
		SKIP("no riscv_hwprobe here (qemu-user 7.2): run with --beyond-qemu on Linux");
		CHECK(1);
		return ltest_done("hwprobe");
	}
	test_values();
	test_cpu_sets();
	test_which_cpus();
	return ltest_done("hwprobe");
}
