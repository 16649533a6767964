/*
 * /proc/sys/vm: drop_caches.  Writing 1 drops the clean caches (the block
 * cache and the page cache), 2 gives empty slab pages back, 3 does both,
 * as on Linux.  Unlike Linux, everything dirty is written back first
 * (sync), so the write drops all that is not in use.  Reading gives the
 * last value written, as on Linux.
 */
#include "fs/procfs/procfs_impl.h"
#include "mm/reclaim.h"

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
	if (len != 1 || buf[0] < '1' || buf[0] > '3')
		return -EINVAL;
	unsigned what = (unsigned)(buf[0] - '0');
	vfs_sync_all();
	reclaim_drop_caches(what);
	__atomic_store_n(&last_value, what, __ATOMIC_RELAXED);
	return 0;
}
