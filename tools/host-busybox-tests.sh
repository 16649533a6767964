#!/bin/bash
# Runs the scripted BusyBox sessions (tests/busybox/NAME.sh, expected
# output NAME.out) on the host with the BusyBox we build, under
# qemu-riscv64-static, each in a fresh scratch directory: the proof that
# the expected outputs are what BusyBox prints on Linux.  The same scripts
# run on Scarlet in tests/integration/test_busybox.py.
#
# The host has no binfmt_misc entry for riscv64, so when the script's ash
# (itself under qemu-riscv64-static) execs `ls`, the host kernel could not
# run a riscv64 binary.  So PATH holds only a directory of host-side
# wrappers, one link per applet to one /bin/sh script that runs
# `qemu-riscv64-static busybox APPLET ARGS...`.  Every external command of
# a script is thus a real exec of the same BusyBox binary, found through
# PATH as on Scarlet (where PATH names the Linux tree's /bin links); no
# host tool leaks in because PATH has nothing else.
#
# Last line: "busyboxhost: N passed, M failed" (N, M = scripts).
# `host-busybox-tests.sh --write NAME...` writes those scripts' outputs
# as their expected ones instead (to review with git diff before commit).
set -u
cd "$(dirname "$0")/.."
root=$PWD
bb=$root/build/busybox/busybox
qemu=$(command -v qemu-riscv64-static)
if [ ! -x "$bb" ] || [ -z "$qemu" ]; then
	echo "need build/busybox/busybox (make all) and qemu-riscv64-static"
	echo "busyboxhost: 0 passed, 1 failed"
	exit 1
fi
work=$(mktemp -d /tmp/bbtest.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
printf '#!/bin/sh\nexec "%s" "%s" "${0##*/}" "$@"\n' "$qemu" "$bb" >"$work/bin/.applet"
chmod +x "$work/bin/.applet"
for a in $("$qemu" "$bb" --list); do
	ln -s .applet "$work/bin/$a"
done

write=()
[ "${1:-}" = --write ] && shift && write=("$@")

pass=0 fail=0
for t in tests/busybox/*.sh; do
	name=$(basename "$t" .sh)
	expected=tests/busybox/$name.out
	[ ${#write[@]} -gt 0 ] && [[ " ${write[*]} " != *" $name "* ]] && continue
	mkdir "$work/$name"
	(cd "$work/$name" && env -i PATH="$work/bin" HOME="$work/$name" \
		timeout 120 "$qemu" "$bb" sh "$root/$t") </dev/null >"$work/$name.actual" 2>&1
	rc=$?
	if [ ${#write[@]} -gt 0 ]; then
		cp "$work/$name.actual" "$expected"
		echo "wrote $expected (exit $rc)"
		continue
	fi
	if [ ! -f "$expected" ]; then
		echo "FAIL $name: no $expected"
		fail=$((fail + 1))
	elif [ "$rc" -ne 0 ] || ! cmp -s "$expected" "$work/$name.actual"; then
		diff -u "$expected" "$work/$name.actual" | head -60
		echo "FAIL $name (exit $rc)"
		fail=$((fail + 1))
	else
		echo "ok   $name"
		pass=$((pass + 1))
	fi
done
[ ${#write[@]} -gt 0 ] && exit 0
[ "$pass" -gt 0 ] || { echo "no scripts in tests/busybox"; fail=$((fail + 1)); }
echo "busyboxhost: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
