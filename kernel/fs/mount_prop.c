/*
 * Changing a mount's propagation (over propagate.c) and
 * /proc/PID/mountinfo, which shows it: shared:N, master:N and
 * propagate_from:N as Linux.  MS_UNBINDABLE is kept per mount (struct
 * mount.unbindable): such a mount cannot be the source of a bind (EINVAL)
 * and a recursive bind leaves it out (ns.c).
 */
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"

/* Is m below top (or top itself)?  ns->lock held. */
static bool mount_under(const struct mount *m, const struct mount *top)
{
	for (; m; m = m->parent)
		if (m == top)
			return true;
	return false;
}

int vfs_path_set_propagation(const struct path *p, enum mount_prop prop, bool rec)
{
	struct mount **sel = NULL;
	struct mnt_ns *ns;
	struct list *pos;
	size_t n = 0, count = 0;

	if (!vnode_same(p->vn, p->mnt->root))
		return -EINVAL; /* not a mount point: Linux's EINVAL */
	mutex_lock(&mount_lock);
	ns = p->mnt->ns;
	if (!ns) {
		mutex_unlock(&mount_lock);
		return -EINVAL;
	}
	/* the mounts first, then the changes: they scan every list */
	mutex_lock(&ns->lock);
	list_for_each(pos, &ns->mounts) count++;
	sel = kmalloc(count * sizeof(*sel));
	list_for_each(pos, &ns->mounts)
	{
		struct mount *m = list_entry(pos, struct mount, node);
		if (sel && (m == p->mnt || (rec && mount_under(m, p->mnt))))
			sel[n++] = m;
	}
	mutex_unlock(&ns->lock);
	for (size_t i = 0; i < n; i++)
		mount_set_prop_locked(sel[i], prop);
	mutex_unlock(&mount_lock);
	kfree(sel);
	return sel ? 0 : -ENOMEM;
}

int vfs_set_propagation(struct fs_struct *fs, const char *target, enum mount_prop prop, bool rec)
{
	struct path p;
	int err = vfs_walk(fs, target, WALK_FOLLOW, &p);

	if (err < 0)
		return err;
	err = vfs_path_set_propagation(&p, prop, rec);
	path_put(&p);
	return err;
}

/* Appends s with mountinfo's escapes (space, tab, newline, backslash as
 * octal); ERANGE once it does not fit with a NUL. */
static int put_escaped(char *buf, size_t n, size_t *pos, const char *s)
{
	for (; *s; s++) {
		char tmp[5];
		size_t len = 1;
		tmp[0] = *s;
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\') {
			fmt_snprintf(tmp, sizeof(tmp), "\\%03o", (unsigned char)*s);
			len = 4;
		}
		if (*pos + len + 1 > n)
			return -ERANGE;
		memcpy(buf + *pos, tmp, len);
		*pos += len;
	}
	buf[*pos] = 0;
	return 0;
}

static int put_plain(char *buf, size_t n, size_t *pos, const char *fmt_s)
{
	size_t len = strlen(fmt_s);
	if (*pos + len + 1 > n)
		return -ERANGE;
	memcpy(buf + *pos, fmt_s, len + 1);
	*pos += len;
	return 0;
}

/* The path of m's root inside its filesystem ("/" unless m is a bind of
 * a subtree): m's root as seen through a mount of the same filesystem's
 * root, less that mount's own path.  "/" when no such mount is visible. */
static void root_in_fs(struct fs_struct *fs, struct mount **all, size_t count, struct mount *m,
                       char *out, char *tmp)
{
	strlcpy(out, "/", PATH_MAX);
	if (vnode_same(m->root, m->sb->root))
		return;
	for (size_t i = 0; i < count; i++) {
		struct mount *r = all[i];
		struct path top = {.mnt = r, .vn = r->root}, inner = {.mnt = r, .vn = m->root};
		if (r->sb != m->sb || !vnode_same(r->root, r->sb->root))
			continue;
		if (vfs_path_string(fs, &top, tmp, PATH_MAX) < 0 ||
		    vfs_path_string(fs, &inner, out, PATH_MAX) < 0) {
			strlcpy(out, "/", PATH_MAX);
			continue;
		}
		size_t skip = strcmp(tmp, "/") == 0 ? 0 : strlen(tmp);
		if (strncmp(out, tmp, skip) == 0)
			memmove(out, out + skip, strlen(out + skip) + 1);
		return;
	}
}

static void cat(char *out, const char *s, size_t n)
{
	size_t len = strlen(out);
	strlcpy(out + len, s, n - len);
}

struct prop_info {
	unsigned group, master, from;
};

