/*
 * The kernel's settable strings (sysctl.h), under one spinlock: readers
 * copy them out whole, so nobody sees half a new host name.  Only kernel
 * memory is touched under the lock.
 */
#include "core/sysctl.h"

#include "core/kernel.h"
#include "core/spinlock.h"

static struct spinlock sysctl_lock = SPINLOCK_INIT("sysctl");
static char values[SYSCTL_STR_COUNT][SYSCTL_CORE_PATTERN_LEN + 1] = {
    [SYSCTL_HOSTNAME] = "scarlet",
    [SYSCTL_DOMAINNAME] = "(none)",
    [SYSCTL_CORE_PATTERN] = "core",
};
static const size_t max_len[SYSCTL_STR_COUNT] = {
    [SYSCTL_HOSTNAME] = SYSCTL_UTS_LEN,
    [SYSCTL_DOMAINNAME] = SYSCTL_UTS_LEN,
    [SYSCTL_CORE_PATTERN] = SYSCTL_CORE_PATTERN_LEN,
};

void sysctl_get_str(enum sysctl_str s, char *buf, size_t len)
{
	KASSERT(s < SYSCTL_STR_COUNT);
	spin_lock(&sysctl_lock);
	strlcpy(buf, values[s], len);
	spin_unlock(&sysctl_lock);
}

int sysctl_set_str(enum sysctl_str s, const char *val, size_t n)
{
	KASSERT(s < SYSCTL_STR_COUNT);
	if (n > max_len[s])
		return -EINVAL;
	spin_lock(&sysctl_lock);
	memcpy(values[s], val, n);
	values[s][n] = '\0';
	spin_unlock(&sysctl_lock);
	return 0;
}
