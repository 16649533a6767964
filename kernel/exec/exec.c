/*
 * exec_program (see exec.h): open, check, load into a new address space,
 * build the stack, then commit by swapping address spaces.
 */
#include "exec/exec.h"

#include <scarlet/abi.h>

#include "arch/riscv64/riscv.h"
#include "core/kernel.h"
#include "exec/elf.h"
#include "exec/stack.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"
#include "obj/handle.h"
#include "obj/kobj.h"
#include "proc/task.h"

/* auxv entry types (System V / Linux numbering) */
#define AT_PHDR   3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_BASE   7
#define AT_ENTRY  9
#define AT_RANDOM 25
#define AT_EXECFN 31

static int open_executable(const char *path, struct kobj **out)
{
	struct vattr va;
	struct task *t = current();
	int r = vfs_stat(t->fs, path, true, &va);
	if (r < 0)
		return r;
	if (S_ISDIR(va.mode))
		return -EACCES;
	if (!S_ISREG(va.mode) || !(va.mode & 0111))
		return -EACCES;
	return vfs_open(t->fs, path, O_RDONLY, 0, out);
}

static int build_image(struct kobj *file, struct mm *mm, struct exec_args *args,
                       struct elf_image *img, struct exec_stack *st)
{
	int r = elf_load(file, mm, img);
	if (r < 0)
		return r;
	r = vm_map_anon(mm, USER_STACK_TOP - USER_STACK_MAX, USER_STACK_MAX, PROT_READ | PROT_WRITE,
	                VMA_GROWSDOWN);
	if (r < 0)
		return r;
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
	r = exec_build_stack(mm, args, auxv, ARRAY_SIZE(auxv) / 2, st);
	if (r < 0)
		return r;
	mm->brk_start = mm->brk = img->brk;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Point of no return: switch to the new image. */
static void commit(struct task *t, struct mm *mm, const char *path, const struct elf_image *img,
                   const struct exec_stack *st, int argc)
{
	struct mm *old = t->mm;
	t->mm = mm;
	vm_activate(mm);
	if (old)
		mm_put(old);
	handle_table_exec(t->handles);
	task_set_name(t, base_name(path));

	struct trapframe *tf = t->tf;
	memset(tf->x, 0, sizeof(tf->x));
	tf->sepc = img->entry;
	tf_sp(tf) = st->sp;
	tf_a(tf, 0) = (uint64_t)argc;
	tf_a(tf, 1) = st->argv;
	tf_a(tf, 2) = st->envp;
	memset(t->fpregs, 0, sizeof(t->fpregs));
	fpu_restore(t->fpregs);
	tf->sstatus = (tf->sstatus & ~SSTATUS_FS_MASK) | SSTATUS_FS_INITIAL;
}

#define SHEBANG_MAX 256

/* Splits a "#!" line in buf (NUL-terminated) into interpreter and
 * optional single argument, as Linux does. */
static int parse_shebang(char *buf, char **interp, char **optarg)
{
	char *p = buf + 2, *end = strchr(p, '\n');
	if (!end)
		return -ENOEXEC; /* line longer than SHEBANG_MAX */
	*end = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return -ENOEXEC;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*optarg = NULL;
	if (*p) {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		char *e = p + strlen(p);
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*p)
			*optarg = p;
	}
	return 0;
}

static int exec_depth(const char *path, struct exec_args *args, int depth);

/* Runs the interpreter named by a "#!" line instead of the script. */
static int exec_script(struct kobj *file, const char *path, struct exec_args *args, int depth)
{
	char *buf = kzalloc(SHEBANG_MAX + 1);
	if (!buf)
		return -ENOMEM;
	struct vattr va;
	int r = kobj_stat(file, &va);
	size_t n = r < 0 ? 0 : MIN(va.size, (uint64_t)SHEBANG_MAX);
	if (r == 0)
		r = exec_read_file(file, buf, n, 0);
	char *interp, *optarg;
	if (r == 0)
		r = parse_shebang(buf, &interp, &optarg);
	if (r == 0 && depth >= EXEC_SCRIPT_DEPTH)
		r = -ELOOP;
	struct exec_args sargs;
	if (r == 0)
		r = exec_args_for_script(&sargs, args, interp, optarg, path);
	if (r == 0) {
		r = exec_depth(interp, &sargs, depth + 1);
		exec_args_free(&sargs);
	}
	kfree(buf);
	return r;
}

static bool is_script(struct kobj *file)
{
	char magic[2];
	return exec_read_file(file, magic, 2, 0) == 0 && magic[0] == '#' && magic[1] == '!';
}

int exec_program(const char *path, struct exec_args *args)
{
	return exec_depth(path, args, 0);
}

static int exec_depth(const char *path, struct exec_args *args, int depth)
{
	struct task *t = current();
	struct kobj *file;
	int r = open_executable(path, &file);
	if (r < 0)
		return r;
	if (is_script(file)) {
		r = exec_script(file, path, args, depth);
		kobj_put(file);
		return r;
	}
	struct elf_image *img = kmalloc(sizeof(*img));
	struct mm *mm = mm_create();
	if (!img || !mm) {
		r = -ENOMEM;
		goto out;
	}
	r = elf_read_headers(file, img);
	if (r < 0)
		goto out;
	struct exec_stack st;
	r = build_image(file, mm, args, img, &st);
	if (r < 0)
		goto out;
	commit(t, mm, path, img, &st, args->argc);
	mm = NULL;
out:
	if (mm)
		mm_put(mm);
	kfree(img);
	kobj_put(file);
	return r;
}
