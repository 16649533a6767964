/*
 * procfs symlinks: /proc/self, /proc/mounts, and per process exe, cwd,
 * root and fd/N (named as names.c says).
 */
#include "fs/procfs/procfs_impl.h"
#include "mm/vm.h"
#include "obj/handle.h"

/* The caller's process as the procfs's pid namespace numbers it (Linux:
 * ENOENT for a task outside it). */
int proc_link_self(const struct proc_node *n, char *buf, size_t len)
{
	pid_t nr = task_tgid_nr_ns(current(), n->ns);
	return nr ? proc_put(buf, len, "%d", nr) : -ENOENT;
}

int proc_link_mounts(const struct proc_node *n, char *buf, size_t len)
{
	(void)n;
	return proc_put(buf, len, "self/mounts");
}

/* Runs fn on the task's fs_struct. */
static int with_fs(const struct proc_node *n, char *buf, size_t len,
                   void (*get)(struct fs_struct *fs, struct path *out))
{
	struct proc_task pt;
	struct path p;
	int err = proc_task_get(n->pid, &pt);

	if (err < 0)
		return -ENOENT;
	err = -ENOENT;
	if (pt.fs) {
		get(pt.fs, &p);
		err = proc_path_name(pt.fs, &p, buf, len);
		path_put(&p);
	}
	proc_task_put(&pt);
	return err;
}

int proc_link_cwd(const struct proc_node *n, char *buf, size_t len)
{
	return with_fs(n, buf, len, fs_get_cwd);
}

int proc_link_root(const struct proc_node *n, char *buf, size_t len)
{
	return with_fs(n, buf, len, fs_get_root);
}

int proc_link_exe(const struct proc_node *n, char *buf, size_t len)
{
	struct proc_task pt;
	struct kobj *exe = NULL;
	int err = proc_task_get(n->pid, &pt);

	if (err < 0)
		return -ENOENT;
	if (pt.mm && pt.mm->exe_file) /* set before the mm was installed, never changed */
		exe = kobj_get(pt.mm->exe_file);
	err = exe ? proc_object_name(exe, pt.fs, buf, len) : -ENOENT;
	if (exe)
		kobj_put(exe);
	proc_task_put(&pt);
	return err;
}

int proc_link_fd(const struct proc_node *n, char *buf, size_t len)
{
	struct proc_task pt;
	struct kobj *o;
	int err = proc_task_get(n->pid, &pt);

	if (err < 0)
		return -ENOENT;
	o = pt.handles ? handle_get(pt.handles, n->sub) : NULL;
	err = o ? proc_object_name(o, pt.fs, buf, len) : -ENOENT;
	if (o)
		kobj_put(o);
	proc_task_put(&pt);
	return err;
}

int proc_put(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < len ? n : -ENAMETOOLONG;
}
