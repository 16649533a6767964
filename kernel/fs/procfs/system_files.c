/*
 * The system-wide files of /proc: meminfo, uptime, cpuinfo, loadavg,
 * filesystems, version, stat and sys/kernel/{ostype,osrelease},
 * in Linux's formats.
 *
 * CPU time is counted per hart as idle (waiting in the idle loop) or
 * busy; busy time is reported as user time, since Scarlet does not split
 * it into user and system.  The block cache is reported as Buffers, the
 * page cache of mapped files as Cached; both are counted as available,
 * since reclaim gives them back (a mapped page not quite: the count is
 * an upper bound).  There is no swap.
 */
#include "arch/riscv64/cpu.h"
#include "core/boot.h"
#include "core/time.h"
#include "fs/bcache.h"
#include "fs/procfs/procfs_impl.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/pcache.h"

#define KB(bytes) ((unsigned long)((bytes) / 1024))

int proc_gen_meminfo(const struct proc_node *n, struct textbuf *out)
{
	uint64_t total = page_total_count() * PAGE_SIZE, free = page_free_count() * PAGE_SIZE;
	uint64_t buffers = bcache_bytes(), cached = pcache_pages() * PAGE_SIZE;

	(void)n;
	tb_printf(out, "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n", KB(total), KB(free));
	tb_printf(out, "MemAvailable:   %8lu kB\nBuffers:        %8lu kB\n",
	          KB(free + buffers + cached), KB(buffers));
	tb_printf(out, "Cached:         %8lu kB\nSwapCached:     %8lu kB\n", KB(cached), 0UL);
	tb_printf(out, "SwapTotal:      %8lu kB\nSwapFree:       %8lu kB\n", 0UL, 0UL);
	tb_printf(out, "Shmem:          %8lu kB\nSlab:           %8lu kB\n", 0UL,
	          KB(kmalloc_bytes_in_use()));
	tb_printf(out, "SReclaimable:   %8lu kB\nSUnreclaim:     %8lu kB\n", 0UL,
	          KB(kmalloc_bytes_in_use()));
	return 0;
}

/* Seconds and hundredths. */
static void print_centis(struct textbuf *out, uint64_t ns, const char *end)
{
	uint64_t cs = ns / 10000000;

	tb_printf(out, "%lu.%02lu%s", (unsigned long)(cs / 100), (unsigned long)(cs % 100), end);
}

static uint64_t cpu_idle_ns(int i)
{
	return __atomic_load_n(&cpus[i].idle_ns, __ATOMIC_RELAXED);
}

int proc_gen_uptime(const struct proc_node *n, struct textbuf *out)
{
	uint64_t idle = 0;

	(void)n;
	for (int i = 0; i < ncpus; i++)
		idle += cpus[i].online ? cpu_idle_ns(i) : 0;
	print_centis(out, time_monotonic_ns(), " ");
	print_centis(out, idle, "\n");
	return 0;
}

static const char *hart_isa(unsigned long hartid)
{
	for (int i = 0; i < boot.fdt.nharts; i++)
		if (boot.fdt.harts[i].hartid == hartid)
			return boot.fdt.harts[i].isa;
	return "rv64imac";
}

int proc_gen_cpuinfo(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	for (int i = 0; i < ncpus; i++) {
		if (!cpus[i].online)
			continue;
		tb_printf(out, "processor\t: %d\nhart\t\t: %lu\nisa\t\t: %s\nmmu\t\t: sv39\n\n", i,
		          cpus[i].hartid, hart_isa(cpus[i].hartid));
	}
	return 0;
}

/*
 * Load averages as Linux computes them (fixed point, 11 bits, one sample
 * every 5 s), but sampled when the file is read: the intervals since the
 * last read all count the number of processes running now.
 */
#define FSHIFT       11
#define FIXED_1      (1UL << FSHIFT)
#define LOAD_FREQ_NS 5000000000UL

static const unsigned long load_exp[3] = {1884, 2014, 2037}; /* 1, 5, 15 minutes */
static unsigned long load_avg[3];
static uint64_t load_last_ns;
static struct spinlock load_lock = SPINLOCK_INIT("loadavg");

