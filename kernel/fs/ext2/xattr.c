/*
 * ext2 extended attributes, in ext2's on-disk format: one block per inode
 * (i_file_acl, counted in i_blocks) holding a header, then entries sorted
 * by (name index, name length, name) growing down from the header, and
 * their values packed at the end of the block growing up.  A name is
 * stored without its namespace prefix, which becomes e_name_index (1
 * user., 4 trusted., 6 security.).  Each entry carries a hash of its name
 * and value, the header a hash of the entries' hashes, as e2fsck checks.
 *
 * Blocks made by Linux may be shared between inodes (h_refcount > 1):
 * such a block is never changed in place; a change gives the inode a
 * block of its own.  Attributes kept inside large inodes (ext4's
 * in-inode area) are not read.
 *
 * A change rebuilds the whole block from the old entries plus or minus
 * one: the block is small (1 to 4 KiB) and changes are rare.
 */
#include "fs/ext2/ext2.h"
#include "mm/kmalloc.h"

#define EXT2_COMPAT_EXT_ATTR 0x0008
#define XATTR_HDR            32
#define ENTRY_HDR            16
#define ENTRY_LEN(n)         ((ENTRY_HDR + (n) + 3u) & ~3u)
#define VALUE_LEN(n)         (((n) + 3u) & ~3u)
#define NAME_HASH_SHIFT      5
#define VALUE_HASH_SHIFT     16
#define BLOCK_HASH_SHIFT     16

struct xattr_header {
	uint32_t h_magic;
	uint32_t h_refcount;
	uint32_t h_blocks;
	uint32_t h_hash;
	uint32_t h_reserved[4];
};

struct xattr_entry {
	uint8_t e_name_len;
	uint8_t e_name_index;
	uint16_t e_value_offs;
	uint32_t e_value_inum;
	uint32_t e_value_size;
	uint32_t e_hash;
	char e_name[];
};

_Static_assert(sizeof(struct xattr_header) == XATTR_HDR, "ext2 xattr header");
_Static_assert(sizeof(struct xattr_entry) == ENTRY_HDR, "ext2 xattr entry");

/* One attribute while a block is rebuilt; name and value point into the
 * old block's copy or the caller's buffer. */
struct xitem {
	uint8_t index;
	uint8_t nlen;
	const char *name;
	uint32_t vlen;
	const char *value;
};

static const struct {
	uint8_t index;
	const char *prefix;
	size_t len;
} prefixes[] = {{1, "user.", 5}, {4, "trusted.", 8}, {6, "security.", 9}};

/* The name index of a whole name and its suffix; -EOPNOTSUPP. */
static int name_index(const char *name, const char **suffix)
{
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		if (strncmp(name, prefixes[i].prefix, prefixes[i].len) == 0) {
			*suffix = name + prefixes[i].len;
			return prefixes[i].index;
		}
	}
	return -EOPNOTSUPP;
}

static const char *index_prefix(uint8_t index, size_t *len)
{
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		if (prefixes[i].index == index) {
			*len = prefixes[i].len;
			return prefixes[i].prefix;
		}
	}
	return NULL;
}

static uint32_t entry_hash(const struct xitem *it)
{
	uint32_t hash = 0;

	for (unsigned i = 0; i < it->nlen; i++)
		hash = (hash << NAME_HASH_SHIFT) ^ (hash >> (32 - NAME_HASH_SHIFT)) ^
		       (unsigned char)it->name[i];
	for (uint32_t i = 0; i < VALUE_LEN(it->vlen); i += 4) {
		uint32_t word = 0;
		for (uint32_t b = 0; b < 4 && i + b < it->vlen; b++)
			word |= (uint32_t)(unsigned char)it->value[i + b] << (8 * b);
		hash = (hash << VALUE_HASH_SHIFT) ^ (hash >> (32 - VALUE_HASH_SHIFT)) ^ word;
	}
	return hash;
}

/* Order of entries in a block. */
static int item_cmp(const struct xitem *a, const struct xitem *b)
{
	if (a->index != b->index)
		return a->index - b->index;
	if (a->nlen != b->nlen)
		return a->nlen - b->nlen;
	return memcmp(a->name, b->name, a->nlen);
}

/* Reads ip's attribute block into blk (fs->bsize bytes) and lists its
 * entries in items (room for fs->bsize / ENTRY_HDR); returns how many, 0
 * without a block, -EIO for a corrupt one. */
