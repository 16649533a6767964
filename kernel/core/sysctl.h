/*
 * The kernel's settable strings, as Linux's sysctls keep them: the host
 * and domain names (what uname reports and /proc/sys/kernel/{hostname,
 * domainname} show and set) and the core-file pattern
 * (/proc/sys/kernel/core_pattern).  Generic: any ABI reads them.  There
 * is one of each (no UTS namespaces yet).
 */
#ifndef CORE_SYSCTL_H
#define CORE_SYSCTL_H

#include "core/types.h"

enum sysctl_str {
	SYSCTL_HOSTNAME,     /* "scarlet" at boot */
	SYSCTL_DOMAINNAME,   /* "(none)" at boot, as Linux */
	SYSCTL_CORE_PATTERN, /* "core" at boot, as Linux */
	SYSCTL_STR_COUNT
};

/* Longest values: Linux's __NEW_UTS_LEN and CORENAME_MAX_SIZE - 1. */
#define SYSCTL_UTS_LEN          64
#define SYSCTL_CORE_PATTERN_LEN 127

/* Copies the value into buf[len] (kernel memory), NUL-terminated and cut
 * to fit. */
void sysctl_get_str(enum sysctl_str s, char *buf, size_t len);
/* Sets the value from val[n] (kernel memory, need not be terminated);
 * EINVAL when it is longer than the value's maximum.  No permission
 * check: callers do theirs. */
int sysctl_set_str(enum sysctl_str s, const char *val, size_t n);

/* What a core dump names its file after (see core(5)). */
static inline void proc_core_pattern(char *buf, size_t len)
{
	sysctl_get_str(SYSCTL_CORE_PATTERN, buf, len);
}

#endif
