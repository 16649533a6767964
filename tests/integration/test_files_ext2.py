"""File locks, FIFOs and the other file calls on ext2: t_lock, t_fifo,
t_file2 and t_tmpfile (tests/linux) run on the data disk's /home instead of /tmp's
tmpfs (RENAME_EXCHANGE of files and directories, fallocate included); a FIFO made there by a
Linux program carries data from a native program to a Linux one and
back; the host's e2fsck -fn accepts the disk afterwards (a FIFO inode
keeps no blocks)."""
import os
import re
import shutil
import subprocess

from machine import BUILD, Machine, check
from test_ext2 import drive, e2fs_tool, fsck
from test_linux import SUMMARY, TESTS

LINUX_BIN = "/system/linux-riscv64/bin"


def make_image():
    disks = os.path.join(BUILD, "test-disks")
    os.makedirs(disks, exist_ok=True)
    src = os.path.join(disks, "files-src-%d" % os.getpid())
    img = os.path.join(disks, "files-%d.img" % os.getpid())
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(os.path.join(src, "home"))  # /home of the Linux programs
    if os.path.exists(img):
        os.remove(img)
    subprocess.run([e2fs_tool("mke2fs"), "-q", "-F", "-t", "ext2", "-b", "1024", "-d", src,
                    img, "16M"], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(src, ignore_errors=True)
    return img


def run_ltest(m, name, arg):
    out = m.run("cd /tmp && %s/%s %s; echo exit=$?" % (TESTS, name, arg), timeout=120)
    res = re.search(SUMMARY, out)
    check(res and int(res.group(2)) == 0 and int(res.group(1)) > 0 and "exit=0" in out,
          "%s %s on ext2 failed:\n%s" % (name, arg, out[-3000:]))
    check("skip " not in out, "%s skipped on Scarlet:\n%s" % (name, out[-3000:]))


def test_file_calls_on_ext2():
    img = make_image()
    try:
        m = Machine(timeout=240, extra_args=drive(img))
        try:
            m.boot_to_shell()
            run_ltest(m, "t_lock", "/home")
            run_ltest(m, "t_fifo", "/home")
            run_ltest(m, "t_file2", "/home")
            run_ltest(m, "t_tmpfile", "--beyond-qemu /home")
            # one FIFO, two ABIs: the native shell and echo write, busybox
            # cat reads; then the other way round
            out = m.run("%s/busybox mkfifo /home/cross" % LINUX_BIN)
            check(out.strip() == "", "busybox mkfifo: %r" % out)
            m.run("echo native-to-linux > /data/home/cross &")
            out = m.run("%s/cat /home/cross" % LINUX_BIN, timeout=30)
            check("native-to-linux" in out, "Linux cat of a native writer: %r" % out)
            m.run("%s/sh -c 'echo linux-to-native > /home/cross' &" % LINUX_BIN)
            out = m.run("cat /data/home/cross", timeout=30)
            check("linux-to-native" in out, "native cat of a Linux writer: %r" % out)
            out = m.run("%s/busybox ls -l /home/cross" % LINUX_BIN)
            check(out.lstrip().startswith("p"), "ls -l of the FIFO: %r" % out)
            m.send("cd /\rpoweroff\r")
            check(m.wait_exit() == 0, "poweroff status")
        finally:
            m.close()
        code, report = fsck(img)
        check(code == 0, "e2fsck -fn: %s" % report[-2000:])
    finally:
        os.remove(img)
