/*
 * FAT directories: a cluster chain of 32-byte slots.  A name is zero or
 * more long-name slots (last part first, each carrying the checksum of
 * the 8.3 name) followed by its 8.3 entry.  A slot whose first byte is
 * 0xe5 is free; 0x00 marks the end (every later slot is free too).
 *
 * Adding a name looks for enough consecutive free slots, else grows the
 * directory by zeroed clusters (at most 65536 slots).  The 8.3 name is
 * the name itself when it fits exactly, else a basis with the smallest
 * unused ~N tail.  Removing marks all of a name's slots 0xe5.
 * Subdirectories start with "." and ".." entries, which are not names.
 */
#include "fs/fat/fat.h"
#include "mm/kmalloc.h"

/* Position in a directory: the cluster and sector buffer of the last
 * slot reached, so that walking slot by slot reads each sector once. */
struct slot_cur {
	struct fat_fs *fs;
	uint32_t first;
	uint32_t clus, clus_idx; /* clus 0: not started */
	struct buf *b;
	uint64_t bsec;
};

static void cur_init(struct slot_cur *cur, struct fat_fs *fs, uint32_t first)
{
	memset(cur, 0, sizeof(*cur));
	cur->fs = fs;
	cur->first = first;
}

static void cur_done(struct slot_cur *cur)
{
	if (cur->b)
		brelse(cur->b);
	cur->b = NULL;
}

/* Moves cur to chain index ci, growing the chain when grow. 1: no such
 * cluster. */
static int cur_seek_cluster(struct slot_cur *cur, uint32_t ci, bool grow)
{
	struct fat_fs *fs = cur->fs;

	if (!cur->clus || ci < cur->clus_idx) {
		if (!fat_valid_cluster(fs, cur->first))
			return -EIO;
		cur->clus = cur->first;
		cur->clus_idx = 0;
	}
	while (cur->clus_idx < ci) {
		uint32_t next;
		int err = fat_next(fs, cur->clus, &next);
		if (err < 0)
			return err;
		if (!next) {
			if (!grow)
				return 1;
			err = fat_alloc(fs, cur->clus, &next);
			if (err < 0)
				return err;
		}
		cur->clus = next;
		cur->clus_idx++;
	}
	return 0;
}

/* The slot at index: 0 and *p, 1 past the end of the directory (its
 * chain, or DIR_MAX_SLOTS), or -errno.  *p stays valid until the next
 * call; after changing it, call bdirty(cur->b). */
static int slot_get(struct slot_cur *cur, uint32_t index, bool grow, uint8_t **p)
{
	struct fat_fs *fs = cur->fs;
	uint32_t per_clus = fs->clus_size / DIRENT_SIZE, off;
	uint64_t sec;
	int err;

	if (index >= DIR_MAX_SLOTS) {
		if (grow)
			return -ENOSPC;
		/* a chain longer than the largest directory is corrupt */
		err = cur_seek_cluster(cur, index / per_clus, false);
		return err == 0 ? -EIO : err;
	}
	err = cur_seek_cluster(cur, index / per_clus, grow);
	if (err)
		return err;
	off = (index % per_clus) * DIRENT_SIZE;
	sec = fat_clus_sector(fs, cur->clus) + off / fs->sec_size;
	if (!cur->b || cur->bsec != sec) {
		cur_done(cur);
		err = bread(fs->dev, sec, fs->sec_size, &cur->b);
		if (err < 0)
			return err;
		cur->bsec = sec;
	}
	*p = (uint8_t *)cur->b->data + off % fs->sec_size;
	return 0;
}

static bool is_lfn(const uint8_t *p)
{
	return (p[11] & ATTR_LFN_MASK) == ATTR_LFN;
}

/* ---------------------------------------------------------- iteration */

struct iter_state {
	struct fat_found f;
	uint16_t units[LFN_MAX_SLOTS * LFN_CHARS];
	int expect; /* next long-name part wanted; 0: complete; -1: none */
	int nparts;
	uint8_t sum;
};

static void lfn_units(const struct fat_lfn *l, uint16_t *out)
{
	memcpy(out, l->name1, 10);
	memcpy(out + 5, l->name2, 12);
	memcpy(out + 11, l->name3, 4);
}

/* Feeds a long-name slot into the state. */
static void iter_lfn(struct iter_state *st, const uint8_t *p, uint32_t index)
{
	struct fat_lfn l;
	int part;

	memcpy(&l, p, sizeof(l));
	part = l.ord & 0x1f;
	if (l.ord & FAT_LFN_LAST) {
		if (part == 0 || part > LFN_MAX_SLOTS || (l.ord & 0x80)) {
			st->expect = -1;
			return;
		}
		st->nparts = part;
		st->sum = l.checksum;
		st->f.start = index;
	} else if (st->expect <= 0 || part != st->expect || l.checksum != st->sum) {
		st->expect = -1;
		return;
	}
	lfn_units(&l, st->units + (part - 1) * LFN_CHARS);
	st->expect = part - 1;
}

