/*
 * FAT nodes and the vnode cache.  FAT has no inode numbers, so a file is
 * known by where its 8.3 entry sits: the first cluster of its parent
 * directory (which never changes while the directory exists) and the
 * slot index there.  The inode number is made from the same pair.
 *
 * While a vnode for a file exists, its fat_node is in fat_fs.nodes, so
 * every lookup of the file finds the same vnode.  A rename moves the
 * node to its new slot (and inode number); an unlink or rmdir of a file
 * still open marks it removed, and its clusters are freed when the last
 * reference goes.  Changes to size, first cluster, attributes and times
 * are written to the 8.3 entry at once (through the block cache).
 */
#include "fs/fat/fat.h"
#include "mm/kmalloc.h"

uint64_t fat_ino(uint32_t dir_clus, uint32_t index)
{
	return (uint64_t)dir_clus << 16 | index;
}

/* vnode_get unless the count already reached zero (being released). */
static bool get_unless_zero(struct vnode *vn)
{
	int c = __atomic_load_n(&vn->refcount, __ATOMIC_RELAXED);

	while (c > 0) {
		if (__atomic_compare_exchange_n(&vn->refcount, &c, c + 1, false, __ATOMIC_ACQ_REL,
		                                __ATOMIC_RELAXED))
			return true;
	}
	return false;
}

struct fat_node *fat_node_find(struct fat_fs *fs, uint32_t dir_clus, uint32_t index)
{
	struct list *pos;

	list_for_each(pos, &fs->nodes)
	{
		struct fat_node *n = list_entry(pos, struct fat_node, link);
		if (n->dir_clus == dir_clus && n->dir_index == index && !n->removed &&
		    __atomic_load_n(&n->vn->refcount, __ATOMIC_RELAXED) > 0)
			return n;
	}
	return NULL;
}

void fat_node_move(struct fat_node *n, uint32_t dir_clus, uint32_t index)
{
	n->dir_clus = dir_clus;
	n->dir_index = index;
	n->vn->ino = fat_ino(dir_clus, index);
}

uint32_t fat_mode_of(uint8_t attr)
{
	if (attr & ATTR_DIRECTORY)
		return S_IFDIR | 0755;
	return S_IFREG | (attr & ATTR_READ_ONLY ? 0444 : 0644);
}

/* Checks the entry's cluster chain against its size. */
static int check_chain(struct fat_fs *fs, const struct fat_dirent *de)
{
	uint32_t first = dirent_cluster(de), len;
	int err;

	if (de->attr & ATTR_DIRECTORY) {
		if (!fat_valid_cluster(fs, first))
			return -EIO;
	} else if (first == 0) {
		return de->size ? -EIO : 0;
	}
	err = fat_chain_len(fs, first, &len);
	if (err < 0)
		return err;
	if (!(de->attr & ATTR_DIRECTORY) && ((uint64_t)len << fs->clus_shift) < de->size)
		return -EIO;
	return 0;
}

static struct fat_node *node_new(struct fat_fs *fs, uint32_t dir_clus, uint32_t index,
                                 const struct fat_dirent *de)
{
	struct fat_node *n = kzalloc(sizeof(*n));

	if (!n)
		return NULL;
	n->vn = vnode_alloc(fs->sb, &fat_vops, fat_mode_of(de->attr), fat_ino(dir_clus, index));
	if (!n->vn) {
		kfree(n);
		return NULL;
	}
	n->vn->priv = n;
	n->dir_clus = dir_clus;
	n->dir_index = index;
	n->first = dirent_cluster(de);
	n->attr = de->attr;
	n->size = de->attr & ATTR_DIRECTORY ? 0 : de->size;
	n->mtime = fat_time_to_ns(de->wrt_date, de->wrt_time, 0);
	n->atime = fat_time_to_ns(de->acc_date, 0, 0);
	n->ctime = n->mtime;
	list_push_back(&fs->nodes, &n->link);
	return n;
}

int fat_node_get(struct fat_fs *fs, struct fat_node *dir, const struct fat_found *f,
                 struct vnode **out)
{
	struct fat_node *n = fat_node_find(fs, dir->first, f->index);
	int err;

	if (n && get_unless_zero(n->vn)) {
		*out = n->vn;
		return 0;
	}
	err = check_chain(fs, &f->de);
	if (err < 0)
		return err;
	n = node_new(fs, dir->first, f->index, &f->de);
	if (!n)
		return -ENOMEM;
	if (fn_is_dir(n))
		n->parent = FN(vnode_get(dir->vn));
	*out = n->vn;
	return 0;
}

struct vnode *fat_root_vnode(struct fat_fs *fs)
{
	struct fat_dirent de = {.attr = ATTR_DIRECTORY};
	struct fat_node *n;

	dirent_set_cluster(&de, fs->root_cluster);
	n = node_new(fs, 0, 0, &de);
	if (!n)
		return NULL;
	n->vn->ino = 1;
	n->parent = n;
	return n->vn;
}

int fat_node_sync(struct fat_fs *fs, struct fat_node *n)
{
	struct fat_dirent de;
	uint16_t date, time;
	int err;

	if (n->dir_clus == 0 || n->removed)
		return 0;
	err = fat_dir_read_entry(fs, n->dir_clus, n->dir_index, &de);
	if (err < 0)
		return err;
	dirent_set_cluster(&de, n->first);
	if (!fn_is_dir(n))
		de.size = n->size;
	de.attr = n->attr;
	fat_ns_to_time(n->mtime, &date, &time, NULL);
	de.wrt_date = date;
	de.wrt_time = time;
	fat_ns_to_time(n->atime, &date, &time, NULL);
	de.acc_date = date;
	return fat_dir_write_entry(fs, n->dir_clus, n->dir_index, &de);
}

void fat_release(struct vnode *vn)
{
	struct fat_node *n = FN(vn), *parent = NULL;
	struct fat_fs *fs = FS(vn);

	mutex_lock(&fs->lock);
	list_remove(&n->link);
	if (n->removed && n->first && fat_free_chain(fs, n->first) < 0)
		printk("fat: %s: broken cluster chain at %u\n", fs->dev->name, n->first);
	if (n->parent != n)
		parent = n->parent;
	mutex_unlock(&fs->lock);
	kfree(n);
	if (parent)
		vnode_put(parent->vn);
}
