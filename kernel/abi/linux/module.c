/*
 * The linux-riscv64 module definition: glibc binaries are recognized by
 * the GNU ABI-tag note, PT_INTERP, PT_TLS or PT_DYNAMIC, and any other
 * unmarked ELF (musl, Go, no libc) by being linked where Linux can load
 * it (docs/executor.md); they start with the System V stack plus Linux's
 * auxv entries, and a sigreturn trampoline page in place of the vDSO.
 */
#include "abi/linux/linux.h"
#include "abi/linux/signal.h"
#include "exec/sysv.h"
#include "obj/handle.h"
#include "proc/task.h"

void linux_syscall(struct trapframe *tf);

/* Linux never maps page 0 (vm.mmap_min_addr is at least a page), so a
 * program with a segment there cannot be a Linux program; xv6 links its
 * programs at 0. */
#define LINUX_LOWEST_LOAD 4096UL

static int linux_score(const struct exec_binary *bin)
{
	if (!bin->elf || bin->has_scarlet_note)
		return 0;
	if (bin->has_gnu_abi_tag || bin->has_interp)
		return 90;
	/* PT_TLS, or PT_DYNAMIC: glibc's dynamic linker run as a program */
	if (bin->has_tls || bin->has_dynamic)
		return 60;
	/* an unmarked static program (musl, Go, no libc) linked where Linux
	 * loads programs: GNU ld and Go both start at 0x10000 */
	return bin->lowest_vaddr >= LINUX_LOWEST_LOAD ? 40 : 0;
}

/* AT_HWCAP: one bit per single-letter ISA extension (rv64imafdc). */
#define HWCAP_BIT(c) (1UL << ((c) - 'a'))
#define LINUX_HWCAP                                                                                \
	(HWCAP_BIT('i') | HWCAP_BIT('m') | HWCAP_BIT('a') | HWCAP_BIT('f') | HWCAP_BIT('d') |      \
	 HWCAP_BIT('c'))
#define LINUX_CLKTCK 100

static int linux_load(const struct exec_binary *bin, struct mm *mm, const struct exec_args *args,
                      struct trapframe *tf)
{
	const struct cred *c = bin->cred ? bin->cred : cred_current();
	const uint64_t extra[] = {
	    AT_HWCAP, LINUX_HWCAP, AT_CLKTCK, LINUX_CLKTCK, AT_UID,  c->uid,    AT_EUID,
	    c->euid,  AT_GID,      c->gid,    AT_EGID,      c->egid, AT_SECURE, bin->secure,
	    AT_FLAGS, 0,
	};
	int r = sysv_load(bin, mm, args, tf, extra, ARRAY_SIZE(extra) / 2);
	if (r == 0)
		r = linux_map_sigtramp(mm);
	/* Linux starts a program with a0 = the dynamic linker's exit hook
	 * (none here: _start registers a0 with atexit), not argc. */
	tf_a(tf, 0) = tf_a(tf, 1) = tf_a(tf, 2) = 0;
	return r;
}

static int linux_export_fds(struct task *t, struct fd_carry *out, int max)
{
	return handle_export_identity(t->handles, out, max);
}

static int linux_import_fds(struct handle_table *ht, struct fd_carry *in, int n, void **data)
{
	*data = NULL;
	return handle_import_identity(ht, in, n);
}

const struct abi_module linux_abi = {
    .name = "linux-riscv64",
    .system_root = "/system/linux-riscv64",
    .has_sysfs = true,
    .score = linux_score,
    .load = linux_load,
    .syscall = linux_syscall,
    .export_fds = linux_export_fds,
    .import_fds = linux_import_fds,
    .signal_frame = linux_signal_frame,
    .syscall_interrupted = linux_syscall_interrupted,
};
