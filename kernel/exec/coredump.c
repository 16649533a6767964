/*
 * ELF core files (see coredump.h).  Layout: the ELF header, the program
 * headers (one PT_NOTE, then a PT_LOAD per mapping), the notes, then each
 * readable mapping's pages from a page-aligned offset.
 */
#include "exec/coredump.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "core/uaccess.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"
#include "obj/kobj.h"
#include "proc/signal.h"
#include "proc/task.h"
#include "proc/thread_group.h"

#define CORE_SET                                                                                   \
	(SIG_BIT(3) | SIG_BIT(4) | SIG_BIT(5) | SIG_BIT(6) | SIG_BIT(7) | SIG_BIT(8) |             \
	 SIG_BIT(11) | SIG_BIT(24) | SIG_BIT(25) | SIG_BIT(31))
#define MAX_SEGS 256

bool coredump_signal(int sig)
{
	return sig >= 1 && sig <= SIG_MAX && (CORE_SET & SIG_BIT(sig));
}

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct note_hdr {
	uint32_t namesz, descsz, type;
	char name[8]; /* "CORE" padded to 4 */
};

/* Linux's struct elf_prstatus on riscv64 (376 bytes). */
struct prstatus {
	int32_t si_signo, si_code, si_errno;
	int16_t cursig, pad0;
	uint64_t sigpend, sighold;
	int32_t pid, ppid, pgrp, sid;
	int64_t times[8]; /* utime, stime, cutime, cstime as timevals */
	uint64_t reg[32]; /* pc, then x1..x31 */
	int32_t fpvalid, pad1;
};

/* Linux's struct elf_prpsinfo on riscv64 (136 bytes). */
struct prpsinfo {
	char state, sname, zomb, nice;
	uint32_t pad0;
	uint64_t flag;
	uint32_t uid, gid;
	int32_t pid, ppid, pgrp, sid;
	char fname[16];
	char psargs[80];
};

struct core_notes {
	struct note_hdr h1;
	struct prstatus st;
	struct note_hdr h2;
	struct prpsinfo ps;
};

struct seg {
	uint64_t start, end;
	unsigned prot;
};

struct core_out {
	struct kobj *file;
	uint64_t written, limit;
	bool failed; /* a write failed */
	bool cut;    /* RLIMIT_CORE reached: the rest is left out */
};

static void emit(struct core_out *o, const void *p, size_t n)
{
	if (o->failed || o->cut)
		return;
	if (o->written + n > o->limit) {
		n = o->limit - o->written;
		o->cut = true;
	}
	struct iobuf io = iobuf_kernel((void *)p, n);
	if (n && kobj_write(o->file, &io) != (ssize_t)n)
		o->failed = true;
	o->written += n;
}

static void emit_zeros(struct core_out *o, size_t n)
{
	static const char zero[256];
	while (n && !o->failed && !o->cut) {
		size_t k = MIN(n, sizeof(zero));
		emit(o, zero, k);
		n -= k;
	}
}

/* The mappings of mm, at most MAX_SEGS. */
static int snapshot_segs(struct mm *mm, struct seg *segs)
{
	int n = 0;
	spin_lock(&mm->lock);
	struct list *pos;
	list_for_each(pos, &mm->vmas)
	{
		struct vma *v = list_entry(pos, struct vma, node);
		if (n == MAX_SEGS)
			break;
		segs[n++] = (struct seg){v->start, v->end, v->prot};
	}
	spin_unlock(&mm->lock);
	return n;
}

static void fill_notes(struct task *t, int sig, struct core_notes *n)
{
	memset(n, 0, sizeof(*n));
	n->h1 = (struct note_hdr){5, sizeof(n->st), 1 /* NT_PRSTATUS */, "CORE"};
	n->h2 = (struct note_hdr){5, sizeof(n->ps), 3 /* NT_PRPSINFO */, "CORE"};
	n->st.si_signo = n->st.cursig = (int16_t)sig;
	n->st.si_signo = sig;
	n->st.sigpend = t->sig_pending;
	n->st.sighold = t->sig_blocked;
	struct task *l = task_leader(t);
	n->st.pid = t->pid;
	n->st.ppid = n->ps.ppid = l->parent ? l->parent->pid : 0;
	n->st.pgrp = n->ps.pgrp = t->pgid;
	n->st.sid = n->ps.sid = t->sid;
	n->st.reg[0] = t->tf->sepc;
	for (int i = 1; i < 32; i++)
		n->st.reg[i] = t->tf->x[i];
	n->ps.state = 0;
	n->ps.sname = 'R';
	n->ps.uid = t->cred.uid;
	n->ps.gid = t->cred.gid;
	n->ps.pid = task_tgid(t);
	strlcpy(n->ps.fname, t->name, sizeof(n->ps.fname));
	strlcpy(n->ps.psargs, t->name, sizeof(n->ps.psargs));
}

