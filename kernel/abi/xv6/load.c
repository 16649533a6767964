/*
 * Recognizing xv6 binaries and building an xv6 process image.
 *
 * Nothing in an ELF header tells an xv6 program from another riscv64 one;
 * what does is its link address (0), and the absence of any note, of
 * PT_INTERP, PT_DYNAMIC and PT_TLS.
 *
 * The image is laid out as xv6's exec lays it out: the program from 0 up
 * to sz (page aligned), an unmapped guard page, then USERSTACK stack
 * pages whose top is the new sz, where sbrk starts.  The stack holds the
 * argument strings (each 16-byte aligned) and under them the argv
 * pointer array; a0 = argc, a1 = argv, sp = argv.  Everything must fit
 * in the stack pages, as in xv6.  Every page is present when the program
 * starts (text shared with the page cache, data copied), as xv6's exec
 * allocates and reads the whole image.
 */
#include <scarlet/abi.h>

#include "abi/abi.h"
#include "abi/xv6/xv6.h"
#include "core/kernel.h"
#include "exec/elf.h"
#include "exec/exec.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"

int xv6_score(const struct exec_binary *bin)
{
	if (!bin->elf)
		return 0;
	if (bin->has_scarlet_note || bin->has_gnu_abi_tag || bin->has_interp || bin->has_tls ||
	    bin->has_dynamic)
		return 0; /* xv6 has no dynamic linking either */
	if (bin->lowest_vaddr != 0)
		return 5; /* a bare static binary linked elsewhere: unlikely xv6 */
	return bin->has_notes ? 20 : 80;
}

/* Maps the PT_LOAD segments at their link addresses; returns the end of
 * the program, page aligned, in *sz. */
static int map_program(const struct exec_binary *bin, struct mm *mm, uint64_t *sz)
{
	struct elf_image *img = kmalloc(sizeof(*img));
	if (!img)
		return -ENOMEM;
	*img = *bin->elf;
	img->load_bias = 0; /* xv6 loads even ET_DYN files where they are linked */
	int r = elf_load(bin->file, mm, img, true);
	if (r == 0 && img->entry >= img->brk)
		r = -ENOEXEC;
	*sz = ALIGN_UP(img->brk, PAGE_SIZE);
	kfree(img);
	return r;
}

/* Pushes argv's strings and pointer array below sp, never under base. */
static int push_args(struct mm *mm, const struct exec_args *args, uint64_t base, uint64_t *sp)
{
	uint64_t ustack[XV6_MAXARG + 1];
	const char *s = args->buf;
	if (args->argc >= XV6_MAXARG)
		return -E2BIG;
	for (int i = 0; i < args->argc; i++) {
		size_t len = strlen(s) + 1;
		if (len > *sp - base)
			return -E2BIG;
		*sp -= len;
		*sp -= *sp % 16;
		if (*sp < base)
			return -E2BIG;
		int r = vm_copy_in(mm, *sp, s, len);
		if (r < 0)
			return r;
		ustack[i] = *sp;
		s += len;
	}
	ustack[args->argc] = 0;
	size_t n = (size_t)(args->argc + 1) * sizeof(uint64_t);
	if (n > *sp - base)
		return -E2BIG;
	*sp -= n;
	*sp -= *sp % 16;
	if (*sp < base)
		return -E2BIG;
	return vm_copy_in(mm, *sp, ustack, n);
}

int xv6_load(const struct exec_binary *bin, struct mm *mm, const struct exec_args *args,
             struct trapframe *tf)
{
	if (!bin->elf || bin->has_interp)
		return -ENOEXEC;
	uint64_t sz;
	int r = map_program(bin, mm, &sz);
	if (r < 0)
		return r;
	/* guard page at sz stays unmapped; the stack follows it */
	uint64_t stack = sz + PAGE_SIZE, top = stack + XV6_USERSTACK * PAGE_SIZE;
	if (top > XV6_TRAPFRAME)
		return -ENOMEM;
	r = vm_map_anon(mm, stack, top - stack, PROT_READ | PROT_WRITE, 0);
	uint64_t sp = top;
	if (r == 0)
		r = push_args(mm, args, stack, &sp);
	/* xv6's exec allocates the whole image: the process's memory does
	 * not grow behind its back afterwards (usertests counts on it) */
	if (r == 0)
		r = vm_populate_all(mm);
	if (r < 0)
		return r;
	memset(tf, 0, sizeof(*tf));
	tf->sepc = bin->elf->eh.e_entry;
	tf_sp(tf) = sp;
	tf_a(tf, 0) = (uint64_t)args->argc;
	tf_a(tf, 1) = sp;
	mm->brk_start = mm->brk = top;
	return 0;
}
