/*
 * System V shared memory segments (see shm.h).  The table lock guards the
 * table and the segments' fields; a segment's vnode is only used with a
 * reference taken under that lock (vnode_get_live), since after IPC_RMID
 * the last reference may go at any moment and free it.  References are
 * dropped after the lock: the last one frees the segment, which takes
 * the lock to leave the table.
 */
#include "ipc/shm.h"

#include "ipc/ipc_ns.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/pcache.h"
#include "mm/vm.h"
#include "proc/task.h"
#include "proc/thread_group.h"

struct shm_seg {
	struct ipc_perm_k perm; /* first: the table holds &perm */
	uint64_t size;
	struct vnode *vn; /* vn->priv is the segment */
	bool held;        /* the table holds a vnode reference (until IPC_RMID) */
	int64_t atime, dtime, ctime;
	int cpid, lpid;
	struct ipc_ns *ns; /* held: its table outlives the segment */
};

static uint64_t size_pages(uint64_t size)
{
	return size / PAGE_SIZE + (size % PAGE_SIZE != 0);
}

static struct shm_seg *seg_of(struct ipc_perm_k *p)
{
	return (struct shm_seg *)p;
}

/* The vnode's last reference went (after its pages): leave the table. */
static void seg_release(struct vnode *vn)
{
	struct shm_seg *s = vn->priv;
	struct ipc_ns *ns = s->ns;
	spin_lock(&ns->shm_ids.lock);
	if (ipc_ids_find_id(&ns->shm_ids, s->perm.id) == &s->perm)
		ipc_ids_remove(&ns->shm_ids, &s->perm);
	spin_unlock(&ns->shm_ids.lock);
	ipc_ns_release(s->ns);
	kfree(s);
}

/* An attach made (shmat, fork) or gone (shmdt, munmap, exec, exit):
 * Linux's shm_open and shm_close keep these. */
static void seg_map_event(struct vnode *vn, bool opened)
{
	struct shm_seg *s = vn->priv;
	struct ipc_ns *ns = s->ns;
	struct task *t = current();
	spin_lock(&ns->shm_ids.lock);
	if (opened)
		s->atime = ipc_now();
	else
		s->dtime = ipc_now();
	if (t)
		s->lpid = task_tgid(t);
	spin_unlock(&ns->shm_ids.lock);
}

/* No read operation: the page cache gives zero pages and never drops
 * them (mm/pcache.h), which is what a segment's memory needs. */
static const struct vnode_ops seg_ops = {.release = seg_release, .map_event = seg_map_event};

static bool is_seg(struct vnode *vn)
{
	return vn && vn->ops == &seg_ops;
}

