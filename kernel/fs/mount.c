/*
 * Filesystem types, superblocks in use, mounts, mount namespaces and
 * fs_structs: vfs_register_fs, vfs_mount/vfs_umount, vfs_list_mounts,
 * vfs_sync_all, and the reference counting that keeps a mount alive while
 * a path inside it is held.
 */
#include "core/time.h"
#include "fs/notify.h"
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"
#include "mm/pcache.h"

#define MAX_FS_TYPES 16

static struct spinlock types_lock = SPINLOCK_INIT("fs_types");
static const struct fs_type *fs_types[MAX_FS_TYPES];

/* Superblocks with at least one mount, for vfs_sync_all. */
struct sb_link {
	struct list node;
	struct superblock *sb;
};
static struct mutex sbs_lock;
static struct list all_sbs = LIST_INIT(all_sbs);

struct mutex mount_lock;
struct list all_namespaces = LIST_INIT(all_namespaces);

void mount_init(void)
{
	mutex_init(&sbs_lock, "superblocks");
	mutex_init(&mount_lock, "mount_lock");
}

int64_t vfs_now_ns(void)
{
	return time_realtime_ns();
}

uint64_t vfs_anon_dev(void)
{
	static unsigned next_minor = 1;

	return MKDEV(0, __atomic_fetch_add(&next_minor, 1, __ATOMIC_RELAXED) & 0xfffff);
}

int vfs_register_fs(const struct fs_type *type)
{
	int err = -ENOMEM;

	if (!type || !type->name || !type->mount)
		return -EINVAL;
	spin_lock(&types_lock);
	for (int i = 0; i < MAX_FS_TYPES; i++) {
		if (fs_types[i] && strcmp(fs_types[i]->name, type->name) == 0) {
			err = -EEXIST;
			break;
		}
		if (!fs_types[i]) {
			fs_types[i] = type;
			err = 0;
			break;
		}
	}
	spin_unlock(&types_lock);
	return err;
}

const struct fs_type *vfs_find_fs(const char *name)
{
	const struct fs_type *found = NULL;

	spin_lock(&types_lock);
	for (int i = 0; i < MAX_FS_TYPES && fs_types[i]; i++) {
		if (strcmp(fs_types[i]->name, name) == 0) {
			found = fs_types[i];
			break;
		}
	}
	spin_unlock(&types_lock);
	return found;
}

const struct fs_type *vfs_fs_type_at(int i)
{
	const struct fs_type *t = NULL;

	spin_lock(&types_lock);
	if (i >= 0 && i < MAX_FS_TYPES)
		t = fs_types[i];
	spin_unlock(&types_lock);
	return t;
}

/* Counts one more mount of sb; the first one lists it for syncing. */
static int sb_attach(struct superblock *sb)
{
	struct sb_link *l;

	mutex_lock(&sbs_lock);
	if (sb->refcount++ == 0) {
		l = kmalloc(sizeof(*l));
		if (!l) {
			sb->refcount--;
			mutex_unlock(&sbs_lock);
			return -ENOMEM;
		}
		l->sb = sb;
		list_push_back(&all_sbs, &l->node);
	}
	mutex_unlock(&sbs_lock);
	return 0;
}

/* Drops one mount of sb; the last one unmounts the filesystem. */
static void sb_detach(struct superblock *sb)
{
	struct list *pos;
	struct sb_link *found = NULL;

	mutex_lock(&sbs_lock);
	if (--sb->refcount > 0) {
		mutex_unlock(&sbs_lock);
		return;
	}
	list_for_each(pos, &all_sbs)
	{
		struct sb_link *l = list_entry(pos, struct sb_link, node);
		if (l->sb == sb)
			found = l;
	}
	if (found)
		list_remove(&found->node);
	mutex_unlock(&sbs_lock);
	kfree(found);
	fsnotify_unmount(sb);
	if (sb->type->unmount)
		sb->type->unmount(sb);
}

