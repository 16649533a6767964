/*
 * /proc/PID/smaps: each area's maps line, then Linux 6.1's fields in kB.
 * Sizes come from the area, the resident figures from its page-table
 * entries (vm_page_states).  Scarlet does not count how many address
 * spaces map a page: Pss is Rss, and every page counts as private but in
 * shared mappings (Shared_Clean/Shared_Dirty).  Nothing is swapped and
 * there are no huge pages, so those fields are 0.
 */
#include "fs/procfs/procfs_impl.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"

#define STATE_CHUNK 64

struct smaps_counts {
	uint64_t rss, dirty, anon;
};

/* Resident, dirty and anonymous pages of [start, end). */
static void count_pages(struct mm *mm, const struct map_line *l, struct smaps_counts *c)
{
	struct vm_page_state st[STATE_CHUNK];

	memset(c, 0, sizeof(*c));
	for (uint64_t va = l->start; va < l->end; va += STATE_CHUNK * PAGE_SIZE) {
		size_t n = MIN((size_t)STATE_CHUNK, (size_t)((l->end - va) / PAGE_SIZE));
		vm_page_states(mm, va, n, st);
		for (size_t i = 0; i < n; i++) {
			if (!st[i].present)
				continue;
			c->rss++;
			c->dirty += st[i].dirty;
			c->anon += !st[i].file;
		}
	}
}

static void kb_field(struct textbuf *out, const char *name, uint64_t pages)
{
	tb_printf(out, "%-16s%8lu kB\n", name, (unsigned long)(pages * (PAGE_SIZE / 1024)));
}

static void print_flags(struct textbuf *out, const struct map_line *l)
{
	bool shared = l->flags & VMA_SHARED;

	tb_printf(out, "VmFlags: ");
	if (l->prot & PROT_READ)
		tb_printf(out, "rd ");
	if (l->prot & PROT_WRITE)
		tb_printf(out, "wr ");
	if (l->prot & PROT_EXEC)
		tb_printf(out, "ex ");
	if (shared)
		tb_printf(out, "sh ");
	tb_printf(out, "mr mw me %s", shared ? "ms " : "");
	if (l->flags & VMA_GROWSDOWN)
		tb_printf(out, "gd ");
	if (l->flags & VMA_LOCKED)
		tb_printf(out, "lo ");
	tb_put(out, "\n", 1);
}

static void print_smaps(struct textbuf *out, struct mm *mm, const struct map_line *l)
{
	struct smaps_counts c;
	bool shared = l->flags & VMA_SHARED;
	uint64_t clean;

	count_pages(mm, l, &c);
	clean = c.rss - c.dirty;
	kb_field(out, "Size:", (l->end - l->start) / PAGE_SIZE);
	kb_field(out, "KernelPageSize:", 1);
	kb_field(out, "MMUPageSize:", 1);
	kb_field(out, "Rss:", c.rss);
	kb_field(out, "Pss:", c.rss);
	kb_field(out, "Pss_Dirty:", c.dirty);
	kb_field(out, "Shared_Clean:", shared ? clean : 0);
	kb_field(out, "Shared_Dirty:", shared ? c.dirty : 0);
	kb_field(out, "Private_Clean:", shared ? 0 : clean);
	kb_field(out, "Private_Dirty:", shared ? 0 : c.dirty);
	kb_field(out, "Referenced:", c.rss);
	kb_field(out, "Anonymous:", c.anon);
	static const char *const zero[] = {
	    "LazyFree:",       "AnonHugePages:",   "ShmemPmdMapped:", "FilePmdMapped:",
	    "Shared_Hugetlb:", "Private_Hugetlb:", "Swap:",           "SwapPss:"};
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		kb_field(out, zero[i], 0);
	kb_field(out, "Locked:", (l->flags & VMA_LOCKED) ? c.rss : 0);
	tb_printf(out, "%-16s%d\n", "THPeligible:", 0);
	print_flags(out, l);
}

int proc_gen_pid_smaps(const struct proc_node *n, struct textbuf *out)
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
		for (int i = 0; i < count; i++) {
			proc_print_map_line(out, &lines[i], exe, &va);
			print_smaps(out, pt.mm, &lines[i]);
		}
		from = lines[count - 1].end;
	}
	proc_task_put(&pt);
	kfree(exe);
	return 0;
}
