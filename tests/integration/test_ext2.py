"""ext2 on a virtio disk: an image made on the host by mke2fs -d is mounted
from the native shell, changed by fsstress (thousands of files, a 70 MiB
file past the double indirect limit of 1 KiB blocks), checked by the
host's e2fsck -fn after poweroff, and found intact after a second boot."""
import os
import shutil
import subprocess

from machine import BUILD, Machine, check

DISKS = os.path.join(BUILD, "test-disks")


def e2fs_tool(name):
    for d in ("/sbin", "/usr/sbin"):
        if os.path.exists(os.path.join(d, name)):
            return os.path.join(d, name)
    return name


def make_image():
    os.makedirs(DISKS, exist_ok=True)
    # per process, so that concurrent test runs do not share an image
    src = os.path.join(DISKS, "ext2-src-%d" % os.getpid())
    img = os.path.join(DISKS, "ext2-%d.img" % os.getpid())
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(os.path.join(src, "sub"))
    with open(os.path.join(src, "hello.txt"), "w") as f:
        f.write("hello from the host\n")
    with open(os.path.join(src, "sub", "data.bin"), "wb") as f:
        f.write(bytes((i * 7) & 0xff for i in range(300000)))
    os.symlink("hello.txt", os.path.join(src, "link"))
    if os.path.exists(img):
        os.remove(img)
    subprocess.run([e2fs_tool("mke2fs"), "-q", "-F", "-t", "ext2", "-b", "1024", "-d", src,
                    img, "192M"], check=True, stdout=subprocess.DEVNULL)
    return img


def drive(img):
    return ["-drive", "file=%s,format=raw,if=none,id=d0" % img,
            "-device", "virtio-blk-device,drive=d0"]


def fsck(img):
    r = subprocess.run([e2fs_tool("e2fsck"), "-fn", img], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    return r.returncode, r.stdout.decode("utf-8", "replace")


def mount_mnt(m):
    m.run("mkdir -p /mnt")
    out = m.run("mount -t ext2 /dev/vda /mnt")
    check(m.status() == 0, "mount -t ext2 failed: " + out)


def unmount_and_poweroff(m):
    m.run("cd /")
    m.run("umount /mnt")
    m.run("umount /home")
    m.run("umount /data")  # init may have mounted the disk from /etc/fstab
    m.send("poweroff\r")
    m.wait_exit(60)


def test_ext2_fsstress_then_e2fsck_then_persistence():
    img = make_image()
    m = Machine(timeout=900, mem="512M", extra_args=drive(img))
    try:
        m.boot_to_shell()
        mount_mnt(m)
        check("hello from the host" in m.run("cat /mnt/hello.txt"), "file made by mke2fs -d")
        check("hello from the host" in m.run("cat /mnt/link"), "symlink made by mke2fs -d")
        out = m.run("fsstress /mnt/stress", timeout=800)
        check("fsstress: ok" in out, "fsstress: " + out[-3000:])
        unmount_and_poweroff(m)
    finally:
        m.close()
    status, log = fsck(img)
    check(status == 0, "e2fsck -fn after fsstress: status %d\n%s\nconsole:\n%s"
          % (status, log[-3000:], m.out[-2000:]))
    m = Machine(timeout=400, mem="512M", extra_args=drive(img))
    try:
        m.boot_to_shell()
        mount_mnt(m)
        out = m.run("fsstress -v /mnt/stress", timeout=300)
        check("fsstress: ok" in out, "fsstress -v after reboot: " + out[-3000:])
        unmount_and_poweroff(m)
    finally:
        m.close()
    status, log = fsck(img)
    check(status == 0, "e2fsck -fn after the second boot: status %d\n%s" % (status, log[-3000:]))
    os.remove(img)
    shutil.rmtree(os.path.join(DISKS, "ext2-src-%d" % os.getpid()), ignore_errors=True)
