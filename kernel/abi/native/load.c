/*
 * The native process image: the ELF segments, an 8 MiB stack with a
 * guard page, and the System V initial stack (argc, argv, envp, auxv)
 * with a0 = argc, a1 = argv, a2 = envp.
 */
#include <scarlet/abi.h>

#include "abi/abi.h"
#include "abi/native/native.h"
#include "exec/elf.h"
#include "exec/exec.h"
#include "exec/stack.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"

/* auxv entry types (System V numbering) */
#define AT_PHDR   3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_BASE   7
#define AT_ENTRY  9
#define AT_RANDOM 25
#define AT_EXECFN 31

int native_load(const struct exec_binary *bin, struct mm *mm, const struct exec_args *args,
                struct trapframe *tf)
{
	if (!bin->elf)
		return -ENOEXEC;
	struct elf_image *img = kmalloc(sizeof(*img));
	if (!img)
		return -ENOMEM;
	*img = *bin->elf;
	int r = elf_load(bin->file, mm, img);
	if (r == 0)
		r = vm_map_anon(mm, USER_STACK_TOP - USER_STACK_MAX, USER_STACK_MAX,
		                PROT_READ | PROT_WRITE, VMA_GROWSDOWN);
	struct exec_stack st;
	if (r == 0) {
		uint64_t auxv[] = {
		    AT_PHDR,   img->phdr_addr,
		    AT_PHENT,  sizeof(struct elf64_phdr),
		    AT_PHNUM,  img->eh.e_phnum,
		    AT_PAGESZ, PAGE_SIZE,
		    AT_BASE,   0,
		    AT_ENTRY,  img->entry,
		    AT_RANDOM, AUX_RANDOM_PLACEHOLDER,
		    AT_EXECFN, AUX_EXECFN_PLACEHOLDER,
		};
		r = exec_build_stack(mm, args, auxv, ARRAY_SIZE(auxv) / 2, &st);
	}
	if (r == 0) {
		mm->brk_start = mm->brk = img->brk;
		tf->sepc = img->entry;
		tf_sp(tf) = st.sp;
		tf_a(tf, 0) = (uint64_t)args->argc;
		tf_a(tf, 1) = st.argv;
		tf_a(tf, 2) = st.envp;
	}
	kfree(img);
	return r;
}