/* Fills st->f from an 8.3 entry and the long name before it, if any. */
static void iter_short(struct iter_state *st, const uint8_t *p, uint32_t index)
{
	struct fat_found *f = &st->f;
	size_t n = 0, max;

	memcpy(&f->de, p, sizeof(f->de));
	f->index = index;
	if (st->expect == 0 && st->sum == fat_checksum(f->de.name)) {
		max = (size_t)st->nparts * LFN_CHARS;
		while (n < max && st->units[n] != 0)
			n++;
	} else {
		f->start = index;
	}
	if (n)
		f->len = fat_utf16_to_name(st->units, n, f->name);
	else
		f->len = fat_short_to_name(&f->de, f->name);
	f->name[f->len] = 0;
	st->expect = -1;
}

int fat_dir_iter(struct fat_fs *fs, uint32_t dir, uint32_t *pos,
                 int (*fn)(void *ctx, struct fat_found *f), void *ctx)
{
	struct iter_state *st = kmalloc(sizeof(*st));
	struct slot_cur cur;
	int err = 0;

	if (!st)
		return -ENOMEM;
	st->expect = -1;
	cur_init(&cur, fs, dir);
	for (uint32_t i = *pos;; i++) {
		uint8_t *p;
		err = slot_get(&cur, i, false, &p);
		if (err || p[0] == DIRENT_END) {
			*pos = i;
			break;
		}
		if (p[0] == DIRENT_FREE) {
			st->expect = -1;
		} else if (is_lfn(p)) {
			iter_lfn(st, p, i);
		} else if ((p[11] & ATTR_VOLUME_ID) || p[0] == '.') {
			st->expect = -1;
		} else {
			iter_short(st, p, i);
			*pos = i + 1;
			if (fn(ctx, &st->f)) {
				*pos = st->f.start;
				break;
			}
		}
	}
	cur_done(&cur);
	kfree(st);
	return err == 1 ? 0 : err;
}

/* ------------------------------------------------------------- lookup */

struct find_ctx {
	const char *name;
	size_t len;
	struct fat_found *out;
};

static int find_fn(void *ctx, struct fat_found *f)
{
	struct find_ctx *c = ctx;
	char shortname[16];
	size_t slen;

	if (!fat_name_eq(f->name, f->len, c->name, c->len)) {
		slen = fat_short_to_name(&f->de, shortname);
		if (!fat_name_eq(shortname, slen, c->name, c->len))
			return 0;
	}
	memcpy(c->out, f, sizeof(*f));
	return 1;
}

int fat_dir_find(struct fat_fs *fs, uint32_t dir, const char *name, size_t len, struct fat_found *f)
{
	struct find_ctx c = {.name = name, .len = len, .out = f};
	uint32_t pos = 0;
	int err;

	f->len = 0;
	c.out->index = UINT32_MAX;
	err = fat_dir_iter(fs, dir, &pos, find_fn, &c);
	if (err < 0)
		return err;
	return f->index == UINT32_MAX ? -ENOENT : 0;
}

static int any_fn(void *ctx, struct fat_found *f)
{
	(void)f;
	*(bool *)ctx = true;
	return 1;
}

int fat_dir_is_empty(struct fat_fs *fs, uint32_t dir)
{
	bool found = false;
	uint32_t pos = 0;
	int err = fat_dir_iter(fs, dir, &pos, any_fn, &found);

	return err < 0 ? err : !found;
}

/* --------------------------------------------------------- single slots */

int fat_dir_read_entry(struct fat_fs *fs, uint32_t dir, uint32_t index, struct fat_dirent *de)
{
	struct slot_cur cur;
	uint8_t *p;
	int err;

	cur_init(&cur, fs, dir);
	err = slot_get(&cur, index, false, &p);
	if (err == 0)
		memcpy(de, p, sizeof(*de));
	cur_done(&cur);
	return err == 1 ? -EIO : err;
}

int fat_dir_write_entry(struct fat_fs *fs, uint32_t dir, uint32_t index,
                        const struct fat_dirent *de)
{
	struct slot_cur cur;
	uint8_t *p;
	int err;

	cur_init(&cur, fs, dir);
	err = slot_get(&cur, index, false, &p);
	if (err == 0) {
		memcpy(p, de, sizeof(*de));
		bdirty(cur.b);
	}
	cur_done(&cur);
	return err == 1 ? -EIO : err;
}

