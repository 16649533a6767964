/*
 * Linux System V IPC calls over the kernel's IPC objects (kernel/ipc/):
 * shared memory (shm*), semaphores (sem*) and message queues (msg*).  This file turns Linux's
 * flags, commands and structures (lipc.h) into the kernel's and back; every copy to or from the
 * program happens here, with no IPC lock held.
 */
#include <scarlet/abi.h>

#include "abi/linux/linux.h"
#include "abi/linux/lipc.h"
#include "abi/linux/ltime.h"
#include "core/time.h"
#include "ipc/msg.h"
#include "ipc/sem.h"
#include "ipc/shm.h"
#include "mm/kmalloc.h"
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

/* Copies an answer out: ok, or -EFAULT. */
static long put(uint64_t uaddr, const void *src, size_t n, long ok)
{
	return copy_to_user((void *)uaddr, src, n) < 0 ? -EFAULT : ok;
}

/* What the three kinds' *ctl calls share: the stat commands (IPC_STAT
 * and the kind's STAT and STAT_ANY), the info ones (IPC_INFO and the
 * kind's INFO), IPC_SET and IPC_RMID. */
struct ctl_kind {
	int stat, stat_any, info;
	long (*stat_out)(int id, int cmd, uint64_t buf);
	long (*info_out)(int cmd, uint64_t buf);
	long (*set_from)(int id, uint64_t buf);
	int (*remove)(int id);
};

/* Answers cmd when it is one of those (true, *out set). */
static bool ctl_common(const struct ctl_kind *k, int id, int cmd, uint64_t buf, long *out)
{
	if (cmd == L_IPC_STAT || cmd == k->stat || cmd == k->stat_any)
		*out = k->stat_out(id, cmd, buf);
	else if (cmd == L_IPC_INFO || cmd == k->info)
		*out = k->info_out(cmd, buf);
	else if (cmd == L_IPC_SET)
		*out = k->set_from(id, buf);
	else if (cmd == L_IPC_RMID)
		*out = k->remove(id);
	else
		return false;
	return true;
}

/* ------------------------------------------------------------ shm */

LINUX_SYSCALL(shmget)
{
	LINUX_UNUSED();
	/* no huge pages are reserved (Linux's vm.nr_hugepages = 0): ENOMEM */
	if (a2 & L_SHM_HUGETLB)
		return -ENOMEM;
	return shm_get((int32_t)a0, a1, get_flags(a2) & ~L_IPC_NOWAIT);
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
	return put(buf, &ds, sizeof(ds), r);
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
		return put(buf, &info, sizeof(info), max);
	}
	struct linux_shm_info info = {
	    .used_ids = u.used_ids, .shm_tot = u.tot_pages, .shm_rss = u.rss_pages};
	return put(buf, &info, sizeof(info), max);
}

static long shm_set_from(int id, uint64_t buf)
{
	struct linux_shmid64_ds ds;
	if (copy_from_user(&ds, (void *)buf, sizeof(ds)) < 0)
		return -EFAULT;
	return shm_set(id, ds.shm_perm.uid, ds.shm_perm.gid, ds.shm_perm.mode);
}

LINUX_SYSCALL(shmctl)
{
	LINUX_UNUSED();
	static const struct ctl_kind kind = {L_SHM_STAT,   L_SHM_STAT_ANY, L_SHM_INFO, shm_stat_out,
	                                     shm_info_out, shm_set_from,   shm_remove};
	int id = (int)a0, cmd = (int)a1;
	long r;
	if (cmd < 0 || id < 0)
		return -EINVAL;
	if (ctl_common(&kind, id, cmd, a2, &r))
		return r;
	if (cmd == L_SHM_LOCK || cmd == L_SHM_UNLOCK)
		return shm_lock(id, cmd == L_SHM_LOCK);
	return -EINVAL;
}

/* ------------------------------------------------------------ sem */

