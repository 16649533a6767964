/*
 * /sys/devices/system/cpu: the harts the kernel found (possible, present:
 * Scarlet has no hotplug, so both are all of them), those that run
 * (online; a hart OpenSBI could not start stays offline), and Linux's
 * NR_CPUS - 1 (kernel_max).  Lists are Linux's: ranges joined by commas,
 * "0-1,3".
 */
#include "arch/riscv64/cpu.h"
#include "fs/sysfs/sysfs_impl.h"

int sys_cpu_count(void)
{
	return ncpus;
}

/* Prints the CPUs i < ncpus with want(i) as a list, then a newline (an
 * empty list is just the newline, as Linux's offline file). */
static void print_list(struct textbuf *out, bool (*want)(int))
{
	bool first = true;

	for (int i = 0; i < ncpus; i++) {
		int j = i;
		if (!want(i))
			continue;
		while (j + 1 < ncpus && want(j + 1))
			j++;
		tb_printf(out, "%s%d", first ? "" : ",", i);
		if (j > i)
			tb_printf(out, "-%d", j);
		first = false;
		i = j;
	}
	tb_put(out, "\n", 1);
}

static bool is_online(int i)
{
	return __atomic_load_n(&cpus[i].online, __ATOMIC_RELAXED);
}

static bool is_offline(int i)
{
	return !is_online(i);
}

static bool is_possible(int i)
{
	(void)i;
	return true;
}

int sys_gen_cpu_online(int sub, struct textbuf *out)
{
	(void)sub;
	print_list(out, is_online);
	return 0;
}

int sys_gen_cpu_offline(int sub, struct textbuf *out)
{
	(void)sub;
	print_list(out, is_offline);
	return 0;
}

/* Also what "present" says. */
int sys_gen_cpu_possible(int sub, struct textbuf *out)
{
	(void)sub;
	print_list(out, is_possible);
	return 0;
}

int sys_gen_cpu_kernel_max(int sub, struct textbuf *out)
{
	(void)sub;
	tb_printf(out, "%d\n", MAX_CPUS - 1);
	return 0;
}

int sys_gen_cpun_online(int sub, struct textbuf *out)
{
	tb_printf(out, "%d\n", sub < ncpus && is_online(sub) ? 1 : 0);
	return 0;
}

bool sys_cpun_hotpluggable(int cpu)
{
	return cpu > 0;
}
