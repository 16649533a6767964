/*
 * Linux System V IPC calls over the kernel's IPC objects (kernel/ipc/):
 * shmget/shmat/shmdt/shmctl.  This file turns Linux's flags, commands
 * and structures (lipc.h) into the kernel's and back; every copy to or
 * from the program happens here, with no IPC lock held.
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "abi/linux/lipc.h"
#include "ipc/shm.h"
#include "proc/task.h"

/* The kernel's get flags from Linux's (the same bits). */
static int get_flags(uint64_t flg)
{
	return (int)(flg & (0777 | L_IPC_CREAT | L_IPC_EXCL | L_IPC_NOWAIT));
}

static void perm_out(const struct ipc_perm_k *k, struct linux_ipc64_perm *l)
{
	*l = (struct linux_ipc64_perm){.key = k->key,
	                               .uid = k->uid,
	                               .gid = k->gid,
	                               .cuid = k->cuid,
	                               .cgid = k->cgid,
	                               .mode = k->mode,
	                               .seq = k->seq};
}

static long put(uint64_t uaddr, const void *src, size_t n)
{
	return copy_to_user((void *)uaddr, src, n) < 0 ? -EFAULT : 0;
}

/* IPC_SET's ids: (uid_t)-1 is no id (Linux's uid_valid). */
static bool ids_valid(const struct linux_ipc64_perm *p)
{
	return p->uid != 0xffffffffu && p->gid != 0xffffffffu;
}

/* ------------------------------------------------------------ shm */

LINUX_SYSCALL(shmget)
{
	LINUX_UNUSED();
	return shm_get((int32_t)a0, a1, get_flags(a2));
}

LINUX_SYSCALL(shmat)
{
	LINUX_UNUSED();
	unsigned flg = (unsigned)a2;
	int flags =
	    ((flg & L_SHM_RDONLY) ? SHM_AT_RDONLY : 0) | ((flg & L_SHM_RND) ? SHM_AT_RND : 0) |
	    ((flg & L_SHM_REMAP) ? SHM_AT_REMAP : 0) | ((flg & L_SHM_EXEC) ? SHM_AT_EXEC : 0);
	return shm_attach((int)a0, a1, flags);
}

LINUX_SYSCALL(shmdt)
{
	LINUX_UNUSED();
	return shm_detach(a0);
}

static long shm_stat_out(int id, int cmd, uint64_t buf)
{
	struct shm_stat st;
	int r = shm_stat(id, cmd != L_IPC_STAT, cmd != L_SHM_STAT_ANY, &st);
	if (r < 0)
		return r;
	struct linux_shmid64_ds ds = {.shm_segsz = st.size,
	                              .shm_atime = st.atime,
	                              .shm_dtime = st.dtime,
	                              .shm_ctime = st.ctime,
	                              .shm_cpid = st.cpid,
	                              .shm_lpid = st.lpid,
	                              .shm_nattch = st.nattch};
	perm_out(&st.perm, &ds.shm_perm);
	long e = put(buf, &ds, sizeof(ds));
	return e < 0 ? e : r;
}

static long shm_info_out(int cmd, uint64_t buf)
{
	struct shm_usage u;
	int max = shm_usage(&u);
	if (cmd == L_IPC_INFO) {
		struct linux_shminfo64 info = {.shmmax = SHM_MAX_BYTES,
		                               .shmmin = SHM_MIN_BYTES,
		                               .shmmni = IPC_MNI,
		                               .shmseg = IPC_MNI,
		                               .shmall = SHM_ALL_PAGES};
		long e = put(buf, &info, sizeof(info));
		return e < 0 ? e : max;
	}
	struct linux_shm_info info = {
	    .used_ids = u.used_ids, .shm_tot = u.tot_pages, .shm_rss = u.rss_pages};
	long e = put(buf, &info, sizeof(info));
	return e < 0 ? e : max;
}

static long shm_set_from(int id, uint64_t buf)
{
	struct linux_shmid64_ds ds;
	if (copy_from_user(&ds, (void *)buf, sizeof(ds)) < 0)
		return -EFAULT;
	if (!ids_valid(&ds.shm_perm))
		return -EINVAL;
	return shm_set(id, ds.shm_perm.uid, ds.shm_perm.gid, ds.shm_perm.mode);
}

LINUX_SYSCALL(shmctl)
{
	LINUX_UNUSED();
	int id = (int)a0, cmd = (int)a1;
	if (cmd < 0 || id < 0)
		return -EINVAL;
	switch (cmd) {
	case L_IPC_STAT:
	case L_SHM_STAT:
	case L_SHM_STAT_ANY:
		return shm_stat_out(id, cmd, a2);
	case L_IPC_INFO:
	case L_SHM_INFO:
		return shm_info_out(cmd, a2);
	case L_IPC_SET:
		return shm_set_from(id, a2);
	case L_IPC_RMID:
		return shm_remove(id);
	case L_SHM_LOCK:
	case L_SHM_UNLOCK:
		return shm_lock(id, cmd == L_SHM_LOCK);
	default:
		return -EINVAL;
	}
}
