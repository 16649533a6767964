#!/bin/bash
# Regenerates kernel/abi/linux/names.c (Linux riscv64 system call names by
# number) from the cross toolchain's <asm/unistd.h>.  Run by hand when the
# toolchain's headers change; the output is committed.
set -eu
cd "$(dirname "$0")/.."
CPP=${CROSS:-riscv64-linux-gnu-}cpp
names=$(echo '#include <asm/unistd.h>' | $CPP -dM | sed -nE 's/^#define __NR_([a-z0-9_]+) .*/\1/p' | sort -u)
{
	echo '#include <asm/unistd.h>'
	for n in $names; do echo "@ $n __NR_$n"; done
} | $CPP -P - | python3 -c '
import sys
rows = {}
for line in sys.stdin:
    parts = line.split(None, 2)
    if len(parts) == 3 and parts[0] == "@":
        if parts[1] in ("syscalls", "arch_specific_syscall"):
            continue
        try:
            rows[eval(parts[2])] = parts[1]
        except Exception:
            pass
# Calls newer than the cross toolchain headers (from Linux 6.1), by number
# as include/uapi/asm-generic/unistd.h and the riscv uapi give them
# (riscv_hwprobe is arch_specific_syscall + 14), up to Linux 6.12 (Debian 13).
newer = {258: "riscv_hwprobe", 451: "cachestat", 452: "fchmodat2",
         453: "map_shadow_stack", 454: "futex_wake", 455: "futex_wait",
         456: "futex_requeue", 457: "statmount", 458: "listmount",
         459: "lsm_get_self_attr", 460: "lsm_set_self_attr",
         461: "lsm_list_modules", 462: "mseal"}
for nr, name in newer.items():
    rows.setdefault(nr, name)
print("/*")
print(" * Names of the generic riscv64 Linux system calls by number, for the")
print(" * \"unimplemented syscall\" log.  Generated from the cross toolchain'"'"'s")
print(" * <asm/unistd.h> by tools/gen-linux-names.sh; do not edit.")
print(" */")
print("#include \"abi/linux/linux.h\"")
print()
print("const char *const linux_syscall_names[LINUX_NR_MAX] = {")
for nr in sorted(rows):
    print("    [%d] = \"%s\"," % (nr, rows[nr]))
print("};")
' > kernel/abi/linux/names.c
