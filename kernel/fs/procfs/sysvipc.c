/*
 * /proc/sysvipc/{shm,sem,msg}: one line per System V IPC object in
 * Linux's format (the header and widths of ipc/shm.c, sem.c, msg.c), the
 * view util-linux's ipcs reads.  And the IPC limits of /proc/sys/kernel
 * and /proc/sys/fs/mqueue, which programs read to size their tests.
 */
#include "fs/procfs/procfs_impl.h"
#include "ipc/mqueue.h"
#include "ipc/msg.h"
#include "ipc/sem.h"
#include "ipc/shm.h"
#include "mm/page.h"

static void shm_line(const struct shm_stat *st, void *ctx)
{
	tb_printf(ctx,
	          "%10d %10d  %4o %21lu %5u %5u  %5lu %5u %5u %5u %5u %10lld %10lld %10lld %21lu "
	          "%21lu\n",
	          st->perm.key, st->perm.id, st->perm.mode, st->size, st->cpid, st->lpid,
	          st->nattch, st->perm.uid, st->perm.gid, st->perm.cuid, st->perm.cgid,
	          (long long)st->atime, (long long)st->dtime, (long long)st->ctime,
	          st->rss_pages * PAGE_SIZE, 0UL);
}

int proc_gen_sysvipc_shm(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	tb_printf(
	    out, "       key      shmid perms                  size  cpid  lpid nattch   uid   gid "
	         " cuid  cgid      atime      dtime      ctime                   rss           "
	         "       swap\n");
	shm_for_each(shm_line, out);
	return 0;
}

static void sem_line(const struct sem_stat *st, void *ctx)
{
	tb_printf(ctx, "%10d %10d  %4o %10u %5u %5u %5u %5u %10lld %10lld\n", st->perm.key,
	          st->perm.id, st->perm.mode, st->nsems, st->perm.uid, st->perm.gid, st->perm.cuid,
	          st->perm.cgid, (long long)st->otime, (long long)st->ctime);
}

int proc_gen_sysvipc_sem(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	tb_printf(out, "       key      semid perms      nsems   uid   gid  cuid  cgid      otime  "
	               "    ctime\n");
	sem_for_each(sem_line, out);
	return 0;
}

static void msg_line(const struct msg_stat *st, void *ctx)
{
	tb_printf(ctx, "%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10lld %10lld %10lld\n",
	          st->perm.key, st->perm.id, st->perm.mode, st->cbytes, st->qnum, st->lspid,
	          st->lrpid, st->perm.uid, st->perm.gid, st->perm.cuid, st->perm.cgid,
	          (long long)st->stime, (long long)st->rtime, (long long)st->ctime);
}

int proc_gen_sysvipc_msg(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	tb_printf(out,
	          "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  "
	          "cuid  cgid      stime      rtime      ctime\n");
	msg_for_each(msg_line, out);
	return 0;
}

/* A file holding one number. */
#define LIMIT_FILE(fn, fmt, value)                                                                 \
	int fn(const struct proc_node *n, struct textbuf *out)                                     \
	{                                                                                          \
		(void)n;                                                                           \
		tb_printf(out, fmt "\n", value);                                                   \
		return 0;                                                                          \
	}

LIMIT_FILE(proc_gen_shmmax, "%lu", (unsigned long)SHM_MAX_BYTES)
LIMIT_FILE(proc_gen_shmall, "%lu", (unsigned long)SHM_ALL_PAGES)
LIMIT_FILE(proc_gen_shmmni, "%d", IPC_MNI)
LIMIT_FILE(proc_gen_msgmax, "%d", MSG_MAX)
LIMIT_FILE(proc_gen_msgmnb, "%d", MSG_MNB)
LIMIT_FILE(proc_gen_msgmni, "%d", IPC_MNI)
LIMIT_FILE(proc_gen_mq_queues_max, "%d", MQ_QUEUES_MAX)
LIMIT_FILE(proc_gen_mq_msg_max, "%d", MQ_MAXMSG_DFL)
LIMIT_FILE(proc_gen_mq_msgsize_max, "%d", MQ_MSGSIZE_DFL)

/* SEMMSL, SEMMNS, SEMOPM, SEMMNI, tab-separated as Linux prints them */
int proc_gen_sem_limits(const struct proc_node *n, struct textbuf *out)
{
	(void)n;
	tb_printf(out, "%d\t%d\t%d\t%d\n", SEM_MSL, SEM_MNS, SEM_OPM, IPC_MNI);
	return 0;
}
