"""The cross-ABI headline: one pipeline of a native `cat`, BusyBox `grep`
(Linux) and the xv6 `wc`, typed in each ABI's shell: the native shell,
BusyBox ash (entered with `linux`) and the xv6 shell (entered with
`xv6`).  xv6's wc prints "lines words bytes"; the expected numbers come
from the native /etc/passwd the pipeline reads."""
import os

from machine import Machine, check, ROOT
from test_linux_shell import enter_ash, ash_run, leave_ash
from test_xv6 import xv6_shell, leave_xv6_shell


def expected_count():
    """[lines, words, bytes] of the lines of rootfs/etc/passwd with "root"."""
    with open(os.path.join(ROOT, "rootfs", "etc", "passwd"), "rb") as f:
        lines = [l for l in f.read().splitlines(True) if b"root" in l]
    data = b"".join(lines)
    return [str(len(lines)), str(len(data.split())), str(len(data))]


def wc_numbers(out):
    return out.split()[:3]


def test_native_cat_busybox_grep_xv6_wc_from_the_native_shell():
    m = Machine(timeout=90)
    try:
        m.boot_to_shell()
        out = m.run("cat /etc/passwd | /system/linux-riscv64/bin/busybox grep root"
                    " | /system/xv6-riscv64/wc")
        check(wc_numbers(out) == expected_count(), "native: %r, expected %r" % (out, expected_count()))
    finally:
        m.close()


def test_native_cat_busybox_grep_xv6_wc_from_ash():
    m = Machine(timeout=90)
    try:
        enter_ash(m)
        # the global tree is at /scarlet in the Linux environment; short
        # variables keep the line within the terminal's width
        ash_run(m, "N=/scarlet/system/scarlet/bin")
        ash_run(m, "X=/scarlet/system/xv6-riscv64")
        out = ash_run(m, "$N/cat /etc/passwd | grep root | $X/wc")
        check(wc_numbers(out) == expected_count(), "ash: %r, expected %r" % (out, expected_count()))
        leave_ash(m)
    finally:
        m.close()


def test_native_cat_busybox_grep_xv6_wc_from_the_xv6_shell():
    m = Machine(timeout=90)
    try:
        xv6_shell(m)
        out = m.run("/scarlet/system/scarlet/bin/cat /etc/passwd"
                    " | /scarlet/system/linux-riscv64/bin/busybox grep root | wc")
        check(wc_numbers(out) == expected_count(), "xv6: %r, expected %r" % (out, expected_count()))
        leave_xv6_shell(m)
    finally:
        m.close()
