/*
 * The tables of System V IPC objects and their permission checks (see
 * ipc.h).  Slots are handed out cyclically as Linux's idr_alloc_cyclic
 * does, over max(1.5 * in use, IPC_MIN_CYCLE) slots, and the sequence
 * number moves on each time the cycle wraps, so ids look like Linux's.
 */
#include "ipc/ipc.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "core/time.h"
#include "mm/kmalloc.h"
#include "proc/cred.h"

int ipc_ids_prepare(struct ipc_ids *ids)
{
	if (__atomic_load_n(&ids->slots, __ATOMIC_ACQUIRE))
		return 0;
	struct ipc_perm_k **slots = kzalloc(IPC_MNI * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	spin_lock(&ids->lock);
	if (!ids->slots) {
		__atomic_store_n(&ids->slots, slots, __ATOMIC_RELEASE);
		slots = NULL;
	}
	spin_unlock(&ids->lock);
	kfree(slots);
	return 0;
}

/* The first free slot in [from, to), or -1. */
static int free_slot(struct ipc_ids *ids, int from, int to)
{
	for (int i = from; i < to; i++)
		if (!ids->slots[i])
			return i;
	return -1;
}

int ipc_ids_insert(struct ipc_ids *ids, struct ipc_perm_k *perm)
{
	KASSERT(ids->slots);
	int cycle = MIN(MAX(ids->in_use * 3 / 2, IPC_MIN_CYCLE), IPC_MNI);
	int idx = free_slot(ids, ids->last_idx + 1, cycle);
	if (idx < 0)
		idx = free_slot(ids, 0, cycle);
	if (idx < 0)
		return -ENOSPC;
	if (idx <= ids->last_idx)
		ids->seq = (uint16_t)((ids->seq + 1) % (INT32_MAX >> IPC_SEQ_SHIFT));
	ids->last_idx = idx;
	ids->slots[idx] = perm;
	ids->in_use++;
	perm->seq = ids->seq;
	perm->id = (int)((uint32_t)perm->seq << IPC_SEQ_SHIFT) + idx;
	return 0;
}

void ipc_ids_remove(struct ipc_ids *ids, struct ipc_perm_k *perm)
{
	int idx = perm->id & ((1 << IPC_SEQ_SHIFT) - 1);
	KASSERT(ids->slots && ids->slots[idx] == perm);
	ids->slots[idx] = NULL;
	ids->in_use--;
}

struct ipc_perm_k *ipc_ids_at(struct ipc_ids *ids, int idx)
{
	if (!ids->slots || idx < 0 || idx >= IPC_MNI)
		return NULL;
	return ids->slots[idx];
}

struct ipc_perm_k *ipc_ids_find_id(struct ipc_ids *ids, int id)
{
	if (id < 0)
		return NULL;
	struct ipc_perm_k *p = ipc_ids_at(ids, id & ((1 << IPC_SEQ_SHIFT) - 1));
	return p && p->id == id ? p : NULL;
}

struct ipc_perm_k *ipc_ids_find_key(struct ipc_ids *ids, int32_t key)
{
	if (key == IPC_PRIVATE_KEY || !ids->slots)
		return NULL;
	for (int i = 0; i < IPC_MNI; i++)
		if (ids->slots[i] && ids->slots[i]->key == key)
			return ids->slots[i];
	return NULL;
}

int ipc_ids_max_idx(struct ipc_ids *ids)
{
	for (int i = ids->slots ? IPC_MNI - 1 : -1; i >= 0; i--)
		if (ids->slots[i])
			return i;
	return -1;
}

void ipc_perm_init(struct ipc_perm_k *perm, int32_t key, int flags)
{
	const struct cred *c = cred_current();
	perm->key = key;
	perm->uid = perm->cuid = c->euid;
	perm->gid = perm->cgid = c->egid;
	perm->mode = (uint32_t)flags & 0777;
}

int ipc_perm_check(const struct ipc_perm_k *perm, int access)
{
	const struct cred *c = cred_current();
	unsigned requested = ((unsigned)access >> 6 | (unsigned)access >> 3 | (unsigned)access) & 7;
	unsigned granted = perm->mode;
	if (c->euid == perm->cuid || c->euid == perm->uid)
		granted >>= 6;
	else if (cred_in_group(c, perm->cgid) || cred_in_group(c, perm->gid))
		granted >>= 3;
	if ((requested & ~granted & 7) && !cred_capable(c, CAP_IPC_OWNER))
		return -EACCES;
	return 0;
}

bool ipc_is_owner(const struct ipc_perm_k *perm)
{
	const struct cred *c = cred_current();
	return c->euid == perm->uid || c->euid == perm->cuid || cred_capable(c, CAP_SYS_ADMIN);
}

int ipc_perm_set(struct ipc_perm_k *perm, uint32_t uid, uint32_t gid, uint32_t mode)
{
	if (uid == 0xffffffffu || gid == 0xffffffffu)
		return -EINVAL;
	perm->uid = uid;
	perm->gid = gid;
	perm->mode = (perm->mode & ~0777u) | (mode & 0777);
	return 0;
}

int64_t ipc_now(void)
{
	return time_realtime_ns() / 1000000000;
}
