#!/bin/bash
# `make bench`: boots Scarlet on one hart with a fresh ext2 data disk and
# runs bench-all as the whole system (microbenchmarks in the native, xv6
# and Linux ABIs, then file system throughput on tmpfs and ext2).  A
# benchmark that cannot run prints "name: n/a (why)".  These are
# measurements, not tests: nothing here passes or fails on time.
set -e
cd "$(dirname "$0")/.."
SMP=${SMP:-1}
disk=build/bench-disk.img
bash tools/mkdisk.sh "$disk" 512M >/dev/null
echo "Scarlet benchmarks (qemu-system-riscv64 virt, -smp $SMP, -m 512M)"
timeout 900 qemu-system-riscv64 -machine virt -bios default -smp "$SMP" -m 512M -nographic \
	-kernel build/kernel.bin -initrd build/initramfs.cpio \
	-drive file="$disk",format=raw,if=none,id=d0 -device virtio-blk-device,drive=d0 \
	-append "-- /system/scarlet/bin/bench-all $*" </dev/null | tr -d '\r' |
	sed -n '/^boot:/p; /^== /p; /us\/op\|MiB\/s\|files\/s\|: n\/a (/p'
rm -f "$disk"
