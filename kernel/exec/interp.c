/*
 * Loading a program's interpreter (see interp.h).  The rules are Linux's:
 * the path is the NUL-terminated contents of the first PT_INTERP
 * segment, the file must be an executable regular file, and a
 * position-independent interpreter goes wherever the address space has
 * room below the mmap base, like any mapping.
 */
#include "exec/interp.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "exec/elf.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"
#include "obj/kobj.h"

static const struct elf64_phdr *find_interp(const struct elf_image *img)
{
	for (int i = 0; i < img->eh.e_phnum; i++)
		if (img->ph[i].p_type == PT_INTERP)
			return &img->ph[i];
	return NULL;
}

/* Reads the interpreter's path into a new buffer (*path, kfree'd by
 * the caller). */
static int read_interp_path(struct kobj *exe, const struct elf64_phdr *ph, char **path)
{
	if (ph->p_filesz < 2 || ph->p_filesz > PATH_MAX)
		return -ENOEXEC;
	char *buf = kmalloc(ph->p_filesz);
	if (!buf)
		return -ENOMEM;
	int r = exec_read_file(exe, buf, ph->p_filesz, ph->p_offset);
	if (r == 0 && buf[ph->p_filesz - 1] != '\0')
		r = -ENOEXEC;
	if (r < 0) {
		kfree(buf);
		return r == -ENOMEM ? r : -ENOEXEC;
	}
	*path = buf;
	return 0;
}

static int open_interp(struct fs_struct *fs, const char *path, struct kobj **out, uint64_t *size)
{
	struct vattr va;
	int r = vfs_stat(fs, path, true, &va);
	if (r < 0)
		return r;
	if (!S_ISREG(va.mode) || !(va.mode & 0111))
		return -EACCES;
	*size = va.size;
	return vfs_open(fs, path, O_RDONLY, 0, out);
}

static int map_interp(struct kobj *file, uint64_t size, struct mm *mm, struct elf_interp *out)
{
	/* as Linux: a file too short for an ELF header is a failed read */
	if (size < sizeof(struct elf64_ehdr))
		return -EIO;
	struct elf_image *img = kmalloc(sizeof(*img));
	if (!img)
		return -ENOMEM;
	int r = elf_read_headers(file, img);
	if (r < 0)
		r = -ELIBBAD;
	else if (img->eh.e_type == ET_DYN)
		r = elf_place(mm, img);
	if (r == 0)
		r = elf_load(file, mm, img, false);
	if (r == 0) {
		out->base = img->load_bias;
		out->entry = img->entry;
	}
	kfree(img);
	return r;
}

int elf_load_interp(struct kobj *exe, const struct elf_image *img, struct fs_struct *fs,
                    struct mm *mm, struct elf_interp *out)
{
	out->base = out->entry = 0;
	const struct elf64_phdr *ph = find_interp(img);
	if (!ph)
		return 0;
	char *path;
	int r = read_interp_path(exe, ph, &path);
	if (r < 0)
		return r;
	struct kobj *file;
	uint64_t size = 0;
	r = open_interp(fs, path, &file, &size);
	kfree(path);
	if (r < 0)
		return r;
	r = map_interp(file, size, mm, out);
	kobj_put(file);
	return r;
}