int fat_dir_remove(struct fat_fs *fs, uint32_t dir, uint32_t start, uint32_t index)
{
	struct slot_cur cur;
	int err = 0;

	cur_init(&cur, fs, dir);
	for (uint32_t i = start; i <= index && err == 0; i++) {
		uint8_t *p;
		err = slot_get(&cur, i, false, &p);
		if (err == 0) {
			p[0] = DIRENT_FREE;
			bdirty(cur.b);
		}
	}
	cur_done(&cur);
	return err == 1 ? -EIO : err;
}

static int write_dot(struct slot_cur *cur, uint32_t index, const char *name, uint32_t clus,
                     const struct fat_dirent *tmpl)
{
	struct fat_dirent de = *tmpl;
	uint8_t *p;
	int err = slot_get(cur, index, false, &p);

	if (err)
		return err == 1 ? -EIO : err;
	memset(de.name, ' ', 11);
	memcpy(de.name, name, strlen(name));
	de.attr = ATTR_DIRECTORY;
	de.ntres = 0;
	de.size = 0;
	dirent_set_cluster(&de, clus);
	memcpy(p, &de, sizeof(de));
	bdirty(cur->b);
	return 0;
}

int fat_dir_init(struct fat_fs *fs, uint32_t c, uint32_t parent, const struct fat_dirent *tmpl)
{
	struct slot_cur cur;
	int err;

	if (parent == fs->root_cluster)
		parent = 0;
	cur_init(&cur, fs, c);
	err = write_dot(&cur, 0, ".", c, tmpl);
	if (err == 0)
		err = write_dot(&cur, 1, "..", parent, tmpl);
	cur_done(&cur);
	return err;
}

int fat_dir_set_parent(struct fat_fs *fs, uint32_t c, uint32_t parent)
{
	struct fat_dirent de;
	int err = fat_dir_read_entry(fs, c, 1, &de);

	if (err < 0)
		return err;
	if (memcmp(de.name, "..         ", 11) != 0)
		return -EIO;
	dirent_set_cluster(&de, parent == fs->root_cluster ? 0 : parent);
	return fat_dir_write_entry(fs, c, 1, &de);
}

/* ------------------------------------------------------------ insertion */

/* What a scan of the directory finds for a new name. */
struct add_scan {
	uint32_t need;      /* slots wanted */
	uint32_t run_start; /* first of `need` free slots (UINT32_MAX: none) */
	uint32_t end;       /* first slot of the trailing free area */
	bool exact_taken;   /* some entry already has the exact 8.3 name */
	uint8_t *tails;     /* bitmap of ~N numbers in use, or NULL */
};

#define TAIL_LIMIT (DIR_MAX_SLOTS + 2)

static void scan_short(struct add_scan *s, const uint8_t *p, const uint8_t basis[11])
{
	uint32_t n;

	if (memcmp(p, basis, 11) == 0)
		s->exact_taken = true;
	n = s->tails ? fat_tail_number(basis, p) : 0;
	if (n && n < TAIL_LIMIT)
		s->tails[n / 8] |= (uint8_t)(1 << (n % 8));
}

static int scan_dir(struct fat_fs *fs, uint32_t dir, const uint8_t basis[11], struct add_scan *s)
{
	struct slot_cur cur;
	uint32_t run = 0, i;
	int err = 0;

	s->run_start = UINT32_MAX;
	cur_init(&cur, fs, dir);
	for (i = 0;; i++) {
		uint8_t *p;
		err = slot_get(&cur, i, false, &p);
		if (err || p[0] == DIRENT_END)
			break;
		if (p[0] == DIRENT_FREE) {
			if (++run == s->need && s->run_start == UINT32_MAX)
				s->run_start = i + 1 - run;
			continue;
		}
		run = 0;
		if (!is_lfn(p) && !(p[11] & ATTR_VOLUME_ID))
			scan_short(s, p, basis);
	}
	cur_done(&cur);
	s->end = i - run;
	return err == 1 ? 0 : err;
}

static uint32_t first_free_tail(const uint8_t *tails)
{
	for (uint32_t n = 1; n < TAIL_LIMIT; n++) {
		if (!(tails[n / 8] & (1 << (n % 8))))
			return n;
	}
	return 0;
}

