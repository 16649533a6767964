/*
 * ELF64 (RISC-V) program loading into an address space.
 */
#ifndef EXEC_ELF_H
#define EXEC_ELF_H

#include <stdint.h>

#include "core/types.h"

#define EI_NIDENT  16
#define ET_EXEC    2
#define ET_DYN     3
#define EM_RISCV   243
#define PT_LOAD    1
#define PT_DYNAMIC 2
#define PT_INTERP  3
#define PT_NOTE    4
#define PT_PHDR    6
#define PT_TLS     7
#define PF_X       1
#define PF_W       2
#define PF_R       4

struct elf64_ehdr {
	unsigned char e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

struct kobj;
struct mm;

#define ELF_MAX_PHDRS 64

/* What the loader learned, for the stack builder (auxv). */
struct elf_image {
	struct elf64_ehdr eh;
	struct elf64_phdr ph[ELF_MAX_PHDRS];
	uint64_t load_bias; /* added to every address (ET_DYN) */
	uint64_t entry;     /* with bias */
	uint64_t phdr_addr; /* user address of the program headers, or 0 */
	uint64_t brk;       /* end of the highest segment */
};

/* Reads and checks the headers of an ELF64 RISC-V executable.
 * ENOEXEC when it is not one. */
int elf_read_headers(struct kobj *file, struct elf_image *img);
/* Maps every PT_LOAD segment into mm at img->load_bias: the file part
 * from the file's page cache, private (copy-on-write, so every process
 * running the file shares its unwritten pages), the rest demand-zero.
 * A segment whose file offset and address disagree modulo the page size
 * is copied instead.  image marks the areas as the executable's
 * (VMA_IMAGE, for /proc); the interpreter's are not.  ENOEXEC for a
 * segment outside the user half or past the end of the file. */
int elf_load(struct kobj *file, struct mm *mm, struct elf_image *img, bool image);
/* Sets img->load_bias of an ET_DYN image to a free range of mm below its
 * mmap base, large enough for all its segments; ENOMEM if none. */
int elf_place(struct mm *mm, struct elf_image *img);
/* Reads n bytes at off from an open file into kernel memory. */
int exec_read_file(struct kobj *file, void *buf, size_t n, uint64_t off);

#endif
