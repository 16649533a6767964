/*
 * The native ABI as a module: its binaries carry the "Scarlet" ELF note;
 * its descriptors are the task's handles themselves (fd n is handle n),
 * so carrying them over an ABI switch keeps their numbers.
 */
#include "abi/abi.h"
#include "abi/native/native.h"
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

static int native_export_fds(struct task *t, struct fd_carry *out, int max)
{
	int n = 0;
	for (int h = 0; h < HANDLE_MAX && n < max; h++) {
		int flags = handle_get_flags(t->handles, h);
		if (flags < 0 || (flags & HANDLE_CLOEXEC))
			continue;
		struct kobj *o = handle_get(t->handles, h);
		if (o)
			out[n++] = (struct fd_carry){.fd = h, .obj = o};
	}
	return n;
}

static int native_import_fds(struct handle_table *ht, struct fd_carry *in, int n, void **data)
{
	int r = 0;
	*data = NULL;
	for (int i = 0; i < n; i++) {
		/* fds are distinct and the table empty: fd n lands on handle n */
		int h = r == 0 && in[i].fd < HANDLE_MAX ? handle_install(ht, in[i].obj, 0, in[i].fd)
		                                        : -EBADF;
		if (h < 0) {
			kobj_put(in[i].obj);
			if (r == 0 && in[i].fd < HANDLE_MAX)
				r = h;
		}
	}
	return r;
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