LINUX_SYSCALL(semget)
{
	LINUX_UNUSED();
	return sem_get((int32_t)a0, (int)a1, get_flags(a2));
}

/* The monotonic deadline of a relative timeout at uaddr (0: none). */
static long op_deadline(uint64_t uaddr, uint64_t *deadline)
{
	int64_t ns;
	*deadline = 0;
	if (!uaddr)
		return 0;
	long r = linux_timespec_read(uaddr, &ns);
	if (r < 0)
		return r;
	uint64_t now = time_monotonic_ns();
	*deadline = (uint64_t)ns >= UINT64_MAX - now ? UINT64_MAX : now + (uint64_t)ns;
	return 0;
}

static long do_semtimedop(int id, uint64_t usops, long nsops, uint64_t utimeout)
{
	if (nsops < 1 || id < 0)
		return -EINVAL;
	if (nsops > SEM_OPM)
		return -E2BIG;
	struct linux_sembuf lops[SEM_OPM > 64 ? 64 : SEM_OPM];
	struct sem_buf *sops = kmalloc((size_t)nsops * sizeof(*sops));
	if (!sops)
		return -ENOMEM;
	long r = 0;
	for (long done = 0; r == 0 && done < nsops;) {
		long n = MIN(nsops - done, (long)ARRAY_SIZE(lops));
		if (copy_from_user(lops, (struct linux_sembuf *)usops + done,
		                   (size_t)n * sizeof(*lops)) < 0)
			r = -EFAULT;
		for (long i = 0; r == 0 && i < n; i++) {
			unsigned flg = (uint16_t)lops[i].sem_flg;
			sops[done + i] =
			    (struct sem_buf){lops[i].sem_num, lops[i].sem_op,
			                     ((flg & L_IPC_NOWAIT) ? SEM_F_NOWAIT : 0) |
			                         ((flg & L_SEM_UNDO) ? SEM_F_UNDO : 0)};
		}
		done += n;
	}
	uint64_t deadline;
	if (r == 0)
		r = op_deadline(utimeout, &deadline);
	if (r == 0)
		r = sem_op(id, sops, (int)nsops, deadline);
	kfree(sops);
	return r;
}

LINUX_SYSCALL(semtimedop)
{
	LINUX_UNUSED();
	return do_semtimedop((int)a0, a1, (long)a2, a3);
}

LINUX_SYSCALL(semop)
{
	LINUX_UNUSED();
	return do_semtimedop((int)a0, a1, (long)a2, 0);
}

static long sem_stat_out(int id, int cmd, uint64_t buf)
{
	struct sem_stat st;
	int r = sem_stat(id, cmd != L_IPC_STAT, cmd != L_SEM_STAT_ANY, &st);
	if (r < 0)
		return r;
	struct linux_semid64_ds ds = {
	    .sem_otime = st.otime, .sem_ctime = st.ctime, .sem_nsems = (uint64_t)st.nsems};
	perm_out(&st.perm, &ds.sem_perm);
	return put(buf, &ds, sizeof(ds), r);
}

static long sem_info_out(int cmd, uint64_t buf)
{
	struct sem_usage u;
	int max = sem_usage(&u);
	struct linux_seminfo info = {.semmap = SEM_MNS,
	                             .semmni = IPC_MNI,
	                             .semmns = SEM_MNS,
	                             .semmnu = SEM_MNS,
	                             .semmsl = SEM_MSL,
	                             .semopm = SEM_OPM,
	                             .semume = SEM_OPM,
	                             .semusz = 20, /* Linux's sizeof(struct sem_undo) */
	                             .semvmx = SEM_VMX,
	                             .semaem = SEM_AEM};
	if (cmd == L_SEM_INFO) {
		info.semusz = u.used_sets;
		info.semaem = u.used_sems;
	}
	return put(buf, &info, sizeof(info), max);
}

