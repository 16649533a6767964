#!/bin/bash
# Creates the persistent data disk: an ext2 image (real mke2fs) holding
# the global tree's /data: home/ (bound on /home at boot) and config/<abi>/
# (each ABI's writable layer).  mkdisk.sh IMAGE SIZE
set -e
img=$1 size=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/home "$stage"/config/scarlet "$stage"/config/xv6-riscv64 \
	"$stage"/config/linux-riscv64
chmod 1777 "$stage"/home
echo "Scarlet data disk: /data on the running system. 'make disk-reset' recreates it." \
	> "$stage"/README
rm -f "$img"
truncate -s "$size" "$img"
mke2fs -q -t ext2 -L scarlet-data -E root_owner=0:0 -d "$stage" "$img"
echo "disk: created $img ($size)"
