"""Upstream xv6-riscv's usertests (built from the copy beside the project
by tools/xv6-upstream.sh, installed as /upstream/usertests in the xv6
tree), the whole run: the quick tests, the slow ones, and its final
check that as many pages can be allocated as at the start (countfree):
the kernel must give back what its caches took.

It runs from the xv6 shell at the root of the xv6 tree, on a data disk:
there the root's writable layer is ext2 (/data/config/xv6-riscv64), as
xv6's root is a disk.  Without a disk it is tmpfs, and the files some
tests leave behind (createdelete's, linkunlink's copy of cat) are
memory, which countfree then rightly misses.  copyout and others read
README at the root, which xv6's own disk image has: the test writes one."""
import os
import re

from machine import Machine, check
from test_data_disk import disk_args, make_data_disk

# Little memory: execout, mem, sbrkfail and the two free-page counts fill
# all of it, so the run takes half the time it takes with the usual
# 512 MiB, with the same tests.  Not xv6's own 128 MiB: Scarlet's boot
# image lives in memory (about 24 MiB of it), which would leave
# sbrkmuch's 100 MiB address space just out of reach.
# SCARLET_USERTESTS_MEM=512M runs it with more.
MEMORY = os.environ.get("SCARLET_USERTESTS_MEM", "160M")


def test_xv6_upstream_usertests_all_pass():
    img = make_data_disk("usertests")
    try:
        m = Machine(mem=MEMORY, timeout=1500, extra_args=disk_args(img))
        try:
            m.boot_to_shell()
            m.send("xv6\r")
            m.expect(r"xv6\n")
            m.wait_prompt()
            m.run("echo usertests reads this file > /README")
            m.send("cd /; /upstream/usertests\r")
            res = m.expect(r"ALL TESTS PASSED|SOME TESTS FAILED|FAILED -- lost.*|panic.*",
                           timeout=1400)
            fails = "\n".join(re.findall(r"^test \w+: .*FAIL.*$|^FAILED.*$", m.out, re.M))
            check(res.group(0) == "ALL TESTS PASSED",
                  "usertests: %s\n%s\n%s" % (res.group(0), fails, m.out[-3000:]))
        finally:
            m.close()
    finally:
        os.remove(img)
