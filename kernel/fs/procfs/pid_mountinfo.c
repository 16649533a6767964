/*
 * /proc/PID/mountinfo: the task's mounts as fs/mount_prop.c lists them
 * (Linux's format: id, parent id, st_dev, root in the filesystem, mount
 * point, options, optional fields, "-", type, source, superblock options).
 */
#include "fs/procfs/procfs_impl.h"
#include "mm/kmalloc.h"

int proc_gen_pid_mountinfo(const struct proc_node *n, struct textbuf *out)
{
	struct proc_task pt;
	char *list;
	int err = proc_task_get(n->pid, &pt);

	if (err < 0)
		return err;
	err = proc_list_mounts(&pt, vfs_list_mountinfo, &list);
	if (err >= 0 && list)
		tb_put(out, list, (size_t)err);
	kfree(list);
	proc_task_put(&pt);
	return err < 0 ? err : 0;
}
