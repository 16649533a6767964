"""BusyBox on Scarlet.  The scripted sessions (tests/busybox/NAME.sh, run
by ash in the Linux environment, output compared with NAME.out): one
integration test per script.  The same scripts and expected outputs pass
on the host under qemu-riscv64-static (tools/host-busybox-tests.sh), so
the expectations are what BusyBox prints on Linux.

A failure message has a diff and the system calls the kernel reported as
unimplemented while the script ran."""
import difflib
import glob
import os
import re

from machine import Machine, check, ROOT

SCRIPTS = "/tests/busybox"  # in the Linux tree
LINUX_SH = "/system/linux-riscv64/bin/sh"
LINUX_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
UNIMPLEMENTED = r"linux: unimplemented syscall (\d+) \((\w+)\) from pid \d+ \(([^)]*)\)"


def missing_syscalls(text):
    """'name (nr) by comm, ...' for every unimplemented call logged in text."""
    seen = {}
    for nr, name, comm in re.findall(UNIMPLEMENTED, text):
        seen.setdefault((int(nr), name), set()).add(comm)
    return ", ".join("%s (%d) by %s" % (name, nr, "/".join(sorted(comms)))
                     for (nr, name), comms in sorted(seen.items()))


def run_busybox_script(name, sh=LINUX_SH, path=LINUX_PATH, tag="bb"):
    """Runs tests/busybox/NAME.sh with the ash at sh (a path in the global
    tree) and PATH=path, in /tmp/TAG_NAME; compares with NAME.out."""
    with open(os.path.join(ROOT, "tests", "busybox", name + ".out")) as f:
        expected = f.read()
    m = Machine(timeout=200)
    try:
        m.boot_to_shell()
        start = len(m.out)
        # ash started from the native shell (not through `linux`, whose
        # `sh -c` would need execve too): the executor moves it into the
        # Linux environment, where the script's path is resolved
        d = "/tmp/%s_%s" % (tag, name)
        out = m.run("mkdir -p %s && cd %s && env PATH=%s %s %s/%s.sh > %s.out 2>&1;"
                    " echo status=$?" % (d, d, path, sh, SCRIPTS, name, d), timeout=150)
        log = m.out[start:]
        status = re.search(r"status=(\d+)", out)
        actual = m.run("cat %s.out" % d, timeout=30)
        missing = missing_syscalls(log)
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            "expected", "on Scarlet", n=1))
        check(actual == expected and status and status.group(1) == "0",
              "%s: exit %s; unimplemented: %s\n%s" % (name, status and status.group(1),
                                                      missing or "none", diff[:4000]))
    finally:
        m.close()


def _make(name):
    def test():
        run_busybox_script(name)
    test.__name__ = "test_busybox_" + name
    return test


for _src in sorted(glob.glob(os.path.join(ROOT, "tests", "busybox", "*.sh"))):
    _name = os.path.basename(_src)[:-3]
    globals()["test_busybox_" + _name] = _make(_name)
