/*
 * The native ABI as a module: its binaries carry the "Scarlet" ELF note;
 * its descriptors are the task's handles themselves (fd n is handle n),
 * so carrying them over an ABI switch keeps their numbers.
 */
#include "abi/abi.h"
#include "abi/native/native.h"
#include "exec/sysv.h"
#include "obj/handle.h"
#include "proc/task.h"

/* Score for an ELF with no sign of any ABI: the native loader can run a
 * plain static program, but any module that recognizes it wins. */
#define SCORE_UNMARKED_ELF 10

static int native_score(const struct exec_binary *bin)
{
	if (!bin->elf)
		return 0;
	if (bin->has_scarlet_note)
		return 100;
	if (bin->has_gnu_abi_tag || bin->has_interp || bin->has_tls)
		return 0;
	return SCORE_UNMARKED_ELF;
}

static int native_load(const struct exec_binary *bin, struct mm *mm, const struct exec_args *args,
                       struct trapframe *tf)
{
	return sysv_load(bin, mm, args, tf, NULL, 0);
}

static int native_export_fds(struct task *t, struct fd_carry *out, int max)
{
	return handle_export_identity(t->handles, out, max);
}

static int native_import_fds(struct handle_table *ht, struct fd_carry *in, int n, void **data)
{
	*data = NULL;
	return handle_import_identity(ht, in, n);
}

const struct abi_module native_abi = {
    .name = "scarlet",
    .system_root = NULL,
    .score = native_score,
    .load = native_load,
    .syscall = native_syscall,
    .export_fds = native_export_fds,
    .import_fds = native_import_fds,
};
