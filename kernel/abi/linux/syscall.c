/*
 * Linux system call dispatch.  A call that is not implemented returns
 * ENOSYS and is logged once per call name and process.
 */
#include "abi/linux/linux.h"
#include "proc/procctl.h"
#include "proc/task.h"

#define X(nr, name) LINUX_SYSCALL(name);
#include "abi/linux/calls.def"
#undef X

static const linux_syscall_fn table[LINUX_NR_MAX] = {
#define X(nr, name) [nr] = linux_sys_##name,
#include "abi/linux/calls.def"
#undef X
};

static void log_unimplemented(uint64_t nr)
{
	abi_log_enosys("linux", nr, nr < LINUX_NR_MAX ? linux_syscall_names[nr] : NULL);
}

/* seccomp's strict mode: read, write, exit and rt_sigreturn only. */
static bool strict_allows(uint64_t nr)
{
	return nr == 63 || nr == 64 || nr == 93 || nr == 139;
}

void linux_syscall(struct trapframe *tf)
{
	uint64_t nr = tf_syscall_nr(tf);
	long r;
	if (current()->ctl.seccomp == PROC_SECCOMP_STRICT && !strict_allows(nr))
		procctl_seccomp_kill();
	if (nr < LINUX_NR_MAX && table[nr]) {
		r = table[nr](tf_a(tf, 0), tf_a(tf, 1), tf_a(tf, 2), tf_a(tf, 3), tf_a(tf, 4),
		              tf_a(tf, 5));
	} else {
		log_unimplemented(nr);
		r = -ENOSYS;
	}
	tf_a(tf, 0) = (uint64_t)r;
}
