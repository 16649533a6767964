#!/bin/bash
# musl, from Debian 13's riscv64 `musl` and `musl-dev` packages (fetched
# with tools/debian-fetch.sh): a tree to build programs against, and the
# runtime in Scarlet's Linux tree.
#
#   musl.sh STAGE LINUXROOT
#
# STAGE gets both packages unpacked and STAGE/musl-gcc.specs: Debian's
# own musl-gcc specs with their paths moved into STAGE.  The cross
# compiler then builds musl programs the way Debian's musl-gcc does:
#
#   riscv64-linux-gnu-gcc -specs STAGE/musl-gcc.specs -Wl,-S [-static] ...
#
# (-Wl,-S: musl's objects carry debug sections with relocations newer than
# the host's binutils 2.40 knows, R_RISCV_SET_ULEB128/SUB_ULEB128; the
# linker crashes on them unless it drops debug sections.)
#
# LINUXROOT gets the `musl` package (its libc.so is also the dynamic
# linker) and /lib/ld-musl-riscv64.so.1, the PT_INTERP of every dynamic
# musl program, linking to it.
set -eo pipefail
stage=$(realpath -m "${1:?usage: musl.sh STAGE LINUXROOT}")
root=${2:?usage: musl.sh STAGE LINUXROOT}
here=$(dirname "$0")
triplet=riscv64-linux-musl

rm -rf "$stage"
debs=$(bash "$here/debian-fetch.sh" --print "$stage" musl musl-dev)
specs=$stage/usr/lib/$triplet/musl-gcc.specs
[ -f "$specs" ] || { echo "musl: no $specs in musl-dev" >&2; exit 1; }
sed -e "s|/usr/include/$triplet|$stage/usr/include/$triplet|g" \
	-e "s|/usr/lib/$triplet|$stage/usr/lib/$triplet|g" "$specs" >"$stage/musl-gcc.specs"

mkdir -p "$root"
dpkg-deb -x "$(grep '/musl_[^/]*\.deb$' <<<"$debs")" "$root"
loader=$root/usr/lib/$triplet/libc.so
[ -f "$loader" ] || { echo "musl: no $loader in the musl package" >&2; exit 1; }
# A merged /usr (lib -> usr/lib) already has the package's own link.
if [ ! -L "$root/lib" ]; then
	mkdir -p "$root/lib"
	ln -sfn "../usr/lib/$triplet/libc.so" "$root/lib/ld-musl-riscv64.so.1"
fi
echo "  MUSL    $(basename "$(grep '/musl_' <<<"$debs")" .deb) in $root"