static uint32_t phdr_flags(unsigned prot)
{
	return ((prot & PROT_READ) ? 4 : 0) | ((prot & PROT_WRITE) ? 2 : 0) |
	       ((prot & PROT_EXEC) ? 1 : 0);
}

static void write_core(struct core_out *o, struct task *t, int sig, struct seg *segs, int nseg)
{
	struct core_notes *notes = kmalloc(sizeof(*notes));
	struct elf64_phdr *ph = kzalloc(sizeof(*ph) * (size_t)(nseg + 1));
	if (!notes || !ph) {
		o->failed = true;
		goto out;
	}
	fill_notes(t, sig, notes);
	struct elf64_ehdr eh = {
	    .ident = {0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* LE */, 1 /* version */},
	    .type = 4 /* ET_CORE */,
	    .machine = 243 /* EM_RISCV */,
	    .version = 1,
	    .phoff = sizeof(eh),
	    .ehsize = sizeof(eh),
	    .phentsize = sizeof(struct elf64_phdr),
	    .phnum = (uint16_t)(nseg + 1),
	};
	uint64_t off = sizeof(eh) + sizeof(*ph) * (uint64_t)(nseg + 1);
	ph[0] =
	    (struct elf64_phdr){.type = 4 /* PT_NOTE */, .offset = off, .filesz = sizeof(*notes)};
	off = ALIGN_UP(off + sizeof(*notes), PAGE_SIZE);
	for (int i = 0; i < nseg; i++) {
		uint64_t size = segs[i].end - segs[i].start;
		uint64_t filesz = (segs[i].prot & PROT_READ) ? size : 0;
		ph[i + 1] = (struct elf64_phdr){.type = 1 /* PT_LOAD */,
		                                .flags = phdr_flags(segs[i].prot),
		                                .offset = off,
		                                .vaddr = segs[i].start,
		                                .filesz = filesz,
		                                .memsz = size,
		                                .align = PAGE_SIZE};
		off += filesz;
	}
	emit(o, &eh, sizeof(eh));
	emit(o, ph, sizeof(*ph) * (size_t)(nseg + 1));
	emit(o, notes, sizeof(*notes));
	emit_zeros(o, ALIGN_UP(o->written, PAGE_SIZE) - o->written); /* = ph[1].offset */
	for (int i = 0; i < nseg && !o->failed && !o->cut; i++) {
		for (uint64_t va = segs[i].start; va < segs[i].start + ph[i + 1].filesz;
		     va += PAGE_SIZE) {
			const void *k = t->mm ? vm_user_ptr(t->mm, va, false) : NULL;
			if (k)
				emit(o, k, PAGE_SIZE);
			else
				emit_zeros(o, PAGE_SIZE); /* beyond a file's end, say */
		}
	}
out:
	kfree(notes);
	kfree(ph);
}

bool coredump_write(int sig)
{
	struct task *t = current();
	uint64_t limit = t->rlimits[RLIMIT_CORE].cur;
	if (!coredump_signal(sig) || !t->tg->dumpable || limit < PAGE_SIZE || !t->mm || !t->fs)
		return false;
	struct seg *segs = kmalloc(sizeof(*segs) * MAX_SEGS);
	if (!segs)
		return false;
	int nseg = snapshot_segs(t->mm, segs);
	vfs_unlink(t->fs, "core"); /* as Linux: a core there is replaced */
	struct core_out o = {.limit = limit};
	int r = vfs_open(t->fs, "core", O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0600, &o.file);
	if (r == 0) {
		write_core(&o, t, sig, segs, nseg);
		kobj_put(o.file);
	}
	kfree(segs);
	return r == 0 && !o.failed;
}
