/*
 * exec_inspect (see binary.h).  Notes are read from PT_NOTE segments:
 * each is a header {namesz, descsz, type}, the name and the descriptor,
 * both padded to 4 bytes.
 */
#include "exec/binary.h"

#include "core/kernel.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "obj/kobj.h"

#define NOTE_SEGMENT_MAX 4096
#define NT_GNU_ABI_TAG   1
#define NT_SCARLET_ABI   0x5343

struct note_header {
	uint32_t namesz, descsz, type;
};

static void classify_note(struct exec_binary *b, const char *name, uint32_t namesz, uint32_t type)
{
	if (namesz == 8 && memcmp(name, "Scarlet", 8) == 0 && type == NT_SCARLET_ABI)
		b->has_scarlet_note = true;
	if (namesz == 4 && memcmp(name, "GNU", 4) == 0 && type == NT_GNU_ABI_TAG)
		b->has_gnu_abi_tag = true;
}

static void scan_notes(struct exec_binary *b, const char *buf, size_t len)
{
	size_t off = 0;
	while (off + sizeof(struct note_header) <= len) {
		struct note_header h;
		memcpy(&h, buf + off, sizeof(h));
		size_t name_off = off + sizeof(h);
		size_t desc_off = name_off + ALIGN_UP((size_t)h.namesz, 4);
		size_t next = desc_off + ALIGN_UP((size_t)h.descsz, 4);
		if (h.namesz > len || h.descsz > len || next > len || next <= off)
			return; /* malformed: stop, never read past the buffer */
		classify_note(b, buf + name_off, h.namesz, h.type);
		off = next;
	}
}

static void read_notes(struct kobj *file, struct exec_binary *b, const struct elf64_phdr *ph)
{
	size_t len = MIN(ph->p_filesz, (uint64_t)NOTE_SEGMENT_MAX);
	char *buf = kmalloc(NOTE_SEGMENT_MAX);
	if (buf && exec_read_file(file, buf, len, ph->p_offset) == 0)
		scan_notes(b, buf, len);
	kfree(buf);
}

static void classify_segments(struct kobj *file, struct exec_binary *b, const struct elf_image *e)
{
	b->lowest_vaddr = UINT64_MAX;
	for (int i = 0; i < e->eh.e_phnum; i++) {
		const struct elf64_phdr *ph = &e->ph[i];
		switch (ph->p_type) {
		case PT_LOAD:
			b->lowest_vaddr = MIN(b->lowest_vaddr, ph->p_vaddr);
			break;
		case PT_INTERP:
			b->has_interp = true;
			break;
		case PT_TLS:
			b->has_tls = true;
			break;
		case PT_DYNAMIC:
			b->has_dynamic = true;
			break;
		case PT_NOTE:
			b->has_notes = true;
			read_notes(file, b, ph);
			break;
		}
	}
}

int exec_inspect(struct kobj *file, const char *path, struct exec_candidate *c)
{
	struct exec_binary *b = &c->bin;
	struct vattr va;
	memset(b, 0, sizeof(*b));
	b->path = path;
	b->file = file;
	b->head = c->head;
	int r = kobj_stat(file, &va);
	if (r < 0)
		return r;
	b->head_len = (unsigned)MIN(va.size, (uint64_t)EXEC_HEAD_MAX);
	r = exec_read_file(file, c->head, b->head_len, 0);
	if (r < 0)
		return r;
	if (elf_read_headers(file, &c->elf) == 0) {
		b->elf = &c->elf;
		classify_segments(file, b, &c->elf);
	}
	return 0;
}
