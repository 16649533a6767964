/*
 * System V shared memory segments.  A segment is an anonymous object of
 * the page cache (a vnode without a filesystem, as behind MAP_SHARED|
 * MAP_ANONYMOUS): attaching it maps that vnode shared, so fork, the
 * demand-zero pages and the write-back-free unmapping are the address
 * space's own, and the attach count is the number of areas mapping it.
 *
 * Removal is Linux's: IPC_RMID takes the key away at once (the segment
 * shows key 0 and SHM_DEST), but the memory lives until the last area
 * mapping it goes, by shmdt, munmap, exec or exit; the id stays valid
 * (and attachable) until then.  The segment's struct and pages are freed
 * with the vnode's last reference.
 */
#ifndef IPC_SHM_H
#define IPC_SHM_H

#include <stdbool.h>
#include <stdint.h>

#include "ipc/ipc.h"

/* perm.mode flags above the permission bits (Linux's values) */
#define SHM_MODE_DEST   01000 /* removed, waiting for the last detach */
#define SHM_MODE_LOCKED 02000 /* SHM_LOCK (nothing is swapped anyway) */

/* limits (Linux's defaults) */
#define SHM_MAX_BYTES (UINT64_MAX - (1ULL << 24))
#define SHM_MIN_BYTES 1
#define SHM_ALL_PAGES (UINT64_MAX - (1ULL << 24))

/* shm_attach flags */
#define SHM_AT_RDONLY 0x1 /* map read-only; needs read permission only */
#define SHM_AT_RND    0x2 /* round addr down to SHM_LBA */
#define SHM_AT_EXEC   0x4
#define SHM_AT_REMAP  0x8 /* replace what is mapped at addr */
#define SHM_LBA       4096

struct shm_stat {
	struct ipc_perm_k perm;
	uint64_t size;
	int64_t atime, dtime, ctime;
	int cpid, lpid;
	uint64_t nattch;
	uint64_t rss_pages; /* pages allocated so far */
};

struct shm_usage {
	int used_ids;
	uint64_t tot_pages; /* pages of every segment's size */
	uint64_t rss_pages; /* pages allocated */
};

/* shmget: the id of the segment with key (created with IPC_FLAG_CREAT in
 * flags), or of a new one for IPC_PRIVATE_KEY.  -ENOENT (no such key),
 * -EEXIST (CREAT|EXCL and it exists), -EINVAL (size out of limits, or
 * larger than the existing segment), -EACCES, -ENOSPC, -ENOMEM. */
int shm_get(int32_t key, uint64_t size, int flags);
/* shmat in the running task: the address, or -EINVAL (bad id, address
 * not aligned without SHM_AT_RND, or in use without SHM_AT_REMAP),
 * -EACCES, -ENOMEM. */
long shm_attach(int id, uint64_t addr, int flags);
/* shmdt: unmaps the segment attached at addr: 0 or -EINVAL. */
int shm_detach(uint64_t addr);
/* IPC_STAT (by id) or SHM_STAT (by slot index when by_index; then the
 * result is the id): 0/id, -EINVAL, or -EACCES without read permission
 * when check. */
int shm_stat(int id, bool by_index, bool check, struct shm_stat *out);
/* IPC_SET: -EINVAL, -EPERM unless owner. */
int shm_set(int id, uint32_t uid, uint32_t gid, uint32_t mode);
/* IPC_RMID: -EINVAL, -EPERM unless owner. */
int shm_remove(int id);
/* SHM_LOCK / SHM_UNLOCK: -EINVAL, -EPERM unless owner. */
int shm_lock(int id, bool lock);
/* SHM_INFO's numbers; returns the highest slot in use (0 when none). */
int shm_usage(struct shm_usage *out);
/* For /proc/sysvipc/shm: calls fn for each segment in slot order. */
void shm_for_each(void (*fn)(const struct shm_stat *st, void *ctx), void *ctx);

#endif
