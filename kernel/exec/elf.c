/*
 * ELF64 loading (see elf.h).  Segments are copied into demand-zero
 * areas; the bytes past p_filesz stay zero.
 */
#include "exec/elf.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"
#include "obj/kobj.h"

#define ET_DYN_BASE 0x2aaaa000000UL

int exec_read_file(struct kobj *file, void *buf, size_t n, uint64_t off)
{
	if (kobj_seek(file, (int64_t)off, SEEK_SET) < 0)
		return -ENOEXEC;
	size_t done = 0;
	while (done < n) {
		struct iobuf io = iobuf_kernel((char *)buf + done, n - done);
		ssize_t r = kobj_read(file, &io);
		if (r < 0)
			return (int)r;
		if (r == 0)
			return -ENOEXEC; /* truncated file */
		done += (size_t)r;
	}
	return 0;
}

static bool ehdr_valid(const struct elf64_ehdr *eh)
{
	const unsigned char *id = eh->e_ident;
	return id[0] == 0x7f && id[1] == 'E' && id[2] == 'L' && id[3] == 'F' && id[4] == 2 &&
	       id[5] == 1 && (eh->e_type == ET_EXEC || eh->e_type == ET_DYN) &&
	       eh->e_machine == EM_RISCV && eh->e_phentsize == sizeof(struct elf64_phdr) &&
	       eh->e_phnum > 0 && eh->e_phnum <= ELF_MAX_PHDRS;
}

int elf_read_headers(struct kobj *file, struct elf_image *img)
{
	int r = exec_read_file(file, &img->eh, sizeof(img->eh), 0);
	if (r < 0)
		return r == -EISDIR ? -EACCES : -ENOEXEC;
	if (!ehdr_valid(&img->eh))
		return -ENOEXEC;
	r = exec_read_file(file, img->ph, img->eh.e_phnum * sizeof(struct elf64_phdr),
	                   img->eh.e_phoff);
	if (r < 0)
		return -ENOEXEC;
	img->load_bias = img->eh.e_type == ET_DYN ? ET_DYN_BASE : 0;
	return 0;
}

static unsigned seg_prot(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

/* Copies filesz bytes of a segment from the file into mm. */
static int copy_segment(struct kobj *file, struct mm *mm, uint64_t va, uint64_t off, uint64_t len)
{
	char *buf = kmalloc(PAGE_SIZE);
	if (!buf)
		return -ENOMEM;
	int r = 0;
	while (len > 0 && r == 0) {
		size_t n = MIN(len, PAGE_SIZE);
		r = exec_read_file(file, buf, n, off);
		if (r == 0)
			r = vm_copy_in(mm, va, buf, n);
		va += n;
		off += n;
		len -= n;
	}
	kfree(buf);
	return r;
}

static int load_segment(struct kobj *file, struct mm *mm, struct elf_image *img,
                        const struct elf64_phdr *ph)
{
	uint64_t va = ph->p_vaddr + img->load_bias;
	if (ph->p_filesz > ph->p_memsz || va + ph->p_memsz < va || va + ph->p_memsz > USER_TOP)
		return -ENOEXEC;
	uint64_t start = ALIGN_DOWN(va, PAGE_SIZE);
	uint64_t end = ALIGN_UP(va + ph->p_memsz, PAGE_SIZE);
	int r = vm_map_anon(mm, start, end - start, seg_prot(ph->p_flags), VMA_IMAGE);
	if (r < 0)
		return -ENOEXEC;
	r = copy_segment(file, mm, va, ph->p_offset, ph->p_filesz);
	if (r < 0)
		return r;
	if (ph->p_offset <= img->eh.e_phoff && img->eh.e_phoff < ph->p_offset + ph->p_filesz &&
	    !img->phdr_addr)
		img->phdr_addr = va + (img->eh.e_phoff - ph->p_offset);
	if (end > img->brk)
		img->brk = end;
	return 0;
}

int elf_load(struct kobj *file, struct mm *mm, struct elf_image *img)
{
	img->brk = 0;
	img->phdr_addr = 0;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		const struct elf64_phdr *ph = &img->ph[i];
		if (ph->p_type == PT_INTERP)
			return -ENOEXEC; /* dynamic linking comes with the Linux ABI */
		if (ph->p_type == PT_PHDR)
			img->phdr_addr = ph->p_vaddr + img->load_bias;
		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		int r = load_segment(file, mm, img, ph);
		if (r < 0)
			return r;
	}
	if (img->brk == 0)
		return -ENOEXEC;
	img->entry = img->eh.e_entry + img->load_bias;
	return 0;
}
