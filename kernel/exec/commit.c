/*
 * Loading the new program and switching the task over to it.  Everything
 * that can fail happens first (address space, environment, descriptor
 * table); the commit only swaps pointers, so a failed exec leaves the
 * caller exactly as it was.
 */
#include <scarlet/abi.h>

#include "arch/riscv64/riscv.h"
#include "core/kernel.h"
#include "exec/env.h"
#include "exec/executor.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/vm.h"
#include "obj/handle.h"
#include "obj/kobj.h"
#include "proc/ptimer.h"
#include "proc/task.h"
#include "proc/thread_group.h"

/* What an ABI switch replaces, prepared before the commit. */
struct switch_state {
	struct fs_struct *fs;
	struct handle_table *handles;
	void *data;
	const struct cred *cred; /* what the program runs with */
};

/* Carries the caller's descriptors into a fresh table for abi m. */
static int carry_descriptors(struct task *t, const struct abi_module *m, struct switch_state *s)
{
	struct fd_carry *carry = kmalloc(HANDLE_MAX * sizeof(*carry));
	int n = 0, r = -ENOMEM;
	s->handles = handle_table_create();
	if (!carry || !s->handles)
		goto out;
	r = -ENOSYS;
	if (!t->abi->export_fds || !m->import_fds)
		goto out;
	n = t->abi->export_fds(t, carry, HANDLE_MAX);
	if (n < 0) {
		r = n;
		n = 0;
		goto out;
	}
	r = m->import_fds(s->handles, carry, n, &s->data);
	n = 0; /* import consumed the references, even on failure */
out:
	for (int i = 0; i < n; i++)
		kobj_put(carry[i].obj);
	kfree(carry);
	return r;
}

static int prepare_switch(struct task *t, const struct abi_module *m, struct switch_state *s)
{
	memset(s, 0, sizeof(*s));
	int r = env_enter(m, t->abi, t->fs, &s->fs);
	if (r == 0)
		r = carry_descriptors(t, m, s);
	return r;
}

