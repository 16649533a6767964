#!/bin/bash
# Copies programs and the shared libraries they need (their DT_NEEDED
# closure, as the dynamic loader would resolve it in that tree) from an
# unpacked root into a smaller one:
#   elf-closure.sh FROM TO PATH...
# PATHs are inside FROM (usr/bin/stress-ng); the loader
# (usr/lib/ld-linux-riscv64-lp64d.so.1: Debian 13 has merged /usr) is
# copied too, and TO gets the merged-/usr links lib -> usr/lib and
# bin -> usr/bin.  Library directories searched, in order:
# usr/lib/riscv64-linux-gnu, usr/lib.  Symlinks are kept as symlinks.
set -eo pipefail
from=$1 to=$2
shift 2
dirs="usr/lib/riscv64-linux-gnu usr/lib"
declare -A done

copy() { # a path inside FROM, with the symlinks on the way to its file
	local rel=$1
	while :; do
		mkdir -p "$to/$(dirname "$rel")"
		cp -a "$from/$rel" "$to/$rel"
		[ -L "$from/$rel" ] || break
		local target
		target=$(readlink "$from/$rel")
		case $target in
		/*) rel=${target#/} ;;
		*) rel=$(dirname "$rel")/$target ;;
		esac
	done
}

find_lib() {
	for d in $dirs; do
		if [ -e "$from/$d/$1" ]; then
			echo "$d/$1"
			return 0
		fi
	done
	return 1
}

add() {
	local rel=$1
	[ -n "${done[$rel]:-}" ] && return 0
	done[$rel]=1
	copy "$rel"
	local lib
	for lib in $(riscv64-linux-gnu-readelf -d "$from/$rel" 2>/dev/null |
		sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		local found
		found=$(find_lib "$lib") || { echo "elf-closure: $lib (for $rel) not found" >&2; exit 1; }
		add "$found"
	done
}

for p in "$@"; do
	add "$p"
done
add usr/lib/ld-linux-riscv64-lp64d.so.1
ln -sfn usr/lib "$to/lib"
ln -sfn usr/bin "$to/bin"
