#!/bin/bash
# Builds and runs the VFS host unit tests (tests/host/vfs_test.c) under
# ASan/UBSan.  Makes a directory tree, packs it with the real
# `cpio -o -H newc`, and gives both to the test, which unpacks the archive
# with the kernel's initramfs code and compares.
set -euo pipefail
cd "$(dirname "$0")/.."

out=build/host
mkdir -p "$out"
gcc -std=gnu17 -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-g -I. -Iinclude -Ikernel -o "$out/vfs_test" \
	tests/host/vfs_test.c tests/host/vfs_stubs.c \
	kernel/fs/vnode.c kernel/fs/mount.c kernel/fs/walk.c kernel/fs/namei.c kernel/fs/attr.c kernel/fs/fs_view.c \
	kernel/fs/notify.c kernel/fs/xattr.c \
	kernel/fs/permission.c kernel/proc/cred.c \
	kernel/fs/file.c kernel/fs/chrdev.c kernel/fs/tmpfs.c kernel/fs/tmpfs_opts.c kernel/fs/devfs.c \
	kernel/fs/initramfs.c kernel/fs/fs_init.c kernel/fs/ns.c kernel/fs/propagate.c \
	kernel/fs/overlayfs.c kernel/fs/overlay_copyup.c kernel/fs/overlay_dir.c kernel/fs/overlay_ops.c \
	$(ls kernel/fs/ext2/*.c kernel/fs/fat/*.c kernel/fs/bcache.c kernel/dev/blkdev*.c 2>/dev/null) \
	kernel/dev/mem_devices.c kernel/dev/random.c

tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
src="$tree/src"
mkdir -p "$src/dir/sub" "$src/dir/private"
printf 'hello world\n' > "$src/hello.txt"
printf 'deep\n' > "$src/dir/sub/deep.txt"
: > "$src/empty"
printf 'secret' > "$src/dir/mode640"
chmod 0640 "$src/dir/mode640"
touch -d @1500000000 "$src/dir/mode640"
chmod 0700 "$src/dir/private"
ln -s hello.txt "$src/link"
ln -s /hello.txt "$src/dir/abslink"
printf 'linked\n' > "$src/hard1"
ln "$src/hard1" "$src/hard2"
head -c 400000 /dev/urandom > "$src/big.bin"
(cd "$src" && find . | LC_ALL=C sort | cpio --quiet -o -H newc) > "$tree/archive.cpio"

ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} "$out/vfs_test" "$tree/archive.cpio" "$src"