static int load(struct ext2_inode *ip, char *blk, struct xitem *items)
{
	struct ext2_fs *fs = ip->fs;
	uint32_t bno = ip->d.i_file_acl, off = XATTR_HDR;
	const struct xattr_header *h = (const void *)blk;
	struct buf *b;
	int n = 0, err;

	if (!bno)
		return 0;
	if (!ext2_block_ok(fs, bno))
		return ext2_corrupt(fs, "bad extended attribute block of inode", ip->ino);
	if ((err = bread(fs->dev, bno, fs->bsize, &b)) < 0)
		return err;
	memcpy(blk, b->data, fs->bsize);
	brelse(b);
	if (h->h_magic != EXT2_XATTR_MAGIC || h->h_blocks != 1)
		return ext2_corrupt(fs, "bad extended attribute block header of inode", ip->ino);
	while (off + 4 <= fs->bsize && *(const uint32_t *)(blk + off) != 0) {
		const struct xattr_entry *e = (const void *)(blk + off);
		if (off + ENTRY_LEN(e->e_name_len) > fs->bsize || e->e_value_inum ||
		    (uint32_t)e->e_value_offs + e->e_value_size > fs->bsize)
			return ext2_corrupt(fs, "bad extended attribute entry of inode", ip->ino);
		items[n++] = (struct xitem){.index = e->e_name_index,
		                            .nlen = e->e_name_len,
		                            .name = e->e_name,
		                            .vlen = e->e_value_size,
		                            .value = blk + e->e_value_offs};
		off += ENTRY_LEN(e->e_name_len);
	}
	return n;
}

/* The position of (index, suffix) in items, or -1. */
static int find(const struct xitem *items, int n, int index, const char *suffix)
{
	struct xitem key = {
	    .index = (uint8_t)index, .nlen = (uint8_t)strlen(suffix), .name = suffix};

	for (int i = 0; i < n; i++)
		if (item_cmp(&items[i], &key) == 0)
			return i;
	return -1;
}

/* Writes the sorted items into out (fs->bsize bytes, zeroed here);
 * -ENOSPC when they do not fit. */
static int encode(struct ext2_fs *fs, const struct xitem *items, int n, char *out)
{
	struct xattr_header *h = (void *)out;
	uint32_t off = XATTR_HDR, voff = fs->bsize, hash = 0;

	memset(out, 0, fs->bsize);
	for (int i = 0; i < n; i++) {
		uint32_t elen = ENTRY_LEN(items[i].nlen), vlen = VALUE_LEN(items[i].vlen);
		if (off + elen + 4 + vlen > voff)
			return -ENOSPC;
		struct xattr_entry *e = (void *)(out + off);
		voff -= vlen;
		memcpy(out + voff, items[i].value, items[i].vlen);
		e->e_name_len = items[i].nlen;
		e->e_name_index = items[i].index;
		e->e_value_offs = (uint16_t)voff;
		e->e_value_size = items[i].vlen;
		e->e_hash = entry_hash(&items[i]);
		memcpy(e->e_name, items[i].name, items[i].nlen);
		hash = (hash << BLOCK_HASH_SHIFT) ^ (hash >> (32 - BLOCK_HASH_SHIFT)) ^ e->e_hash;
		off += elen;
	}
	h->h_magic = EXT2_XATTR_MAGIC;
	h->h_refcount = 1;
	h->h_blocks = 1;
	h->h_hash = hash;
	return 0;
}

/* Lets go of ip's block: frees it, or drops one reference when shared. */
static int drop_block(struct ext2_inode *ip)
{
	struct ext2_fs *fs = ip->fs;
	uint32_t bno = ip->d.i_file_acl;
	struct buf *b;
	bool last = true;
	int err = bread(fs->dev, bno, fs->bsize, &b);

	if (err < 0)
		return err;
	struct xattr_header *h = (void *)b->data;
	if (h->h_refcount > 1) {
		h->h_refcount--;
		bdirty(b);
		last = false;
	}
	brelse(b);
	if (last)
		ext2_bfree(fs, bno);
	ip->d.i_file_acl = 0;
	if (ip->d.i_blocks >= fs->bsize / 512)
		ip->d.i_blocks -= fs->bsize / 512;
	ip->dirty = true;
	return 0;
}

/* Stores the block image img as ip's attribute block: in place when ip
 * owns its block alone, else in a new block. */
static int store(struct ext2_inode *ip, const char *img, bool shared)
{
	struct ext2_fs *fs = ip->fs;
	uint32_t bno = ip->d.i_file_acl;
	struct buf *b;
	int err;

	if (bno && shared && (err = drop_block(ip)) < 0)
		return err;
	if (!ip->d.i_file_acl) {
		uint32_t g = (ip->ino - 1) / fs->sb.s_inodes_per_group;
		err = ext2_balloc(fs, fs->sb.s_first_data_block + g * fs->sb.s_blocks_per_group,
		                  &bno);
		if (err < 0)
			return err;
		ip->d.i_file_acl = bno;
		ip->d.i_blocks += fs->bsize / 512;
		ip->dirty = true;
		if (!(fs->sb.s_feature_compat & EXT2_COMPAT_EXT_ATTR)) {
			fs->sb.s_feature_compat |= EXT2_COMPAT_EXT_ATTR;
			fs->dirty = true;
		}
		err = bget_zeroed(fs->dev, bno, fs->bsize, &b);
	} else
		err = bread(fs->dev, bno, fs->bsize, &b);
	if (err < 0)
		return err;
	memcpy(b->data, img, fs->bsize);
	bdirty(b);
	brelse(b);
	return 0;
}

/* Scratch memory of one operation: the old block and its items. */
struct xscratch {
	char *blk;
	char *img;
	struct xitem *items;
};