static int sync_each(bool final)
{
	struct list *pos;
	/* pages stored through shared mappings go to the filesystems first */
	int err = pcache_sync_all();

	/* newest first: a filesystem on a loop device writes into the one
	 * holding its image, which must be synced (or shut down) after it */
	mutex_lock(&sbs_lock);
	for (pos = all_sbs.prev; pos != &all_sbs; pos = pos->prev) {
		struct superblock *sb = list_entry(pos, struct sb_link, node)->sb;
		int (*op)(struct superblock *) = sb->type->sync;
		if (final && sb->type->shutdown)
			op = sb->type->shutdown;
		int e = op ? op(sb) : 0;
		if (e < 0 && err == 0)
			err = e;
	}
	mutex_unlock(&sbs_lock);
	return err;
}

int vfs_sync_all(void)
{
	return sync_each(false);
}

int vfs_shutdown_all(void)
{
	return sync_each(true);
}

/* Linux numbers its first visible mounts from about 21; the namespace
 * root's parent in mountinfo is 1, a mount no one sees. */
static int next_mount_id = 21;

struct mount *mount_new(struct superblock *sb, struct vnode *root, struct mount *parent,
                        struct vnode *mountpoint, unsigned flags, const char *source)
{
	struct mount *m = kzalloc(sizeof(*m));

	if (!m)
		return NULL;
	if (sb_attach(sb) < 0) {
		kfree(m);
		return NULL;
	}
	list_init(&m->node);
	m->sb = sb;
	m->root = vnode_get(root);
	m->flags = flags & MS_RDONLY;
	m->attrs = (flags & MS_NOSUID) ? MNT_A_NOSUID : 0;
	m->refcount = 1;
	m->id = __atomic_fetch_add(&next_mount_id, 1, __ATOMIC_RELAXED);
	strncpy(m->source, source ? source : "none", sizeof(m->source) - 1);
	if (parent) {
		mount_get(parent);
		m->parent = parent;
		m->mountpoint = vnode_get(mountpoint);
	}
	return m;
}

/* A mount of sb's root on mountpoint (NULL for a namespace root). */
static struct mount *mount_alloc(struct superblock *sb, struct path *mountpoint, unsigned flags,
                                 const char *source)
{
	return mount_new(sb, sb->root, mountpoint ? mountpoint->mnt : NULL,
	                 mountpoint ? mountpoint->vn : NULL, flags, source);
}

void mount_get(struct mount *m)
{
	__atomic_fetch_add(&m->refcount, 1, __ATOMIC_RELAXED);
}

