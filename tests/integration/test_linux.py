"""Our Linux test programs (tests/linux/t_*.c, static glibc) on Scarlet:
one integration test per program, each in a fresh directory under /tmp.
The same binaries pass under qemu-riscv64-static on the host
(tools/host-linux-tests.sh), so their expectations are Linux's."""
import glob
import os
import re

from machine import Machine, check, ROOT

TESTS = "/system/linux-riscv64/tests"
SUMMARY = r"ltest [a-z0-9_]+: (\d+) passed, (\d+) failed"


def run_linux_test(name):
    m = Machine(timeout=180)
    try:
        m.boot_to_shell()
        out = m.run("mkdir -p /tmp/%s && cd /tmp/%s && %s/%s; echo exit=$?"
                    % (name, name, TESTS, name), timeout=150)
        res = re.search(SUMMARY, out)
        check(res, "%s printed no summary:\n%s" % (name, out[-3000:]))
        check(int(res.group(2)) == 0 and "exit=0" in out,
              "%s failed:\n%s" % (name, out[-3000:]))
        check(int(res.group(1)) > 0, "%s checked nothing" % name)
    finally:
        m.close()


def _make(name):
    def test():
        run_linux_test(name)
    test.__name__ = "test_linux_" + name
    return test


for _src in sorted(glob.glob(os.path.join(ROOT, "tests", "linux", "t_*.c"))):
    _name = os.path.basename(_src)[:-2]
    globals()["test_linux_" + _name] = _make(_name)
