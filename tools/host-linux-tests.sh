#!/bin/bash
# Runs our Linux test programs (tests/linux/t_*.c, static glibc, and the
# dynamic ones) on the host under qemu-riscv64-static, each in a fresh
# scratch directory: the proof that what they expect is what Linux does.
# A dynamic program gets the staged Linux tree as qemu's prefix, so its
# dynamic linker and libraries are the ones Scarlet gives it.  The same binaries run
# on Scarlet in tests/integration/test_linux.py.  Then the musl, Go and
# no-libc programs, for their output and exit status.  Last line:
# "linuxhost: N passed, M failed" (N, M = checks over all programs).
set -u
cd "$(dirname "$0")/.."
bin=build/rootfs/system/linux-riscv64/tests
pass=0 fail=0
for t in "$bin"/t_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	dir=$(mktemp -d /tmp/ltest.XXXXXX)
	prefix=()
	if riscv64-linux-gnu-readelf -l "$t" | grep -q INTERP; then
		prefix=(-L "$PWD/build/rootfs/system/linux-riscv64")
	fi
	out=$(cd "$dir" && timeout 120 qemu-riscv64-static "${prefix[@]}" "$OLDPWD/$t" </dev/null 2>&1)
	rc=$?
	rm -rf "$dir"
	line=$(echo "$out" | grep -E '^ltest [a-z0-9_]+: [0-9]+ passed, [0-9]+ failed' | tail -1)
	if [ -z "$line" ]; then
		echo "$out" | tail -20
		echo "FAIL $name: no summary line (exit $rc)"
		fail=$((fail + 1))
		continue
	fi
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	[ "$f" -ne 0 ] && echo "$out" | grep -E '^(FAIL|  )' | head -40
	echo "$name: $p passed, $f failed (exit $rc)"
	pass=$((pass + p))
	fail=$((fail + f))
done
# The programs without the GNU ABI-tag note (musl static and dynamic, Go,
# no libc; tests/integration/test_unmarked_linux.py): with the arguments
# "one two" each prints a line naming "one" and exits with status 2.
for name in musl-static musl-dynamic go-hello nolibc-hello; do
	t=$bin/$name
	prefix=()
	riscv64-linux-gnu-readelf -l "$t" 2>/dev/null | grep -q INTERP &&
		prefix=(-L "$PWD/build/rootfs/system/linux-riscv64")
	out=$(timeout 60 qemu-riscv64-static "${prefix[@]}" "$t" one two </dev/null 2>&1)
	rc=$?
	if [ "$rc" -eq 2 ] && echo "$out" | grep -qE '^Hello from .*argv\[1\]=one'; then
		pass=$((pass + 1))
	else
		echo "FAIL $name: exit $rc, printed: $out"
		fail=$((fail + 1))
	fi
done
[ "$pass" -gt 0 ] || { echo "no Linux test programs in $bin"; fail=$((fail + 1)); }
echo "linuxhost: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
