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


def test_extra_files_under_home_show_over_the_data_disk():
    """`make run EXTRA=dir` puts dir/home/... in the boot image's /home; the
    data disk's home is mounted over /home, so init makes /home an overlay
    with those files below and the disk's home above (fstab `bind,union`):
    the README's own example (dir/home/prog, then /home/prog) works from
    every ABI, and what is written goes to the disk."""
    img = make_data_disk("extra")
    extra = os.path.join(BUILD, "test-disks", "extra-%d" % os.getpid())
    cpio = extra + ".cpio"
    try:
        os.makedirs(os.path.join(extra, "home", "sub"))
        subprocess.run(["cp", os.path.join(BUILD, "rootfs/system/scarlet/bin/hello"),
                        os.path.join(extra, "home", "prog")], check=True)
        with open(os.path.join(extra, "home", "sub", "given"), "w") as f:
            f.write("from the image\n")
        subprocess.run(["bash", os.path.join(ROOT, "tools", "mkinitramfs.sh"),
                        os.path.join(BUILD, "rootfs"), cpio, extra], check=True)
        m = Machine(timeout=60, extra_args=disk_args(img), initrd=cpio)
        try:
            m.boot_to_shell()
            check("Hello, world!" in m.run("/home/prog"), "/home/prog did not run")
            check(m.run("cat /home/sub/given").strip() == "from the image", "given file")
            m.run("echo written > /home/sub/new")
            check(m.run("cat /data/home/sub/new").strip() == "written", "write not on the disk")
            check(m.run("ls /data/home/sub").split() == ["new"], "image files copied to disk")
            out = m.run("linux cat /home/sub/given /home/sub/new")
            check(out.split() == ["from", "the", "image", "written"], "Linux view: %r" % out)
            m.send("poweroff\r")
            check(m.wait_exit() == 0, "poweroff status")
        finally:
            m.close()
        fsck = subprocess.run(["/sbin/e2fsck", "-fn", img], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
        check(fsck.returncode == 0, "e2fsck -fn: %s" % fsck.stdout.decode()[-2000:])
    finally:
        subprocess.run(["rm", "-rf", extra, cpio, img])
