"""Dynamically linked Linux programs on Scarlet: glibc's ld.so from the
Linux tree loads them (PT_INTERP), from every shell; ld.so run as a
program; the C++ programs on the dynamic libstdc++ (t_cxx's fixed output
lines are compared); every scripted BusyBox session again with the
dynamic BusyBox (/opt/busybox-dynamic: its ash, and its applets first in
PATH, so every command is an exec of a dynamic program).  t_dynamic
itself runs in test_linux.py."""
import glob
import os
import re

from machine import Machine, check, ROOT
from test_busybox import run_busybox_script

TESTS = "/system/linux-riscv64/tests"
SUMMARY = r"ltest [a-z0-9_]+: (\d+) passed, (\d+) failed"


def run_cxx_program(m, name):
    """Runs tests/NAME in /tmp/NAME; checks its summary, returns its output."""
    out = m.run("mkdir -p /tmp/%s && cd /tmp/%s && %s/%s; echo exit=$?"
                % (name, name, TESTS, name), timeout=150)
    res = re.search(SUMMARY, out)
    ok = res and int(res.group(2)) == 0 and int(res.group(1)) > 0 and "exit=0" in out
    check(ok, "%s failed:\n%s" % (name, out[-3000:]))
    return out


def test_dynamic_programs_from_every_shell():
    m = Machine(timeout=120)
    try:
        m.boot_to_shell()
        out = m.run("%s/dynhello one two; echo status=$?" % TESTS)
        check(re.search(r"Hello from glibc: argc=3 argv\[1\]=one pid=\d+\nstatus=7", out),
              "from the native shell: %r" % out)
        out = m.run("%s/dynhello piped | /system/xv6-riscv64/wc" % TESTS)
        check(re.search(r"^\s*1\s+6\s+\d+\s*$", out, re.M), "into xv6 wc: %r" % out)
        out = m.run("linux '/tests/dynhello x; echo status=$?'")
        check(re.search(r"argc=2 argv\[1\]=x pid=\d+\nstatus=0", out), "from ash: %r" % out)
        out = m.run("linux '/lib/ld-linux-riscv64-lp64d.so.1 --list /tests/dynhello'")
        check("libc.so.6 => /lib/riscv64-linux-gnu/libc.so.6" in out
              and "/lib/ld-linux-riscv64-lp64d.so.1" in out, "ld.so --list: %r" % out)
        out = m.run("linux '/lib/ld-linux-riscv64-lp64d.so.1 /tests/dynhello direct a b'; "
                    "echo status=$?")
        check(re.search(r"argc=4 argv\[1\]=direct pid=\d+\nstatus=7", out),
              "ld.so run as a program: %r" % out)
    finally:
        m.close()


def test_dynamic_cxx_program():
    m = Machine(timeout=180)
    try:
        m.boot_to_shell()
        out = run_cxx_program(m, "t_cxx")
        lines = [l for l in out.splitlines() if l.startswith("cxx: ")]
        check(lines == ["cxx: hello from a static constructor", "cxx: 42 3.142 ff ****7"],
              "t_cxx output: %r" % lines)
    finally:
        m.close()


def test_dynamic_cxx_threads():
    m = Machine(timeout=180)
    try:
        m.boot_to_shell()
        run_cxx_program(m, "t_cxxthread")
    finally:
        m.close()


DYN_BB = "/opt/busybox-dynamic"  # in the Linux tree
DYN_BB_PATH = ":".join(DYN_BB + d for d in ("/usr/sbin", "/usr/bin", "/sbin", "/bin"))


def _make_busybox(name):
    def test():
        run_busybox_script(name, sh="/system/linux-riscv64" + DYN_BB + "/bin/sh",
                           path=DYN_BB_PATH, tag="bbdyn")
    test.__name__ = "test_dynamic_busybox_" + name
    return test


for _src in sorted(glob.glob(os.path.join(ROOT, "tests", "busybox", "*.sh"))):
    _name = os.path.basename(_src)[:-3]
    globals()["test_dynamic_busybox_" + _name] = _make_busybox(_name)
