#!/bin/bash
# `make bench`: boots Scarlet on one hart and runs the native
# microbenchmarks as the whole system; prints their numbers.  These are
# measurements, not tests: nothing here passes or fails on time.
set -e
cd "$(dirname "$0")/.."
SMP=${SMP:-1}
echo "Scarlet benchmarks (qemu-system-riscv64 virt, -smp $SMP, -m 512M)"
timeout 600 qemu-system-riscv64 -machine virt -bios default -smp "$SMP" -m 512M -nographic \
	-kernel build/kernel.bin -initrd build/initramfs.cpio \
	-append "-- /system/scarlet/bin/bench $*" </dev/null | tr -d '\r' |
	sed -n '/^boot:/p; /us\/op\|MiB\/s\|ms\/op/p'
