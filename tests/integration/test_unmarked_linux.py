"""Linux programs without the GNU ABI-tag note: static and dynamic musl,
Go and a program with no libc (built at build time into the Linux tree's
/tests, see the Makefile).  Detection must call each of them Linux with
no hint (they used to be taken for native programs), while xv6's own
upstream programs stay xv6; each must run from the native shell, from
the xv6 shell through /scarlet, and from BusyBox ash, with its output
and its exit status (the number of arguments after argv[0])."""
import re

from machine import Machine, check
from test_linux_shell import enter_ash, ash_run, leave_ash
from test_xv6 import xv6_shell, leave_xv6_shell

TESTS = "/system/linux-riscv64/tests"
# name -> regex of the line it prints for the arguments "one two"
PROGRAMS = {
    "musl-static": r"Hello from musl: argc=3 argv\[1\]=one pid=\d+ home=(set|unset)",
    "musl-dynamic": r"Hello from musl: argc=3 argv\[1\]=one pid=\d+ home=(set|unset)",
    "go-hello": r"Hello from Go: argv\[1\]=one bytes=6 pid=\d+",
    "nolibc-hello": r"Hello from no libc: argv\[1\]=one",
}
XV6_UPSTREAM = ["usertests", "grind", "forktest", "stressfs"]
UNIMPLEMENTED = re.compile(r"unimplemented syscall [^\n]*")


def check_output(name, out):
    check(re.search("^" + PROGRAMS[name] + "$", out, re.M), "%s printed %r" % (name, out))
    missing = UNIMPLEMENTED.findall(out)
    check(not missing, "%s: %s" % (name, missing))


def test_unmarked_linux_programs_are_detected_as_linux():
    m = Machine(timeout=60)
    try:
        m.boot_to_shell()
        paths = ["%s/%s" % (TESTS, name) for name in PROGRAMS]
        out = m.run("abi-detect " + " ".join(paths))
        for p in paths:
            check("%s: linux-riscv64" % p in out, "%s: %r" % (p, out))
        # xv6's own programs (linked at 0, no notes) and ours stay xv6
        xv6 = ["/system/xv6-riscv64/upstream/" + n for n in XV6_UPSTREAM] + \
            ["/system/xv6-riscv64/sh", "/system/xv6-riscv64/cat"]
        out = m.run("abi-detect " + " ".join(xv6))
        for p in xv6:
            check("%s: xv6-riscv64" % p in out, "%s: %r" % (p, out))
        out = m.run("/system/xv6-riscv64/upstream/forktest", timeout=60)
        check("fork test OK" in out, "upstream forktest, run with no hint: %r" % out)
        out = m.run("abi-detect /bin/hello " + TESTS + "/hello")
        check("/bin/hello: scarlet" in out and TESTS + "/hello: linux-riscv64" in out, out)
    finally:
        m.close()


def test_unmarked_linux_programs_run_from_the_native_shell():
    m = Machine(timeout=90)
    try:
        m.boot_to_shell()
        for name in PROGRAMS:
            out = m.run("%s/%s one two" % (TESTS, name), timeout=30)
            check_output(name, out)
            check(m.status() == 2, "%s: exit status" % name)
            m.run("%s/%s" % (TESTS, name), timeout=30)
            check(m.status() == 0, "%s: exit status without arguments" % name)
    finally:
        m.close()


def test_unmarked_linux_programs_run_from_the_xv6_shell():
    """The xv6 shell shows no exit status: only the output is checked."""
    m = Machine(timeout=90)
    try:
        xv6_shell(m)
        for name in PROGRAMS:
            out = m.run("/scarlet%s/%s one two" % (TESTS, name), timeout=30)
            check_output(name, out)
        leave_xv6_shell(m)
    finally:
        m.close()


def test_unmarked_linux_programs_run_from_busybox_ash():
    m = Machine(timeout=90)
    try:
        enter_ash(m)
        for name in PROGRAMS:
            out = ash_run(m, "/tests/%s one two" % name, timeout=30)
            check_output(name, out)
            check(ash_run(m, "echo $?").strip() == "2", "%s: exit status in ash" % name)
        leave_ash(m)
    finally:
        m.close()