static long sem_set_from(int id, uint64_t buf)
{
	struct linux_semid64_ds ds;
	if (copy_from_user(&ds, (void *)buf, sizeof(ds)) < 0)
		return -EFAULT;
	return sem_set_perm(id, ds.sem_perm.uid, ds.sem_perm.gid, ds.sem_perm.mode);
}

/* GETALL and SETALL: the values go through a kernel buffer. */
static long sem_all(int id, int cmd, uint64_t buf)
{
	int n = sem_nsems(id, cmd == L_GETALL ? 0444 : 0222);
	if (n < 0)
		return n;
	uint16_t *vals = kmalloc((size_t)n * sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	long r;
	if (cmd == L_GETALL) {
		r = sem_getall(id, vals, n);
		if (r == 0)
			r = put(buf, vals, (size_t)n * sizeof(*vals), 0);
	} else {
		r = copy_from_user(vals, (void *)buf, (size_t)n * sizeof(*vals)) < 0 ? -EFAULT : 0;
		if (r == 0)
			r = sem_setall(id, vals, n);
	}
	kfree(vals);
	return r;
}

LINUX_SYSCALL(semctl)
{
	LINUX_UNUSED();
	static const struct ctl_kind kind = {L_SEM_STAT,   L_SEM_STAT_ANY, L_SEM_INFO, sem_stat_out,
	                                     sem_info_out, sem_set_from,   sem_remove};
	int id = (int)a0, semnum = (int)a1, cmd = (int)a2;
	long r;
	if (id < 0)
		return -EINVAL;
	if (ctl_common(&kind, id, cmd, a3, &r))
		return r;
	switch (cmd) {
	case L_GETVAL:
		return sem_query(id, semnum, SEM_Q_VAL);
	case L_GETPID:
		return sem_query(id, semnum, SEM_Q_PID);
	case L_GETNCNT:
		return sem_query(id, semnum, SEM_Q_NCNT);
	case L_GETZCNT:
		return sem_query(id, semnum, SEM_Q_ZCNT);
	case L_GETALL:
	case L_SETALL:
		return sem_all(id, cmd, a3);
	case L_SETVAL:
		return sem_setval(id, semnum, (int)a3);
	default:
		return -EINVAL;
	}
}

/* ------------------------------------------------------------ msg */

LINUX_SYSCALL(msgget)
{
	LINUX_UNUSED();
	return msg_get((int32_t)a0, get_flags(a1));
}

LINUX_SYSCALL(msgsnd)
{
	LINUX_UNUSED();
	int id = (int)a0;
	uint64_t msgp = a1, size = a2;
	int64_t type;
	if (copy_from_user(&type, (void *)msgp, sizeof(type)) < 0)
		return -EFAULT;
	if (size > MSG_MAX || (int64_t)size < 0 || id < 0 || type < 1)
		return -EINVAL;
	struct kmsg *m = msg_new(type, size);
	if (!m)
		return -ENOMEM;
	long r = copy_from_user(m->data, (void *)(msgp + sizeof(type)), size) < 0 ? -EFAULT : 0;
	if (r == 0)
		r = msg_send(id, m, (a3 & L_IPC_NOWAIT) ? IPC_FLAG_NOWAIT : 0);
	if (r < 0)
		msg_free(m);
	return r;
}

/* Linux's choice of search from msgtyp and the flags (convert_mode). */
static enum msg_search search_mode(int64_t *type, unsigned flg)
{
	if (flg & L_MSG_COPY)
		return MSG_SEARCH_NUMBER;
	if (*type == 0)
		return MSG_SEARCH_ANY;
	if (*type < 0) {
		*type = *type == INT64_MIN ? INT64_MAX : -*type;
		return MSG_SEARCH_LESSEQUAL;
	}
	return (flg & L_MSG_EXCEPT) ? MSG_SEARCH_NOTEQUAL : MSG_SEARCH_EQUAL;
}

LINUX_SYSCALL(msgrcv)
{
	LINUX_UNUSED();
	int id = (int)a0;
	uint64_t msgp = a1, bufsz = a2;
	int64_t type = (int64_t)a3;
	unsigned flg = (unsigned)a4;
	if (id < 0 || (int64_t)bufsz < 0)
		return -EINVAL;
	/* MSG_COPY (checkpoint/restore) peeks without waiting or excepting */
	if ((flg & L_MSG_COPY) && ((flg & L_MSG_EXCEPT) || !(flg & L_IPC_NOWAIT)))
		return -EINVAL;
	enum msg_search mode = search_mode(&type, flg);
	int flags = ((flg & L_IPC_NOWAIT) ? MSG_F_NOWAIT : 0) |
	            ((flg & L_MSG_NOERROR) ? MSG_F_NOERROR : 0) |
	            ((flg & L_MSG_COPY) ? MSG_F_COPY : 0);
	struct kmsg *m;
	long r = msg_receive(id, mode, type, bufsz, flags, &m);
	if (r < 0)
		return r;
	size_t n = MIN(bufsz, m->len);
	if (copy_to_user((void *)msgp, &m->type, sizeof(m->type)) < 0 ||
	    copy_to_user((void *)(msgp + sizeof(m->type)), m->data, n) < 0)
		r = -EFAULT; /* the message is lost, as on Linux */
	else
		r = (long)n;
	msg_free(m);
	return r;
}

static long msg_stat_out(int id, int cmd, uint64_t buf)
{
	struct msg_stat st;
	int r = msg_stat(id, cmd != L_IPC_STAT, cmd != L_MSG_STAT_ANY, &st);
	if (r < 0)
		return r;
	struct linux_msqid64_ds ds = {.msg_stime = st.stime,
	                              .msg_rtime = st.rtime,
	                              .msg_ctime = st.ctime,
	                              .msg_cbytes = st.cbytes,
	                              .msg_qnum = st.qnum,
	                              .msg_qbytes = st.qbytes,
	                              .msg_lspid = st.lspid,
	                              .msg_lrpid = st.lrpid};
	perm_out(&st.perm, &ds.msg_perm);
	return put(buf, &ds, sizeof(ds), r);
}

static long msg_info_out(int cmd, uint64_t buf)
{
	struct msg_usage u;
	int max = msg_usage(&u);
	struct linux_msginfo info = {.msgpool = IPC_MNI * MSG_MNB / 1024,
	                             .msgmap = MSG_MNB,
	                             .msgmax = MSG_MAX,
	                             .msgmnb = MSG_MNB,
	                             .msgmni = IPC_MNI,
	                             .msgssz = 16,
	                             .msgtql = MSG_MNB,
	                             .msgseg = 0xffff};
	if (cmd == L_MSG_INFO) {
		info.msgpool = u.used_queues;
		info.msgmap = (int32_t)u.messages;
		info.msgtql = (int32_t)u.bytes;
	}
	return put(buf, &info, sizeof(info), max);
}

static long msg_set_from(int id, uint64_t buf)
{
	struct linux_msqid64_ds ds;
	if (copy_from_user(&ds, (void *)buf, sizeof(ds)) < 0)
		return -EFAULT;
	return msg_set(id, ds.msg_perm.uid, ds.msg_perm.gid, ds.msg_perm.mode, ds.msg_qbytes);
}

LINUX_SYSCALL(msgctl)
{
	LINUX_UNUSED();
	static const struct ctl_kind kind = {L_MSG_STAT,   L_MSG_STAT_ANY, L_MSG_INFO, msg_stat_out,
	                                     msg_info_out, msg_set_from,   msg_remove};
	int id = (int)a0, cmd = (int)a1;
	long r;
	if (id < 0 || cmd < 0)
		return -EINVAL;
	return ctl_common(&kind, id, cmd, a2, &r) ? r : -EINVAL;
}
