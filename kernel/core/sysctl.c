/*
 * The kernel's settable strings (sysctl.h), under one spinlock: readers
 * copy them out whole, so nobody sees half a new value.  Only kernel
 * memory is touched under the lock.  The host and domain names belong to
 * the calling task's UTS namespace (proc/uts_ns.c), which keeps them the
 * same way.
 */
#include "core/sysctl.h"

#include "core/kernel.h"
#include "core/spinlock.h"
#include "proc/task.h"
#include "proc/uts_ns.h"

static struct spinlock sysctl_lock = SPINLOCK_INIT("sysctl");
static char values[SYSCTL_STR_COUNT][SYSCTL_CORE_PATTERN_LEN + 1] = {
    [SYSCTL_CORE_PATTERN] = "core",
};
static const size_t max_len[SYSCTL_STR_COUNT] = {
    [SYSCTL_HOSTNAME] = SYSCTL_UTS_LEN,
    [SYSCTL_DOMAINNAME] = SYSCTL_UTS_LEN,
    [SYSCTL_CORE_PATTERN] = SYSCTL_CORE_PATTERN_LEN,
};

static bool in_uts_ns(enum sysctl_str s, enum uts_field *f)
{
	*f = s == SYSCTL_HOSTNAME ? UTS_HOSTNAME : UTS_DOMAINNAME;
	return s == SYSCTL_HOSTNAME || s == SYSCTL_DOMAINNAME;
}

void sysctl_get_str(enum sysctl_str s, char *buf, size_t len)
{
	enum uts_field f;
	KASSERT(s < SYSCTL_STR_COUNT);
	if (in_uts_ns(s, &f)) {
		char name[UTS_NAME_LEN + 1];
		uts_ns_read(uts_ns_of(current()), f, name);
		strlcpy(buf, name, len);
		return;
	}
	spin_lock(&sysctl_lock);
	strlcpy(buf, values[s], len);
	spin_unlock(&sysctl_lock);
}

int sysctl_set_str(enum sysctl_str s, const char *val, size_t n)
{
	enum uts_field f;
	KASSERT(s < SYSCTL_STR_COUNT);
	if (in_uts_ns(s, &f))
		return uts_ns_write(uts_ns_of(current()), f, val, n);
	if (n > max_len[s])
		return -EINVAL;
	spin_lock(&sysctl_lock);
	memcpy(values[s], val, n);
	values[s][n] = '\0';
	spin_unlock(&sysctl_lock);
	return 0;
}
