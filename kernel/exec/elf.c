/*
 * ELF64 loading (see elf.h).  Segments map the file's page cache
 * privately, so the text of a program or library is in memory once
 * however many processes run it; the bytes past p_filesz are zero.
 */
#include "exec/elf.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"
#include "obj/kobj.h"

/* two thirds of the user half, as Linux for Sv39 */
#define ET_DYN_BASE 0x2aaaaaa000UL

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

/* Where a segment goes: [start, file_end) holds file pages, [file_end,
 * end) demand-zero ones; va + filesz .. file_end is zeroed in between. */
struct seg_layout {
	uint64_t va, start, file_end, end;
	unsigned prot, vm_flags;
};

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

/* Zeroes [from, to) of a private writable mapping (its first write
 * copies the page, so the file's cache is never touched). */
static int zero_range(struct mm *mm, uint64_t from, uint64_t to)
{
	static const char zeros[256];
	while (from < to) {
		uint64_t n = MIN(to - from, (uint64_t)sizeof(zeros));
		int r = vm_copy_in(mm, from, zeros, n);
		if (r < 0)
			return r;
		from += n;
	}
	return 0;
}

/* Maps the file pages of a segment from vn (private). */
static int map_file_part(struct mm *mm, struct vnode *vn, const struct elf64_phdr *ph,
                         const struct seg_layout *l)
{
	uint64_t zero_from = l->va + ph->p_filesz;
	bool zero = zero_from < l->file_end && ph->p_memsz > ph->p_filesz;
	/* writable for the zeroing, then the segment's own protection */
	unsigned prot = zero ? l->prot | PROT_WRITE : l->prot;
	long a = vm_mmap(mm, l->start, l->file_end - l->start, prot, VM_MAP_FIXED | l->vm_flags, vn,
	                 ph->p_offset / PAGE_SIZE);
	if (a < 0)
		return (int)a;
	int r = zero ? zero_range(mm, zero_from, l->file_end) : 0;
	if (r == 0 && prot != l->prot)
		r = vm_protect(mm, l->start, l->file_end - l->start, l->prot);
	return r;
}

/* Copies the file part of a segment into anonymous memory. */
static int copy_file_part(struct kobj *file, struct mm *mm, const struct elf64_phdr *ph,
                          const struct seg_layout *l)
{
	long a = vm_mmap(mm, l->start, l->file_end - l->start, l->prot, VM_MAP_FIXED | l->vm_flags,
	                 NULL, 0);
	if (a < 0)
		return (int)a;
	return copy_segment(file, mm, l->va, ph->p_offset, ph->p_filesz);
}

static int load_segment(struct kobj *file, struct vnode *vn, uint64_t fsize, struct mm *mm,
                        struct elf_image *img, const struct elf64_phdr *ph, unsigned vm_flags)
{
	struct seg_layout l = {.va = ph->p_vaddr + img->load_bias, .vm_flags = vm_flags};
	if (ph->p_filesz > ph->p_memsz || l.va + ph->p_memsz < l.va ||
	    l.va + ph->p_memsz > USER_TOP || ph->p_offset + ph->p_filesz < ph->p_offset ||
	    ph->p_offset + ph->p_filesz > fsize)
		return -ENOEXEC;
	l.prot = seg_prot(ph->p_flags);
	l.start = ALIGN_DOWN(l.va, PAGE_SIZE);
	l.file_end = ph->p_filesz ? ALIGN_UP(l.va + ph->p_filesz, PAGE_SIZE) : l.start;
	l.end = ALIGN_UP(l.va + ph->p_memsz, PAGE_SIZE);
	int r = 0;
	if (l.file_end > l.start) {
		bool congruent = (l.va - ph->p_offset) % PAGE_SIZE == 0;
		r = vn && congruent ? map_file_part(mm, vn, ph, &l)
		                    : copy_file_part(file, mm, ph, &l);
	}
	if (r == 0 && l.end > l.file_end) {
		long a = vm_mmap(mm, l.file_end, l.end - l.file_end, l.prot,
		                 VM_MAP_FIXED | vm_flags, NULL, 0);
		r = a < 0 ? (int)a : 0;
	}
	if (r < 0)
		return r == -ENOMEM ? r : -ENOEXEC;
	if (ph->p_offset <= img->eh.e_phoff && img->eh.e_phoff < ph->p_offset + ph->p_filesz &&
	    !img->phdr_addr)
		img->phdr_addr = l.va + (img->eh.e_phoff - ph->p_offset);
	if (l.end > img->brk)
		img->brk = l.end;
	return 0;
}

/* The vnode whose page cache backs file's mappings, or NULL when the
 * file cannot be mapped (then segments are copied). */
static struct vnode *image_vnode(struct kobj *file)
{
	struct vnode *vn = NULL;
	unsigned vflags = 0;
	if (vm_mmap_object(file, PROT_READ, false, &vn, &vflags) < 0)
		return NULL;
	return vn;
}

int elf_load(struct kobj *file, struct mm *mm, struct elf_image *img, bool image)
{
	struct vattr va;
	int r = kobj_stat(file, &va);
	if (r < 0)
		return -ENOEXEC;
	struct vnode *vn = image_vnode(file);
	img->brk = 0;
	img->phdr_addr = 0;
	for (int i = 0; i < img->eh.e_phnum && r == 0; i++) {
		const struct elf64_phdr *ph = &img->ph[i];
		if (ph->p_type == PT_PHDR)
			img->phdr_addr = ph->p_vaddr + img->load_bias;
		if (ph->p_type == PT_LOAD && ph->p_memsz != 0)
			r = load_segment(file, vn, va.size, mm, img, ph, image ? VM_MAP_IMAGE : 0);
	}
	if (vn)
		vnode_put(vn);
	if (r == 0 && img->brk == 0)
		r = -ENOEXEC;
	img->entry = img->eh.e_entry + img->load_bias;
	return r;
}

int elf_place(struct mm *mm, struct elf_image *img)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		const struct elf64_phdr *ph = &img->ph[i];
		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		if (ph->p_vaddr + ph->p_memsz < ph->p_vaddr || ph->p_vaddr + ph->p_memsz > USER_TOP)
			return -ENOEXEC;
		lo = MIN(lo, ALIGN_DOWN(ph->p_vaddr, PAGE_SIZE));
		hi = MAX(hi, ALIGN_UP(ph->p_vaddr + ph->p_memsz, PAGE_SIZE));
	}
	if (hi <= lo)
		return -ENOEXEC;
	uint64_t at = vm_find_free(mm, hi - lo);
	if (!at)
		return -ENOMEM;
	img->load_bias = at - lo;
	return 0;
}
