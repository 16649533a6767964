#!/bin/bash
# Installs the Debian packages the build and the tests need, when missing.
# Called by make before anything is built; safe to run again.
set -e
PKGS="make gcc libc6-dev gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu qemu-system-misc
opensbi cpio e2fsprogs python3 gdb-multiarch qemu-user-static dosfstools mtools
dpkg-dev libc6-riscv64-cross libgcc-s1-riscv64-cross libstdc++6-riscv64-cross
g++-riscv64-linux-gnu golang-go"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends $missing
