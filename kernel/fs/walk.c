/*
 * Path walk: vfs_walk and vfs_walk_parent resolve a path string in a
 * task's fs_struct to a referenced (mount, vnode) pair, component by
 * component.  "." and ".." are handled here (".." never climbs above
 * fs->root and steps out of a mount to its mountpoint), mounts are
 * crossed downwards, and symlinks are expanded in place in a PATH_MAX
 * work buffer (no recursion), up to SYMLINK_MAX_FOLLOW times.
 *
 * Also vfs_path_string, the reverse: from a path back to a string, by
 * looking up ".." and searching the parent for the child's inode number.
 */
#include "fs/permission.h"
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"

struct walk {
	struct fs_struct *fs;
	struct path root;        /* referenced */
	struct path cur;         /* referenced: the directory reached so far */
	char *buf;               /* PATH_MAX: the path still to resolve */
	char *link;              /* PATH_MAX: a symlink's target, allocated on demand */
	size_t len;              /* of buf */
	int links;               /* symlinks followed */
	unsigned resolve;        /* WALK_RES_* of the fs_struct */
	struct mount *start_mnt; /* where the walk began (WALK_RES_NO_XDEV) */
	/* optional (vfs_walk_last): where the final name was found */
	struct path *last_dir;
	char *last_name;
};

int vnode_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	if (!S_ISDIR(dir->mode) || !dir->ops->lookup)
		return -ENOTDIR;
	return dir->ops->lookup(dir, name, len, out);
}

/* Replaces *p by the root of whatever is mounted on it, repeatedly. */
static void cross_mounts(struct mnt_ns *ns, struct path *p)
{
	struct mount *m;

	while ((m = mount_covering(ns, p->mnt, p->vn)) != NULL) {
		path_put(p);
		p->mnt = m; /* reference from mount_covering */
		p->vn = vnode_get(m->root);
	}
}

/* Moves *p to its parent, staying inside root (or EXDEV at root for
 * WALK_RES_BENEATH). */
static int step_up(const struct path *root, struct path *p, unsigned resolve)
{
	struct vnode *parent;
	int err;

	for (;;) {
		if (path_same(p, root))
			return (resolve & WALK_RES_BENEATH) ? -EXDEV : 0;
		if (!vnode_same(p->vn, p->mnt->root) || !p->mnt->parent)
			break;
		struct path up = {.mnt = p->mnt->parent, .vn = p->mnt->mountpoint};
		path_get(&up);
		path_put(p);
		*p = up;
	}
	err = vnode_lookup(p->vn, "..", 2, &parent);
	if (err < 0)
		return err;
	vnode_put(p->vn);
	p->vn = parent;
	return 0;
}

static int lookup_in(struct fs_struct *fs, const struct path *root, const struct path *dir,
                     const char *name, size_t len, unsigned resolve, struct path *out)
{
	struct vnode *vn;
	int err;

	if (!S_ISDIR(dir->vn->mode))
		return -ENOTDIR;
	if ((err = vfs_permission(dir->vn, MAY_EXEC)) < 0)
		return err;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	*out = *dir;
	path_get(out);
	if (name_is_dot(name, len))
		return 0;
	if (name_is_dotdot(name, len))
		err = step_up(root, out, resolve);
	else if ((err = vnode_lookup(dir->vn, name, len, &vn)) == 0) {
		vnode_put(out->vn);
		out->vn = vn;
		cross_mounts(fs->ns, out);
	}
	if (err < 0)
		path_put(out);
	return err;
}

int walk_lookup(struct fs_struct *fs, const struct path *dir, const char *name, size_t len,
                struct path *out)
{
	struct path root;
	int err;

	fs_get_root(fs, &root);
	err = lookup_in(fs, &root, dir, name, len, 0, out);
	path_put(&root);
	return err;
}

static int walk_begin(struct walk *w, struct fs_struct *fs, const char *path, size_t len,
                      bool absolute)
{
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	w->buf = kmalloc(PATH_MAX);
	if (!w->buf)
		return -ENOMEM;
	w->link = NULL;
	memcpy(w->buf, path, len);
	w->len = len;
	w->fs = fs;
	w->links = 0;
	w->last_dir = NULL;
	w->last_name = NULL;
	w->resolve = fs->resolve;
	if (absolute && (w->resolve & WALK_RES_BENEATH)) {
		kfree(w->buf);
		return -EXDEV;
	}
	fs_get_root(fs, &w->root);
	if (absolute) {
		w->cur = w->root;
		path_get(&w->cur);
	} else {
		fs_get_cwd(fs, &w->cur);
	}
	w->start_mnt = w->cur.mnt;
	return 0;
}

static void walk_end(struct walk *w)
{
	path_put(&w->cur);
	path_put(&w->root);
	kfree(w->buf);
	kfree(w->link);
}

/* Splices the target of the symlink `link` in place of buf[0, end). */
/* A link that names an object rather than a path (a namespace file):
 * a magic link for the walk restrictions, as Linux's. */
