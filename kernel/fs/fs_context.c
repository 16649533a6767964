/*
 * Filesystem contexts (fs/fs_context.h).  The options gathered are handed
 * to the filesystem's mount as one "key=value,key" string, the form
 * mount(2)'s data takes, so each filesystem parses them as it does for
 * mount(2).
 */
#include "fs/fs_context.h"
#include "fs/vfs_impl.h"
#include "mm/kmalloc.h"

#define FSCTX_OPTS_MAX 4096
#define FSCTX_LOG_MAX  1024

enum fsctx_state { FSCTX_NEW, FSCTX_CREATED, FSCTX_MOUNTED, FSCTX_FAILED, FSCTX_PICKED };

struct fs_context {
	struct kobj obj;
	struct mutex lock;
	const struct fs_type *type;
	enum fsctx_state state;
	char source[64];
	bool has_source;
	unsigned sb_flags; /* MS_RDONLY */
	char *opts;        /* FSCTX_OPTS_MAX bytes */
	struct superblock *sb;
	struct mount *picked; /* fspick's mount (referenced) */
	char log[FSCTX_LOG_MAX];
};

static const struct kobj_ops fsctx_ops;

static struct fs_context *to_ctx(struct kobj *o)
{
	return container_of(o, struct fs_context, obj);
}

bool fsctx_is(struct kobj *o)
{
	return o && o->ops == &fsctx_ops;
}

static void log_locked(struct fs_context *c, const char *msg)
{
	size_t len = strlen(c->log), n = strlen(msg);

	if (len + n + 2 > sizeof(c->log))
		return; /* Linux drops messages past its ring too */
	memcpy(c->log + len, msg, n);
	c->log[len + n] = '\n';
	c->log[len + n + 1] = 0;
}

void fsctx_log(struct kobj *o, const char *msg)
{
	struct fs_context *c = to_ctx(o);

	mutex_lock(&c->lock);
	log_locked(c, msg);
	mutex_unlock(&c->lock);
}

/* "e TYPE: what" */
static void log_error(struct fs_context *c, const char *what, const char *arg)
{
	char line[160];

	strlcpy(line, "e ", sizeof(line));
	strlcpy(line + strlen(line), c->type->name, sizeof(line) - strlen(line));
	strlcpy(line + strlen(line), ": ", sizeof(line) - strlen(line));
	strlcpy(line + strlen(line), what, sizeof(line) - strlen(line));
	if (arg) {
		strlcpy(line + strlen(line), " '", sizeof(line) - strlen(line));
		strlcpy(line + strlen(line), arg, sizeof(line) - strlen(line));
		strlcpy(line + strlen(line), "'", sizeof(line) - strlen(line));
	}
	log_locked(c, line);
}

static struct fs_context *ctx_alloc(const struct fs_type *type)
{
	struct fs_context *c = kzalloc(sizeof(*c));

	if (!c)
		return NULL;
	c->opts = kzalloc(FSCTX_OPTS_MAX);
	if (!c->opts) {
		kfree(c);
		return NULL;
	}
	kobj_init(&c->obj, &fsctx_ops, KOBJ_READ);
	mutex_init(&c->lock, "fs_context");
	c->type = type;
	return c;
}

int fsctx_open(const char *fstype, struct kobj **out)
{
	const struct fs_type *type = vfs_find_fs(fstype);
	struct fs_context *c;

	if (!type)
		return -ENODEV;
	c = ctx_alloc(type);
	if (!c)
		return -ENOMEM;
	*out = &c->obj;
	return 0;
}

int fsctx_pick(const struct path *p, struct kobj **out)
{
	struct fs_context *c;

	if (!vnode_same(p->vn, p->mnt->root))
		return -EINVAL;
	c = ctx_alloc(p->mnt->sb->type);
	if (!c)
		return -ENOMEM;
	c->state = FSCTX_PICKED;
	c->sb = p->mnt->sb;
	c->picked = p->mnt;
	mount_get(c->picked); /* keeps sb alive */
	c->sb_flags = c->sb->flags & MS_RDONLY;
	*out = &c->obj;
	return 0;
}

