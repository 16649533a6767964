#!/bin/bash
# Builds the initramfs (cpio newc) from the staged root tree:
#   mkinitramfs.sh ROOTDIR OUT.cpio [EXTRA_DIR]
# ROOTDIR already holds the native programs under system/scarlet/bin; this
# adds the static files of rootfs/ and then EXTRA_DIR (a user's own files,
# laid over the tree), and writes the archive with `cpio -o -H newc`.
set -e
root=$1 out=$2 extra=$3
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -a "$root"/. "$stage"/
[ -d rootfs ] && cp -a rootfs/. "$stage"/
mkdir -p "$stage"/{dev,tmp,home,data,proc}
# each ABI's tree, with the directories its environment mounts over
for abi in xv6-riscv64 linux-riscv64; do
	mkdir -p "$stage/system/$abi"/{dev,tmp,home,scarlet,proc}
done
mkdir -p "$stage"/system/linux-riscv64/{bin,etc,lib,root}
ln -sfn system/scarlet/bin "$stage/bin"
# t_perm's helper runs set-user-ID root (every file is owned by 0:0)
[ -f "$stage/system/linux-riscv64/tests/suidprobe" ] && chmod 4755 "$stage/system/linux-riscv64/tests/suidprobe"
# programs keep their symbols in build/, the image gets stripped copies
find "$stage/system" -type f -perm -u+x -exec riscv64-linux-gnu-strip --strip-debug {} + 2>/dev/null || true
if [ -n "$extra" ]; then
	[ -d "$extra" ] || { echo "mkinitramfs: EXTRA=$extra is not a directory" >&2; exit 1; }
	cp -a "$extra"/. "$stage"/
fi
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet --owner 0:0) > "$out.tmp"
mv "$out.tmp" "$out"