static int follow_object(struct walk *w, struct path *link, struct path *to)
{
	if (link->mnt->attrs & MNT_A_NOSYMFOLLOW)
		return -ELOOP;
	if (w->resolve & (WALK_RES_NO_SYMLINKS | WALK_RES_NO_MAGICLINKS))
		return -ELOOP;
	if (w->resolve & (WALK_RES_BENEATH | WALK_RES_IN_ROOT))
		return -EXDEV;
	return link->vn->ops->follow(link, to);
}

static int follow_link(struct walk *w, struct path *link, size_t end)
{
	size_t rest = w->len - end;
	int n;

	if (++w->links > SYMLINK_MAX_FOLLOW)
		return -ELOOP;
	if (w->resolve & WALK_RES_NO_SYMLINKS)
		return -ELOOP;
	if (link->mnt->attrs & MNT_A_NOSYMFOLLOW)
		return -ELOOP; /* a nosymfollow mount */
	if (link->vn->ops->magic_link && (w->resolve & WALK_RES_NO_MAGICLINKS))
		return -ELOOP;
	if (link->vn->ops->magic_link && (w->resolve & (WALK_RES_BENEATH | WALK_RES_IN_ROOT)))
		return -EXDEV; /* it names an object anywhere, not a path inside */
	if (!link->vn->ops->readlink)
		return -EINVAL;
	if (!w->link && !(w->link = kmalloc(PATH_MAX)))
		return -ENOMEM;
	n = link->vn->ops->readlink(link->vn, w->link, PATH_MAX);
	if (n < 0)
		return n;
	if (n == 0)
		return -ENOENT;
	if ((size_t)n + rest >= PATH_MAX)
		return -ENAMETOOLONG;
	memmove(w->buf + n, w->buf + end, rest);
	memcpy(w->buf, w->link, n);
	w->len = n + rest;
	if (w->link[0] == '/') {
		if (w->resolve & WALK_RES_BENEATH)
			return -EXDEV;
		if ((w->resolve & WALK_RES_NO_XDEV) && w->root.mnt != w->cur.mnt)
			return -EXDEV;
		path_put(&w->cur);
		w->cur = w->root;
		path_get(&w->cur);
	}
	return 0;
}

/* Remembers that the final component name was found in w->cur ("." and
 * ".." name nothing). */
static void record_last(struct walk *w, const char *name, size_t len)
{
	if (w->last_dir->vn)
		path_put(w->last_dir);
	if (name_is_dot(name, len) || name_is_dotdot(name, len))
		return;
	*w->last_dir = w->cur;
	path_get(w->last_dir);
	memcpy(w->last_name, name, len);
	w->last_name[len] = '\0';
}

/* Resolves w->buf from w->cur; on success w->cur is the result. */
static int walk_run(struct walk *w, unsigned flags)
{
	size_t pos = 0, end, next;
	bool must_dir = false, last, trailing;
	struct path p;
	int err;

	for (;;) {
		while (pos < w->len && w->buf[pos] == '/')
			pos++;
		if (pos == w->len)
			break;
		for (end = pos; end < w->len && w->buf[end] != '/'; end++)
			;
		for (next = end; next < w->len && w->buf[next] == '/'; next++)
			;
		last = next == w->len;
		trailing = last && end < w->len;
		err = lookup_in(w->fs, &w->root, &w->cur, w->buf + pos, end - pos, w->resolve, &p);
		if (err < 0)
			return err;
		if ((w->resolve & WALK_RES_NO_XDEV) && p.mnt != w->start_mnt) {
			path_put(&p);
			return -EXDEV;
		}
		if (S_ISLNK(p.vn->mode) && p.vn->ops->follow &&
		    (!last || trailing || (flags & WALK_FOLLOW))) {
			struct path to;
			err = (!last || trailing) ? -ENOTDIR : follow_object(w, &p, &to);
			path_put(&p);
			if (err < 0)
				return err;
			path_put(&w->cur);
			w->cur = to;
			pos = end;
			continue;
		}
		if (S_ISLNK(p.vn->mode) && (!last || trailing || (flags & WALK_FOLLOW))) {
			err = follow_link(w, &p, end);
			path_put(&p);
			if (err < 0)
				return err;
			pos = 0;
			continue;
		}
		if (last && w->last_dir)
			record_last(w, w->buf + pos, end - pos);
		path_put(&w->cur);
		w->cur = p;
		pos = end;
		must_dir = trailing;
	}
	if ((must_dir || (flags & WALK_DIR)) && !S_ISDIR(w->cur.vn->mode))
		return -ENOTDIR;
	return 0;
}

static int walk_n(struct fs_struct *fs, const char *path, size_t len, bool absolute, unsigned flags,
                  struct path *out, struct path *last_dir, char *last_name)
{
	struct walk w;
	int err = walk_begin(&w, fs, path, len, absolute);

	if (err < 0)
		return err;
	w.last_dir = last_dir;
	w.last_name = last_name;
	err = walk_run(&w, flags);
	if (err == 0) {
		*out = w.cur;
		w.cur.mnt = NULL;
		w.cur.vn = NULL;
	}
	walk_end(&w);
	return err;
}

