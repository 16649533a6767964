/*
 * Mount propagation: peer groups and slaves, as Linux's shared subtrees
 * (mount_namespaces(7)).
 *
 * A mount's propagation is two numbers (struct mount.group, .master):
 * mounts with the same nonzero group are peers, and a mount event (mount
 * or unmount) under one of them happens at the same place under every
 * other; a mount whose master is G receives the events of group G and
 * sends none of its own, unless it is shared too (a group of its own),
 * whose peers and slaves then receive them in turn.  Groups are found by
 * scanning every namespace's mounts under mount_lock, which is also what
 * keeps the numbers and struct mount.ns stable: mount trees are small.
 *
 * A mount event is replicated only where its mount point is visible: in a
 * receiving mount of the same filesystem whose root is the mount point or
 * above it.  Detached trees (mnt_ns.anon) neither send nor receive.
 */
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"

#define PROP_MAX_GROUPS 32

/* Groups a mount event reaches: groups[0], the origin's, then those of
 * shared slaves of reached groups. */
struct reach {
	unsigned groups[PROP_MAX_GROUPS];
	unsigned copy_group[PROP_MAX_GROUPS]; /* the group copies there join */
	size_t n;
};

static unsigned next_group = 1;

unsigned mount_new_group(void)
{
	return next_group++; /* mount_lock held */
}

static int reach_index(const struct reach *r, unsigned g)
{
	for (size_t i = 0; g && i < r->n; i++)
		if (r->groups[i] == g)
			return (int)i;
	return -1;
}

/* Calls fn(m, arg) for every mount of every namespace (anon ones only
 * with anon); stops at a nonzero return.  mount_lock held. */
static int for_each_mount(bool anon, int (*fn)(struct mount *m, void *arg), void *arg)
{
	struct list *npos, *pos;
	int r = 0;

	list_for_each(npos, &all_namespaces)
	{
		struct mnt_ns *ns = list_entry(npos, struct mnt_ns, all);
		if (ns->anon && !anon)
			continue;
		mutex_lock(&ns->lock);
		list_for_each(pos, &ns->mounts)
		{
			if ((r = fn(list_entry(pos, struct mount, node), arg)) != 0)
				break;
		}
		mutex_unlock(&ns->lock);
		if (r)
			break;
	}
	return r;
}

static int add_slave_group(struct mount *q, void *arg)
{
	struct reach *r = arg;

	if (q->group && reach_index(r, q->master) >= 0 && reach_index(r, q->group) < 0 &&
	    r->n < PROP_MAX_GROUPS) {
		r->copy_group[r->n] = 0;
		r->groups[r->n++] = q->group;
		return 1; /* rescan: the list may have grown behind us */
	}
	return 0;
}

static void reach_from(unsigned g, struct reach *r)
{
	r->n = 1;
	r->groups[0] = g;
	r->copy_group[0] = 0;
	while (for_each_mount(false, add_slave_group, r) != 0)
		;
}

/* The mounts receiving an event under origin, referenced. */
struct targets {
	const struct reach *reach;
	const struct mount *origin, *skip;
	struct mount **arr;
	size_t n, cap;
};

static int add_target(struct mount *q, void *arg)
{
	struct targets *t = arg;

	if (q == t->origin || q == t->skip)
		return 0;
	if (reach_index(t->reach, q->group) < 0 && reach_index(t->reach, q->master) < 0)
		return 0;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 8;
		struct mount **arr = kmalloc(cap * sizeof(*arr));
		if (!arr)
			return -ENOMEM;
		memcpy(arr, t->arr, t->n * sizeof(*arr));
		kfree(t->arr);
		t->arr = arr;
		t->cap = cap;
	}
	mount_get(q);
	t->arr[t->n++] = q;
	return 0;
}

static void targets_free(struct targets *t)
{
	for (size_t i = 0; i < t->n; i++)
		mount_put(t->arr[i]);
	kfree(t->arr);
}

/* The mounts receiving what happens under origin, skip (the mount
 * being attached, already listed) left out. */
static int targets_of(struct mount *origin, struct mount *skip, struct reach *r, struct targets *t)
{
	int err;

	reach_from(origin->group, r);
	*t = (struct targets){.reach = r, .origin = origin, .skip = skip};
	err = for_each_mount(false, add_target, t);
	if (err < 0)
		targets_free(t);
	return err;
}

/* Is the mount point (of a mount under parent) visible in q? */
static bool visible_in(struct mount *q, struct mount *parent, struct vnode *mp)
{
	return q->sb == parent->sb && vnode_is_ancestor(q->root, mp);
}

static void add_to_ns(struct mnt_ns *ns, struct mount *m)
{
	mutex_lock(&ns->lock);
	list_push_back(&ns->mounts, &m->node);
	m->ns = ns;
	mutex_unlock(&ns->lock);
}

/* Copies m (just mounted under its shared parent) under every mount the
 * parent propagates to. */
