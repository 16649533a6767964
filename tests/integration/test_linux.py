"""Our Linux test programs (tests/linux/t_*.c, static glibc) on Scarlet:
one integration test per program, each in a fresh directory under /tmp.
The same binaries pass under qemu-riscv64-static on the host
(tools/host-linux-tests.sh), so their expectations are Linux's.

A program skips only the parts its environment cannot run (qemu-user
limits on the host, mostly); on Scarlet every part must run, so a "skip"
line fails the test unless EXPECTED_SKIPS lists it."""
import glob
import os
import re

from machine import Machine, check, ROOT

TESTS = "/system/linux-riscv64/tests"
SUMMARY = r"ltest [a-z0-9_]+: (\d+) passed, (\d+) failed"

# Skips that Scarlet itself calls for, by program: patterns of the text
# after "skip FILE:LINE: ".
EXPECTED_SKIPS = {
    # Scarlet has no pseudo-terminals; the terminal under test is the
    # console, whose output we cannot read back from inside.
    "t_tty": [r"echo and output: no pty master to read them back"],
}


# Arguments some programs take on Scarlet: t_settime sets the clock only
# when told to (the host runs it on a clock others use; tools/linux-vm.sh
# runs it so on Debian's Linux kernel); t_procsys likewise writes the host
# name and core pattern only when told to.
ARGS = {
    "t_settime": " --set-clock",
    # also the checks qemu-user gets wrong (Linux's answers are proven
    # with tools/linux-vm.sh)
    "t_sysvipc": " --beyond-qemu",
    "t_mqueue": " --beyond-qemu",
    "t_mmsg": " --beyond-qemu",
    "t_sockopt": " --beyond-qemu",
    "t_ipcns": " --beyond-qemu",
    "t_procsys": " --write",
    # and the namespaces Scarlet lacks fail with EINVAL (Debian's Linux
    # has them)
    "t_ns": " --beyond-qemu --missing-ns",
    # clone(CLONE_NEWPID), clone3 and the init's protection from signals
    # it does not handle, which qemu-user cannot show
    "t_pidns": " --beyond-qemu",
    "t_openat2": " --beyond-qemu",
    "t_execveat": " --beyond-qemu",
    "t_clear_sighand": " --beyond-qemu",
    "t_hwprobe": " --beyond-qemu",
    "t_tmpfile": " --beyond-qemu",
}


def run_linux_test(name):
    m = Machine(timeout=180)
    try:
        m.boot_to_shell()
        out = m.run("mkdir -p /tmp/%s && cd /tmp/%s && %s/%s%s; echo exit=$?"
                    % (name, name, TESTS, name, ARGS.get(name, "")), timeout=150)
        res = re.search(SUMMARY, out)
        check(res, "%s printed no summary:\n%s" % (name, out[-3000:]))
        check(int(res.group(2)) == 0 and "exit=0" in out,
              "%s failed:\n%s" % (name, out[-3000:]))
        check(int(res.group(1)) > 0, "%s checked nothing" % name)
        skips = [l.strip() for l in out.splitlines() if l.startswith("skip ")]
        unexpected = [l for l in skips
                      if not any(re.search(p, l) for p in EXPECTED_SKIPS.get(name, []))]
        check(not unexpected, "%s skipped on Scarlet:\n%s" % (name, "\n".join(unexpected)))
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
