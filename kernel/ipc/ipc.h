/*
 * System V IPC objects (shared memory segments, semaphore sets, message
 * queues): what the three kinds have in common.  Each kind keeps its
 * objects in a struct ipc_ids table; an object is found by its key (the
 * name programs agree on, ftok) or by its id, which is Linux's encoding
 * (sequence number << 15 | slot index) so that a stale id of a removed
 * object does not reach a new one in the same slot.
 *
 * The objects are the kernel's, not an ABI's: an ABI module translates
 * its system calls' structures to the kernel's (struct ipc_perm_k and the
 * per-kind stat structures) and back.  The permission rules are Linux's
 * (ipcperms): the owner's or creator's bits, else the group's, else the
 * others'; an effective uid of 0 passes.
 */
#ifndef IPC_IPC_H
#define IPC_IPC_H

#include <stdbool.h>
#include <stdint.h>

#include "core/spinlock.h"

/* Linux's numbers; guarded, as another part may add them to errno.h */
#ifndef ENOMSG
#define ENOMSG 42
#endif
#ifndef EIDRM
#define EIDRM 43
#endif

#define IPC_PRIVATE_KEY 0
/* get flags (the low 9 bits are the mode) */
#define IPC_FLAG_CREAT  01000
#define IPC_FLAG_EXCL   02000
#define IPC_FLAG_NOWAIT 04000

/* Slots per kind (Linux's SHMMNI default; its SEMMNI/MSGMNI are larger). */
#define IPC_MNI       4096
#define IPC_SEQ_SHIFT 15
/* Linux starts reusing low slots cyclically over at least this many. */
#define IPC_MIN_CYCLE 64

struct ipc_perm_k {
	int32_t key;
	uint32_t uid, gid, cuid, cgid;
	uint32_t mode; /* low 9 bits: permissions; above: per-kind flags */
	uint16_t seq;
	int id;
};

struct ipc_ids {
	struct spinlock lock; /* the table and every object's perm */
	struct ipc_perm_k **slots;
	int in_use;
	int last_idx;
	uint16_t seq;
};

#define IPC_IDS_INIT(name)                                                                         \
	{                                                                                          \
		.lock = SPINLOCK_INIT(name), .last_idx = -1                                        \
	}

/* Allocates the slot table if it has none yet (lock not held): 0 or
 * -ENOMEM. */
int ipc_ids_prepare(struct ipc_ids *ids);
/* Puts perm into a free slot and sets perm->id and seq: 0, or -ENOSPC
 * when all IPC_MNI slots are taken.  ids->lock held, table prepared. */
int ipc_ids_insert(struct ipc_ids *ids, struct ipc_perm_k *perm);
void ipc_ids_remove(struct ipc_ids *ids, struct ipc_perm_k *perm);
/* The object with that id (NULL: none, or a stale id); ids->lock held. */
struct ipc_perm_k *ipc_ids_find_id(struct ipc_ids *ids, int id);
/* The object with that key, never for IPC_PRIVATE; ids->lock held. */
struct ipc_perm_k *ipc_ids_find_key(struct ipc_ids *ids, int32_t key);
/* The object in slot idx, or NULL; ids->lock held. */
struct ipc_perm_k *ipc_ids_at(struct ipc_ids *ids, int idx);
/* The highest slot in use, -1 when empty; ids->lock held. */
int ipc_ids_max_idx(struct ipc_ids *ids);

/* Fills a new object's perm for the running task: owner and creator are
 * its effective ids, mode the low 9 bits of flags. */
void ipc_perm_init(struct ipc_perm_k *perm, int32_t key, int flags);
/* Linux's ipcperms: 0 when the running task has every access of the
 * rwx bits in `access` (octal, in any of the three places), else
 * -EACCES. */
int ipc_perm_check(const struct ipc_perm_k *perm, int access);
/* Whether the running task may change or remove the object (IPC_SET,
 * IPC_RMID): its owner, its creator or an effective uid of 0. */
bool ipc_is_owner(const struct ipc_perm_k *perm);
/* IPC_SET: the new owner, group and permission bits; -EINVAL (nothing
 * changed) when uid or gid is no id ((uint32_t)-1). */
int ipc_perm_set(struct ipc_perm_k *perm, uint32_t uid, uint32_t gid, uint32_t mode);
/* Seconds since the epoch, for the objects' times. */
int64_t ipc_now(void);

#endif