static void drop_switch(const struct abi_module *m, struct switch_state *s)
{
	if (s->fs)
		fs_struct_put(s->fs);
	if (s->handles)
		handle_table_put(s->handles);
	if (s->data && m->free_data)
		m->free_data(s->data);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The new registers: the module's, with a fresh FP state. */
static void install_registers(struct task *t, const struct trapframe *tf)
{
	uint64_t sstatus = t->tf->sstatus;
	*t->tf = *tf;
	memset(t->fpregs, 0, sizeof(t->fpregs));
	fpu_restore(t->fpregs);
	t->tf->sstatus = (sstatus & ~SSTATUS_FS_MASK) | SSTATUS_FS_INITIAL;
}

/* The ids the program will run with (proc/cred.h): set-user-ID and
 * set-group-ID files take effect unless their mount is nosuid.  Returns
 * whether the program is secure (AT_SECURE). */
static bool exec_cred(const struct exec_binary *bin, struct cred *c)
{
	struct vattr va;
	struct path p;
	bool nosuid = true;

	*c = current()->cred;
	if (kobj_stat(bin->file, &va) < 0)
		va.mode = 0;
	/* no_new_privs: as if on a nosuid mount (proc/procctl.h) */
	if ((va.mode & (S_ISUID | S_ISGID)) && !current()->ctl.no_new_privs &&
	    file_path(bin->file, &p) == 0) {
		nosuid = (p.mnt->attrs & MNT_A_NOSUID) != 0;
		path_put(&p);
	}
	return cred_exec(c, &va, nosuid);
}

/* Rewrites the paths of args named in the caller's environment (argv[0]
 * when it is the executed path, and the executor's own path_args) for
 * the environment of abi `to`, and the executed path itself into
 * path_buf (PATH_MAX) for AT_EXECFN: a program started from another
 * ABI's shell can find itself again by those names. */
static int translate_paths(const struct abi_module *from, const struct abi_module *to,
                           struct exec_binary *b, struct exec_args *args, char *path_buf)
{
	char *arg = args->buf;
	int r = 0;
	for (int i = 0; i < args->argc && r == 0; i++) {
		size_t len = strlen(arg) + 1;
		bool is_path = (i < 32 && (args->path_args & (1u << i))) ||
		               (i == 0 && strcmp(arg, b->path) == 0);
		if (is_path && arg[0] == '/') {
			r = env_translate_path(from, to, arg, path_buf, PATH_MAX);
			if (r == 0)
				r = exec_args_replace(args, i, path_buf);
			len = strlen(path_buf) + 1;
		}
		arg += len;
	}
	if (r == 0)
		r = env_translate_path(from, to, b->path, path_buf, PATH_MAX);
	if (r == 0)
		b->path = path_buf;
	return r;
}

/* Point of no return. */
static void commit(struct task *t, const struct abi_module *m, struct mm *mm,
                   struct switch_state *s, const struct trapframe *tf, const char *path,
                   const char *comm)
{
	struct mm *old_mm = t->mm;
	task_mm_release(t);
	spin_lock(&t->lock); /* readers of another task's resources (/proc) */
	t->mm = mm;
	spin_unlock(&t->lock);
	vm_activate(mm);
	if (old_mm)
		mm_put(old_mm);
	if (m != t->abi) {
		const struct abi_module *old_abi = t->abi;
		void *old_data = t->abi_data;
		struct handle_table *old_handles = t->handles;
		struct fs_struct *old_fs = t->fs;
		spin_lock(&t->lock);
		t->abi = m;
		t->abi_data = s->data;
		t->handles = s->handles;
		t->fs = s->fs;
		spin_unlock(&t->lock);
		handle_table_put(old_handles);
		fs_struct_put(old_fs);
		if (old_data && old_abi->free_data)
			old_abi->free_data(old_data);
	} else {
		handle_table_exec(t->handles);
		if (m->exec_same_abi)
			m->exec_same_abi(t);
	}
	signal_exec_reset(t);
	ptimers_exec(t->tg);
	t->cred = *s->cred;
	t->did_exec = true;
	if (m->enter)
		m->enter(t);
	task_set_name(t, comm[0] ? comm : base_name(path));
	install_registers(t, tf);
}

int exec_load_and_commit(const struct abi_module *m, const struct exec_binary *bin,
                         struct exec_args *args)
{
	struct task *t = current();
	struct switch_state s = {0};
	struct trapframe *tf = kzalloc(sizeof(*tf));
	struct mm *mm = mm_create();
	struct exec_binary b = *bin;
	char *path_buf = m != t->abi ? kmalloc(PATH_MAX) : NULL;
	struct cred cred;
	int r = -ENOMEM;
	b.secure = exec_cred(bin, &cred);
	b.cred = &cred;
	if (!tf || !mm || (m != t->abi && !path_buf))
		goto fail;
	/* the environment first: the program's interpreter is looked up there */
	r = m != t->abi ? prepare_switch(t, m, &s) : 0;
	if (r == 0 && m != t->abi)
		r = translate_paths(t->abi, m, &b, args, path_buf);
	b.fs = s.fs ? s.fs : t->fs;
	if (r == 0)
		r = m->load ? m->load(&b, mm, args, tf) : -ENOEXEC;
	if (r == 0)
		mm->exe_file = kobj_get(bin->file);
	if (r == 0) /* the other threads end; last step that can fail */
		r = thread_group_exec(t);
	if (r < 0)
		goto fail;
	s.cred = &cred;
	commit(t, m, mm, &s, tf, bin->path, args->comm);
	procctl_exec(t, b.secure);
	kfree(tf);
	kfree(path_buf);
	return (int)tf_a(t->tf, 0);
fail:
	drop_switch(m, &s);
	if (mm)
		mm_put(mm);
	kfree(tf);
	kfree(path_buf);
	return r;
}