static void load_update(int active)
{
	uint64_t now = time_monotonic_ns();

	spin_lock(&load_lock);
	/* after 1000 samples (83 minutes) the old value no longer shows */
	for (int k = 0; now - load_last_ns >= LOAD_FREQ_NS && k < 1000; k++) {
		for (int i = 0; i < 3; i++)
			load_avg[i] = (load_avg[i] * load_exp[i] +
			               (unsigned long)active * FIXED_1 * (FIXED_1 - load_exp[i])) >>
			              FSHIFT;
		load_last_ns += LOAD_FREQ_NS;
	}
	if (now - load_last_ns >= LOAD_FREQ_NS)
		load_last_ns = now;
	spin_unlock(&load_lock);
}

int proc_gen_loadavg(const struct proc_node *n, struct textbuf *out)
{
	struct proc_census c;

	(void)n;
	proc_census(&c);
	/* the reader itself is running: Linux samples from the tick, without it */
	load_update(MAX(c.running - 1, 0) + c.blocked);
	for (int i = 0; i < 3; i++) {
		unsigned long v = load_avg[i] + FIXED_1 / 200; /* round to 1/100 */
		tb_printf(out, "%lu.%02lu ", v >> FSHIFT, ((v & (FIXED_1 - 1)) * 100) >> FSHIFT);
	}
	tb_printf(out, "%d/%d %d\n", c.running, c.total, task_last_pid());
	return 0;
}

/* Types that read a disk; every other one is "nodev". */
static bool needs_device(const char *name)
{
	return strcmp(name, "ext2") == 0 || strcmp(name, "vfat") == 0 || strcmp(name, "fat32") == 0;
}

int proc_gen_filesystems(const struct proc_node *n, struct textbuf *out)
{
	const struct fs_type *t;

	(void)n;
	for (int i = 0; (t = vfs_fs_type_at(i)) != NULL; i++)
		tb_printf(out, "%s\t%s\n", needs_device(t->name) ? "" : "nodev", t->name);
	return 0;
}

int proc_gen_version(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	tb_printf(out, "%s version %s (scarlet@%s) (riscv64 Scarlet kernel) #1 SMP\n", PROC_OSTYPE,
	          PROC_OSRELEASE, PROC_HOSTNAME);
	return 0;
}

static void print_cpu_line(struct textbuf *out, const char *name, uint64_t busy, uint64_t idle)
{
	tb_printf(out, "%s %lu 0 0 %lu 0 0 0 0 0 0\n", name, (unsigned long)proc_ticks(busy),
	          (unsigned long)proc_ticks(idle));
}

int proc_gen_stat(const struct proc_node *n, struct textbuf *out)
{
	uint64_t now = time_monotonic_ns(), busy[MAX_CPUS], idle[MAX_CPUS], tb = 0, ti = 0;
	struct proc_census c;
	char name[16];

	(void)n;
	for (int i = 0; i < ncpus; i++) {
		idle[i] = cpus[i].online ? MIN(cpu_idle_ns(i), now) : 0;
		busy[i] = cpus[i].online ? now - idle[i] : 0;
		tb += busy[i];
		ti += idle[i];
	}
	print_cpu_line(out, "cpu ", tb, ti);
	for (int i = 0; i < ncpus; i++) {
		fmt_snprintf(name, sizeof(name), "cpu%d", i);
		if (cpus[i].online)
			print_cpu_line(out, name, busy[i], idle[i]);
	}
	proc_census(&c);
	tb_printf(out, "intr 0\nctxt 0\nbtime %lu\nprocesses %d\n",
	          (unsigned long)((time_realtime_ns() - (int64_t)now) / 1000000000),
	          task_last_pid());
	tb_printf(out, "procs_running %d\nprocs_blocked %d\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
	          c.running, c.blocked);
	return 0;
}

int proc_gen_ostype(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	tb_printf(out, "%s\n", PROC_OSTYPE);
	return 0;
}

int proc_gen_osrelease(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	tb_printf(out, "%s\n", PROC_OSRELEASE);
	return 0;
}
