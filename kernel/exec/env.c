/*
 * ABI environments (see env.h).
 */
#include "exec/env.h"

#include <scarlet/abi.h>

#include "core/kernel.h"
#include "fs/overlayfs.h"
#include "mm/kmalloc.h"
#include "proc/mutex.h"

#define MAX_ENVS 8

static struct fs_struct *global_fs;
static struct mutex env_lock;
static struct {
	const struct abi_module *abi;
	struct fs_struct *fs;
} envs[MAX_ENVS];

void env_init(struct fs_struct *global)
{
	global_fs = fs_struct_get(global);
	mutex_init(&env_lock, "env");
}

struct fs_struct *env_global(void)
{
	return global_fs;
}

/* mkdir -p in the global tree. */
static void make_dirs(const char *path)
{
	char buf[128];
	for (const char *p = strchr(path + 1, '/');; p = strchr(p + 1, '/')) {
		size_t n = p ? (size_t)(p - path) : strlen(path);
		if (n >= sizeof(buf))
			return;
		memcpy(buf, path, n);
		buf[n] = '\0';
		vfs_mkdir(global_fs, buf, 0755);
		if (!p)
			return;
	}
}

/* The overlay that is the root of abi's environment. */
static int make_root(const struct abi_module *abi, struct superblock **sb)
{
	char upper_name[96];
	struct path upper, lower;
	fmt_snprintf(upper_name, sizeof(upper_name), "/data/config/%s", abi->name);
	make_dirs(upper_name);
	int r = vfs_walk(global_fs, upper_name, WALK_FOLLOW | WALK_DIR, &upper);
	if (r < 0)
		return r;
	r = vfs_walk(global_fs, abi->system_root, WALK_FOLLOW | WALK_DIR, &lower);
	if (r == 0) {
		r = overlay_mount_paths(&upper, &lower, 1, sb);
		path_put(&lower);
	}
	path_put(&upper);
	return r;
}

/* Binds global path src at target in fs (creating the directory). */
static int bind_global(struct fs_struct *fs, const char *src, const char *target, unsigned flags)
{
	struct path p;
	int r = vfs_walk(global_fs, src, WALK_FOLLOW | WALK_DIR, &p);
	if (r < 0)
		return r;
	r = vfs_mkdir(fs, target, 0755);
	if (r == 0 || r == -EEXIST)
		r = vfs_bind(fs, global_fs->ns, &p, target, src, flags);
	path_put(&p);
	return r;
}

/* A procfs instance on /proc (creating the directory). */
static int mount_proc(struct fs_struct *fs)
{
	int r = vfs_mkdir(fs, "/proc", 0555);
	if (r == 0 || r == -EEXIST)
		r = vfs_mount(fs, "proc", "/proc", "proc", 0, NULL);
	return r;
}

/* A sysfs instance on /sys (creating the directory). */
static int mount_sys(struct fs_struct *fs)
{
	int r = vfs_mkdir(fs, "/sys", 0555);
	if (r == 0 || r == -EEXIST)
		r = vfs_mount(fs, "sysfs", "/sys", "sysfs", 0, NULL);
	return r;
}

static int build_env(const struct abi_module *abi, struct fs_struct **out)
{
	struct superblock *sb;
	int r = make_root(abi, &sb);
	if (r < 0)
		return r;
	struct fs_struct *fs = fs_struct_clone(global_fs);
	if (!fs)
		return -ENOMEM;
	r = mnt_ns_fresh(fs, sb);
	if (r == 0)
		r = bind_global(fs, "/", "/scarlet", MS_REC);
	if (r == 0)
		r = bind_global(fs, "/dev", "/dev", 0);
	if (r == 0)
		r = bind_global(fs, "/home", "/home", 0);
	if (r == 0)
		r = bind_global(fs, "/tmp", "/tmp", 0);
	if (r == 0)
		r = mount_proc(fs);
	if (r == 0 && abi->has_sysfs)
		r = mount_sys(fs);
	if (r < 0) {
		printk("env: cannot build the %s environment (%d)\n", abi->name, r);
		fs_struct_put(fs);
		return r;
	}
	*out = fs;
	return 0;
}

/* The shared environment of abi, built on first use. */
static int env_of(const struct abi_module *abi, struct fs_struct **out)
{
	int r = 0, i;
	if (!abi->system_root) {
		*out = global_fs;
		return 0;
	}
	mutex_lock(&env_lock);
	for (i = 0; i < MAX_ENVS && envs[i].abi && envs[i].abi != abi; i++)
		;
	if (i == MAX_ENVS) {
		r = -ENOMEM;
	} else if (!envs[i].abi) {
		r = build_env(abi, &envs[i].fs);
		if (r == 0)
			envs[i].abi = abi;
	}
	if (r == 0)
		*out = envs[i].fs;
	mutex_unlock(&env_lock);
	return r;
}

/* The global-tree path of the caller's cwd, or "" if it has none. */
static void global_cwd(const struct abi_module *from_abi, struct fs_struct *from, char *buf,
                       size_t n)
{
	if (vfs_getcwd(from, buf, n) < 0 || !env_path_to_global(from_abi, buf))
		buf[0] = '\0';
}

/* Moves fs's cwd to the global path gpath as seen in abi's tree. */
static void place_cwd(const struct abi_module *abi, struct fs_struct *fs, const char *gpath)
{
	char buf[PATH_MAX / 4];
	if (!gpath[0] || strcmp(gpath, "/") == 0 ||
	    env_path_from_global(abi, gpath, buf, sizeof(buf)) < 0 || vfs_chdir(fs, buf) < 0)
		vfs_chdir(fs, "/");
}

int env_enter(const struct abi_module *abi, const struct abi_module *from_abi,
              struct fs_struct *from, struct fs_struct **out)
{
	struct fs_struct *env;
	int r = env_of(abi, &env);
	if (r < 0)
		return r;
	struct fs_struct *fs = fs_struct_clone(env);
	char *gpath = kmalloc(PATH_MAX / 4);
	if (!fs || !gpath) {
		if (fs)
			fs_struct_put(fs);
		kfree(gpath);
		return -ENOMEM;
	}
	global_cwd(from_abi, from, gpath, PATH_MAX / 4);
	place_cwd(abi, fs, gpath);
	fs->umask = from->umask;
	kfree(gpath);
	*out = fs;
	return 0;
}
