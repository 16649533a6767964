"""SMP robustness: upstream xv6-riscv's grind on two harts with a data
disk.  Before the fix of run_task's page-table switch (docs/testing.md,
"Stress"), a hart kept a freed page table in satp and the machine hung
within 5-20 s of grind; this test gives it 60 s and then checks that the
machine still answers, that grind's processes can be killed and that the
disk unmounts clean.  Longer runs: `make stress`."""
import os
import subprocess

from machine import Machine, check
from test_data_disk import disk_args, make_data_disk
from workloads import Grind, watch, shell_output

GRIND_SECONDS = 60


def test_grind_on_two_harts_with_a_data_disk():
    img = make_data_disk("grind")
    try:
        m = Machine(smp=2, timeout=GRIND_SECONDS + 180, extra_args=disk_args(img))
        try:
            m.boot_to_shell()
            grind = Grind()
            grind.start(m)
            before = grind.progress(m)
            watch(m, GRIND_SECONDS, grind.progress, every=10, answer_timeout=30)
            check(grind.progress(m) > before, "grind made no progress")
            grind.stop(m)
            check("alive" in shell_output(m, "echo alive"), "no answer after grind")
            m.send("poweroff\r")
            check(m.wait_exit(60) == 0, "poweroff status")
        finally:
            m.close()
        fsck = subprocess.run(["/sbin/e2fsck", "-fn", img], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
        check(fsck.returncode == 0, "e2fsck -fn after grind: %s" % fsck.stdout.decode()[-2000:])
    finally:
        os.remove(img)
