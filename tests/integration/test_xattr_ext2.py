"""Extended attributes (and inotify) on ext2 and overlay: t_xattr (tests/linux) runs on the
data disk's /home; the attributes it leaves on /home/xattr-keep survive a
reboot; the host's e2fsck -fn accepts the disk (attribute blocks with
their hashes, counted in i_blocks, freed with their inodes) and debugfs
lists the attributes.  Then an overlay whose lower tmpfs file has
attributes: they are read through it and kept by the copy-up that a new
attribute causes.  t_inotify runs on ext2 too, whose inodes leave memory
when unused (marks name files by inode number, not by vnode)."""
import os
import re
import subprocess

from machine import Machine, check
from test_ext2 import drive, e2fs_tool, fsck
from test_files_ext2 import LINUX_BIN, make_image, run_ltest
from test_linux import SUMMARY, TESTS


def debugfs(img, request):
    r = subprocess.run([e2fs_tool("debugfs"), "-R", request, img], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    return r.stdout.decode("utf-8", "replace")


def keep_check(m, where):
    out = m.run("%s/t_xattr --keep %s; echo exit=$?" % (TESTS, where), timeout=60)
    res = re.search(SUMMARY, out)
    check(res and int(res.group(2)) == 0 and "exit=0" in out,
          "t_xattr --keep %s failed:\n%s" % (where, out[-3000:]))


def test_xattr_on_ext2_and_overlay():
    img = make_image()
    try:
        m = Machine(timeout=240, extra_args=drive(img))
        try:
            m.boot_to_shell()
            run_ltest(m, "t_xattr", "/home")
            run_ltest(m, "t_inotify", "/home")  # inode release on ext2: DELETE_SELF
            m.send("cd /\rpoweroff\r")
            check(m.wait_exit() == 0, "poweroff status")
        finally:
            m.close()
        code, report = fsck(img)
        check(code == 0, "e2fsck -fn after t_xattr: %s" % report[-2000:])
        listing = debugfs(img, "ea_list /home/xattr-keep")
        for want in ('user.keep (6) = "value1"', 'trusted.keep (2) = "tv"',
                     'user.a (5) = "first"'):
            check(want in listing, "debugfs ea_list lacks %s:\n%s" % (want, listing))

        m = Machine(timeout=240, extra_args=drive(img))
        try:
            m.boot_to_shell()
            keep_check(m, "/home")  # after a reboot; adds user.later
            # an overlay: the lower's attributes read through, kept on copy-up
            # (in the Linux programs' own view of the tree)
            m.run("%s/mkdir -p /tmp/lo /tmp/up /tmp/mg" % LINUX_BIN)
            run_ltest(m, "t_xattr", "/tmp/lo")
            out = m.run("%s/busybox mount -t overlay -o lowerdir=/tmp/lo,upperdir=/tmp/up "
                        "overlay /tmp/mg; echo status=$?" % LINUX_BIN)
            check("status=0" in out, "mount -t overlay failed: %r" % out)
            keep_check(m, "/tmp/mg")
            keep_check(m, "/tmp/up")  # the copy has them all
            run_ltest(m, "t_xattr", "/tmp/mg")
            m.send("cd /\rpoweroff\r")
            check(m.wait_exit() == 0, "poweroff status")
        finally:
            m.close()
        code, report = fsck(img)
        check(code == 0, "e2fsck -fn after the second boot: %s" % report[-2000:])
        listing = debugfs(img, "ea_list /home/xattr-keep")
        check('user.later (1) = "2"' in listing, "debugfs ea_list: %s" % listing)
    finally:
        os.remove(img)
