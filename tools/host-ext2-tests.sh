#!/bin/bash
# Builds and runs the ext2 host tests (tests/host/ext2_test.c) under
# ASan/UBSan: the ext2 code, the block cache and the VFS, with the host
# shims of tests/host/vfs_stubs.c and a disk backed by an image file.
# The test makes its images with the real mke2fs and checks them with the
# real e2fsck (e2fsprogs, installed by tools/deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

out=build/host
mkdir -p "$out"
# The VFS core without fs_init.c (the test registers what it needs),
# without the parts that need tasks (locks, RLIMIT_FSIZE: stubbed;
# namespace files) and without textbuf.c, mount_prop.c and fs_context.c
# (they need lib/fmt.c and lib/string.c, which this build does not link).
vfs=$(ls kernel/fs/*.c | grep -v -e fs_init.c -e /lock.c -e /fsize.c -e textbuf.c -e /nsfs.c -e /mount_prop.c -e /fs_context.c)
gcc -std=gnu17 -O1 -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-g -I. -Iinclude -Ikernel -o "$out/ext2_test" \
	tests/host/ext2_test.c tests/host/vfs_stubs.c $vfs kernel/proc/cred.c kernel/fs/ext2/*.c \
	$(ls kernel/dev/blkdev*.c) kernel/dev/mem_devices.c kernel/dev/random.c

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PATH=$PATH:/sbin:/usr/sbin ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} "$out/ext2_test" "$work"
