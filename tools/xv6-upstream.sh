#!/bin/bash
# Builds upstream xv6-riscv's own user programs (usertests, grind, ...)
# with xv6's own Makefile, from the copy the project is given beside it
# (../shared/upstream/xv6-riscv; see its README), and installs them in
# the xv6 tree under /upstream.  Nothing of xv6 is committed here: the
# source is copied into the build directory at build time.
#
#   xv6-upstream.sh OUTDIR XV6ROOT
# Looks for the source in $XV6_UPSTREAM, then ../shared/upstream/xv6-riscv
# relative to the project root, then /work/shared/upstream/xv6-riscv.
# Without it, it fails: the tests that use these programs cannot run.
set -eo pipefail
out=$1 root=$2
progs="usertests grind forktest stressfs"
here=$(cd "$(dirname "$0")/.." && pwd)
src=""
for d in "${XV6_UPSTREAM:-}" "$here/../shared/upstream/xv6-riscv" /work/shared/upstream/xv6-riscv; do
	if [ -n "$d" ] && [ -f "$d/user/usertests.c" ]; then
		src=$d
		break
	fi
done
if [ -z "$src" ]; then
	echo "xv6-upstream: xv6-riscv's sources not found (set XV6_UPSTREAM)" >&2
	exit 1
fi
rm -rf "$out"
mkdir -p "$out"
cp -r "$src"/. "$out"/
targets=""
for p in $progs; do targets="$targets user/_$p"; done
make -s -C "$out" TOOLPREFIX=riscv64-linux-gnu- $targets > "$out/build.log" 2>&1 ||
	{ cat "$out/build.log" >&2; exit 1; }
mkdir -p "$root/upstream"
for p in $progs; do
	cp "$out/user/_$p" "$root/upstream/$p"
done