/* A reference to the segment's vnode unless it is already being freed. */
static struct vnode *vnode_get_live(struct shm_seg *s)
{
	int n = __atomic_load_n(&s->vn->refcount, __ATOMIC_RELAXED);
	while (n > 0)
		if (__atomic_compare_exchange_n(&s->vn->refcount, &n, n + 1, false,
		                                __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return s->vn;
	return NULL;
}

static int current_pid(void)
{
	return task_tgid(current());
}

/* Total pages of every segment's size; lock held. */
static uint64_t total_pages(void)
{
	struct ipc_ns *ns = ipc_ns_current();
	uint64_t n = 0;
	for (int i = 0; i <= ipc_ids_max_idx(&ns->shm_ids); i++) {
		struct ipc_perm_k *p = ipc_ids_at(&ns->shm_ids, i);
		if (p)
			n += size_pages(seg_of(p)->size);
	}
	return n;
}

/* A new segment, not yet in the table. */
static int seg_new(int32_t key, uint64_t size, int flags, struct shm_seg **out)
{
	if (size < SHM_MIN_BYTES || size > SHM_MAX_BYTES)
		return -EINVAL;
	struct shm_seg *s = kzalloc(sizeof(*s));
	struct vnode *vn =
	    s ? vnode_alloc(NULL, &seg_ops, S_IFREG | ((unsigned)flags & 0777), 0) : NULL;
	if (!vn || pcache_attach(vn) < 0) {
		if (vn) {
			vn->ops = NULL; /* not a segment yet: nothing to release */
			vnode_put(vn);
		}
		kfree(s);
		return -ENOMEM;
	}
	vn->priv = s;
	s->vn = vn;
	s->held = true;
	s->size = size;
	ipc_perm_init(&s->perm, key, flags);
	s->ctime = ipc_now();
	s->cpid = current_pid();
	s->ns = ipc_ns_current();
	ipc_ns_hold(s->ns);
	*out = s;
	return 0;
}

/* Frees a segment that never entered the table. */
static void seg_discard(struct shm_seg *s)
{
	s->vn->ops = NULL;
	vnode_put(s->vn);
	ipc_ns_release(s->ns);
	kfree(s);
}

/* shmget of an existing segment; lock held. */
static int get_existing(struct ipc_perm_k *p, uint64_t size, int flags)
{
	if ((flags & IPC_FLAG_CREAT) && (flags & IPC_FLAG_EXCL))
		return -EEXIST;
	if (seg_of(p)->size < size)
		return -EINVAL;
	int r = ipc_perm_check(p, flags);
	return r < 0 ? r : p->id;
}

/* Inserts s unless its key was taken meanwhile: the id, -EAGAIN (look
 * again), or -ENOSPC. */
static int insert_new(struct shm_seg *s)
{
	struct ipc_ns *ns = s->ns;
	uint64_t pages = size_pages(s->size);
	int r;
	spin_lock(&ns->shm_ids.lock);
	uint64_t tot = total_pages();
	if (ipc_ids_find_key(&ns->shm_ids, s->perm.key))
		r = -EAGAIN;
	else if (tot + pages < tot || tot + pages > SHM_ALL_PAGES)
		r = -ENOSPC;
	else
		r = ipc_ids_insert(&ns->shm_ids, &s->perm);
	if (r == 0)
		r = s->perm.id;
	spin_unlock(&ns->shm_ids.lock);
	return r;
}

int shm_get(int32_t key, uint64_t size, int flags)
{
	struct ipc_ns *ns = ipc_ns_current();
	int r = ipc_ids_prepare(&ns->shm_ids);
	if (r < 0)
		return r;
	for (;;) {
		if (key != IPC_PRIVATE_KEY) {
			spin_lock(&ns->shm_ids.lock);
			struct ipc_perm_k *p = ipc_ids_find_key(&ns->shm_ids, key);
			r = p                          ? get_existing(p, size, flags)
			    : (flags & IPC_FLAG_CREAT) ? 0
			                               : -ENOENT;
			spin_unlock(&ns->shm_ids.lock);
			if (p || r < 0)
				return r;
		}
		struct shm_seg *s;
		if ((r = seg_new(key, size, flags, &s)) < 0)
			return r;
		r = insert_new(s);
		if (r >= 0)
			return r;
		seg_discard(s);
		if (r != -EAGAIN)
			return r;
	}
}

/* The attached address Linux would use for addr, or a negative errno;
 * *fixed says whether an address was asked for. */
static long attach_addr(uint64_t addr, int flags, bool *fixed)
{
	*fixed = addr != 0;
	if (!addr)
		return (flags & SHM_AT_REMAP) ? -EINVAL : 0;
	if (addr & (SHM_LBA - 1)) {
		if (!(flags & SHM_AT_RND))
			return -EINVAL;
		addr &= ~(uint64_t)(SHM_LBA - 1);
		if (!addr)
			return (flags & SHM_AT_REMAP) ? -EINVAL : -EPERM; /* mmap_min_addr */
	}
	return (long)addr;
}

long shm_attach(int id, uint64_t addr, int flags)
{
	struct ipc_ns *ns = ipc_ns_current();
	bool fixed;
	long at = attach_addr(addr, flags, &fixed);
	if (id < 0 || at < 0)
		return id < 0 ? -EINVAL : at;
	bool rdonly = flags & SHM_AT_RDONLY;
	unsigned prot =
	    PROT_READ | (rdonly ? 0 : PROT_WRITE) | ((flags & SHM_AT_EXEC) ? PROT_EXEC : 0);
	int access = (rdonly ? 0444 : 0666) | ((flags & SHM_AT_EXEC) ? 0111 : 0);
	struct vnode *vn = NULL;
	uint64_t size = 0;
	spin_lock(&ns->shm_ids.lock);
	struct ipc_perm_k *p = ipc_ids_find_id(&ns->shm_ids, id);
	long r = p ? ipc_perm_check(p, access) : -EINVAL;
	if (r == 0) {
		size = ALIGN_UP(seg_of(p)->size, PAGE_SIZE);
		if (!(vn = vnode_get_live(seg_of(p))))
			r = -EIDRM;
	}
	spin_unlock(&ns->shm_ids.lock);
	if (r < 0)
		return r;
	unsigned vflags = VM_MAP_SHARED | (rdonly ? 0 : VM_MAP_MAYWRITE);
	if (fixed)
		vflags |= (flags & SHM_AT_REMAP) ? VM_MAP_FIXED : VM_MAP_NOREPLACE;
	if (fixed && (uint64_t)at + size < (uint64_t)at)
		r = -EINVAL;
	else
		r = vm_mmap(current()->mm, (uint64_t)at, size, prot, vflags, vn, 0);
	if (r == -EEXIST)
		r = -EINVAL; /* something is mapped there and SHM_REMAP was not given */
	vnode_put(vn);
	return r;
}

/* Whether area a maps segment vn (if given, else any segment) as attached
 * at addr: Linux's test, the area's offset in the segment equals its
 * distance from addr. */
static bool attached_at(const struct vm_area_info *a, uint64_t addr, struct vnode *vn)
{
	if (!is_seg(a->vn) || (vn && a->vn != vn) || !a->shared)
		return false;
	return a->start - addr == a->pgoff * PAGE_SIZE;
}

int shm_detach(uint64_t addr)
{
	struct mm *mm = current()->mm;
	struct vm_area_info a;
	struct vnode *seg_vn = NULL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	/* the first area above addr that is a segment attached at addr */
	uint64_t va = addr;
	while (!seg_vn && vm_area_from(mm, va, &a) == 0) {
		if (attached_at(&a, addr, NULL)) {
			seg_vn = a.vn;
			vm_unmap(mm, a.start, a.end - a.start);
		} else {
			vnode_put(a.vn);
		}
		va = a.end;
	}
	if (!seg_vn)
		return -EINVAL;
	/* the rest of it (an attach split by mprotect or munmap) */
	struct shm_seg *s = seg_vn->priv;
	uint64_t size = ALIGN_UP(s->size, PAGE_SIZE);
	while (vm_area_from(mm, va, &a) == 0) {
		bool within = a.end - addr <= size;
		if (within && attached_at(&a, addr, seg_vn))
			vm_unmap(mm, a.start, a.end - a.start);
		vnode_put(a.vn);
		if (!within)
			break;
		va = a.end;
	}
	vnode_put(seg_vn);
	return 0;
}

/* Fills st from p, whose vnode reference the caller holds; lock held. */
static void fill_stat(struct ipc_perm_k *p, struct shm_stat *st)
{
	struct shm_seg *s = seg_of(p);
	st->perm = *p;
	st->size = s->size;
	st->atime = s->atime;
	st->dtime = s->dtime;
	st->ctime = s->ctime;
	st->cpid = s->cpid;
	st->lpid = s->lpid;
	st->nattch = (uint64_t)pcache_map_count(s->vn);
	st->rss_pages = pcache_vnode_pages(s->vn);
}

int shm_stat(int id, bool by_index, bool check, struct shm_stat *out)
{
	struct ipc_ns *ns = ipc_ns_current();
	struct vnode *vn = NULL;
	spin_lock(&ns->shm_ids.lock);
	struct ipc_perm_k *p =
	    by_index ? ipc_ids_at(&ns->shm_ids, id) : ipc_ids_find_id(&ns->shm_ids, id);
	int r = p ? (check ? ipc_perm_check(p, 0444) : 0) : -EINVAL;
	if (r == 0 && !(vn = vnode_get_live(seg_of(p))))
		r = -EIDRM;
	if (r == 0) {
		fill_stat(p, out);
		r = by_index ? p->id : 0;
	}
	spin_unlock(&ns->shm_ids.lock);
	vnode_put(vn);
	return r;
}

int shm_set(int id, uint32_t uid, uint32_t gid, uint32_t mode)
{
	struct ipc_ns *ns = ipc_ns_current();
	spin_lock(&ns->shm_ids.lock);
	struct ipc_perm_k *p = ipc_ids_find_id(&ns->shm_ids, id);
	int r = !p ? -EINVAL : !ipc_is_owner(p) ? -EPERM : 0;
	if (r == 0)
		r = ipc_perm_set(p, uid, gid, mode);
	if (r == 0)
		seg_of(p)->ctime = ipc_now();
	spin_unlock(&ns->shm_ids.lock);
	return r;
}

/* IPC_RMID: the key goes, and the segment with its last detach; returns
 * the table's vnode reference, for the caller to drop after the lock.
 * Lock held. */
static struct vnode *seg_mark_removed(struct ipc_perm_k *p)
{
	p->mode |= SHM_MODE_DEST;
	p->key = IPC_PRIVATE_KEY;
	seg_of(p)->held = false;
	return seg_of(p)->vn;
}

int shm_remove(int id)
{
	struct ipc_ns *ns = ipc_ns_current();
	struct vnode *drop = NULL;
	spin_lock(&ns->shm_ids.lock);
	struct ipc_perm_k *p = ipc_ids_find_id(&ns->shm_ids, id);
	int r = !p ? -EINVAL : !ipc_is_owner(p) ? -EPERM : 0;
	if (r == 0 && seg_of(p)->held)
		drop = seg_mark_removed(p);
	spin_unlock(&ns->shm_ids.lock);
	vnode_put(drop); /* frees the segment now when nothing maps it */
	return r;
}

void shm_ns_end(struct ipc_ns *ns)
{
	for (;;) {
		struct vnode *drop = NULL;
		spin_lock(&ns->shm_ids.lock);
		for (int i = 0, max = ipc_ids_max_idx(&ns->shm_ids); !drop && i <= max; i++) {
			struct ipc_perm_k *p = ipc_ids_at(&ns->shm_ids, i);
			if (p && seg_of(p)->held)
				drop = seg_mark_removed(p);
		}
		spin_unlock(&ns->shm_ids.lock);
		if (!drop)
			return;
		vnode_put(drop);
	}
}

int shm_lock(int id, bool lock)
{
	struct ipc_ns *ns = ipc_ns_current();
	spin_lock(&ns->shm_ids.lock);
	struct ipc_perm_k *p = ipc_ids_find_id(&ns->shm_ids, id);
	int r = !p ? -EINVAL : !ipc_is_owner(p) ? -EPERM : 0;
	if (r == 0)
		p->mode = lock ? p->mode | SHM_MODE_LOCKED : p->mode & ~(uint32_t)SHM_MODE_LOCKED;
	spin_unlock(&ns->shm_ids.lock);
	return r;
}

/* The segment in the first used slot at or after *idx, with a vnode
 * reference, its stat filled; NULL when there is none. */
static struct vnode *next_seg(int *idx, struct shm_stat *st)
{
	struct ipc_ns *ns = ipc_ns_current();
	struct vnode *vn = NULL;
	spin_lock(&ns->shm_ids.lock);
	for (int max = ipc_ids_max_idx(&ns->shm_ids); !vn && *idx <= max; (*idx)++) {
		struct ipc_perm_k *p = ipc_ids_at(&ns->shm_ids, *idx);
		if (p && (vn = vnode_get_live(seg_of(p))))
			fill_stat(p, st);
	}
	spin_unlock(&ns->shm_ids.lock);
	return vn;
}

int shm_usage(struct shm_usage *out)
{
	struct shm_stat st;
	struct vnode *vn;
	*out = (struct shm_usage){0};
	int max = -1;
	for (int idx = 0; (vn = next_seg(&idx, &st));) {
		out->used_ids++;
		out->tot_pages += size_pages(st.size);
		out->rss_pages += st.rss_pages;
		max = idx - 1;
		vnode_put(vn);
	}
	return max < 0 ? 0 : max;
}

void shm_for_each(void (*fn)(const struct shm_stat *st, void *ctx), void *ctx)
{
	struct shm_stat st;
	struct vnode *vn;
	for (int idx = 0; (vn = next_seg(&idx, &st));) {
		vnode_put(vn);
		fn(&st, ctx);
	}
}