int vfs_walk(struct fs_struct *fs, const char *path, unsigned flags, struct path *out)
{
	size_t len = strnlen(path, PATH_MAX);

	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	if (len == 0)
		return -ENOENT;
	return walk_n(fs, path, len, path[0] == '/', flags, out, NULL, NULL);
}

int vfs_walk_last(struct fs_struct *fs, const char *path, unsigned flags, struct path *out,
                  struct path *dir, char *name)
{
	size_t len = strnlen(path, PATH_MAX);
	int err;

	dir->mnt = NULL;
	dir->vn = NULL;
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	if (len == 0)
		return -ENOENT;
	err = walk_n(fs, path, len, path[0] == '/', flags, out, dir, name);
	if (err < 0 && dir->vn)
		path_put(dir);
	return err;
}

int vfs_walk_parent(struct fs_struct *fs, const char *path, struct path *parent, const char **name,
                    size_t *len, bool *trailing_slash)
{
	size_t plen = strnlen(path, PATH_MAX), end, start;

	if (plen >= PATH_MAX)
		return -ENAMETOOLONG;
	if (plen == 0)
		return -ENOENT;
	for (end = plen; end > 0 && path[end - 1] == '/'; end--)
		;
	for (start = end; start > 0 && path[start - 1] != '/'; start--)
		;
	*trailing_slash = end < plen && end > 0;
	if (end == 0) {
		*name = ".";
		*len = 1;
	} else {
		*name = path + start;
		*len = end - start;
	}
	if (*len > NAME_MAX)
		return -ENAMETOOLONG;
	return walk_n(fs, path, start, path[0] == '/', WALK_FOLLOW | WALK_DIR, parent, NULL, NULL);
}

struct name_search {
	uint64_t ino;
	char *name;
	size_t len;
	bool found;
};

static int match_ino(void *ctx, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	struct name_search *s = ctx;

	(void)dtype;
	if (ino != s->ino || name_is_dot(name, len) || name_is_dotdot(name, len))
		return 0;
	memcpy(s->name, name, len);
	s->len = len;
	s->found = true;
	return 1;
}

/* Finds the name of child in dir; ENOENT if none. */
static int name_in_dir(struct vnode *dir, struct vnode *child, char *name, size_t *len)
{
	struct name_search s = {.ino = child->ino, .name = name};
	uint64_t cookie = 0;
	int err;

	if (!dir->ops->readdir)
		return -ENOENT;
	err = dir->ops->readdir(dir, &cookie, match_ino, &s);
	if (err < 0)
		return err;
	*len = s.len;
	return s.found ? 0 : -ENOENT;
}

/* Prepends "/name" of p in its parent to tmp[*pos...] and moves p up. */
static int prepend_parent(struct path *p, char *tmp, size_t *pos, char *name)
{
	struct vnode *parent;
	size_t len;
	int err = vnode_lookup(p->vn, "..", 2, &parent);

	if (err < 0)
		return err;
	err = name_in_dir(parent, p->vn, name, &len);
	if (err == 0 && len + 1 > *pos)
		err = -ENAMETOOLONG;
	if (err < 0) {
		vnode_put(parent);
		return err;
	}
	*pos -= len;
	memcpy(tmp + *pos, name, len);
	tmp[--*pos] = '/';
	vnode_put(p->vn);
	p->vn = parent;
	return 0;
}

static int build_path(const struct path *root, struct path *p, char *tmp, size_t *pos)
{
	char name[NAME_MAX + 1];
	int err = 0;

	tmp[--*pos] = 0;
	for (int guard = 0; err == 0 && !path_same(p, root); guard++) {
		if (guard > PATH_MAX)
			return -ENAMETOOLONG;
		if (vnode_same(p->vn, p->mnt->root)) {
			if (!p->mnt->parent)
				return -ENOENT;
			struct path up = {.mnt = p->mnt->parent, .vn = p->mnt->mountpoint};
			path_get(&up);
			path_put(p);
			*p = up;
			continue;
		}
		err = prepend_parent(p, tmp, pos, name);
	}
	if (err == 0 && *pos == PATH_MAX - 1)
		tmp[--*pos] = '/';
	return err;
}

int vfs_path_string(struct fs_struct *fs, const struct path *p, char *buf, size_t n)
{
	struct path root, cur = *p;
	char *tmp = kmalloc(PATH_MAX);
	size_t pos = PATH_MAX, len;
	int err;

	if (!tmp)
		return -ENOMEM;
	fs_get_root(fs, &root);
	path_get(&cur);
	err = build_path(&root, &cur, tmp, &pos);
	path_put(&cur);
	path_put(&root);
	len = PATH_MAX - 1 - pos;
	if (err == 0 && len + 1 > n)
		err = -ERANGE;
	if (err == 0) {
		memcpy(buf, tmp + pos, len + 1);
		err = (int)len;
	}
	kfree(tmp);
	return err;
}
