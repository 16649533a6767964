/*
 * RLIMIT_FSIZE, the largest file a process may make: a write that starts
 * at or past it, or a truncate that grows a file past it, sends SIGXFSZ
 * to the process and fails with EFBIG; a write that would cross it is
 * cut short at the limit (Linux's rules).
 */
#include "fs/vfs_impl.h"
#include "proc/rlimit.h"
#include "proc/signal.h"
#include "proc/task.h"

#define SIGXFSZ 25

static uint64_t fsize_limit(void)
{
	struct krlimit lim;
	struct task *t = current();
	if (!t || rlimit_get_set(t, RLIMIT_FSIZE, NULL, &lim) < 0)
		return RLIM_INFINITY;
	return lim.cur;
}

static int too_big(void)
{
	signal_send_info(current(), SIGXFSZ, NULL);
	return -EFBIG;
}

int fsize_write_check(uint64_t off, size_t *len)
{
	uint64_t limit = fsize_limit();
	if (limit == RLIM_INFINITY || *len == 0)
		return 0;
	if (off >= limit)
		return too_big();
	*len = (size_t)MIN((uint64_t)*len, limit - off);
	return 0;
}

int fsize_grow_check(uint64_t old_size, uint64_t new_size)
{
	uint64_t limit = fsize_limit();
	if (limit == RLIM_INFINITY || new_size <= old_size || new_size <= limit)
		return 0;
	return too_big();
}
