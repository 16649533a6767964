/*
 * The xv6-riscv64 ABI module: its registration (xv6_abi) and system call
 * dispatch.  xv6 programs pass the call number in a7 and arguments in
 * a0..a2, and read the result from a0, -1 for any error.
 */
#include "abi/abi.h"
#include "abi/xv6/xv6.h"
#include "core/kernel.h"
#include "proc/task.h"

typedef long (*xv6_syscall_fn)(uint64_t a0, uint64_t a1, uint64_t a2);

#define XV6_NSYSCALLS 22

static const xv6_syscall_fn table[XV6_NSYSCALLS] = {
#define X(name, nr) [nr] = xv6_sys_##name,
#include "abi/xv6/syscalls.def"
#undef X
};

static const char *const names[XV6_NSYSCALLS] = {
#define X(name, nr) [nr] = #name,
#include "abi/xv6/syscalls.def"
#undef X
};

static void report_unknown(uint64_t nr)
{
	abi_log_enosys("xv6", nr, nr < XV6_NSYSCALLS ? names[nr] : NULL);
}

static void xv6_syscall(struct trapframe *tf)
{
	uint64_t nr = tf_syscall_nr(tf);
	long r;
	if (nr < XV6_NSYSCALLS && table[nr]) {
		r = table[nr](tf_a(tf, 0), tf_a(tf, 1), tf_a(tf, 2));
	} else {
		report_unknown(nr);
		r = -ENOSYS;
	}
	tf_a(tf, 0) = r < 0 ? (uint64_t)-1 : (uint64_t)r;
}

const struct abi_module xv6_abi = {
    .name = "xv6-riscv64",
    .system_root = "/system/xv6-riscv64",
    .score = xv6_score,
    .load = xv6_load,
    .syscall = xv6_syscall,
    .fork_data = xv6_fork_data,
    .free_data = xv6_free_data,
    .export_fds = xv6_export_fds,
    .import_fds = xv6_import_fds,
    .exec_same_abi = xv6_exec_same_abi,
};