/* The master of group g, as any member of it knows; mount_lock held. */
static unsigned master_of(unsigned g)
{
	struct list *npos, *pos;
	unsigned found = 0;

	list_for_each(npos, &all_namespaces)
	{
		struct mnt_ns *ns = list_entry(npos, struct mnt_ns, all);
		mutex_lock(&ns->lock);
		list_for_each(pos, &ns->mounts)
		{
			struct mount *q = list_entry(pos, struct mount, node);
			if (q->group == g && q->master)
				found = q->master;
		}
		mutex_unlock(&ns->lock);
		if (found)
			break;
	}
	return found;
}

/* Is a mount of group g in all (what the reader sees)? */
static bool group_visible(struct mount **all, size_t count, unsigned g)
{
	for (size_t i = 0; i < count; i++)
		if (all[i]->group == g)
			return true;
	return false;
}

/* shared:N, master:N and Linux's propagate_from:N, the nearest group up
 * the master chain that the reader sees, when the master itself is not
 * among its mounts. */
static void prop_info(struct mount **all, size_t count, struct mount *m, struct prop_info *pi)
{
	mutex_lock(&mount_lock);
	pi->group = m->group;
	pi->master = m->master;
	pi->from = 0;
	if (pi->master && !group_visible(all, count, pi->master)) {
		unsigned g = pi->master;
		for (int guard = 0; guard < 16 && g; guard++) {
			g = master_of(g);
			if (g && group_visible(all, count, g)) {
				pi->from = g;
				break;
			}
		}
	}
	mutex_unlock(&mount_lock);
}

static int info_one(struct fs_struct *fs, struct mount **all, size_t count, struct mount *m,
                    char *buf, size_t n, size_t *pos, char *tmp, char *tmp2)
{
	struct path p = {.mnt = m, .vn = m->root};
	struct prop_info pi;
	char head[96], opts[96], fields[64];
	int err = vfs_path_string(fs, &p, tmp, PATH_MAX);

	if (err == -ENOENT)
		return 0; /* outside fs->root */
	if (err < 0)
		return err;
	fmt_snprintf(head, sizeof(head), "%d %d %u:%u ", m->id, m->parent ? m->parent->id : 1,
	             MAJOR(m->sb->dev), MINOR(m->sb->dev));
	root_in_fs(fs, all, count, m, tmp2, tmp2 + PATH_MAX); /* tmp has 3 */
	mount_attr_string(m, opts, sizeof(opts));
	prop_info(all, count, m, &pi);
	fields[0] = 0;
	if (pi.group)
		fmt_snprintf(fields, sizeof(fields), " shared:%u", pi.group);
	if (pi.master)
		fmt_snprintf(fields + strlen(fields), sizeof(fields) - strlen(fields), " master:%u",
		             pi.master);
	if (pi.from)
		fmt_snprintf(fields + strlen(fields), sizeof(fields) - strlen(fields),
		             " propagate_from:%u", pi.from);
	if (m->unbindable)
		cat(fields, " unbindable", sizeof(fields));
	if (put_plain(buf, n, pos, head) || put_escaped(buf, n, pos, tmp2) ||
	    put_plain(buf, n, pos, " ") || put_escaped(buf, n, pos, tmp) ||
	    put_plain(buf, n, pos, path_readonly(&p) ? " ro" : " rw") ||
	    put_plain(buf, n, pos, opts) || put_plain(buf, n, pos, fields) ||
	    put_plain(buf, n, pos, " - ") || put_escaped(buf, n, pos, m->sb->type->name) ||
	    put_plain(buf, n, pos, " ") || put_escaped(buf, n, pos, m->source) ||
	    put_plain(buf, n, pos, (m->sb->flags & MS_RDONLY) ? " ro\n" : " rw\n"))
		return -ERANGE;
	return 0;
}

int vfs_list_mountinfo(struct fs_struct *fs, char *buf, size_t n)
{
	struct mnt_ns *ns = fs_get_ns(fs);
	struct mount **all;
	struct list *pos;
	size_t count = 0, at = 0;
	char *tmp = kmalloc(3 * PATH_MAX);
	int err = tmp ? 0 : -ENOMEM;

	mutex_lock(&ns->lock);
	list_for_each(pos, &ns->mounts) count++;
	all = kmalloc((count ? count : 1) * sizeof(*all));
	count = 0;
	if (all) {
		list_for_each(pos, &ns->mounts)
		{
			all[count] = list_entry(pos, struct mount, node);
			mount_get(all[count++]);
		}
	}
	mutex_unlock(&ns->lock);
	if (!all)
		err = -ENOMEM;
	if (n == 0)
		err = -ERANGE;
	else
		buf[0] = 0;
	for (size_t i = 0; i < count && err == 0; i++)
		err = info_one(fs, all, count, all[i], buf, n, &at, tmp, tmp + PATH_MAX);
	for (size_t i = 0; i < count; i++)
		mount_put(all[i]);
	kfree(all);
	kfree(tmp);
	mnt_ns_put(ns);
	return err < 0 ? err : (int)at;
}
