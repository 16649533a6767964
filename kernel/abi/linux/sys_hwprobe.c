/*
 * riscv_hwprobe (258, Linux 6.4+): key/value pairs describing the harts
 * of a CPU set, as Documentation/arch/riscv/hwprobe.rst defines them, with
 * the RISCV_HWPROBE_WHICH_CPUS flag of Linux 6.9+ (the set of CPUs that
 * match the pairs).  The keys are Linux 6.12's (Debian 13's kernel) but
 * HIGHEST_VIRT_ADDRESS (7), MISALIGNED_VECTOR_PERF (10) and the vendor
 * keys, which are unknown here (key -1, value 0).  The facts come from the
 * arch layer: the device tree's riscv,isa and SBI's machine ids.
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "arch/riscv64/cpu.h"
#include "arch/riscv64/hwcaps.h"
#include "core/boot.h"
#include "proc/sched.h"

#define KEY_MVENDORID              0
#define KEY_MARCHID                1
#define KEY_MIMPID                 2
#define KEY_BASE_BEHAVIOR          3
#define KEY_IMA_EXT_0              4
#define KEY_CPUPERF_0              5
#define KEY_ZICBOZ_BLOCK_SIZE      6
#define KEY_TIME_CSR_FREQ          8
#define KEY_MISALIGNED_SCALAR_PERF 9

#define BASE_BEHAVIOR_IMA   1ULL
#define MISALIGNED_UNKNOWN  0ULL /* Scarlet does not measure it */
#define HWPROBE_WHICH_CPUS  1U
#define LINUX_CPUMASK_BYTES 64 /* Linux's cpumask_size() with NR_CPUS 512 */

struct linux_hwprobe {
	int64_t key;
	uint64_t value;
};

/* IMA_EXT_0's bits (uapi asm/hwprobe.h) by extension name.  V and the
 * vector extensions are left out: Scarlet does not give user programs
 * the vector unit.  F and D make one bit (FD); "c" is also Zca, and with
 * D Zcd, as Linux counts them. */
static const struct {
	const char *ext;
	int bit;
} ima_ext_0[] = {
    {"c", 1},      {"zba", 3},     {"zbb", 4},          {"zbs", 5},    {"zicboz", 6},
    {"zbc", 7},    {"zbkb", 8},    {"zbkc", 9},         {"zbkx", 10},  {"zknd", 11},
    {"zkne", 12},  {"zknh", 13},   {"zksed", 14},       {"zksh", 15},  {"zkt", 16},
    {"zfh", 27},   {"zfhmin", 28}, {"zihintntl", 29},   {"zfa", 32},   {"ztso", 33},
    {"zacas", 34}, {"zicond", 35}, {"zihintpause", 36}, {"zimop", 42}, {"zca", 43},
    {"zcb", 44},   {"zcd", 45},    {"zcmop", 47},       {"zawrs", 48},
};

static uint64_t cpu_ima_ext_0(int cpu)
{
	uint64_t v = 0;
	bool fd = hwcaps_has_ext(cpu, "f") && hwcaps_has_ext(cpu, "d");
	if (fd)
		v |= 1ULL << 0;
	for (size_t i = 0; i < ARRAY_SIZE(ima_ext_0); i++)
		if (hwcaps_has_ext(cpu, ima_ext_0[i].ext))
			v |= 1ULL << ima_ext_0[i].bit;
	if (hwcaps_has_ext(cpu, "c"))
		v |= (1ULL << 43) | (fd ? 1ULL << 45 : 0);
	return v;
}

static bool key_known(int64_t key)
{
	return (key >= KEY_MVENDORID && key <= KEY_ZICBOZ_BLOCK_SIZE) || key == KEY_TIME_CSR_FREQ ||
	       key == KEY_MISALIGNED_SCALAR_PERF;
}

/* Keys whose values are sets of features (matched by inclusion with
 * WHICH_CPUS and ANDed over CPUs); the others are values. */
static bool key_is_bitmask(int64_t key)
{
	return key == KEY_BASE_BEHAVIOR || key == KEY_IMA_EXT_0 || key == KEY_CPUPERF_0;
}

