/*
 * The program interpreter (PT_INTERP): a dynamically linked program names
 * the dynamic linker that loads it.  The kernel maps that file too, at a
 * place of its own, and starts it instead of the program; the linker
 * learns where both are from the auxiliary vector (AT_BASE, AT_PHDR,
 * AT_ENTRY).
 */
#ifndef EXEC_INTERP_H
#define EXEC_INTERP_H

#include <stdint.h>

struct elf_image;
struct fs_struct;
struct kobj;
struct mm;

struct elf_interp {
	uint64_t base;  /* load address (AT_BASE); 0 without interpreter */
	uint64_t entry; /* where the program starts; 0 without interpreter */
};

/* When img (read from exe) has a PT_INTERP segment, resolves the path it
 * names in fs (the namespace the program will run in), maps that file into
 * mm and fills *out; else leaves *out zeroed and returns 0.  Errors:
 * ENOEXEC for a malformed PT_INTERP, the lookup's errors (ENOENT...),
 * EACCES when the interpreter is not an executable regular file, EIO when
 * it is shorter than an ELF header, ELIBBAD when it is not an ELF64
 * RISC-V executable or shared object, ENOMEM. */
int elf_load_interp(struct kobj *exe, const struct elf_image *img, struct fs_struct *fs,
                    struct mm *mm, struct elf_interp *out);

#endif
