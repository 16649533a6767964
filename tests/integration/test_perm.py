"""t_perm (tests/linux/t_perm.c) beyond tmpfs: the same checks in a
directory of an ext2 data disk (/home), and its FAT variant ("t_perm
fat") on a vfat mount, where owners and modes are not stored on disk but
fixed for the whole mount (root's, files 0644, directories 0755)."""
import os
import re
import subprocess

from machine import Machine, check
from test_data_disk import disk_args, make_data_disk
from test_fat import DISKS, mount_mnt, tool

T_PERM = "/system/linux-riscv64/tests/t_perm"
SUMMARY = r"ltest (perm|perm_fat): (\d+) passed, (\d+) failed"


def run_t_perm(m, where, args=""):
    out = m.run("mkdir -p %s && cd %s && %s %s; echo exit=$?" % (where, where, T_PERM, args),
                timeout=150)
    res = re.search(SUMMARY, out)
    check(res, "t_perm in %s printed no summary:\n%s" % (where, out[-3000:]))
    check(int(res.group(3)) == 0 and "exit=0" in out,
          "t_perm in %s failed:\n%s" % (where, out[-3000:]))
    check(int(res.group(2)) > 0, "t_perm in %s checked nothing" % where)
    check("skip " not in out, "t_perm in %s skipped:\n%s" % (where, out[-3000:]))


def test_linux_permissions_on_ext2():
    img = make_data_disk("perm")
    try:
        m = Machine(timeout=200, extra_args=disk_args(img))
        try:
            m.boot_to_shell()
            run_t_perm(m, "/home/t_perm")
        finally:
            m.close()
    finally:
        os.remove(img)


def test_linux_permissions_on_fat():
    os.makedirs(DISKS, exist_ok=True)
    img = os.path.join(DISKS, "perm-fat-%d.img" % os.getpid())
    subprocess.run([tool("mkfs.fat"), "-F", "32", "-C", img, "65536"], check=True,
                   stdout=subprocess.DEVNULL)
    try:
        m = Machine(timeout=200, extra_args=["-drive", "file=%s,format=raw,if=none,id=d0" % img,
                                             "-device", "virtio-blk-device,drive=d0"])
        try:
            m.boot_to_shell()
            mount_mnt(m)
            run_t_perm(m, "/mnt/t_perm", "fat")
        finally:
            m.close()
    finally:
        os.remove(img)


def test_busybox_session_as_a_user():
    # root becomes "user" (uid 1000, /etc/passwd of the Linux tree) with
    # BusyBox su: its ids, the owner of what it creates, and EACCES where
    # a user may not write.
    m = Machine(timeout=120)
    try:
        m.boot_to_shell()
        out = m.run("linux 'su -s /bin/sh user -c \"id; echo hi > /tmp/u; stat -c %u:%g:%a /tmp/u; "
                    "touch /etc/x; echo touch=\\$?; mkdir /home/x; echo mkdir=\\$?\"'", timeout=60)
        check("uid=1000(user) gid=1000(user) groups=100(users),1000(user)" in out, "id: %r" % out)
        check("1000:1000:644" in out, "owner of a new file: %r" % out)
        check(re.search(r"touch: /etc/x: Permission denied\s+touch=1", out), "touch /etc: %r" % out)
        check(re.search(r"Permission denied\s+mkdir=1", out), "mkdir /home: %r" % out)
        out = m.run("linux 'id -u; stat -c %u /tmp/u; rm /tmp/u; echo rm=$?'", timeout=60)
        check(re.search(r"^0\s+1000\s+rm=0", out, re.M), "back as root: %r" % out)
    finally:
        m.close()
