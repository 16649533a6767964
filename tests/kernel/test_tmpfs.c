/*
 * The VFS over a private tmpfs namespace (fs/vfs.h).  VFS calls take
 * mutexes, which work from the boot context as long as nothing contends:
 * the namespace here is the test's alone.
 */
#include <scarlet/abi.h>

#include "core/kernel.h"
#include "core/ktest.h"
#include "fs/tmpfs.h"
#include "fs/vfs.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "obj/kobj.h"

static struct fs_struct *private_root(void)
{
	struct superblock *sb;
	if (tmpfs_type.mount("none", 0, NULL, &sb) < 0)
		return NULL;
	struct mnt_ns *ns = mnt_ns_create(sb);
	if (!ns) {
		tmpfs_type.unmount(sb);
		return NULL;
	}
	struct fs_struct *fs = fs_struct_create(ns);
	mnt_ns_put(ns);
	return fs;
}

static ssize_t obj_write(struct kobj *o, const void *buf, size_t n)
{
	struct iobuf io = iobuf_kernel((void *)buf, n);
	return kobj_write(o, &io);
}

static ssize_t obj_read(struct kobj *o, void *buf, size_t n)
{
	struct iobuf io = iobuf_kernel(buf, n);
	return kobj_read(o, &io);
}

/* Creates, writes, reads back, renames and removes files and dirs. */
static void tmpfs_session(int *ktest_failures)
{
	static char big[10000], back[10000];
	struct fs_struct *fs = private_root();
	struct kobj *f = NULL;
	struct vattr va;
	KT_CHECK(fs != NULL);
	if (!fs)
		return;
	KT_CHECK(vfs_mkdir(fs, "/d", 0755) == 0);
	KT_CHECK(vfs_mkdir(fs, "/d", 0755) == -EEXIST);
	KT_CHECK(vfs_open(fs, "/d/f", O_RDWR | O_CREAT, 0644, &f) == 0);
	if (f) {
		for (size_t i = 0; i < sizeof(big); i++)
			big[i] = (char)(i * 3 + 1);
		KT_CHECK(obj_write(f, big, sizeof(big)) == (ssize_t)sizeof(big));
		KT_CHECK(kobj_seek(f, 0, SEEK_SET) == 0);
		memset(back, 0, sizeof(back));
		KT_CHECK(obj_read(f, back, sizeof(back)) == (ssize_t)sizeof(back));
		KT_CHECK(memcmp(big, back, sizeof(big)) == 0);
		KT_CHECK(obj_read(f, back, 10) == 0); /* end of file */
		KT_CHECK(kobj_stat(f, &va) == 0);
		KT_CHECK((va.mode & S_IFMT) == S_IFREG);
		KT_CHECK(va.size == sizeof(big));
		/* a sparse write past the end reads back zeros in the gap */
		KT_CHECK(kobj_seek(f, 20000, SEEK_SET) == 20000);
		KT_CHECK(obj_write(f, "end", 3) == 3);
		KT_CHECK(kobj_seek(f, 15000, SEEK_SET) == 15000);
		char gap[8] = {1, 1, 1, 1, 1, 1, 1, 1};
		KT_CHECK(obj_read(f, gap, 8) == 8);
		KT_CHECK(gap[0] == 0 && gap[7] == 0);
		KT_CHECK(kobj_truncate(f, 5) == 0);
		KT_CHECK(kobj_stat(f, &va) == 0 && va.size == 5);
		kobj_put(f);
		f = NULL;
	}
	KT_CHECK(vfs_open(fs, "/d/f", O_RDWR | O_CREAT | O_EXCL, 0644, &f) == -EEXIST);
	KT_CHECK(vfs_open(fs, "/nope/f", O_RDONLY, 0, &f) == -ENOENT);
	KT_CHECK(vfs_open(fs, "/d/f/x", O_RDONLY, 0, &f) == -ENOTDIR);
	KT_CHECK(vfs_stat(fs, "/d/f", true, &va) == 0 && va.size == 5);
	KT_CHECK(vfs_stat(fs, "/d", true, &va) == 0 && (va.mode & S_IFMT) == S_IFDIR);

	KT_CHECK(vfs_symlink(fs, "d/f", "/link") == 0);
	char target[16] = {0};
	KT_CHECK(vfs_readlink(fs, "/link", target, sizeof(target)) == 3);
	KT_CHECK(memcmp(target, "d/f", 3) == 0);
	KT_CHECK(vfs_stat(fs, "/link", false, &va) == 0 && (va.mode & S_IFMT) == S_IFLNK);
	KT_CHECK(vfs_stat(fs, "/link", true, &va) == 0 && (va.mode & S_IFMT) == S_IFREG);

	KT_CHECK(vfs_link(fs, "/d/f", "/hard") == 0);
	KT_CHECK(vfs_stat(fs, "/hard", false, &va) == 0 && va.nlink == 2);
	KT_CHECK(vfs_rename(fs, "/d/f", "/d/g") == 0);
	KT_CHECK(vfs_stat(fs, "/d/f", false, &va) == -ENOENT);
	KT_CHECK(vfs_stat(fs, "/link", true, &va) == -ENOENT); /* dangling now */
	KT_CHECK(vfs_rmdir(fs, "/d") == -ENOTEMPTY);
	KT_CHECK(vfs_unlink(fs, "/d/g") == 0);
	KT_CHECK(vfs_stat(fs, "/hard", false, &va) == 0 && va.nlink == 1 && va.size == 5);
	KT_CHECK(vfs_rmdir(fs, "/d") == 0);
	KT_CHECK(vfs_unlink(fs, "/hard") == 0);
	KT_CHECK(vfs_unlink(fs, "/link") == 0);
	KT_CHECK(vfs_stat(fs, "/d", false, &va) == -ENOENT);

	/* an open file outlives its last name */
	KT_CHECK(vfs_open(fs, "/tmpfile", O_RDWR | O_CREAT, 0600, &f) == 0);
	if (f) {
		KT_CHECK(vfs_unlink(fs, "/tmpfile") == 0);
		KT_CHECK(obj_write(f, "still", 5) == 5);
		KT_CHECK(kobj_seek(f, 0, SEEK_SET) == 0);
		char s[8] = {0};
		KT_CHECK(obj_read(f, s, 8) == 5 && memcmp(s, "still", 5) == 0);
		kobj_put(f);
	}
	fs_struct_put(fs);
}

KTEST(tmpfs_files_and_dirs)
{
	tmpfs_session(ktest_failures);
}

KTEST(tmpfs_namespace_teardown_frees)
{
	int ignored = 0;
	tmpfs_session(&ignored); /* warm the heap */
	size_t pages = page_free_count(), heap = kmalloc_bytes_in_use();
	tmpfs_session(ktest_failures);
	KT_CHECK(page_free_count() == pages);
	KT_CHECK(kmalloc_bytes_in_use() == heap);
}
