"""Mount namespaces, bind mounts, chroot and the overlay filesystem: the
native nstest program run as init, and the mount/umount commands from
the shell."""
import re

from machine import Machine, check
from test_system import run_as_init


def test_namespaces_nstest_program():
    status, out = run_as_init("/system/scarlet/bin/nstest", timeout=120)
    check(re.search(r"nstest: \d+ passed, 0 failed", out), "nstest: " + out[-3000:])
    check(status == 0, "nstest exit status %d" % status)


def test_namespaces_mount_command_overlay_and_bind():
    m = Machine(timeout=90)
    try:
        m.boot_to_shell()
        m.run("mkdir /tmp/lo /tmp/up /tmp/mg /tmp/b")
        m.run("echo lower > /tmp/lo/f")
        m.run("mount -t overlay -o lowerdir=/tmp/lo,upperdir=/tmp/up overlay /tmp/mg")
        check(m.status() == 0, "mount -t overlay failed")
        table = m.run("mount")
        check("overlay /tmp/mg overlay rw" in table, "mount list: " + table)
        check("lower" in m.run("cat /tmp/mg/f"), "overlay read-through")
        m.run("echo upper > /tmp/mg/f")
        check("upper" in m.run("cat /tmp/up/f"), "copy-up into the upper")
        check("lower" in m.run("cat /tmp/lo/f"), "lower changed")
        m.run("rm /tmp/mg/f")
        check("f" not in m.run("ls /tmp/mg").split(), "whiteout not hiding f")
        m.run("mount --bind -o ro /tmp/lo /tmp/b")
        check(m.status() == 0, "mount --bind failed")
        check("/tmp/lo /tmp/b tmpfs ro" in m.run("mount"), "bind not listed")
        out = m.run("echo x > /tmp/b/new")
        check("Read-only" in out or m.status() != 0, "write into a read-only bind: " + out)
        m.run("umount /tmp/b /tmp/mg")
        check(m.status() == 0, "umount failed")
        table = m.run("mount")
        check("/tmp/mg" not in table and "/tmp/b" not in table, "still mounted: " + table)
        out = m.run("mount -t nosuchfs none /tmp/b")
        check("mount:" in out, "unknown fstype accepted: " + out)
    finally:
        m.close()
