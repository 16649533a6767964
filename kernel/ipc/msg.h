/*
 * System V message queues.  A queue holds typed messages (type >= 1) up
 * to qbytes bytes (and qbytes messages) in arrival order; a sender waits
 * for room, a receiver for a message of the type it asks for, both
 * unless IPC_FLAG_NOWAIT.  Removing a queue wakes its sleepers with
 * -EIDRM and frees its messages.
 *
 * Messages are built and taken apart by the caller (the ABI copies the
 * program's buffer into msg_new's message before msg_send, and out of
 * the message msg_receive hands back), so no user memory is touched
 * under the queue lock.
 */
#ifndef IPC_MSG_H
#define IPC_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/list.h"
#include "ipc/ipc.h"

/* limits (Linux's defaults, but for the number of queues: IPC_MNI) */
#define MSG_MAX 8192  /* bytes in one message */
#define MSG_MNB 16384 /* default queue size in bytes */

/* msg_receive flags */
#define MSG_F_NOWAIT  0x1
#define MSG_F_NOERROR 0x2 /* truncate a longer message rather than -E2BIG */
#define MSG_F_COPY    0x4 /* copy the type-th message (from 0), leave it queued */

enum msg_search {
	MSG_SEARCH_ANY,       /* the first message */
	MSG_SEARCH_EQUAL,     /* the first of that type */
	MSG_SEARCH_NOTEQUAL,  /* the first of another type */
	MSG_SEARCH_LESSEQUAL, /* the first of the lowest type <= type */
	MSG_SEARCH_NUMBER,    /* the type-th (MSG_F_COPY) */
};

struct kmsg {
	struct list node;
	int64_t type;
	size_t len;
	char data[];
};

struct msg_stat {
	struct ipc_perm_k perm;
	int64_t stime, rtime, ctime;
	uint64_t cbytes, qnum, qbytes;
	int lspid, lrpid;
};

struct msg_usage {
	int used_queues;
	uint64_t messages, bytes;
};

/* msgget: as shm_get. */
int msg_get(int32_t key, int flags);
/* A message of len bytes (<= MSG_MAX) to fill; NULL when out of memory. */
struct kmsg *msg_new(int64_t type, size_t len);
void msg_free(struct kmsg *m);
/* msgsnd: queues m (which it then owns): 0, or -EINVAL (bad id),
 * -EACCES, -EAGAIN (full, NOWAIT), -EINTR, -EIDRM; the caller frees m
 * on error. */
int msg_send(int id, struct kmsg *m, int flags);
/* msgrcv: *out gets the message (the caller frees it; with MSG_F_NOERROR
 * it may be longer than bufsz).  0, or -EINVAL, -EACCES, -E2BIG (longer
 * than bufsz), -ENOMSG (none, NOWAIT), -EINTR, -EIDRM, -ENOMEM. */
int msg_receive(int id, enum msg_search mode, int64_t type, size_t bufsz, int flags,
                struct kmsg **out);
/* IPC_STAT / MSG_STAT(_ANY), as shm_stat. */
int msg_stat(int id, bool by_index, bool check, struct msg_stat *out);
/* IPC_SET: -EINVAL, -EPERM (not owner; qbytes above MSG_MNB unless
 * euid 0). */
int msg_set(int id, uint32_t uid, uint32_t gid, uint32_t mode, uint64_t qbytes);
int msg_remove(int id);
/* MSG_INFO's numbers; returns the highest slot in use (0 when none). */
int msg_usage(struct msg_usage *out);
/* For /proc/sysvipc/msg. */
void msg_for_each(void (*fn)(const struct msg_stat *st, void *ctx), void *ctx);

#endif
