/*
 * /proc/sys: kernel/{pid_max,tainted,hostname,domainname,core_pattern,
 * osrelease,ostype,version,ngroups_max,threads-max}, fs/{pipe-max-size,
 * file-max,nr_open}, vm/max_map_count, and /proc/cmdline, in Linux's
 * formats (one value and a newline).
 *
 * hostname, domainname and core_pattern are 0644 (root writes them, the
 * permission check refuses others) and live in core/sysctl.c; a write
 * takes the text up to the first newline, cut to the value's maximum
 * length as Linux's proc_dostring does.  The numbers are read-only: they
 * are the limits Scarlet has, or Linux's defaults where Scarlet keeps
 * none (see docs/procfs.md).
 */
#include "arch/riscv64/memlayout.h"
#include "core/boot.h"
#include "core/sysctl.h"
#include "fs/procfs/procfs_impl.h"
#include "mm/page.h"
#include "obj/handle.h"
#include "proc/cred.h"

/* Linux's values where Scarlet has no limit of its own. */
#define LINUX_PID_MAX_LIMIT   4194304 /* pids do not wrap yet, so none is reused */
#define LINUX_PIPE_MAX_SIZE   1048576
#define LINUX_FILE_MAX        9223372036854775807UL /* no system-wide limit */
#define LINUX_MAX_MAP_COUNT   65530
#define LINUX_THREADS_MAX_MIN 20

static int gen_str(enum sysctl_str s, struct textbuf *out)
{
	char buf[SYSCTL_CORE_PATTERN_LEN + 1];

	sysctl_get_str(s, buf, sizeof(buf));
	tb_printf(out, "%s\n", buf);
	return 0;
}

static int write_str(enum sysctl_str s, const char *buf, size_t len)
{
	size_t n = 0, max = s == SYSCTL_CORE_PATTERN ? SYSCTL_CORE_PATTERN_LEN : SYSCTL_UTS_LEN;

	while (n < len && buf[n] != '\n' && buf[n] != '\0')
		n++;
	return sysctl_set_str(s, buf, MIN(n, max));
}

int proc_gen_hostname(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	return gen_str(SYSCTL_HOSTNAME, out);
}

int proc_write_hostname(const struct proc_node *n, const char *buf, size_t len)
{
	(void)n;
	return write_str(SYSCTL_HOSTNAME, buf, len);
}

int proc_gen_domainname(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	return gen_str(SYSCTL_DOMAINNAME, out);
}

int proc_write_domainname(const struct proc_node *n, const char *buf, size_t len)
{
	(void)n;
	return write_str(SYSCTL_DOMAINNAME, buf, len);
}

int proc_gen_core_pattern(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	return gen_str(SYSCTL_CORE_PATTERN, out);
}

int proc_write_core_pattern(const struct proc_node *n, const char *buf, size_t len)
{
	(void)n;
	return write_str(SYSCTL_CORE_PATTERN, buf, len);
}

/* A read-only file holding one number. */
#define NUMBER_FILE(fn, value)                                                                     \
	int fn(const struct proc_node *n, struct textbuf *out)                                     \
	{                                                                                          \
		(void)n;                                                                           \
		tb_printf(out, "%lu\n", (unsigned long)(value));                                   \
		return 0;                                                                          \
	}

/* Linux's formula: threads whose kernel stacks would take an eighth of
 * memory, at least 20. */
static unsigned long threads_max(void)
{
	return MAX(page_total_count() * PAGE_SIZE / (KSTACK_SIZE * 8UL), LINUX_THREADS_MAX_MIN);
}

NUMBER_FILE(proc_gen_pid_max, LINUX_PID_MAX_LIMIT)
NUMBER_FILE(proc_gen_tainted, 0)
NUMBER_FILE(proc_gen_ngroups_max, CRED_NGROUPS_MAX)
NUMBER_FILE(proc_gen_threads_max, threads_max())
NUMBER_FILE(proc_gen_pipe_max_size, LINUX_PIPE_MAX_SIZE)
NUMBER_FILE(proc_gen_file_max, LINUX_FILE_MAX)
NUMBER_FILE(proc_gen_nr_open, HANDLE_MAX)
NUMBER_FILE(proc_gen_max_map_count, LINUX_MAX_MAP_COUNT)

/* What the Linux ABI's uname says as its version. */
int proc_gen_kernel_version(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	tb_printf(out, "%s\n", PROC_KERNEL_VERSION);
	return 0;
}

/* The boot arguments, as the device tree's /chosen gave them. */
int proc_gen_cmdline(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	tb_printf(out, "%s\n", boot.cmdline);
	return 0;
}
