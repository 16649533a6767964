"""System V IPC as the system sees it: after the Linux test program
t_sysvipc (which creates and removes every kind of object, also while
attached, blocked or holding SEM_UNDO adjustments), BusyBox's ipcs lists
nothing and counts nothing, and running it (and t_mqueue, the POSIX
queues, and t_ipcns, whose namespaces end with objects in them) again
and again does not grow the kernel heap: removal, and the end of a
namespace, frees everything."""
import re

from machine import Machine, check
from test_linux_shell import enter_ash, ash_run, leave_ash

RUN = "/tests/t_sysvipc | tail -1"
# kernel heap growth allowed over the repeated runs (KiB): caches of the
# VFS and procfs move a little; a leaked segment, set or queue per run
# (or POSIX queue) would pass it
HEAP_SLACK_KIB = 8
RUNS = 6


def kernel_heap(m):
    out = m.run("free")
    found = re.search(r"Kernel heap:\s+(\d+)", out)
    check(found, "free prints the kernel heap:\n%s" % out)
    return int(found.group(1))


def test_sysvipc_objects_all_go_away():
    m = Machine(timeout=240)
    try:
        enter_ash(m)
        ash_run(m, "cd /tmp")
        check("0 failed" in ash_run(m, RUN, timeout=90), "t_sysvipc passes")
        out = ash_run(m, "ipcs")
        check("kernel not configured" not in out, "ipcs finds every kind:\n%s" % out)
        rows = [l for l in out.splitlines() if re.match(r"^0x[0-9a-f]{8} ", l)]
        check(not rows, "no object left behind:\n%s" % out)
        usage = ash_run(m, "ipcs -u")
        for line in ["allocated queues = 0", "used headers = 0", "segments allocated 0",
                     "pages allocated 0", "used arrays = 0"]:
            check(line in usage, "%r in ipcs -u:\n%s" % (line, usage))
        leave_ash(m)
        # the first round leaves the caches of the files it used behind
        for i in range(RUNS + 1):
            if i == 1:
                before = kernel_heap(m)
            for prog in ["t_sysvipc", "t_mqueue", "t_ipcns --beyond-qemu"]:
                out = m.run("/system/linux-riscv64/tests/%s | grep ltest" % prog, timeout=90)
                check(" 0 failed" in out, "%s passes: %s" % (prog, out))
        after = kernel_heap(m)
        check(after - before <= HEAP_SLACK_KIB,
              "kernel heap grew by %d KiB over %d runs" % (after - before, RUNS))
    finally:
        m.close()
