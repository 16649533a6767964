#!/bin/bash
# Installs glibc's dynamic linker and the shared libraries of Debian's
# riscv64 cross packages into a Linux root, where a riscv64 Debian has
# them: every shared object of the packages in
# LINUXROOT/lib/riscv64-linux-gnu/ (symlinks kept), and
# LINUXROOT/lib/ld-linux-riscv64-lp64d.so.1 (the path in PT_INTERP of
# every dynamic riscv64 glibc program) linking to the loader there.
#   linux-libs.sh LINUXROOT
set -e
root=$1
pkgs="libc6-riscv64-cross libgcc-s1-riscv64-cross libstdc++6-riscv64-cross"
dst=$root/lib/riscv64-linux-gnu
rm -rf "$dst"
mkdir -p "$dst"
files=$(dpkg -L $pkgs | grep -E '^/usr/riscv64-linux-gnu/lib/[^/]+\.so(\.[0-9]+)*$')
[ -n "$files" ] || { echo "linux-libs: no shared objects in $pkgs" >&2; exit 1; }
for f in $files; do
	cp -a "$f" "$dst/"
done
ln -sfn riscv64-linux-gnu/ld-linux-riscv64-lp64d.so.1 "$root/lib/ld-linux-riscv64-lp64d.so.1"
[ -e "$root/lib/ld-linux-riscv64-lp64d.so.1" ] || { echo "linux-libs: no dynamic linker" >&2; exit 1; }
echo "  LIBS    $(echo $files | wc -w) shared objects in $dst"