/* The parameters Linux's filesystems of these names take (so others are
 * its "Unknown parameter" at once); the ones not listed accept any and
 * leave the checking to their mount. */
static const char *const tmpfs_keys[] = {"size",    "nr_blocks", "nr_inodes", "mode",
                                         "uid",     "gid",       "huge",      "mpol",
                                         "inode32", "inode64",   "noswap",    NULL};
static const char *const proc_keys[] = {"hidepid", "gid", "subset", NULL};
static const char *const sysfs_keys[] = {NULL};
static const char *const overlay_keys[] = {
    "lowerdir", "upperdir", "workdir",    "default_permissions", "redirect_dir",
    "index",    "uuid",     "nfs_export", "userxattr",           "xino",
    "metacopy", "volatile", NULL};

static const struct {
	const char *type;
	const char *const *keys;
} known_keys[] = {
    {"tmpfs", tmpfs_keys}, {"proc", proc_keys}, {"sysfs", sysfs_keys}, {"overlay", overlay_keys}};

static bool key_known(const struct fs_type *type, const char *key)
{
	for (size_t i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++) {
		if (strcmp(known_keys[i].type, type->name) != 0)
			continue;
		for (const char *const *k = known_keys[i].keys; *k; k++)
			if (strcmp(*k, key) == 0)
				return true;
		return false;
	}
	return true;
}

/* Appends key[=value] to the options; EINVAL for what cannot be said in
 * mount(2)'s data string. */
static int add_option(struct fs_context *c, const char *key, const char *value)
{
	size_t len = strlen(c->opts), need = strlen(key) + (value ? strlen(value) + 1 : 0) + 1;

	if (!key_known(c->type, key)) {
		log_error(c, "Unknown parameter", key);
		return -EINVAL;
	}
	if (strchr(key, ',') || strchr(key, '=') || (value && strchr(value, ','))) {
		log_error(c, "Bad value for", key);
		return -EINVAL;
	}
	if (len + need + 1 > FSCTX_OPTS_MAX)
		return -ENOMEM;
	if (len)
		c->opts[len++] = ',';
	strlcpy(c->opts + len, key, FSCTX_OPTS_MAX - len);
	if (value) {
		len = strlen(c->opts);
		c->opts[len++] = '=';
		strlcpy(c->opts + len, value, FSCTX_OPTS_MAX - len);
	}
	return 0;
}

static int settable(struct fs_context *c)
{
	if (c->state == FSCTX_FAILED)
		return -EBUSY;
	if (c->state == FSCTX_CREATED || c->state == FSCTX_MOUNTED)
		return -EBUSY;
	return 0;
}

int fsctx_set_flag(struct kobj *o, const char *key)
{
	struct fs_context *c = to_ctx(o);
	int err;

	mutex_lock(&c->lock);
	err = settable(c);
	if (err == 0 && strcmp(key, "ro") == 0)
		c->sb_flags |= MS_RDONLY;
	else if (err == 0 && strcmp(key, "rw") == 0)
		c->sb_flags &= ~(unsigned)MS_RDONLY;
	else if (err == 0 && strcmp(key, "source") == 0) {
		log_locked(c, "e Non-string source");
		err = -EINVAL;
	} else if (err == 0 && c->state == FSCTX_PICKED) {
		log_error(c, "Unknown parameter", key); /* only ro/rw reconfigure */
		err = -EINVAL;
	} else if (err == 0)
		err = add_option(c, key, NULL);
	mutex_unlock(&c->lock);
	return err;
}

int fsctx_set_string(struct kobj *o, const char *key, const char *value)
{
	struct fs_context *c = to_ctx(o);
	int err;

	mutex_lock(&c->lock);
	err = settable(c);
	if (err == 0 && strcmp(key, "source") == 0) {
		if (c->has_source || c->state == FSCTX_PICKED) {
			log_locked(c, "e Multiple sources");
			err = -EINVAL;
		} else if (strlen(value) >= sizeof(c->source)) {
			err = -EINVAL;
		} else {
			strlcpy(c->source, value, sizeof(c->source));
			c->has_source = true;
		}
	} else if (err == 0 && c->state == FSCTX_PICKED) {
		log_error(c, "Unknown parameter", key);
		err = -EINVAL;
	} else if (err == 0)
		err = add_option(c, key, value);
	mutex_unlock(&c->lock);
	return err;
}

