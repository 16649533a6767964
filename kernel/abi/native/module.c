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

/* Every native program carries the note (user/lib/crt0.S); an ELF
 * without it is some other system's program, never taken for native
 * (abi-run still forces it). */
static int native_score(const struct exec_binary *bin)
{
	return bin->elf && bin->has_scarlet_note ? 100 : 0;
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