static int propagate_mount(struct mount *m)
{
	struct reach r;
	struct targets t;
	int err = targets_of(m->parent, m, &r, &t);

	for (size_t i = 0; err == 0 && i < t.n; i++) {
		struct mount *q = t.arr[i], *c;
		int slave_group = reach_index(&r, q->group);
		bool peer = q->group == r.groups[0];

		if (!q->ns || !visible_in(q, m->parent, m->mountpoint))
			continue;
		c = mount_new(m->sb, m->root, q, m->mountpoint, m->flags, m->source);
		if (!c) {
			err = -ENOMEM;
			break;
		}
		c->attrs = m->attrs;
		if (peer) {
			c->group = m->group;
			c->master = m->master;
		} else {
			c->master = m->group;
			if (slave_group > 0) {
				if (!r.copy_group[slave_group])
					r.copy_group[slave_group] = mount_new_group();
				c->group = r.copy_group[slave_group];
			}
		}
		add_to_ns(q->ns, c);
	}
	targets_free(&t);
	return err;
}

int mount_attach_locked(struct mnt_ns *ns, struct mount *m)
{
	bool propagate = m->parent && m->parent->group && !ns->anon;

	if (propagate && !m->group)
		m->group = mount_new_group();
	add_to_ns(ns, m); /* first: mountinfo lists mounts in their order */
	return propagate ? propagate_mount(m) : 0;
}

static int group_in_use(struct mount *q, void *arg)
{
	return q->group == *(unsigned *)arg;
}

struct reassign {
	unsigned from, to;
};

static int reassign_one(struct mount *q, void *arg)
{
	struct reassign *ra = arg;

	if (q->master == ra->from)
		q->master = ra->to;
	return 0;
}

void mount_group_left(unsigned group, unsigned master)
{
	struct reassign ra = {.from = group, .to = master};

	if (!group || for_each_mount(true, group_in_use, &group))
		return;
	/* the group is gone: its slaves receive from its master instead */
	for_each_mount(true, reassign_one, &ra);
}

/* Out of its namespace's list, onto dropped (which holds the list's
 * reference now). */
static void take_out(struct mount *m, struct list *dropped)
{
	struct mnt_ns *ns = m->ns;

	mutex_lock(&ns->lock);
	list_remove(&m->node);
	m->ns = NULL;
	mutex_unlock(&ns->lock);
	list_push_back(dropped, &m->node);
}

struct copy_search {
	struct mount *q, *of, *found;
};

static int find_copy(struct mount *c, void *arg)
{
	struct copy_search *s = arg;

	if (c->parent == s->q && c->sb == s->of->sb &&
	    vnode_same(c->mountpoint, s->of->mountpoint) && vnode_same(c->root, s->of->root))
		s->found = c;
	else if (s->found && c->parent == s->found)
		s->found = NULL; /* mounts on it: it stays, as Linux leaves it */
	return 0;
}

void mount_detach_locked(struct mount *m, struct list *dropped)
{
	struct reach r;
	struct targets t;
	unsigned group = m->group, master = m->master;

	take_out(m, dropped);
	if (m->parent && m->parent->group && targets_of(m->parent, m, &r, &t) == 0) {
		for (size_t i = 0; i < t.n; i++) {
			struct copy_search s = {.q = t.arr[i], .of = m};
			for_each_mount(false, find_copy, &s);
			if (!s.found || !s.found->ns ||
			    __atomic_load_n(&s.found->refcount, __ATOMIC_ACQUIRE) > 1)
				continue; /* busy copies stay, as Linux's umount leaves them */
			unsigned g = s.found->group, gm = s.found->master;
			take_out(s.found, dropped);
			mount_group_left(g, gm);
		}
		targets_free(&t);
	}
	mount_group_left(group, master);
}

void mount_drop_list(struct list *l)
{
	while (!list_empty(l)) {
		struct mount *m = list_first_entry(l, struct mount, node);
		list_remove(&m->node);
		mount_put(m);
	}
}

/* Is there another mount in m's group? */
struct peer_search {
	struct mount *m;
	bool found;
};

static int other_peer(struct mount *q, void *arg)
{
	struct peer_search *s = arg;

	if (q != s->m && q->group == s->m->group)
		s->found = true;
	return s->found;
}

void mount_set_prop_locked(struct mount *m, enum mount_prop prop)
{
	unsigned old = m->group, old_master = m->master;
	struct peer_search s = {.m = m};

	switch (prop) {
	case MOUNT_PROP_NONE:
		return;
	case MOUNT_PROP_SHARED:
		if (!m->group)
			m->group = mount_new_group();
		m->unbindable = false;
		return;
	case MOUNT_PROP_SLAVE:
		/* a shared mount with peers receives from them now; without
		 * any it keeps its own master (private if it had none) */
		if (old) {
			for_each_mount(true, other_peer, &s);
			if (s.found)
				m->master = old;
		}
		m->group = 0;
		m->unbindable = false;
		break;
	case MOUNT_PROP_PRIVATE:
	case MOUNT_PROP_UNBINDABLE:
		m->group = 0;
		m->master = 0;
		m->unbindable = prop == MOUNT_PROP_UNBINDABLE;
		break;
	}
	mount_group_left(old, old_master);
}

void mount_attach_tree_locked(struct mnt_ns *ns, struct mount *top, struct list *below)
{
	mount_attach_locked(ns, top);
	while (!list_empty(below)) {
		struct mount *m = list_first_entry(below, struct mount, node);
		list_remove(&m->node);
		mount_attach_locked(ns, m);
	}
}