/* Writes the long-name parts and the 8.3 entry from slot `at` on. */
static int write_slots(struct fat_fs *fs, uint32_t dir, uint32_t at, const uint16_t *u, int n,
                       int nparts, const struct fat_dirent *de)
{
	uint8_t sum = fat_checksum(de->name);
	struct slot_cur cur;
	uint8_t *p;
	int err = 0;

	cur_init(&cur, fs, dir);
	err = slot_get(&cur, at + (uint32_t)nparts, true, &p); /* grow first */
	for (int k = 0; k <= nparts && err == 0; k++) {
		err = slot_get(&cur, at + (uint32_t)k, true, &p);
		if (err)
			break;
		if (k == nparts) {
			memcpy(p, de, sizeof(*de));
		} else {
			int part = nparts - k; /* 1-based */
			uint16_t units[LFN_CHARS];
			struct fat_lfn l = {.attr = ATTR_LFN, .checksum = sum};
			for (int j = 0; j < LFN_CHARS; j++) {
				int idx = (part - 1) * LFN_CHARS + j;
				units[j] = idx < n ? u[idx] : idx == n ? 0 : 0xffff;
			}
			l.ord = (uint8_t)(part | (k == 0 ? FAT_LFN_LAST : 0));
			memcpy(l.name1, units, 10);
			memcpy(l.name2, units + 5, 12);
			memcpy(l.name3, units + 11, 4);
			memcpy(p, &l, sizeof(l));
		}
		bdirty(cur.b);
	}
	cur_done(&cur);
	return err == 1 ? -EIO : err;
}

/* Picks the 8.3 name: the name itself when exact and free, else
 * basis~N.  *need_lfn tells whether long-name slots are needed. */
static int choose_short(struct fat_fs *fs, uint32_t dir, const char *name, size_t len,
                        struct add_scan *s, uint8_t out[11], bool *need_lfn)
{
	uint8_t basis[11];
	bool exact = fat_short_basis(name, len, basis);
	char shown[16];
	struct fat_dirent tmp;
	uint32_t n;
	int err;

	memcpy(tmp.name, basis, 11);
	tmp.ntres = 0;
	*need_lfn = !exact || fat_short_to_name(&tmp, shown) != len || memcmp(shown, name, len);
	s->tails = exact ? NULL : kzalloc(TAIL_LIMIT / 8 + 1);
	if (!exact && !s->tails)
		return -ENOMEM;
	err = scan_dir(fs, dir, basis, s);
	if (err == 0 && exact && s->exact_taken) {
		/* only a case variant of an existing name: scan again for tails */
		*need_lfn = true;
		s->tails = kzalloc(TAIL_LIMIT / 8 + 1);
		err = s->tails ? scan_dir(fs, dir, basis, s) : -ENOMEM;
		exact = false;
	}
	if (err == 0 && exact) {
		memcpy(out, basis, 11);
	} else if (err == 0) {
		n = first_free_tail(s->tails);
		if (n == 0)
			err = -ENOSPC;
		else
			fat_apply_tail(basis, n, out);
	}
	kfree(s->tails);
	s->tails = NULL;
	return err;
}

int fat_dir_add(struct fat_fs *fs, uint32_t dir, const char *name, size_t len,
                const struct fat_dirent *tmpl, uint32_t *index)
{
	uint16_t *u = kmalloc(LFN_MAX_UNITS * sizeof(uint16_t) + 2);
	struct add_scan s = {0};
	struct fat_dirent de = *tmpl;
	struct fat_found *f = NULL;
	bool need_lfn;
	int n, nparts, err;

	if (!u)
		return -ENOMEM;
	n = fat_name_to_utf16(name, len, u);
	err = n < 0 ? n : 0;
	f = err == 0 ? kmalloc(sizeof(*f)) : NULL;
	if (err == 0 && !f)
		err = -ENOMEM;
	if (err == 0) {
		err = fat_dir_find(fs, dir, name, len, f);
		err = err == 0 ? -EEXIST : err == -ENOENT ? 0 : err;
	}
	s.need = 1;
	if (err == 0) {
		/* the slot count depends on need_lfn: assume the worst first */
		s.need = 1 + (uint32_t)(n + LFN_CHARS - 1) / LFN_CHARS;
		err = choose_short(fs, dir, name, len, &s, de.name, &need_lfn);
	}
	if (err == 0) {
		nparts = need_lfn ? (n + LFN_CHARS - 1) / LFN_CHARS : 0;
		uint32_t at = s.run_start != UINT32_MAX ? s.run_start : s.end;
		if ((uint64_t)at + (uint32_t)nparts + 1 > DIR_MAX_SLOTS)
			err = -ENOSPC;
		else
			err = write_slots(fs, dir, at, u, n, nparts, &de);
		*index = at + (uint32_t)nparts;
	}
	kfree(f);
	kfree(u);
	return err;
}
