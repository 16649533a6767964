/*
 * /proc/PID/maps, and the address-space sizes stat, status and statm
 * report.  Shared mappings are marked `s`, private ones `p`.  Segments of the executable are named
 * by its path, the heap and the stack as [heap] and [stack].
 */
#include "fs/procfs/procfs_impl.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"
#include "obj/kobj.h"

/* Linux pads the name to this column (25 + 6 pointer widths - 1, + 1). */
#define MAPS_NAME_COL 73

void proc_vm_sizes(struct mm *mm, struct proc_vm_sizes *out)
{
	struct list *pos;

	memset(out, 0, sizeof(*out));
	spin_lock(&mm->lock);
	list_for_each(pos, &mm->vmas)
	{
		struct vma *v = list_entry(pos, struct vma, node);
		uint64_t size = v->end - v->start;
		out->total += size;
		if (v->flags & VMA_GROWSDOWN)
			out->stack += size;
		else if ((v->flags & VMA_IMAGE) && (v->prot & PROT_EXEC))
			out->exe += size;
		else if (v->prot & PROT_WRITE)
			out->data += size;
		if ((v->flags & VMA_IMAGE) && (v->prot & PROT_EXEC) && !out->code_start) {
			out->code_start = v->start;
			out->code_end = v->end;
		}
		if ((v->flags & VMA_IMAGE) && (v->prot & PROT_WRITE)) {
			out->data_start = out->data_start ? out->data_start : v->start;
			out->data_end = v->end;
		}
	}
	spin_unlock(&mm->lock);
}

int proc_copy_vmas(struct mm *mm, uint64_t from, struct map_line *lines, int max)
{
	struct list *pos;
	int n = 0;

	spin_lock(&mm->lock);
	list_for_each(pos, &mm->vmas)
	{
		struct vma *v = list_entry(pos, struct vma, node);
		if (v->start < from)
			continue;
		if (n == max)
			break;
		lines[n++] = (struct map_line){v->start, v->end, v->prot, v->flags, v->vn != NULL};
	}
	spin_unlock(&mm->lock);
	return n;
}

void proc_print_map_line(struct textbuf *out, const struct map_line *l, const char *exe,
                         const struct vattr *exe_va)
{
	bool image = (l->flags & VMA_IMAGE) && exe;
	uint64_t dev = image ? exe_va->dev : 0;

	tb_printf(out, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", (unsigned long)l->start,
	          (unsigned long)l->end, (l->prot & PROT_READ) ? 'r' : '-',
	          (l->prot & PROT_WRITE) ? 'w' : '-', (l->prot & PROT_EXEC) ? 'x' : '-',
	          (l->flags & VMA_SHARED) ? 's' : 'p', 0UL, MAJOR(dev), MINOR(dev),
	          image ? (unsigned long)exe_va->ino : 0UL);
	if (image || (l->flags & (VMA_HEAP | VMA_GROWSDOWN))) {
		tb_pad_to(out, MAPS_NAME_COL - 1);
		tb_printf(out, "%s", image ? exe : (l->flags & VMA_HEAP) ? "[heap]" : "[stack]");
	}
	tb_put(out, "\n", 1);
}

bool proc_exe_info(struct proc_task *pt, char *name, size_t len, struct vattr *va)
{
	struct kobj *exe = pt->mm->exe_file;

	return exe && proc_object_name(exe, pt->fs, name, len) >= 0 && kobj_stat(exe, va) == 0;
}

int proc_gen_pid_maps(const struct proc_node *n, struct textbuf *out)
{
	struct map_line lines[16];
	struct proc_task pt;
	struct vattr va = {0};
	char *exe = kmalloc(PATH_MAX);
	uint64_t from = 0;
	int err = exe ? proc_task_get(n->pid, &pt) : -ENOMEM;
	int count;

	if (err < 0) {
		kfree(exe);
		return err;
	}
	if (pt.mm && !proc_exe_info(&pt, exe, PATH_MAX, &va)) {
		kfree(exe);
		exe = NULL;
	}
	while (pt.mm && (count = proc_copy_vmas(pt.mm, from, lines, 16)) > 0) {
		for (int i = 0; i < count; i++)
			proc_print_map_line(out, &lines[i], exe, &va);
		from = lines[count - 1].end;
	}
	proc_task_put(&pt);
	kfree(exe);
	return 0;
}
