/*
 * The System V process image shared by the native and Linux ABIs: the
 * ELF segments, the program interpreter if it names one (started in its
 * place, with AT_BASE telling where it is), an 8 MiB stack with a guard page below it, and the
 * initial stack argc, argv, envp, auxv (the common entries plus the
 * ABI's own), with a0 = argc, a1 = argv, a2 = envp as well.
 */
#include <scarlet/abi.h>

#include "abi/abi.h"
#include "core/kernel.h"
#include "exec/sysv.h"
#include "exec/elf.h"
#include "exec/exec.h"
#include "exec/interp.h"
#include "exec/stack.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"

int sysv_load(const struct exec_binary *bin, struct mm *mm, const struct exec_args *args,
              struct trapframe *tf, const uint64_t *extra_auxv, size_t nextra)
{
	if (!bin->elf)
		return -ENOEXEC;
	struct elf_image *img = kmalloc(sizeof(*img));
	if (!img)
		return -ENOMEM;
	*img = *bin->elf;
	struct elf_interp interp = {0};
	int r = elf_load(bin->file, mm, img, true);
	if (r == 0)
		r = elf_load_interp(bin->file, img, bin->fs, mm, &interp);
	if (r == 0)
		r = vm_map_anon(mm, USER_STACK_TOP - USER_STACK_MAX, USER_STACK_MAX,
		                PROT_READ | PROT_WRITE, VMA_GROWSDOWN);
	struct exec_stack st;
	if (r == 0) {
		uint64_t auxv[16 + 2 * SYSV_EXTRA_AUXV_MAX] = {
		    AT_PHDR,   img->phdr_addr,
		    AT_PHENT,  sizeof(struct elf64_phdr),
		    AT_PHNUM,  img->eh.e_phnum,
		    AT_PAGESZ, PAGE_SIZE,
		    AT_BASE,   interp.base,
		    AT_ENTRY,  img->entry,
		    AT_RANDOM, AUX_RANDOM_PLACEHOLDER,
		    AT_EXECFN, AUX_EXECFN_PLACEHOLDER,
		};
		size_t n = 8;
		for (size_t i = 0; i < nextra && i < SYSV_EXTRA_AUXV_MAX; i++, n++) {
			auxv[2 * n] = extra_auxv[2 * i];
			auxv[2 * n + 1] = extra_auxv[2 * i + 1];
		}
		r = exec_build_stack(mm, bin->path, args, auxv, n, &st);
	}
	if (r == 0) {
		mm->brk_start = mm->brk = img->brk;
		tf->sepc = interp.entry ? interp.entry : img->entry;
		tf_sp(tf) = st.sp;
		tf_a(tf, 0) = (uint64_t)args->argc;
		tf_a(tf, 1) = st.argv;
		tf_a(tf, 2) = st.envp;
	}
	kfree(img);
	return r;
}
