#ifndef SCARLET_PROC_UTS_NS_H
#define SCARLET_PROC_UTS_NS_H
/*
 * UTS namespaces: the host and domain names a task sees (uname,
 * sethostname, setdomainname, /proc/sys/kernel/{hostname,domainname}).
 * Every task refers to one; a child inherits its parent's and
 * uts_ns_unshare gives a task a private copy.  The initial namespace is
 * static and never freed.
 */
#include "core/spinlock.h"
#include "core/types.h"

#define UTS_NAME_LEN 64 /* without the NUL, as Linux's __NEW_UTS_LEN */

struct task;

struct uts_ns {
	int refcount;
	struct spinlock lock;
	char hostname[UTS_NAME_LEN + 1];
	char domainname[UTS_NAME_LEN + 1];
	uint32_t inum; /* the number /proc/PID/ns/uts shows (ns_new_inum) */
};

enum uts_field { UTS_HOSTNAME, UTS_DOMAINNAME };

/* t's namespace (the initial one for a task without its own). */
struct uts_ns *uts_ns_of(struct task *t);
struct uts_ns *uts_ns_get(struct uts_ns *ns);
void uts_ns_put(struct uts_ns *ns);

/* Gives t (current, or a child not yet running) a private copy of its
 * namespace: 0 or -ENOMEM. */
int uts_ns_unshare(struct task *t);

/* Copies one name (NUL-terminated) into out[UTS_NAME_LEN + 1]. */
void uts_ns_read(struct uts_ns *ns, enum uts_field f, char *out);
/* Sets one name from len bytes of name: -EINVAL when len > UTS_NAME_LEN. */
int uts_ns_write(struct uts_ns *ns, enum uts_field f, const char *name, size_t len);

/* Moves t (current) into ns (a reference is taken). */
void uts_ns_install(struct task *t, struct uts_ns *ns);
/* The namespace of live task pid, with a reference; NULL if none. */
struct uts_ns *uts_ns_of_pid(pid_t pid);

#endif
