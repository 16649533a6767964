#!/bin/bash
# Builds and runs the host unit tests (tests/host): the kernel's pure-logic
# files (lib/str.c, lib/fmt.c, kernel/core/fdt.c, kernel/arch/riscv64/isa.c,
# kernel/mm/page_alloc.c, kernel/mm/kmalloc.c, kernel/mm/reclaim.c) compiled for the host with
# ASan and UBSan, against stubs for spinlocks, printk and panic.  Device trees for the fdt tests
# are dumped by qemu-system-riscv64 into build/host/dtb.
#
# Usage: bash tools/host-tests.sh [test-name-filter]
# The last line of output is always "host: N passed, M failed".
set -u
cd "$(dirname "$0")/.."

OUT=build/host
DTB=$OUT/dtb
CC=${HOSTCC:-gcc}
QEMU=${QEMU:-qemu-system-riscv64}
CFLAGS="-std=gnu17 -Wall -Wextra -Werror -fsanitize=address,undefined
	-fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1
	-Iinclude -I. -Ikernel -include tests/host/host.h -DHOST_TEST"
KSRC="lib/fmt.c kernel/core/fdt.c kernel/arch/riscv64/isa.c kernel/mm/page_alloc.c kernel/mm/kmalloc.c kernel/mm/reclaim.c"

fail() {
	echo "host-tests: $*" >&2
	echo "host: 0 passed, 1 failed"
	exit 1
}

mkdir -p "$DTB" "$OUT/obj"

# QEMU virt device trees: virt-smp<N>-<MEM>.dtb, and one with an initrd
# and a command line.  -bios none: nothing runs, QEMU exits after the dump.
dump_dtb() {
	local out=$1
	shift
	[ -s "$out" ] && [ "$out" -nt tools/host-tests.sh ] && return 0
	"$QEMU" -machine virt,dumpdtb="$out" -bios none -nographic -display none \
		"$@" >/dev/null 2>&1 || fail "cannot dump a device tree with $QEMU"
}
for cfg in 1:128M 2:512M 4:4G 8:1G; do
	dump_dtb "$DTB/virt-smp${cfg%%:*}-${cfg#*:}.dtb" -smp "${cfg%%:*}" -m "${cfg#*:}"
done
head -c 64 /dev/zero >"$DTB/kernel.bin"
head -c 4107 /dev/zero >"$DTB/initrd.bin" # 4096 + 11 bytes, checked by test_fdt.c
dump_dtb "$DTB/virt-initrd.dtb" -smp 2 -m 256M -kernel "$DTB/kernel.bin" \
	-initrd "$DTB/initrd.bin" -append "console=ttyS0 init=/bin/sh"

# Build: lib/str.c gets its functions renamed (tests/host/str_rename.h) so
# that it does not replace the host libc's.
objs=""
build() {
	local src=$1 obj=$OUT/obj/$(echo "$1" | tr / _).o
	shift
	# shellcheck disable=SC2086
	$CC $CFLAGS "$@" -c "$src" -o "$obj" || fail "cannot compile $src"
	objs="$objs $obj"
}
build lib/str.c -include tests/host/str_rename.h
# Tests run in link order: the page allocator's before kmalloc's, which
# keeps slab pages until they are reclaimed, and reclaim's last (it
# registers a shrinker).
TSRC="tests/host/main.c tests/host/stubs.c tests/host/test_str.c tests/host/test_fmt.c
	tests/host/test_fdt.c tests/host/test_isa.c tests/host/test_page.c tests/host/test_kmalloc.c
	tests/host/test_reclaim.c"
for src in $KSRC $TSRC; do
	build "$src"
done
# shellcheck disable=SC2086
$CC $CFLAGS $objs -o "$OUT/host-tests" || fail "cannot link"

# Run.  A crash (sanitizer report, abort) leaves no summary: make one.
export HOST_DTB_DIR=$DTB
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
"$OUT/host-tests" "$@" | tee "$OUT/host-tests.log"
rc=${PIPESTATUS[0]}
last=$(tail -n 1 "$OUT/host-tests.log")
case "$last" in
host:\ *\ passed,\ *\ failed) exit "$rc" ;;
esac
passed=$(grep -c '^ok ' "$OUT/host-tests.log")
echo "host-tests: the test binary crashed (exit $rc)" >&2
echo "host: $passed passed, 1 failed"
exit 1
