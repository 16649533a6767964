/*
 * The text files of /proc/PID: stat, status, statm, cmdline, environ,
 * comm and mounts, in Linux's formats (proc(5)).
 *
 * What Scarlet does not track is reported as Linux reports a value it
 * has none of: CPU time is all user time (no user/system split), page
 * fault counts are 0, there is no controlling terminal (tty_nr 0, tpgid
 * -1), no blocked or caught signals, and no user ids (all 0, root).
 */
#include "arch/riscv64/memlayout.h"
#include "fs/procfs/procfs_impl.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"
#include "obj/handle.h"

#define RLIM_INFINITY_VALUE 0xffffffffffffffffUL
#define SIGCHLD_NUMBER      17

static const char *state_name(char s)
{
	switch (s) {
	case 'R':
		return "running";
	case 'S':
		return "sleeping";
	case 'D':
		return "disk sleep";
	case 'T':
		return "stopped";
	case 'Z':
		return "zombie";
	default:
		return "unknown";
	}
}

/* Fills out and pt's address-space figures (zero without one). */
static void vm_figures(struct proc_task *pt, struct proc_vm_sizes *vs, uint64_t *rss_pages)
{
	memset(vs, 0, sizeof(*vs));
	*rss_pages = 0;
	if (pt->mm) {
		proc_vm_sizes(pt->mm, vs);
		*rss_pages = __atomic_load_n(&pt->mm->rss_pages, __ATOMIC_RELAXED);
	}
}

static void print_stat(struct textbuf *out, struct proc_task *pt)
{
	struct proc_vm_sizes vs;
	uint64_t rss;
	struct mm *mm = pt->mm;

	vm_figures(pt, &vs, &rss);
	tb_printf(out, "%d (%.15s) %c %d %d %d 0 -1 0 0 0 0 0 ", pt->pid, pt->name, pt->state,
	          pt->ppid, pt->pgid, pt->sid);
	/* priority as Linux shows it: 20 + nice, or -1 - the real-time one */
	int prio = pt->rt_priority ? -1 - pt->rt_priority : 20 + pt->nice;
	tb_printf(out, "%lu 0 %lu 0 %d %d %d 0 %lu ", (unsigned long)proc_ticks(pt->cpu_ns),
	          (unsigned long)proc_ticks(pt->cpu_ns_children), prio, pt->nice, pt->nthreads,
	          (unsigned long)proc_ticks(pt->start_ns));
	tb_printf(out, "%lu %lu %lu %lu %lu 0 0 0 ", (unsigned long)vs.total, (unsigned long)rss,
	          RLIM_INFINITY_VALUE, (unsigned long)vs.code_start, (unsigned long)vs.code_end);
	tb_printf(out, "%lu 0 %lu 0 0 0 0 %d %d %d %d 0 0 0 ", (unsigned long)pt->sig_pending,
	          (unsigned long)pt->sig_ignored, SIGCHLD_NUMBER, pt->cpu, pt->rt_priority,
	          pt->policy);
	tb_printf(out, "%lu %lu %lu %lu %lu %lu %lu %d\n", (unsigned long)vs.data_start,
	          (unsigned long)vs.data_end, mm ? (unsigned long)mm->brk_start : 0UL,
	          mm ? (unsigned long)mm->arg_start : 0UL, mm ? (unsigned long)mm->arg_end : 0UL,
	          mm ? (unsigned long)mm->env_start : 0UL, mm ? (unsigned long)mm->env_end : 0UL,
	          pt->state == 'Z' ? pt->exit_status : 0);
}

int proc_gen_pid_stat(const struct proc_node *n, struct textbuf *out)
{
	struct proc_task pt;
	int err = proc_task_get_in(n->ns, n->pid, &pt);

	if (err < 0)
		return err;
	print_stat(out, &pt);
	proc_task_put(&pt);
	return 0;
}

static void print_status_vm(struct textbuf *out, struct proc_task *pt)
{
	struct proc_vm_sizes vs;
	uint64_t rss;

	vm_figures(pt, &vs, &rss);
	tb_printf(out, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\n", (unsigned long)vs.total / 1024,
	          (unsigned long)vs.total / 1024);
	tb_printf(out, "VmLck:\t%8lu kB\n",
	          (unsigned long)vm_locked_bytes(pt->mm, 0, USER_TOP) / 1024);
	tb_printf(out, "VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n", (unsigned long)rss * 4,
	          (unsigned long)rss * 4);
	tb_printf(out, "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\n",
	          (unsigned long)vs.data / 1024, (unsigned long)vs.stack / 1024,
	          (unsigned long)vs.exe / 1024);
}

