/*
 * System V semaphore sets.  semop applies a list of operations to one
 * set atomically: all of them or, when one cannot proceed, none, and then
 * the caller sleeps (or fails with -EAGAIN under IPC_FLAG_NOWAIT) until
 * another change of the set lets it try again.  Operations marked
 * SEM_F_UNDO are remembered per process (thread group) and reversed when
 * its last thread exits (sem_process_end), clamped to [0, SEM_VMX] as
 * Linux does.  Removing a set wakes its sleepers with -EIDRM.
 */
#ifndef IPC_SEM_H
#define IPC_SEM_H

#include <stdbool.h>
#include <stdint.h>

#include "core/types.h"
#include "ipc/ipc.h"

/* limits (Linux's defaults, but for the number of sets: IPC_MNI) */
#define SEM_MSL 32000 /* semaphores per set */
#define SEM_OPM 500   /* operations per semop */
#define SEM_VMX 32767 /* largest value */
#define SEM_AEM SEM_VMX
#define SEM_MNS (SEM_MSL * IPC_MNI)

/* sem_buf.flags */
#define SEM_F_NOWAIT 0x1
#define SEM_F_UNDO   0x2

struct sem_buf {
	uint16_t num;
	int16_t op;
	unsigned flags;
};

struct sem_stat {
	struct ipc_perm_k perm;
	int nsems;
	int64_t otime, ctime;
};

struct sem_usage {
	int used_sets;
	int used_sems;
};

enum sem_query { SEM_Q_VAL, SEM_Q_PID, SEM_Q_NCNT, SEM_Q_ZCNT };

/* semget: as shm_get, with nsems (0 allowed for an existing set): -EINVAL
 * for nsems out of [0, SEM_MSL] (or 0 when creating, or larger than the
 * existing set), -ENOENT, -EEXIST, -EACCES, -ENOSPC, -ENOMEM. */
int sem_get(int32_t key, int nsems, int flags);
/* semop: 0, or -EINVAL (bad id), -EFBIG (num out of range), -EACCES,
 * -ERANGE (value or undo beyond SEM_VMX), -EAGAIN (would block under
 * NOWAIT, or the monotonic deadline passed), -EINTR, -EIDRM (removed
 * while waiting), -ENOMEM.  deadline_ns 0: no timeout. */
int sem_op(int id, const struct sem_buf *sops, int nsops, uint64_t deadline_ns);
/* IPC_STAT / SEM_STAT(_ANY), as shm_stat. */
int sem_stat(int id, bool by_index, bool check, struct sem_stat *out);
int sem_set_perm(int id, uint32_t uid, uint32_t gid, uint32_t mode);
int sem_remove(int id);
/* GETVAL/GETPID/GETNCNT/GETZCNT: the number, -EINVAL, -EACCES. */
int sem_query(int id, int semnum, enum sem_query what);
/* SETVAL: -ERANGE, -EINVAL, -EACCES. */
int sem_setval(int id, int semnum, int val);
/* The set's size after checking `access` (0444 or 0222): -EINVAL, -EACCES. */
int sem_nsems(int id, int access);
/* GETALL into vals (n entries, n = the set's size): -EINVAL, -EACCES,
 * -EIDRM if the size changed (another set took the id). */
int sem_getall(int id, uint16_t *vals, int n);
/* SETALL from vals (n = the set's size): -EIDRM when the set went since
 * sem_nsems, -ERANGE, -EACCES. */
int sem_setall(int id, const uint16_t *vals, int n);
/* SEM_INFO's numbers; returns the highest slot in use (0 when none). */
int sem_usage(struct sem_usage *out);
/* For /proc/sysvipc/sem. */
void sem_for_each(void (*fn)(const struct sem_stat *st, void *ctx), void *ctx);
/* The last thread of process tgid ended: applies its undo adjustments. */
void sem_process_end(pid_t tgid);

#endif
