#!/bin/bash
# The whole test suite (what `make test` runs): host unit tests with
# ASan/UBSan, then the integration tests that boot QEMU (they include the
# in-kernel unit tests and the native conformance program).  Each part
# ends with a line "NAME: N passed, M failed"; this adds them up and ends
# with "N passed, M failed", exiting non-zero on any failure.
set -u
cd "$(dirname "$0")/.."
log=build/test-logs
mkdir -p "$log"
total_pass=0 total_fail=0

run_part() {
	local name=$1
	shift
	echo "== $name"
	"$@" 2>&1 | tee "$log/$name.log"
	local line
	line=$(grep -E '^[a-z0-9]+: [0-9]+ passed, [0-9]+ failed' "$log/$name.log" | tail -1)
	if [ -z "$line" ]; then
		echo "$name: no result line; counted as one failure"
		total_fail=$((total_fail + 1))
		return
	fi
	local p f
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

run_part host bash tools/host-tests.sh
run_part vfs bash tools/host-vfs-tests.sh
run_part fat bash tools/host-fat-tests.sh
run_part ext2 bash tools/host-ext2-tests.sh
run_part xv6 bash tools/host-xv6-tests.sh
run_part linuxhost bash tools/host-linux-tests.sh
run_part busyboxhost bash tools/host-busybox-tests.sh
run_part integration python3 tests/integration/run.py

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
