#!/bin/bash
# Runs our Linux test programs on Debian 13's own Linux kernel (riscv64)
# in QEMU: the proof of what qemu-user cannot check on the host, where a
# program's system calls reach the host's kernel (setting the clock would
# set the host's).  The kernel comes from Debian's linux-image-riscv64
# (tools/debian-fetch.sh, cached); the root is an initramfs with our
# static BusyBox and the test programs, whose /init runs each command
# line given and powers off.
#
#   linux-vm.sh BUILD 'PROG [ARGS...]'...
#
# e.g. linux-vm.sh build 't_settime --set-clock' t_timer.  PROG is a file
# of BUILD/rootfs/system/linux-riscv64/tests.  Prints the programs' output;
# exits 0 when each printed an ltest summary with 0 failed and exit 0.
set -eo pipefail
build=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
vm=$build/linux-vm
tests=$build/rootfs/system/linux-riscv64/tests

# the kernel: the image package linux-image-riscv64 depends on
if ! ls "$vm"/kernel/boot/vmlinux-* >/dev/null 2>&1; then
	meta=$(bash "$here/debian-fetch.sh" -n -p - linux-image-riscv64 | tail -1)
	image=$(dpkg-deb -f "$meta" Depends | sed -E 's/ .*//')
	rm -rf "$vm/kernel"
	bash "$here/debian-fetch.sh" "$vm/kernel" "$image" >&2
fi
kernel=$(ls "$vm"/kernel/boot/vmlinux-* | head -1)

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,t}
cp "$build/busybox/busybox" "$root/bin/busybox"
for cmd in "$@"; do
	prog=${cmd%% *}
	cp "$tests/$prog" "$root/t/$prog"
done
{
	echo '#!/bin/busybox sh'
	echo '/bin/busybox --install -s /bin'
	echo 'mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev'
	echo 'mount -t tmpfs tmp /tmp; cd /tmp; export PATH=/bin'
	echo 'echo "linux-vm: $(uname -r)"'
	for cmd in "$@"; do
		echo "/t/$cmd; echo \"linux-vm: exit=\$? ($cmd)\""
	done
	echo 'poweroff -f'
} >"$root/init"
chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet --owner 0:0 | gzip -1) >"$vm/initramfs.gz"

out=$(timeout 600 qemu-system-riscv64 -machine virt -bios default -smp 2 -m 1G -nographic \
	-kernel "$kernel" -initrd "$vm/initramfs.gz" \
	-append "console=ttyS0 quiet rdinit=/init" </dev/null 2>&1 | tr -d '\r')
echo "$out" | sed -n '/^linux-vm: /,$p'
summaries=$(echo "$out" | grep -cE '^ltest [a-z0-9_]+: [0-9]+ passed, 0 failed' || true)
exits=$(echo "$out" | grep -cE '^linux-vm: exit=0 ' || true)
[ "$summaries" -eq "$#" ] && [ "$exits" -eq "$#" ]