static int scratch_get(struct ext2_fs *fs, struct xscratch *s)
{
	s->blk = kmalloc(fs->bsize);
	s->img = kmalloc(fs->bsize);
	s->items = kmalloc((fs->bsize / ENTRY_HDR + 1) * sizeof(struct xitem));
	return s->blk && s->img && s->items ? 0 : -ENOMEM;
}

static void scratch_put(struct xscratch *s)
{
	kfree(s->blk);
	kfree(s->img);
	kfree(s->items);
}

int ext2_getxattr(struct vnode *vn, const char *name, void *buf, size_t size)
{
	struct ext2_fs *fs = EXT2_FS(vn);
	struct xscratch s;
	const char *suffix;
	int index = name_index(name, &suffix), n, i;

	if (index < 0)
		return index;
	if ((n = scratch_get(fs, &s)) == 0) {
		mutex_lock(&fs->lock);
		n = load(vn->priv, s.blk, s.items);
		mutex_unlock(&fs->lock);
	}
	if (n >= 0) {
		i = find(s.items, n, index, suffix);
		if (i < 0)
			n = -ENODATA;
		else if (size && s.items[i].vlen > size)
			n = -ERANGE;
		else {
			if (size)
				memcpy(buf, s.items[i].value, s.items[i].vlen);
			n = (int)s.items[i].vlen;
		}
	}
	scratch_put(&s);
	return n;
}

int ext2_listxattr(struct vnode *vn, char *buf, size_t size)
{
	struct ext2_fs *fs = EXT2_FS(vn);
	struct xscratch s;
	size_t len = 0, plen;
	int n;

	if ((n = scratch_get(fs, &s)) == 0) {
		mutex_lock(&fs->lock);
		n = load(vn->priv, s.blk, s.items);
		mutex_unlock(&fs->lock);
	}
	for (int i = 0; i < n; i++) {
		const char *prefix = index_prefix(s.items[i].index, &plen);
		if (!prefix)
			continue; /* ACLs and other namespaces we do not serve */
		size_t need = plen + s.items[i].nlen + 1;
		if (size && len + need > size) {
			n = -ERANGE;
			break;
		}
		if (size) {
			memcpy(buf + len, prefix, plen);
			memcpy(buf + len + plen, s.items[i].name, s.items[i].nlen);
			buf[len + need - 1] = 0;
		}
		len += need;
	}
	scratch_put(&s);
	return n < 0 ? n : (int)len;
}

/* Set (value non-NULL) or remove (value NULL) under the fs lock. */
static int change_locked(struct ext2_inode *ip, struct xscratch *s, int index, const char *suffix,
                         const void *value, size_t size, int flags)
{
	struct ext2_fs *fs = ip->fs;
	int n = load(ip, s->blk, s->items), i, err;
	bool shared = n >= 0 && ip->d.i_file_acl && ((struct xattr_header *)s->blk)->h_refcount > 1;
	struct xitem it = {.index = (uint8_t)index,
	                   .nlen = (uint8_t)strlen(suffix),
	                   .name = suffix,
	                   .vlen = (uint32_t)size,
	                   .value = value};

	if (n < 0)
		return n;
	i = find(s->items, n, index, suffix);
	if (i >= 0 && (flags & XATTR_CREATE))
		return -EEXIST;
	if (i < 0 && (!value || (flags & XATTR_REPLACE)))
		return -ENODATA;
	if (i >= 0) /* out of the list, replaced below if set */
		memmove(&s->items[i], &s->items[i + 1], (size_t)(n - i - 1) * sizeof(it));
	n -= i >= 0;
	if (value) {
		for (i = n; i > 0 && item_cmp(&s->items[i - 1], &it) > 0; i--)
			s->items[i] = s->items[i - 1];
		s->items[i] = it;
		n++;
	}
	if (n == 0)
		err = ip->d.i_file_acl ? drop_block(ip) : 0;
	else if ((err = encode(fs, s->items, n, s->img)) == 0)
		err = store(ip, s->img, shared);
	if (err == 0)
		ext2_touch(ip, false, true);
	return err;
}

static int change(struct vnode *vn, const char *name, const void *value, size_t size, int flags)
{
	struct ext2_fs *fs = EXT2_FS(vn);
	struct xscratch s;
	const char *suffix;
	int index = name_index(name, &suffix), err;

	if (index < 0)
		return index;
	if (fs->rdonly)
		return -EROFS;
	/* Linux's limit: a value larger than a block can never fit */
	if (value && size > fs->bsize)
		return -ERANGE;
	if ((err = scratch_get(fs, &s)) == 0) {
		mutex_lock(&fs->lock);
		err = change_locked(vn->priv, &s, index, suffix, value, size, flags);
		mutex_unlock(&fs->lock);
	}
	scratch_put(&s);
	return err;
}

int ext2_setxattr(struct vnode *vn, const char *name, const void *value, size_t size, int flags)
{
	static const char empty[1];

	return change(vn, name, value ? value : empty, size, flags);
}

int ext2_removexattr(struct vnode *vn, const char *name)
{
	return change(vn, name, NULL, 0, 0);
}
