"""The default data disk (tools/mkdisk.sh, what `make run` attaches):
init mounts it on /data and binds /data/home on /home from /etc/fstab;
what is written there survives a poweroff and a new boot, and the host's
e2fsck finds the image clean."""
import os
import subprocess

from machine import BUILD, Machine, check, ROOT


def disk_args(img):
    return ["-drive", "file=%s,format=raw,if=none,id=data" % img,
            "-device", "virtio-blk-device,drive=data"]


def make_data_disk(name):
    """A fresh 64 MiB default data disk (tools/mkdisk.sh) for one test."""
    disks = os.path.join(BUILD, "test-disks")
    os.makedirs(disks, exist_ok=True)
    img = os.path.join(disks, "%s-%d.img" % (name, os.getpid()))
    subprocess.run(["bash", os.path.join(ROOT, "tools", "mkdisk.sh"), img, "64M"], check=True,
                   stdout=subprocess.DEVNULL)
    return img


def test_home_and_data_persist_across_reboots():
    img = make_data_disk("data")
    try:
        m = Machine(timeout=60, extra_args=disk_args(img))
        try:
            m.boot_to_shell()
            mounts = m.run("mount")
            check("/dev/vda /data ext2 rw" in mounts, "data disk not on /data: %r" % mounts)
            check(" /home " in mounts, "/home not bound: %r" % mounts)
            m.run("echo kept across reboots > /home/note; mkdir /data/config/scarlet/etc")
            check(m.run("cat /data/home/note").strip() == "kept across reboots",
                  "/home is not /data/home")
            m.send("poweroff\r")
            check(m.wait_exit() == 0, "poweroff status")
        finally:
            m.close()
        fsck = subprocess.run(["/sbin/e2fsck", "-fn", img], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
        check(fsck.returncode == 0, "e2fsck -fn: %s" % fsck.stdout.decode()[-2000:])
        state = subprocess.run(["/sbin/dumpe2fs", "-h", img], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL).stdout.decode()
        check("Filesystem state:         clean" in state, "poweroff left the disk not clean")
        m = Machine(timeout=60, extra_args=disk_args(img))
        try:
            m.boot_to_shell()
            check(m.run("cat /home/note").strip() == "kept across reboots", "note lost")
            check("etc" in m.run("ls /data/config/scarlet").split(), "directory lost")
        finally:
            m.close()
    finally:
        os.remove(img)
