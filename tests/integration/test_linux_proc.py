"""The process and signal test programs on Scarlet must run every part:
the host (qemu-user) skips exec and vfork-memory checks it cannot do, so
a skip of those here would hide a failure."""
from machine import Machine, check

TESTS = "/system/linux-riscv64/tests"


def test_linux_proc_and_signal_skip_nothing_they_need():
    m = Machine(timeout=240)
    try:
        m.boot_to_shell()
        for name in ("t_proc", "t_signal"):
            out = m.run("mkdir -p /tmp/s_%s && cd /tmp/s_%s && %s/%s; echo exit=$?"
                        % (name, name, TESTS, name), timeout=150)
            check("exit=0" in out, "%s failed:\n%s" % (name, out[-3000:]))
            skips = [l for l in out.splitlines() if l.startswith("skip ")]
            check(not skips, "%s skipped on Scarlet:\n%s" % (name, "\n".join(skips)))
    finally:
        m.close()
