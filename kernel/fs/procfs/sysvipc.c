/*
 * /proc/sysvipc/{shm,sem,msg}: one line per System V IPC object in
 * Linux's format (the header and widths of ipc/shm.c, sem.c, msg.c), the
 * view util-linux's ipcs reads.
 */
#include "fs/procfs/procfs_impl.h"
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