int fsctx_create(struct kobj *o, struct fs_struct *fs, bool excl)
{
	struct fs_context *c = to_ctx(o);
	int err = 0;

	(void)excl; /* every superblock we create is a new one */
	mutex_lock(&c->lock);
	if (c->state != FSCTX_NEW)
		err = -EBUSY;
	if (err == 0) {
		err = vfs_type_mount(fs, c->type, c->has_source ? c->source : "none", c->sb_flags,
		                     c->opts[0] ? c->opts : NULL, &c->sb);
		if (err < 0) {
			c->state = FSCTX_FAILED;
			log_error(c, "could not create the filesystem",
			          c->has_source ? c->source : NULL);
		} else
			c->state = FSCTX_CREATED;
	}
	mutex_unlock(&c->lock);
	return err;
}

int fsctx_reconfigure(struct kobj *o)
{
	struct fs_context *c = to_ctx(o);
	int err = 0;

	mutex_lock(&c->lock);
	if (c->state != FSCTX_PICKED && c->state != FSCTX_CREATED && c->state != FSCTX_MOUNTED)
		err = -EBUSY;
	else if ((c->sb->flags & MS_RDONLY) != c->sb_flags) {
		/* what is in memory reaches the disk before it goes read-only */
		if ((c->sb_flags & MS_RDONLY) && c->sb->type->sync)
			err = c->sb->type->sync(c->sb);
		if (err == 0)
			c->sb->flags = (c->sb->flags & ~(unsigned)MS_RDONLY) | c->sb_flags;
	}
	mutex_unlock(&c->lock);
	return err;
}

int fsctx_mount(struct kobj *o, unsigned mnt_flags, unsigned attrs, struct path *root,
                struct mnt_ns **tree)
{
	struct fs_context *c = to_ctx(o);
	int err;

	mutex_lock(&c->lock);
	if (c->state == FSCTX_MOUNTED)
		err = -EBUSY;
	else if (c->state != FSCTX_CREATED)
		err = -EINVAL;
	else
		err = vfs_tree_new(c->sb, mnt_flags, attrs, c->has_source ? c->source : "none",
		                   root, tree);
	if (err == 0)
		c->state = FSCTX_MOUNTED;
	mutex_unlock(&c->lock);
	return err;
}

/* One message a read: the oldest; ENODATA when there is none, EMSGSIZE
 * when it does not fit (Linux's answers). */
static ssize_t fsctx_read(struct kobj *o, struct iobuf *io)
{
	struct fs_context *c = to_ctx(o);
	ssize_t r;

	mutex_lock(&c->lock);
	char *nl = strchr(c->log, '\n');
	size_t len = nl ? (size_t)(nl - c->log) + 1 : 0; /* with its newline, as Linux */
	if (!nl)
		r = -ENODATA;
	else if (len > io->len)
		r = -EMSGSIZE;
	else if ((r = iobuf_put(io, c->log, len)) == 0) {
		memmove(c->log, nl + 1, strlen(nl + 1) + 1);
		r = (ssize_t)len;
	}
	mutex_unlock(&c->lock);
	return r;
}

static void fsctx_release(struct kobj *o)
{
	struct fs_context *c = to_ctx(o);

	/* a superblock created and never mounted is nobody's */
	if (c->state == FSCTX_CREATED && c->sb->refcount == 0 && c->type->unmount)
		c->type->unmount(c->sb);
	if (c->picked)
		mount_put(c->picked);
	kfree(c->opts);
	kfree(c);
}

static const struct kobj_ops fsctx_ops = {
    .type = "fscontext",
    .read = fsctx_read,
    .release = fsctx_release,
};
