#!/bin/bash
# The image `make fuzz` and `make stress` boot: the default initramfs tree
# plus Debian 13's riscv64 trinity and stress-ng (fetched with
# tools/debian-fetch.sh, only the files their loader needs, from
# tools/elf-closure.sh) in a small root at /opt/trixie of the Linux tree,
# and the scripts that run them (tools/in-image/).
#
#   tools-image.sh BUILD OUT.cpio
#
# In the Linux environment, tools/in-image/trixie-run.sh enters that root
# (chroot, with /proc, /dev and /tmp bound in) and runs a command there.
set -eo pipefail
build=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
full=$build/trixie-tools/full
root=$build/trixie-tools/extra/system/linux-riscv64/opt/trixie

if [ ! -x "$full/usr/bin/trinity" ] || [ ! -x "$full/usr/bin/stress-ng" ]; then
	rm -rf "$full"
	bash "$here/debian-fetch.sh" --deps "$full" trinity stress-ng
fi
rm -rf "$build/trixie-tools/extra"
bash "$here/elf-closure.sh" "$full" "$root" usr/bin/trinity usr/bin/stress-ng
mkdir -p "$root"/{proc,dev,tmp,sys,etc,root,home}
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin" >>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
cp "$here"/in-image/*.sh "$build/trixie-tools/extra/system/linux-riscv64/opt/"
chmod 755 "$build"/trixie-tools/extra/system/linux-riscv64/opt/*.sh
bash "$here/mkinitramfs.sh" "$build/rootfs" "$out" "$build/trixie-tools/extra"