/* "NAME:\tN\tN..." with a number per pid namespace level. */
static void print_ns_line(struct textbuf *out, const char *name, const pid_t *nrs, int levels)
{
	tb_printf(out, "%s:", name);
	for (int i = 0; i < levels; i++)
		tb_printf(out, "\t%d", nrs[i]);
	tb_printf(out, "\n");
}

int proc_gen_pid_status(const struct proc_node *n, struct textbuf *out)
{
	struct proc_task pt;
	int err = proc_task_get_in(n->ns, n->pid, &pt);

	if (err < 0)
		return err;
	tb_printf(out, "Name:\t%.15s\nUmask:\t%04o\nState:\t%c (%s)\n", pt.name,
	          pt.fs ? pt.fs->umask : 022, pt.state, state_name(pt.state));
	tb_printf(out, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", pt.tgid, pt.pid,
	          pt.ppid);
	tb_printf(out, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%d\nGroups:\t\n",
	          pt.handles ? HANDLE_MAX : 0);
	print_ns_line(out, "NStgid", pt.ns_tgid, pt.ns_levels);
	print_ns_line(out, "NSpid", pt.ns_pid, pt.ns_levels);
	print_ns_line(out, "NSpgid", pt.ns_pgid, pt.ns_levels);
	print_ns_line(out, "NSsid", pt.ns_sid, pt.ns_levels);
	if (pt.mm)
		print_status_vm(out, &pt);
	tb_printf(out, "Threads:\t%d\n", pt.nthreads);
	tb_printf(out, "SigPnd:\t%016lx\nShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\n",
	          (unsigned long)pt.sig_pending);
	tb_printf(out, "SigIgn:\t%016lx\nSigCgt:\t0000000000000000\n",
	          (unsigned long)pt.sig_ignored);
	tb_printf(out, "Scarlet-ABI:\t%s\n", pt.abi);
	proc_task_put(&pt);
	return 0;
}

int proc_gen_pid_statm(const struct proc_node *n, struct textbuf *out)
{
	struct proc_task pt;
	struct proc_vm_sizes vs;
	uint64_t rss;
	int err = proc_task_get(n->pid, &pt);

	if (err < 0)
		return err;
	vm_figures(&pt, &vs, &rss);
	tb_printf(out, "%lu %lu 0 %lu 0 %lu 0\n", (unsigned long)vs.total / PAGE_SIZE,
	          (unsigned long)rss, (unsigned long)vs.exe / PAGE_SIZE,
	          (unsigned long)(vs.data + vs.stack) / PAGE_SIZE);
	proc_task_put(&pt);
	return 0;
}

/* [start, end) of the process's memory, as Linux's cmdline and environ. */
static int gen_memory_range(pid_t pid, bool environ, struct textbuf *out)
{
	struct proc_task pt;
	int err = proc_task_get(pid, &pt);

	if (err < 0)
		return err;
	if (pt.mm && environ)
		proc_read_memory(pt.mm, pt.mm->env_start, pt.mm->env_end, out);
	else if (pt.mm)
		proc_read_memory(pt.mm, pt.mm->arg_start, pt.mm->arg_end, out);
	proc_task_put(&pt);
	return 0;
}

int proc_gen_pid_cmdline(const struct proc_node *n, struct textbuf *out)
{
	return gen_memory_range(n->pid, false, out);
}

int proc_gen_pid_environ(const struct proc_node *n, struct textbuf *out)
{
	return gen_memory_range(n->pid, true, out);
}

int proc_gen_pid_comm(const struct proc_node *n, struct textbuf *out)
{
	struct proc_task pt;
	int err = proc_task_get(n->pid, &pt);

	if (err < 0)
		return err;
	tb_printf(out, "%.15s\n", pt.name);
	proc_task_put(&pt);
	return 0;
}

/* vfs_list_mounts gives "source target type rw|ro" lines; Linux adds the
 * dump and pass fields. */
int proc_list_mounts(const struct proc_task *pt, proc_mount_lister lister, char **list)
{
	int err = 0;

	*list = NULL;
	for (size_t size = 4096; pt->fs && size <= 256 * 1024; size *= 2) {
		*list = kmalloc(size);
		err = *list ? lister(pt->fs, *list, size) : -ENOMEM;
		if (err != -ERANGE)
			break;
		kfree(*list);
		*list = NULL;
	}
	return err;
}

int proc_gen_pid_mounts(const struct proc_node *n, struct textbuf *out)
{
	struct proc_task pt;
	char *list;
	int err = proc_task_get(n->pid, &pt);

	if (err < 0)
		return err;
	err = proc_list_mounts(&pt, vfs_list_mounts, &list);
	for (char *line = list, *nl; err >= 0 && line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		tb_put(out, line, (size_t)(nl - line));
		tb_printf(out, " 0 0\n");
	}
	kfree(list);
	proc_task_put(&pt);
	return err < 0 ? err : 0;
}