void mount_put(struct mount *m)
{
	while (m && __atomic_sub_fetch(&m->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		struct mount *parent = m->parent;
		vnode_put(m->root);
		vnode_put(m->mountpoint);
		sb_detach(m->sb);
		kfree(m);
		m = parent;
	}
}

static struct mount *covering_in(struct mnt_ns *ns, struct mount *mnt, struct vnode *vn)
{
	struct list *pos;
	struct mount *found = NULL;

	mutex_lock(&ns->lock);
	list_for_each(pos, &ns->mounts)
	{
		struct mount *m = list_entry(pos, struct mount, node);
		if (m->parent == mnt && vnode_same(m->mountpoint, vn))
			found = m;
	}
	if (found)
		mount_get(found);
	mutex_unlock(&ns->lock);
	return found;
}

/* Mounts on mnt are in mnt's own namespace, which is not the walker's for
 * a detached tree (an fsmount or open_tree descriptor) or a path that
 * came from another namespace. */
struct mount *mount_covering(struct mnt_ns *ns, struct mount *mnt, struct vnode *vn)
{
	struct mnt_ns *own = __atomic_load_n(&mnt->ns, __ATOMIC_ACQUIRE);
	struct mount *found = NULL;

	if (!own || own == ns)
		return covering_in(ns, mnt, vn);
	mutex_lock(&mount_lock);
	if (mnt->ns)
		found = covering_in(mnt->ns, mnt, vn);
	mutex_unlock(&mount_lock);
	return found;
}

bool path_readonly(const struct path *p)
{
	return (p->mnt->flags & MS_RDONLY) || (p->mnt->sb->flags & MS_RDONLY);
}

struct mnt_ns *mnt_ns_create(struct superblock *root_sb)
{
	struct mnt_ns *ns = kzalloc(sizeof(*ns));

	if (!ns)
		return NULL;
	/* the root is named by its type, as the overlay root of an ABI
	 * environment must be for df (which hides "rootfs") */
	ns->root = mount_alloc(root_sb, NULL, root_sb->flags, root_sb->type->name);
	if (!ns->root) {
		kfree(ns);
		return NULL;
	}
	ns->refcount = 1;
	ns->inum = ns_new_inum();
	mutex_init(&ns->lock, "mnt_ns");
	list_init(&ns->mounts);
	list_push_back(&ns->mounts, &ns->root->node);
	ns->root->ns = ns;
	mnt_ns_register(ns);
	return ns;
}

void mnt_ns_register(struct mnt_ns *ns)
{
	mutex_lock(&mount_lock);
	list_push_back(&all_namespaces, &ns->all);
	mutex_unlock(&mount_lock);
}

struct mnt_ns *mnt_ns_get(struct mnt_ns *ns)
{
	__atomic_fetch_add(&ns->refcount, 1, __ATOMIC_RELAXED);
	return ns;
}

/* The last reference detaches every mount; each is freed once no path
 * inside it remains. */
void mnt_ns_put(struct mnt_ns *ns)
{
	struct list gone = LIST_INIT(gone), *pos;

	if (!ns || __atomic_sub_fetch(&ns->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	mutex_lock(&mount_lock);
	list_remove(&ns->all);
	mutex_lock(&ns->lock);
	while (!list_empty(&ns->mounts)) {
		struct mount *m = list_first_entry(&ns->mounts, struct mount, node);
		list_remove(&m->node);
		m->ns = NULL;
		list_push_back(&gone, &m->node);
	}
	mutex_unlock(&ns->lock);
	list_for_each(pos, &gone)
	{
		struct mount *m = list_entry(pos, struct mount, node);
		mount_group_left(m->group, m->master);
	}
	mutex_unlock(&mount_lock);
	mount_drop_list(&gone);
	kfree(ns);
}

struct fs_struct *fs_struct_create(struct mnt_ns *ns)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->refcount = 1;
	spin_init(&fs->lock, "fs_struct");
	fs->ns = mnt_ns_get(ns);
	fs->root.mnt = ns->root;
	fs->root.vn = ns->root->root;
	path_get(&fs->root);
	fs->cwd = fs->root;
	path_get(&fs->cwd);
	fs->umask = 022;
	return fs;
}

struct fs_struct *fs_struct_clone(struct fs_struct *fs)
{
	struct fs_struct *c = kzalloc(sizeof(*c));

	if (!c)
		return NULL;
	c->refcount = 1;
	spin_init(&c->lock, "fs_struct");
	spin_lock(&fs->lock);
	c->ns = mnt_ns_get(fs->ns);
	c->root = fs->root;
	c->cwd = fs->cwd;
	c->umask = fs->umask;
	path_get(&c->root);
	path_get(&c->cwd);
	spin_unlock(&fs->lock);
	return c;
}

struct fs_struct *fs_struct_get(struct fs_struct *fs)
{
	__atomic_fetch_add(&fs->refcount, 1, __ATOMIC_RELAXED);
	return fs;
}

void fs_struct_put(struct fs_struct *fs)
{
	if (!fs || __atomic_sub_fetch(&fs->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	path_put(&fs->root);
	path_put(&fs->cwd);
	mnt_ns_put(fs->ns);
	kfree(fs);
}

void fs_get_root(struct fs_struct *fs, struct path *out)
{
	spin_lock(&fs->lock);
	*out = fs->root;
	path_get(out);
	spin_unlock(&fs->lock);
}

void fs_get_cwd(struct fs_struct *fs, struct path *out)
{
	spin_lock(&fs->lock);
	*out = fs->cwd;
	path_get(out);
	spin_unlock(&fs->lock);
}

/* Adds m to the caller's namespace, propagating it. */
static void ns_add(struct mnt_ns *ns, struct mount *m)
{
	mutex_lock(&mount_lock);
	mount_attach_locked(ns, m);
	mutex_unlock(&mount_lock);
}

int vfs_mount_sb(struct fs_struct *fs, struct superblock *sb, const char *target, unsigned flags,
                 const char *source)
{
	struct mount *m;
	struct path mp;
	int err = vfs_walk(fs, target, WALK_FOLLOW | WALK_DIR, &mp);

	if (err < 0)
		return err;
	m = mount_alloc(sb, &mp, flags, source);
	path_put(&mp);
	if (!m)
		return -ENOMEM;
	ns_add(fs->ns, m);
	return 0;
}

static int type_mount(const struct fs_type *type, struct fs_struct *fs, const char *source,
                      unsigned flags, const void *data, struct superblock **sb)
{
	if (type->mount_fs)
		return type->mount_fs(fs, source, flags, data, sb);
	return type->mount(source, flags, data, sb);
}

int vfs_type_mount(struct fs_struct *fs, const struct fs_type *type, const char *source,
                   unsigned flags, const void *data, struct superblock **sb)
{
	return type_mount(type, fs, source, flags, data, sb);
}

int vfs_mount(struct fs_struct *fs, const char *source, const char *target, const char *fstype,
              unsigned flags, const void *data)
{
	const struct fs_type *type;
	struct superblock *sb;
	struct path mp;
	int err;

	if (flags & MS_REMOUNT)
		return vfs_remount(fs, target, flags);
	if (flags & MS_BIND)
		return vfs_bind_path(fs, source, target, flags);
	type = fstype ? vfs_find_fs(fstype) : NULL;
	if (!type)
		return -ENODEV;
	err = vfs_walk(fs, target, WALK_FOLLOW | WALK_DIR, &mp);
	if (err < 0)
		return err;
	err = type_mount(type, fs, source ? source : "none", flags, data, &sb);
	if (err == 0) {
		struct mount *m = mount_alloc(sb, &mp, flags, source);
		if (m)
			ns_add(fs->ns, m);
		else if (type->unmount)
			type->unmount(sb);
		err = m ? 0 : -ENOMEM;
	}
	path_put(&mp);
	return err;
}

int vfs_remount(struct fs_struct *fs, const char *target, unsigned flags)
{
	struct path p;
	int err = vfs_walk(fs, target, WALK_FOLLOW, &p);

	if (err < 0)
		return err;
	if (!vnode_same(p.vn, p.mnt->root))
		err = -EINVAL;
	else
		p.mnt->flags = (p.mnt->flags & ~(unsigned)MS_RDONLY) | (flags & MS_RDONLY);
	path_put(&p);
	return err;
}

/* EBUSY if m is a root, has mounts below it, or is in use by anyone but
 * the namespace's list and the caller's own path. */
static int umount_check(struct fs_struct *fs, struct mount *m)
{
	struct list *pos;

	if (!m->parent || m == fs->root.mnt)
		return -EBUSY;
	list_for_each(pos, &fs->ns->mounts)
	{
		if (list_entry(pos, struct mount, node)->parent == m)
			return -EBUSY;
	}
	if (__atomic_load_n(&m->refcount, __ATOMIC_ACQUIRE) > 2)
		return -EBUSY;
	return 0;
}

int vfs_umount(struct fs_struct *fs, const char *target)
{
	struct path p;
	struct mount *m;
	int err = vfs_walk(fs, target, WALK_FOLLOW, &p);

	if (err < 0)
		return err;
	m = p.mnt;
	if (!vnode_same(p.vn, m->root)) {
		path_put(&p);
		return -EINVAL;
	}
	struct list dropped = LIST_INIT(dropped);
	mutex_lock(&mount_lock);
	mutex_lock(&fs->ns->lock);
	err = m->ns == fs->ns ? umount_check(fs, m) : -EINVAL;
	mutex_unlock(&fs->ns->lock);
	if (err == 0)
		mount_detach_locked(m, &dropped);
	mutex_unlock(&mount_lock);
	path_put(&p);
	mount_drop_list(&dropped);
	return err;
}

/* Appends s to buf at *pos; ERANGE once it does not fit with a NUL. */
static int append(char *buf, size_t n, size_t *pos, const char *s)
{
	size_t len = strlen(s);

	if (*pos + len + 1 > n)
		return -ERANGE;
	memcpy(buf + *pos, s, len + 1);
	*pos += len;
	return 0;
}

/* The per-mount options after rw/ro (/proc/PID/mounts and mountinfo). */
void mount_attr_string(const struct mount *m, char *out, size_t n)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {{MNT_A_NOSUID, ",nosuid"},         {MNT_A_NODEV, ",nodev"},
	             {MNT_A_NOEXEC, ",noexec"},         {MNT_A_NOATIME, ",noatime"},
	             {MNT_A_NODIRATIME, ",nodiratime"}, {MNT_A_NOSYMFOLLOW, ",nosymfollow"}};
	size_t len = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t k = strlen(names[i].name);
		if ((m->attrs & names[i].bit) && len + k < n) {
			memcpy(out + len, names[i].name, k);
			len += k;
		}
	}
	out[len] = 0;
}

static int list_one(struct fs_struct *fs, struct mount *m, char *buf, size_t n, size_t *pos,
                    char *tmp)
{
	struct path p = {.mnt = m, .vn = m->root};
	int err = vfs_path_string(fs, &p, tmp, PATH_MAX);
	char attrs[96];

	if (err == -ENOENT)
		return 0; /* outside fs->root */
	if (err < 0)
		return err;
	if (append(buf, n, pos, m->source) || append(buf, n, pos, " ") ||
	    append(buf, n, pos, tmp) || append(buf, n, pos, " ") ||
	    append(buf, n, pos, m->sb->type->name) ||
	    append(buf, n, pos, path_readonly(&p) ? " ro" : " rw"))
		return -ERANGE;
	mount_attr_string(m, attrs, sizeof(attrs));
	if (append(buf, n, pos, attrs) || append(buf, n, pos, "\n"))
		return -ERANGE;
	return 0;
}

/* Takes a referenced snapshot of the namespace's mounts. */
static struct mount **snapshot_mounts(struct mnt_ns *ns, size_t *count)
{
	struct list *pos;
	struct mount **arr;
	size_t n = 0;

	mutex_lock(&ns->lock);
	list_for_each(pos, &ns->mounts) n++;
	arr = kmalloc((n ? n : 1) * sizeof(*arr));
	n = 0;
	if (arr) {
		list_for_each(pos, &ns->mounts)
		{
			arr[n] = list_entry(pos, struct mount, node);
			mount_get(arr[n++]);
		}
	}
	mutex_unlock(&ns->lock);
	*count = n;
	return arr;
}

int vfs_list_mounts(struct fs_struct *fs, char *buf, size_t n)
{
	size_t count, pos = 0;
	struct mount **arr = snapshot_mounts(fs->ns, &count);
	char *tmp = kmalloc(PATH_MAX);
	int err = (arr && tmp) ? 0 : -ENOMEM;

	if (n == 0)
		err = -ERANGE;
	else
		buf[0] = 0;
	for (size_t i = 0; i < count; i++) {
		if (err == 0)
			err = list_one(fs, arr[i], buf, n, &pos, tmp);
		mount_put(arr[i]);
	}
	kfree(arr);
	kfree(tmp);
	return err < 0 ? err : (int)pos;
}
