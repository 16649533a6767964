/*
 * Filesystem start-up: fs_init registers the built-in filesystem types
 * (tmpfs, devfs, overlay, ext2, vfat/fat32, proc, sysfs);
 * fs_boot builds the boot namespace (tmpfs root with the initramfs, devfs
 * on /dev, tmpfs on /tmp) and returns the fs_struct init starts with.
 */
#include "fs/devfs.h"
#include "fs/ext2/ext2fs.h"
#include "fs/fat/fatfs.h"
#include "fs/initramfs.h"
#include "fs/lock.h"
#include "fs/overlayfs.h"
#include "fs/procfs/procfs.h"
#include "fs/sysfs/sysfs.h"
#include "fs/tmpfs.h"
#include "fs/vfs_impl.h"

void fs_init(void)
{
	mount_init();
	vfs_lock_init();
	vfs_register_fs(&tmpfs_type);
	vfs_register_fs(&devfs_type);
	vfs_register_fs(&ext2_type);
	vfs_register_fs(&fat_type);
	vfs_register_fs(&fat32_type);
	vfs_register_fs(&overlay_type);
	vfs_register_fs(&procfs_type);
	vfs_register_fs(&sysfs_type);
}

/* Sets the permission bits of what path names, ignoring the umask. */
static void set_mode(struct fs_struct *fs, const char *path, uint32_t mode)
{
	struct vattr va = {.mode = mode};
	struct path p;

	if (vfs_walk(fs, path, WALK_FOLLOW, &p) < 0)
		return;
	if (p.vn->ops->setattr)
		p.vn->ops->setattr(p.vn, &va, VATTR_MODE);
	path_put(&p);
}

/* Mounts fstype on dir (with mount data, or NULL), creating dir if
 * needed. */
static void mount_on(struct fs_struct *fs, const char *dir, const char *fstype, uint32_t mode,
                     const char *data)
{
	int err = vfs_mkdir(fs, dir, mode);

	if (err == 0 || err == -EEXIST)
		err = vfs_mount(fs, fstype, dir, fstype, 0, data);
	if (err < 0) {
		printk("fs: cannot mount %s on %s (%d)\n", fstype, dir, err);
		return;
	}
	set_mode(fs, dir, mode);
}

static struct fs_struct *make_root(void)
{
	struct superblock *sb;
	struct mnt_ns *ns;
	struct fs_struct *fs;

	/* the kernel's own tmpfs mounts have no size limit, as Linux's
	 * internal ones: the system trees must fit whatever RAM there is */
	if (tmpfs_type.mount("rootfs", 0, "mode=755,nr_blocks=0,nr_inodes=0", &sb) < 0)
		return NULL;
	ns = mnt_ns_create(sb);
	if (!ns) {
		tmpfs_type.unmount(sb);
		return NULL;
	}
	fs = fs_struct_create(ns);
	mnt_ns_put(ns);
	return fs;
}

struct fs_struct *fs_boot(const void *initrd, size_t len)
{
	struct fs_struct *fs = make_root();
	int err;

	if (!fs) {
		printk("fs: cannot create the root filesystem\n");
		return NULL;
	}
	/* the system trees get their own mount, read-only once unpacked */
	mount_on(fs, "/system", "tmpfs", 0755, "nr_blocks=0,nr_inodes=0");
	if (initrd && len) {
		err = initramfs_unpack(fs, initrd, len);
		if (err < 0)
			printk("fs: initramfs unpack failed (%d)\n", err);
	}
	err = vfs_remount(fs, "/system", MS_RDONLY);
	if (err < 0)
		printk("fs: cannot make /system read-only (%d)\n", err);
	mount_on(fs, "/dev", "devfs", 0755, NULL);
	/* /tmp is the users': half of RAM, as a tmpfs a user mounts */
	mount_on(fs, "/tmp", "tmpfs", 01777, NULL);
	return fs;
}
