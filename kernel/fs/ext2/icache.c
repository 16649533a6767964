/*
 * The ext2 inode cache: one in-memory inode per inode number while it is
 * referenced, so that every vnode of a file sees the same attributes and
 * block map.
 *
 * An in-memory inode counts its references (ip->refs): one per live vnode
 * plus the short ones taken by operations (ext2_iget).  Directory entries
 * hold none.  The VFS frees a vnode after calling release; release clears
 * ip->vn and drops the vnode's reference.  Because vnode_put drops the
 * count to zero before release can take the lock, a lookup may meanwhile
 * find a vnode that is going away: it then makes a second vnode for the
 * same in-memory inode, which lives on until both are gone.
 *
 * The last reference writes the inode back, or, when it has no links
 * left (unlinked, possibly while open), frees its blocks and the inode.
 */
#include "fs/ext2/ext2.h"
#include "mm/kmalloc.h"

static struct list *bucket(struct ext2_fs *fs, uint32_t ino)
{
	return &fs->hash[ino % EXT2_HASH];
}

void ext2_icache_init(struct ext2_fs *fs)
{
	fs->hash = kmalloc(EXT2_HASH * sizeof(struct list));
	if (!fs->hash)
		return;
	for (int i = 0; i < EXT2_HASH; i++)
		list_init(&fs->hash[i]);
}

static struct ext2_inode *find(struct ext2_fs *fs, uint32_t ino)
{
	struct list *head = bucket(fs, ino), *pos;

	list_for_each(pos, head)
	{
		struct ext2_inode *ip = list_entry(pos, struct ext2_inode, hnode);
		if (ip->ino == ino)
			return ip;
	}
	return NULL;
}

int ext2_iget(struct ext2_fs *fs, uint32_t ino, struct ext2_inode **out)
{
	struct ext2_inode *ip = find(fs, ino);
	int err;

	if (ip) {
		ip->refs++;
		*out = ip;
		return 0;
	}
	if (ino == 0 || ino > fs->sb.s_inodes_count)
		return ext2_corrupt(fs, "inode number out of range", ino);
	ip = kzalloc(sizeof(*ip));
	if (!ip)
		return -ENOMEM;
	err = ext2_inode_read(fs, ino, &ip->d);
	if (err < 0) {
		kfree(ip);
		return err;
	}
	ip->fs = fs;
	ip->ino = ino;
	ip->refs = 1;
	list_push_back(bucket(fs, ino), &ip->hnode);
	*out = ip;
	return 0;
}

/* Frees an unlinked inode's blocks, its extended attribute block and the
 * inode itself. */
static void destroy(struct ext2_inode *ip)
{
	struct ext2_fs *fs = ip->fs;
	bool dir = S_ISDIR(ip->d.i_mode);

	if (fs->rdonly)
		return;
	ext2_free_from(ip, 0);
	if (ip->d.i_file_acl) {
		struct buf *b;
		if (ext2_block_ok(fs, ip->d.i_file_acl) &&
		    bread(fs->dev, ip->d.i_file_acl, fs->bsize, &b) == 0) {
			uint32_t *h = (uint32_t *)b->data;
			bool last = h[0] == EXT2_XATTR_MAGIC && h[1] <= 1;
			if (h[0] == EXT2_XATTR_MAGIC && h[1] > 1) {
				h[1]--;
				bdirty(b);
			}
			brelse(b);
			if (last)
				ext2_bfree(fs, ip->d.i_file_acl);
		}
		ip->d.i_file_acl = 0;
	}
	memset(ip->d.i_block, 0, sizeof(ip->d.i_block));
	ip->d.i_size = ip->d.i_size_high = 0;
	ip->d.i_blocks = 0;
	ip->d.i_dtime = ext2_now();
	ip->dirty = true;
	ext2_inode_write(ip);
	ext2_ifree(fs, ip->ino, dir);
}

void ext2_iput(struct ext2_inode *ip)
{
	if (--ip->refs > 0)
		return;
	if (ip->d.i_links_count == 0)
		destroy(ip);
	else if (ip->dirty && !ip->fs->rdonly)
		ext2_inode_write(ip);
	list_remove(&ip->hnode);
	kfree(ip);
}

int ext2_vnode_of(struct ext2_inode *ip, struct vnode **out)
{
	struct vnode *vn = ip->vn;

	/* A vnode at zero references is being released: make another. */
	if (vn) {
		int r = __atomic_load_n(&vn->refcount, __ATOMIC_ACQUIRE);
		while (r > 0 && !__atomic_compare_exchange_n(&vn->refcount, &r, r + 1, false,
		                                             __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			;
		if (r > 0) {
			ext2_iput(ip); /* the vnode already holds one */
			*out = vn;
			return 0;
		}
	}
	vn = vnode_alloc(ip->fs->vsb, &ext2_vops, ip->d.i_mode, ip->ino);
	if (!vn) {
		ext2_iput(ip);
		return -ENOMEM;
	}
	vn->priv = ip;
	ip->vn = vn;
	*out = vn;
	return 0;
}

void ext2_release(struct vnode *vn)
{
	struct ext2_inode *ip = vn->priv;
	struct ext2_fs *fs = ip->fs;

	mutex_lock(&fs->lock);
	if (ip->vn == vn)
		ip->vn = NULL;
	ext2_iput(ip);
	mutex_unlock(&fs->lock);
}

int ext2_icache_sync(struct ext2_fs *fs)
{
	int err = 0;

	for (int i = 0; i < EXT2_HASH; i++) {
		struct list *pos;
		list_for_each(pos, &fs->hash[i])
		{
			struct ext2_inode *ip = list_entry(pos, struct ext2_inode, hnode);
			if (ip->dirty) {
				int e = ext2_inode_write(ip);
				err = err ? err : e;
			}
		}
	}
	return err;
}

void ext2_icache_drop(struct ext2_fs *fs)
{
	if (!fs->hash)
		return;
	for (int i = 0; i < EXT2_HASH; i++) {
		struct list *pos, *tmp;
		list_for_each_safe(pos, tmp, &fs->hash[i])
		{
			struct ext2_inode *ip = list_entry(pos, struct ext2_inode, hnode);
			printk("ext2: inode %u still in use at unmount\n", ip->ino);
			if (ip->vn)
				ip->vn->priv = NULL;
			list_remove(&ip->hnode);
			kfree(ip);
		}
	}
}
