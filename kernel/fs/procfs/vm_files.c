/*
 * /proc/sys/vm: drop_caches.  Writing 1 drops the clean caches (the block
 * cache and the page cache), 2 gives empty slab pages back, 3 does both,
 * as on Linux.  Unlike Linux, everything dirty is written back first
 * (sync), so the write drops all that is not in use.  Reading gives the
 * last value written, as on Linux.
 *
 * /proc/sysrq-trigger is here too: 't' and 'w' print the tasks (all, or
 * those in an uninterruptible sleep) with the frames they wait in.  As on
 * Linux only the first byte counts, and an unknown key is only logged.
 */
#include "fs/procfs/procfs_impl.h"
#include "mm/alloc_trace.h"
#include "mm/reclaim.h"
#include "proc/task.h"

static unsigned last_value;

int proc_gen_drop_caches(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	tb_printf(out, "%u\n", __atomic_load_n(&last_value, __ATOMIC_RELAXED));
	return 0;
}

int proc_write_drop_caches(const struct proc_node *n, const char *buf, size_t len)
{
	(void)n;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
#ifdef ALLOC_TRACE
	if (len == 1 && (buf[0] == '8' || buf[0] == '9')) {
		if (buf[0] == '8')
			alloc_trace_mark();
		else
			alloc_trace_report();
		return 0;
	}
#endif
	if (len != 1 || buf[0] < '1' || buf[0] > '3')
		return -EINVAL;
	unsigned what = (unsigned)(buf[0] - '0');
	vfs_sync_all();
	reclaim_drop_caches(what);
	__atomic_store_n(&last_value, what, __ATOMIC_RELAXED);
	return 0;
}

int proc_write_sysrq_trigger(const struct proc_node *n, const char *buf, size_t len)
{
	(void)n;
	if (len > 0 && (buf[0] == 't' || buf[0] == 'w'))
		task_dump(buf[0] == 'w');
	else if (len > 0)
		printk("sysrq: key '%c' is not implemented (t and w are)\n", buf[0]);
	return 0;
}