/* The value of a known key on one CPU. */
static uint64_t cpu_value(int64_t key, int cpu)
{
	switch (key) {
	case KEY_MVENDORID:
		return hwcaps_ids(cpu).mvendorid;
	case KEY_MARCHID:
		return hwcaps_ids(cpu).marchid;
	case KEY_MIMPID:
		return hwcaps_ids(cpu).mimpid;
	case KEY_BASE_BEHAVIOR:
		return BASE_BEHAVIOR_IMA;
	case KEY_IMA_EXT_0:
		return cpu_ima_ext_0(cpu);
	case KEY_ZICBOZ_BLOCK_SIZE:
		return hwcaps_has_ext(cpu, "zicboz") ? hwcaps_cboz_block_size(cpu) : 0;
	case KEY_TIME_CSR_FREQ:
		return boot.fdt.timebase_freq;
	default: /* CPUPERF_0, MISALIGNED_SCALAR_PERF */
		return MISALIGNED_UNKNOWN;
	}
}

/* A key's value over the CPUs of mask (not empty): bitmasks ANDed,
 * values kept when every CPU agrees, else -1. */
static uint64_t set_value(int64_t key, uint64_t mask)
{
	bool first = true;
	uint64_t v = 0;
	for (int cpu = 0; cpu < ncpus; cpu++) {
		if (!(mask & (1ULL << cpu)))
			continue;
		uint64_t c = cpu_value(key, cpu);
		if (first)
			v = c;
		else if (key_is_bitmask(key))
			v &= c;
		else if (v != c)
			return (uint64_t)-1;
		first = false;
	}
	return v;
}

static int put_pair(struct linux_hwprobe *up, int64_t key, uint64_t value)
{
	struct linux_hwprobe p = {.key = key, .value = value};
	return copy_to_user(up, &p, sizeof(p)) < 0 ? -EFAULT : 0;
}

/* Fills in the values of the pairs for the CPUs of mask. */
static long probe_values(struct linux_hwprobe *pairs, size_t count, uint64_t mask)
{
	for (size_t i = 0; i < count; i++) {
		int64_t key;
		if (copy_from_user(&key, &pairs[i].key, sizeof(key)) < 0)
			return -EFAULT;
		bool known = key_known(key);
		if (put_pair(&pairs[i], known ? key : -1, known ? set_value(key, mask) : 0) < 0)
			return -EFAULT;
	}
	return 0;
}

/* WHICH_CPUS: reduces mask to the CPUs that match every pair; an
 * unknown key empties it (and is marked -1). */
static long probe_cpus(struct linux_hwprobe *pairs, size_t count, uint64_t *mask)
{
	for (size_t i = 0; i < count && *mask; i++) {
		struct linux_hwprobe p;
		if (copy_from_user(&p, &pairs[i], sizeof(p)) < 0)
			return -EFAULT;
		if (!key_known(p.key)) {
			*mask = 0;
			return put_pair(&pairs[i], -1, 0);
		}
		for (int cpu = 0; cpu < ncpus; cpu++) {
			uint64_t c = cpu_value(p.key, cpu);
			bool match =
			    key_is_bitmask(p.key) ? (c & p.value) == p.value : c == p.value;
			if (!match)
				*mask &= ~(1ULL << cpu);
		}
	}
	return 0;
}

/* a0 pairs, a1 pair_count, a2 cpusetsize, a3 cpus, a4 flags. */
LINUX_SYSCALL(riscv_hwprobe)
{
	LINUX_UNUSED();
	struct linux_hwprobe *pairs = (struct linux_hwprobe *)a0;
	size_t count = a1, setsize = MIN((size_t)a2, (size_t)LINUX_CPUMASK_BYTES);
	void *ucpus = (void *)a3;
	uint64_t online = sched_online_mask(), mask = 0;

	if ((unsigned)a4 & ~HWPROBE_WHICH_CPUS)
		return -EINVAL;
	if (!((unsigned)a4 & HWPROBE_WHICH_CPUS)) {
		if (!a2 && !ucpus)
			return probe_values(pairs, count, online);
		if (copy_from_user(&mask, ucpus, MIN(setsize, sizeof(mask))) < 0)
			return -EFAULT;
		mask &= online;
		/* no CPU, no answer: nothing tells what is supported */
		return mask ? probe_values(pairs, count, mask) : -EINVAL;
	}
	if (!a2 || !ucpus)
		return -EINVAL;
	if (copy_from_user(&mask, ucpus, MIN(setsize, sizeof(mask))) < 0)
		return -EFAULT;
	mask &= online;
	if (!mask) /* an empty set stands for every online CPU that fits */
		mask = setsize >= sizeof(mask) ? online : online & ((1ULL << (setsize * 8)) - 1);
	long r = probe_cpus(pairs, count, &mask);
	if (r < 0)
		return r;
	uint8_t out[LINUX_CPUMASK_BYTES] = {0};
	memcpy(out, &mask, sizeof(mask));
	return copy_to_user(ucpus, out, setsize) < 0 ? -EFAULT : 0;
}
